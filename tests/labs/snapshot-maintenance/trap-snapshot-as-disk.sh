# expect: steps=snapshot-disks,bad-patch traps=snapshot-as-disk,snapshot-as-disk
# Skipping the disks: a snapshot can be neither swapped in as an OS disk nor attached.
az snapshot create -g rg-maint -n vm-shop-os-snap --source vm-shop-os -o none
az snapshot create -g rg-maint -n vm-shop-data-snap --source vm-shop-data -o none
guest -g rg-maint -n vm-shop sudo rm -rf /etc/shop
az vm deallocate -g rg-maint -n vm-shop
az vm update -g rg-maint -n vm-shop --os-disk vm-shop-os-snap
az vm disk attach -g rg-maint --vm-name vm-shop --name vm-shop-data-snap
