"""Azure's error codes and wording, raised by the engine and rendered once by the az layer.

Every refusal the simulator makes is one of the functions below, so the wording lives in one
place and matches what Azure prints (see shared/azure-reference.md §3). ``status`` is the HTTP
status Azure answers with; the az layer turns 404 into exit status 3, as az does.
"""

from __future__ import annotations


class ArmError(Exception):
    """An error as Azure Resource Manager returns it: a code, a message and an HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400, details: tuple["ArmError", ...] = ()):
        super().__init__(f"({code}) {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details = details

    @property
    def not_found(self) -> bool:
        return self.status == 404

    def to_json(self) -> dict:
        body: dict = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = [d.to_json() for d in self.details]
        return body


NOT_FOUND_HELP = "For more details please go to https://aka.ms/ARMResourceNotFoundFix"


# --- Generic ARM ---------------------------------------------------------------------------

def resource_group_not_found(group: str) -> ArmError:
    return ArmError("ResourceGroupNotFound", f"Resource group '{group}' could not be found.", 404)


def resource_not_found(type_path: str, name: str, group: str) -> ArmError:
    """``type_path`` is e.g. ``Microsoft.Compute/virtualMachines``."""
    return ArmError(
        "ResourceNotFound",
        f"The Resource '{type_path}/{name}' under resource group '{group}' was not found. {NOT_FOUND_HELP}",
        404,
    )


def resource_not_found_at(resource_id: str) -> ArmError:
    """ResourceNotFound for any id: ARM names a nested resource with its parents' names between the types,
    e.g. ``Microsoft.Compute/galleries/gal/images/def/versions/1.0.0``."""
    parts = resource_id.strip("/").split("/")
    group = parts[3] if len(parts) > 3 else ""
    path = resource_id.split("/providers/", 1)[-1] if "/providers/" in resource_id else resource_id
    return ArmError("ResourceNotFound",
                    f"The Resource '{path}' under resource group '{group}' was not found. {NOT_FOUND_HELP}", 404)


def platform_image_not_available(reference: str) -> ArmError:
    return ArmError("PlatformImageNotFound", f"The platform image '{reference}' is not available. Verify that all "
                    "fields in the storage profile are correct. For more details about storage profile information, "
                    "please refer to https://aka.ms/storageprofile", 404)


def parent_resource_not_found(parent: str) -> ArmError:
    return ArmError(
        "ParentResourceNotFound",
        f"Can not perform requested operation on nested resource. Parent resource '{parent}' not found.",
        404,
    )


def source_not_found(name: str) -> ArmError:
    """A disk/snapshot source that is gone, or lives in another region (CRP looks only in one)."""
    return ArmError("NotFound", f"Resource {name} is not found.", 404)


def location_not_available_for_group(location: str, available: list[str]) -> ArmError:
    return ArmError(
        "LocationNotAvailableForResourceGroup",
        f"The provided location '{location}' is not available for resource group. "
        f"List of available regions is '{','.join(available)}'.",
    )


def location_not_available_for_type(location: str, type_path: str, available: list[str]) -> ArmError:
    return ArmError(
        "LocationNotAvailableForResourceType",
        f"The provided location '{location}' is not available for resource type '{type_path}'. "
        f"List of available regions for the resource type is '{','.join(available)}'.",
    )


def invalid_group_location(new: str, old: str) -> ArmError:
    return ArmError(
        "InvalidResourceGroupLocation",
        f"Invalid resource group location '{new}'. The Resource group already exists in location '{old}'.",
        409,
    )


def group_being_deleted(group: str) -> ArmError:
    return ArmError(
        "ResourceGroupBeingDeleted",
        f"The resource group '{group}' is in deprovisioning state and cannot perform this operation.",
        409,
    )


def invalid_group_name(name: str, bad: str) -> ArmError:
    return ArmError(
        "InvalidResourceGroup",
        f"The provided resource group name '{name}' has these invalid characters: '{bad}'. "
        "The name can only be a letter, digit, '-', '.', '(', ')' or '_'.",
    )


def invalid_resource_location(name: str, existing: str, group: str, requested: str) -> ArmError:
    return ArmError(
        "InvalidResourceLocation",
        f"The resource '{name}' already exists in location '{existing}' in resource group '{group}'. "
        f"A resource with the same name cannot be created in location '{requested}'. "
        "Please select a new resource name.",
        409,
    )


def invalid_name(kind: str) -> ArmError:
    """``kind`` is the ARM parameter, e.g. ``snapshot`` → ``snapshot.name``."""
    return ArmError("InvalidParameter", f"The value of parameter {kind}.name is invalid.")


def property_change_not_allowed(path: str) -> ArmError:
    return ArmError("PropertyChangeNotAllowed", f"Changing property '{path}' is not allowed.", 409)


def another_operation_in_progress(operation: str, kind: str, name: str) -> ArmError:
    if kind == "VM":
        return ArmError(
            "OperationNotAllowed",
            f"Operation '{operation}' is not allowed on VM '{name}' since another operation is in progress.",
            409,
        )
    return ArmError(
        "Conflict",
        f"Operation '{operation}' on {kind} '{name}' cannot be performed since another operation is in progress. "
        "Please retry after the ongoing operation completes.",
        409,
    )


# --- Virtual machines ------------------------------------------------------------------------

def vm_not_allowed(operation: str, vm: str, reason: str) -> ArmError:
    """Azure's OperationNotAllowed family for VM operations (ERRTAB templates)."""
    tails = {
        "generalized": "since the VM is generalized.",
        "running": "since the VM is running. Please power off explicitly in case you shut down "
        "the VM from inside the guest operating system.",
        "deallocated": "since the VM is either deallocated or marked to be deallocated.",
        "deleting": "since the VM is marked for deletion. You can only retry the Delete operation "
        "(or wait for an ongoing one to complete).",
        "busy": "since another operation is in progress.",
    }
    return ArmError("OperationNotAllowed", f"Operation '{operation}' is not allowed on VM '{vm}' {tails[reason]}", 409)


