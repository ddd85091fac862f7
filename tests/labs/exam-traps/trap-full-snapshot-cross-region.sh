# expect: steps=snapshot-copy traps=full-snapshot-cross-region
# Forgetting --incremental: az asks for a full copy, which cannot leave the region.
az snapshot copy -g rg-traps -n snap-logs-westus2 --source snap-logs
SNAP_ID=$(az snapshot show -g rg-traps -n snap-logs --query id -o tsv)
az snapshot create -g rg-traps -n snap-logs-westus2 -l westus2 --source $SNAP_ID
az snapshot create -g rg-traps -n snap-logs-westus2 -l westus2 --source $SNAP_ID --incremental true -o none
