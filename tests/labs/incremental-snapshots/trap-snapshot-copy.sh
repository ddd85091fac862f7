# expect: steps=first-incremental,october-orders,second-incremental,november-orders,third-incremental,full-snapshot,compare traps=snapshot-copy after=third-incremental
az snapshot create -g rg-backup -n vm-db-os-full --source vm-db-os -o none
az snapshot list -g rg-backup -o table
az snapshot copy -g rg-backup -n vm-db-os-oct --source vm-db-os-inc2
