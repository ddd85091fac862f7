# expect: steps=create-source,install-nginx,clear-machine-id,deprovision traps=deprovisioned-too-soon
# waagent before the machine ID: sudo is gone. The student rebuilds the template in the right order.
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n vm-golden sudo apt-get install -y nginx
guest -g rg-images -n vm-golden sudo waagent -deprovision+user
y
guest -g rg-images -n vm-golden sudo cloud-init clean --machine-id
az vm delete -g rg-images -n vm-golden --yes
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n vm-golden sudo apt-get install -y nginx
guest -g rg-images -n vm-golden sudo cloud-init clean --machine-id
guest -g rg-images -n vm-golden sudo waagent -deprovision+user
y
