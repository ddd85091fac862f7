# expect: steps=snapshot-os,disk-from-snapshot,create-clone,compare-identity,prepare-clone traps=deprovisioned-too-soon after=create-clone
# waagent first: sudo is gone. The student makes a fresh copy from the snapshot and does it in order.
guest -g rg-app -n vm-clone cat /etc/machine-id
guest -g rg-app -n vm-app cat /etc/machine-id
guest -g rg-app -n vm-clone sudo waagent -deprovision+user
y
guest -g rg-app -n vm-clone sudo cloud-init clean --machine-id
az vm delete -g rg-app -n vm-clone --yes
az disk create -g rg-app -n vm-clone-os2 --source snap-app-os -o none
az vm create -g rg-app -n vm-clone --attach-os-disk vm-clone-os2 --os-type linux -o none
guest -g rg-app -n vm-clone sudo cloud-init clean --machine-id
guest -g rg-app -n vm-clone sudo waagent -deprovision+user
y
