# expect: steps=first-incremental,october-orders,second-incremental,november-orders,third-incremental,full-snapshot,compare traps=snapshot-copy
az snapshot create -g rg-backup -n vm-db-os-inc1 --source vm-db-os --incremental true -o none
guest -g rg-backup -n vm-db echo '1001,49.90' | sudo tee /srv/orders/2026-10.csv
az snapshot create -g rg-backup -n vm-db-os-inc2 --source vm-db-os --incremental true -o none
guest -g rg-backup -n vm-db echo '2001,12.50' | sudo tee /srv/orders/2026-11.csv
az snapshot create -g rg-backup -n vm-db-os-inc3 --source vm-db-os --incremental true -o none
az snapshot create -g rg-backup -n vm-db-os-full --source vm-db-os -o none
az snapshot list -g rg-backup -o table
az snapshot copy -g rg-backup -n vm-db-os-oct --source vm-db-os-inc2
