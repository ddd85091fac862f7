# expect: complete traps=
# IIS through Run Command instead of the console, --ids instead of names, generalize before deallocate.
az vm create -g rg-images -n vm-golden --image Win2022Datacenter --security-type Standard --admin-username azureuser --admin-password 'Lab-Passw0rd-2026!' -o none
ID=$(az vm show -g rg-images -n vm-golden --query id -o tsv)
az vm run-command invoke --ids $ID --command-id RunPowerShellScript --scripts "Install-WindowsFeature -Name Web-Server" -o none
guest -g rg-images -n vm-golden C:\Windows\System32\Sysprep\sysprep.exe /generalize /oobe /shutdown /mode:vm
wait 10m
az vm generalize --ids $ID
az vm deallocate --ids $ID
az image create -g rg-images -n img-web --source $ID --hyper-v-generation V2 -o none
az vm create -g rg-images -n web --image img-web --count 3 --security-type Standard --admin-username azureuser --admin-password 'Lab-Passw0rd-2026!' -o none
guest -g rg-images -n web0 whoami /user
guest -g rg-images -n web1 whoami /user
