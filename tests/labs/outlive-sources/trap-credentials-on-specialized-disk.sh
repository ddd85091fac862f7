# expect: complete traps=credentials-on-specialized-disk
# New credentials for a specialized disk are refused; without them the VM boots the old server.
az snapshot create -g rg-keep -n vm-ledger-os-snap --source vm-ledger-os -o none
az vm delete -g rg-keep -n vm-ledger --yes
az disk delete -g rg-keep -n vm-ledger-os --yes
az vm delete -g rg-keep -n vm-golden --yes
az disk delete -g rg-keep -n vm-golden-os --yes
az image show -g rg-keep -n img-golden
az snapshot show -g rg-keep -n vm-ledger-os-snap
az vm create -g rg-keep -n vm-web --image img-golden --admin-username azureuser --generate-ssh-keys -o none
az disk create -g rg-keep -n vm-ledger-os-restored --source vm-ledger-os-snap -o none
az vm create -g rg-keep -n vm-ledger --attach-os-disk vm-ledger-os-restored --os-type linux --admin-username azureuser --generate-ssh-keys
az vm create -g rg-keep -n vm-ledger --attach-os-disk vm-ledger-os-restored --os-type linux -o none
guest -g rg-keep -n vm-ledger cat /srv/ledger/2025.csv
