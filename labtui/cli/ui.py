"""`labtui`, `labtui explore` and `labtui lab ID`: the terminal UI."""

from __future__ import annotations

import argparse
import sys

from .sandbox import data_dir, log_to, seed_of


def run_tui(options: argparse.Namespace) -> int:
    lab = None
    if getattr(options, "lab", None):
        from .labs import _load

        lab = _load(options.lab)
        if lab is None:
            return 2
    if not sys.stdout.isatty():
        sys.stderr.write("labtui: the terminal UI needs a terminal. For scripts, use `labtui shell` or `labtui az`.\n")
        return 2
    from ..tui.startup import imports_done, pause_collector

    pause_collector()                   # until the first screen is drawn: see labtui.tui.startup
    from ..tui.app import LabtuiApp

    imports_done()

    directory = data_dir(options.data_dir)
    log_to(directory)
    app = LabtuiApp(directory, seed=seed_of(options.seed) if options.seed is not None else None, lab=lab,
                    restart=bool(getattr(options, "restart", False)), start_free=options.command == "explore")
    app.run()
    return app.return_code or 0

