"""The garbage collector while the app starts.

Start-up imports the app and builds its screen: hundreds of thousands of objects that live as long as
the app does. Python's collector scans them again and again as they pile up, which cost about 60 ms of
the first frame (of about 400). So the entry point pauses it before importing the app, and the app
resumes it once its first screen is drawn, after freezing what start-up made so that later collections
skip those objects.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    gc.disable()


def resume_collector() -> None:
    """Safe to call more than once, and a no-op where the collector was never paused (tests, the
    classroom's sessions, which their forker froze already)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
