"""Whether a signed letter can still go out on a day: the one rule the post run refuses on
(services.letters.posting) and the case's next action follows (next_step: a file waits for a
letter still to post, not for one that can no longer go)."""

from __future__ import annotations

import json
from datetime import date

from crm_tui.db.models import Appeal, AuditEntry, Customer, Decision, Letter
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.domain.wording import envelope_lines

# The audit entry of a change to the customer's postal address (services.intake.
# customer_details.set_contact).
CONTACT_CHANGED = "set_customer_contact"


def _envelope(lines: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """An address's lines as compared: spaces and capitals aside ("high st" corrected to
    "High St" is the same place)."""
    return tuple(" ".join(line.split()).casefold() for line in lines if line.strip())


def addressed_elsewhere(row: Letter) -> bool:
    """Whether the letter, as signed, is addressed to somewhere that is no longer the
    customer's postal address (their address and postcode as recorded now). A letter
    without its signed text kept (issued before it was) is not known to be."""
    if not row.content or row.case.customer_id is None:
        return False
    customer = Customer.get_or_none(Customer.id == row.case.customer_id)
    if customer is None:
        return False
    from crm_tui.letters import record  # the letters' record loads when asked

    now = envelope_lines(tuple(customer.address.split("\n")), customer.postcode)
    try:
        kept = record.loads(row.content)
    except RequirementMissing:
        return False  # a damaged row: said where the letter is read (letter_texts)
    return _envelope(kept.address) != _envelope(now)


def _address_changed_on(row: Letter) -> date | None:
    """The day of the change that moved the customer away from the address the letter was
    signed to (its audit entry), if the trail still says (an erased entry does not): the
    first change since the last one to that address, not the latest (v16 finding 1: a second
    change, on 3 December, rewrote the letter superseded by the first, on 28 November, as
    superseded "on 3 Dec 2026", after the letter signed in its place)."""
    customer = Customer.get_or_none(Customer.id == row.case.customer_id)
    if customer is None:
        return None
    from crm_tui.letters import record  # the letters' record loads when asked

    try:
        signed_to = _envelope(record.loads(row.content).address)
    except RequirementMissing:
        return None
    mark = json.dumps({"customer": str(customer.reference)}, ensure_ascii=False)[1:-1]
    away: date | None = None
    for entry in (AuditEntry.select(AuditEntry.at, AuditEntry.payload)
                  .where((AuditEntry.action == CONTACT_CHANGED)
                         & AuditEntry.payload.contains(mark))
                  .order_by(AuditEntry.seq)):
        try:
            payload = json.loads(entry.payload)
            before, after = payload["before"], payload["after"]
            was = _envelope(envelope_lines(tuple(before["address"]), before["postcode"]))
            now = _envelope(envelope_lines(tuple(after["address"]), after["postcode"]))
            on = date.fromisoformat(str(entry.at)[:10])
        except (ValueError, KeyError, TypeError):
            continue
        if now == signed_to:
            away = None  # (back) at the letter's address
        elif was != now and away is None:
            away = on
    return away


def address_changed_on(row: Letter) -> date | None:
    """The day the customer's postal address was last changed, if the trail still says."""
    return _address_changed_on(row)


def moved(row: Letter, on: date | None = None) -> str:
    """Why the letter, signed and never posted, can no longer go ("" if it can): it is
    addressed to where the customer no longer lives, their address having changed since it
    was signed (issue 15 AG1: it was posted, and the print pack carried the old address). A
    signed letter never changes: it is superseded, and one the customer is owed is written
    again to the new address (to_write_again). Posted on `on` (when given), before the day of
    the change, it went to the address of the day. A letter already posted when the address
    changes is left as it is: it went."""
    if row.status != "issued" or row.posted_on is not None or not addressed_elsewhere(row):
        return ""
    changed = _address_changed_on(row)
    if changed is None:
        return "the customer's address has changed since it was signed"
    if on is not None and on < changed:
        return ""
    return f"the customer's address changed on {in_prose(changed)}"


def cannot_go(row: Letter, posted_on: date, *, as_copy: bool = False) -> str:
    """Why the letter cannot go out on `posted_on`: it is addressed to where the customer no
    longer lives (moved), or a date it gives for something still to come (the last day to
    appeal, a reply-by date, the end of monitoring) has passed by then (gives_past).
    """
    gone = "" if as_copy else moved(row, posted_on)
    return gone or gives_past(row, posted_on, as_copy=as_copy)


def gives_past(row: Letter, posted_on: date, *, as_copy: bool = False) -> str:
    """Why the letter cannot go out on `posted_on` by its dates: a date it gives for something
    still to come (the last day to appeal, a reply-by date, the end of monitoring) has passed.
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
    from crm_tui.letters import checker, record  # the letters' checker loads when asked

    kept = record.loads(row.content)
    on = kept.written_on if as_copy or kept.copy_of is not None else posted_on
    passed = checker.past_dates(kept, on)
    if passed:
        return f"it gives {passed[0]}"
    if as_copy or kept.copy_of is not None or row.kind != "invitation":
        return ""
    return too_short_to_comment(checker.comments_by(kept), posted_on)


def too_short_to_comment(given: date | None, posted_on: date) -> str:
    """Why an invitation to comment giving `given` as the last day for comments cannot go out
    on `posted_on` ("" if it can): it leaves the customer less than the reply-by period
    (settings: reply_by_days, counted as every reply-by deadline is) from the day it goes, the
    least the council gives anyone to comment (issue 15 AO1: posted on the very day it gave,
    the customer could not comment in time). A signed letter never changes: the one the
    customer is owed is signed again, with a new day for comments (to_write_again)."""
    if given is None:
        return ""
    from crm_tui.services.core import comments_in  # it asks this module what can go

    least = comments_in.period_from(posted_on)
    if given >= least:
        return ""
    return (f"it gives {in_prose(given, full_month=True)} as the last day for comments, "
            f"less than the {comments_in.period_words()} the customer is given to comment "
            f"from {in_prose(posted_on, full_month=True)}, the day it would go (at least "
            f"{in_prose(least, full_month=True)})")


# The appeal outcomes that overtake the decision appealed against, as a sentence ends.
_OVERTAKEN = {"removed": "removed the restrictions it imposed",
              "amended": "amended the restrictions it imposed",
              "confirmed": "confirmed the restrictions it imposed"}


# The decisions that, recorded after an appeal was decided, overtake its outcome letter not
# yet posted: the customer is sent the later decision's letter instead (or, lifted without
# one, nothing), which tells them the appeal's result too (letter_content). In the words of
# why the outcome letter is superseded ("the restrictions were varied on …").
OVERTAKING = {Action.IMPOSE_RESTRICTIONS.value: "imposed again",
              Action.EXTEND_RESTRICTIONS.value: "extended",
              Action.VARY_RESTRICTIONS.value: "varied",
              Action.LIFT_RESTRICTIONS.value: "lifted",
              Action.LIFT_WITHOUT_LETTER.value: "lifted"}
_LIFTS = (Action.LIFT_RESTRICTIONS.value, Action.LIFT_WITHOUT_LETTER.value)


def came_after(decision: Decision, appeal: Appeal) -> bool:
    """Whether the decision was recorded after the appeal was decided: by the order the
    decisions were recorded in, not their times, which tie within a second (a frozen clock:
    v15l X3). Nothing is decided while an appeal is open, so a decision recorded after the
    one appealed against came after its outcome; restrictions under appeal cannot be lifted,
    so a lift at the same moment of an appeal lodged while they stood came after it, but not
    one before an appeal lodged once they had ended (next_step._appeal_is_later, v15k T1)."""
    if appeal.decided_at is None:
        return False
    if decision.action in _LIFTS:
        return decision.decided_at > appeal.decided_at or (
            decision.decided_at == appeal.decided_at
            and appeal.lodged_from != CaseState.ENDED.value)
    return int(decision.id) > int(appeal.decision_id)


def decided_after(appeal: Appeal) -> Decision | None:
    """The decision taken since the appeal was decided that overtakes its outcome letter, the
    case's latest (a variation, an extension, restrictions imposed again, a lift; None if
    none: the latest decision is the one whose letter the customer is sent). The one rule for
    "this letter is superseded by that later decision" (v15m-2: a variation after an outcome
    letter signed and not posted went in one post run with it, the two saying different start
    days; only a lift superseded it)."""
    if appeal.decided_at is None:
        return None
    latest: Decision | None = (Decision.select().where(
        (Decision.case == appeal.case) & Decision.action.in_(list(OVERTAKING)))
        .order_by(Decision.id.desc()).first())
    if latest is None or not came_after(latest, appeal):
        return None
    return latest


def _letter_of(decision: Decision) -> Letter | None:
    """The letter signed for the decision (not a copy), if any: the latest, one written
    again in place of one that could no longer go (to_write_again) being the one that tells
    the customer."""
    found: Letter | None = (Letter.select().where(
        (Letter.source == f"decision:{decision.id}") & (Letter.status == "issued")
        & Letter.duplicate_of.is_null()).order_by(Letter.id.desc()).first())
    return found


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


def _overtaken(row: Letter) -> Appeal | None:
    """The appeal of an outcome letter signed, never posted and not a copy (None if `row` is
    no such letter)."""
    if (row.kind != "appeal_outcome" or row.status != "issued" or row.posted_on is not None
            or row.duplicate_of_id is not None or not row.source.startswith("appeal:")):
        return None
    try:
        found: Appeal | None = Appeal.get_or_none(
            Appeal.id == int(row.source.removeprefix("appeal:")))
    except ValueError:
        return None
    return found


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
    """The register number of the letter signed in place of this one, never posted: the
    letter signed again since (it could no longer go: to_write_again), or the letter of the
    decision taken since (decided_after, later_decision), once signed; None if none. This one
    stays on the register, superseded (v15l W6: it was "waiting" in every post run for ever).
    A letter prepared and not signed, superseded by a decision since (draft_superseded): that
    decision's letter, once signed (v15n AC4: it read plain "superseded" though its why named
    the letter). That letter may be superseded in its turn (replaced_by follows)."""
    if draft_superseded(row):
        return _draft_replaced_by(row)
    if not _unposted_original(row):
        return _signed_again(row) if _moved_original(row) else None
    again = _signed_again(row)
    if again is not None:
        return again
    appeal = _overtaken(row)
    decision = decided_after(appeal) if appeal is not None else later_decision(row)
    letter = _letter_of(decision) if decision is not None else None
    return int(letter.id) if letter is not None else None


def no_longer_sent(row: Letter) -> str:
    """Why the letter, never posted, is no longer to be sent ("" if it still is): the one
    supersession rule the register, the review session and the case's letters follow. An
    appeal's outcome letter or a decision's overtaken (withdrawn), a draft outcome letter no
    longer to be signed (draft_superseded), a letter addressed to where the customer no
    longer lives (moved)."""
    return withdrawn(row) or draft_superseded(row) or moved(row)


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
    """The case's letters signed and never posted that a decision taken now (restrictions
    varied, extended, imposed again, lifted) would supersede (later_decision, decided_after):
    an appeal's outcome letter, a decision's letter, each an original still to be sent
    (no_longer_sent; not one overtaken by an appeal already: superseded). Named in the
    decision's confirmation (tester v15p AK5: the appeal outcome letter 17 went unmentioned)."""
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
    return ("the letter lifting them" if decision.action in _LIFTS else "the decision letter")


