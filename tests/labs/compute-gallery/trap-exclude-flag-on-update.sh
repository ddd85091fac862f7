# expect: steps=gallery,definition,version-1,deploy-west,version-2,rollback traps=exclude-flag-on-update
az sig create -g rg-gallery -r webGallery -o none
az sig image-definition create -g rg-gallery -r webGallery -i ubuntu-web --publisher Contoso --offer WebServer --sku 22.04-web --os-type Linux -o none
VM1_ID=$(az vm show -g rg-gallery -n vm-build-1 --query id -o tsv)
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --virtual-machine $VM1_ID --target-regions eastus westus2 -o none
VER1_ID=$(az sig image-version show -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --query id -o tsv)
az vm create -g rg-gallery -n vm-web-west -l westus2 --image $VER1_ID --admin-username azureuser --generate-ssh-keys -o none
VM2_ID=$(az vm show -g rg-gallery -n vm-build-2 --query id -o tsv)
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --virtual-machine $VM2_ID --target-regions eastus westus2 -o none
az sig image-version update -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --exclude-from-latest true
az sig image-version update -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --set publishingProfile.excludeFromLatest=true -o none
