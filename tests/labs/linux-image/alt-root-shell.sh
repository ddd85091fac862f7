# expect: complete traps=
# A root shell opened before waagent survives the account's deletion, so the machine ID can be
# reset after deprovisioning; nginx with apt, the deprovisioning without its prompt (-force).
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n vm-golden sudo -i
guest -g rg-images -n vm-golden apt install -y nginx
guest -g rg-images -n vm-golden waagent -force -deprovision+user
guest -g rg-images -n vm-golden cloud-init clean --machine-id
guest -g rg-images -n vm-golden exit
az vm deallocate -g rg-images -n vm-golden
az vm generalize -g rg-images -n vm-golden
az image create -g rg-images -n img-nginx --source vm-golden --hyper-v-generation V2 -o none
az vm create -g rg-images -n web --image img-nginx --count 3 --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n web0 cat /etc/machine-id
guest -g rg-images -n web2 hostname
guest -g rg-images -n web1 cat /etc/machine-id
