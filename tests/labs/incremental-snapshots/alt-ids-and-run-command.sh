# expect: complete traps=
# Snapshots by disk id with a bare --incremental, data written through Run Command, the full
# snapshot with an explicit --incremental false, sizes read with az snapshot show, ids for the restore.
DISK_ID=$(az disk show -g rg-backup -n vm-db-os --query id -o tsv)
az snapshot create -g rg-backup -n vm-db-os-inc1 --source $DISK_ID --incremental -o none
az vm run-command invoke -g rg-backup -n vm-db --command-id RunShellScript --scripts "echo '1001,49.90' > /srv/orders/2026-10.csv" -o none
az snapshot create -g rg-backup -n vm-db-os-inc2 --source $DISK_ID --incremental -o none
az vm run-command invoke -g rg-backup -n vm-db --command-id RunShellScript --scripts "echo '2001,12.50' > /srv/orders/2026-11.csv" -o none
az snapshot create -g rg-backup -n vm-db-os-inc3 --source $DISK_ID --incremental -o none
az snapshot create -g rg-backup -n vm-db-os-full --source $DISK_ID --incremental false -o none
az snapshot show -g rg-backup -n vm-db-os-inc3 --query "{size:diskSizeGB, incremental:incremental, sku:sku.name}"
SNAP_ID=$(az snapshot show -g rg-backup -n vm-db-os-inc2 --query id -o tsv)
az disk create -g rg-backup -n vm-db-os-oct --source $SNAP_ID --sku StandardSSD_LRS -o none
OCT_ID=$(az disk show -g rg-backup -n vm-db-os-oct --query id -o tsv)
az vm create -g rg-backup -n vm-db-oct --attach-os-disk $OCT_ID --os-type linux -o none
guest -g rg-backup -n vm-db-oct cat /srv/orders/2026-10.csv
