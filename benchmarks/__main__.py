"""Run every benchmark and write the table: `python -m benchmarks [options]`.

    --runs N          runs of each figure (default 7; the median, best and worst are shown)
    --big             also seed 100,000 customers and 5,000,000 contacts (once, kept) and
                      measure start-up, the inbox and memory there
    --engine postgresql --db URL
                      measure on a PostgreSQL server: the demo is built in the database URL
                      names, the others beside it (URL_evidence_15k, …) from it as a template
    --profile         the start-up breakdown with cProfile's 30 costliest functions too
    --out DIR         where the JSON goes (default benchmarks/results)
    --data DIR        where the SQLite databases are kept (default benchmarks/.data)
    --only NAMES      some of: start, inbox, evidence, calendar, screens, letters, memory,
                      profile (comma separated; the bare app's figures come with start and
                      inbox, and the others are set beside them when they are there)
    --scale small     a tiny run for the harness's own test: 300 contacts, 100 restrictions

The table is printed as each figure is measured and again at the end, and written to
DIR/<date>-<engine>-<scale>.json. The exit status is 1 when a budget is not met.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

# Textual paints at most 60 frames a second, so "until the next repaint" would round every
# figure up to ~17 ms; with the cap raised the benchmark times the work itself.
os.environ.setdefault("TEXTUAL_FPS", "1000")
os.environ.setdefault("CRM_TUI_NOW", "2026-11-28T10:00:00")

from benchmarks import (
    calendar,
    evidence,
    inbox,
    letters,
    memory,
    profile_start,
    screens,
    startup,
)
from benchmarks.store import Store
from benchmarks.table import RESULTS, Table

HERE = Path(__file__).resolve().parent
PARTS = ("start", "inbox", "evidence", "calendar", "screens", "letters", "memory", "profile")


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--big", action="store_true")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", metavar="URL")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--scale", choices=("full", "small"), default="full")
    parser.add_argument("--only", type=lambda text: set(text.split(",")), default=set(PARTS))
    args = parser.parse_args(argv)
    if args.only - set(PARTS):
        parser.error(f"--only: {', '.join(sorted(args.only - set(PARTS)))} is not one of "
                     f"{', '.join(PARTS)}")
    if args.runs < 1:
        parser.error("--runs: at least 1")
    if args.engine == "postgresql" and not (args.db or "").startswith(("postgresql://",
                                                                       "postgres://")):
        parser.error("--engine postgresql needs --db postgresql://user@host:port/dbname (a "
                     "database the benchmarks may fill: the demo is built there)")
    if args.engine == "sqlite" and args.db:
        parser.error("--db names a PostgreSQL server: use it with --engine postgresql")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    store = Store(args.data, args.db if args.engine == "postgresql" else None)
    small = args.scale == "small"
    scale = "small" if small else ("big" if args.big else "demo")
    table = Table(store.engine, scale, args.runs)
    runs = args.runs
    try:
        demo = store.demo()
    except subprocess.CalledProcessError:
        if store.url is None:
            raise
        print("The demo could not be built on the server (above). `crm-tui demo` and `crm-tui "
              "seed` fill a PostgreSQL database from issue 17's PostgreSQL commands on: with "
              "an earlier crm-tui they refuse a server URL, and --engine postgresql waits "
              "for them.")
        return 2
    only = args.only
    print(f"Measuring on {store.engine}, {runs} runs of each figure", flush=True)
    if "start" in only and not startup.tmux_missing():
        startup.measure(store, demo, "demo", "demo database", runs, table)
    if "inbox" in only:
        inbox.run(demo, "demo", "demo database", runs, table)
    if "evidence" in only:
        evidence.run(store, "demo", runs, table, contacts=300 if small else evidence.CONTACTS)
    in_force = 100 if small else calendar.IN_FORCE
    if "calendar" in only:
        calendar.run(store, "demo", runs, table, in_force)
    if "screens" in only:
        screens.run(store, "demo", runs, table, calendar.database(store, in_force))
    if "letters" in only:
        letters.run(store, "demo", runs, table)
    if "memory" in only:
        memory.run(store, demo, "demo", "demo database", runs, table)
    if args.big:
        big = store.big()
        label = "100k customers, 5M contacts"
        if "start" in only and not startup.tmux_missing():
            startup.measure(store, big, "big", label, runs, table)
        if "inbox" in only:
            inbox.run(big, "big", label, runs, table)
        if "memory" in only:
            memory.run(store, big, "big", label, runs, table)
    if "profile" in only:
        profile_start.run(store, demo, table, cprofile=args.profile)
    print()
    print(table.printed())
    path = table.write(args.out)
    machine = table.as_json()["machine"]
    print(f"\nWritten to {path} (commit {machine['commit']}"
          f"{'' if machine['clean'] else ', with changes not committed'}; load average "
          f"{machine['load_average_before'][0]:.1f} before, "
          f"{machine['load_average_after'][0]:.1f} after)")
    over = table.failures()
    if over:
        print("Over budget: " + ", ".join(over))
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
