# expect: steps=snapshot-copy,vm-from-snapshot,delete-attached-disk traps=deleted-vm-to-free-disk
# Azure refuses to delete the attached disk, so the student deletes the whole VM to free it.
az snapshot copy -g rg-traps -n snap-logs-westus2 --source snap-logs
SNAP_ID=$(az snapshot show -g rg-traps -n snap-logs --query id -o tsv)
az snapshot create -g rg-traps -n snap-logs-westus2 -l westus2 --source $SNAP_ID --incremental true --copy-start true -o none
az vm create -g rg-traps -n vm-web-restored --image snap-web-os --admin-username azureuser --generate-ssh-keys
az disk create -g rg-traps -n vm-web-restored-os --source snap-web-os -o none
az vm create -g rg-traps -n vm-web-restored --attach-os-disk vm-web-restored-os --os-type linux -o none
az disk delete -g rg-traps -n data-old --yes
az vm delete -g rg-traps -n vm-web --yes
az disk delete -g rg-traps -n data-old --yes
