"""The command table: what every az command is (path, arguments, handler, help), and the context a
handler runs in. Handlers are thin: parse, resolve names to ids, one engine call, render."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Callable, Sequence

import attrs

from ..engine.errors import ArmError
from ..engine.operations import Operation
from ..engine.resources import Resource, ResourceGroup
from .parser import AzArgumentParser, AzUsageError

if TYPE_CHECKING:
    from ..engine.world import World

Handler = Callable[["Context"], Any]
ArgumentSpec = Callable[[AzArgumentParser], None]


@attrs.frozen
class Example:
    summary: str
    text: str


@attrs.frozen
class Command:
    path: str                                   # "vm start"
    handler: Handler
    arguments: ArgumentSpec
    summary: str
    examples: tuple[Example, ...] = ()
    long_summary: str = ""
    table: str | Callable[[Any], Any] | None = None   # JMESPath projection for -o table
    no_wait: bool = False
    confirm: bool = False                       # prompts "Are you sure..." unless --yes
    extension: str | None = None                # only present once `az extension add` added this
    validator_exit: int = 3                     # exit status for a 404 raised while validating (az: 2)
    preview: str | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.path.split())


@attrs.frozen
class Waits:
    """How az waits for a long-running operation. By default it fast-forwards the simulated clock (a script
    or `labtui az` has nothing to watch); a live host such as the TUI lends real time instead, so the
    student sees the operation's states go by."""

    until_done: Callable[["World", Operation], None] = lambda world, op: world.finish(op)
    # Between two polls of a `wait` command (`az vm wait --custom ...`): this many simulated seconds.
    pause: Callable[["World", float], None] = lambda world, seconds: world.advance(seconds)


FAST_FORWARD = Waits()

# The student's own machine, where az runs: its login name is az's default admin username, and its
# home holds the files az writes (generated SSH keys, the config file).
LOCAL_USER = "student"
LOCAL_HOME = f"/home/{LOCAL_USER}"


@attrs.define
class Context:
    """What a handler sees: the world, its parsed arguments, and az's client-side conveniences."""

    world: "World"
    command: Command
    args: argparse.Namespace
    interactive: bool = False
    ask: Callable[[str], str] | None = None
    warnings: list[str] = attrs.Factory(list)
    validating: bool = False        # a 404 while resolving inputs exits 2, as in az's validators
    waits: Waits = FAST_FORWARD

    @property
    def state(self) -> dict:
        """az's own client state (configured defaults, extensions), saved with the world."""
        return az_state(self.world)

    def state_changed(self) -> None:
        """Call after changing ``state``: it is saved with the world, and the autosave follows events."""
        self.world.annex_changed("az")

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @property
    def no_wait(self) -> bool:
        return bool(getattr(self.args, "no_wait", False))

    def run(self, op: Operation) -> Any:
        """Wait for a long-running operation as az does (unless --no-wait), raising its failure."""
        if self.no_wait:
            return None
        return self.finish(op)

    def finish(self, op: Operation) -> Any:
        """Wait for ``op`` whatever --no-wait says (az itself waits for some steps), raising its failure."""
        self.waits.until_done(self.world, op)
        return outcome(op)

    def confirm(self) -> None:
        if getattr(self.args, "yes", False):
            return
        question = "Are you sure you want to perform this operation? (y/n): "
        if self.interactive and self.ask is not None:
            answer = self.ask(question)
            if answer.strip().lower() in ("y", "yes"):
                return
            raise AzUsageError("Operation cancelled.", 1)
        self.warn("Unable to prompt for confirmation as no tty available. Use --yes.")
        raise AzUsageError("Operation cancelled.", 1)

    # --- resolving what the student named ----------------------------------------------------
    def group_or_default(self) -> str | None:
        """-g, else the group set with `az configure --defaults group=...`."""
        return getattr(self.args, "resource_group", None) or self.state["defaults"].get("group")

    def required_group(self) -> str:
        group = self.group_or_default()
        if not group:
            raise AzUsageError("the following arguments are required: --resource-group/-g", 2)
        return group

    def location_or_default(self) -> str | None:
        return getattr(self.args, "location", None) or self.state["defaults"].get("location")

    def listed(self, cls: type[Resource]) -> list[dict]:
        """Every resource of a type, in -g (or the default group) when one is given, as az shows them."""
        group = self.group_or_default()
        if group:
            self.world.require_group(group)
        return [shown(self.world, r) for r in self.world.list(cls, group)]

    def targets(self, cls: type[Resource], name_dest: str = "name") -> list[Resource]:
        """The resources named by ``--ids``, or by ``-g`` and the name argument."""
        ids = getattr(self.args, "ids", None)
        if ids:
            return [self.world.require_id(cls, resource_id) for resource_id in ids]
        group = self.group_or_default()
        name = getattr(self.args, name_dest, None)
        if not group and not name:
            raise AzUsageError("(--resource-group | --ids) are required", 2)
        if not group:
            raise AzUsageError("InvalidArgumentValue: Missing required field: --resource-group", 1, prefix="ERROR: ")
        if not name:
            raise AzUsageError(f"InvalidArgumentValue: Missing required field: {NAME_FLAGS.get(name_dest, '-n')}", 1)
        return [self.world.require(cls, group, name)]

    def target(self, cls: type[Resource], name_dest: str = "name") -> Resource:
        return self.targets(cls, name_dest)[0]


