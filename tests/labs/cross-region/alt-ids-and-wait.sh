# expect: complete traps=
# Ids instead of names, --incremental alone (az adds CopyStart for another region), az snapshot wait,
# a chosen target name for the image copy, --ids deletes, --no-wait replication with a replica count,
# and the version id instead of the definition's.
OSDISK=$(az vm show -g rg-dr -n vm-app --query storageProfile.osDisk.managedDisk.id -o tsv)
az snapshot create -g rg-dr -n snap-app-os --source $OSDISK --incremental true -o none
SNAP_ID=$(az snapshot show -g rg-dr -n snap-app-os --query id -o tsv)
az snapshot create -g rg-dr -n snap-app-os-westus --location westus --source $SNAP_ID --incremental true -o none
az snapshot wait -g rg-dr -n snap-app-os-westus --custom 'properties.completionPercent==`100`'
COPY_ID=$(az snapshot show -g rg-dr -n snap-app-os-westus --query id -o tsv)
az disk create -g rg-dr -n vm-app-os-westus --location westus --source $COPY_ID -o none
az extension add --name image-copy-extension
az image copy --source-resource-group rg-dr --source-object-name img-app --target-location westus --target-resource-group rg-dr --target-name img-app-dr
VM_ID=$(az vm show -g rg-dr -n vm-golden --query id -o tsv)
DISK_ID=$(az disk show -g rg-dr -n vm-golden-os --query id -o tsv)
az vm delete --ids $VM_ID --yes
az disk delete --ids $DISK_ID --yes
az sig create -g rg-dr --gallery-name contosoGallery -o none
az sig image-definition create -g rg-dr --gallery-name contosoGallery --gallery-image-definition app-linux --publisher Contoso --offer OrdersApp --sku ubuntu-22 --os-type linux --os-state Generalized --hyper-v-generation V2 -o none
IMG_ID=$(az image show -g rg-dr -n img-app --query id -o tsv)
az sig image-version create -g rg-dr --gallery-name contosoGallery --gallery-image-definition app-linux --gallery-image-version 1.0.0 --managed-image $IMG_ID --target-regions eastus northeurope=2 --no-wait
az sig image-version wait -g rg-dr --gallery-name contosoGallery --gallery-image-definition app-linux --gallery-image-version 1.0.0 --created
VER_ID=$(az sig image-version show -g rg-dr --gallery-name contosoGallery --gallery-image-definition app-linux --gallery-image-version 1.0.0 --query id -o tsv)
az vm create -g rg-dr -n vm-app-ne --location northeurope --image $VER_ID --admin-username azureuser --generate-ssh-keys -o none
