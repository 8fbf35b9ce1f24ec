"""Whether a signed letter can still go out on a day: the one rule the post run refuses on
(services.letters.posting) and the case's next action follows (next_step: a file waits for a
letter still to post, not for one that can no longer go)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from crm_tui.db.models import Appeal, Decision, Letter
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.states import CaseState
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


def lifted_after(appeal: Appeal) -> Decision | None:
    """The decision lifting the restrictions taken after the appeal was decided, the case's
    latest decision (None if not: a lift of an earlier round, restrictions imposed again
    since, is not one). Restrictions under appeal cannot be lifted, so a lift at the same
    moment (a frozen clock) of an appeal lodged while they stood came after it
    (next_step._appeal_is_later)."""
    if appeal.decided_at is None:
        return None
    latest: Decision | None = (Decision.select().where(Decision.case == appeal.case)
                               .order_by(Decision.decided_at.desc(), Decision.id.desc())
                               .first())
    if latest is None or latest.action not in (Action.LIFT_RESTRICTIONS.value,
                                               Action.LIFT_WITHOUT_LETTER.value):
        return None
    if latest.decided_at > appeal.decided_at or (
            latest.decided_at == appeal.decided_at
            and appeal.lodged_from != CaseState.ENDED.value):
        return latest
    return None


def replaced_by(row: Letter) -> int | None:
    """The register number of the appeal outcome letter signed in place of this one, never
    posted (it could no longer go, and was written again: to_write_again); None if none.
    The customer is sent the new one; this one stays on the register, superseded (v15l W6:
    it was "waiting" in every post run for ever)."""
    if (row.kind != "appeal_outcome" or row.status != "issued" or row.posted_on is not None
            or row.duplicate_of_id is not None or not row.source.startswith("appeal:")):
        return None
    later = (Letter.select(Letter.id).where(
        (Letter.source == row.source) & (Letter.status == "issued") & (Letter.id > row.id)
        & Letter.duplicate_of.is_null()).order_by(Letter.id).first())
    return int(later.id) if later is not None else None


def withdrawn(row: Letter) -> str:
    """Why an appeal's outcome letter, signed and not yet posted, is no longer to be sent at
    all ("" if it still is, or it is no such letter): it was written again since
    (replaced_by), or the restrictions were lifted after the appeal and the letter lifting
    them is what the customer is told (v15l W1, W2: the outcome letter saying they "start on
    18 June 2027" was offered to post after the lift). It stays on the register, superseded,
    and is in no post run."""
    if (row.kind != "appeal_outcome" or row.status != "issued" or row.posted_on is not None
            or row.duplicate_of_id is not None or not row.source.startswith("appeal:")):
        return ""
    newer = replaced_by(row)
    if newer is not None:
        return f"letter {newer} was signed in its place"
    try:
        appeal = Appeal.get_or_none(Appeal.id == int(row.source.removeprefix("appeal:")))
    except ValueError:
        return ""
    lift = lifted_after(appeal) if appeal is not None else None
    if lift is None:
        return ""
    said = (f"the restrictions were lifted on {in_prose(lift.decided_at.date())}, after the "
            "appeal")
    if lift.action == Action.LIFT_WITHOUT_LETTER.value:
        return said + ", and it was decided not to write to the customer about it"
    lifting = (Letter.select().where((Letter.source == f"decision:{lift.id}")
                                     & (Letter.status == "issued")
                                     & Letter.duplicate_of.is_null())
               .order_by(Letter.id).first())
    if lifting is not None:
        return said + f"; the letter lifting them (letter {lifting.id}) tells the customer"
    return said + "; the letter lifting them, still to be signed, tells the customer"


def superseded(row: Letter) -> str:
    """Why a decision's letter, not yet posted, has been overtaken: an appeal since removed
    or amended what it decided ("" if not). It was signed and issued, and stays on the
    record; whether to post it too is the team's choice, not the next thing to do (t15 F8:
    "Post the decision letter" came next after the restrictions were removed on appeal, and
    the post run put it in one envelope with the outcome removing them)."""
    if row.kind == "appeal_outcome":
        return withdrawn(row)
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
