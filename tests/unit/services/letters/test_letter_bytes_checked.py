"""An issued letter's kept bytes are checked against the register before they go out, and
`audit verify` checks them (issue 16, b16b F-T4, F-T2): a damaged stored PDF was exported as
"The very same file as issued", and `letters show` of a row whose text is not JSON ended in a
traceback."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, settings, users
from crm_tui.services.letters import issuing, signing_keys
from tests import builders, outside

PASS = "test passphrase"


@pytest.fixture
def issued(actors: dict[Role, Actor]) -> int:
    """A decision letter issued into the letters folder, as the app issues it."""
    for login in ("crm", "hos", "director"):
        signing_keys.create_key(users.resolve_actor(login), login, PASS, council="Test")
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    done = issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION,
                                   settings.current().letters_path(), PASS)
    return int(done.letter_id)


def _sql(path: Path, sql: str, *args: object) -> None:
    with outside.connect(path) as con:
        con.execute(sql, args)
    con.close()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _in_folder(letter_id: int) -> Path:
    return settings.current().letters_path() / str(Letter.get_by_id(letter_id).file_name)


def test_a_damaged_stored_copy_is_not_exported_and_verify_names_it(
        issued: int, db_path: Path, acting_as: Callable[[str], None], tmp_path: Path) -> None:
    acting_as("crm")
    assert audit.verify().ok
    _sql(db_path, "UPDATE letter_file SET pdf = ? WHERE letter_id = ?", b"%PDF-", issued)
    _in_folder(issued).unlink()  # and no good copy in the letters folder either
    out = tmp_path / "for-the-ombudsman"
    code, said = _run("letters", "export", "--letter", str(issued), "--out", str(out),
                      "--db", outside.target(db_path))
    assert code == 1 and "very same file" not in said
    assert f"the signed file the register keeps for letter {issued} is not the file " \
        "issued" in said and "nothing was written" in said
    assert not out.exists() or not any(out.iterdir())
    result = audit.verify()
    assert not result.ok and f"letter {issued} of" in result.problem
    assert "the stored copy was changed" in result.problem


def test_a_letters_folder_file_changed_fails_verify_and_a_missing_one_is_said(
        issued: int, db_path: Path, acting_as: Callable[[str], None], tmp_path: Path) -> None:
    path = _in_folder(issued)
    kept = path.read_bytes()
    path.write_bytes(kept + b"%% added")
    result = audit.verify()
    assert not result.ok and "in the letters folder is not the file entry" in result.problem
    path.unlink()
    code, said = _run("audit", "verify", "--db", outside.target(db_path))
    assert code == 0 and f"1 issued letter has no file in the letters folder: letter " \
        f"{issued} of" in said
    # The register's copy, checked, is what an export writes.
    acting_as("crm")
    code, said = _run("letters", "export", "--letter", str(issued), "--out",
                      str(tmp_path / "copy"), "--db", outside.target(db_path))
    assert code == 0, said
    written = next((tmp_path / "copy").glob("*.pdf")).read_bytes()
    assert written == kept
    assert hashlib.sha256(written).hexdigest() == Letter.get_by_id(issued).sha256


def test_letters_show_of_a_damaged_row_is_one_line(
        issued: int, db_path: Path, acting_as: Callable[[str], None]) -> None:
    acting_as("crm")
    _sql(db_path, "UPDATE letter SET body = 'edited', content = 'edited' WHERE id = ?", issued)
    code, said = _run("letters", "show", str(issued), "--db", outside.target(db_path))
    assert code == 1 and "Traceback" not in said
    # Not the text its entry issued (letter_texts), before it is read as a letter.
    assert said.startswith(f"Error: the register's stored text of letter {issued} is not the "
                           "text entry")
    assert len(said.strip().splitlines()) == 1