def vm_must_be_running(vm: str) -> ArmError:
    return ArmError("OperationNotAllowed", "The operation requires the VM to be running (or set to run).", 409)


def vm_not_generalized(operation: str, vm: str) -> ArmError:
    return ArmError(
        "OperationNotAllowed", f"The operation '{operation}' requires the Virtual Machine '{vm}' to be Generalized.", 409
    )


def image_from_trusted_launch() -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        "Creation of managed images are not supported for virtual machine with TrustedLaunch security type.",
        409,
    )


def hyper_v_generation_mismatch(requested: str, actual: str, source_kind: str) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"The Input HyperVGeneration property: '{requested}' does not match with the HyperVGeneration "
        f"property: '{actual}' belonging to source: '{source_kind}'.",
    )


def source_vm_not_in_location(vm: str) -> ArmError:
    return ArmError(
        "NotFound", f"Source Virtual Machine '{vm}' specified in the request does not exist in this Azure location.", 404
    )


def capture_needs_blob_disks() -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        "The Capture action is only supported on a Virtual Machine with blob based disks. Please use the 'Image' "
        "resource APIs to create an Image from a managed Virtual Machine.",
        409,
    )


def os_provisioning_timed_out(vm: str) -> ArmError:
    return ArmError(
        "OSProvisioningTimedOut",
        f"OS Provisioning for VM '{vm}' did not finish in the allotted time. However, the VM guest agent was "
        "detected running. This suggests the guest OS has not been properly prepared to be used as a VM image "
        "(with CreateOption=FromImage). To resolve this issue, either use the VHD as is with CreateOption=Attach "
        "or prepare it properly for use as an image: * Instructions for Windows: "
        "https://azure.microsoft.com/documentation/articles/virtual-machines-windows-upload-image/ * Instructions "
        "for Linux: https://azure.microsoft.com/documentation/articles/virtual-machines-linux-capture-image/.",
    )




def image_not_in_region(image_id: str, region: str) -> ArmError:
    return ArmError("NotFound", f"The Image '{image_id}' cannot be found in '{region}' region.", 404)


