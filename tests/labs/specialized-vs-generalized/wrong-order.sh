# expect: steps=snapshot-os traps=vm-from-snapshot,generalize-original,capture-specialized,attach-owned-disk
# The VM before the snapshot, the image before any copy, the live disk attached: no later step
# completes early.
az vm create -g rg-app -n vm-clone --image snap-app-os --admin-username azureuser --generate-ssh-keys -o none
az vm generalize -g rg-app -n vm-app
az image create -g rg-app -n img-app --source vm-app --hyper-v-generation V2 -o none
az vm create -g rg-app -n app --image img-app --count 2 --admin-username azureuser --generate-ssh-keys -o none
guest -g rg-app -n vm-clone cat /etc/machine-id
az snapshot create -g rg-app -n snap-app-os --source vm-app-os -o none
az vm create -g rg-app -n vm-clone --attach-os-disk vm-app-os --os-type linux -o none
guest -g rg-app -n vm-app cat /etc/machine-id
