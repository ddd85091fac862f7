# expect: steps=snapshot-ledger,delete-ledger-vm,delete-ledger-disk,delete-golden,dangling-references,deploy-from-image traps=vm-from-snapshot,vm-from-snapshot
# Booting the snapshot directly, as an image and as an OS disk: both refused.
az snapshot create -g rg-keep -n vm-ledger-os-snap --source vm-ledger-os -o none
az vm delete -g rg-keep -n vm-ledger --yes
az disk delete -g rg-keep -n vm-ledger-os --yes
az vm delete -g rg-keep -n vm-golden --yes
az disk delete -g rg-keep -n vm-golden-os --yes
az image show -g rg-keep -n img-golden --query sourceVirtualMachine.id -o tsv
az snapshot show -g rg-keep -n vm-ledger-os-snap --query creationData.sourceResourceId -o tsv
az vm create -g rg-keep -n vm-web --image img-golden --admin-username azureuser --generate-ssh-keys -o none
az vm create -g rg-keep -n vm-ledger --image vm-ledger-os-snap --admin-username azureuser --generate-ssh-keys
az vm create -g rg-keep -n vm-ledger --attach-os-disk vm-ledger-os-snap --os-type linux
