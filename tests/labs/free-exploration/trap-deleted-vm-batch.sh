# expect: steps= traps=deleted-vm-batch
# Deleting the VM ends its compute bill too, but the goal was to keep it.
az vm delete -g rg-sandbox -n vm-batch --yes
