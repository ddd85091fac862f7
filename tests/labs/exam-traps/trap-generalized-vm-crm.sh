# expect: steps=snapshot-copy,vm-from-snapshot,delete-attached-disk,stop-vs-deallocate,generalize-running,wrong-generation,start-generalized traps=generalized-vm-crm
# The managed image of vm-crm is refused for want of the generalized flag, so the student sets it.
az snapshot copy -g rg-traps -n snap-logs-westus2 --source snap-logs
SNAP_ID=$(az snapshot show -g rg-traps -n snap-logs --query id -o tsv)
az snapshot create -g rg-traps -n snap-logs-westus2 -l westus2 --source $SNAP_ID --incremental true --copy-start true -o none
az vm create -g rg-traps -n vm-web-restored --image snap-web-os --admin-username azureuser --generate-ssh-keys
az disk create -g rg-traps -n vm-web-restored-os --source snap-web-os -o none
az vm create -g rg-traps -n vm-web-restored --attach-os-disk vm-web-restored-os --os-type linux -o none
az disk delete -g rg-traps -n data-old --yes
az vm disk detach -g rg-traps --vm-name vm-web -n data-old
az disk delete -g rg-traps -n data-old --yes
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
