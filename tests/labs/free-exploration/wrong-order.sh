# expect: steps= traps=
# Near misses, each refused by Azure or short of its goal; none may count as met:
# stopped (not deallocated), a full snapshot and an incremental one of the OS disk, a restored disk
# attached to vm-batch instead of vm-web, a version in East US only, a version without its source
# region, a managed image of a VM not generalized, and a VM given as an image.
az vm stop -g rg-sandbox -n vm-batch
az snapshot create -g rg-sandbox -n snap-data-web-full --source data-web -o none
az snapshot create -g rg-sandbox -n snap-web-os-1 --source vm-web-os --incremental true -o none
az disk create -g rg-sandbox -n disk-archive-restored --source snap-archive -o none
az vm disk attach -g rg-sandbox --vm-name vm-batch -n disk-archive-restored
az sig image-definition create -g rg-sandbox -r galsandbox -i def-web -p Contoso -f web -s ubuntu22-specialized --os-type Linux --os-state Specialized -o none
VM_ID=$(az vm show -g rg-sandbox -n vm-web --query id -o tsv)
az sig image-version create -g rg-sandbox -r galsandbox -i def-web -e 1.0.0 --virtual-machine $VM_ID -o none
az sig image-version create -g rg-sandbox -r galsandbox -i def-web -e 1.0.1 --virtual-machine $VM_ID --target-regions westus2 -o none
az image create -g rg-sandbox -n img-golden --source vm-golden --hyper-v-generation V2
az vm create -g rg-sandbox -n web --image vm-golden --count 2 --admin-username azureuser --generate-ssh-keys
wait 2h
