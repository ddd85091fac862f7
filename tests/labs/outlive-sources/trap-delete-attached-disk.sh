# expect: steps=snapshot-ledger,delete-ledger-vm,delete-ledger-disk traps=delete-attached-disk
# The disk first, while vm-ledger still holds it: refused. Then the VM, then the disk.
az snapshot create -g rg-keep -n vm-ledger-os-snap --source vm-ledger-os -o none
az disk delete -g rg-keep -n vm-ledger-os --yes
az vm delete -g rg-keep -n vm-ledger --yes
az disk delete -g rg-keep -n vm-ledger-os --yes
