# expect: steps=snapshot-copy,vm-from-snapshot,delete-attached-disk,stop-vs-deallocate,generalize-running,wrong-generation,start-generalized,capture-not-generalized traps=definition-mismatch after=delete-attached-disk
# The definition keeps az's default OS state (Generalized), which a never-generalized VM cannot fill.
az vm stop -g rg-traps -n vm-api
az vm deallocate -g rg-traps -n vm-api
az vm generalize -g rg-traps -n vm-build
az vm deallocate -g rg-traps -n vm-build
az vm generalize -g rg-traps -n vm-build
az image create -g rg-traps -n img-build --source vm-build
az image create -g rg-traps -n img-build --source vm-build --hyper-v-generation V2 -o none
az vm start -g rg-traps -n vm-build
az vm create -g rg-traps -n vm-build2 --image img-build --admin-username azureuser --generate-ssh-keys -o none
az image create -g rg-traps -n img-crm --source vm-crm --hyper-v-generation V2
az sig image-definition create -g rg-traps -r galtraps -i def-crm -p Contoso -f crm -s ubuntu22 --os-type Linux -o none
VM_ID=$(az vm show -g rg-traps -n vm-crm --query id -o tsv)
az sig image-version create -g rg-traps -r galtraps -i def-crm -e 1.0.0 --virtual-machine $VM_ID -o none
az sig image-definition create -g rg-traps -r galtraps -i def-crm-specialized -p Contoso -f crm -s ubuntu22-specialized --os-type Linux --os-state Specialized -o none
az sig image-version create -g rg-traps -r galtraps -i def-crm-specialized -e 1.0.0 --virtual-machine $VM_ID -o none
