"""Why a letter signed and never posted is superseded, and by which letter: the one
supersession rule the register, the post run, the review session and the case's letters
follow (no_longer_sent), the letter that goes in its place along the chain of letters each
superseded in turn (replaced_by, _chain), and whether a letter owed is to be written again
(to_write_again)."""

from __future__ import annotations

from datetime import date, datetime

from crm_tui.db.models import Appeal, Decision, Letter
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.later_decisions import (
    LIFTS,
    OVERTAKEN,
    OVERTAKING,
    appeal_against,
    appeal_seq,
    decided_since,
    decision_of,
    decision_seq,
    decisions_after,
    decisions_since,
    first_after,
    first_letter,
    first_outcome,
    first_since,
    outcome_appeal,
    outcome_letter,
)
from crm_tui.services.core.letter_may_go import cannot_go, moved, moved_away
from crm_tui.services.core.supersede_causes import Cause, CauseKind, signed_again_cause, words_of

# The events whose letter is owed to the customer until one is posted: an appeal's outcome, a
# decision (restrictions imposed, extended, varied, lifted).
_OWED_FROM = ("appeal:", "decision:")


def _unposted_original(row: Letter) -> bool:
    """Whether the letter was signed from an event that owes the customer a letter, and never
    posted (not a copy)."""
    return (row.status == "issued" and row.posted_on is None and row.duplicate_of_id is None
            and row.source.startswith(_OWED_FROM))


def _signed_again(row: Letter) -> int | None:
    """The register number of the letter signed from the same event since (in place of this
    one, which could no longer go: to_write_again), if any."""
    later = (Letter.select(Letter.id).where(
        (Letter.source == row.source) & (Letter.status == "issued") & (Letter.id > row.id)
        & Letter.duplicate_of.is_null()).order_by(Letter.id.desc()).first())
    return int(later.id) if later is not None else None


def replaced_by(row: Letter) -> int | None:
    """The register number of the letter the customer is sent in place of this one, never
    posted ("superseded by N"): the letter in its place (_in_place), and, that one superseded
    too, the one in its place, and so on to the letter that goes; None if none goes yet (v16
    finding 8: letter 24 stayed "superseded by 25" though 25 was "superseded by 26", while
    on another case 17 to 19 moved from "by 20" to "by 21": one rule, the letter that goes).
    """
    return _going(_in_place(row), {int(row.id)})


def _going(newer: int | None, seen: set[int]) -> int | None:
    """The letter `newer`, if it goes; else the one in its place, and so on (None: none goes
    yet, or the letters name each other)."""
    while newer is not None and newer not in seen:
        found = Letter.get_or_none(Letter.id == newer)
        if found is None or not no_longer_sent(found):
            return newer
        seen.add(newer)
        newer = _in_place(found)
    return None


def _in_place(row: Letter) -> int | None:
    """The register number of the letter signed in place of this one, never posted: the letter
    signed again since (it could no longer go: to_write_again), or the letter of the decision taken
    since (later_decisions.decided_after, later_decision), once signed; None if none. This one stays
    on the register, superseded (v15l W6: it was "waiting" in every post run for ever). A letter
    prepared and not signed, superseded by a decision since (draft_superseded): that decision's
    letter, once signed (v15n AC4: it read plain "superseded" though its why named the letter). That
    letter may be superseded in its turn (replaced_by follows)."""
    if draft_superseded(row):
        return _draft_replaced_by(row)
    if _unposted_invitation(row):  # signed again: it could no longer go (withdrawn)
        return _signed_again(row)
    if not _unposted_original(row):
        return _signed_again(row) if _moved_original(row) else None
    again = _signed_again(row)
    if again is not None:
        return again
    appeal = outcome_appeal(row)
    if appeal is not None:
        return first_letter(decisions_after(appeal))
    decision = decision_of(row)
    if decision is None:
        return None
    if _appealed(row):  # the appeal came first: nothing is decided while it is open
        outcome = outcome_letter(decision)
        if outcome is not None:
            return int(outcome.id)
    return first_letter(decisions_since(decision))


def no_longer_sent(row: Letter) -> str:
    """Why the letter, never posted, is no longer to be sent ("" if it still is):
    _no_longer_sent, in words."""
    return words_of(_no_longer_sent(row))


def bare_cause(row: Letter) -> Cause | None:
    """Why the letter, never posted, is no longer to be sent, as a link of a chain (_chain):
    the cause alone, no letter named after it, with its kind (what tells the customer in its
    place follows from the kind: _still_to_sign); None if it is still to be sent."""
    return _no_longer_sent(row, bare=True)


