"""A review that changes the review period is recorded as what it is: its own outcome, with the
policy's reason and the note kept in the audit trail and shown on the case file's timeline
(b15e F1: it was recorded as "Continue unchanged", the reason and note stored nowhere)."""

from __future__ import annotations

import json
from datetime import date

from crm_tui.db.models import AuditEntry, Review
from crm_tui.domain.audit_words import action_label
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit
from crm_tui.services.intake import case_file
from crm_tui.services.reviews import review_session
from tests import builders

NOTE = "She cares for her elderly mother; an earlier review lets us lift sooner."
OUTCOME = "Contact has only just been restricted; a six-month look is proportionate."


def test_a_changed_review_period_keeps_its_reason_and_note(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    review_session.change_review_period(crm, ref, OUTCOME, date(2027, 6, 6),
                                        ReviewPeriodReason.PERSONAL_CIRCUMSTANCES, NOTE)

    entry = AuditEntry.get((AuditEntry.case_reference == ref)
                           & (AuditEntry.action == "change_review_period"))
    assert not AuditEntry.select().where((AuditEntry.case_reference == ref)
                                         & (AuditEntry.action == "continue_unchanged")).exists()
    payload = json.loads(entry.payload)
    assert payload["period_reason"] == "personal_circumstances"
    assert payload["period_note"] == NOTE
    assert payload["next_review"] == "2027-06-06"
    assert entry.reason == OUTCOME
    assert action_label(entry.action) == "Review period changed"
    decided = Review.get_by_id(payload["review"])
    assert decided.outcome == "review_period_changed" and decided.reason == OUTCOME

    # The audit trail shows the new date, the policy's reason and the note under the entry.
    [record] = [r for r in audit.recent(crm, case_reference=ref)
                if r.action == "change_review_period"]
    assert record.details == ("Next review: 6 Jun 2027",
                              "Policy reason: The personal circumstances of the customer",
                              f"Note: {NOTE}")

    # The timeline says what was decided, when the next review is (as dates read elsewhere),
    # on what ground, with the note, by whom and when.
    timeline = case_file.case_file(crm, ref).timeline
    assert not [t for t in timeline if "continued" in t.title]
    [step] = [t for t in timeline if t.title.startswith("Review period changed")]
    assert step.title == "Review period changed: next review 6 Jun 2027 (Alex Morgan)"
    lines = step.detail.splitlines()
    assert "Next review: 6 Jun 2027" in lines
    assert "Policy reason: The personal circumstances of the customer" in lines
    assert f"Note: {NOTE}" in lines
    assert f"Reason: {OUTCOME}" in lines
    assert "Review was due: 28 Nov 2027" in lines
    assert "Decided by: Alex Morgan, 28 Nov 2026 " in step.detail
    assert "2027-" not in step.detail
