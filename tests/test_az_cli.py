"""The az layer as a student meets it: help, az's errors and exit statuses, events for every line."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labtui.az.registry import COMMANDS, GROUPS
from labtui.az.runner import AzCli, find_command, parser_for, split_globals
from labtui.engine.events import CommandRun
from labtui.engine.world import World


def az(world: World, line: str):
    return AzCli(world).run(shlex.split(line), line=line)


@pytest.fixture
def world() -> World:
    w = World(seed=3)
    az(w, "az group create -n rg -l eastus")
    return w


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_has_help(world: World, path: str) -> None:
    if COMMANDS[path].extension:
        az(world, f"az extension add --name {COMMANDS[path].extension}")
    result = az(world, f"az {path} --help")
    assert result.exit_status == 0, result.stderr
    assert f"az {path} : " in result.stdout
    assert "Global Arguments" in result.stdout


@pytest.mark.parametrize("path", sorted(path for path, command in COMMANDS.items() if command.examples))
def test_every_help_example_is_a_line_labtui_accepts(path: str) -> None:
    """A student copies examples from --help: each of their az lines must parse (flags labtui has)."""
    for example in COMMANDS[path].examples:
        for text in example.text.split("\n"):
            words, _ = split_globals(shlex.split(text)[1:])
            command, length = find_command(words, ["image-copy-extension"])
            assert command is not None, text
            parser_for(command).parse_args(words[length:])


@pytest.mark.parametrize("path", sorted(p for p in GROUPS if p and p not in COMMANDS))
def test_every_group_has_help(world: World, path: str) -> None:
    result = az(world, f"az {path}")
    assert result.exit_status == 0
    assert f"az {path} : " in result.stdout


def test_unknown_command_is_misspelled_with_suggestion(world: World) -> None:
    result = az(world, "az vm stpo -g rg -n vm1")
    assert result.exit_status == 2
    assert result.stderr.startswith("ERROR: 'stpo' is misspelled or not recognized by the system.\n")
    assert "Did you mean 'stop' ?" in result.stderr
    assert result.error_code == "CommandNotFound"


def test_extension_commands_exist_only_once_added(world: World) -> None:
    before = az(world, "az image copy --help")
    assert before.exit_status == 2 and "Did you mean" not in before.stderr
    az(world, "az extension add --name image-copy-extension")
    assert az(world, "az image copy --help").exit_status == 0


def test_snapshot_copy_does_not_exist(world: World) -> None:
    result = az(world, "az snapshot copy -g rg -n s1")
    assert result.exit_status == 2
    assert "'copy' is misspelled or not recognized by the system." in result.stderr


def test_subscription_is_this_one_by_id_or_name_and_any_other_is_not_found(world: World) -> None:
    for given in (world.subscription_id, world.subscription_id.upper(), world.settings.subscription_name):
        result = az(world, f"az group show -n rg --subscription '{given}' --query name -o tsv")
        assert (result.exit_status, result.stdout) == (0, "rg\n"), given
    result = az(world, "az group create -n rg2 -l eastus --subscription Production")
    assert (result.exit_status, result.stderr) == (
        1, "ERROR: Subscription 'Production' not found. Check the spelling and casing and try again.\n")
    assert world.group("rg2") is None
    # A parse error is still found first, as az parses before it looks the subscription up.
    assert az(world, "az group create -n rg2 -l eastus --bogus --subscription Production").exit_status == 2


def test_disk_create_from_a_gallery_image_version(world: World) -> None:
    for line in ("az vm create -g rg -n src --image Ubuntu2204 --generate-ssh-keys",
                 "az vm run-command invoke -g rg -n src --command-id RunShellScript "
                 "--scripts 'sudo waagent -deprovision+user -force'",
                 "az vm deallocate -g rg -n src", "az vm generalize -g rg -n src", "az sig create -g rg -r gal",
                 "az sig image-definition create -g rg -r gal -i def --publisher p --offer o --sku s "
                 "--os-type Linux --hyper-v-generation V2"):
        assert az(world, line).exit_status == 0, line
    version_id = az(world, "az sig image-version create -g rg -r gal -i def -e 1.0.0 --virtual-machine src "
                           "--query id -o tsv").stdout.strip()
    result = az(world, f"az disk create -g rg -n d1 --gallery-image-reference {version_id} "
                       "--query creationData -o json")
    assert result.exit_status == 0, result.stderr
    assert '"createOption": "FromImage"' in result.stdout and f'"id": "{version_id}"' in result.stdout
    assert "--gallery-image-reference" in az(world, "az disk create --help").stdout
    both = az(world, f"az disk create -g rg -n d2 --gallery-image-reference {version_id} --image-reference "
                     "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest")
    assert (both.exit_status, both.stderr) == (1, "ERROR: usage error: --gallery-image-reference cannot be used "
                                                  "together with --source or --image-reference\n")
    assert az(world, "az disk show -g rg -n d2").exit_status == 3


def test_vm_update_sets_delete_options_and_nothing_else_in_disks_or_nics(world: World) -> None:
    assert az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys --data-disk-sizes-gb 8 "
                     "--nic-delete-option Delete").exit_status == 0
    shown = az(world, "az vm show -g rg -n vm1 --query networkProfile.networkInterfaces[0].deleteOption -o tsv")
    assert shown.stdout == "Delete\n"
    for path in ("storageProfile.osDisk.deleteOption", "storageProfile.dataDisks[0].deleteOption",
                 "networkProfile.networkInterfaces[0].deleteOption"):
        result = az(world, f"az vm update -g rg -n vm1 --set {path}=detach --query {path} -o tsv")
        assert (result.exit_status, result.stdout) == (0, "Detach\n"), (path, result.stderr)
    refused = az(world, "az vm update -g rg -n vm1 --set storageProfile.dataDisks[0].diskSizeGb=9")
    assert (refused.exit_status, refused.stderr.splitlines()[0]) == (
        1, "ERROR: (PropertyChangeNotAllowed) Changing property 'storageProfile.dataDisks' is not allowed.")


def test_vm_update_caching_restarts_a_running_vm_but_not_a_deallocated_one(world: World) -> None:
    assert az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys "
                     "--data-disk-sizes-gb 8").exit_status == 0
    vm = world.get(world.resource_id("rg", "Microsoft.Compute/virtualMachines", "vm1"))
    guest = world.vms.guest_state(vm)
    boots_before = guest.boot_count
    result = az(world, "az vm update -g rg -n vm1 --set storageProfile.dataDisks[0].caching=readonly --no-wait")
    assert result.exit_status == 0, result.stderr
    power = "az vm get-instance-view -g rg -n vm1 --query instanceView.statuses[1].code -o tsv"
    assert az(world, power).stdout == "PowerState/starting\n"
    world.run_until_idle()
    assert az(world, power).stdout == "PowerState/running\n"
    assert guest.boot_count == boots_before + 1
    shown = az(world, "az vm show -g rg -n vm1 --query storageProfile.dataDisks[0].caching -o tsv")
    assert shown.stdout == "ReadOnly\n"
    az(world, "az vm deallocate -g rg -n vm1")
    result = az(world, "az vm update -g rg -n vm1 --set storageProfile.osDisk.caching=ReadOnly --no-wait")
    assert result.exit_status == 0, result.stderr
    assert az(world, power).stdout == "PowerState/deallocated\n"
    bad = az(world, "az vm update -g rg -n vm1 --set storageProfile.osDisk.caching=Fast")
    assert (bad.exit_status, bad.stderr.splitlines()[0]) == (
        1, "ERROR: (InvalidParameter) The value 'Fast' is not valid for caching. Allowed values: None, ReadOnly, "
           "ReadWrite.")
    assert vm.os_disk_caching == "ReadOnly" and vm.power_state == "deallocated"


def test_ultra_disks_take_no_host_caching_and_a_refused_new_disk_is_not_left_behind(world: World) -> None:
    az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys --zone 1 --ultra-ssd-enabled")
    refused = az(world, "az vm disk attach -g rg --vm-name vm1 -n u1 --new --size-gb 4 --sku UltraSSD_LRS "
                        "--caching ReadOnly")
    assert refused.exit_status == 1 and "Host caching is not supported" in refused.stderr
    assert az(world, "az disk show -g rg -n u1").exit_status == 3
    attached = az(world, "az vm disk attach -g rg --vm-name vm1 -n u1 --new --size-gb 4 --sku UltraSSD_LRS")
    assert attached.exit_status == 0, attached.stderr
    update = az(world, "az vm update -g rg -n vm1 --set storageProfile.dataDisks[0].caching=ReadWrite")
    assert update.exit_status == 1 and "Host caching is not supported" in update.stderr


def test_ultra_disks_attach_only_to_a_vm_with_the_ultra_capability(world: World) -> None:
    az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys --zone 1")
    az(world, "az disk create -g rg -n u1 --size-gb 4 --sku UltraSSD_LRS --zone 1")
    needs = "(InvalidParameter) StorageAccountType UltraSSD_LRS can be used only when " \
            "additionalCapabilities.ultraSSDEnabled is set."
    refused = az(world, "az vm disk attach -g rg --vm-name vm1 -n u1")
    assert refused.exit_status == 1 and needs in refused.stderr
    running = az(world, "az vm update -g rg -n vm1 --ultra-ssd-enabled true")
    assert running.exit_status == 1 and "(OperationNotAllowed)" in running.stderr and "deallocated" in running.stderr
    az(world, "az vm deallocate -g rg -n vm1")
    enabled = az(world, "az vm update -g rg -n vm1 --ultra-ssd-enabled --query additionalCapabilities.ultraSSDEnabled")
    assert enabled.stdout.strip() == "true", enabled.stderr
    attached = az(world, "az vm disk attach -g rg --vm-name vm1 -n u1 --query storageProfile.dataDisks[].name -o tsv")
    assert attached.stdout == "u1\n", attached.stderr          # az prints the updated VM
    kept = az(world, "az vm update -g rg -n vm1 --ultra-ssd-enabled false")
    assert kept.exit_status == 1 and "while an UltraSSD_LRS disk is attached" in kept.stderr
    at_create = az(world, "az vm create -g rg -n vm2 --image Ubuntu2204 --generate-ssh-keys --zone 1 "
                          "--data-disk-sizes-gb 4 --storage-sku os=Premium_LRS 0=UltraSSD_LRS")
    assert at_create.exit_status == 1 and "can be used only when additionalCapabilities.ultraSSDEnabled" in at_create.stderr


def _nic_names(world: World) -> list[str]:
    return az(world, "az network nic list -g rg --query [].name -o tsv").stdout.split()


def test_vm_create_nics_uses_existing_nics_and_makes_no_network_of_its_own(world: World) -> None:
    assert az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys").exit_status == 0
    assert az(world, "az vm delete -g rg -n vm1 --yes").exit_status == 0
    created = az(world, "az vm create -g rg -n vm2 --image Ubuntu2204 --generate-ssh-keys --nics vm1VMNic "
                        "--nic-delete-option Delete")
    assert created.exit_status == 0, created.stderr
    profile = az(world, "az vm show -g rg -n vm2 --query networkProfile.networkInterfaces[].[id,primary] -o tsv")
    assert profile.stdout.split() == [
        f"{world.resource_id('rg', 'Microsoft.Network/networkInterfaces', 'vm1VMNic')}", "True"]
    assert _nic_names(world) == ["vm1VMNic"]
    assert az(world, "az network public-ip list -g rg --query [].name -o tsv").stdout.split() == ["vm1PublicIP"]
    in_use = az(world, "az vm create -g rg -n vm3 --image Ubuntu2204 --generate-ssh-keys --nics vm1VMNic")
    assert in_use.exit_status == 1 and "is in use by another virtual machine" in in_use.stderr
    missing = az(world, "az vm create -g rg -n vm3 --image Ubuntu2204 --generate-ssh-keys --nics nope")
    assert missing.exit_status == 1 and "Microsoft.Network/networkInterfaces/nope" in missing.stderr
    az(world, "az vm delete -g rg -n vm2 --yes")
    assert _nic_names(world) == []          # vm2's delete option took the NIC it was given


def test_vm_create_nics_refuses_a_nic_in_another_region(world: World) -> None:
    az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys")
    az(world, "az vm delete -g rg -n vm1 --yes")
    az(world, "az group create -n west -l westus")
    nic_id = world.resource_id("rg", "Microsoft.Network/networkInterfaces", "vm1VMNic")
    result = az(world, f"az vm create -g west -n vm2 --image Ubuntu2204 --generate-ssh-keys --nics {nic_id}")
    assert result.exit_status == 1
    assert "InvalidResourceReference" in result.stderr and "both resources are in the same region" in result.stderr
    assert az(world, "az vm list -g west").stdout.strip() == "[]"


def test_unknown_flag(world: World) -> None:
    result = az(world, "az group show -n rg --foo bar")
    assert (result.exit_status, result.stderr.splitlines()[0]) == (2, "ERROR: unrecognized arguments: --foo bar")


def test_missing_required_flag_uses_long_then_short(world: World) -> None:
    result = az(world, "az disk create -g rg")
    assert result.exit_status == 2
    assert "the following arguments are required: --name/-n/--disk-name" in result.stderr


def test_bad_enum_value_lists_allowed_values(world: World) -> None:
    result = az(world, "az disk create -g rg -n d1 --size-gb 4 --sku Premium_LRSS")
    assert result.exit_status == 2
    assert ("ERROR: az disk create: 'Premium_LRSS' is not a valid value for '--sku'. Allowed values: "
            "PremiumV2_LRS, Premium_LRS, Premium_ZRS, StandardSSD_LRS, StandardSSD_ZRS, Standard_LRS, "
            "UltraSSD_LRS.") in result.stderr


def test_enum_values_are_case_insensitive(world: World) -> None:
    result = az(world, "az disk create -g rg -n d1 --size-gb 4 --sku standard_lrs --query sku.name -o tsv")
    assert (result.exit_status, result.stdout) == (0, "Standard_LRS\n")


def test_bad_int(world: World) -> None:
    result = az(world, "az disk create -g rg -n d1 --size-gb abc")
    assert result.exit_status == 2
    assert "argument --size-gb/-z: invalid int value: 'abc'" in result.stderr


def test_long_flags_accept_unambiguous_prefixes(world: World) -> None:
    result = az(world, "az group show --resource-grou rg --query name -o tsv")
    assert (result.exit_status, result.stdout) == (0, "rg\n")


def test_not_found_exits_3_with_arm_wording(world: World) -> None:
    result = az(world, "az vm show -g rg -n nope")
    assert result.exit_status == 3
    assert result.stderr == (
        "ERROR: (ResourceNotFound) The Resource 'Microsoft.Compute/virtualMachines/nope' under resource group "
        "'rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix\n"
        "Code: ResourceNotFound\nMessage: The Resource 'Microsoft.Compute/virtualMachines/nope' under resource "
        "group 'rg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix\n")


def test_missing_group_in_vm_create_validator_exits_2(world: World) -> None:
    result = az(world, "az vm create -g nope -n vm1 --image Ubuntu2204 --generate-ssh-keys")
    assert result.exit_status == 2
    assert "(ResourceGroupNotFound) Resource group 'nope' could not be found." in result.stderr


def test_destructive_commands_need_yes_without_a_tty(world: World) -> None:
    result = az(world, "az group delete -n rg")
    assert result.exit_status == 1
    assert result.stderr == ("WARNING: Unable to prompt for confirmation as no tty available. Use --yes.\n"
                             "ERROR: Operation cancelled.\n")
    assert world.group("rg") is not None


def test_stop_warns_that_the_vm_is_still_billed(world: World) -> None:
    az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys")
    result = az(world, "az vm stop -g rg -n vm1")
    assert result.exit_status == 0
    assert "It will continue to be billed. To deallocate a VM, run: az vm deallocate." in result.stderr


def test_bad_query_is_a_parse_error(world: World) -> None:
    result = az(world, "az group list --query \"[?name=='\"")
    assert result.exit_status == 2
    assert "argument --query: invalid jmespath_type value" in result.stderr


def test_every_line_is_recorded_even_when_it_fails(world: World) -> None:
    seen: list[CommandRun] = []
    world.subscribe(seen.append, CommandRun)
    az(world, "az snapshot copy -g rg")
    az(world, "az vm show -g rg -n nope")
    az(world, "az group show -n rg")
    assert [(e.exit_status, e.error_code) for e in seen] == [(2, "CommandNotFound"), (3, "ResourceNotFound"),
                                                             (0, None)]
    assert seen[0].line == "az snapshot copy -g rg"


def test_no_wait_returns_before_the_operation_finishes(world: World) -> None:
    az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys")
    result = az(world, "az vm deallocate -g rg -n vm1 --no-wait")
    assert (result.exit_status, result.stdout) == (0, "")
    state = az(world, "az vm show -g rg -n vm1 -d --query powerState -o tsv").stdout
    assert state == "VM deallocating\n"
    az(world, "az vm wait -g rg -n vm1 --custom \"instanceView.statuses[?code=='PowerState/deallocated']\"")
    assert az(world, "az vm show -g rg -n vm1 -d --query powerState -o tsv").stdout == "VM deallocated\n"


def test_configured_defaults_fill_group_and_location(world: World) -> None:
    az(world, "az configure --defaults group=rg location=westus2")
    result = az(world, "az disk create -n d1 --size-gb 8 --query location -o tsv")
    assert (result.exit_status, result.stdout) == (0, "westus2\n")


TOKENS = ["az", "vm", "disk", "snapshot", "image", "sig", "group", "create", "show", "list", "delete", "start",
          "stop", "deallocate", "generalize", "update", "image-version", "image-definition", "-g", "rg", "-n",
          "vm1", "d1", "--ids", "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/disks/d1",
          "--image", "Ubuntu2204", "--source", "--size-gb", "5", "-1", "abc", "--sku", "--set", "a.b=c", "--query",
          "[]", "-o", "table", "tsv", "yaml", "--no-wait", "--yes", "--count", "0", "3", "-l", "mars", "eastus",
          "--incremental", "maybe", "--attach-os-disk", "--os-type", "linux", "--generate-ssh-keys", "", "'",
          "--hyper-v-generation", "V3", "-r", "gal", "-i", "def", "-e", "1.0", "--target-regions", "eastus=x",
          "--help", "--disk", "--lun", "99", "--vm-name", "--custom", "[?", "--tags", "a=b"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(TOKENS), min_size=0, max_size=12))
def test_no_input_ever_escapes_as_an_internal_error(world: World, argv: list[str]) -> None:
    result = AzCli(world).run(argv)
    assert result.exit_status in (0, 1, 2, 3)
    assert result.error_code != "InternalError", result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def generalized_vm_and_definition(world: World) -> str:
    """A generalized VM 'v' and an empty definition gal/def beside it; returns the VM's id."""
    for line in ("az vm create -g rg -n v --image Ubuntu2204 --security-type Standard --generate-ssh-keys -o none",
                 "az vm deallocate -g rg -n v", "az vm generalize -g rg -n v", "az sig create -g rg -r gal -o none",
                 "az sig image-definition create -g rg -r gal -i def -p p -f f -s s --os-type linux "
                 "--hyper-v-generation V2 -o none"):
        assert az(world, line).exit_status == 0, line
    return az(world, "az vm show -g rg -n v --query id -o tsv").stdout.strip()


