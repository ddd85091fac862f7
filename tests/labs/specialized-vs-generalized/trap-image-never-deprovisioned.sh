# expect: steps=snapshot-os traps=image-never-deprovisioned
# An image straight from the snapshot of a specialized OS: az accepts it, the VM times out.
az snapshot create -g rg-app -n snap-app-os --source vm-app-os -o none
az image create -g rg-app -n img-app --source snap-app-os --os-type linux --hyper-v-generation V2 -o none
az vm create -g rg-app -n app --image img-app --admin-username azureuser --generate-ssh-keys -o none
