"""t15d F3: a review session's outcome opens the case's review in its own transaction, so a
refused outcome leaves the case as it was (restricted, no review opened), and a rehearsal of
the outcome (what a form runs before asking "…, as Ceri Hughes?") makes every check the
outcome makes, "n/a" as its reason included, instead of stopping once the review is opened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from crm_tui.db.models import AuditEntry, Case, Review
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.dates import ReviewPeriodReason
from crm_tui.domain.errors import Placeholder
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import rehearsal
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.restrictions import builder
from crm_tui.services.reviews import review_session
from tests import builders

Outcome = Callable[[Actor, str], object]
OUTCOMES: dict[str, Outcome] = {
    "continue": lambda crm, ref: review_session.continue_unchanged(crm, ref, "n/a"),
    "period": lambda crm, ref: review_session.change_review_period(
        crm, ref, "TBC", date(2027, 5, 28), ReviewPeriodReason.PERSONAL_CIRCUMSTANCES,
        "The customer asked for an earlier review after moving house"),
    "extend": lambda crm, ref: review_session.propose_extension(
        crm, ref, "-", date(2026, 12, 28), date(2028, 11, 28),
        customer_reason=builders.TOLD),
    "lift": lambda crm, ref: review_session.lift(crm, ref, "n/a", False,
                                                 customer_reason=builders.TOLD),
}


def _restricted(actors: dict[Role, Actor], outcome: str) -> str:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    if outcome == "extend":  # what is proposed, set out and resting on a contact since
        builder.redraft_in_force(actors[Role.CRM], ref)
        contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
            at=datetime(2026, 11, 27, 9, 0), channel=Channel.LETTER,
            direction=Direction.INBOUND, service_area="Housing Services",
            officer_name="Sam Patel", summary="Third letter this week about the same matter",
            categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)))
    return ref


def _as_it_was(ref: str, entries: int) -> None:
    case = Case.get(Case.reference == ref)
    assert case.state == CaseState.RESTRICTED.value
    assert not Review.select().where((Review.case == case)
                                     & Review.started_at.is_null(False)).exists()
    assert AuditEntry.select().count() == entries


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_a_refused_outcome_opens_no_review(actors: dict[Role, Actor], outcome: str) -> None:
    crm = actors[Role.CRM]
    ref = _restricted(actors, outcome)
    entries = AuditEntry.select().count()
    with pytest.raises(Placeholder, match="is not a reason"):
        OUTCOMES[outcome](crm, ref)
    _as_it_was(ref, entries)


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_a_rehearsal_makes_the_outcomes_checks(actors: dict[Role, Actor],
                                               outcome: str) -> None:
    """As the form rehearses it: the placeholder is refused, not passed as rehearsed."""
    crm = actors[Role.CRM]
    ref = _restricted(actors, outcome)
    entries = AuditEntry.select().count()
    with pytest.raises(Placeholder, match="is not a reason"), rehearsal.rehearsal():
        OUTCOMES[outcome](crm, ref)
    _as_it_was(ref, entries)


def test_a_rehearsal_of_a_sound_outcome_writes_nothing(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    entries = AuditEntry.select().count()
    with pytest.raises(rehearsal.Rehearsed), rehearsal.rehearsal():
        review_session.continue_unchanged(crm, ref, "Still writing daily about the same bin")
    _as_it_was(ref, entries)
