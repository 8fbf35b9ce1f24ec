"""Whether a signed letter can still go out on a day: the one rule the post run refuses on
(services.letters.posting) and the case's next action follows (next_step: a file waits for a
letter still to post, not for one that can no longer go)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from crm_tui.db.models import Appeal, Letter
from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters import checker, record


def cannot_go(row: Letter, posted_on: date, *, as_copy: bool = False) -> str:
    """Why the letter cannot go out on `posted_on`: a date it gives for something still to
    come (the last day to appeal, a reply-by date, the end of monitoring) has passed by then.
    Found when tried: only the appeal date was checked, and a letter saying "we will keep it
    until 12 January" was posted on 20 January. A marked copy of a letter (`as_copy`: the
    copy `row` would make) is read as of the day of the letter it copies, whose date it
    bears ("the restrictions start on …" is what was said then), but not after the last day
    to appeal it gives (v15i J2)."""
    if row.appeal_by is not None and posted_on > row.appeal_by:
        return (f"it gives {in_prose(row.appeal_by)} as the last day to appeal, before "
                f"{in_prose(posted_on)}")
    if not row.content:
        return ""
    kept = record.loads(row.content)
    on = kept.written_on if as_copy or kept.copy_of is not None else posted_on
    passed = checker.past_dates(replace(kept, written_on=on))
    return f"it gives {passed[0]}" if passed else ""


# The appeal outcomes that overtake the decision appealed against, as a sentence ends.
_OVERTAKEN = {"removed": "removed the restrictions it imposed",
              "amended": "amended the restrictions it imposed"}


def superseded(row: Letter) -> str:
    """Why a decision's letter, not yet posted, has been overtaken: an appeal since removed
    or amended what it decided ("" if not). It was signed and issued, and stays on the
    record; whether to post it too is the team's choice, not the next thing to do (t15 F8:
    "Post the decision letter" came next after the restrictions were removed on appeal, and
    the post run put it in one envelope with the outcome removing them)."""
    if not row.source.startswith("decision:"):
        return ""
    try:
        decision_id = int(row.source.removeprefix("decision:"))
    except ValueError:
        return ""
    appeal = (Appeal.select().where((Appeal.decision == decision_id)
                                    & Appeal.outcome.in_(list(_OVERTAKEN))
                                    & Appeal.decided_at.is_null(False))
              .order_by(Appeal.id.desc()).first())
    if appeal is None:
        return ""
    said = (f"the appeal decided on {in_prose(appeal.decided_at.date())} "
            f"{_OVERTAKEN[appeal.outcome]}")
    outcome = (Letter.select().where((Letter.source == f"appeal:{appeal.id}")
                                     & (Letter.status == "issued"))
               .order_by(Letter.id.desc()).first())
    if outcome is not None:
        dated = outcome.written_on or (outcome.signed_at or outcome.created_at).date()
        said += f"; its outcome letter (letter {outcome.id}, dated {in_prose(dated)}) says so"
    return said


def to_write_again(row: Letter, on: date) -> str:
    """Why an appeal's outcome letter, signed and never posted, no longer counts as the one
    the appeal owes the customer ("" if it does): it cannot go out on `on` (cannot_go), and
    the customer has still to be told the outcome. A new letter is written, with dates true
    on the day it goes (v15k S: restrictions amended on appeal to start on 1 February were in
    force, and the letter saying "until then, no restrictions apply" was forgotten: the next
    action moved on to the review and nothing new could be written)."""
    if (row.kind != "appeal_outcome" or row.status != "issued" or row.posted_on is not None
            or row.duplicate_of_id is not None or not row.source.startswith("appeal:")):
        return ""
    return cannot_go(row, on)