def withdrawn(row: Letter) -> str:
    """Why an appeal's outcome letter, signed and not yet posted, is no longer to be sent at
    all ("" if it still is, or it is no such letter): it was written again since, or a
    decision was taken after the appeal (decided_after) and its letter is what the customer
    is told (v15l W1, W2: the outcome letter saying they "start on 18 June 2027" was offered
    to post after the lift; v15m-2: after a variation). It stays on the register,
    superseded, and is in no post run."""
    if not _unposted_original(row):
        again = _signed_again(row) if _moved_original(row) else None
        return (f"{_moved_original(row)}, and letter {again} was signed in its place"
                f"{_itself(row, again)}" if again is not None else "")
    again = _signed_again(row)
    if again is not None:
        return (f"{_moved_original(row) or 'it could no longer go'}, and letter {again} was "
                f"signed in its place{_itself(row, again)}")
    appeal = _overtaken(row)
    if appeal is None:
        return _later_said(row)
    return _overtaken_said(appeal)


def _itself(row: Letter, again: int) -> str:
    """", itself superseded by letter N" where the letter signed in this one's place is
    superseded in its turn (replaced_by: N goes), "" where it goes (v16 finding 8)."""
    going = _going(again, {int(row.id)})
    if going == again:
        return ""
    return f", itself superseded by letter {going}" if going is not None else \
        ", itself superseded"