def test_image_versions_take_ids(world: World) -> None:
    vm_id = generalized_vm_and_definition(world)
    version_id = az(world, f"az sig image-version create -g rg -r gal -i def -e 1.0.0 --virtual-machine {vm_id} "
                           "--query id -o tsv").stdout.strip()
    assert az(world, f"az sig image-version show --ids {version_id} --query name -o tsv").stdout == "1.0.0\n"
    result = az(world, f"az sig image-version update --ids {version_id} --set "
                       "publishingProfile.excludeFromLatest=true --query publishingProfile.excludeFromLatest -o tsv")
    assert result.stdout == "true\n"
    missing = az(world, "az sig image-version show -g rg -r gal")
    assert missing.exit_status == 2
    assert missing.stderr.startswith("ERROR: (--gallery-image-definition --gallery-image-version | --ids) are required")
    assert az(world, f"az sig image-version delete --ids {version_id}").exit_status == 0


def test_vm_from_a_definition_not_replicated_to_its_region_is_the_services_error(world: World) -> None:
    vm_id = generalized_vm_and_definition(world)
    definition = az(world, "az sig image-definition show -g rg -r gal -i def --query id -o tsv").stdout.strip()
    az(world, f"az sig image-version create -g rg -r gal -i def -e 1.0.0 --virtual-machine {vm_id} "
              "--target-regions eastus westus2 --no-wait")
    early = az(world, f"az vm create -g rg -n w -l westus2 --image {definition} --security-type Standard "
                      "--generate-ssh-keys -o none")
    assert early.exit_status == 1 and early.error_code == "GalleryImageNotAvailableInRegion"
    world.run_until_idle()
    assert az(world, "az sig image-version update -g rg -r gal -i def -e 1.0.0 "
                     "--set publishingProfile.excludeFromLatest=true -o none").exit_status == 0
    excluded = az(world, f"az vm create -g rg -n w -l westus2 --image {definition} --generate-ssh-keys -o none")
    assert excluded.exit_status == 1 and "There is no latest image version exists" in excluded.stderr


