"""A large log sheet's import: how long it holds the write lock, and how long another person's
save waits behind it (t16 F6: a 90,000-line sheet, 9 MB, held the lock about 35 s at its end
and a one-field save waited 38.9 s, beyond the 30 s busy timeout). Run on a copy of the demo:

    crm-tui demo --no-launch
    python -m benchmarks.log_sheet_import ~/.local/share/crm-tui/demo.sqlite3 [LINES]

It copies the database, writes a sheet of LINES lines (90,000 unless given) for UPV-2025-0006
(restricted, so the lines are checked against its restrictions too), and imports it as an
officer while another connection takes the write lock every 0.2 s, as a save would."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("CRM_TUI_NOW", "2026-11-28T10:00:00")
CASE = "UPV-2025-0006"


def _sheet(path: Path, lines: int) -> None:
    start = datetime(2026, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8") as out:
        out.write("when,channel,direction,service_area,officer,duration_minutes,summary,"
                  "categories\n")
        for n in range(lines):
            out.write(f"{start + timedelta(minutes=3 * n):%d/%m/%Y %H:%M},Email,From customer,"
                      f"Housing Services,A Officer,5,Wrote again about the gutter repair {n},"
                      "Repeat complaints\n")


def _saves(db_path: Path, stop: threading.Event, waits: list[float]) -> None:
    """Another person saving every 0.2 s: each wait for the write lock, in seconds."""
    other = sqlite3.connect(db_path, timeout=600, isolation_level=None)
    while not stop.is_set():
        started = time.perf_counter()
        other.execute("BEGIN IMMEDIATE")
        other.execute("COMMIT")
        waits.append(time.perf_counter() - started)
        stop.wait(0.2)
    other.close()


def main(source: Path, lines: int) -> None:
    from crm_tui.config import Config
    from crm_tui.db import sqlite
    from crm_tui.db.connection import open_database
    from crm_tui.services.core import database, settings, users
    from crm_tui.services.evidence import contacts

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["CRM_TUI_DATA_DIR"] = scratch
        db_path = Path(scratch) / "demo.sqlite3"
        shutil.copyfile(source, db_path)
        sheet = Path(scratch) / "large.csv"
        _sheet(sheet, lines)
        settings.configure(Config())
        open_database(db_path)
        officer = users.resolve_actor("ceri.hughes")
        held: list[float] = []
        real = sqlite.write_transaction

        class Timed:  # the import's own transactions, timed from lock taken to released
            def __init__(self, db: Any) -> None:
                self.transaction = real(db)

            def __enter__(self) -> Any:
                self.started = time.perf_counter()
                return self.transaction.__enter__()

            def __exit__(self, *exc: Any) -> Any:
                try:
                    return self.transaction.__exit__(*exc)
                finally:
                    held.append(time.perf_counter() - self.started)

        setattr(database, "write_transaction", Timed)  # noqa: B010 (a module attribute, timed)
        waits: list[float] = []
        stop = threading.Event()
        saver = threading.Thread(target=_saves, args=(db_path, stop, waits))
        saver.start()
        started = time.perf_counter()
        done = contacts.import_log_sheet_report(officer, CASE, sheet)
        whole = time.perf_counter() - started
        stop.set()
        saver.join()
        print(f"{done.contacts:,} lines ({sheet.stat().st_size / 1e6:.1f} MB) imported onto "
              f"{CASE} in {whole:.1f} s; the write lock held at most {max(held):.2f} s "
              f"({len(held)} transaction(s)); another person's save waited at most "
              f"{max(waits):.2f} s ({len(waits)} saves meanwhile)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 90_000)
