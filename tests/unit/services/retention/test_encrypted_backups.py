"""Backups and restores of an ENCRYPTED demo (tester b16f): the backup's letters are sealed
with the database's key, as its evidence is (F3); a restore puts an encrypted demo's letters
in its `STEM-letters` folder, in place and with --new, as every other command given it does
(F4); and a plain backup is not restored over an encrypted database (F9)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from crm_tui.cli import main
from crm_tui.db import cipher
from crm_tui.services.core import database_key
from tests.conftest import _keep_demo_passphrases

KEY = "5e" * 32


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _people(database: Path) -> list[str]:
    """Each customer's name, first address line and postcode, read from a plain database."""
    with closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT name, address, postcode FROM customer").fetchall()
    return [text for name, address, postcode in rows
            for text in (name, address.split("\n")[0], postcode) if len(text) > 4]


def _readable(path: Path) -> str:
    """A file's bytes as text, and a PDF's text as a reader extracts it (its streams are
    compressed: grep alone finds no name in a plain letter)."""
    data = path.read_bytes()
    text = data.decode("utf-8", "replace")
    if data.startswith(b"%PDF"):
        text += "".join(page.extract_text() for page in PdfReader(path).pages)
    return text


def _holding(folder: Path, texts: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = _readable(path)
            held = [t for t in texts if t in data]
            if held:
                found[path.relative_to(folder).as_posix()] = held
    return found


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def encrypted_demo(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo (its evidence, letters and signing folders beside it), encrypted
    by the command, with encrypt_database on and the key from the environment."""
    folder = tmp_path / "data-demo"
    shutil.copytree(demo_db.parent, folder)
    monkeypatch.setenv(database_key.ENVIRONMENT, KEY)
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text("encrypt_database = true\n")
    database = folder / "demo.sqlite3"
    done = run("encryption", "encrypt", "--db", str(database))
    assert done.exit_code == 0, done.output
    assert cipher.is_encrypted(database)
    return database


def test_a_backup_of_an_encrypted_demo_holds_no_letter_in_plain_and_restores_them(
        encrypted_demo: Path, demo_db: Path, tmp_path: Path) -> None:
    people = _people(demo_db)
    letters = encrypted_demo.parent / "demo-letters"
    # The letters folder itself holds them in plain (files for people to read): the backup's
    # copy of it must not.
    assert _holding(letters, people)
    backup = tmp_path / "backup"
    taken = run("backup", "--db", str(encrypted_demo), str(backup))
    assert taken.exit_code == 0, taken.output
    assert "Encrypted, as the database is" in taken.output
    assert (backup / "letters").is_dir() and _holding(backup, people) == {}
    # Restored into a new database: its letters are the live ones, byte for byte, and each
    # is the letter the council issued.
    target = tmp_path / "restored" / "x.sqlite3"
    restored = run("restore", str(backup), "--new", "--db", str(target))
    assert restored.exit_code == 0, restored.output
    assert f"letters in {target.parent / 'x-letters'}." in restored.output
    assert _hashes(target.parent / "x-letters") == _hashes(letters)
    pdf = next(p for p in sorted((target.parent / "x-letters").glob("*.pdf")))
    verified = run("letters", "verify", str(pdf), "--db", str(target))
    assert verified.exit_code == 0 and "genuine" in verified.output.lower(), verified.output
    audited = run("audit", "verify", "--db", str(target))
    assert audited.exit_code == 0 and "no file in the letters folder" not in audited.output, \
        audited.output


def test_a_changed_sealed_letter_in_a_backup_is_put_back_from_the_register(
        encrypted_demo: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup"
    assert run("backup", "--db", str(encrypted_demo), str(backup)).exit_code == 0
    sealed = next(p for p in sorted((backup / "letters").glob("*.pdf")))
    data = bytearray(sealed.read_bytes())
    data[-1] ^= 1
    sealed.chmod(0o600)
    sealed.write_bytes(bytes(data))
    # The manifest recomputed around it is caught only by the register, as a plain one is.
    manifest = (backup / "manifest.json").read_text()
    old = hashlib.sha256(bytes(data[:-1]) + bytes([data[-1] ^ 1])).hexdigest()
    (backup / "manifest.json").write_text(
        manifest.replace(old, hashlib.sha256(bytes(data)).hexdigest()))
    target = tmp_path / "restored" / "x.sqlite3"
    restored = run("restore", str(backup), "--new", "--db", str(target))
    assert restored.exit_code == 0, restored.output
    assert f"its file {sealed.name} in the backup was not the file issued" in restored.output
    assert _hashes(target.parent / "x-letters") == _hashes(encrypted_demo.parent / "demo-letters")


def restore_as_a_new_process(monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """`crm-tui restore` as a process of its own starts it: no way to find the database key
    until it reads the configuration (the suite's fixtures install one for every test; the
    tester's run, with the key in the environment, had none at first)."""
    monkeypatch.setattr(cipher, "_source", cipher._no_source)
    return run("restore", *args)


def _kept_aside(path: Path) -> bool:
    return any(".before-restore-" in part for part in path.parts)


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
def test_a_demo_restored_in_place_has_its_own_letters_folder_back_and_destruction_reaches_it(
        encrypted: bool, demo_db: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if encrypted:
        database = request.getfixturevalue("encrypted_demo")
    else:  # a plain demo was right before (b16f F4): it stays so
        shutil.copytree(demo_db.parent, tmp_path / "data-demo")
        database = tmp_path / "data-demo" / "demo.sqlite3"
    folder = database.parent
    # The data folder is the demo's, as the tester had it: the installation's own letters
    # folder (`letters/`) is beside `demo-letters/`.
    monkeypatch.setenv("CRM_TUI_DATA_DIR", str(folder))
    _keep_demo_passphrases(folder / "demo-signing")
    backup = tmp_path / "backup"
    assert run("backup", "--db", str(database), str(backup)).exit_code == 0
    letters = folder / "demo-letters"
    issued = _hashes(letters)
    lost = next(name for name in sorted(issued) if name.endswith(".pdf"))
    (letters / lost).unlink()
    restored = restore_as_a_new_process(monkeypatch, str(backup), "--db", str(database))
    assert restored.exit_code == 0, restored.output
    assert f"letters in {letters}." in restored.output
    assert _hashes(letters) == issued and not (folder / "letters").exists()
    assert list(folder.glob("demo-letters.before-restore-*"))
    # A destruction after the restore leaves no copy of the destroyed file's letter, but in
    # the copies the restore kept (which its report names).
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-07T10:00:00")
    ran = run("retention", "run", "--user", "ceri.hughes", "--db", str(database))
    assert ran.exit_code == 0, ran.output
    gone = set(issued) - set(_hashes(letters))
    assert gone, ran.output
    left = [p for p in folder.rglob("*") if p.name in gone and not _kept_aside(p)]
    assert left == []


def test_an_encrypted_demo_restored_new_has_its_letters_beside_it(
        encrypted_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TUI_DATA_DIR", str(tmp_path / "data"))
    backup = tmp_path / "backup"
    assert run("backup", "--db", str(encrypted_demo), str(backup)).exit_code == 0
    target = tmp_path / "restored" / "x.sqlite3"
    restored = restore_as_a_new_process(monkeypatch, str(backup), "--new", "--db", str(target))
    assert restored.exit_code == 0, restored.output
    # Never the installation's own letters folder (the data folder's `letters/`).
    assert f"letters in {target.parent / 'x-letters'}." in restored.output
    assert not (tmp_path / "data" / "letters").exists()
    assert _hashes(target.parent / "x-letters") == _hashes(encrypted_demo.parent / "demo-letters")
    audited = run("audit", "verify", "--db", str(target))
    assert audited.exit_code == 0 and "no file in the letters folder" not in audited.output, \
        audited.output


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_plain_backup_is_not_restored_over_an_encrypted_database(
        encrypted_demo: Path, demo_db: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain-demo"
    shutil.copytree(demo_db.parent, plain)
    backup = tmp_path / "plain-backup"
    taken = run("backup", "--db", str(plain / "demo.sqlite3"), str(backup))
    assert taken.exit_code == 0, taken.output
    assert "Encrypted" not in taken.output
    before = _tree(encrypted_demo.parent)
    refused = run("restore", str(backup), "--db", str(encrypted_demo))
    assert refused.exit_code == 2, refused.output
    assert "this backup is not encrypted" in refused.output
    assert f"the database at {encrypted_demo} is encrypted" in refused.output
    assert "nothing was restored or changed" in refused.output
    assert _tree(encrypted_demo.parent) == before and cipher.is_encrypted(encrypted_demo)
    # Into a new database it is restored, and said loudly to be plain.
    target = tmp_path / "restored" / "x.sqlite3"
    made = run("restore", str(backup), "--new", "--db", str(target))
    assert made.exit_code == 0, made.output
    assert "the restored database and its evidence are NOT encrypted" in made.output
    assert not cipher.is_encrypted(target)