def _no_longer_sent(row: Letter, *, bare: bool = False) -> Cause | None:
    """Why the letter, never posted, is no longer to be sent ("" if it still is): the one
    supersession rule the register, the review session and the case's letters follow. An
    appeal's outcome letter or a decision's overtaken (withdrawn), a draft outcome letter no
    longer to be signed (draft_superseded), a letter addressed to where the customer no
    longer lives (moved). A decision's letter overtaken by an appeal since (superseded) too:
    the register said "signed, not posted" while the post run said SUPERSEDED (fixAP AP2).
    `bare`: the cause alone, no letter named after it (a link of a chain: _chain)."""
    if row.kind != "appeal_outcome" and _unposted_original(row):
        said = _superseded(row, bare=bare)
        if said is not None:
            return said
    return _withdrawn(row, bare=bare) or _draft_superseded(row) or signed_again_cause(moved(row))


def unposted_words(row: Letter) -> str:
    """A signed letter never posted, in a line of its own: "not yet posted", or, no longer to
    be sent (no_longer_sent), "superseded by 25, not sent" (tester v15p AK1: the review
    session said "not yet posted" of a letter the register said was superseded by 25)."""
    if not no_longer_sent(row):
        return "not yet posted"
    newer = replaced_by(row)
    return (f"superseded by {newer}, not sent" if newer is not None
            else "superseded, not sent")


def overtaken_by_a_decision(case_id: int) -> list[Letter]:
    """The case's letters signed and never posted that a decision taken now (restrictions varied,
    extended, imposed again, lifted) would supersede (later_decision,
    later_decisions.decided_after): an appeal's outcome letter, a decision's letter, each an
    original still to be sent (no_longer_sent; not one overtaken by an appeal already: superseded).
    Named in the decision's confirmation (tester v15p AK5: the appeal outcome letter 17 went
    unmentioned)."""
    return [row for row in Letter.select().where(
        (Letter.case == case_id) & (Letter.status == "issued") & Letter.posted_on.is_null()
        & Letter.duplicate_of.is_null()).order_by(Letter.id)
        if _unposted_original(row) and not superseded(row) and not no_longer_sent(row)]


def drafts_overtaken_by_a_decision(case_id: int) -> list[Letter]:
    """The case's letters prepared and not signed that a decision taken now would supersede
    (draft_superseded): an appeal's outcome letter, a decision's letter, not superseded
    already. Named in the decision's confirmation beside the letters signed (v16 finding 11:
    the appeal outcome letter prepared by the person who decided the appeal went unmentioned
    by the variation that superseded it)."""
    return [row for row in Letter.select().where(
        (Letter.case == case_id) & (Letter.status == "draft")).order_by(Letter.id)
        if row.source.startswith(_OWED_FROM) and not draft_superseded(row)]


def _letter_words(decision: Decision) -> str:
    return ("the letter lifting them" if decision.action in LIFTS else "the decision letter")


def withdrawn(row: Letter) -> str:
    """Why an appeal's outcome letter, signed and not yet posted, is no longer to be sent at
    all ("" if it still is): _withdrawn, in words."""
    return words_of(_withdrawn(row))


def _withdrawn(row: Letter, *, bare: bool = False) -> Cause | None:
    """Why an appeal's outcome letter, signed and not yet posted, is no longer to be sent at all
    (None if it still is, or it is no such letter): it was written again since, or a decision was
    taken after the appeal (later_decisions.decided_after) and its letter is what the customer is
    told (v15l W1, W2: the outcome letter saying they "start on 18 June 2027" was offered to post
    after the lift; v15m-2: after a variation). It stays on the register, superseded, and is in no
    post run."""
    if _unposted_invitation(row):
        # An invitation to comment signed again because it could no longer go (or to a
        # former address) is superseded by the one signed in its place, for good: no post
        # run takes it, whatever day is given (issue 15 AS1: posted with a back-dated
        # --posted-on after letter 18 had gone, the case's day for comments moved back to
        # the day letter 17 gave, a day before the one the customer was sent).
        again = _signed_again(row)
        if again is None:
            return None
        return signed_again_cause(f"{_moved_original(row) or 'it could no longer go'}, and "
                                  f"letter {again} was signed again in its place"
                                  f"{_itself(row, again)}")
    if not _unposted_original(row):
        again = _signed_again(row) if _moved_original(row) else None
        if again is not None and bare:
            return signed_again_cause(_moved_original(row))
        return (signed_again_cause(f"{_moved_original(row)}, and letter {again} was signed "
                                   f"in its place{_itself(row, again)}")
                if again is not None else None)
    again = _signed_again(row)
    if again is not None:
        cause = _moved_original(row) or "it could no longer go"
        return signed_again_cause(cause if bare else (
            f"{cause}, and letter {again} was signed in its place{_itself(row, again)}"))
    appeal = outcome_appeal(row)
    if appeal is None:
        first, said = first_since(row), _later_said(row, bare=bare)
    else:
        first, said = first_after(appeal), _overtaken_said(appeal, bare=bare)
    if said is not None and first is not None and _moved_first(row, decision_seq(first),
                                                               first.decided_at):
        return signed_again_cause(_moved_original(row))
    return said