def test_run_command_list_names_exactly_the_commands_invoke_accepts(world: World) -> None:
    import json

    listed = json.loads(az(world, "az vm run-command list -l eastus").stdout)
    assert {c["id"] for c in listed} >= {"RunShellScript", "RunPowerShellScript"}
    assert az(world, "az vm create -g rg -n lin --image Ubuntu2204 --generate-ssh-keys").exit_status == 0
    for command in listed:
        result = az(world, f"az vm run-command invoke -g rg -n lin --command-id {command['id']} --scripts 'echo hi'")
        # Every Linux command runs on the Linux VM; every Windows one is refused there as unknown.
        assert (result.exit_status == 0) == (command["osType"] == "Linux"), (command["id"], result.stderr)
    assert az(world, "az vm run-command list").exit_status == 2
    assert az(world, "az vm run-command list -l mars").stderr.startswith("ERROR: (LocationNotAvailableForResourceType)")


@pytest.mark.parametrize("line", [
    "az disk create -g rg -n d --size-gb 8 --max-shares 2",
    "az disk create -g rg -n d --size-gb 8 --tier P30",
    "az disk update -g rg -n d --enable-bursting true",
    "az snapshot create -g rg -n s --size-gb 8 --bandwidth-copy-speed Enhanced",
])
def test_real_az_flags_labtui_does_not_simulate_say_so_and_change_nothing(world: World, line: str) -> None:
    before = sorted(world.resources)
    result = az(world, line)
    flag = next(word for word in line.split() if word in ("--max-shares", "--tier", "--enable-bursting",
                                                           "--bandwidth-copy-speed"))
    first = result.stderr.splitlines()[0]
    assert result.exit_status == 1
    assert first.startswith(f"ERROR: {flag}: real az accepts this flag, but labtui does not simulate ")
    assert first.endswith(". Leave it out to go on.")
    assert "unrecognized" not in result.stderr and sorted(world.resources) == before


