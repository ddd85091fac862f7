# expect: steps=incremental-snapshot,copy-snapshot,watch-copy,restore-disk traps=source-in-other-region after=copy-snapshot
# Without -l the disk is created in the group's region (eastus), where the westus copy is not found.
wait 20m
az disk create -g rg-dr -n vm-app-os-westus --source snap-app-os-westus
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus -o none
