"""Run every benchmark: `python -m benchmarks [--big]`.

--big also seeds a database of 100,000 customers and 5,000,000 log-sheet entries (about three
minutes on two cores) and measures the home screen on it.
"""

from __future__ import annotations

import os
import sys

# Textual paints at most 60 frames a second, so "until the next repaint" would round every
# figure up to ~17 ms; with the cap raised the benchmark times the work itself.
os.environ.setdefault("TEXTUAL_FPS", "1000")
os.environ.setdefault("CRM_TUI_NOW", "2026-11-28T10:00:00")

from benchmarks import calendar, evidence, inbox, letters, startup


def main() -> int:
    big = "--big" in sys.argv[1:]
    failures = startup.run(big=big)
    failures += inbox.run(startup.DATA / "demo.sqlite3", "demo database")
    failures += evidence.run(startup.DATA / "demo.sqlite3", startup.DATA)
    failures += letters.run(startup.DATA / "demo.sqlite3")
    failures += calendar.run(startup.DATA / "demo.sqlite3", startup.DATA)
    if big:
        failures += inbox.run(startup.DATA / "big.sqlite3", "100k customers, 5M contacts")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
