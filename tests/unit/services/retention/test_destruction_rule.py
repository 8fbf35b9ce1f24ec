"""b16e F0: a case record edited in the database (state set to archived, its end and
destruction dates moved years back) made `retention run` and the Retention area's `D`
destroy a live restricted case, while the dry run said it would skip it. The destruction
itself (the service, whoever calls it) now refuses a file whose records are not as the trail
left them, or whose own trail does not bear the destruction out; the list, the dry run and
the run decide by that one rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, EvidenceItem, Tombstone
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.evidence.documents import attach_document
from crm_tui.services.retention import archive, destruction_rule, schedule, years_in_force
from tests import builders, dumps, outside

OUTSIDE = "changed outside the app: not destroyed — run `crm-tui audit verify`"


def _dump() -> list[str]:
    return dumps.dump()


def _restricted_with_a_document(actors: dict[Role, Actor], tmp_path: Path) -> tuple[str, Path]:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    note = tmp_path / "file-note-2026-11-20.txt"
    note.write_text("Note of the call about the same closed complaint\n")
    attach_document(actors[Role.OFFICER], ref, note)
    sha = str(EvidenceItem.select().join(Case).where(Case.reference == ref).get().sha256)
    return ref, evidence_store().path_for(sha)


def _archived_years_ago(ref: str) -> None:
    """The tester's edit: the live case made to look archived, its dates moved back."""
    Case.update(state=CaseState.ARCHIVED.value, restrictions_end=date(2019, 1, 1),
                ended_on=date(2019, 1, 1), destroy_after=date(2025, 1, 1)).where(
        Case.reference == ref).execute()


def test_a_restricted_case_edited_to_look_archived_is_not_destroyed(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref, document = _restricted_with_a_document(actors, tmp_path)
    assert document.is_file()
    _archived_years_ago(ref)
    [row] = schedule.due(crm).destroy
    assert row.reference == ref and row.outside.startswith(OUTSIDE)
    # The years in force, which a run records first as it starts when the trail has none
    # yet (about no case): recorded before, so that the dump is of the file alone.
    years_in_force.record_if_changed(crm)
    before = _dump()
    with pytest.raises(destruction_rule.NotBorneOut, match="changed outside the app"):
        archive.destroy(crm, ref)  # the service refuses, whoever calls it
    for dry in (True, False):
        report = schedule.run(crm, dry_run=dry)
        assert not report.destroyed
        [(refused, why)] = report.refused
        assert refused.reference == ref and why.startswith(f"skipped: {OUTSIDE}")
    assert _dump() == before
    assert document.is_file()
    assert not Tombstone.select().where(Tombstone.case_reference == ref).exists()


def test_dates_sealed_over_are_still_held_to_the_trail_s_history(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """The same edit, sealed as if the app had written it: the trail still records the
    restrictions imposed today and never ended, and the destruction is refused on that."""
    crm = actors[Role.CRM]
    ref, document = _restricted_with_a_document(actors, tmp_path)
    with builders.as_the_app(ref):
        _archived_years_ago(ref)
    [row] = schedule.due(crm).destroy
    assert "records no end of the restrictions" in row.outside
    with pytest.raises(destruction_rule.NotBorneOut, match="records no end of the restrictions"):
        archive.destroy(crm, ref)
    assert Case.get(Case.reference == ref).state == CaseState.ARCHIVED.value
    assert document.is_file()


def test_retention_run_skips_it_and_exits_1(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        tmp_path: Path) -> None:
    ref, document = _restricted_with_a_document(actors, tmp_path)
    _archived_years_ago(ref)
    acting_as("crm")
    for args in (["--dry-run"], []):
        result = CliRunner().invoke(main, ["retention", "run", *args,
                                           "--db", outside.target(db_path)])
        assert result.exit_code == 1, result.output
        assert "Destroyed: 0 files" in result.output or "Would destroy: 0 files" in \
            result.output
        assert f"{ref}" in result.output and f"refused: skipped: {OUTSIDE}" in result.output
    assert Case.get(Case.reference == ref).state == CaseState.ARCHIVED.value
    assert document.is_file()
