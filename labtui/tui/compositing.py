"""Partial screen updates that render only the rows being updated.

When widgets change, Textual's compositor (8.2.8) gathers their regions into one bounding crop and
asks every widget whose clip (the container it is drawn in) overlaps the crop for *all* of its
visible lines; only then does it keep the cells it sends, those of the changed regions. On labtui's
main screen a key typed in the command line (3 rows) so rendered about 85 lines, and a new step in
the lab guide rendered every pane beside it whole. Here a widget renders only the rows where one of
the changed regions meets it (so the panes beside the guide, inside the crop but in no changed
region, render nothing), in runs of consecutive rows. A widget's columns are left whole, because
the compositor splits each row at widget edges and a cut elsewhere would shift what it draws.

The frame is the same either way (tests/test_tui_compositing.py compares the two); it costs a
fraction of the CPU, which is what lets fifty classroom sessions share two cores. The replacement is
installed only on the Textual it was written against (the project pins it exactly): a newer one is
left as it is until checked again.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

import textual
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

WRITTEN_FOR = "8.2.8"
_whole_renders = Compositor._get_renders
_all_chops = Compositor._render_chops
_whole_partial_update = Compositor.render_partial_update
# The rows the update being rendered draws (the compositor renders on the event loop's thread only).
_drawn_rows: Callable[[int], bool] | None = None
# The regions a partial update sends, and the compositor rendering it.
_update: tuple[Compositor, list[Region]] | None = None


def _row_runs(crop: Region, drawn: Callable[[int], bool] | None) -> list[tuple[int, int]]:
    """The crop's rows that are drawn, as runs [start, end)."""
    if drawn is None:
        return [(crop.y, crop.bottom)]
    runs: list[tuple[int, int]] = []
    for y in crop.line_range:
        if not drawn(y):
            continue
        if runs and runs[-1][1] == y:
            runs[-1] = (runs[-1][0], y + 1)
        else:
            runs.append((y, y + 1))
    return runs


def _rows_in_crop(self: Compositor, crop: Region | None = None) -> Iterable[tuple[Region, Region, list[Strip]]]:
    """(region, the part drawn, its strips) for each visible widget, front to back, as Textual's own
    method gives them; with a crop, only the drawn rows within it that no widget in front covers (in a
    partial update, only the rows where a changed region meets the widget and is not covered)."""
    if crop is None:
        yield from _whole_renders(self, crop)
        return
    regions = _update[1] if _update is not None and _update[0] is self else None
    crop_runs = _row_runs(crop, _drawn_rows)
    covered: dict[int, list[tuple[int, int]]] = {}     # row -> column spans already drawn, front first
    for widget, (region, clip) in self.visible_widgets.items():
        shown = region.intersection(clip)
        if not shown.overlaps(crop):
            continue        # beside the update: what it would draw there is never sent
        left, right = shown.x, shown.right
        if regions is None:
            # The compositor keeps the first strip it gets for each cell: rows where widgets in front
            # already span these columns would be rendered only to be thrown away.
            runs = [run for start, end in crop_runs
                    for run in _uncovered_runs(covered, max(shown.y, start), min(shown.bottom, end), left, right)]
        else:
            runs = _uncovered_rows_of_regions(covered, shown, regions)
        for top, bottom in runs:
            drawn = Region(left, top, right - left, bottom - top)
            yield region, drawn, widget.render_lines(drawn.translate((-region.x, -region.y)))


def _uncovered_rows_of_regions(covered: dict[int, list[tuple[int, int]]], shown: Region,
                               regions: list[Region]) -> list[tuple[int, int]]:
    """The rows where a changed region meets ``shown`` in cells no widget in front drew, as runs; the
    widget's columns in them are then marked drawn. A container behind the one pane that changed
    (the screen's row of panes, say) so renders nothing."""
    rows: set[int] = set()
    for changed in regions:
        part = shown.intersection(changed)
        if not part.area:
            continue        # beside it: the intersection keeps the rows even when no column is shared
        for y in part.line_range:
            if not any(a <= part.x and part.right <= b for a, b in covered.get(y, ())):
                rows.add(y)
    runs: list[tuple[int, int]] = []
    for y in sorted(rows):
        covered.setdefault(y, []).append((shown.x, shown.right))
        if runs and runs[-1][1] == y:
            runs[-1] = (runs[-1][0], y + 1)
        else:
            runs.append((y, y + 1))
    return runs


def _uncovered_runs(covered: dict[int, list[tuple[int, int]]], first: int, last: int, left: int,
                    right: int) -> list[tuple[int, int]]:
    """Rows [first, last) where columns [left, right) are not all drawn yet, as runs; they are then
    marked drawn."""
    runs: list[tuple[int, int]] = []
    for y in range(first, last):
        spans = covered.setdefault(y, [])
        if any(a <= left and right <= b for a, b in spans):
            continue
        spans.append((left, right))
        if len(spans) > 1:
            spans[:] = _merged(spans)
        if runs and runs[-1][1] == y:
            runs[-1] = (runs[-1][0], y + 1)
        else:
            runs.append((y, y + 1))
    return runs


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _chops_of_drawn_rows(self: Compositor, crop: Region,
                         is_rendered_line: Callable[[int], bool]) -> Sequence[dict[int, Strip | None]]:
    global _drawn_rows
    outer, _drawn_rows = _drawn_rows, is_rendered_line
    try:
        return _all_chops(self, crop, is_rendered_line)
    finally:
        _drawn_rows = outer       # a modal's background screen renders within the screen above it


def _partial_update(self: Compositor) -> ChopsUpdate | None:
    """Textual's render_partial_update, with the changed regions kept for ``_rows_in_crop``."""
    global _update
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    screen_region = self.size.region
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    outer, _update = _update, (self, list(update_regions))
    try:
        chops = self._render_chops(crop, is_rendered_line)
    finally:
        _update = outer
    return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in self.cuts])


def install() -> bool:
    """Use the row-limited renders; False (and Textual untouched) on a Textual this was not checked on."""
    if textual.__version__ != WRITTEN_FOR:
        return False
    Compositor._get_renders = _rows_in_crop
    Compositor._render_chops = _chops_of_drawn_rows
    Compositor.render_partial_update = _partial_update
    return True


def installed() -> bool:
    return (Compositor._get_renders is _rows_in_crop and Compositor._render_chops is _chops_of_drawn_rows
            and Compositor.render_partial_update is _partial_update)