# --- flags checked against the reference's CLI surface (§4) ---------------------------------------

def test_vm_create_storage_sku_per_data_disk(world: World) -> None:
    created = az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys --data-disk-sizes-gb 4 8 "
                        "--storage-sku os=Premium_LRS 0=Standard_LRS 1=StandardSSD_LRS")
    assert created.exit_status == 0, created.stderr
    skus = az(world, "az vm show -g rg -n vm1 --query [storageProfile.osDisk.managedDisk.storageAccountType,"
                     "storageProfile.dataDisks[].managedDisk.storageAccountType] -o json").stdout
    assert " ".join(skus.split()) == '[ "Premium_LRS", [ "Standard_LRS", "StandardSSD_LRS" ] ]'
    bad = az(world, "az vm create -g rg -n vm2 --image Ubuntu2204 --generate-ssh-keys --storage-sku data=Standard_LRS")
    assert bad.exit_status == 1 and "--storage-sku 'data=Standard_LRS'" in bad.stderr


def test_image_create_caching_flags_apply_to_disk_sources(world: World) -> None:
    for line in ("az vm create -g rg -n src --image Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest "
                 "--generate-ssh-keys --data-disk-sizes-gb 4",
                 "az vm run-command invoke -g rg -n src --command-id RunShellScript "
                 "--scripts 'sudo waagent -deprovision+user -force'",
                 "az vm deallocate -g rg -n src", "az vm generalize -g rg -n src"):
        assert az(world, line).exit_status == 0, line
    os_disk = az(world, "az vm show -g rg -n src --query storageProfile.osDisk.name -o tsv").stdout.strip()
    data_disk = az(world, "az vm show -g rg -n src --query storageProfile.dataDisks[0].name -o tsv").stdout.strip()
    caching = "--query [storageProfile.osDisk.caching,storageProfile.dataDisks[0].caching] -o tsv"
    from_disks = az(world, f"az image create -g rg -n img1 --source {os_disk} --os-type Linux "
                           f"--data-disk-sources {data_disk} --os-disk-caching ReadOnly --data-disk-caching ReadWrite "
                           f"{caching}")
    assert (from_disks.exit_status, from_disks.stdout.split()) == (0, ["ReadOnly", "ReadWrite"]), from_disks.stderr
    from_vm = az(world, f"az image create -g rg -n img2 --source src --os-disk-caching ReadOnly {caching}")
    assert (from_vm.exit_status, from_vm.stdout.split()) == (0, ["ReadWrite", "None"]), from_vm.stderr


