"""How long an invitation to comment, signed and never posted, can still go: the last day it
leaves the customer the reply-by period (letter_may_go.too_short_to_comment)."""

from __future__ import annotations

from datetime import date, timedelta

from crm_tui.db.models import Letter
from crm_tui.services.core.letter_may_go import cannot_go, too_short_to_comment
from crm_tui.services.core.superseded_letters import no_longer_sent


def last_day_to_post(row: Letter, today: date) -> date | None:
    """The last day an invitation to comment, signed and never posted, can still go (the
    day for comments it gives still leaves the customer the reply-by period from its
    posting: too_short_to_comment); None if it is no such letter, is superseded, or can no
    longer go today. What the case's next action names as its due day (issue 15 AS3: it said
    "Customer's comments due 18 Dec" of an invitation that had to be posted that very day)."""
    if (row.kind != "invitation" or row.status != "issued" or row.posted_on is not None
            or row.duplicate_of_id is not None or not row.content
            or cannot_go(row, today) or no_longer_sent(row)):
        return None
    from crm_tui.letters import checker, record  # the letters' checker loads when asked

    given = checker.comments_by(record.loads(row.content))
    if given is None:
        return None
    last = today
    for _ in range(366):  # the period only grows with the day it is counted from
        following = last + timedelta(days=1)
        if too_short_to_comment(given, following):
            break
        last = following
    return last
