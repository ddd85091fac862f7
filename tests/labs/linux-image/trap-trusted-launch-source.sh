# expect: steps=create-source traps=trusted-launch-source
# Today's default makes a Trusted Launch VM; the student deletes it and starts again.
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --admin-username azureuser --generate-ssh-keys -o none
az vm delete -g rg-images -n vm-golden --yes
az vm create -g rg-images -n vm-golden --image Ubuntu2204 --security-type Standard --admin-username azureuser --generate-ssh-keys -o none