def test_sig_version_update_sets_exclude_from_latest_per_region(world: World) -> None:
    for line in ("az vm create -g rg -n src --image Ubuntu2204 --generate-ssh-keys",
                 "az vm run-command invoke -g rg -n src --command-id RunShellScript "
                 "--scripts 'sudo waagent -deprovision+user -force'",
                 "az vm deallocate -g rg -n src", "az vm generalize -g rg -n src", "az sig create -g rg -r gal",
                 "az sig image-definition create -g rg -r gal -i def --publisher p --offer o --sku s --os-type Linux",
                 "az sig image-version create -g rg -r gal -i def -e 1.0.0 --virtual-machine src",
                 "az sig image-version create -g rg -r gal -i def -e 2.0.0 --virtual-machine src"):
        assert az(world, line).exit_status == 0, line
    regions = "--query publishingProfile.targetRegions[].[name,excludeFromLatest,regionalReplicaCount] -o tsv"
    added = az(world, "az sig image-version update -g rg -r gal -i def -e 2.0.0 --add publishingProfile.targetRegions "
                      f"name=westcentralus regionalReplicaCount=3 excludeFromLatest=true {regions}")
    assert added.exit_status == 0, added.stderr
    assert added.stdout.splitlines() == ["East US\tFalse\t1", "West Central US\tTrue\t3"]
    changed = az(world, "az sig image-version update -g rg -r gal -i def -e 2.0.0 --set "
                        f"publishingProfile.targetRegions[0].excludeFromLatest=true {regions}")
    assert changed.stdout.splitlines() == ["East US\tTrue\t1", "West Central US\tTrue\t3"], changed.stderr
    definition = az(world, "az sig image-definition show -g rg -r gal -i def --query id -o tsv").stdout.strip()
    world.run_until_idle()
    # East US's latest skips 2.0.0, which is excluded there (and only there).
    latest = az(world, f"az vm create -g rg -n vm2 --image {definition} --generate-ssh-keys")
    assert latest.exit_status == 0, latest.stderr
    used = az(world, "az vm show -g rg -n vm2 --query storageProfile.imageReference.exactVersion -o tsv")
    assert used.stdout == "1.0.0\n"


