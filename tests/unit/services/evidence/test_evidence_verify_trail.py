"""`evidence verify` holds each document to the audit entry that attached it, as `audit
verify` does (issue 16, b16b F-T3): a document rewritten into the store under its new hash,
its record changed to match and the old file removed, was "Evidence intact"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import EvidenceItem
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import documents
from tests import builders, outside


def test_a_document_rewritten_with_its_hash_updated_is_not_intact(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    note = tmp_path / "file-note.txt"
    note.write_text("The customer telephoned nine times on Monday.")
    documents.attach_document(actors[Role.OFFICER], ref, note, "A file note")
    assert documents.verify_store(actors[Role.CRM]).ok
    other = tmp_path / "other.txt"
    other.write_text("The customer telephoned once.")
    store = documents.evidence_store()
    stored = store.store(other)
    item = EvidenceItem.get(EvidenceItem.original_name == "file-note.txt")
    store.path_for(item.sha256).unlink()  # no orphan left behind to give it away
    with outside.connect(db_path) as con:
        con.execute("UPDATE evidence_item SET sha256 = ?, size = ? WHERE id = ?",
                    (stored.sha256, stored.size, item.id))
    con.close()
    report = documents.verify_store(actors[Role.CRM])
    assert not (report.changed or report.missing or report.orphans)  # the store agrees
    assert not report.ok and f"document {item.id} of {ref}" in report.trail
    acting_as("crm")
    result = CliRunner().invoke(main, ["evidence", "verify", "--db", outside.target(db_path)])
    assert result.exit_code == 1 and "Evidence intact" not in result.output
    assert f"NOT AS ATTACHED  document {item.id} of {ref}" in result.output
