# expect: steps=snapshot-os,disk-from-snapshot,create-clone traps=credentials-for-specialized
az snapshot create -g rg-app -n snap-app-os --source vm-app-os -o none
az disk create -g rg-app -n vm-clone-os --source snap-app-os -o none
az vm create -g rg-app -n vm-clone --attach-os-disk vm-clone-os --os-type linux --admin-username azureuser --generate-ssh-keys -o none
az vm create -g rg-app -n vm-clone --attach-os-disk vm-clone-os --os-type linux -o none
