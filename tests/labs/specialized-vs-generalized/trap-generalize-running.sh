# expect: steps=snapshot-os,disk-from-snapshot,create-clone,compare-identity,prepare-clone traps=generalize-running after=create-clone
guest -g rg-app -n vm-clone cat /etc/machine-id
guest -g rg-app -n vm-app cat /etc/machine-id
guest -g rg-app -n vm-clone sudo cloud-init clean --machine-id
guest -g rg-app -n vm-clone sudo waagent -deprovision+user
y
az vm generalize -g rg-app -n vm-clone
