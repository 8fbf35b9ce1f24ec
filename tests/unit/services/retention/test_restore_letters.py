"""A restore and the letters: a letter file changed in the backup's letters folder is put back
from the register's intact signed copy, saying so (v16 N4: it made the whole backup
unrestorable); a register copy or a stored text that disagrees with the audit trail is still
refused (v16 N2)."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.services.retention.backup import take_backup
from tests.unit.services.retention.conftest import Live
from tests.unit.services.retention.test_backup import _backup, _restore
from tests.unit.services.retention.test_restore_vouching import _edit_copy, _refused


def _first_letter(database: Path) -> tuple[int, str, str, str]:
    """The first issued letter with a file: its number, case, file name and SHA-256."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        found: tuple[int, str, str, str] = db.execute(
            'SELECT l.id, c.reference, l.file_name, l.sha256 FROM letter l JOIN "case" c ON '
            "c.id = l.case_id WHERE l.status = 'issued' AND l.file_name != '' ORDER BY l.id "
            "LIMIT 1").fetchone()
    return found


def _damage_letter_file(live: Live) -> tuple[int, str, str, str]:
    letter = _first_letter(live.database)
    with (live.letters / letter[2]).open("ab") as pdf:
        pdf.write(b"\n% a line appended to the issued letter\n")
    return letter


def test_a_changed_letter_file_is_put_back_from_the_register(live: Live,
                                                              tmp_path: Path) -> None:
    number, reference, name, sha = _damage_letter_file(live)
    taken = take_backup(live.database, live.evidence, live.letters, tmp_path / "b")
    assert [f"letter {number}'s file {name} is not the file" in p for p in taken.not_whole] \
        == [True]
    done = _restore(live, tmp_path / "b")
    assert done.put_back == (
        f"letter {number} of {reference}: its file {name} in the backup was not the file "
        "issued, so the register's signed file (checked against the audit trail) was "
        "restored in its place",)
    assert done.not_whole == () and done.left_out == ()
    assert hashlib.sha256((live.letters / name).read_bytes()).hexdigest() == sha


def test_a_changed_letter_file_with_a_changed_register_copy_is_refused(
        live: Live, tmp_path: Path) -> None:
    """Nothing sound to put back: the register's own copy is not the file issued."""
    number, reference, _, _ = _damage_letter_file(live)
    backup = _backup(live, tmp_path / "b")
    _edit_copy(backup, f"UPDATE letter_file SET pdf = X'255044462D' WHERE letter_id = {number}")
    said = " ".join(_refused(live, backup).split())
    assert f"the signed file the register keeps for letter {number} of {reference} is not " \
        "the file entry" in said


def test_a_copy_whose_letter_text_was_edited_is_refused(live: Live, tmp_path: Path) -> None:
    number, reference, _, _ = _first_letter(live.database)
    backup = _backup(live, tmp_path / "b")
    _edit_copy(backup, "UPDATE letter SET body = body || ' You threatened staff.' "
               f"WHERE id = {number}")
    said = " ".join(_refused(live, backup).split())
    assert f"the register's stored text of letter {number} of {reference} is not the text " \
        "entry" in said


def test_the_restore_command_says_which_letter_file_it_put_back(live: Live,
                                                                 tmp_path: Path) -> None:
    number, reference, name, sha = _damage_letter_file(live)
    _backup(live, tmp_path / "b")
    elsewhere = tmp_path / "elsewhere"
    config = tmp_path / "config.toml"
    config.write_text(f'letters_folder = "{elsewhere / "letters"}"\nevidence_folder = '
                      f'"{elsewhere / "evidence"}"\n')
    done = CliRunner().invoke(main, ["--config", str(config), "restore", str(tmp_path / "b"),
                                     "--db", str(elsewhere / "crm.sqlite3"), "--new"])
    assert done.exit_code == 0, done.output
    said = " ".join(done.output.split())
    assert f"Put back from the register: 1 letter file (letter {number} of {reference}: its " \
        f"file {name} in the backup was not the file issued" in said
    assert "not whole" not in said
    assert hashlib.sha256((elsewhere / "letters" / name).read_bytes()).hexdigest() == sha
