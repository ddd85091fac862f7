# expect: steps=snapshot-ledger traps=delete-attached-disk
# vm-golden's disk before its VM (refused), the web server and the restored disk before the
# deletions they follow: only the snapshot step completes; the rest wait for vm-ledger's deletion.
az disk delete -g rg-keep -n vm-golden-os --yes
az vm delete -g rg-keep -n vm-golden --yes
az disk delete -g rg-keep -n vm-golden-os --yes
az vm create -g rg-keep -n vm-web --image img-golden --admin-username azureuser --generate-ssh-keys -o none
az image show -g rg-keep -n img-golden
az snapshot list -g rg-keep -o table
az snapshot create -g rg-keep -n vm-ledger-os-snap --source vm-ledger-os -o none
az disk create -g rg-keep -n vm-ledger-os-restored --source vm-ledger-os-snap -o none
