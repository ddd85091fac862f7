"""The garbage collector while the app starts.

Start-up imports the app and builds its screen: hundreds of thousands of objects, most of which live as
long as the app does. Python's collector scans them again and again as they pile up, which cost about
60 ms of the first frame (of about 400). So the entry point pauses it before importing the app, freezes
what the imports made (modules and classes live for the whole process, so later collections can skip
them), and the app switches it back on once its first screen is drawn. The world is not frozen: a lab
reset or another lab replaces it, and it must then be collected.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    gc.disable()


def imports_done() -> None:
    gc.freeze()


def resume_collector() -> None:
    """Safe to call more than once, and a no-op where the collector was never paused (tests, the
    classroom's sessions)."""
    if not gc.isenabled():
        gc.enable()
