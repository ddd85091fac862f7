# expect: steps=create-source traps=trusted-launch-source
# Today's default makes a Trusted Launch VM; the student deletes it and starts again.
az vm create -g rg-images -n vm-golden --image Win2022Datacenter --admin-username azureuser --admin-password 'Lab-Passw0rd-2026!' -o none
az vm delete -g rg-images -n vm-golden --yes
az vm create -g rg-images -n vm-golden --image Win2022Datacenter --security-type Standard --admin-username azureuser --admin-password 'Lab-Passw0rd-2026!' -o none
