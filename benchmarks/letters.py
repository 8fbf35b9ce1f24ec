"""Render and sign one letter (after the first, which builds the stamp font and loads the
key): the one letter the demo leaves to issue (the local-resolution letter of UPV-2026-0010:
every decision letter in it is issued), from the database to a signed, registered file.
Budget 150 ms. The processor time is shown beside it: on a machine shared with other work the
time on the clock says more about the neighbours than about the letter."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.store import Store
from benchmarks.table import Figure, Table
from crm_tui import clock
from crm_tui.db.connection import open_database
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.database_facts import set_signing_folder, signing_folder
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing, signing_keys

BUDGET_MS = 150.0


CASE, KIND = "UPV-2026-0010", LetterKind.LOCAL_RESOLUTION  # not yet issued in the demo


def run(store: Store, scale: str, runs: int, table: Table) -> None:
    with tempfile.TemporaryDirectory() as scratch, clock.travel_to(datetime(2026, 11, 28, 10)):
        folder = Path(scratch)
        db = open_database(store.demo())
        # The demo's own keys, copied: its certificates are registered in the database. Beside
        # the copies: a database's own folder is found beside its file, by name.
        keys = store.data / "letters-keys"
        shutil.rmtree(keys, ignore_errors=True)
        shutil.copytree(str(signing_folder()), keys)
        db.close()
        samples, cpu = [], []
        for n in range(runs + 1):
            # A letter is issued once: each run issues it on a fresh copy of the demo (the
            # copy is made before the clock starts).
            db = open_database(store.copy("demo", f"letters-{n}"))
            set_signing_folder(str(keys))
            actor = resolve_actor("ceri.hughes")
            started, processor = time.perf_counter(), time.process_time()
            issuing.sign_and_export(actor, CASE, KIND, folder / "out",
                                    signing_keys.DEMO_PASSPHRASE)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - processor) * 1000)
            db.close()
            store.drop(f"letters-{n}")
        shutil.rmtree(keys, ignore_errors=True)
    table.add(Figure(f"letters.sign.{scale}",
                     "render, sign and register one letter (local resolution)",
                     samples[1:], budget=BUDGET_MS,
                     note=f"the first {samples[0]:.0f} ms; processor time median "
                          f"{statistics.median(cpu[1:]):.0f} ms"))
