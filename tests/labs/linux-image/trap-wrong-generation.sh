# expect: steps=create-source,install-nginx,clear-machine-id,deprovision,deallocate,generalize traps=wrong-generation
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n vm-golden sudo apt-get install -y nginx
guest -g rg-images -n vm-golden sudo cloud-init clean --machine-id
guest -g rg-images -n vm-golden sudo waagent -deprovision+user
y
az vm deallocate -g rg-images -n vm-golden
az vm generalize -g rg-images -n vm-golden
az image create -g rg-images -n img-nginx --source vm-golden
