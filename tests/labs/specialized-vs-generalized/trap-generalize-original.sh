# expect: steps=snapshot-os,disk-from-snapshot,create-clone,compare-identity traps=generalize-original after=create-clone
# Aiming the generalization at the live server (refused here only because it runs).
guest -g rg-app -n vm-clone cat /etc/machine-id
guest -g rg-app -n vm-app cat /etc/machine-id
az vm generalize -g rg-app -n vm-app
