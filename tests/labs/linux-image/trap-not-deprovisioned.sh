# expect: steps=create-source,install-nginx,clear-machine-id traps=not-deprovisioned
# The guest is never deprovisioned: Azure accepts generalize and capture, but the new VM times out.
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-images -n vm-golden sudo apt-get install -y nginx
guest -g rg-images -n vm-golden sudo cloud-init clean --machine-id
az vm deallocate -g rg-images -n vm-golden
az vm generalize -g rg-images -n vm-golden
az image create -g rg-images -n img-nginx --source vm-golden --hyper-v-generation V2 -o none
az vm create -g rg-images -n web --image img-nginx --admin-username azureuser --generate-ssh-keys -o none
