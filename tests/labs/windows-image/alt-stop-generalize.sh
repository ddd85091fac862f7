# expect: steps=create-source,install-iis,sysprep,generalize,capture,deploy,verify-identity complete traps= after=sysprep
# The VM is never deallocated: Sysprep leaves it stopped, and Azure generalizes a stopped VM. The
# optional deallocate step is passed over (not completed), and the VMs get no --security-type.
az vm generalize -g rg-images -n vm-golden
az image create -g rg-images -n img-web --source vm-golden --hyper-v-generation V2 -o none
az vm create -g rg-images -n web --image img-web --count 3 --admin-username azureuser --admin-password 'Lab-Passw0rd-2026!' -o none
guest -g rg-images -n web0 whoami /user
guest -g rg-images -n web1 whoami /user