def image_in_use_by_provisioning(operation: str, vms: list[str], image: str) -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        f"Operation '{operation}' is not allowed since the Virtual Machines '{', '.join(vms)}' are being "
        f"provisioned using the Image '{image}'.",
        409,
    )


def size_cannot_boot_generation(size: str, generation: str) -> ArmError:
    return ArmError(
        "BadRequest",
        f"The selected VM size '{size}' cannot boot Hypervisor Generation '{generation}'. If this was a Create "
        "operation please check that the Hypervisor Generation of the Image matches the Hypervisor Generation of "
        "the selected VM Size. If this was an Update operation please select a Hypervisor Generation "
        f"'{generation}' VM Size. For more information, see https://aka.ms/azuregen2vm",
    )


def size_not_trusted_launch(size: str) -> ArmError:
    return ArmError(
        "BadRequest",
        f"The VM size '{size}' is not supported for creation of VMs and Virtual Machine Scale Set with "
        "'TrustedLaunch' security type. For more information, see https://aka.ms/TrustedLaunch-FAQ",
    )


def image_not_trusted_launch() -> ArmError:
    return ArmError(
        "BadRequest",
        "Use of TrustedLaunch setting is not supported for the provided image. Please select Trusted Launch "
        "Supported Gen2 OS Image. For more information, see https://aka.ms/TrustedLaunch-FAQ",
    )


def size_not_available(size: str, available: list[str]) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"The requested VM size {size} is not available in the current region. The sizes available in the "
        f"current region are: {', '.join(available)}. Find out more on the available VM sizes in each region at "
        "https://aka.ms/azure-regions.",
    )


def premium_not_supported(size: str) -> ArmError:
    return ArmError(
        "BadRequest",
        f"Requested operation cannot be performed because the VM size {size} does not support the storage "
        "account type Premium_LRS of disk. Consider updating the VM to a size that supports Premium storage.",
    )


def ultra_ssd_not_enabled() -> ArmError:
    return ArmError("InvalidParameter", "StorageAccountType UltraSSD_LRS can be used only when "
                    "additionalCapabilities.ultraSSDEnabled is set.")


def ultra_ssd_change_needs_deallocation(vm_name: str) -> ArmError:
    # [U] wording: Azure documents that the VM must be deallocated to change this capability.
    return ArmError("OperationNotAllowed", f"additionalCapabilities.ultraSSDEnabled of VM '{vm_name}' can be changed "
                    "only while the VM is deallocated. Deallocate it and try again.", 409)


def ultra_ssd_disks_attached(vm_name: str) -> ArmError:
    # [U] wording: the capability cannot go while an Ultra disk needs it.
    return ArmError("InvalidParameter", f"additionalCapabilities.ultraSSDEnabled cannot be turned off on VM "
                    f"'{vm_name}' while an UltraSSD_LRS disk is attached to it.")


def windows_computer_name_invalid() -> ArmError:
    return ArmError(
        "InvalidParameter",
        "Windows computer name cannot be more than 15 characters long, be entirely numeric, or contain the "
        "following characters: ` ~ ! @ # $ % ^ & * ( ) = + _ [ ] { } \\ | ; : . ' \" , < > / ?.",
    )


def linux_host_name_invalid() -> ArmError:
    return ArmError(
        "InvalidParameter",
        "Linux host name cannot exceed 64 characters in length or contain the following characters: "
        "` ~ ! @ # $ % ^ & * ( ) = + _ [ ] { } \\ | ; : ' \" , < > / ?.",
    )


def os_profile_not_allowed() -> ArmError:
    return ArmError("InvalidParameter", "Parameter 'osProfile' is not allowed.")


def os_profile_missing() -> ArmError:
    return ArmError("InvalidParameter", "Required parameter 'osProfile' is missing (null).")


def too_many_data_disks(limit: int) -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        f"The maximum number of data disks allowed to be attached to a VM of this size is {limit}.",
        409,
    )


