# expect: steps=create-source traps=generalize-running,capture-not-generalized
# Deallocating before Sysprep and before IIS: nothing after the first step completes early.
az vm create -g rg-images -n vm-golden --image Win2022Datacenter --security-type Standard --admin-username azureuser --admin-password 'Lab-Passw0rd-2026!' -o none
az vm deallocate -g rg-images -n vm-golden
az vm start -g rg-images -n vm-golden
az vm generalize -g rg-images -n vm-golden
az image create -g rg-images -n img-web --source vm-golden --hyper-v-generation V2
guest -g rg-images -n vm-golden whoami /user
