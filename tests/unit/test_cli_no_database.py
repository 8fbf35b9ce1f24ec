"""A command that only reads, pointed at a database that is not there, says so and stops
(exit 2): it never makes an empty database and reports on it as if all were well."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main

READERS = [
    ["audit", "verify"],
    ["audit", "verify", "--since-anchor", "0:" + "0" * 64],
    ["audit", "anchor"],
    ["evidence", "verify"],
    ["letters", "verify", "letter.pdf"],
    ["letters", "list"],
    ["letters", "show", "1"],
    ["cases"],
    ["users", "list"],
    ["users", "show", "pat"],
    ["register"],
    ["check-contact", "--customer", "C000001", "--channel", "Email", "--at",
     "2026-11-28 10:00"],
    ["customer", "show", "C000001"],
    ["screening", "list"],
    ["appeals", "show", "UPC-2026-0001"],
    ["appeals", "nominations"],
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: " ".join(c[:2]))
def test_a_reading_command_refuses_a_database_that_is_not_there(
        command: list[str], tmp_path: Path, acting_as: Any) -> None:
    acting_as("pat")
    where = tmp_path / "mistyped"
    for db in (str(where / "crm.sqlite3"), f"sqlite:///{where / 'crm.sqlite3'}"):
        result = CliRunner().invoke(main, [*command, "--db", db])
        assert result.exit_code == 2, result.output
        assert f"no database at {where / 'crm.sqlite3'}" in result.output
        assert "first user administrator" in " ".join(result.output.split())  # how to make one
        assert "intact" not in result.output and "genuine" not in result.output.lower()
    assert not where.exists()  # neither the file nor its folder was made


def test_calendar_export_refuses_it_and_writes_no_calendar(tmp_path: Path,
                                                           acting_as: Any) -> None:
    acting_as("pat")
    ics = tmp_path / "out.ics"
    result = CliRunner().invoke(main, ["calendar", "export", "--ics", str(ics), "--db",
                                       str(tmp_path / "nowhere.sqlite3")])
    assert result.exit_code == 2 and "no database at" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_empty_file_or_another_programs_database_is_not_made_one(
        tmp_path: Path, acting_as: Any) -> None:
    """Opening would have made either a new, empty crm-tui database, and the check would have
    reported on that."""
    import sqlite3

    acting_as("pat")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE notes (text)")
    con.close()
    before = other.read_bytes()
    for path, why in ((empty, "the file there is empty"),
                      (other, "not a crm-tui database")):
        result = CliRunner().invoke(main, ["audit", "verify", "--db", str(path)])
        assert result.exit_code == 2 and f"no database at {path}" in result.output
        assert why in result.output
    assert empty.stat().st_size == 0 and other.read_bytes() == before


FILE_ONLY = [
    (["backup", "DEST"], "backup and restore work"),
    (["encryption", "status"], "encryption works"),
]


@pytest.mark.parametrize(("command", "what"), FILE_ONLY, ids=lambda c: str(c))
def test_a_command_on_a_database_file_refuses_a_server_url(
        command: list[str], what: str, tmp_path: Path, acting_as: Any) -> None:
    """One rule for every command that works on the file itself: a server URL is typed wrong
    for it (exit 2), said in words, and nothing is made."""
    acting_as("pat")
    args = [str(tmp_path / "dest") if part == "DEST" else part for part in command]
    result = CliRunner().invoke(main, [*args, "--db", "postgresql://db.example/crm"])
    assert result.exit_code == 2, result.output
    assert f"{what} on a database file" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["audit", "verify"], ["evidence", "verify"],
                                     ["letters", "verify", "letter.pdf"], ["cases"]],
                         ids=lambda c: " ".join(c[:2]))
def test_a_folder_or_a_file_that_is_no_database_is_typed_wrong(
        command: list[str], tmp_path: Path, acting_as: Any) -> None:
    """Round 10: these exited 1 (the check's own failure) with SQLite's words."""
    acting_as("pat")
    text = tmp_path / "notes.txt"
    text.write_text("Not a database at all.\n")
    header = tmp_path / "damaged.sqlite3"
    header.write_bytes(b"SQLite format 3\0" + b"\xff" * 100)
    for path, why in ((tmp_path, "that is a folder"),
                      (text, "the file there is damaged, or is not a database at all"),
                      (header, "the file there is damaged, or is not a database at all")):
        result = CliRunner().invoke(main, [*command, "--db", str(path)])
        assert result.exit_code == 2, result.output
        assert f"no database at {path} ({why}" in result.output
        assert "first user administrator" not in result.output  # nothing to make: mistyped
    assert text.read_text() == "Not a database at all.\n"
