# expect: steps=incremental-snapshot,copy-snapshot,watch-copy,restore-disk traps=source-in-other-region
# Without -l the disk is created in the group's region (eastus), where the westus copy is not found.
az snapshot create -g rg-dr -n snap-app-os --source vm-app-os --incremental true -o none
SNAP_ID=$(az snapshot show -g rg-dr -n snap-app-os --query id -o tsv)
az snapshot create -g rg-dr -n snap-app-os-westus -l westus --source $SNAP_ID --incremental true --copy-start true -o none
wait 20m
az disk create -g rg-dr -n vm-app-os-westus --source snap-app-os-westus
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus -o none
