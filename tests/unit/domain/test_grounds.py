"""The grounds rules in the policy's words: a complaint or a challenge is not by itself a
behaviour; skipping local resolution needs a real reason; the route without prior warning
needs reasons. Expectations written out by hand from the policy."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.domain import grounds
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.grounds import (
    shows,
    skipped_local_resolution_problem,
    without_warning_reasons_problem,
)

CLOSED, BEFORE, AFTER = date(2026, 6, 1), date(2026, 5, 20), date(2026, 6, 10)


@pytest.mark.parametrize("category", [c for c in B if c not in (B.REPEAT_COMPLAINTS,
                                                                B.REFUSING_DECISION)])
def test_other_behaviours_show_on_any_tagged_item(category: B) -> None:
    assert shows(category, is_contact=True, contact_on=AFTER)
    assert shows(category, is_contact=False)


@pytest.mark.parametrize(("category", "closed_on", "contact_on", "expected"), [
    (B.REPEAT_COMPLAINTS, None, AFTER, False),      # the matter is still open: a complaint
    (B.REPEAT_COMPLAINTS, CLOSED, BEFORE, False),   # before it was dealt with
    (B.REPEAT_COMPLAINTS, CLOSED, CLOSED, False),   # the day it was dealt with
    (B.REPEAT_COMPLAINTS, CLOSED, AFTER, True),     # after: a repeat
    (B.REFUSING_DECISION, None, AFTER, False),      # still challenging an open decision
    (B.REFUSING_DECISION, CLOSED, BEFORE, False),
    (B.REFUSING_DECISION, CLOSED, CLOSED, True),    # refusing the final decision that day
    (B.REFUSING_DECISION, CLOSED, AFTER, True),
])
def test_complaints_and_challenges_show_only_on_a_closed_matter(
        category: B, closed_on: date | None, contact_on: date, expected: bool) -> None:
    assert shows(category, is_contact=True, contact_on=contact_on,
                 matter_closed_on=closed_on) is expected


def test_a_document_cannot_show_a_repeat_or_a_refusal() -> None:
    assert not shows(B.REPEAT_COMPLAINTS, is_contact=False)
    assert not shows(B.REFUSING_DECISION, is_contact=False, matter_closed_on=CLOSED)


@pytest.mark.parametrize("reason", ["n/a", "N/A", "-", "--", "none", "None.", "tbc", "x",
                                    "see above", "Not applicable", "nil", "...", "urgent",
                                    "police"])
def test_placeholders_are_not_reasons(reason: str) -> None:
    for escalated in (True, False):
        problem = skipped_local_resolution_problem(reason, escalated=escalated)
        assert problem is not None and "is not a reason" in problem


def test_a_short_real_reason_needs_an_escalation() -> None:
    reason = "Police called after threats at reception"
    assert skipped_local_resolution_problem(reason, escalated=True) is None
    problem = skipped_local_resolution_problem(reason, escalated=False)
    assert problem is not None and "rests on no escalation record" in problem


def test_a_full_explanation_stands_without_an_escalation() -> None:
    reason = ("The customer was already told in writing by the previous housing provider in "
              "March that the same behaviour would be referred, and the contact continued "
              "unchanged after the stock transfer")
    assert skipped_local_resolution_problem(reason, escalated=False) is None
    repeated = "because " * 20
    assert skipped_local_resolution_problem(repeated, escalated=False) is not None


def test_reasons_for_no_prior_warning() -> None:
    assert without_warning_reasons_problem("extreme case") is not None
    assert without_warning_reasons_problem("n/a") is not None
    assert without_warning_reasons_problem(
        "Threats in person to a named officer; a warning would expose her further") is None


def test_escalation_kinds() -> None:
    assert EscalationKind.from_name("police involvement") is EscalationKind.POLICE
    assert EscalationKind.from_name("risk-to-staff") is EscalationKind.RISK_TO_STAFF
    assert EscalationKind.from_name("LEGAL_ACTION") is EscalationKind.LEGAL_ACTION
    with pytest.raises(ValueError, match="unknown kind of escalation"):
        EscalationKind.from_name("complaint")
    assert not EscalationKind.RISK_TO_STAFF.needs_reference
    assert EscalationKind.POLICE.needs_reference and EscalationKind.LEGAL_ACTION.needs_reference


@pytest.mark.parametrize("typed", ["TBC - later", "n/a - see notes", "TBC pending legal advice",
                                   "To follow.", "See notes, as above"])
def test_a_deferral_padded_with_a_word_or_two_is_still_no_reason(typed: str) -> None:
    """v15g G2: "TBC - later" was the only reason recorded to continue restrictions for a
    year."""
    assert grounds.stands_for_nothing(typed)
    assert grounds.is_placeholder(typed)


@pytest.mark.parametrize("typed", ["Upheld", "No change since the last review",
                                   "TBC whether he accepts a single point of contact: he "
                                   "refused two meetings", "Nathan Ames agreed on the phone"])
def test_a_reason_that_says_something_is_not_a_deferral(typed: str) -> None:
    assert not grounds.stands_for_nothing(typed)
