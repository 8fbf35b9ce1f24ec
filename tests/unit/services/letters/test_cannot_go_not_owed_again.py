"""Issue 15 (fixAU2): a letter the post run refuses by a date it gives, and that is not owed
again, reads "can no longer go" in the register with the post run's own why, and does not
promise a letter signed in its place: a local resolution letter saying "we will keep a record
… until 27 November 2026", never posted, on 28 November."""

from __future__ import annotations

from crm_tui.domain.roles import Actor, Role
from crm_tui.services.letters import issuing, posting
from tests import builders
from tests.unit.services.letters.issued import kept_until_gone_by


def test_a_local_resolution_letter_past_its_date_can_no_longer_go(
        actors: dict[Role, Actor]) -> None:
    case = builders.referred(actors)
    letter = kept_until_gone_by(case)
    crm = actors[Role.CRM]
    [waiting] = [u for u in posting.unposted(crm) if u.id == letter]
    [entry] = [e for e in issuing.register(crm, case) if e.id == letter]
    assert entry.shown_status == "can no longer go", entry.shown_status
    assert entry.gone == waiting.cannot_go and "27 November 2026" in entry.gone, entry.gone
    assert entry.gone_then == issuing.NOT_OWED_AGAIN, entry.gone_then
