# expect: complete traps=
# Snapshots by disk id (incremental ones, which restore just as well), the data disk replaced while
# the VM still runs, stop then deallocate, the OS disk swapped by ids, the check through Run Command.
VMID=$(az vm show -g rg-maint -n vm-shop --query id -o tsv)
OSID=$(az vm show --ids $VMID --query storageProfile.osDisk.managedDisk.id -o tsv)
DATAID=$(az vm show --ids $VMID --query "storageProfile.dataDisks[0].managedDisk.id" -o tsv)
az snapshot create -g rg-maint -n vm-shop-os-snap --source $OSID --incremental true -o none
az snapshot create -g rg-maint -n vm-shop-data-snap --source $DATAID --incremental true -o none
az vm run-command invoke --ids $VMID --command-id RunShellScript --scripts "rm -rf /etc/shop" -o none
az disk create -g rg-maint -n vm-shop-os-restored --source vm-shop-os-snap --sku StandardSSD_LRS -o none
az disk create -g rg-maint -n vm-shop-data-restored --source vm-shop-data-snap -o none
az vm disk detach -g rg-maint --vm-name vm-shop --name vm-shop-data
az vm disk attach -g rg-maint --vm-name vm-shop --name vm-shop-data-restored -o none
az vm stop --ids $VMID
az vm deallocate --ids $VMID
NEWOS=$(az disk show -g rg-maint -n vm-shop-os-restored --query id -o tsv)
az vm update --ids $VMID --os-disk $NEWOS -o none
az vm start --ids $VMID
az vm run-command invoke --ids $VMID --command-id RunShellScript --scripts "cat /etc/shop/shop.conf" --query "value[0].message" -o tsv
az disk delete --ids $OSID --yes
az disk delete --ids $DATAID --yes