def _moved_first(row: Letter, seq: int | None, at: object) -> bool:
    """Whether the letter was superseded by a change of the customer's address (moved)
    before the event recorded at `seq` in the audit trail, at `at` (a decision, an appeal's
    outcome), superseded it too: the cause is the first thing that superseded it, its date
    fixed then (fixAP AP4: an address change, then a variation, read as superseded by the
    variation). Where the trail does not say which came first, by their days."""
    if not _moved_original(row):
        return False
    away = moved_away(row)
    if away is None:
        return False
    if seq is not None:
        return away[1] < seq
    day = at.date() if isinstance(at, datetime) else at
    return isinstance(day, date) and away[0] < day


def _itself(row: Letter, again: int) -> str:
    """", itself superseded by letter N" where the letter signed in this one's place is
    superseded in its turn (replaced_by: N goes), "" where it goes (v16 finding 8)."""
    going = _going(again, {int(row.id)})
    if going == again:
        return ""
    return f", itself superseded by letter {going}" if going is not None else \
        ", itself superseded"


def draft_superseded(row: Letter) -> str:
    """Why a letter prepared and not signed can no longer be signed ("" if none, or it is no
    such draft): _draft_superseded, in words."""
    return words_of(_draft_superseded(row))


def _draft_superseded(row: Letter) -> Cause | None:
    """Why a letter prepared and not signed can no longer be signed, in the words of withdrawn (""
    if none, or it is no such draft): an appeal outcome letter, a decision having been taken since
    the appeal (later_decisions.decided_after); a decision's letter (impose, extend, vary, lift), a
    decision having been taken since on the case (decided_since) or an appeal against it decided
    (fixAI AI1: the variation's letter prepared, then the restrictions varied again or lifted, was
    listed "waiting to be signed", a plain "draft" in the register). The Letters area lists it as
    superseded and `s` refuses it at once (v15m: it stayed "waiting to be signed" after the lift,
    refused only once the passphrase was given)."""
    if row.status != "draft":
        return None
    if row.kind != "appeal_outcome":
        decision = decision_of(row)
        if decision is None:
            return None
        # An appeal against the decision comes before any later decision (nothing is
        # decided while it is open): the first cause is said (fixAP AP4).
        appealed = _appealed(row)
        since = decisions_since(decision) if not appealed else []
        if since:
            later = since[0]
            return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                                   f"{in_prose(later.decided_at.date())}, after this decision",
                            first_letter(since))
        return appealed
    if not row.source.startswith("appeal:"):
        return None
    try:
        appeal = Appeal.get_or_none(Appeal.id == int(row.source.removeprefix("appeal:")))
    except ValueError:
        return None
    return _overtaken_said(appeal) if appeal is not None else None


def _draft_replaced_by(row: Letter) -> int | None:
    """The register number of the letter that tells the customer in place of a draft
    superseded (draft_superseded), once signed; None if none yet."""
    if row.kind == "appeal_outcome":
        appeal = Appeal.get_or_none(Appeal.id == int(row.source.removeprefix("appeal:")))
        return first_letter(decisions_after(appeal)) if appeal is not None else None
    earlier = decision_of(row)
    if earlier is None:
        return None
    if _appealed(row):  # the appeal came first (draft_superseded)
        outcome = outcome_letter(earlier)
        if outcome is not None:
            return int(outcome.id)
    return first_letter(decisions_since(earlier))


def later_decision(row: Letter) -> Decision | None:
    """The decision taken since the one a decision's letter (impose, extend, vary, lift),
    signed and never posted, tells of, that overtakes it: the case's latest (a variation, an
    extension, restrictions imposed again, a lift; None if none, or `row` is no such letter).
    Its letter is sent instead, and tells what this one would have (told_before, in
    services.letters.letter_changes): both going in one post run, the first told
    restrictions no longer in force, with a right of appeal against a decision already
    replaced (fixAB AB2, decided with the policy: every decision is told with its right of
    appeal, and the later letter's covers the restrictions as they stand)."""
    if not _unposted_original(row) or row.kind == "appeal_outcome":
        return None
    decision = decision_of(row)
    return decided_since(decision) if decision is not None else None


