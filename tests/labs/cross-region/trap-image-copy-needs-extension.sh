# expect: steps=incremental-snapshot,copy-snapshot,watch-copy,restore-disk,image-copy traps=image-copy-needs-extension
az snapshot create -g rg-dr -n snap-app-os --source vm-app-os --incremental true -o none
SNAP_ID=$(az snapshot show -g rg-dr -n snap-app-os --query id -o tsv)
az snapshot create -g rg-dr -n snap-app-os-westus -l westus --source $SNAP_ID --incremental true --copy-start true -o none
wait 20m
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus -o none
az image copy --source-resource-group rg-dr --source-object-name img-app --target-location westus --target-resource-group rg-dr
az extension add --name image-copy-extension
az image copy --source-resource-group rg-dr --source-object-name img-app --target-location westus --target-resource-group rg-dr --cleanup
