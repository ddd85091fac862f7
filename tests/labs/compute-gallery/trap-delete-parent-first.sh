# expect: complete traps=delete-parent-first
# The whole lab, but the pilot gallery is deleted top-down first.
az sig create -g rg-gallery -r webGallery -o none
az sig image-definition create -g rg-gallery -r webGallery -i ubuntu-web --publisher Contoso --offer WebServer --sku 22.04-web --os-type Linux -o none
VM1_ID=$(az vm show -g rg-gallery -n vm-build-1 --query id -o tsv)
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --virtual-machine $VM1_ID --target-regions eastus westus2 -o none
VER1_ID=$(az sig image-version show -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --query id -o tsv)
az vm create -g rg-gallery -n vm-web-west -l westus2 --image $VER1_ID --admin-username azureuser --generate-ssh-keys -o none
VM2_ID=$(az vm show -g rg-gallery -n vm-build-2 --query id -o tsv)
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --virtual-machine $VM2_ID --target-regions eastus westus2 -o none
az sig image-version update -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --set publishingProfile.excludeFromLatest=true -o none
DEF_ID=$(az sig image-definition show -g rg-gallery -r webGallery -i ubuntu-web --query id -o tsv)
az vm create -g rg-gallery -n vm-web-east --image $DEF_ID --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-gallery -n vm-web-east ls /srv/web
az sig image-version update -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --set publishingProfile.endOfLifeDate=2027-03-31 -o none
az sig delete -g rg-gallery -r pilotGallery
az sig image-version delete -g rg-gallery -r pilotGallery -i web-pilot -e 0.9.0
az sig image-definition delete -g rg-gallery -r pilotGallery -i web-pilot
az sig delete -g rg-gallery -r pilotGallery
