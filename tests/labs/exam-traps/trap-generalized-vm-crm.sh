# expect: steps=snapshot-copy,vm-from-snapshot,delete-attached-disk,stop-vs-deallocate,generalize-running,wrong-generation,start-generalized traps=generalized-vm-crm after=delete-attached-disk
# The managed image of vm-crm is refused for want of the generalized flag, so the student sets it.
az vm stop -g rg-traps -n vm-api
az vm deallocate -g rg-traps -n vm-api
az vm generalize -g rg-traps -n vm-build
az vm deallocate -g rg-traps -n vm-build
az vm generalize -g rg-traps -n vm-build
az image create -g rg-traps -n img-build --source vm-build
az image create -g rg-traps -n img-build --source vm-build --hyper-v-generation V2 -o none
az vm start -g rg-traps -n vm-build
az vm create -g rg-traps -n vm-build2 --image img-build --admin-username azureuser --generate-ssh-keys -o none
az image create -g rg-traps -n img-crm --source vm-crm --hyper-v-generation V2
az vm deallocate -g rg-traps -n vm-crm
az vm generalize -g rg-traps -n vm-crm
