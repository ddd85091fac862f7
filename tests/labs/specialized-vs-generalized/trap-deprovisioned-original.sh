# expect: steps=snapshot-os,disk-from-snapshot,create-clone,compare-identity traps=deprovisioned-original after=create-clone
guest -g rg-app -n vm-clone cat /etc/machine-id
guest -g rg-app -n vm-app cat /etc/machine-id
guest -g rg-app -n vm-app sudo cloud-init clean --machine-id
guest -g rg-app -n vm-app sudo waagent -deprovision+user
y