def draft_superseded(row: Letter) -> str:
    """Why a letter prepared and not signed can no longer be signed, in the words of
    withdrawn ("" if none, or it is no such draft): an appeal outcome letter, a decision
    having been taken since the appeal (decided_after); a decision's letter (impose, extend,
    vary, lift), a decision having been taken since on the case (decided_since) or an appeal
    against it decided (fixAI AI1: the variation's letter prepared, then the restrictions
    varied again or lifted, was listed "waiting to be signed", a plain "draft" in the
    register). The Letters area lists it as superseded and `s` refuses it at once (v15m: it
    stayed "waiting to be signed" after the lift, refused only once the passphrase was
    given)."""
    if row.status != "draft":
        return ""
    if row.kind != "appeal_outcome":
        decision = _decision_of(row)
        if decision is None:
            return ""
        later = decided_since(decision)
        if later is not None:
            return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                                   f"{in_prose(later.decided_at.date())}, after this decision")
        return _appealed(row)
    if not row.source.startswith("appeal:"):
        return ""
    try:
        appeal = Appeal.get_or_none(Appeal.id == int(row.source.removeprefix("appeal:")))
    except ValueError:
        return ""
    return _overtaken_said(appeal) if appeal is not None else ""


def _decision_of(row: Letter) -> Decision | None:
    """The decision a decision's letter was signed from (None if it is no such letter)."""
    if not row.source.startswith("decision:"):
        return None
    try:
        found: Decision | None = Decision.get_or_none(
            Decision.id == int(row.source.removeprefix("decision:")))
    except ValueError:
        return None
    return found


