"""Textual's Footer, which mounts its keys again only when the keys it shows change.

Textual's Footer mounts a widget per key at every change of the screen's active bindings (each focus
change makes one, and the command line's focus at a login made two), and each of those mounts lays
the whole screen out. Most such changes leave the keys on show as they were.
"""

from __future__ import annotations

from typing import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    def __init__(self, **options) -> None:
        super().__init__(**options)
        self._shown: Hashable = None

    def shown_keys(self) -> Hashable:
        """What the footer draws: each key on show, its text, and whether it is enabled."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple((key, binding.key_display, binding.description, binding.action, enabled, tooltip)
                     for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                     if binding.show or key == palette)

    def bindings_changed(self, screen: Screen) -> None:
        shown = self.shown_keys()
        ours = self.is_attached and screen is self.screen
        if ours and shown == self._shown:
            return
        super().bindings_changed(screen)
        if ours and screen.app.app_focus:       # Footer mounts the keys only then
            self._shown = shown
