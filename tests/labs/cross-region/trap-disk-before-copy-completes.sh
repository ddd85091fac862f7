# expect: steps=incremental-snapshot,copy-snapshot,watch-copy,restore-disk traps=disk-before-copy-completes
az snapshot create -g rg-dr -n snap-app-os --source vm-app-os --incremental true -o none
SNAP_ID=$(az snapshot show -g rg-dr -n snap-app-os --query id -o tsv)
az snapshot create -g rg-dr -n snap-app-os-westus -l westus --source $SNAP_ID --incremental true --copy-start true -o none
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus
wait 5m
az snapshot show -g rg-dr -n snap-app-os-westus --query completionPercent
wait 15m
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus -o none
