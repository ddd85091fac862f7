# expect: steps=first-incremental traps=premium-incremental
# Asking for Premium storage for an incremental snapshot is refused.
az snapshot create -g rg-backup -n vm-db-os-inc1 --source vm-db-os --incremental true --sku Premium_LRS
az snapshot create -g rg-backup -n vm-db-os-inc1 --source vm-db-os --incremental true -o none
