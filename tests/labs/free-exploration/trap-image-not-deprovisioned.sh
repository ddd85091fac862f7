# expect: steps=golden-image traps=image-not-deprovisioned
# vm-golden is generalized in Azure without waagent in the guest: the image is accepted, its VMs
# never provision (one command, one trap). vm-golden cannot start again, so the student builds a
# new template VM and meets the goal with another managed image.
az vm deallocate -g rg-sandbox -n vm-golden
az vm generalize -g rg-sandbox -n vm-golden
az image create -g rg-sandbox -n img-golden --source vm-golden --hyper-v-generation V2 -o none
az vm create -g rg-sandbox -n web --image img-golden --count 2 --admin-username azureuser --generate-ssh-keys -o none
az vm create -g rg-sandbox -n vm-golden2 --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-sandbox -n vm-golden2 sudo apt-get install -y nginx
guest -g rg-sandbox -n vm-golden2 sudo waagent -deprovision+user
y
az vm deallocate -g rg-sandbox -n vm-golden2
az vm generalize -g rg-sandbox -n vm-golden2
az image create -g rg-sandbox -n img-golden2 --source vm-golden2 --hyper-v-generation V2 -o none
az vm create -g rg-sandbox -n app --image img-golden2 --count 2 --admin-username azureuser --generate-ssh-keys -o none
