"""Issue 16, breaker 3, finding 4: bytes that are not UTF-8 in an argument, a path or the name
of a file in an imported folder (Python gives them as lone surrogates) are refused naming the
option or the file; before, the audit entry's write ended in a UnicodeEncodeError traceback
(and the app's I stayed "Working…")."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from tests.demo_copies import copy_demo

FF = os.fsdecode(b"\xff")  # what Python makes of the byte 0xff in an argument


@pytest.fixture()
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    return path


def _run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", str(db), "--user", "ceri.hughes"])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(("args", "named"), [
    (["customer", "contact", "UPV-2026-0007", "--address", f"1 High St{FF}, Town"],
     "--address: holds the byte 0xFF"),
    (["sar", "C000017", "--reason", f"SAR {FF} x"], "--reason: holds the byte 0xFF"),
    (["sar", "C000007", "--reason", "SAR x", "--out", f"OUT/x-{FF}out"], "--out: holds"),
    (["evidence", "bundle", "UPV-2025-0004", "--out", f"OUT/x-{FF}out"], "--out: holds"),
    (["import", "log-sheet", "UPV-2025-0004", f"OUT/x-{FF}.csv"], "PATH: holds"),
])
def test_an_argument_that_is_not_utf8_is_refused_naming_the_option(
        db: Path, tmp_path: Path, args: list[str], named: str) -> None:
    (tmp_path / f"x-{FF}.csv").write_text("x", encoding="utf-8")
    code, out = _run(db, *(a.replace("OUT", str(tmp_path)) for a in args))
    assert code == 2, out
    assert named in out and "\\xff" in out and "not UTF-8" in out


def test_a_file_in_an_imported_folder_whose_name_is_not_utf8_is_named(
        db: Path, tmp_path: Path) -> None:
    from tests.unit.services.intake.test_inbox_services import SAMPLE

    folder = tmp_path / "referral"
    folder.mkdir()
    (folder / "referral.json").write_text(json.dumps(
        {**SAMPLE, "referred_by": "hannah.okafor", "evidence": []}), encoding="utf-8")
    (folder / f"note{FF}.txt").write_text("About the gutter", encoding="utf-8")
    code, out = _run(db, "import", "referral", str(folder))
    assert code == 1, out
    assert "note\\xff.txt: its name holds the byte 0xFF" in out


def test_every_command_meets_the_check() -> None:
    """The check lives in AllAtOnce: every command and group of the command line is one."""
    import click

    from crm_tui.cli_words import AllAtOnce, typed_characters

    def walk(command: click.Command, path: str) -> list[str]:
        found = [] if isinstance(command, AllAtOnce) and typed_characters in command.checks \
            else [path]
        for name, sub in (command.commands.items() if isinstance(command, click.Group)
                          else []):
            found += walk(sub, f"{path} {name}")
        return found

    assert walk(main, "crm-tui") == []
