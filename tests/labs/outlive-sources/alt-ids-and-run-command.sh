# expect: complete traps=
# Everything by id: an incremental snapshot of the disk by id, deletions with --ids, the image and
# the restored disk by id, list instead of show, and the ledger read through Run Command.
LEDGER_OS=$(az vm show -g rg-keep -n vm-ledger --query storageProfile.osDisk.managedDisk.id -o tsv)
LEDGER_VM=$(az vm show -g rg-keep -n vm-ledger --query id -o tsv)
GOLDEN_VM=$(az vm show -g rg-keep -n vm-golden --query id -o tsv)
GOLDEN_OS=$(az vm show --ids $GOLDEN_VM --query storageProfile.osDisk.managedDisk.id -o tsv)
az snapshot create -g rg-keep -n vm-ledger-os-snap --source $LEDGER_OS --incremental true -o none
az vm delete --ids $LEDGER_VM --yes
az disk delete --ids $LEDGER_OS --yes
az vm delete --ids $GOLDEN_VM --yes
az disk delete --ids $GOLDEN_OS --yes
az image list -g rg-keep --query "[].{name:name, sourceVm:sourceVirtualMachine.id}" -o table
az snapshot list -g rg-keep --query "[].{name:name, source:creationData.sourceResourceId}" -o table
IMAGE_ID=$(az image show -g rg-keep -n img-golden --query id -o tsv)
az vm create -g rg-keep -n vm-web --image $IMAGE_ID --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
SNAP_ID=$(az snapshot show -g rg-keep -n vm-ledger-os-snap --query id -o tsv)
az disk create -g rg-keep -n vm-ledger-os-restored --source $SNAP_ID -o none
RESTORED=$(az disk show -g rg-keep -n vm-ledger-os-restored --query id -o tsv)
az vm create -g rg-keep -n vm-ledger --attach-os-disk $RESTORED --os-type linux -o none
az vm run-command invoke -g rg-keep -n vm-ledger --command-id RunShellScript --scripts "cat /srv/ledger/2025.csv" -o none