def _draft_replaced_by(row: Letter) -> int | None:
    """The register number of the letter that tells the customer in place of a draft
    superseded (draft_superseded), once signed; None if none yet."""
    if row.kind == "appeal_outcome":
        appeal = Appeal.get_or_none(Appeal.id == int(row.source.removeprefix("appeal:")))
        decision = decided_after(appeal) if appeal is not None else None
    else:
        earlier = _decision_of(row)
        decision = decided_since(earlier) if earlier is not None else None
        if decision is None and earlier is not None:
            outcome = _outcome_letter(earlier)
            return int(outcome.id) if outcome is not None else None
    letter = _letter_of(decision) if decision is not None else None
    return int(letter.id) if letter is not None else None


def decided_since(decision: Decision) -> Decision | None:
    """The case's latest decision taken since this one that overtakes its letter (a
    variation, an extension, restrictions imposed again, a lift; None if none)."""
    latest: Decision | None = (Decision.select().where(
        (Decision.case == decision.case) & Decision.action.in_(list(OVERTAKING))
        & (Decision.id > decision.id)).order_by(Decision.id.desc()).first())
    return latest


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
    decision = _decision_of(row)
    return decided_since(decision) if decision is not None else None


def _later_said(row: Letter) -> str:
    """Why a decision's letter is superseded by the decision taken since ("")."""
    later = later_decision(row)
    if later is None:
        return ""
    return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                           f"{in_prose(later.decided_at.date())}, after this decision")


