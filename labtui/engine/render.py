"""Resources rendered as ARM's REST JSON (camelCase, ``properties`` nested), with Azure's field names.

The az layer flattens ``properties`` the way az prints them; the TUI's JSON tab shows the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from . import catalog
from .clock import timestamp
from .resources import (
    Disk, Gallery, GalleryImageDefinition, GalleryImageVersion, Image, ImageDisk, NetworkInterface,
    NetworkSecurityGroup, PublicIp, Resource, ResourceGroup, Snapshot, VirtualMachine, VirtualNetwork,
)
from .storage import GIB

if TYPE_CHECKING:
    from .world import World

POWER_DISPLAY = {
    "starting": "VM starting", "running": "VM running", "stopping": "VM stopping", "stopped": "VM stopped",
    "deallocating": "VM deallocating", "deallocated": "VM deallocated",
}


def _envelope(resource: Resource, properties: dict, **extra: Any) -> dict:
    body = {"id": resource.id, "location": resource.location, "name": resource.name,
            "tags": dict(resource.tags) if resource.tags else None, "type": resource.TYPE}
    body.update(extra)
    body["properties"] = properties
    return body


def _group(world: "World", g: ResourceGroup) -> dict:
    return {"id": g.id, "location": g.location, "managedBy": g.managed_by, "name": g.name,
            "properties": {"provisioningState": g.provisioning_state},
            "tags": dict(g.tags) if g.tags else None, "type": g.TYPE}


def _disk(world: "World", d: Disk) -> dict:
    iops, mbps = catalog.disk_iops_mbps(d.sku, max(1, d.size_gb))
    creation: dict[str, Any] = {"createOption": d.create_option}
    if d.source_resource_id:
        creation["sourceResourceId"] = d.source_resource_id
        creation["sourceUniqueId"] = d.source_unique_id
    if d.image_reference:
        creation["imageReference"] = dict(d.image_reference)
    if d.gallery_image_reference:
        creation["galleryImageReference"] = dict(d.gallery_image_reference)
    props = {
        "creationData": creation, "diskIOPSReadWrite": iops, "diskMBpsReadWrite": mbps,
        "diskSizeBytes": d.size_gb * GIB + d.extra_bytes, "diskSizeGB": d.size_gb, "diskState": d.disk_state,
        "encryption": {"type": "EncryptionAtRestWithPlatformKey"}, "hyperVGeneration": d.hyper_v_generation,
        "networkAccessPolicy": d.network_access_policy, "osType": d.os_type,
        "provisioningState": d.provisioning_state, "publicNetworkAccess": "Enabled",
        "tier": catalog.disk_performance_tier(d.sku, max(1, d.size_gb)), "timeCreated": timestamp(d.time_created),
        "uniqueId": d.unique_id,
    }
    if d.security_type:
        props["securityProfile"] = {"securityType": d.security_type}
    return _envelope(d, props, managedBy=d.managed_by, sku={"name": d.sku, "tier": catalog.disk_sku_tier(d.sku)},
                     zones=list(d.zones) or None)


def _snapshot(world: "World", s: Snapshot) -> dict:
    creation: dict[str, Any] = {"createOption": s.create_option}
    if s.source_resource_id:
        creation["sourceResourceId"] = s.source_resource_id
        creation["sourceUniqueId"] = s.source_unique_id
    props = {
        "completionPercent": world.snapshots.completion_percent(s), "creationData": creation,
        "diskSizeBytes": s.size_gb * GIB + s.extra_bytes, "diskSizeGB": s.size_gb,
        "diskState": "ActiveSAS" if s.sas_active else "Unattached",
        "encryption": {"type": "EncryptionAtRestWithPlatformKey"}, "hyperVGeneration": s.hyper_v_generation,
        "incremental": s.incremental, "networkAccessPolicy": s.network_access_policy, "osType": s.os_type,
        "provisioningState": s.provisioning_state, "publicNetworkAccess": "Enabled",
        "timeCreated": timestamp(s.time_created), "uniqueId": s.unique_id,
    }
    if s.family_id:
        props["incrementalSnapshotFamilyId"] = s.family_id
    if s.copy_error:
        props["copyCompletionError"] = {k: v for k, v in s.copy_error.items() if k != "percent"}
    tier = "Premium" if s.sku == "Premium_LRS" else "Standard"
    return _envelope(s, props, sku={"name": s.sku, "tier": tier})


def vm_statuses(world: "World", vm: VirtualMachine) -> list[dict]:
    prov = vm.provisioning_state.lower()
    statuses = [{"code": f"ProvisioningState/{prov}", "displayStatus": f"Provisioning {prov}"
                 if prov in ("succeeded", "failed") else vm.provisioning_state, "level": "Info" if prov != "failed"
                 else "Error", "time": timestamp(world.now)}]
    if vm.provisioning_error:
        statuses[0]["code"] = f"ProvisioningState/failed/{vm.provisioning_error['code']}"
        statuses[0]["message"] = vm.provisioning_error["message"]
    if vm.generalized:
        statuses.append({"code": "OSState/generalized", "displayStatus": "VM generalized", "level": "Info"})
    statuses.append({"code": f"PowerState/{vm.power_state}", "displayStatus": POWER_DISPLAY[vm.power_state],
                     "level": "Info"})
    return statuses


def _vm(world: "World", vm: VirtualMachine) -> dict:
    os_disk = world.get(vm.os_disk_id)
    os_disk_json: dict[str, Any] = {
        "caching": vm.os_disk_caching, "createOption": vm.os_disk_create_option,
        "deleteOption": vm.os_disk_delete_option, "diskSizeGB": os_disk.size_gb if isinstance(os_disk, Disk) else None,
        "managedDisk": {"id": vm.os_disk_id,
                        "storageAccountType": os_disk.sku if isinstance(os_disk, Disk) else None},
        "name": vm.os_disk_id.rsplit("/", 1)[-1], "osType": vm.os_type,
    }
    data = []
    for entry in sorted(vm.data_disks, key=lambda d: d.lun):
        disk = world.get(entry.disk_id)
        data.append({"caching": entry.caching, "createOption": entry.create_option,
                     "deleteOption": entry.delete_option,
                     "diskSizeGB": disk.size_gb if isinstance(disk, Disk) else None, "lun": entry.lun,
                     "managedDisk": {"id": entry.disk_id,
                                     "storageAccountType": disk.sku if isinstance(disk, Disk) else None},
                     "name": entry.name, "toBeDetached": False})
    props: dict[str, Any] = {
        "hardwareProfile": {"vmSize": vm.size},
        "networkProfile": {"networkInterfaces": [{"id": nic, "primary": index == 0,
                                                  "deleteOption": vm.nic_delete_option}
                                                 for index, nic in enumerate(vm.nic_ids)]},
        "provisioningState": vm.provisioning_state,
        "storageProfile": {"dataDisks": data, "imageReference": dict(vm.image_reference) if vm.image_reference
                           else None, "osDisk": os_disk_json},
        "timeCreated": timestamp(vm.time_created), "vmId": vm.vm_id,
    }
    if vm.has_os_profile:
        profile: dict[str, Any] = {"adminUsername": vm.admin_username, "allowExtensionOperations": True,
                                   "computerName": vm.computer_name, "secrets": []}
        if vm.os_type == "Linux":
            profile["linuxConfiguration"] = {
                "disablePasswordAuthentication": vm.authentication_type == "ssh",
                "provisionVMAgent": True,
                "ssh": {"publicKeys": [{"keyData": key, "path": f"/home/{vm.admin_username}/.ssh/authorized_keys"}
                                       for key in vm.ssh_public_keys]} if vm.ssh_public_keys else None,
            }
        else:
            profile["windowsConfiguration"] = {"enableAutomaticUpdates": True, "provisionVMAgent": True}
        props["osProfile"] = profile
    if vm.ultra_ssd_enabled:
        props["additionalCapabilities"] = {"hibernationEnabled": False, "ultraSSDEnabled": True}
    if vm.security_type:
        props["securityProfile"] = {"securityType": vm.security_type,
                                    "uefiSettings": {"secureBootEnabled": vm.secure_boot, "vTpmEnabled": vm.vtpm}}
    return _envelope(vm, props, zones=list(vm.zones) or None)


def instance_view(world: "World", vm: VirtualMachine) -> dict:
    view: dict[str, Any] = {"statuses": vm_statuses(world, vm), "hyperVGeneration": vm.hyper_v_generation}
    guest = world.vms.guest_state(vm)
    if vm.power_state == "running" and guest is not None:
        view["computerName"] = guest.computer_name
        view["osName"] = guest.os_name
        ready = guest.agent_running
        view["vmAgent"] = {"statuses": [{"code": "ProvisioningState/succeeded" if ready else
                                         "ProvisioningState/Unavailable",
                                         "displayStatus": "Ready" if ready else "Not Ready", "level": "Info"
                                         if ready else "Warning"}], "vmAgentVersion": "2.12.0.2" if ready else
                           "Unknown"}
    view["disks"] = [{"name": d.name, "statuses": [{"code": "ProvisioningState/succeeded",
                                                    "displayStatus": "Provisioning succeeded", "level": "Info"}]}
                     for d in world.vms.disks_of(vm)]
    return view


def _image_disk(d: ImageDisk) -> dict:
    body: dict[str, Any] = {"blobUri": None, "caching": d.caching, "diskSizeGB": d.size_gb,
                            "managedDisk": {"id": d.managed_disk_id} if d.managed_disk_id else None,
                            "snapshot": {"id": d.snapshot_id} if d.snapshot_id else None,
                            "storageAccountType": d.storage_account_type}
    if d.lun is None:
        body.update(osState=d.os_state, osType=d.os_type)
    else:
        body["lun"] = d.lun
    return body


def _image(world: "World", i: Image) -> dict:
    props = {"hyperVGeneration": i.hyper_v_generation, "provisioningState": i.provisioning_state,
             "sourceVirtualMachine": {"id": i.source_vm_id} if i.source_vm_id else None,
             "storageProfile": {"dataDisks": [_image_disk(d) for d in i.data_disks],
                                "osDisk": _image_disk(i.os_disk), "zoneResilient": i.zone_resilient}}
    return _envelope(i, props)


def _gallery(world: "World", g: Gallery) -> dict:
    return _envelope(g, {"description": g.description, "identifier": {"uniqueName": g.unique_name},
                         "provisioningState": g.provisioning_state,
                         "sharingProfile": {"permissions": "Private"}})


def _definition(world: "World", d: GalleryImageDefinition) -> dict:
    props = {"architecture": d.architecture, "description": d.description, "endOfLifeDate": d.end_of_life_date,
             "features": [dict(f) for f in d.features] or None, "hyperVGeneration": d.hyper_v_generation,
             "identifier": {"offer": d.offer, "publisher": d.publisher, "sku": d.sku},
             "osState": d.os_state, "osType": d.os_type, "provisioningState": d.provisioning_state,
             "recommended": None, "disallowed": None}
    return _envelope(d, props)


def _version(world: "World", v: GalleryImageVersion) -> dict:
    source_key = {"vm": "virtualMachineId"}.get(v.source_kind, "id")
    regions = [{"excludeFromLatest": r.exclude_from_latest,
                "name": catalog.LOCATIONS[r.name].display_name, "regionalReplicaCount": r.replica_count,
                "storageAccountType": r.storage_account_type} for r in v.target_regions]
    props = {
        "provisioningState": v.provisioning_state,
        "publishingProfile": {"endOfLifeDate": v.end_of_life_date, "excludeFromLatest": v.exclude_from_latest,
                              "publishedDate": timestamp(v.published), "replicaCount": v.replica_count,
                              "replicationMode": v.replication_mode,
                              "storageAccountType": v.storage_account_type, "targetRegions": regions},
        "safetyProfile": {"allowDeletionOfReplicatedLocations": False,
                          "blockDeletionBeforeEndOfLife": v.block_deletion_before_end_of_life,
                          "policyViolations": [], "reportedForPolicyViolation": False},
        "storageProfile": {"dataDiskImages": [{"hostCaching": d.caching, "lun": d.lun, "sizeInGB": d.size_gb}
                                              for d in v.data_disks],
                           "osDiskImage": {"hostCaching": v.os_disk.caching, "sizeInGB": v.os_disk.size_gb},
                           "source": {source_key: v.source_id}},
    }
    return _envelope(v, props)


def replication_status(world: "World", v: GalleryImageVersion) -> dict:
    return {"aggregatedState": world.galleries.replication_state(v),
            "summary": [{"details": None, "progress": r.progress(world.now),
                         "region": catalog.LOCATIONS[r.name].display_name, "state": r.state(world.now)}
                        for r in v.target_regions]}


def _nic(world: "World", n: NetworkInterface) -> dict:
    ip_config = {"name": "ipconfig1", "id": f"{n.id}/ipConfigurations/ipconfig1",
                 "properties": {"privateIPAddress": n.private_ip, "privateIPAllocationMethod": "Dynamic",
                                "primary": True, "subnet": {"id": n.subnet_id},
                                "publicIPAddress": {"id": n.public_ip_id} if n.public_ip_id else None}}
    return _envelope(n, {"ipConfigurations": [ip_config], "macAddress": n.mac_address,
                         "networkSecurityGroup": {"id": n.nsg_id} if n.nsg_id else None, "primary": True,
                         "provisioningState": n.provisioning_state,
                         "virtualMachine": {"id": n.vm_id} if n.vm_id else None})


def _public_ip(world: "World", p: PublicIp) -> dict:
    return _envelope(p, {"ipAddress": p.ip_address, "ipConfiguration": {"id": f"{p.nic_id}/ipConfigurations/ipconfig1"}
                         if p.nic_id else None, "provisioningState": p.provisioning_state,
                         "publicIPAddressVersion": "IPv4", "publicIPAllocationMethod": p.allocation_method},
                     sku={"name": p.sku, "tier": "Regional"})


def _nsg(world: "World", g: NetworkSecurityGroup) -> dict:
    rules = [{"name": r["name"], "properties": {k: v for k, v in r.items() if k != "name"}} for r in g.rules]
    return _envelope(g, {"networkInterfaces": [{"id": nic} for nic in g.nic_ids],
                         "provisioningState": g.provisioning_state, "securityRules": rules})


def _vnet(world: "World", v: VirtualNetwork) -> dict:
    subnets = [{"id": f"{v.id}/subnets/{s.name}", "name": s.name,
                "properties": {"addressPrefix": s.address_prefix,
                               "ipConfigurations": [{"id": f"{nic}/ipConfigurations/ipconfig1"} for nic in s.nic_ids]}}
               for s in v.subnets]
    return _envelope(v, {"addressSpace": {"addressPrefixes": [v.address_prefix]},
                         "provisioningState": v.provisioning_state, "subnets": subnets})


RENDERERS: dict[type, Callable[["World", Any], dict]] = {
    ResourceGroup: _group, Disk: _disk, Snapshot: _snapshot, VirtualMachine: _vm, Image: _image, Gallery: _gallery,
    GalleryImageDefinition: _definition, GalleryImageVersion: _version, NetworkInterface: _nic,
    PublicIp: _public_ip, NetworkSecurityGroup: _nsg, VirtualNetwork: _vnet,
}


def render(world: "World", resource: Resource) -> dict:
    return RENDERERS[type(resource)](world, resource)
