# expect: steps=incremental-snapshot,copy-snapshot,watch-copy,restore-disk,image-copy,retire-build-vm traps=image-copy-source-deleted after=copy-snapshot
# After the build disk is gone, the student reaches for az image copy again to go to North Europe.
wait 20m
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus -o none
az extension add --name image-copy-extension
az image copy --source-resource-group rg-dr --source-object-name img-app --target-location westus --target-resource-group rg-dr --cleanup
az vm delete -g rg-dr -n vm-golden --yes
az disk delete -g rg-dr -n vm-golden-os --yes
az image copy --source-resource-group rg-dr --source-object-name img-app --target-location northeurope --target-resource-group rg-dr --cleanup
