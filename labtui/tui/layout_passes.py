"""One layout of a screen where Textual (8.2.8) makes several that change nothing.

A layout places every widget of the screen again (10-40 ms on the main screen), and a login to a lab
made five of them after the first, each for nothing:

- Each widget whose virtual size a layout sets asks for another layout (``Widget.virtual_size`` is a
  layout reactive), although the layout just placed it. The only thing a new virtual size can change
  is whether a scrollbar shows, and the scrollbar asks for its own layout when it comes or goes.
  Here the size is set quietly and the widget repainted.
- A widget asks for a layout at once, but tells its screen only when it next goes idle: a layout
  that runs between the two places the widget as it is, and the message that comes after it asks
  for another one. Here a layout first takes in every request still untold (clearing the cached
  arrangements of the widget's containers, as the message would), and a message older than the last
  layout is dropped.
- A hidden widget asks for a layout when its display is set to hidden again (the toast rack does, on
  every screen it first shows: an inline rule replaces the CSS one). A widget that was hidden at the
  last layout and still is takes no room either way: its request is dropped.
- A new screen gets a Resize after its first layout, at the size it was just laid out for, and is
  laid out again for it. Here that size is skipped.
- push_screen asks for a layout of a new screen once the screen is mounted. The screen's resume,
  which push_screen posts too, lays it out at its size already, and each widget mounted after that
  asks for its own. Here the push asks for none.

Each frame is the one Textual draws (tests/test_tui_layout_passes.py); installed only on the Textual
this was checked against (the project pins it exactly).
"""

from __future__ import annotations

import asyncio
from typing import Generator

import textual
import textual.app
from textual import _time, messages
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import AwaitMount, Widget

WRITTEN_FOR = "8.2.8"
_size_updated = Widget._size_updated
_refresh_layout = Screen._refresh_layout
_on_layout = Screen._on_layout
_screen_resized = Screen._screen_resized


def _size_updated_quietly(self: Widget, size: Size, virtual_size: Size, container_size: Size,
                          layout: bool = True) -> bool:
    new_virtual_size = self.virtual_size != virtual_size
    resized = _size_updated(self, size, virtual_size, container_size, layout=False)
    if layout and new_virtual_size:
        self.refresh()
    return resized


def _take_in_requests(screen: Screen) -> set[Widget]:
    """Do now what each widget's idle would do for a layout it asked for: this layout places it.
    Returns the widgets hidden (``display`` off) as the layout starts."""
    hidden: set[Widget] = set()
    for widget in screen.walk_children(Widget):
        if not widget.display:
            hidden.add(widget)
        if not widget._layout_required:
            continue
        widget._layout_required = False
        for ancestor in widget.ancestors:
            if not isinstance(ancestor, Widget):
                break
            ancestor._clear_arrangement_cache()
            ancestor._layout_updates += 1
            if not ancestor.styles.auto_dimensions:
                break
    return hidden


def _refresh_layout_once(self: Screen, size: Size | None = None, scroll: bool = False) -> None:
    if not (scroll and not self._layout_widgets):        # a whole layout, not a scroll's
        # It answers the screen's own request too: laid out straight from a resume or a resize, the
        # screen kept the request its widgets' mount made, and was laid out again for it.
        self._layout_required = False
        self._hidden_at_layout = _take_in_requests(self)
        self._laid_out_at = _time.get_time()
    _refresh_layout(self, size, scroll)


async def _on_layout_unless_done(self: Screen, message: messages.Layout) -> None:
    widget = message.widget
    hidden_still = not widget.display and widget in getattr(self, "_hidden_at_layout", ())
    if hidden_still or message.time < getattr(self, "_laid_out_at", float("-inf")):
        message.stop()
        message.prevent_default()
        return
    await _on_layout(self, message)


def _screen_resized_to_a_new_size(self: Screen, size: Size) -> None:
    if size != self._compositor.size:
        _screen_resized(self, size)


class _AwaitMountOnce(AwaitMount):
    """Textual's AwaitMount, but a pushed screen (awaited as its own only widget) is not laid out
    again for its mount: its resume lays it out."""

    def __await__(self) -> Generator[None, None, None]:
        screen = self._parent
        if not (isinstance(screen, Screen) and list(self._widgets) == [screen]):
            return super().__await__()

        async def mounted() -> None:
            # Waited in a task, as Textual does: the turns of the event loop that takes let the
            # screen's resume lay it out before the push's await returns.
            await asyncio.wait([asyncio.create_task(screen._mounted_event.wait(), name="await mount")])
            screen.app._update_mouse_over(screen)

        return mounted().__await__()


def install() -> bool:
    """Lay screens out once; False (and Textual untouched) on a Textual this was not checked on."""
    if textual.__version__ != WRITTEN_FOR:
        return False
    Widget._size_updated = _size_updated_quietly
    Screen._refresh_layout = _refresh_layout_once
    Screen._on_layout = _on_layout_unless_done
    Screen._screen_resized = _screen_resized_to_a_new_size
    textual.app.AwaitMount = _AwaitMountOnce      # the one push_screen makes
    return True


def installed() -> bool:
    return Screen._refresh_layout is _refresh_layout_once and textual.app.AwaitMount is _AwaitMountOnce
