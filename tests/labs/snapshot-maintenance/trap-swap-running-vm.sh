# expect: steps=snapshot-disks,bad-patch,restore-disks traps=swap-running-vm
az snapshot create -g rg-maint -n vm-shop-os-snap --source vm-shop-os -o none
az snapshot create -g rg-maint -n vm-shop-data-snap --source vm-shop-data -o none
guest -g rg-maint -n vm-shop sudo rm -rf /etc/shop
az disk create -g rg-maint -n vm-shop-os-restored --source vm-shop-os-snap -o none
az disk create -g rg-maint -n vm-shop-data-restored --source vm-shop-data-snap -o none
az vm update -g rg-maint -n vm-shop --os-disk vm-shop-os-restored
