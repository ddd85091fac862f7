"""Argument types shared by every command group, defined once (as az's _params.py does)."""

from __future__ import annotations

from typing import Sequence

from ..engine import catalog
from .parser import AzArgumentParser, BoolAction, EnumAction, NotSimulated, int_type


def resource_group(p: AzArgumentParser, required: bool = False, help: str = "Name of resource group. You can "
                   "configure the default group using `az configure --defaults group=<name>`.",
                   needed: bool = False) -> None:
    """``needed``: the command cannot run without a group, but `az configure --defaults group=` may give it,
    so the parser leaves it optional and the command checks (``Context.required_group``); help says
    [Required], as az's does."""
    action = p.add_argument("--resource-group", "-g", dest="resource_group", required=required, help=help)
    action.needed = needed


def name(p: AzArgumentParser, help: str, options: Sequence[str] = ("--name", "-n"), dest: str = "name",
         required: bool = False) -> None:
    p.add_argument(*options, dest=dest, required=required, help=help)


def ids(p: AzArgumentParser) -> None:
    p.add_argument("--ids", nargs="+", dest="ids", help="One or more resource IDs (space-delimited). It should be "
                   "a complete resource ID containing all information of 'Resource Id' arguments. If provided, no "
                   "other 'Resource Id' arguments should be specified.")


def identified(p: AzArgumentParser, help: str, options: Sequence[str] = ("--name", "-n"), dest: str = "name") -> None:
    """The usual trio for an existing resource: -g, -n (or another name flag), --ids."""
    resource_group(p)
    name(p, help, options, dest)
    ids(p)


def location(p: AzArgumentParser, help: str = "Location. Values from: `az account list-locations`. You can "
             "configure the default location using `az configure --defaults location=<location>`.") -> None:
    p.add_argument("--location", "-l", dest="location", help=help)


def tags(p: AzArgumentParser) -> None:
    p.add_argument("--tags", nargs="*", dest="tags", help="Space-separated tags: key[=value] [key[=value] ...]. "
                   'Use "" to clear existing tags.')


def no_wait(p: AzArgumentParser) -> None:
    p.add_argument("--no-wait", dest="no_wait", action="store_true", help="Do not wait for the long-running "
                   "operation to finish.")


def yes(p: AzArgumentParser) -> None:
    p.add_argument("--yes", "-y", dest="yes", action="store_true", help="Do not prompt for confirmation.")


def enum(p: AzArgumentParser, *options: str, choices: Sequence[str], dest: str, help: str,
         default: str | None = None, required: bool = False, nargs: str | None = None) -> None:
    kwargs = {"nargs": nargs} if nargs else {}
    p.add_argument(*options, dest=dest, action=EnumAction, choices=list(choices), default=default,
                   required=required, help=help + (f"  Allowed values: {', '.join(choices)}." if choices else ""),
                   **kwargs)


def boolean(p: AzArgumentParser, *options: str, dest: str, help: str, default: bool | None = None) -> None:
    p.add_argument(*options, dest=dest, action=BoolAction, default=default, help=help + "  Allowed values: false, true.")


def integer(p: AzArgumentParser, *options: str, dest: str, help: str, default: int | None = None,
            required: bool = False) -> None:
    p.add_argument(*options, dest=dest, type=int_type, default=default, required=required, help=help)


def disk_sku(p: AzArgumentParser, options: Sequence[str] = ("--sku",), default: str | None = None,
             help: str = "Underlying storage SKU.") -> None:
    enum(p, *options, choices=catalog.DISK_SKUS, dest="sku", default=default, help=help)


def hyper_v_generation(p: AzArgumentParser, default: str | None = None, help: str = "The hypervisor generation "
                       "of the Virtual Machine. Applicable to OS disks only.") -> None:
    enum(p, "--hyper-v-generation", choices=("V1", "V2"), dest="hyper_v_generation", default=default, help=help)


def os_type(p: AzArgumentParser, help: str = "The Operating System type.") -> None:
    enum(p, "--os-type", choices=("Linux", "Windows"), dest="os_type", help=help)


def not_simulated(p: AzArgumentParser, flag: str, what: str, help: str) -> None:
    """A flag of real az's that labtui refuses with a plain word on what it does not simulate."""
    p.add_argument(flag, dest=flag.lstrip("-").replace("-", "_"), action=NotSimulated, what=what,
                   help=f"{help} (Not simulated in labtui.)")
