# expect: steps=snapshot-os,disk-from-snapshot,create-clone,compare-identity,prepare-clone traps=generalize-running
az snapshot create -g rg-app -n snap-app-os --source vm-app-os -o none
az disk create -g rg-app -n vm-clone-os --source snap-app-os -o none
az vm create -g rg-app -n vm-clone --attach-os-disk vm-clone-os --os-type linux -o none
guest -g rg-app -n vm-clone cat /etc/machine-id
guest -g rg-app -n vm-app cat /etc/machine-id
guest -g rg-app -n vm-clone sudo cloud-init clean --machine-id
guest -g rg-app -n vm-clone sudo waagent -deprovision+user
y
az vm generalize -g rg-app -n vm-clone
