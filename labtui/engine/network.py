"""The network resources `az vm create` makes beside a VM, and their deletion rules.

labtui models only what the compute lifecycle needs: a VNet with a subnet, an NSG with the
SSH/RDP rule, a Standard public IP and the NIC that ties them to the VM.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

import attrs

from . import catalog, errors
from .operations import Operation, phase
from .resources import NetworkInterface, NetworkSecurityGroup, PublicIp, Resource, Subnet, VirtualNetwork

if TYPE_CHECKING:
    from .world import World

NIC = NetworkInterface.TYPE
PIP = PublicIp.TYPE
NSG = NetworkSecurityGroup.TYPE
VNET = VirtualNetwork.TYPE


@attrs.frozen
class NetworkPlan:
    """Names of the network resources for one VM (az derives them from the VM name)."""

    vnet: str
    subnet: str
    nsg: str | None
    public_ip: str | None
    nic: str
    nsg_rule: str | None = None            # "SSH" | "RDP" | None
    public_ip_sku: str = "Standard"


class Network:
    def __init__(self, world: "World"):
        self.world = world

    def provision(self, group: str, location: str, plan: NetworkPlan, tags: dict[str, str]) -> NetworkInterface:
        """Create (or reuse, by name) the VNet, subnet, NSG and public IP, and a new NIC."""
        world = self.world
        vnet = world.find(VirtualNetwork, group, plan.vnet)
        if vnet is None:
            vnet = world.add(VirtualNetwork(id=world.resource_id(group, VNET, plan.vnet), name=plan.vnet,
                                            resource_group=group, location=location, tags=dict(tags)))
        subnet = next((s for s in vnet.subnets if s.name.lower() == plan.subnet.lower()), None)
        if subnet is None:
            subnet = Subnet(name=plan.subnet, address_prefix=f"10.0.{len(vnet.subnets)}.0/24")
            vnet.subnets.append(subnet)
        nsg = None
        if plan.nsg:
            nsg = world.find(NetworkSecurityGroup, group, plan.nsg)
            if nsg is None:
                rules = []
                if plan.nsg_rule in ("SSH", "RDP"):
                    port = "22" if plan.nsg_rule == "SSH" else "3389"
                    rules.append({"name": f"default-allow-{plan.nsg_rule.lower()}", "priority": 1000,
                                  "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                                  "destinationPortRange": port, "sourceAddressPrefix": "*"})
                nsg = world.add(NetworkSecurityGroup(id=world.resource_id(group, NSG, plan.nsg), name=plan.nsg,
                                                     resource_group=group, location=location, rules=rules,
                                                     tags=dict(tags)))
        public_ip = None
        if plan.public_ip:
            public_ip = world.find(PublicIp, group, plan.public_ip)
            if public_ip is None:
                public_ip = world.add(PublicIp(id=world.resource_id(group, PIP, plan.public_ip), name=plan.public_ip,
                                               resource_group=group, location=location, sku=plan.public_ip_sku,
                                               allocation_method="Static", ip_address=world.seeded.public_ip(),
                                               tags=dict(tags)))
        left_behind = world.find(NetworkInterface, group, plan.nic)
        if left_behind is not None:           # a deleted VM's NIC (create refuses one in use): PUT updates it
            left_behind.public_ip_id = public_ip.id if public_ip else None
            left_behind.nsg_id = nsg.id if nsg else None
            if public_ip is not None:
                public_ip.nic_id = left_behind.id
            if nsg is not None and left_behind.id not in nsg.nic_ids:
                nsg.nic_ids.append(left_behind.id)
            return left_behind
        nic = NetworkInterface(id=world.resource_id(group, NIC, plan.nic), name=plan.nic, resource_group=group,
                               location=location, mac_address=world.seeded.mac_address(),
                               private_ip=self._next_private_ip(subnet),
                               subnet_id=f"{vnet.id}/subnets/{subnet.name}",
                               public_ip_id=public_ip.id if public_ip else None,
                               nsg_id=nsg.id if nsg else None, tags=dict(tags))
        world.add(nic)
        subnet.nic_ids.append(nic.id)
        if public_ip is not None:
            public_ip.nic_id = nic.id
        if nsg is not None:
            nsg.nic_ids.append(nic.id)
        return nic

    def _next_private_ip(self, subnet: Subnet) -> str:
        network = ipaddress.ip_network(subnet.address_prefix)
        # Azure keeps the first four addresses of every subnet for itself.
        return str(network.network_address + 4 + len(subnet.nic_ids))

    # --- delete ------------------------------------------------------------------------------
    def delete(self, resource: Resource) -> Operation:
        world = self.world
        if isinstance(resource, NetworkInterface) and resource.vm_id:
            raise errors.ArmError(
                "NicInUse",
                f"Network Interface {resource.id} is used by existing resource {resource.vm_id}. In order to "
                "delete the network interface, it must be dissociated from the resource. To learn more, see "
                "aka.ms/deletenic.", 400)
        if isinstance(resource, PublicIp) and resource.nic_id:
            raise errors.ArmError(
                "PublicIPAddressCannotBeDeleted",
                f"Public IP address {resource.id} can not be deleted since it is still allocated to resource "
                f"{resource.nic_id}/ipConfigurations/ipconfig1. In order to delete the public IP, disassociate/"
                "detach the Public IP address from the resource.  To learn how to do this, see aka.ms/deletepublicip.",
                400)
        if isinstance(resource, NetworkSecurityGroup) and resource.nic_ids:
            raise errors.ArmError(
                "InUseNetworkSecurityGroupCannotBeDeleted",
                f"Network security group {resource.id} cannot be deleted because it is in use by the following "
                f"resources: {', '.join(resource.nic_ids)}. In order to delete the Network security group, remove "
                "the association with the resource(s). To learn how to do this, see aka.ms/deletensg.", 400)
        if isinstance(resource, VirtualNetwork):
            for subnet in resource.subnets:
                if subnet.nic_ids:
                    raise errors.ArmError(
                        "InUseSubnetCannotBeDeleted",
                        f"Subnet {subnet.name} is in use by {subnet.nic_ids[0]}/ipConfigurations/ipconfig1 and "
                        "cannot be deleted. In order to delete the subnet, delete all the resources within the "
                        "subnet. See aka.ms/deletesubnet.", 400)
        op = world.begin("network.delete", resource, verb="delete", kind="resource")
        world.after(op, catalog.DURATIONS["network.delete"], "network.delete.done")
        return op

    def release_nic(self, nic: NetworkInterface) -> None:
        """Forget a NIC's links to its subnet, NSG and public IP (the NIC itself is being deleted)."""
        world = self.world
        vnet_id = nic.subnet_id.split("/subnets/")[0]
        vnet = world.get(vnet_id)
        if isinstance(vnet, VirtualNetwork):
            for subnet in vnet.subnets:
                if nic.id in subnet.nic_ids:
                    subnet.nic_ids.remove(nic.id)
        if nic.public_ip_id and isinstance(pip := world.get(nic.public_ip_id), PublicIp):
            pip.nic_id = None
        if nic.nsg_id and isinstance(nsg := world.get(nic.nsg_id), NetworkSecurityGroup):
            if nic.id in nsg.nic_ids:
                nsg.nic_ids.remove(nic.id)


@phase("network.delete.done")
def _network_deleted(world: "World", op: Operation) -> None:
    resource = world.get(op.resource_id)
    if isinstance(resource, NetworkInterface):
        world.network.release_nic(resource)
    if resource is not None:
        world.remove(resource)
    world.succeed(op)
