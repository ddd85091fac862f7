# expect: steps=first-incremental traps=full-in-the-chain
# Forgetting --incremental makes a full snapshot; it cannot be converted, so it is deleted and redone.
az snapshot create -g rg-backup -n vm-db-os-inc1 --source vm-db-os -o none
az snapshot create -g rg-backup -n vm-db-os-inc1 --source vm-db-os --incremental true -o none
az snapshot delete -g rg-backup -n vm-db-os-inc1
az snapshot create -g rg-backup -n vm-db-os-inc1 --source vm-db-os --incremental true -o none
