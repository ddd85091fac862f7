# expect: steps=gallery,definition,version-1 traps=generation-mismatch
# Following an older habit, the definition is made generation 1; the Gen2 build VM is refused.
az sig create -g rg-gallery -r webGallery -o none
az sig image-definition create -g rg-gallery -r webGallery -i ubuntu-web --publisher Contoso --offer WebServer --sku 22.04-web --os-type Linux --hyper-v-generation V1 -o none
VM1_ID=$(az vm show -g rg-gallery -n vm-build-1 --query id -o tsv)
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --virtual-machine $VM1_ID --target-regions eastus westus2 -o none
az sig image-definition delete -g rg-gallery -r webGallery -i ubuntu-web
az sig image-definition create -g rg-gallery -r webGallery -i ubuntu-web --publisher Contoso --offer WebServer --sku 22.04-web --os-type Linux -o none
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --virtual-machine $VM1_ID --target-regions eastus westus2 -o none
