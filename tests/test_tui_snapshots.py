"""SVG snapshots of the screens a student sees most (pytest-textual-snapshot). After a deliberate
change to a screen, look at the new picture, then: pytest tests/test_tui_snapshots.py --snapshot-update"""

from __future__ import annotations

import pytest

from tui_helpers import SIZE
from tui_scenes import SCENES


@pytest.mark.parametrize("name", list(SCENES))
def test_screen(name, snap_compare, tmp_path):
    build, before = SCENES[name]
    assert snap_compare(build(tmp_path), terminal_size=SIZE, run_before=before)
