# expect: steps=create-source,install-iis,sysprep,deallocate,generalize traps=start-generalized
az vm create -g rg-images -n vm-golden --image Win2022Datacenter --security-type Standard --admin-username azureuser --admin-password 'Lab-Passw0rd-2026!' -o none
guest -g rg-images -n vm-golden Install-WindowsFeature -Name Web-Server
guest -g rg-images -n vm-golden C:\Windows\System32\Sysprep\sysprep.exe /generalize /oobe /shutdown /mode:vm
wait 5m
az vm deallocate -g rg-images -n vm-golden
az vm generalize -g rg-images -n vm-golden
az vm start -g rg-images -n vm-golden
