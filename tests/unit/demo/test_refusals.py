"""Nothing destroys data by surprise: `crm-tui demo` replaces only a demo database, `crm-tui
seed` writes only into a demo or benchmark database (or makes a new one). Each refusal is tried
through the command line, and the files are compared byte for byte afterwards."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.db.models import Customer, Setting, User, database_proxy
from crm_tui.services.core import audit
from crm_tui.services.core.database_facts import BENCHMARK_KEY, demo_user
from tests.demo_again import LEFT_OVER, DemoAgain
from tests.demo_copies import copy_demo


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def files(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with each file's SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            if p.is_file() else "folder" for p in sorted(folder.rglob("*"))}


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def real(work: Path) -> Path:
    """A real database with a user, and the folders a demo at the same path would clear."""
    path = work / "real.sqlite3"
    secret = work.parent / "passphrase.txt"
    secret.write_text("boss's passphrase\n")
    secret.chmod(0o600)  # a passphrase file others can read is refused
    added = run("users", "add", "boss", "--name", "Bo Ss", "--staff-id", "E1", "--role",
                "user_admin", "--passphrase-file", str(secret), "--db", str(path))
    assert added.exit_code == 0, added.output
    database_proxy.close()  # as when the command ends: no -wal or -shm left beside it
    for folder, name in (("evidence", "a1b2"), ("signing", "boss.p12"),
                         ("letters", "letter.pdf")):
        (work / f"real-{folder}").mkdir()
        (work / f"real-{folder}" / name).write_bytes(b"someone's work")
    return path


def refused(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert all(word in result.stderr for word in words), result.stderr
    assert "Traceback" not in result.output


def test_demo_refuses_a_real_database_and_leaves_it_and_its_folders(work: Path,
                                                                    real: Path) -> None:
    before = files(work)
    refused(run("demo", "--db", str(real), "--no-launch"), str(real), "not a demo")
    assert files(work) == before


def test_demo_refuses_a_real_database_open_elsewhere(work: Path, real: Path) -> None:
    # Someone has it open and their latest change is still in the write-ahead log.
    other = sqlite3.connect(real)
    other.execute("PRAGMA journal_mode = wal")
    other.execute("INSERT INTO setting (key, value) VALUES ('note', 'unsaved')")
    other.commit()
    try:
        before = {name: digest for name, digest in files(work).items()
                  if not name.endswith("-shm")}
        refused(run("demo", "--db", str(real), "--no-launch"), "not a demo")
        after = {name: digest for name, digest in files(work).items()
                 if not name.endswith("-shm")}
        assert after == before
    finally:
        other.close()


@pytest.mark.parametrize("content", [b"Minutes of the meeting\n" * 200, b"\x00" * 4096],
                         ids=["text", "zeros"])
def test_demo_and_seed_refuse_a_file_that_is_not_a_database(work: Path, content: bytes) -> None:
    path = work / "notes.sqlite3"
    path.write_bytes(content)
    before = files(work)
    refused(run("demo", "--db", str(path), "--no-launch"), "not a database at all")
    refused(run("seed", "--customers", "10", "--contacts", "10", "--db", str(path)),
            "not a database at all")
    assert files(work) == before


def test_demo_and_seed_refuse_another_programs_database(work: Path) -> None:
    path = work / "accounts.sqlite3"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER)")
        other.execute("INSERT INTO ledger (amount) VALUES (42)")
    other.close()
    before = files(work)
    refused(run("demo", "--db", str(path), "--no-launch"), "not crm-tui's")
    refused(run("seed", "--customers", "10", "--contacts", "10", "--db", str(path)),
            "not crm-tui's")
    assert files(work) == before


def test_demo_leaves_folders_no_demo_owns(work: Path) -> None:
    letters = work / "demo-letters"
    letters.mkdir()
    (letters / "kept.pdf").write_bytes(b"a letter")
    before = files(work)
    refused(run("demo", "--db", str(work / "demo.sqlite3"), "--no-launch"),
            str(letters), "not empty")
    assert files(work) == before


def test_demo_replaces_a_demo(work: Path, demo_again: DemoAgain) -> None:
    # A demo as `crm-tui demo` leaves it (the run's, built once: a build takes a while), with
    # its folders beside it and a letter left over, replaced by `crm-tui demo --fresh` once
    # for the run (tests/demo_again.py).
    again = demo_again
    assert again.exit_code == 0, again.output
    assert not (again.folder / "demo-letters" / LEFT_OVER).exists()
    path = copy_demo(again.path, work / "demo.sqlite3")  # opening it writes: a copy
    open_database(path)
    assert demo_user() == "ceri.hughes"


def test_seed_refuses_a_real_database(work: Path, real: Path) -> None:
    before = files(work)
    refused(run("seed", "--customers", "10", "--contacts", "10", "--db", str(real)),
            str(real), "neither a demo nor made for benchmarks")
    assert files(work) == before


def test_seed_makes_a_new_benchmark_database_and_adds_to_it(work: Path) -> None:
    path = work / "bench.sqlite3"
    for _ in range(2):  # made, then added to
        result = run("seed", "--customers", "20", "--contacts", "100", "--db", str(path))
        assert result.exit_code == 0, result.output
    open_database(path)
    assert Setting.get(Setting.key == BENCHMARK_KEY).value
    assert demo_user() is None
    assert Customer.select().count() == 40
    assert [u.login for u in User.select()] == ["benchmark.admin", "benchmark.recorder"]
    assert audit.verify().ok
    # A benchmark database is not a demo: the demo does not replace it either.
    database_proxy.close()
    before = files(work)
    refused(run("demo", "--db", str(path), "--no-launch"), "not a demo")
    assert files(work) == before


def test_a_damaged_demo_is_called_damaged_and_fresh_sets_it_aside_and_builds(
        work: Path, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's first page made garbage (as a crash of the disk might): random bytes, as an
    # encrypted file's are, but the pages after it are plain SQLite's.
    shutil.copytree(demo_db.parent, work, dirs_exist_ok=True)
    path = work / "demo.sqlite3"
    with path.open("r+b") as damaged:
        damaged.write(random.Random(7).randbytes(4096))
    before = files(work)
    result = run("demo", "--db", str(path), "--no-launch")
    refused(result, str(path), "is damaged", "crm-tui demo --fresh sets it aside")
    assert "encrypted" not in result.stderr
    assert files(work) == before

    def build(at: Path, config: object = None) -> None:  # as the build, without its seconds
        from crm_tui.demo.guard import check_demo_may_replace, demo_folders

        check_demo_may_replace(at, demo_folders(at))  # nothing left there to refuse
        shutil.copy(demo_db, at)

    monkeypatch.setattr("crm_tui.demo.build.build_demo", build)
    monkeypatch.setattr("crm_tui.cli_commands._build_demo", lambda state, at: build(at))
    again = run("demo", "--db", str(path), "--no-launch", "--fresh", "--yes")
    assert again.exit_code == 0, again.output
    aside = sorted(p.name for p in work.glob("*.damaged-*"))
    assert [name.split(".damaged-")[0] for name in aside] == [
        "demo-evidence", "demo-letters", "demo-signing", "demo.sqlite3"]
    assert files(work)[aside[-1]] == before["demo.sqlite3"]
    assert (work / aside[-1]).stat().st_mode & 0o077 == 0
    open_database(path)
    assert demo_user() == "ceri.hughes"


def test_fresh_leaves_an_encrypted_file_named_by_db(work: Path) -> None:
    # Random bytes, whole pages: as an SQLCipher database whose key is not here looks. It may
    # be a real database whose key is elsewhere: --fresh sets aside only the demo's own.
    path = work / "real.sqlite3"
    path.write_bytes(random.Random(3).randbytes(8192))
    before = files(work)
    result = run("demo", "--db", str(path), "--no-launch", "--fresh", "--yes")
    assert result.exit_code == 2, result.output
    assert "is encrypted" in result.stderr and "Traceback" not in result.output
    assert files(work) == before
