"""Whether a signed letter can still go out on a day: the one rule the post run refuses on
(services.letters.posting) and the case's next action follows (next_step: a file waits for a
letter still to post, not for one that can no longer go)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from crm_tui.db.models import Letter
from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters import checker, record


def cannot_go(row: Letter, posted_on: date) -> str:
    """Why the letter cannot go out on `posted_on`: a date it gives for something still to
    come (the last day to appeal, a reply-by date, the end of monitoring) has passed by then.
    Found when tried: only the appeal date was checked, and a letter saying "we will keep it
    until 12 January" was posted on 20 January."""
    if row.appeal_by is not None and posted_on > row.appeal_by:
        return (f"it gives {in_prose(row.appeal_by)} as the last day to appeal, before "
                f"{in_prose(posted_on)}")
    if not row.content:
        return ""
    passed = checker.past_dates(replace(record.loads(row.content), written_on=posted_on))
    return f"it gives {passed[0]}" if passed else ""
