# expect: complete traps=
# Another correct route: ids instead of names, the snapshot's source by name, a disk id for
# --attach-os-disk, stop (not deallocate) before generalizing, explicit definition flags.
az snapshot copy -g rg-traps -n snap-logs-westus2 --source snap-logs --target-location westus2
az snapshot create -g rg-traps -n snap-logs-westus2 -l westus2 --source snap-logs --incremental true -o none
SNAP_ID=$(az snapshot show -g rg-traps -n snap-web-os --query id -o tsv)
az vm create -g rg-traps -n vm-web-restored --image $SNAP_ID --admin-username azureuser --generate-ssh-keys
DISK_ID=$(az disk create -g rg-traps -n vm-web-restored-os --source $SNAP_ID --query id -o tsv)
az vm create -g rg-traps -n vm-web-restored --attach-os-disk $DISK_ID --os-type Linux --size Standard_B2s -o none
OLD_ID=$(az disk show -g rg-traps -n data-old --query id -o tsv)
az disk delete --ids $OLD_ID --yes
az vm disk detach -g rg-traps --vm-name vm-web --name data-old
az disk delete --ids $OLD_ID --yes
API_ID=$(az vm show -g rg-traps -n vm-api --query id -o tsv)
az vm stop --ids $API_ID
az vm deallocate --ids $API_ID
BUILD_ID=$(az vm show -g rg-traps -n vm-build --query id -o tsv)
az vm generalize --ids $BUILD_ID
az vm stop --ids $BUILD_ID
az vm generalize --ids $BUILD_ID
az vm deallocate --ids $BUILD_ID
az image create -g rg-traps -n img-build --source $BUILD_ID
az image create -g rg-traps -n img-build --source $BUILD_ID --hyper-v-generation V2 -o none
az vm start --ids $BUILD_ID
IMG_ID=$(az image show -g rg-traps -n img-build --query id -o tsv)
az vm create -g rg-traps -n web --image $IMG_ID --count 2 --admin-username azureuser --generate-ssh-keys -o none
CRM_ID=$(az vm show -g rg-traps -n vm-crm --query id -o tsv)
az image create -g rg-traps -n img-crm --source $CRM_ID --hyper-v-generation V2
az sig image-definition create -g rg-traps --gallery-name galtraps --gallery-image-definition def-crm --publisher Contoso --offer crm --sku ubuntu22 --os-type linux --os-state specialized --hyper-v-generation V2 -o none
az sig image-version create -g rg-traps --gallery-name galtraps --gallery-image-definition def-crm --gallery-image-version 1.0.0 --virtual-machine $CRM_ID --target-regions eastus -o none
TL_ID=$(az vm show -g rg-traps -n vm-tl --query id -o tsv)
az image create -g rg-traps -n img-tl --source $TL_ID --hyper-v-generation V2
az sig image-definition create -g rg-traps -r galtraps -i def-web -p Contoso -f web -s ubuntu22-tl --os-type Linux --os-state Generalized --hyper-v-generation V2 --features SecurityType=TrustedLaunchSupported -o none
az sig image-version create -g rg-traps -r galtraps -i def-web -e 1.0.0 --virtual-machine $TL_ID -o none