NAME_FLAGS = {"name": "-n", "vm_name": "--vm-name"}


class DeploymentFailed(ArmError):
    """A failure inside `az vm create`'s ARM deployment, which az prints as the deployment's JSON."""

    def __init__(self, inner: ArmError, target: str):
        super().__init__(inner.code, inner.message, inner.status)
        self.target = target

    def render(self) -> str:
        import json

        body = {"status": "Failed", "error": {
            "code": "DeploymentFailed", "target": self.target,
            "message": "At least one resource deployment operation failed. Please list deployment operations for "
                       "details. Please see https://aka.ms/arm-deployment-operations for usage details.",
            "details": [{"code": self.code, "message": self.message}]}}
        return f"ERROR: {json.dumps(body, separators=(',', ':'))}\n"


def outcome(op: Operation) -> Any:
    """A finished operation's result, or its failure raised as az reports it."""
    if op.status == "Failed" and op.error:
        raise ArmError(op.error["code"], op.error["message"])
    if op.status == "Canceled":
        raise ArmError("Canceled", op.error["message"] if op.error else "The operation was canceled.")
    return op.result


def az_state(world: "World") -> dict:
    state = world.annex.setdefault("az", {})
    state.setdefault("defaults", {})
    state.setdefault("extensions", [])
    return state


def parse_tags(values: Sequence[str] | None) -> dict[str, str] | None:
    """az's ``--tags a=b c=d`` (and ``--tags ""`` to clear)."""
    if values is None:
        return None
    tags: dict[str, str] = {}
    for value in values:
        if not value:
            continue
        key, _, val = value.partition("=")
        tags[key] = val
    return tags


def resource_group_of(resource_id: str) -> str | None:
    parts = resource_id.split("/")
    for index, part in enumerate(parts[:-1]):
        if part.lower() == "resourcegroups":
            return parts[index + 1]
    return None


def add_resource_groups(value: Any) -> Any:
    """Add ``resourceGroup`` beside every ``id`` that names one, as az's output transform does."""
    if isinstance(value, dict):
        for item in value.values():
            add_resource_groups(item)
        resource_id = value.get("id")
        if isinstance(resource_id, str) and "resourceGroup" not in value:
            group = resource_group_of(resource_id)
            if group is not None:
                value["resourceGroup"] = group
    elif isinstance(value, list):
        for item in value:
            add_resource_groups(item)
    return value


def flatten(arm: dict) -> dict:
    """ARM JSON as az prints it: ``properties`` merged into the top level, ``resourceGroup`` added."""
    properties = arm.get("properties")
    body = {k: v for k, v in arm.items() if k != "properties"}
    if isinstance(properties, dict):
        for key, value in properties.items():
            body[key] = _flatten_nested(value)
    return add_resource_groups(body)


def _flatten_nested(value: Any) -> Any:
    if isinstance(value, list):
        return [flatten(item) if isinstance(item, dict) and isinstance(item.get("properties"), dict)
                else item for item in value]
    return value


def shown(world: "World", resource: Resource) -> dict:
    arm = world.to_arm(resource)
    if isinstance(resource, ResourceGroup):
        return arm   # az prints a group as ARM returns it (quickstart output has no resourceGroup key)
    return flatten(arm)

