# expect: steps=snapshot-disks,bad-patch traps=patch-before-snapshot
# The patch runs first: there is no copy of the good OS disk any more. Snapshots taken afterwards
# only preserve the broken state (the steps still tick, but the lesson is lost).
guest -g rg-maint -n vm-shop echo 'Contoso Shop 2.0-rc1 - 502 Bad Gateway' | sudo tee /var/www/html/index.html
guest -g rg-maint -n vm-shop sudo rm -rf /etc/shop
az snapshot create -g rg-maint -n vm-shop-os-snap --source vm-shop-os -o none
az snapshot create -g rg-maint -n vm-shop-data-snap --source vm-shop-data -o none
