# expect: steps=restore-disk traps=snapshot-is-not-an-image,snapshot-is-not-an-image
# The student hands the snapshot to az vm create, as an image and then as an OS disk, then
# restores it the right way.
az vm create -g rg-sandbox -n vm-archive --image snap-archive --admin-username azureuser --generate-ssh-keys
az vm create -g rg-sandbox -n vm-archive --attach-os-disk snap-archive --os-type linux
az disk create -g rg-sandbox -n disk-archive-restored --source snap-archive -o none
az vm disk attach -g rg-sandbox --vm-name vm-web -n disk-archive-restored
