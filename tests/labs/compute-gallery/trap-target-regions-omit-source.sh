# expect: steps=gallery,definition,version-1 traps=target-regions-omit-source
# "It is for West US 2", so only westus2 is listed; the version's own region is missing.
az sig create -g rg-gallery -r webGallery -o none
az sig image-definition create -g rg-gallery -r webGallery -i ubuntu-web --publisher Contoso --offer WebServer --sku 22.04-web --os-type Linux -o none
VM1_ID=$(az vm show -g rg-gallery -n vm-build-1 --query id -o tsv)
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --virtual-machine $VM1_ID --target-regions westus2 -o none
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --virtual-machine $VM1_ID --target-regions eastus westus2 -o none