def _later_said(row: Letter, *, bare: bool = False) -> Cause | None:
    """Why a decision's letter is superseded by the decision taken since (None)."""
    if later_decision(row) is None:
        return None
    decision = decision_of(row)
    since = decisions_since(decision) if decision is not None else []
    later = since[0]
    return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                           f"{in_prose(later.decided_at.date())}, after this decision",
                    first_letter(since), bare=bare)


def _overtaken_said(appeal: Appeal, *, bare: bool = False) -> Cause | None:
    """Why the appeal's outcome letter is superseded by the decision taken since (None)."""
    after = decisions_after(appeal)
    if not after:
        return None
    later = after[0]
    return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                           f"{in_prose(later.decided_at.date())}, after the appeal",
                    first_letter(after), bare=bare)


def _told_by(later: Decision, said: str, letter: int | None, *, bare: bool = False) -> Cause:
    """`said`, and which letter tells the customer: the letter signed in place of the one
    superseded (`letter`, the first of the later decisions': first_letter), or, superseded
    in its turn, the one in its place, to the letter that goes (_chain: each named by its
    kind, and why it is superseded; v18 AT1: "the decision letter (letter 23, superseded) is
    to be signed again" of a variation's letter an appeal had confirmed, whose outcome letter
    tells the customer, then "the decision letter (letter 24)" of that outcome letter).
    `bare`: `said` alone (and a lift told in no letter), as a link of a chain."""
    if later.action == Action.LIFT_WITHOUT_LETTER.value:
        return Cause(CauseKind.NOT_WRITTEN,
                     said + ", and it was decided not to write to the customer about it")
    cause = Cause(CauseKind.LIFTED if later.action in LIFTS else CauseKind.DECIDED, said)
    if bare:
        return cause
    if letter is None:
        return cause.plus(f"; {_letter_words(later)}, still to be signed, tells the customer")
    return cause.plus(_chain(letter, _letter_words(later)))


def _kind_words(row: Letter) -> str:
    """The letter named by its kind, as the reason a letter is superseded says it."""
    if row.kind == "appeal_outcome":
        return "the appeal outcome letter"
    return "the letter lifting them" if row.kind == "lifted" else "the decision letter"


def _chain(letter: int, words: str) -> str:
    """"; <kind> (letter N) tells the customer", where letter N goes; where it is superseded
    in its turn, "; <kind> (letter N) is itself superseded by letter M (why), itself
    superseded by letter P (why), and <kind> (letter P) tells the customer", along the chain
    to the letter that goes (_going), or to what is still to be signed."""
    seen: set[int] = set()
    said = ""
    current: Letter | None = Letter.get_or_none(Letter.id == letter)
    while current is not None and int(current.id) not in seen:
        seen.add(int(current.id))
        cause = bare_cause(current)
        if cause is None:
            if not said:
                return f"; {words} (letter {current.id}) tells the customer"
            return said + f", and {_kind_words(current)} (letter {current.id}) tells the customer"
        newer = _in_place(current)
        said += (f"; {words} (letter {current.id}) is itself superseded" if not said
                 else ", itself superseded")
        if newer is None or newer in seen:
            return said + f" ({cause.words}){_still_to_sign(cause.kind)}"
        said += f" by letter {newer} ({cause.words})"
        current = Letter.get_or_none(Letter.id == newer)
    return said


def _still_to_sign(kind: CauseKind) -> str:
    """What tells the customer in place of a letter superseded with nothing signed in its
    place yet (the end of a _chain), by the kind of its cause (bare_cause): the
    appeal's outcome letter, a later decision's letter, or the letter signed again (to the
    new address); nothing where it was decided not to write."""
    return _STILL_TO_SIGN[kind]


_STILL_TO_SIGN = {
    CauseKind.NOT_WRITTEN: "",
    CauseKind.APPEAL: ", and the appeal outcome letter, still to be signed, tells the customer",
    CauseKind.LIFTED: ", and the letter lifting them, still to be signed, tells the customer",
    CauseKind.DECIDED: ", and the decision letter, still to be signed, tells the customer",
    CauseKind.SIGNED_AGAIN: "; it is to be signed again, and tells the customer",
}


def superseded(row: Letter) -> str:
    """Why a decision's letter, not yet posted, has been overtaken ("" if not): _superseded."""
    return words_of(_superseded(row))


