"""Round 8: a service refuses with every problem of what it was given at once (Problems), so
that the screen and the command line can show them all in one save."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.domain.errors import Problems
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.evidence import matters
from tests import builders


def test_closing_a_matter_tells_a_future_day_and_a_blank_how_at_once(
        actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    matter = matters.open_matter(actors[Role.OFFICER], ref, "Gutter repairs")
    with pytest.raises(Problems) as refused:
        matters.close_matter(actors[Role.OFFICER], ref, matter, date(2026, 12, 31), " ")
    said = {p.field: p.message for p in refused.value.found}
    assert said["closed_on"].startswith("31/12/2026 is in the future")
    assert said["outcome"] == "is required"


@pytest.mark.parametrize("reason", ["n/a", "TBC", "-", "none"])
def test_a_placeholder_is_no_reason_for_a_decision(actors: dict[Role, Actor],
                                                   reason: str) -> None:
    """Round 8: "n/a" closed a case with no action. Every step recorded on a reason (close,
    return, lift, decide, review outcomes) refuses placeholders, as the referral form does."""
    from crm_tui.domain.errors import ValidationError
    from crm_tui.services.intake import casework
    from tests.unit.services.reviews.appeal_fixtures import dump

    ref = builders.referred(actors)
    before = dump()
    with pytest.raises(ValidationError) as refused:
        casework.close_no_action(actors[Role.CRM], ref, reason)
    assert refused.value.field == "reason"
    assert refused.value.message.startswith("is not a reason")
    assert dump() == before
