"""Retention: a destroyed file leaves only a tombstone, and not before its time."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_tui.db.models import Case, Consultation, Customer, Tombstone
from crm_tui.domain.errors import DomainError, NotFound
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.retention import archive
from tests import builders, outside


def test_destroy_leaves_only_a_tombstone(actors: dict[Role, Actor],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(actors[Role.CRM], ref)
    assert not Case.select().where(Case.reference == ref).exists()
    assert Customer.select().count() == 0
    assert Consultation.select().count() == 0
    assert Tombstone.get(Tombstone.case_reference == ref).destroyed_by == "crm"
    assert audit.verify().ok
    with pytest.raises(NotFound):
        archive.archive(actors[Role.CRM], ref)


def test_destroy_before_retention_ends_is_refused(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    with pytest.raises(DomainError, match="retention period"):
        archive.destroy(actors[Role.CRM], ref)


def test_a_file_is_not_archived_while_the_customer_is_owed_a_letter(
        actors: dict[Role, Actor]) -> None:
    """The rule that keeps the file off the lists of files due for archive refuses the
    archive itself: the customer is told of the lifting before the file turns read-only."""
    from crm_tui.db.models import AuditEntry
    from crm_tui.services.restrictions import decisions
    from tests.builders import TOLD

    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decisions.lift_restrictions(actors[Role.CRM], ref, "Behaviour has subsided",
                                customer_reason=TOLD)
    entries = AuditEntry.select().count()
    with pytest.raises(DomainError, match=r"The letter lifting the restrictions of \d+ \w+ "
                                          r"\d{4} is not yet signed"):
        archive.archive(actors[Role.CRM], ref)
    assert Case.get(Case.reference == ref).state == CaseState.ENDED.value
    assert AuditEntry.select().count() == entries
    builders.send_lifted(actors[Role.CRM], ref)
    assert builders.archive_after_appeal_period(actors[Role.CRM], ref).state is CaseState.ARCHIVED


def test_destroy_removes_the_files_of_the_case(actors: dict[Role, Actor], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Destroying a file left its documents in the evidence store and its letters in the
    letters folder (issue 16). They go once the destruction is committed; a document another
    case holds too stays."""
    from crm_tui import clock
    from crm_tui.db.models import EvidenceItem, Letter, LetterFile
    from crm_tui.services.core import settings
    from crm_tui.services.core.evidence_store import evidence_store

    ref = builders.at_state(actors, CaseState.ARCHIVED)
    other = builders.at_state(actors, CaseState.RESTRICTED)
    store = evidence_store()
    stored = []
    for name, words in (("own.txt", "Only this case's words"), ("shared.txt", "Both cases")):
        source = tmp_path / name
        source.write_text(words)
        stored.append(store.store(source))
    # Attached as the app attaches them (sealed): a document added bare is a change made
    # outside the app, and the file would not be destroyed (b16e F0).
    with builders.as_the_app(ref, other):
        for holder, kept in ((ref, stored), (other, stored[1:])):
            case = Case.get(Case.reference == holder)
            for item in kept:
                EvidenceItem.create(case=case, original_name=item.original_name,
                                    sha256=item.sha256, size=item.size,
                                    added_by=actors[Role.CRM].user_id, added_at=clock.now())
    folder = settings.current().letters_path()
    folder.mkdir(parents=True, exist_ok=True)
    letters = []
    for row in Letter.select().where((Letter.case == Case.get(Case.reference == ref))
                                     & (Letter.file_name != "")):
        # The issued file as the register keeps it, in the letters folder.
        (folder / row.file_name).write_bytes(bytes(LetterFile.get(LetterFile.letter == row).pdf))
        letters.append(folder / row.file_name)
    assert letters
    stranger = folder / "not-ours.pdf"
    stranger.write_bytes(b"someone else's file")
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(actors[Role.CRM], ref)
    assert not store.path_for(stored[0].sha256).exists()
    assert store.path_for(stored[1].sha256).is_file()  # the other case's document stays
    assert not any(path.exists() for path in letters)
    assert stranger.is_file()


def test_a_file_in_an_area_renamed_in_the_database_is_not_destroyed(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch, db_path: Path) -> None:
    """The tombstone keeps the file's service area for good, sealed into the destruction's
    entry: an area renamed in the database (issue 16) would be kept as the file's."""
    from crm_tui.db.models import AuditEntry, ServiceArea
    from crm_tui.services.core.audit_seals import OutsideChange

    ref = builders.at_state(actors, CaseState.ARCHIVED)
    area = int(Case.get(Case.reference == ref).service_area_id)
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    with outside.connect(db_path) as con:
        con.execute("UPDATE service_area SET name = 'Fraud Investigation' WHERE id = ?", (area,))
    con.close()
    entries = AuditEntry.select().count()
    with pytest.raises(OutsideChange, match=f"Nothing was saved to {ref}: service area {area} "
                       "is not as entry"):
        archive.destroy(actors[Role.CRM], ref)
    assert Case.select().where(Case.reference == ref).exists()
    assert not Tombstone.select().exists() and AuditEntry.select().count() == entries
    assert ServiceArea.get_by_id(area).name == "Fraud Investigation"  # left for verify to name
