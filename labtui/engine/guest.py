"""The guest operating system of a simulated VM, and the console a student types into.

The guest's state lives on the VM's OS disk (a snapshot freezes it, a disk copied from a snapshot
carries it), so :class:`GuestState` is plain data: str/int/bool/list/dict/None fields only, which
cattrs can (un)structure. Everything else -- the consoles, their parsers, the catalogues of
packages and Windows features -- is code that reads and changes that data.

Two consoles, each a shell in its own module (with the modelling decisions it makes):

* Windows: Windows PowerShell 5.1 (:mod:`labtui.engine.guest_powershell`).
* Linux: bash as the admin user over SSH, with ``sudo`` (:mod:`labtui.engine.guest_bash`).

What both share (the internal result of a line, the shell base class) is in
:mod:`labtui.engine.guest_common`.

A console never raises: every line gets a :class:`GuestOutcome`. Things the simulator does not
model get an honest note starting with ``[labtui]`` instead of a made-up imitation of real output.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping

from .guest_bash import Bash
from .guest_common import NOTE, Ask, Shell
from .guest_powershell import PowerShell
from .guest_state import DiskWrite, GuestOutcome, GuestState, Reboot, Shutdown

__all__ = [
    "DEFAULT_DURATIONS",
    "DiskWrite",
    "GuestConsole",
    "GuestOutcome",
    "GuestState",
    "Reboot",
    "Shutdown",
]

DEFAULT_DURATIONS: dict[str, float] = {
    "guest.sysprep": 180.0,   # sysprep /generalize until the guest has powered itself off
    "guest.shutdown": 20.0,   # an orderly OS shutdown / the start of a reboot
}


# =================================================================================================
# The console
# =================================================================================================


class GuestConsole:
    """An interactive console on the guest. ``run`` takes one typed line at a time."""

    def __init__(self, state: GuestState, durations: Mapping[str, float] | None = None, *,
                 as_service: bool = False,
                 clock: Callable[[], _dt.datetime] | None = None) -> None:
        """``as_service`` runs as root / NT AUTHORITY\\SYSTEM without a terminal, as
        ``az vm run-command`` does: questions then read end-of-input. ``clock`` gives the guest's
        current time (UTC) for timestamps; defaults to the host's clock."""
        self.state = state
        self.durations: dict[str, float] = dict(DEFAULT_DURATIONS)
        if durations:
            for key, value in durations.items():
                try:
                    self.durations[key] = float(value)
                except (TypeError, ValueError):
                    pass
        self.as_service = as_service
        self._clock = clock or (lambda: _dt.datetime.now(_dt.timezone.utc))
        self._ask: Ask | None = None
        self._shell: Shell = (PowerShell(self) if state.os_type.lower().startswith("win")
                              else Bash(self))

    # --- public ---------------------------------------------------------------------------------
    @property
    def prompt(self) -> str:
        """The shell prompt, or the pending question while :attr:`awaiting_answer`."""
        if self._ask is not None:
            return self._ask.prompt
        try:
            return self._shell.prompt()
        except Exception:  # noqa: BLE001 - a prompt must always be shown
            return "$ "

    @property
    def awaiting_answer(self) -> bool:
        return self._ask is not None

    def simulated_commands(self) -> list[str]:
        """The commands this console simulates (anything else says it is not simulated), for a
        front end to list: the guest's own `help` means something else on each OS."""
        return self._shell.simulated_commands()

    def run(self, line: str) -> GuestOutcome:
        try:
            line = "" if line is None else str(line)
            line = line.replace("\r\n", "\n").replace("\r", "\n")
            if self._ask is not None:
                ask, self._ask = self._ask, None
                res = ask.on_answer(line)
            else:
                res = self._shell.execute(line)
            self._ask = res.ask
            return GuestOutcome(output="\n".join(res.lines), exit_status=res.status,
                                effects=tuple(res.effects),
                                prompt=res.ask.prompt if res.ask is not None else None)
        except Exception as exc:  # noqa: BLE001 - a console never raises
            self._ask = None
            return GuestOutcome(output=f"{NOTE}internal simulator error ({type(exc).__name__}) while "
                                       "running this line; please report it.", exit_status=1)

    # --- helpers shared by both shells ----------------------------------------------------------
    def now(self) -> _dt.datetime:
        try:
            value = self._clock()
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.timezone.utc)
            return value.astimezone(_dt.timezone.utc)
        except Exception:  # noqa: BLE001
            return _dt.datetime(2025, 1, 1, tzinfo=_dt.timezone.utc)

    def duration(self, key: str) -> float:
        return self.durations.get(key, DEFAULT_DURATIONS.get(key, 0.0))
