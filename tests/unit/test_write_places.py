"""Break 16c findings 2 and 6: no command writes over a file it did not make, nor into the
app's own folders. `calendar export --ics DB` overwrote the database; `audit anchor --to DB`
appended to it; a subject access export or a bundle could be written into the evidence store
(then ORPHAN for ever, with an explanation that was not true). One rule
(crm_tui.files.place_problem, services.core.places) for every `--out`, `--to`, `--ics`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.dialect import is_sqlite
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.personal_keys import key_folder
from crm_tui.services.evidence import documents
from tests import builders, outside


def _run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", outside.target(db)])
    return result.exit_code, result.output


def test_files_written_are_never_another_files(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    builders.at_state(actors, CaseState.RESTRICTED)
    acting_as("crm")
    key = next(key_folder().glob("*.p12"))
    held = key.read_bytes()
    # The database's own files, where it is a file (a server database is none of this
    # computer's files).
    files = (db_path, Path(f"{db_path}-wal")) if is_sqlite() else ()
    database = db_path.read_bytes() if files else b""
    for target in (*files, key):
        code, said = _run(db_path, "calendar", "export", "--ics", str(target))
        assert code == 1 and "give a place" in said, said
        code, said = _run(db_path, "audit", "anchor", "--to", str(target))
        assert code == 1 and "give a place" in said, said
    assert key.read_bytes() == held
    if files:
        assert db_path.read_bytes()[:100] == database[:100]
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(b"%PDF-1.7 a letter")
    code, said = _run(db_path, "calendar", "export", "--ics", str(pdf))
    assert code == 1 and "already exists and is not a calendar crm-tui exported" in said, said
    code, said = _run(db_path, "audit", "anchor", "--to", str(pdf))
    assert code == 1 and "is not an anchor file" in said, said
    assert pdf.read_bytes() == b"%PDF-1.7 a letter"
    # Its own kind: a calendar it wrote is replaced (and it says so); an anchor file grows.
    ics = tmp_path / "team.ics"
    assert _run(db_path, "calendar", "export", "--ics", str(ics))[0] == 0
    code, said = _run(db_path, "calendar", "export", "--ics", str(ics))
    assert code == 0 and "(replacing the calendar exported there before)" in said, said
    anchors = tmp_path / "anchors.txt"
    for _ in range(2):
        assert _run(db_path, "audit", "anchor", "--to", str(anchors))[0] == 0
    assert len(anchors.read_text().splitlines()) == 2


def test_no_export_goes_into_the_apps_own_folders(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    store = documents.evidence_store().root
    store.mkdir(parents=True, exist_ok=True)
    backup = tmp_path / "backup"
    (backup / "letters").mkdir(parents=True)
    (backup / "manifest.json").write_text('{"format": "crm-tui backup 1", "files": []}')
    acting_as("crm")
    for args in (["sar", ref, "--reason", "SAR-2026-9", "--out", str(store)],
                 ["evidence", "bundle", ref, "--out", str(store / "ab")],
                 ["register", "--out", str(key_folder())],
                 ["letters", "export", "--letter", "1", "--out", str(key_folder())],
                 ["evidence", "bundle", ref, "--out", str(backup / "letters")]):
        code, said = _run(db_path, *args)
        assert code == 1 and "which only" in said and "writes" in said, (args, said)
    assert not documents.verify_store(actors[Role.CRM]).orphans
    # What an older version let be written there is named as what a person must remove.
    stranger = store / "subject-access-C000001-20261205-101010" / "subject-access-C000001.pdf"
    stranger.parent.mkdir(parents=True)
    stranger.write_bytes(b"%PDF-1.7")
    left = b"a document the store named"
    named = store / hashlib.sha256(left).hexdigest()[:2] / hashlib.sha256(left).hexdigest()
    named.parent.mkdir(exist_ok=True)
    named.write_bytes(left)
    code, said = _run(db_path, "evidence", "verify")
    assert code == 1
    assert f"ORPHAN   {stranger}  (not a document the store named: remove it by hand)" in said
    assert f"ORPHAN   {named}\n" in said, said
    assert "only a person removes those" in said