@pytest.mark.parametrize("line", [
    "az vm deallocate -g rg -n vm1 --hibernate",
    "az vm run-command invoke -g rg -n vm1 --command-id RunShellScript --scripts 'echo $1' --parameters hi",
    "az vm create -g rg -n vm1 --image Ubuntu2204 --ssh-key-name mykey",
    "az vm disk attach -g rg --vm-name vm1 --source-snapshots-or-disks snap1",
    "az vm disk attach -g rg --vm-name vm1 -n d1 --enable-write-accelerator",
    "az sig create -g rg -r gal --soft-delete true",
    "az sig image-definition create -g rg -r gal -i d -p p -f o -s s --os-type Linux --minimum-cpu-core 2",
    "az sig image-definition create -g rg -r gal -i d -p p -f o -s s --os-type Linux --plan-name x",
    "az sig image-definition create -g rg -r gal -i d -p p -f o -s s --os-type Linux --eula text",
    "az sig image-version create -g rg -r gal -i d -e 1.0.0 --os-vhd-uri https://a/b.vhd",
    "az sig image-version create -g rg -r gal -i d -e 1.0.0 --os-snapshot s --data-snapshots a b",
])
def test_real_az_flags_labtui_does_not_simulate_say_so(world: World, line: str) -> None:
    result = az(world, line)
    assert result.exit_status == 1
    assert "real az accepts this flag, but labtui does not simulate" in result.stderr


def test_values_labtui_does_not_simulate_are_refused_as_such(world: World) -> None:
    community = az(world, "az sig create -g rg -r gal --permissions Community")
    assert community.exit_status == 1 and "real az accepts this value" in community.stderr
    assert az(world, "az sig show -g rg -r gal").exit_status == 3
    private = az(world, "az sig create -g rg -r gal --permissions Private --query sharingProfile.permissions -o tsv")
    assert private.stdout == "Private\n"
    confidential = az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys "
                             "--security-type ConfidentialVM")
    assert confidential.exit_status == 1 and "does not simulate Confidential VMs" in confidential.stderr
    assert az(world, "az vm show -g rg -n vm1").exit_status == 3
    undelete = az(world, "az sig image-version undelete -g rg -r gal -i d -e 1.0.0")
    assert undelete.exit_status == 1 and "does not simulate soft delete" in undelete.stderr


