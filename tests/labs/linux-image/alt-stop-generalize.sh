# expect: steps=create-source,install-nginx,clear-machine-id,deprovision,generalize,capture,deploy,verify-identity complete traps=
# The VM is stopped, never deallocated: Azure generalizes a stopped VM. The optional deallocate step
# is passed over (not completed). The machine ID is emptied with truncate instead of cloud-init.
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n vm-golden sudo apt-get install -y nginx
guest -g rg-images -n vm-golden sudo truncate -s 0 /etc/machine-id
guest -g rg-images -n vm-golden sudo waagent -deprovision+user
y
az vm stop -g rg-images -n vm-golden
az vm generalize -g rg-images -n vm-golden
az image create -g rg-images -n img-nginx --source vm-golden --hyper-v-generation V2 -o none
az vm create -g rg-images -n web --image img-nginx --count 3 --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n web0 cat /etc/machine-id
guest -g rg-images -n web1 cat /etc/machine-id
