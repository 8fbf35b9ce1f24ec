"""`evidence verify` lists what the store holds that no record points to — a document left
behind, an import killed between its copy and its commit, a copy cut short — and deletes
none of it (issue 16: 85 orphaned files and 31 `.incoming-*` files went unnoticed)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import database_proxy
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import documents
from tests import builders, outside


def test_orphans_and_partial_copies_are_listed_not_deleted(
        actors: dict[Role, Actor], tmp_path: Path, acting_as: Callable[[str], None]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    kept = tmp_path / "kept.txt"
    kept.write_text("A letter from the customer.")
    documents.attach_document(actors[Role.OFFICER], ref, kept)
    store = documents.evidence_store()
    assert documents.verify_store(actors[Role.CRM]).ok
    # An import killed after copying its file in, before its record was committed.
    left = b"An email the import never recorded."
    orphan = store.path_for(hashlib.sha256(left).hexdigest())
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(left)
    partial = store.root / ".incoming-4242-139872"
    partial.write_bytes(b"half a fi")
    report = documents.verify_store(actors[Role.CRM])
    assert report.orphans == [orphan] and report.partial == [partial]
    assert not report.missing and not report.changed and report.checked == 1
    assert not report.ok
    acting_as("crm")
    result = CliRunner().invoke(main, ["evidence", "verify", "--db",
                                       outside.target(database_proxy.obj.database)])
    assert result.exit_code == 1
    assert f"ORPHAN   {orphan}" in result.output and f"PARTIAL  {partial}" in result.output
    assert "Documents intact: 1 document checked" in result.output
    assert "Nothing was deleted" in result.output
    assert orphan.read_bytes() == left and partial.exists()


def test_an_empty_store_that_was_never_made_is_not_an_error(
        actors: dict[Role, Actor]) -> None:
    report = documents.verify_store(actors[Role.CRM])
    assert report.ok and report.orphans == [] and report.partial == []
