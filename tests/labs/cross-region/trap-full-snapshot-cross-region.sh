# expect: steps=incremental-snapshot,copy-snapshot traps=full-snapshot-cross-region
# A full snapshot cannot be the source of a CopyStart copy; the student starts again with an incremental one.
az snapshot create -g rg-dr -n snap-full --source vm-app-os -o none
FULL_ID=$(az snapshot show -g rg-dr -n snap-full --query id -o tsv)
az snapshot create -g rg-dr -n snap-app-os-westus -l westus --source $FULL_ID --incremental true --copy-start true
az snapshot delete -g rg-dr -n snap-full
az snapshot create -g rg-dr -n snap-app-os --source vm-app-os --incremental true -o none
SNAP_ID=$(az snapshot show -g rg-dr -n snap-app-os --query id -o tsv)
az snapshot create -g rg-dr -n snap-app-os-westus -l westus --source $SNAP_ID --incremental true --copy-start true -o none
