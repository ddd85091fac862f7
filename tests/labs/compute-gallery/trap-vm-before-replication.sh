# expect: steps=gallery,definition,version-1,deploy-west traps=vm-before-replication
# Published with --no-wait, the version is used in westus2 before its replica there completes.
az sig create -g rg-gallery -r webGallery -o none
az sig image-definition create -g rg-gallery -r webGallery -i ubuntu-web --publisher Contoso --offer WebServer --sku 22.04-web --os-type Linux -o none
VM1_ID=$(az vm show -g rg-gallery -n vm-build-1 --query id -o tsv)
az sig image-version create -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --virtual-machine $VM1_ID --target-regions eastus westus2 --no-wait
VER1_ID=$(az sig image-version show -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --query id -o tsv)
az vm create -g rg-gallery -n vm-web-west -l westus2 --image $VER1_ID --admin-username azureuser --generate-ssh-keys -o none
az sig image-version show -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --expand ReplicationStatus --query replicationStatus.summary
wait 30m
az sig image-version show -g rg-gallery -r webGallery -i ubuntu-web -e 1.0.0 --expand ReplicationStatus --query replicationStatus.aggregatedState
az vm create -g rg-gallery -n vm-web-west -l westus2 --image $VER1_ID --admin-username azureuser --generate-ssh-keys -o none
