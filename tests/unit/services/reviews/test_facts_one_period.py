"""The review session's facts count the breaches over the same period as the contacts: since
the last decision (v15j R1: after a removal on appeal the session showed "Since the last
decision (28 Nov 2026): 0 contacts" over "Breaches of the restrictions: 43", the breaches of
the case's whole life)."""

from __future__ import annotations

from datetime import date, datetime

from crm_tui import clock
from crm_tui.db.models import Breach
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.reviews import appeals, review_session
from tests import builders
from tests.builders import TOLD


def _phone(actors: dict[Role, Actor], ref: str, at: datetime) -> None:
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=Channel.TELEPHONE, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam", summary="Rang again"))


def test_breaches_before_the_last_decision_are_not_counted_since_it(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)  # letter only, from 28 Nov 2026
    for hour in (7, 8, 9):
        _phone(actors, ref, datetime(2026, 11, 28, hour, 0))
    assert Breach.select().count() == 3
    crm = actors[Role.CRM]
    before = review_session.facts(crm, ref)
    assert (before.contacts, before.breaches) == (3, 3)
    with clock.travel_to(datetime(2026, 12, 5, 10, 0)):
        appeals.lodge_appeal(actors[Role.OFFICER], ref, date(2026, 12, 5), "Disproportionate")
        appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                              "One address was wrong", customer_reason=TOLD)
        after = review_session.facts(crm, ref)
        assert after.since == date(2026, 12, 5)
        assert (after.contacts, after.breaches, after.breach_reasons) == (0, 0, [])
