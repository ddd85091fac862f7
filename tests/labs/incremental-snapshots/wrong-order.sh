# expect: steps=first-incremental,october-orders traps=
# The whole chain taken before any data arrives: the snapshots exist, but inc2 and inc3 were taken
# before the imports they should follow, so no later step completes; nor does the restore.
az snapshot create -g rg-backup -n vm-db-os-inc1 --source vm-db-os --incremental true -o none
az snapshot create -g rg-backup -n vm-db-os-inc2 --source vm-db-os --incremental true -o none
az snapshot create -g rg-backup -n vm-db-os-inc3 --source vm-db-os --incremental true -o none
az snapshot create -g rg-backup -n vm-db-os-full --source vm-db-os -o none
az snapshot list -g rg-backup -o table
guest -g rg-backup -n vm-db echo '1001,49.90' | sudo tee /srv/orders/2026-10.csv
guest -g rg-backup -n vm-db echo '2001,12.50' | sudo tee /srv/orders/2026-11.csv
az disk create -g rg-backup -n vm-db-os-oct --source vm-db-os-inc2 -o none
az vm create -g rg-backup -n vm-db-oct --attach-os-disk vm-db-os-oct --os-type linux -o none
guest -g rg-backup -n vm-db-oct ls /srv/orders
