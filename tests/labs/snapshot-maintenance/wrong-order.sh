# expect: steps=snapshot-disks,bad-patch traps=swap-running-vm
# Restoring before there is anything to restore from, swapping on a running VM, and the data disk
# snapshot taken last: the later steps never complete ahead of the first two.
az vm deallocate -g rg-maint -n vm-shop
az disk create -g rg-maint -n vm-shop-os-restored --source vm-shop-os-snap -o none
az vm start -g rg-maint -n vm-shop
az snapshot create -g rg-maint -n vm-shop-os-snap --source vm-shop-os -o none
guest -g rg-maint -n vm-shop sudo rm -rf /etc/shop
az disk create -g rg-maint -n vm-shop-os-restored --source vm-shop-os-snap -o none
az vm update -g rg-maint -n vm-shop --os-disk vm-shop-os-restored
guest -g rg-maint -n vm-shop cat /etc/shop/shop.conf
az snapshot create -g rg-maint -n vm-shop-data-snap --source vm-shop-data -o none
