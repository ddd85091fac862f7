# expect: steps=incremental-snapshot,copy-snapshot,watch-copy,restore-disk traps=disk-before-copy-completes after=copy-snapshot
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus
wait 5m
az snapshot show -g rg-dr -n snap-app-os-westus --query completionPercent
wait 15m
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus -o none
