# expect: steps=create-source traps=generalize-running,not-deprovisioned
# Azure-side steps first, the guest never prepared: nothing after the first step completes early.
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
az vm generalize -g rg-images -n vm-golden
az vm deallocate -g rg-images -n vm-golden
az vm generalize -g rg-images -n vm-golden
az image create -g rg-images -n img-nginx --source vm-golden --hyper-v-generation V2 -o none
az vm create -g rg-images -n web --image img-nginx --count 3 --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n vm-golden sudo apt-get install -y nginx
