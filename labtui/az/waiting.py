"""az's ``wait`` commands: advance the simulated clock until a condition holds, as az polls until one does."""

from __future__ import annotations

from typing import Any, Callable

import jmespath

from .framework import Context
from .parser import AzUsageError

POLL_SECONDS = 30


def wait_arguments(p) -> None:
    p.add_argument("--created", action="store_true", help="Wait until created with 'provisioningState' at 'Succeeded'.")
    p.add_argument("--updated", action="store_true", help="Wait until updated with provisioningState at 'Succeeded'.")
    p.add_argument("--deleted", action="store_true", help="Wait until deleted.")
    p.add_argument("--exists", action="store_true", help="Wait until the resource exists.")
    p.add_argument("--custom", dest="custom", help="Wait until the condition satisfies a custom JMESPath query. "
                   "E.g. provisioningState!='InProgress', instanceView.statuses[?code=='PowerState/running'].")
    p.add_argument("--interval", type=int, default=POLL_SECONDS, help="Polling interval in seconds.  Default: 30.")
    p.add_argument("--timeout", type=int, default=3600, help="Maximum wait in seconds.  Default: 3600.")


def wait_for(ctx: Context, fetch: Callable[[], Any], provisioning: Callable[[Any], str],
             view: Callable[[Any], dict] | None = None) -> None:
    """Poll ``fetch`` every ``--interval`` simulated seconds until the asked condition holds."""
    args = ctx.args
    if not any((args.created, args.updated, args.deleted, args.exists, args.custom)):
        raise AzUsageError("incorrect usage: --created | --updated | --deleted | --exists | --custom", 1)
    world = ctx.world
    deadline = world.now + args.timeout
    while True:
        resource = fetch()
        if _met(ctx, resource, provisioning, view):
            return
        if world.now >= deadline:
            raise AzUsageError(f"Wait operation timed-out after {args.timeout} seconds", 1)
        ctx.waits.pause(world, min(max(1, args.interval), deadline - world.now))


def _met(ctx: Context, resource: Any, provisioning: Callable[[Any], str], view: Callable[[Any], dict] | None) -> bool:
    args = ctx.args
    if args.deleted:
        return resource is None
    if resource is None:
        return False
    if args.exists:
        return True
    if args.created or args.updated:
        return provisioning(resource) == "Succeeded"
    body = view(resource) if view else ctx.world.to_arm(resource)
    return bool(jmespath.search(args.custom, body))
