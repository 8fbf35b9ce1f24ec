"""The cost of encryption at rest: the same database plain and encrypted (SQLCipher, exported
from the plain one), each opened (connect, key, pragmas, schema check, first read) and
searched (the inbox's full-text search over cases and the contact log), cold caches aside.

    python -m benchmarks.encryption [DATABASE]

DATABASE: a plain crm-tui database (default: the benchmarks' demo, built if missing).
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("CRM_TUI_NOW", "2026-11-28T10:00:00")

from crm_tui.db import cipher
from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, database_proxy
from crm_tui.db.sqlite import cases_matching

RUNS = 15
WORDS = ("email", "housing", "again", "council")


def _median_ms(step: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _open(path: Path) -> Callable[[], object]:
    def step() -> object:
        db = open_database(path)
        found = Case.select().count()
        db.close()
        return found
    return step


def _scan(path: Path) -> Callable[[], object]:
    """Every page of the contact log read once, on a fresh connection (an empty page cache,
    as at the app's start): where decrypting each page costs most."""
    def step() -> object:
        db = open_database(path, migrate=False)
        found = db.execute_sql("SELECT count(*) FROM contact_log_entry "
                               "WHERE summary LIKE '%zzz%'").fetchone()
        db.close()
        return found
    return step


def _search() -> object:
    return [Case.select().where(cases_matching(Case.id, Case.customer, word)).count()
            for word in WORDS]


def measure(plain: Path) -> dict[str, tuple[float, float]]:
    raw = secrets.token_bytes(cipher.KEY_BYTES)
    cipher.use_key(lambda create=False: raw, encrypt_new=False)
    with tempfile.TemporaryDirectory() as folder:
        encrypted = Path(folder) / "encrypted.sqlite3"
        started = time.perf_counter()
        cipher.export(plain, encrypted, source_key=None, target_key=raw)
        export_ms = (time.perf_counter() - started) * 1000
        results = {"export (encrypt the whole file)": (0.0, export_ms)}
        for label, step in (("open", _open), ("read every contact, cold", _scan)):
            results[label] = (_median_ms(step(plain)), _median_ms(step(encrypted)))
        searches = []
        for path in (plain, encrypted):
            open_database(path)
            _search()  # warm, as in the app after its first screen
            searches.append(_median_ms(_search))
            database_proxy.close()
        results[f"search ({len(WORDS)} words)"] = (searches[0], searches[1])
    return results


def main() -> int:
    if len(sys.argv) > 1:
        plain = Path(sys.argv[1])
    else:
        plain = Path(__file__).resolve().parent / ".data" / "demo.sqlite3"
        if not plain.exists():
            from crm_tui.demo.build import build_demo

            plain.parent.mkdir(parents=True, exist_ok=True)
            build_demo(plain)
            database_proxy.close()
    print(f"{plain} ({plain.stat().st_size / 1e6:.1f} MB), median of {RUNS}:")
    for label, (plain_ms, encrypted_ms) in measure(plain).items():
        print(f"  {label:32} plain {plain_ms:8.1f} ms   encrypted {encrypted_ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
