"""Found when tried: the case file's timeline named the audit entry of only the steps read
from the trail; a decision or a Head of Service's view (its "About" line) said none, so a
reader could not go from the case file to the audit trail or `crm-tui audit verify`. Every
entry an audit entry recorded now names it, "#n" as the audit trail numbers it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crm_tui.db.models import AuditEntry
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import documents
from crm_tui.services.intake import case_file
from crm_tui.services.intake.timeline_steps import FROM_AUDIT, RECORD_ACTIONS
from crm_tui.services.reviews import appeals, review_session
from tests import builders


def test_each_recorded_step_names_its_audit_entry(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    timeline = case_file.case_file(actors[Role.CRM], ref).timeline
    actions = {int(e.seq): str(e.action) for e in AuditEntry.select().where(
        AuditEntry.case_reference == ref)}
    kinds = {e.kind for e in timeline if e.seq}
    assert {"decision", "consultation"} <= kinds, kinds
    for entry in timeline:
        named = [line for line in entry.detail.splitlines() if line.startswith("Audit entry")]
        # An entry dated by the day it tells of (a referral received, a contact) and not by
        # its recording is placed by that day, and names no entry it cannot be sure of.
        assert named == ([f"Audit entry: #{entry.seq}"] if entry.seq else []), entry
        # The entry that wrote the record it is read from (a step read from the trail is its
        # own entry).
        if entry.kind in RECORD_ACTIONS and actions.get(entry.seq) not in FROM_AUDIT:
            assert actions[entry.seq] in RECORD_ACTIONS[entry.kind], entry


# Entries dated by the day they tell of, not by their recording: they name no audit entry.
DATED_BY_DAY = frozenset({"referral", "local resolution", "contact", "escalation", "warning"})


def _every_row_named(actor: Actor, ref: str) -> list[case_file.TimelineEntry]:
    timeline = case_file.case_file(actor, ref).timeline
    actions = {int(e.seq): str(e.action) for e in AuditEntry.select().where(
        AuditEntry.case_reference == ref)}
    for entry in timeline:
        assert entry.seq or entry.kind in DATED_BY_DAY, entry
        if entry.seq:
            assert f"Audit entry: #{entry.seq}" in entry.detail.splitlines(), entry
        if entry.kind in RECORD_ACTIONS and entry.seq and actions[entry.seq] not in FROM_AUDIT:
            assert actions[entry.seq] in RECORD_ACTIONS[entry.kind], entry
    return timeline


def test_comments_evidence_and_an_appeals_decision_name_their_entries(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """t15c #6: the customer's comments received, evidence added, an appeal's decision line
    and a review closed before it began showed no "#" though the trail holds their entries."""
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    reviewed = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, reviewed, reply_by=date(2026, 12, 12))
    review_session.record_comments(officer, reviewed, "The restrictions are unfair",
                                   date(2026, 11, 28))
    comments = [e for e in _every_row_named(crm, reviewed) if e.kind == "comments"]
    assert [actions_of(e) for e in comments] == ["customer_comments"]

    appealed = builders.at_state(actors, CaseState.UNDER_APPEAL)
    note = tmp_path / "email-20nov.txt"
    note.write_text("The customer's email of 20 November about the same closed complaint\n")
    call = tmp_path / "call-21nov.txt"
    call.write_text("Note of a call about the same closed complaint\n")
    documents.attach_document(officer, appealed, note)
    documents.attach_document(officer, appealed, call)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], appealed, AppealOutcome.REMOVED,
                          "Not proportionate on the log sheets",
                          customer_reason="We looked again and removed the restrictions.")
    timeline = _every_row_named(crm, appealed)
    added = [e for e in timeline if e.title.startswith("Evidence added")]
    assert sorted(actions_of(e) for e in added) == ["attach_evidence"] * 2
    assert len({e.seq for e in added}) == 2  # each by its own entry, in one second
    removed = [e for e in timeline if e.title.startswith("Decision on appeal: restrictions rem")]
    closed = [e for e in timeline if "closed before it began" in e.title]
    assert [actions_of(e) for e in removed + closed] == ["remove_on_appeal"] * 2


def actions_of(entry: case_file.TimelineEntry) -> str:
    return str(AuditEntry.get(AuditEntry.seq == entry.seq).action)


def test_records_of_one_kind_in_one_second_each_name_their_own_entry(
        actors: dict[Role, Actor]) -> None:
    """v15h 1: under a fixed clock (every step in one second), a decision and its removal on
    appeal, and an appeal received and decided, all named the last entry of the second, and
    the decision appealed against was listed above the appeal's outcome."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                          "Not proportionate on the log sheets",
                          customer_reason="We looked again and removed the restrictions.")
    timeline = _every_row_named(crm, ref)
    assert len({e.at for e in timeline if e.kind in ("decision", "appeal")}) == 1  # one second
    imposed = [e for e in timeline if e.title.startswith("Decision: restrictions imposed")]
    removed = [e for e in timeline if e.title.startswith("Decision on appeal: restrictions rem")]
    received = [e for e in timeline if e.title.startswith("Appeal received")]
    upheld = [e for e in timeline if e.title.startswith("Appeal upheld")]
    assert [actions_of(e) for e in imposed + removed + received + upheld] == [
        "impose_restrictions", "remove_on_appeal", "lodge_appeal", "remove_on_appeal"]
    assert imposed[0].seq < received[0].seq < upheld[0].seq == removed[0].seq
    # Newest first, in the trail's order within the second: the decision appealed against
    # below the appeal, the appeal received below its outcome.
    order = [e.title for e in timeline]
    assert (order.index(upheld[0].title) < order.index(received[0].title)
            < order.index(imposed[0].title))


def test_an_entry_opened_in_full_says_its_days_as_the_screens_do(
        actors: dict[Role, Actor]) -> None:
    """v15h 3: a decision opened in full said "From: 2026-11-08 / Ends: 2028-11-08"."""
    import re

    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    timeline = case_file.case_file(actors[Role.CRM], ref).timeline
    [imposed] = [e for e in timeline if e.title.startswith("Decision: restrictions imposed")]
    assert re.search(r"^From: \d{1,2} [A-Z][a-z]{2} \d{4}$", imposed.detail, re.M), imposed
    for entry in timeline:
        assert not re.search(r"\d{4}-\d{2}-\d{2}", entry.detail), entry
