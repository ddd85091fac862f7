# expect: steps=incremental-snapshot,copy-snapshot traps=snapshot-copy-command
# The seed texts' `az snapshot copy` does not exist; the copy is a CopyStart `az snapshot create`.
az snapshot create -g rg-dr -n snap-app-os --source vm-app-os --incremental true -o none
az snapshot copy -g rg-dr -n snap-app-os-westus --source snap-app-os -l westus
SNAP_ID=$(az snapshot show -g rg-dr -n snap-app-os --query id -o tsv)
az snapshot create -g rg-dr -n snap-app-os-westus -l westus --source $SNAP_ID --incremental true --copy-start true -o none
