# expect: steps=snapshot-os,disk-from-snapshot traps=vm-from-snapshot
az snapshot create -g rg-app -n snap-app-os --source vm-app-os -o none
az vm create -g rg-app -n vm-clone --image snap-app-os --admin-username azureuser --generate-ssh-keys -o none
az disk create -g rg-app -n vm-clone-os --source snap-app-os -o none
