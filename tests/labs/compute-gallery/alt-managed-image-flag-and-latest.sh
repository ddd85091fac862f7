# expect: complete traps=
# The VM id through --managed-image (az accepts it there too), long flag names, per-region replica
# counts, --no-wait with az sig image-version wait, the West US 2 VM pinned through a version id
# built from the definition's id, release 1 read through Run Command, an ISO timestamp for the end
# of life, and region display names.
az sig create --resource-group rg-gallery --gallery-name webGallery -o none
az sig image-definition create --resource-group rg-gallery --gallery-name webGallery --gallery-image-definition ubuntu-web --publisher Contoso --offer WebServer --sku 22.04-web --os-type linux --os-state Generalized --hyper-v-generation V2 --features SecurityType=TrustedLaunchSupported -o none
VM1_ID=$(az vm show -g rg-gallery -n vm-build-1 --query id -o tsv)
az sig image-version create --resource-group rg-gallery --gallery-name webGallery --gallery-image-definition ubuntu-web --gallery-image-version 1.0.0 --managed-image $VM1_ID --target-regions eastus=1 westus2=2 --no-wait
az sig image-version wait --resource-group rg-gallery --gallery-name webGallery --gallery-image-definition ubuntu-web --gallery-image-version 1.0.0 --created
DEF_ID=$(az sig image-definition show -g rg-gallery -r webGallery -i ubuntu-web --query id -o tsv)
az vm create -g rg-gallery -n vm-web-west --location westus2 --image $DEF_ID/versions/1.0.0 --admin-username azureuser --generate-ssh-keys -o none
VM2_ID=$(az vm show -g rg-gallery -n vm-build-2 --query id -o tsv)
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --virtual-machine $VM2_ID --target-regions "East US" "West US 2" --no-wait
wait 45m
az sig image-version update -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --set publishingProfile.excludeFromLatest=true -o none
az vm create -g rg-gallery -n vm-web-east --image $DEF_ID --admin-username azureuser --generate-ssh-keys -o none
az vm run-command invoke -g rg-gallery -n vm-web-east --command-id RunShellScript --scripts "ls /srv/web" --query "value[0].message" -o tsv
az sig image-version update -g rg-gallery -r webGallery -i ubuntu-web -e 2.0.0 --set publishingProfile.endOfLifeDate=2027-03-31T00:00:00+00:00 -o none
az sig image-version delete -g rg-gallery -r pilotGallery -i web-pilot -e 0.9.0
az sig image-definition delete -g rg-gallery -r pilotGallery -i web-pilot
az sig delete -g rg-gallery -r pilotGallery
