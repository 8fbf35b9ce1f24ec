"""One destruction on a large database: how long the destroying transaction holds the write
lock, and how long the whole takes (issue 16: 'optimize' rewrote the whole contact index
inside each destruction). Run on a copy of a seeded database:

    crm-tui seed --customers 20000 --contacts 2000000 --db /tmp/big.sqlite3
    python -m benchmarks.destruction /tmp/big.sqlite3

It copies the database, makes one archived file of a customer with contacts due for
destruction, and destroys it as a CRM made for the run, on the computer's own clock (a
destruction refuses CRM_TUI_NOW); the passphrase check and the check that the file's dates
are borne out by its trail are skipped (it measures the database's work)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.timed_calls import time_calls

os.environ.pop("CRM_TUI_NOW", None)



def main(source: Path) -> None:
    from crm_tui.config import Config
    from crm_tui.db import sqlite
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import Case, ContactLogEntry, User, database_proxy
    from crm_tui.demo import seed
    from crm_tui.domain.roles import Role
    from crm_tui.services.core import confirmation, settings, users
    from crm_tui.services.retention import archive, destruction_rule

    with tempfile.TemporaryDirectory() as scratch:
        os.environ["CRM_TUI_DATA_DIR"] = scratch
        db_path = Path(scratch) / "big.sqlite3"
        shutil.copyfile(source, db_path)
        settings.configure(Config())
        open_database(db_path)  # migrations (and their index rebuilds) before the clock
        @contextlib.contextmanager
        def skipped(actor: Any) -> Iterator[str]:
            yield "benchmark"

        confirmation.confirmed = skipped
        if not User.select().where(User.login == "bench.crm").exists():
            # Added by the seed's administrator, as the app adds people: a record added bare
            # is refused as made outside the app.
            admin = users.resolve_actor(seed.ADMIN)
            users.add_user(admin, "bench.crm", "Bench CRM", Role.CRM, staff_id="BENCH-C")
        crm = users.resolve_actor("bench.crm")
        case = (Case.select().where((Case.state == "archived") & Case.customer.in_(
            ContactLogEntry.select(ContactLogEntry.customer))).order_by(Case.id).first())
        Case.update(ended_on="2020-01-01", destroy_after="2026-01-01").where(
            Case.id == case.id).execute()
        contacts = ContactLogEntry.select().where(
            ContactLogEntry.customer == case.customer_id).count()
        total = ContactLogEntry.select().count()
        sqlite.checkpoint(database_proxy.obj)

        # The dates above are set bare, which the rule that a file's dates be borne out by
        # its trail refuses; it reads only this file's trail, not what is measured here.
        destruction_rule.check = lambda *args, **kwargs: None
        took: dict[str, float] = {}
        time_calls(sqlite, "purge_search", took)
        time_calls(sqlite, "checkpoint", took)
        after_commit = ("finish", "_remove_files")  # this version's, or the earlier one's
        from crm_tui.services import core

        erasure = getattr(core, "erasure", None)
        if erasure is not None:
            time_calls(erasure, "finish", took)
        if hasattr(archive, "_remove_files"):
            time_calls(archive, "_remove_files", took)
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
