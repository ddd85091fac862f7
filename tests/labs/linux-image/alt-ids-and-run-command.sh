# expect: complete traps=
# Run Command instead of the console (waagent with -force: Run Command cannot answer a prompt),
# --ids instead of names, stop then generalize then deallocate, the image by its id.
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
ID=$(az vm show -g rg-images -n vm-golden --query id -o tsv)
az vm run-command invoke --ids $ID --command-id RunShellScript --scripts "apt-get install -y nginx" -o none
az vm run-command invoke --ids $ID --command-id RunShellScript --scripts "cloud-init clean --machine-id" -o none
az vm run-command invoke --ids $ID --command-id RunShellScript --scripts "waagent -deprovision+user -force" -o none
az vm stop --ids $ID
az vm generalize --ids $ID
az vm deallocate --ids $ID
az image create -g rg-images -n img-nginx --source $ID --hyper-v-generation V2 -o none
IMG=$(az image show -g rg-images -n img-nginx --query id -o tsv)
az vm create -g rg-images -n web --image $IMG --count 3 --admin-username azureuser --generate-ssh-keys -o none
az vm run-command invoke -g rg-images -n web0 --command-id RunShellScript --scripts "cat /etc/machine-id"
az vm run-command invoke -g rg-images -n web1 --command-id RunShellScript --scripts "cat /etc/machine-id"
