# expect: steps=snapshot-ledger,delete-ledger-vm,delete-ledger-disk traps=deleted-the-image
# Retiring vm-golden by deleting everything named after it, the image included: step 4 can no
# longer complete, since it asks to keep img-golden.
az snapshot create -g rg-keep -n vm-ledger-os-snap --source vm-ledger-os -o none
az vm delete -g rg-keep -n vm-ledger --yes
az disk delete -g rg-keep -n vm-ledger-os --yes
az image delete -g rg-keep -n img-golden
az vm delete -g rg-keep -n vm-golden --yes
az disk delete -g rg-keep -n vm-golden-os --yes
