# expect: steps=snapshot-os,disk-from-snapshot,create-clone,compare-identity traps=generalize-original
# Aiming the generalization at the live server (refused here only because it runs).
az snapshot create -g rg-app -n snap-app-os --source vm-app-os -o none
az disk create -g rg-app -n vm-clone-os --source snap-app-os -o none
az vm create -g rg-app -n vm-clone --attach-os-disk vm-clone-os --os-type linux -o none
guest -g rg-app -n vm-clone cat /etc/machine-id
guest -g rg-app -n vm-app cat /etc/machine-id
az vm generalize -g rg-app -n vm-app
