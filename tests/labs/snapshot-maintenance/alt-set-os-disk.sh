# expect: complete traps=
# The OS disk swapped with the generic --set, and the data disk swapped after the VM is back up.
az snapshot create -g rg-maint -n vm-shop-os-snap --source vm-shop-os -o none
az snapshot create -g rg-maint -n vm-shop-data-snap --source vm-shop-data -o none
guest -g rg-maint -n vm-shop echo 'Contoso Shop 2.0-rc1 - 502 Bad Gateway' | sudo tee /var/www/html/index.html
guest -g rg-maint -n vm-shop sudo rm -rf /etc/shop
az vm deallocate -g rg-maint -n vm-shop
az disk create -g rg-maint -n vm-shop-os-restored --source vm-shop-os-snap -o none
az disk create -g rg-maint -n vm-shop-data-restored --source vm-shop-data-snap -o none
DISKID=$(az disk show -g rg-maint -n vm-shop-os-restored --query id -o tsv)
az vm update -g rg-maint -n vm-shop --set storageProfile.osDisk.managedDisk.id=$DISKID -o none
az vm start -g rg-maint -n vm-shop
az vm disk detach -g rg-maint --vm-name vm-shop --name vm-shop-data
az vm disk attach -g rg-maint --vm-name vm-shop --disk vm-shop-data-restored -o none
guest -g rg-maint -n vm-shop cat /etc/shop/shop.conf
az disk delete -g rg-maint -n vm-shop-os --yes
az disk delete -g rg-maint -n vm-shop-data --yes
