# expect: steps=incremental-snapshot,copy-snapshot,watch-copy,restore-disk,image-copy,retire-build-vm,gallery,replicate,vm-north-europe traps=image-in-other-region complete after=copy-snapshot
# The student first tries the East US managed image for the North Europe VM.
wait 20m
az disk create -g rg-dr -n vm-app-os-westus -l westus --source snap-app-os-westus -o none
az extension add --name image-copy-extension
az image copy --source-resource-group rg-dr --source-object-name img-app --target-location westus --target-resource-group rg-dr --cleanup
az vm delete -g rg-dr -n vm-golden --yes
az disk delete -g rg-dr -n vm-golden-os --yes
az sig create -g rg-dr -r contosoGallery -o none
az sig image-definition create -g rg-dr -r contosoGallery -i app-linux --publisher Contoso --offer OrdersApp --sku ubuntu-22 --os-type Linux -o none
az sig image-version create -g rg-dr -r contosoGallery -i app-linux -e 1.0.0 --managed-image img-app --target-regions eastus northeurope -o none
az vm create -g rg-dr -n vm-app-ne -l northeurope --image img-app --admin-username azureuser --generate-ssh-keys -o none
DEF_ID=$(az sig image-definition show -g rg-dr -r contosoGallery -i app-linux --query id -o tsv)
az vm create -g rg-dr -n vm-app-ne -l northeurope --image $DEF_ID --admin-username azureuser --generate-ssh-keys -o none
