# expect: steps=snapshot-copy,vm-from-snapshot,delete-attached-disk traps=deleted-vm-to-free-disk after=vm-from-snapshot
# Azure refuses to delete the attached disk, so the student deletes the whole VM to free it.
az disk delete -g rg-traps -n data-old --yes
az vm delete -g rg-traps -n vm-web --yes
az disk delete -g rg-traps -n data-old --yes
