# expect: steps=snapshot-copy,vm-from-snapshot traps=image-from-unprepared-disk after=snapshot-copy
# The snapshot is refused as an image, so the student makes a managed image of it: Azure accepts the
# image, but a VM from it never finishes provisioning. Then the right way: a disk, booted as is.
az vm create -g rg-traps -n vm-web-restored --image snap-web-os --admin-username azureuser --generate-ssh-keys
az image create -g rg-traps -n img-web --source snap-web-os --os-type linux --hyper-v-generation V2 -o none
az vm create -g rg-traps -n vm-web-restored --image img-web --admin-username azureuser --generate-ssh-keys -o none
az disk create -g rg-traps -n vm-web-restored-os --source snap-web-os -o none
az vm create -g rg-traps -n vm-web-copy --attach-os-disk vm-web-restored-os --os-type linux -o none
