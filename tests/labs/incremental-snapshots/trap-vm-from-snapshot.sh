# expect: steps=first-incremental,october-orders,second-incremental,november-orders,third-incremental,full-snapshot,compare traps=vm-from-snapshot,vm-from-snapshot
# Booting straight from the snapshot, as an image and as an OS disk: both refused.
az snapshot create -g rg-backup -n vm-db-os-inc1 --source vm-db-os --incremental true -o none
guest -g rg-backup -n vm-db echo '1001,49.90' | sudo tee /srv/orders/2026-10.csv
az snapshot create -g rg-backup -n vm-db-os-inc2 --source vm-db-os --incremental true -o none
guest -g rg-backup -n vm-db echo '2001,12.50' | sudo tee /srv/orders/2026-11.csv
az snapshot create -g rg-backup -n vm-db-os-inc3 --source vm-db-os --incremental true -o none
az snapshot create -g rg-backup -n vm-db-os-full --source vm-db-os -o none
az snapshot show -g rg-backup -n vm-db-os-inc2 --query "{size:diskSizeGB, incremental:incremental}"
az vm create -g rg-backup -n vm-db-oct --image vm-db-os-inc2 --admin-username azureuser --generate-ssh-keys
az vm create -g rg-backup -n vm-db-oct --attach-os-disk vm-db-os-inc2 --os-type linux
