"""`crm-tui encryption encrypt` killed (SIGKILL) at random points: after each kill the
database is either the plain one as it was, or the encrypted one whole (its audit trail
verifying, ending with the entry that says who encrypted it); every evidence file still opens
to the content its name says, sealed or not; and the next run finishes the work and leaves
nothing behind. A short run in the suite; `make test-crash` runs many (`long`)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from crm_tui.config import Config
from crm_tui.db import cipher
from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, database_proxy
from crm_tui.services.core import audit, database_key, settings
from crm_tui.services.core.sealed_files import is_sealed, plain_chunks
from tests.crash.kills import Started, lane

KEY = "5e" * 32
SHORT, LONG = 3, int(os.environ.get("CRM_TUI_KILLS", "200")) // 4
SEED = int(os.environ.get("CRM_TUI_CRASH_SEED", "16"))


def _dump(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()


def _documents_open(evidence: Path, what: str) -> None:
    key = database_key.evidence_key(bytes.fromhex(KEY))
    for path in evidence.glob("??/*"):
        digest = hashlib.sha256()
        for chunk in plain_chunks(path, key):
            digest.update(chunk)
        assert digest.hexdigest() == path.name, f"{what}: {path.name} does not open whole"


def _whole(db: Path, pristine: str, what: str) -> bool:
    """The database is the plain one as it was (False) or encrypted and whole (True)."""
    if not cipher.is_encrypted(db):
        assert _dump(db) == pristine, f"{what}: the plain database changed"
        return False
    open_database(db, migrate=False)
    try:
        assert audit.verify().ok, what
        last = AuditEntry.select().order_by(AuditEntry.seq.desc()).get()
        assert last.action == "database encrypted", what
    finally:
        database_proxy.close()
    return True


def _kill_encryptions(demo_db: Path, folder: Path, kills: int, seed: int,
                      monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv(database_key.ENVIRONMENT, KEY)
    settings.configure(Config())
    work = lane(demo_db, folder)
    work.env[database_key.ENVIRONMENT] = KEY
    evidence = work.db.parent / "demo-evidence"
    pristine_folder = folder / "pristine"
    shutil.copytree(work.db.parent, pristine_folder)
    pristine = _dump(work.db)
    args = ["encryption", "encrypt", "--db", str(work.db)]

    def reset() -> None:
        database_proxy.close()
        shutil.rmtree(work.db.parent)
        shutil.copytree(pristine_folder, work.db.parent)

    import crm_tui.cli  # noqa: F401  loaded before forking: a kill lands in the work

    started = time.monotonic()
    assert Started(args, work.env, fork=True).finished_within(120)
    whole = time.monotonic() - started
    rng = random.Random(seed)
    killed = 0
    for n in range(kills):
        reset()
        delay = rng.uniform(0, whole * 1.05)
        run = Started(args, work.env, fork=True)
        if not run.finished_within(delay):
            run.kill()
            killed += 1
        what = f"run {n} (seed {seed}), killed after {delay:.2f} s"
        _whole(work.db, pristine, what)
        _documents_open(evidence, what)
        # The next run finishes it, and removes what the killed one left half-made.
        assert Started(args, work.env, fork=True).finished_within(120), what
        assert _whole(work.db, pristine, what), what
        assert all(is_sealed(p) for p in evidence.glob("??/*")), what
        _documents_open(evidence, what)
        assert not list(work.db.parent.glob(".demo.sqlite3.encryption-*")), what
        assert not list(evidence.glob(".incoming-*")), what
    return killed


def test_an_encryption_killed_at_random_points_loses_nothing(
        demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    killed = _kill_encryptions(demo_db, tmp_path, SHORT, SEED, monkeypatch)
    assert killed >= 1


@pytest.mark.long
@pytest.mark.timeout(3600)
def test_an_encryption_killed_many_times_loses_nothing(
        demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    killed = _kill_encryptions(demo_db, tmp_path, LONG, SEED + 1, monkeypatch)
    assert killed >= LONG * 0.6
