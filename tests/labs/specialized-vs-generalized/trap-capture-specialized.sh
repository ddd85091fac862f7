# expect: steps=snapshot-os,disk-from-snapshot,create-clone,compare-identity,prepare-clone traps=capture-specialized after=create-clone
# Deallocated but never marked generalized.
guest -g rg-app -n vm-clone cat /etc/machine-id
guest -g rg-app -n vm-app cat /etc/machine-id
guest -g rg-app -n vm-clone sudo cloud-init clean --machine-id
guest -g rg-app -n vm-clone sudo waagent -deprovision+user
y
az vm deallocate -g rg-app -n vm-clone
az image create -g rg-app -n img-app --source vm-clone --hyper-v-generation V2
