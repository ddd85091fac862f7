# expect: steps=incremental-snapshot,copy-snapshot,watch-copy,restore-disk,image-copy traps=image-copy-needs-extension after=copy-snapshot
wait 20m
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus -o none
az image copy --source-resource-group rg-dr --source-object-name img-app --target-location westus --target-resource-group rg-dr
az extension add --name image-copy-extension
az image copy --source-resource-group rg-dr --source-object-name img-app --target-location westus --target-resource-group rg-dr --cleanup
