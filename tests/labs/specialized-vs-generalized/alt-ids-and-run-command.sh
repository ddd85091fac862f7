# expect: complete traps=
# Resource ids instead of names, an incremental snapshot, Run Command instead of the console
# (waagent with -force: Run Command cannot answer a prompt), stop then generalize then deallocate.
OSDISK=$(az vm show -g rg-app -n vm-app --query storageProfile.osDisk.managedDisk.id -o tsv)
az snapshot create -g rg-app -n snap-app-os --source $OSDISK --incremental true -o none
SNAP=$(az snapshot show -g rg-app -n snap-app-os --query id -o tsv)
az disk create -g rg-app -n vm-clone-os --source $SNAP -o none
DISK=$(az disk show -g rg-app -n vm-clone-os --query id -o tsv)
az vm create -g rg-app -n vm-clone --attach-os-disk $DISK --os-type Linux -o none
CLONE=$(az vm show -g rg-app -n vm-clone --query id -o tsv)
az vm run-command invoke --ids $CLONE --command-id RunShellScript --scripts "cat /etc/machine-id" -o none
az vm run-command invoke -g rg-app -n vm-app --command-id RunShellScript --scripts "cat /etc/machine-id" -o none
az vm run-command invoke --ids $CLONE --command-id RunShellScript --scripts "cloud-init clean --machine-id" "waagent -deprovision+user -force" -o none
az vm stop --ids $CLONE
az vm generalize --ids $CLONE
az vm deallocate --ids $CLONE
az image create -g rg-app -n img-app --source $CLONE --hyper-v-generation V2 -o none
IMG=$(az image show -g rg-app -n img-app --query id -o tsv)
az vm create -g rg-app -n app --image $IMG --count 2 --admin-username azureuser --generate-ssh-keys -o none
az vm run-command invoke -g rg-app -n app0 --command-id RunShellScript --scripts "cat /etc/machine-id" -o none
az vm run-command invoke -g rg-app -n app1 --command-id RunShellScript --scripts "cat /etc/machine-id" -o none
