"""The command palette (ctrl+p): on the main screen it offers the selected resource's actions first,
then the create forms, the clock and the lab; each entry says the az command it runs."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ActionsProvider(Provider):
    def _entries(self):
        screen = self.screen
        return screen.palette_actions() if hasattr(screen, "palette_actions") else []

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, partial(callback), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(callback), help=help_text)