def test_vm_flags_of_the_reference_that_labtui_carries_out(world: World) -> None:
    created = az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys --ssh-key-type Ed25519")
    assert "id_ed25519" in created.stderr
    key = az(world, "az vm show -g rg -n vm1 --query osProfile.linuxConfiguration.ssh.publicKeys[0].keyData -o tsv")
    assert key.stdout.startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5")
    admin = az(world, "az vm show -g rg -n vm1 --query osProfile.adminUsername -o tsv")
    assert admin.stdout == "student\n"          # az's default: the login name on the student's machine
    az(world, "az disk create -g rg -n d1 --size-gb 4")
    disk_id = az(world, "az disk show -g rg -n d1 --query id -o tsv").stdout.strip()
    attached = az(world, f"az vm disk attach -g rg --vm-name vm1 --disk-ids {disk_id}")
    assert attached.exit_status == 0, attached.stderr
    assert az(world, "az vm show -g rg -n vm1 --query storageProfile.dataDisks[0].name -o tsv").stdout == "d1\n"
    assert az(world, "az vm deallocate -g rg -n vm1 --force-deallocate").exit_status == 0
    assert az(world, "az vm delete -g rg -n vm1 --force-deletion --yes").exit_status == 0


def test_vm_stop_without_a_group_fails_before_its_warning(world: World) -> None:
    result = az(world, "az vm stop -n vm1")
    assert result.exit_status == 2
    assert result.stderr.startswith("ERROR: (--resource-group | --ids) are required\n")
    assert "About to power off" not in result.stderr


def test_vm_list_sizes_is_deprecated_but_answers(world: World) -> None:
    result = az(world, "az vm list-sizes -l eastus --query \"[?name=='Standard_D2s_v5']\" -o json")
    assert result.exit_status == 0
    assert "has been deprecated" in result.stderr and "vm list-skus" in result.stderr
    assert '"numberOfCores": 2' in result.stdout and '"memoryInMB": 8192' in result.stdout
    disks = az(world, "az vm list-skus -l eastus --resource-type disks --query [].resourceType -o tsv")
    assert set(disks.stdout.split()) == {"disks"}


def test_help_marks_a_group_required_where_the_command_needs_one(world: World) -> None:
    assert "--resource-group -g     : [Required]" in az(world, "az vm create --help").stdout
    assert "--resource-group -g     : [Required]" in az(world, "az sig image-version create --help").stdout
    assert "--resource-group -g     : [Required]" not in az(world, "az vm show --help").stdout


def test_group_create_managed_by_and_delete_force_types(world: World) -> None:
    shown = az(world, "az group create -n rg2 -l eastus --managed-by /subscriptions/x/resourceGroups/y "
                      "--query managedBy -o tsv")
    assert shown.stdout == "/subscriptions/x/resourceGroups/y\n"
    assert az(world, "az group delete -n rg2 -f Foo -y").exit_status == 2
    assert az(world, "az group delete -n rg2 -f Microsoft.Compute/virtualMachines -y").exit_status == 0


def test_gallery_and_definition_show_and_delete_take_ids_as_az_does(world: World) -> None:
    az(world, "az sig create -g rg -r gal")
    az(world, "az sig image-definition create -g rg -r gal -i def -p p -f o -s s --os-type linux")
    gallery_id = az(world, "az sig show -g rg -r gal --query id -o tsv").stdout.strip()
    definition_id = az(world, "az sig image-definition show -g rg -r gal -i def --query id -o tsv").stdout.strip()
    assert az(world, f"az sig show --ids {gallery_id} --query name -o tsv").stdout == "gal\n"
    both = az(world, f"az sig image-definition show --ids {definition_id} {definition_id} --query [].name -o tsv")
    assert both.stdout == "def\ndef\n"
    missing = az(world, "az sig image-definition show -g rg -i def")
    assert (missing.exit_status, missing.stderr.splitlines()[0]) == (2, "ERROR: (--gallery-name | --ids) are required")
    assert az(world, f"az sig image-definition delete --ids {definition_id}").exit_status == 0
    assert az(world, f"az sig delete --ids {gallery_id}").exit_status == 0
    assert az(world, "az sig list --query length(@)").stdout.strip() == "0"


def test_a_missing_gallery_resource_is_named_with_its_parents_as_arm_does(world: World) -> None:
    az(world, "az sig create -g rg -r gal")
    az(world, "az sig image-definition create -g rg -r gal -i def -p p -f o -s s --os-type linux")
    for line, path in (("az sig show -g rg -r nope", "Microsoft.Compute/galleries/nope"),
                       ("az sig image-definition show -g rg -r gal -i nope", "Microsoft.Compute/galleries/gal/images/nope"),
                       ("az sig image-version show -g rg -r gal -i def -e 1.0.0",
                        "Microsoft.Compute/galleries/gal/images/def/versions/1.0.0")):
        result = az(world, line)
        assert result.exit_status == 3, line
        assert f"(ResourceNotFound) The Resource '{path}' under resource group 'rg' was not found." in result.stderr
    parent = az(world, "az sig image-definition show -g rg -r nope -i def")
    assert "(ParentResourceNotFound)" in parent.stderr and "Parent resource 'nope' not found." in parent.stderr


def test_image_version_source_by_image_version_must_be_an_id(world: World) -> None:
    az(world, "az sig create -g rg -r gal")
    az(world, "az sig image-definition create -g rg -r gal -i def -p p -f o -s s --os-type linux")
    result = az(world, "az sig image-version create -g rg -r gal -i def -e 2.0.0 --image-version 1.0.0")
    assert result.exit_status == 1
    assert ("(LinkedInvalidPropertyId) Property id '1.0.0' at path 'properties.storageProfile.source.id' is "
            "invalid.") in result.stderr


