# expect: steps=snapshot-copy,vm-from-snapshot traps=
# The later steps' mistakes and fixes, made while step 1 is current, count for nothing: each step
# needs its own failure after it becomes current. Once the student fixes data-old early, step 3
# still waits for a refused delete.
az vm generalize -g rg-traps -n vm-build
az vm deallocate -g rg-traps -n vm-build
az vm generalize -g rg-traps -n vm-build
az image create -g rg-traps -n img-build --source vm-build
az image create -g rg-traps -n img-build --source vm-build --hyper-v-generation V2 -o none
az vm start -g rg-traps -n vm-build
az vm stop -g rg-traps -n vm-api
az vm deallocate -g rg-traps -n vm-api
az disk delete -g rg-traps -n data-old --yes
az vm disk detach -g rg-traps --vm-name vm-web -n data-old
az disk delete -g rg-traps -n data-old --yes
az image create -g rg-traps -n img-crm --source vm-crm --hyper-v-generation V2
az image create -g rg-traps -n img-tl --source vm-tl --hyper-v-generation V2
az snapshot copy -g rg-traps -n snap-logs-westus2 --source snap-logs
SNAP_ID=$(az snapshot show -g rg-traps -n snap-logs --query id -o tsv)
az snapshot create -g rg-traps -n snap-logs-westus2 -l westus2 --source $SNAP_ID --incremental true --copy-start true -o none
az vm create -g rg-traps -n vm-web-restored --image snap-web-os --admin-username azureuser --generate-ssh-keys
az disk create -g rg-traps -n vm-web-restored-os --source snap-web-os -o none
az vm create -g rg-traps -n vm-web-restored --attach-os-disk vm-web-restored-os --os-type linux -o none
az vm create -g rg-traps -n vm-build2 --image img-build --admin-username azureuser --generate-ssh-keys -o none
