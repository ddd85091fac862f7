# expect: steps=first-incremental,october-orders,second-incremental,november-orders,third-incremental,full-snapshot,compare traps=vm-from-snapshot,vm-from-snapshot after=third-incremental
# Booting straight from the snapshot, as an image and as an OS disk: both refused.
az snapshot create -g rg-backup -n vm-db-os-full --source vm-db-os -o none
az snapshot show -g rg-backup -n vm-db-os-inc2 --query "{size:diskSizeGB, incremental:incremental}"
az vm create -g rg-backup -n vm-db-oct --image vm-db-os-inc2 --admin-username azureuser --generate-ssh-keys
az vm create -g rg-backup -n vm-db-oct --attach-os-disk vm-db-os-inc2 --os-type linux
