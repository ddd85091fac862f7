# expect: steps=replicate-version traps=generalized-in-use-vm
# To publish vm-web, the student generalizes it: Azure accepts, the version replicates, the goal is
# met, and the web server can never start again.
az vm deallocate -g rg-sandbox -n vm-web
az vm generalize -g rg-sandbox -n vm-web
az sig image-definition create -g rg-sandbox -r galsandbox -i def-web -p Contoso -f web -s ubuntu22 --os-type Linux -o none
VM_ID=$(az vm show -g rg-sandbox -n vm-web --query id -o tsv)
az sig image-version create -g rg-sandbox -r galsandbox -i def-web -e 1.0.0 --virtual-machine $VM_ID --target-regions eastus westus2 -o none
