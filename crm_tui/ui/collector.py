"""How often Python's cyclic collector runs while the app is open (a module of its own, with
no Textual in it, so that `crm-tui` can set it before it imports the app).

Python collects its youngest generation every 700 allocations; a screen being built allocates
hundreds of thousands of small objects, so the default made opening the evidence viewer swing
between 190 and 350 ms as full collections landed mid-paint (benchmarks/evidence.py). Fewer,
larger collections keep every open near the low figure, for a little more memory.

Set from the moment `crm-tui` opens the app, before Textual and the app's screens are
imported (cli._launch), not only once the app is mounted: importing them with the default
made some 190 collections, one of them a full collection of every object the imports had
made, about 65 ms of processor time before the inbox's first paint to the bare Textual app's
20 (issue 17). The app sets it again as it mounts (CrmApp.on_mount), for an app made without
the command line (the tests).
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 50, 100)


def collect_seldom() -> None:
    """Python's collector at THRESHOLDS."""
    gc.set_threshold(*THRESHOLDS)
