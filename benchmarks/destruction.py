"""One destruction on a large database: how long the destroying transaction holds the write
lock, and how long the whole takes (issue 16: 'optimize' rewrote the whole contact index
inside each destruction). Run on a copy of a seeded database:

    crm-tui seed --customers 20000 --contacts 2000000 --db /tmp/big.sqlite3
    python -m benchmarks.destruction /tmp/big.sqlite3

It copies the database, makes one archived file of a customer with contacts due for
destruction, and destroys it as a CRM made for the run; the passphrase check is skipped (it
measures the database's work, not the key's)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("CRM_TUI_NOW", "2033-01-10T09:00:00")


def _timed(owner: Any, name: str, took: dict[str, float]) -> None:
    real: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            took[name] = took.get(name, 0.0) + time.perf_counter() - started

    setattr(owner, name, timed)


def main(source: Path) -> None:
    from crm_tui.config import Config
    from crm_tui.db import sqlite
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import Case, ContactLogEntry, User, database_proxy
    from crm_tui.services.core import confirmation, settings, users
    from crm_tui.services.retention import archive

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["CRM_TUI_DATA_DIR"] = scratch
        db_path = Path(scratch) / "big.sqlite3"
        shutil.copyfile(source, db_path)
        settings.configure(Config())
        open_database(db_path)  # migrations (and their index rebuilds) before the clock
        if not User.select().where(User.login == "bench.crm").exists():
            User.create(login="bench.crm", name="Bench CRM", role="crm", staff_id="BENCH-C")
        crm = users.resolve_actor("bench.crm")
        case = (Case.select().where((Case.state == "archived") & Case.customer.in_(
            ContactLogEntry.select(ContactLogEntry.customer))).order_by(Case.id).first())
        Case.update(ended_on="2020-01-01", destroy_after="2026-01-01").where(
            Case.id == case.id).execute()
        contacts = ContactLogEntry.select().where(
            ContactLogEntry.customer == case.customer_id).count()
        total = ContactLogEntry.select().count()
        sqlite.checkpoint(database_proxy.obj)

        @contextlib.contextmanager
        def skipped(actor: Any) -> Iterator[str]:
            yield "benchmark"

        confirmation.confirmed = skipped
        took: dict[str, float] = {}
        _timed(sqlite, "purge_search", took)
        _timed(sqlite, "checkpoint", took)
        after_commit = ("finish", "_remove_files")  # this version's, or the earlier one's
        from crm_tui.services import core

        erasure = getattr(core, "erasure", None)
        if erasure is not None:
            _timed(erasure, "finish", took)
        if hasattr(archive, "_remove_files"):
            _timed(archive, "_remove_files", took)
        started = time.perf_counter()
        archive.destroy(crm, case.reference)
        whole = time.perf_counter() - started
        locked = whole - took.get("checkpoint", 0) - sum(took.get(n, 0) for n in after_commit)
        print(f"{case.reference}: {contacts} of {total:,} contacts; destroyed in {whole:.2f} s, "
              f"of which the destroying transaction held the write lock {locked:.2f} s; "
              f"index rewrite ('optimize') {took.get('purge_search', 0):.2f} s "
              f"({'after the commit, on its own' if erasure else 'inside the transaction'}); "
              f"WAL emptied in {took.get('checkpoint', 0):.2f} s")
        database_proxy.obj.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
