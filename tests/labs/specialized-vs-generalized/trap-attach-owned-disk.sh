# expect: steps=snapshot-os traps=attach-owned-disk
# Attaching the live server's own disk instead of a copy of it.
az vm create -g rg-app -n vm-clone --attach-os-disk vm-app-os --os-type linux -o none
az snapshot create -g rg-app -n snap-app-os --source vm-app-os -o none
