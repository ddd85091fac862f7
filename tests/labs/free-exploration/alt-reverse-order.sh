# expect: steps=restore-disk,replicate-version,stop-compute-billing,incremental-snapshot,golden-image traps= complete
# The goals in the reverse order, by other routes: ids; a version from the generalized template VM,
# first in East US only, then updated to add West US 2; stop then deallocate; two single VM
# creates from the image instead of --count.
SNAP_ID=$(az snapshot show -g rg-sandbox -n snap-archive --query id -o tsv)
DISK_ID=$(az disk create -g rg-sandbox -n disk-archive-restored --source $SNAP_ID --sku StandardSSD_LRS --query id -o tsv)
az vm disk attach -g rg-sandbox --vm-name vm-web --name $DISK_ID --lun 5
guest -g rg-sandbox -n vm-golden sudo waagent -deprovision+user -force
GOLDEN_ID=$(az vm show -g rg-sandbox -n vm-golden --query id -o tsv)
az vm deallocate --ids $GOLDEN_ID
az vm generalize --ids $GOLDEN_ID
az sig image-definition create -g rg-sandbox -r galsandbox -i def-golden -p Contoso -f golden -s ubuntu22 --os-type Linux --os-state Generalized --hyper-v-generation V2 -o none
az sig image-version create -g rg-sandbox -r galsandbox -i def-golden -e 1.0.0 --virtual-machine $GOLDEN_ID -o none
az sig image-version update -g rg-sandbox -r galsandbox -i def-golden -e 1.0.0 --target-regions eastus westus2 -o none
az vm stop -g rg-sandbox -n vm-batch
az vm deallocate -g rg-sandbox -n vm-batch
DATA_ID=$(az disk show -g rg-sandbox -n data-web --query id -o tsv)
az snapshot create -g rg-sandbox -n snap-data-web-1 --source $DATA_ID --incremental true -o none
az image create -g rg-sandbox -n img-golden --source $GOLDEN_ID --hyper-v-generation V2 -o none
az vm create -g rg-sandbox -n web1 --image img-golden --size Standard_B2s --admin-username azureuser --generate-ssh-keys -o none
az vm create -g rg-sandbox -n web2 --image img-golden --size Standard_B2s --admin-username azureuser --generate-ssh-keys -o none
