"""Issue 15 (fixAU2): a letter the post run refuses by a date it gives, and that is not owed
again, reads "can no longer go" in the register with the post run's own why, and does not
promise a letter signed in its place: a local resolution letter saying "we will keep a record
… until 27 November 2026", never posted, on 28 November."""

from __future__ import annotations

from dataclasses import replace as changed
from datetime import date

from crm_tui.db.models import Case, Customer, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.wording import envelope_lines
from crm_tui.letters import record
from crm_tui.letters.content import Letter as Content
from crm_tui.services.letters import issuing, posting
from tests import builders
from tests.unit.letters.test_checker_rules import _letter
from tests.unit.services.letters.issued import issued_letter


def test_a_local_resolution_letter_past_its_date_can_no_longer_go(
        actors: dict[Role, Actor]) -> None:
    case = builders.referred(actors)
    letter = issued_letter(case, kind=LetterKind.LOCAL_RESOLUTION)
    customer = Customer.get_by_id(Case.get(Case.reference == case).customer_id)
    said: Content = changed(_letter(), written_on=date(2026, 11, 26), address=envelope_lines(
        tuple(customer.address.split("\n")), customer.postcode), sections=[
        ("What happens next", ["We will keep a record of your contact with us until 27 "
                               "November 2026."])])
    Letter.update(content=record.dumps(said)).where(Letter.id == letter).execute()
    crm = actors[Role.CRM]
    [waiting] = [u for u in posting.unposted(crm) if u.id == letter]
    [entry] = [e for e in issuing.register(crm, case) if e.id == letter]
    assert entry.shown_status == "can no longer go", entry.shown_status
    assert entry.gone == waiting.cannot_go and "27 November 2026" in entry.gone, entry.gone
    assert entry.gone_then == issuing.NOT_OWED_AGAIN, entry.gone_then
