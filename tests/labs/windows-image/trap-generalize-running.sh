# expect: steps=create-source,install-iis traps=generalize-running
az vm create -g rg-images -n vm-golden --image Win2022Datacenter --security-type Standard --admin-username azureuser --admin-password 'Lab-Passw0rd-2026!' -o none
guest -g rg-images -n vm-golden Install-WindowsFeature -Name Web-Server
az vm generalize -g rg-images -n vm-golden