def lun_in_use(lun: int, vm: str) -> ArmError:
    return ArmError(
        "InvalidParameter", f"A disk at LUN {lun} already exists on VM '{vm}'. Choose a different LUN.", 400
    )


def os_disk_swap_needs_stopped(vm: str) -> ArmError:
    # Microsoft's swap procedure stops the VM first (az vm stop or deallocate); the wording is ours.
    return ArmError(
        "OperationNotAllowed",
        f"Operation 'Swap OS disk' is not allowed on VM '{vm}' since the VM is running. Stop or deallocate "
        "the VM to swap its OS disk.",
        409,
    )


def quota_exceeded(location: str, limit: int, usage: int, required: int) -> ArmError:
    return ArmError(
        "QuotaExceeded",
        "Operation could not be completed as it results in exceeding approved Total Regional Cores quota. "
        f"Additional details - Deployment Model: Resource Manager, Location: {location}, Current Limit: {limit}, "
        f"Current Usage: {usage}, Additional Required: {required}, (Minimum) New Limit Required: {usage + required}. "
        "Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/"
        "UsageAndQuota.ReactView/Parameters/ to request an increase.",
        409,
    )


def run_command_agent_not_ready(vm: str) -> ArmError:
    return ArmError(
        "VMAgentStatusCommunicationError",
        f"VM '{vm}' has not reported status for VM agent or extensions. Verify that the OS is up and healthy, "
        "the VM has a running VM agent, and that it can establish outbound connections to Azure storage. "
        "Please refer to https://aka.ms/vmextensionlinuxtroubleshoot for additional VM agent troubleshooting "
        "information.",
        409,
    )


def run_command_unknown(command_id: str) -> ArmError:
    return ArmError("NotFound", "The entity was not found in this Azure location.", 404)


# --- Disks and snapshots ---------------------------------------------------------------------

def disk_attached(disk: str, vm_id: str) -> ArmError:
    return ArmError("OperationNotAllowed", f"Disk {disk} is attached to VM {vm_id}.", 409)


def disk_owned_by_other_vm(disk: str, vm: str) -> ArmError:
    return ArmError(
        "ConflictingUserInput", f"Disk '{disk}' cannot be attached as the disk is already owned by VM '{vm}'.", 409
    )


def disk_wrong_zone(disk_id: str, vm_zone: str, disk_zone: str) -> ArmError:
    return ArmError(
        "BadRequest",
        f"Disk {disk_id} cannot be attached to the VM because it is not in the same zone as the VM. "
        f"VM zone: '{vm_zone}'. Disk zone: '{disk_zone}'.",
    )


def disk_wrong_region(disk_id: str) -> ArmError:
    # Azure's exact wording here is not documented (reference §7): CRP looks the disk up in the
    # VM's region and does not find it, so we answer with the lookup's NotFound shape.
    return ArmError("NotFound", f"Resource {disk_id.rsplit('/', 1)[-1]} is not found.", 404)


def disk_resize_not_allowed() -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        "Disk resizing is allowed only when creating a VM or when the VM is deallocated.",
        409,
    )


def disk_shrink_not_allowed(name: str, current: int, requested: int) -> ArmError:
    return ArmError(
        "BadRequest",
        f"Disk '{name}' size can only be increased. Current size: {current} GB, requested size: {requested} GB.",
    )


def os_disk_sku_not_allowed(sku: str) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"Storage account type '{sku}' is supported by data disks only. OS disks cannot use '{sku}'.",
    )


def zrs_not_in_region(sku: str, location: str) -> ArmError:
    return ArmError(
        "InvalidParameter", f"The storage account type '{sku}' is not supported in location '{location}'."
    )


def full_snapshot_cross_region() -> ArmError:
    # Reference §7: Azure's exact text for this case is not documented; CopyStart needs an
    # incremental source, so the request is rejected as a bad parameter.
    return ArmError(
        "BadRequest",
        "Copying a snapshot to another region (CopyStart) is supported only for incremental snapshots: the "
        "source must be an incremental snapshot and the copy must be incremental too (--incremental true).",
    )


