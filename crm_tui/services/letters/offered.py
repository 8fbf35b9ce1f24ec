"""Which letters fit a case now: those its present state and history call for, each written
once from the event it is about, and none stating a date already past. Every refusal is a
sentence, so that the screen, the command line and the service say the same thing."""

from __future__ import annotations

from datetime import date

from crm_tui.db.models import Appeal, Case, Decision, Letter, Review
from crm_tui.domain.counting import counted
from crm_tui.domain.letters import LATE_AFTER_DAYS, LetterKind
from crm_tui.domain.states import IN_FORCE_STATES
from crm_tui.domain.states import CaseState as S
from crm_tui.domain.typed_dates import in_prose
from crm_tui.letters.content import day
from crm_tui.services.core.posting_dates import OVERTAKING, decided_after
from crm_tui.services.letters import sources
from crm_tui.services.letters.sources import DECIDING, Source

# A local-resolution letter belongs to the service area's attempt to resolve things: once the
# case is referred, "from now on" no longer fits (found when tried), whatever follows.
BEFORE_DECISION = frozenset({S.LOCAL_RESOLUTION})
CLOSED = frozenset({S.ARCHIVED, S.DESTROYED})


def _issued(letter: Letter) -> str:
    on = letter.written_on or (letter.signed_at.date() if letter.signed_at else None)
    return f"it was issued on {day(on)}" if on else "it has been issued"


def _decision_refusal(case: Case, kind: LetterKind, source: Source) -> str | None:
    found = sources.decision_source(case, kind)
    assert found is not None
    decision = found[1]
    latest = sources.latest_change(case)
    if latest is not None and latest.id != decision.id:
        return (f"a later decision ({in_prose(latest.decided_at, full_month=True)}) replaced the "
                "one this letter would be about")
    if kind is LetterKind.LIFTED:
        if Letter.select().where((Letter.case == case) & (Letter.source == source.key)
                                 & (Letter.status == "not_sent")).exists():
            return "a decision not to write was recorded"
        return None
    if Appeal.select().where(Appeal.decision == decision).exists():
        return ("the customer has already appealed against this decision; a new letter would "
                "give them a new appeal deadline")
    if S(case.state) not in IN_FORCE_STATES:
        return "the restrictions have ended"
    return None


def _local_resolution_refusal(case: Case) -> str | None:
    state = S(case.state)
    decided = (Decision.select().where(Decision.case == case).exists()
               or Review.select().where(Review.case == case).exists()
               or Appeal.select().where(Appeal.case == case).exists())
    if state not in BEFORE_DECISION or decided:
        return (f"the case is past local resolution (it {state.in_words}); the "
                "local-resolution letter belongs to local resolution, before any referral")
    return None


def _state_refusal(case: Case, kind: LetterKind, source: Source) -> str | None:
    if kind in DECIDING:
        return _decision_refusal(case, kind, source)
    if kind is LetterKind.LOCAL_RESOLUTION:
        return _local_resolution_refusal(case)
    if kind is LetterKind.INVITATION and S(case.state) not in (S.UNDER_REVIEW, S.UNDER_APPEAL):
        return "no review is under way"
    if kind is LetterKind.APPEAL_OUTCOME:
        appeal = Appeal.get_or_none(Appeal.id == int(source.key.removeprefix("appeal:")))
        later = decided_after(appeal) if appeal is not None else None
        if later is not None:
            # v15l W1: signed after the lift, it told the customer "the restrictions that
            # now apply are set out below", with nothing below; v15m-2: written again after
            # a variation, it told the variation as the appeal's decision.
            letter = ("the letter lifting them" if OVERTAKING[later.action] == "lifted"
                      else "the decision letter")
            return (f"the restrictions were {OVERTAKING[later.action]} on "
                    f"{in_prose(later.decided_at, full_month=True)}, after the appeal: "
                    f"{letter} tells the customer")
    return None


def _past(source: Source, today: date) -> str | None:
    past = [f"the {what} it would give ({day(when)})" for what, when in source.stated
            if when < today]
    if not past:
        return None
    return f"{' and '.join(past)} {'is' if len(past) == 1 else 'are'} already past"


def refusal(case: Case, kind: LetterKind, today: date) -> str | None:
    """Why no new letter of this kind can be issued on the case today (None: it can)."""
    state = S(case.state)
    if state in CLOSED:
        return (f"the case {state.in_words}: no new letter is written; a letter "
                "already issued can be exported or re-sent as a copy")
    source = sources.current(case, kind)
    if source is None:
        return "there is nothing on the case for a letter of this kind to be about"
    issued = sources.original(case, source)
    if issued is not None:
        return f"{_issued(issued)}; export a copy or re-send it"
    return _state_refusal(case, kind, source) or _past(source, today)


def none_in_place(row: Letter, today: date) -> str:
    """What comes of a letter signed, never posted, that can no longer go and is owed again
    (posting_dates.to_write_again), where W offers no new one in its place ("" where it
    does): why not, in W's own words (refusal), and what tells the customer instead. The
    register and the post run say it alike (issue 15 fixAU3 U3: the register said "it is
    signed again" while the post run said "write to the customer again from W", and W
    refused, the customer having appealed). An appeal's outcome letter aside: the person who
    decided the appeal writes it again (posting.write_again)."""
    kind = LetterKind(row.kind)
    if kind is LetterKind.APPEAL_OUTCOME:
        return ""
    case = row.case
    source = sources.current(case, kind)
    if source is not None and source.key != row.source:
        return ("nothing is signed in its place: a later event on the case has taken its "
                "place, and the letter written from it tells the customer")
    why = refusal(case, kind, today)
    if why is None:
        return ""
    if S(case.state) is S.UNDER_APPEAL:
        return (f"nothing is signed in its place: {why}; the outcome of the appeal is "
                "written to them once it is decided")
    return f"nothing is signed in its place: {why}"


def available(case: Case, today: date) -> list[LetterKind]:
    """The letters the case calls for today, in the order of the policy."""
    return [kind for kind in LetterKind if refusal(case, kind, today) is None]




def lateness(case: Case, kind: LetterKind, today: date) -> str:
    """A notice that the letter is late for the event it tells of ("" if it is not)."""
    source = sources.current(case, kind)
    if source is None:
        return ""
    days = (today - source.happened_at.date()).days
    if days <= LATE_AFTER_DAYS:
        return ""
    return (f"Late: what this letter tells of was recorded on "
            f"{in_prose(source.happened_at)}, {counted(days, 'day')} ago. Issued today it bears "
            f"today's "
            "date" + (" and gives the customer a new appeal date from today"
                      if kind.states_appeal_rights else "")
            + ". Check why it was not sent at the time, and record that on the case.")