def test_disk_from_a_platform_image_by_the_id_vm_image_show_gives(world: World) -> None:
    urn = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"
    image_id = az(world, f"az vm image show -l eastus --urn {urn} --query id -o tsv").stdout.strip()
    assert image_id.startswith("/Subscriptions/") and "/ArtifactTypes/VMImage/Offers/0001-com-ubuntu-server-jammy/" in image_id
    created = az(world, f"az disk create -g rg -n d1 --image-reference {image_id.lower()} "
                        "--query [creationData.createOption,osType,hyperVGeneration] -o tsv")
    assert created.stdout.split() == ["FromImage", "Linux", "V2"], created.stderr
    by_urn = az(world, f"az disk create -g rg -n d2 --image-reference {urn} --query creationData.imageReference.id -o tsv")
    assert by_urn.stdout.strip() == image_id
    alias = az(world, "az disk create -g rg -n d3 --image-reference Ubuntu2204")
    assert (alias.exit_status, alias.stderr.splitlines()[0]) == (
        1, "ERROR: usage error: --image-reference should be ID or URN (publisher:offer:sku:version).")
    missing = az(world, "az vm image show -l eastus --urn Canonical:nope:nope:latest")
    assert missing.exit_status == 3 and "(NotFound) Artifact: VMImage was not found." in missing.stderr
    # The id names the image in East US: a disk in West US cannot use it.
    elsewhere = az(world, f"az disk create -g rg -n d4 -l westus --image-reference {image_id}")
    assert elsewhere.exit_status == 3 and f"(PlatformImageNotFound) The platform image '{image_id}' is not " \
        "available" in elsewhere.stderr
    west_id = image_id.replace("/Locations/eastus/", "/Locations/westus/")
    assert az(world, f"az disk create -g rg -n d4 -l westus --image-reference {west_id}").exit_status == 0


def test_vm_image_show_reads_urns_as_az_does(world: World) -> None:
    urn = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest"
    # Without -l, az looks in one of the subscription's regions.
    assert az(world, f"az vm image show --urn {urn} --query location -o tsv").stdout == "eastus\n"
    edge = az(world, "az vm image show --urn Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:edgezone1:latest "
                     "--query name -o tsv")
    assert edge.exit_status == 0 and edge.stdout.strip()
    alias = az(world, "az vm image show --urn Ubuntu2204")
    assert (alias.exit_status, alias.stderr) == (1, "ERROR: --urn should be in the format of publisher:offer:sku:version "
                                                 "or publisher:offer:sku:edge_zone:version\n")
    both = az(world, f"az vm image show --urn {urn} --sku 22_04-lts")
    assert both.exit_status == 1 and both.stderr.splitlines() == [
        "ERROR: Please specify all of (--publisher, --offer, --sku, --version), or --urn",
        "Try to use --urn publisher:offer:sku:version or --urn publisher:offer:sku:edge_zone:version"]
    partial = az(world, "az vm image show -p Canonical -f 0001-com-ubuntu-server-jammy")
    assert (partial.exit_status, partial.stderr) == (
        1, "ERROR: Please specify all of (--publisher, --offer, --sku, --version), or --urn\n")
    nowhere = az(world, f"az vm image show -l nowhere --urn {urn}")
    assert nowhere.exit_status == 1 and nowhere.stderr.startswith(
        "ERROR: (LocationNotAvailableForResourceType) The provided location 'nowhere' is not available")


def test_vm_restart_force_redeploys_as_az_vm_redeploy_does(world: World) -> None:
    from labtui.engine.events import OperationAccepted

    az(world, "az vm create -g rg -n vm1 --image Ubuntu2204 --generate-ssh-keys")
    az(world, "az vm deallocate -g rg -n vm1")
    operations: list[str] = []
    world.subscribe(lambda event: operations.append(event.operation), (OperationAccepted,))
    plain = az(world, "az vm restart -g rg -n vm1")
    assert plain.exit_status == 1 and "requires the VM to be running" in plain.stderr
    assert az(world, "az vm restart -g rg -n vm1 --force").exit_status == 0
    assert az(world, "az vm redeploy -g rg -n vm1").exit_status == 0
    assert operations == ["vm.redeploy", "vm.redeploy"]
    state = az(world, "az vm show -g rg -n vm1 -d --query powerState -o tsv")
    assert state.stdout == "VM running\n"


def test_list_skus_zone_keeps_only_regions_with_availability_zones(world: World) -> None:
    zoned = az(world, "az vm list-skus -s Standard_D2s_v5 --zone --query [].locations[0] -o tsv").stdout.split()
    everywhere = az(world, "az vm list-skus -s Standard_D2s_v5 --query [].locations[0] -o tsv").stdout.split()
    assert "eastus" in zoned and "westus" in everywhere and "westus" not in zoned    # westus has no zones
    zones = az(world, "az vm list-skus -l eastus -s Standard_D2s_v5 --query [0].locationInfo[0].zones -o tsv")
    assert zones.stdout.split() == ["1", "2", "3"]