def incremental_snapshot_premium() -> ArmError:
    # Reference §7: wording unknown; incremental snapshots live on Standard storage only.
    return ArmError(
        "BadRequest",
        "Incremental snapshots can only be stored on standard storage (Standard_LRS or Standard_ZRS).",
    )


def incremental_limit(disk: str, limit: int) -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        f"The number of incremental snapshots for disk '{disk}' has reached the limit of {limit}.",
        409,
    )


def incremental_rate_limit(disk: str) -> ArmError:
    return ArmError(
        "TooManyRequests",
        f"Too many incremental snapshots of disk '{disk}' were created in the last 5 minutes "
        "(at most 7). Retry later.",
        429,
    )


def copy_in_progress(snapshot: str) -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        f"Snapshot {snapshot} cannot be used as a source because its copy is still in progress "
        "(completionPercent below 100).",
        409,
    )


def sas_active(name: str) -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        f"Operation cannot be performed on '{name}' while it has an active SAS URI. Revoke access first.",
        409,
    )


def limit_exceeded(what: str, limit: int, location: str) -> ArmError:
    return ArmError(
        "OperationNotAllowed",
        f"The limit of {limit} {what} per subscription in region '{location}' has been reached.",
        409,
    )


# --- Managed images --------------------------------------------------------------------------



# --- Galleries ------------------------------------------------------------------------------

def gallery_name_invalid() -> ArmError:
    return ArmError(
        "InvalidParameter",
        "Gallery name is invalid. Allowed characters are English alphanumeric characters, with underscores, and "
        "periods allowed in the middle, up to 80 characters total. All other special characters, including "
        "dashes, are disallowed.",
    )


def trailing_characters(name: str, chars: str) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"The provided resource name {name} has these invalid trailing characters: {chars}. "
        f"The name can not end with characters: {chars}",
    )


def entity_name_invalid(name: str) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"The entity name {name} is invalid according to its validation rule: ^[^_\\W][\\w-._]{{0,79}}(?<![-.])$",
    )


def gallery_name_not_unique(name: str, subscription: str) -> ArmError:
    return ArmError(
        "GalleryNameNotUnique",
        f"The gallery name {name} is not unique within the subscription {subscription}. Please pick another "
        "gallery name",
        409,
    )


def nested_resources_exist(ids: list[str]) -> ArmError:
    return ArmError(
        "CannotDeleteResource",
        "Cannot delete resource while nested resources exist. Some existing nested resource IDs include: "
        f"'{', '.join(ids[:3])}'. Please delete all nested resources before deleting this resource.",
        409,
    )


def duplicate_identifier(definition: str, publisher: str, offer: str, sku: str) -> ArmError:
    return ArmError(
        "Conflict",
        f"Gallery image: {definition} identified by (publisher:{publisher}, offer:{offer}, sku:{sku}) already "
        "exists. Choose a different publisher, offer, sku combination.",
        409,
    )


def identifier_invalid(prop: str, max_length: int) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"Asset name galleryImage.properties.identifier.{prop} is not valid. It cannot be empty. Allowed "
        "characters are uppercase or lowercase letters, digits, hyphen(-), period (.), underscore (_). Names "
        f"are not allowed to end with period(.). The length of the name cannot exceed {max_length} characters.",
    )


def end_of_life_in_past() -> ArmError:
    return ArmError("BadRequest", "EndOfLifeDate must be set to a future date.")


def version_name_invalid() -> ArmError:
    return ArmError(
        "InvalidParameter",
        "The image version name is invalid. The image version name should follow Major(int).Minor(int).Patch(int) "
        "format, for e.g: 1.0.0, 2018.12.1 etc",
    )


def target_regions_missing_source(regions: list[str], source_region: str) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"Gallery image version publishing profile regions {', '.join(regions)} must contain the location of "
        f"image version {source_region}",
    )


def version_source_not_found(source_id: str) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"Source {source_id} is not found. Please check source exists, and is in the same region as gallery "
        "image version being created",
    )


