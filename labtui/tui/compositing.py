"""Partial screen updates that render only the rows being updated.

When a widget changes, Textual's compositor (8.2.8) gathers the dirty regions into one crop and asks
every widget that overlaps the crop for *all* of its visible lines, then keeps only the crop's rows.
On labtui's main screen a key typed in the command line (3 rows) so rendered about 85 lines: the
screen, the panes behind it and the Output pane, each whole. Here each widget renders only its rows
inside the crop; columns are left whole, because the compositor splits each row at widget edges and
a cut elsewhere would shift what it draws.

The frame is the same either way (the snapshot tests pin it); a key costs about half the CPU, which
is what lets fifty sessions share two cores. The replacement is installed only on the Textual it was
written against (the project pins it exactly): a newer one is left as it is until checked again.
"""

from __future__ import annotations

from typing import Iterable

import textual
from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

WRITTEN_FOR = "8.2.8"
_whole_renders = Compositor._get_renders


def _rows_in_crop(self: Compositor, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """(region, the part drawn, its strips) for each visible widget, front to back, as Textual's own
    method gives them; with a crop, the part drawn is limited to the crop's rows."""
    if crop is None:
        yield from _whole_renders(self, crop)
        return
    top, bottom = crop.y, crop.bottom
    for widget, (region, clip) in self.visible_widgets.items():
        if not crop.overlaps(clip):
            continue
        shown = region.intersection(clip)
        first, last = max(shown.y, top), min(shown.bottom, bottom)
        if last <= first or not shown.width:
            continue
        drawn = Region(shown.x, first, shown.width, last - first)
        yield region, drawn, widget.render_lines(drawn.translate((-region.x, -region.y)))


def install() -> bool:
    """Use the row-limited renders; False (and Textual untouched) on a Textual this was not checked on."""
    if textual.__version__ != WRITTEN_FOR:
        return False
    Compositor._get_renders = _rows_in_crop
    return True


def installed() -> bool:
    return Compositor._get_renders is _rows_in_crop