def _overtaken_said(appeal: Appeal) -> str:
    """Why the appeal's outcome letter is superseded by the decision taken since ("")."""
    later = decided_after(appeal)
    if later is None:
        return ""
    return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                           f"{in_prose(later.decided_at.date())}, after the appeal")


def _told_by(later: Decision, said: str) -> str:
    """`said`, and which letter of the later decision tells the customer."""
    if later.action == Action.LIFT_WITHOUT_LETTER.value:
        return said + ", and it was decided not to write to the customer about it"
    letter = _letter_of(later)
    going = _going(int(letter.id), set()) if letter is not None else None
    if going is not None:
        return said + f"; {_letter_words(later)} (letter {going}) tells the customer"
    if letter is not None:  # superseded in its turn, nothing signed in its place yet
        return (said + f"; {_letter_words(later)} (letter {letter.id}, superseded) is to be "
                "signed again, and tells the customer")
    return said + f"; {_letter_words(later)}, still to be signed, tells the customer"


def superseded(row: Letter) -> str:
    """Why a decision's letter, not yet posted, has been overtaken: an appeal since removed
    or amended what it decided ("" if not). It was signed and issued, and stays on the
    record; whether to post it too is the team's choice, not the next thing to do (t15 F8:
    "Post the decision letter" came next after the restrictions were removed on appeal, and
    the post run put it in one envelope with the outcome removing them)."""
    gone = withdrawn(row)
    if gone or row.kind == "appeal_outcome":
        return gone
    return _appealed(row)


def _appealed(row: Letter) -> str:
    """Why a decision's letter not yet posted is overtaken by an appeal decided since ("" if
    not): removed, amended, or confirmed (its outcome letter tells the customer the decision
    stands; the decision letter's right of appeal is spent: fixAB)."""
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


def _outcome_letter(decision: Decision) -> Letter | None:
    """The outcome letter signed for an appeal decided against the decision, if any: what
    tells the customer in place of the decision's letter (_appealed)."""
    appeal = (Appeal.select().where((Appeal.decision == decision.id)
                                    & Appeal.outcome.in_(list(_OVERTAKEN))
                                    & Appeal.decided_at.is_null(False))
              .order_by(Appeal.id.desc()).first())
    if appeal is None:
        return None
    found: Letter | None = (Letter.select().where(
        (Letter.source == f"appeal:{appeal.id}") & (Letter.status == "issued")
        & Letter.duplicate_of.is_null()).order_by(Letter.id.desc()).first())
    return found


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


def untold_appeal(decision: Decision) -> Appeal | None:
    """The appeal decided before this decision whose result the customer has not been sent
    (None if none): no outcome letter of it posted, nor a letter of a decision between them.
    The letter of this decision supersedes that outcome letter (decided_after), so it tells
    the customer the appeal's result, as the outcome letter would have (v15m-3: the letter
    lifting the restrictions never said the appeal was decided)."""
    appeal: Appeal | None = (Appeal.select().where(
        (Appeal.case == decision.case) & (Appeal.outcome != "")
        & Appeal.decided_at.is_null(False)).order_by(Appeal.id.desc()).first())
    if appeal is None or not came_after(decision, appeal):
        return None
    between = [f"decision:{d.id}" for d in Decision.select(Decision.id).where(
        (Decision.case == decision.case) & (Decision.id > appeal.decision_id)
        & (Decision.id < decision.id))]
    told = Letter.select().where(
        Letter.source.in_([f"appeal:{appeal.id}", *between]) & Letter.posted_on.is_null(False))
    return None if told.exists() else appeal


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