def version_source_wrong_type(source_id: str) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"The source id: {source_id} must either be a managed image, virtual machine or another gallery image "
        "version",
    )


def os_state_mismatch(source_id: str, actual: str, expected: str) -> ArmError:
    return ArmError(
        "BadRequest",
        f"The resource with id '{source_id}' has a different OS state ['{actual}'] than the parent gallery image "
        f"OS state ['{expected}'].",
    )


def generation_mismatch(source_id: str, actual: str, expected: str) -> ArmError:
    return ArmError(
        "Conflict",
        f"The resource with id '{source_id}' has a different Hypervisor generation ['{actual}'] than the parent "
        f"gallery image Hypervisor generation ['{expected}'].",
        409,
    )


def os_type_mismatch(source_id: str, actual: str, expected: str) -> ArmError:
    return ArmError(
        "BadRequest",
        f"The resource with id '{source_id}' has a different OS type ['{actual}'] than the parent gallery image "
        f"OS type generation ['{expected}']",
    )


def duplicate_target_regions() -> ArmError:
    return ArmError("InvalidParameter", "Duplicate regions are not allowed in target publishing regions")


def value_out_of_range(value: int, parameter: str, low: int, high: int) -> ArmError:
    return ArmError(
        "InvalidParameter",
        f"The value {value} of parameter {parameter} is out of range. The value must be between {low} and {high}, "
        "inclusive",
    )


def version_blocked_before_end_of_life() -> ArmError:
    return ArmError(
        "DeleteGalleryImageVersionBlockedBeforeEndOfLife",
        "Deletion of Gallery image version is not allowed because the image is enabled for "
        "blockDeletionBeforeEndOfLife and its endOfLifeDate has not reached yet",
        409,
    )


def invalid_delete_option(value: str) -> ArmError:
    # The reference does not record CRP's wording for a bad enum value here [U]; the facts are Azure's.
    return ArmError("InvalidParameter", f"The value '{value}' is not valid for deleteOption. Allowed values: "
                    "Delete, Detach.", 400)


def nic_in_use(nic_id: str) -> ArmError:
    """A new VM's NIC (named by --nics, or az's own <vm>VMNic left by a deleted VM) that another VM holds."""
    return ArmError("InvalidResourceReference", f"Network interface {nic_id} already exists and is in use by "
                    "another virtual machine.", 409)


def invalid_caching(value: str) -> ArmError:
    # As for deleteOption, CRP's wording for a bad caching value is not recorded [U]; the allowed values are.
    return ArmError("InvalidParameter", f"The value '{value}' is not valid for caching. Allowed values: None, "
                    "ReadOnly, ReadWrite.", 400)


def caching_not_supported(sku: str) -> ArmError:
    # Ultra Disks and Premium SSD v2 support no host caching; the wording is labtui's [U].
    return ArmError("InvalidParameter", f"Host caching is not supported for disks with SKU {sku}. Use caching "
                    "'None'.", 400)


def invalid_property_id(value: str, path: str) -> ArmError:
    """ARM's answer to a reference that is not a resource id (a bare name, say)."""
    return ArmError(
        "LinkedInvalidPropertyId",
        f"Property id '{value}' at path '{path}' is invalid. Expect fully qualified resource Id that start with "
        "'/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.",
        400,
    )


def gallery_image_not_in_region(version_id: str, region: str) -> ArmError:
    return ArmError(
        "GalleryImageNotAvailableInRegion",
        f"The gallery image {version_id} is not available in {region} region. Please contact image owner to "
        "replicate to this region, or change your requested region.",
        404,
    )


def gallery_image_trusted_launch_only() -> ArmError:
    return ArmError(
        "BadRequest",
        "The provided gallery image only supports creation of VMs and VM Scale Sets with 'TrustedLaunch' "
        "security type.",
    )


def source_vm_ultra_disk(vm_id: str, disk: str) -> ArmError:
    return ArmError(
        "InvalidParameter", f"Source virtual machine {vm_id} cannot contain disk ['{disk}'] stored in an UltraSSD account type"
    )