def _superseded(row: Letter, *, bare: bool = False) -> Cause | None:
    """Why a decision's letter, not yet posted, has been overtaken: an appeal since removed
    or amended what it decided ("" if not). It was signed and issued, and stays on the
    record; whether to post it too is the team's choice, not the next thing to do (t15 F8:
    "Post the decision letter" came next after the restrictions were removed on appeal, and
    the post run put it in one envelope with the outcome removing them)."""
    if row.kind == "appeal_outcome":
        return _withdrawn(row, bare=bare)
    if _unposted_original(row) and _signed_again(row) is None:
        # An appeal against the decision comes before any later decision (nothing is
        # decided while it is open); a change of address may come before either: the
        # first cause is said (fixAP AP4).
        appealed = _appealed(row)
        appeal = appeal_against(row) if appealed else None
        if appeal is not None:
            if _moved_first(row, appeal_seq(appeal), appeal.decided_at):
                return signed_again_cause(_moved_original(row))
            return _appealed(row, bare=bare)
    return _withdrawn(row, bare=bare) or _appealed(row, bare=bare)


def _appealed(row: Letter, *, bare: bool = False) -> Cause | None:
    """Why a decision's letter not yet posted is overtaken by an appeal decided since (None if
    not): removed, amended, or confirmed (its outcome letter tells the customer the decision
    stands; the decision letter's right of appeal is spent: fixAB)."""
    appeal = appeal_against(row)
    if appeal is None or appeal.decided_at is None:
        return None
    said = Cause(CauseKind.APPEAL, f"the appeal decided on "
                 f"{in_prose(appeal.decided_at.date())} {OVERTAKEN[appeal.outcome]}")
    outcome = first_outcome(appeal)
    if outcome is None or bare:
        return said
    going = _going(int(outcome.id), {int(row.id)})
    if going == int(outcome.id):
        dated = outcome.written_on or (outcome.signed_at or outcome.created_at).date()
        return said.plus(f"; its outcome letter (letter {outcome.id}, dated "
                         f"{in_prose(dated)}) says so")
    # fixAP AP4: the outcome letter superseded in its turn, followed along the chain, each
    # letter by its kind and why (v18 AT1).
    return said.plus(_chain(int(outcome.id), "its outcome letter"))


def to_write_again(row: Letter, on: date) -> str:
    """Why a letter an event owes the customer (an appeal's outcome, a decision: impose,
    extend, vary, lift), signed and never posted, no longer counts as the one owed ("" if it
    does): it cannot go out on `on` (cannot_go), and the customer has still to be told. A new
    letter is written, with dates true on the day it goes, and a new last day to appeal
    counted from it (v15k S: restrictions amended on appeal to start on 1 February were in
    force, and the letter saying "until then, no restrictions apply" was forgotten; fixAB's
    AB1: a variation's letter past its last day to appeal was never owed again, W refused a
    new one, and the customer was never told). A decision's letter overtaken by an appeal
    since is not owed again: the outcome letter tells (superseded). Any letter written from
    an event (a local resolution, an invitation to comment too) addressed to where the
    customer no longer lives is written again to the new address (moved: issue 15 AG1)."""
    if _unposted_invitation(row):
        # Never posted by the day for comments it gives (or to a former address): the
        # customer is owed one with a new day for comments (fixAL AL4, as fixAJ's move).
        return cannot_go(row, on)
    if not _unposted_original(row) or (row.kind != "appeal_outcome" and _appealed(row)):
        return _moved_original(row, on)
    return cannot_go(row, on)


def _unposted_invitation(row: Letter) -> bool:
    """An invitation to comment on a proposal, signed and never posted (not a copy)."""
    return (row.kind == "invitation" and row.status == "issued" and row.posted_on is None
            and row.duplicate_of_id is None and row.source.startswith("proposal:"))


def _moved_original(row: Letter, on: date | None = None) -> str:
    """Why a letter signed from an event (not a copy), never posted, is to be written again
    to the customer's new address ("" if it is not: moved)."""
    if row.duplicate_of_id is not None or not row.source:
        return ""
    return moved(row, on)


def in_place_of_outcome(letter_id: int) -> bool:
    """Whether the letter is sent in place of one never posted (replaced_by): an appeal
    outcome letter, an earlier decision's letter, or the same letter that could no longer go.
    Until it is posted, the customer has not been told."""
    row = Letter.get_or_none(Letter.id == letter_id)
    if row is None or not row.source.startswith("decision:"):
        return False
    return any(replaced_by(other) == letter_id for other in Letter.select().where(
        (Letter.case == row.case) & (Letter.status == "issued") & Letter.posted_on.is_null()
        & (Letter.id != letter_id)))
