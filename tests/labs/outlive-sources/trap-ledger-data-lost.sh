# expect: steps= traps=ledger-data-lost
# The VM and its disk deleted before any snapshot was taken: nothing holds the ledger any more.
az vm delete -g rg-keep -n vm-ledger --yes
az disk delete -g rg-keep -n vm-ledger-os --yes
az snapshot create -g rg-keep -n vm-ledger-os-snap --source vm-ledger-os
