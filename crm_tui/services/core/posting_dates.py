"""Whether a signed letter can still go out on a day: the one rule the post run refuses on
(services.letters.posting) and the case's next action follows (next_step: a file waits for a
letter still to post, not for one that can no longer go)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from crm_tui.db.models import Appeal, AuditEntry, Customer, Decision, Letter
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.domain.wording import envelope_lines


class CauseKind(Enum):
    """What superseded a letter never posted, and so what tells the customer in its place."""

    APPEAL = "appeal"  # an appeal decided since: its outcome letter tells
    LIFTED = "lifted"  # the restrictions lifted since: the letter lifting them tells
    DECIDED = "decided"  # restrictions imposed again, extended or varied since: that letter
    NOT_WRITTEN = "not_written"  # lifted since, and it was decided not to write about it
    SIGNED_AGAIN = "signed_again"  # it could no longer go (or to a former address): again


@dataclass(frozen=True)
class Cause:
    """Why a letter is no longer sent: its kind, decided on, and the words that say it."""

    kind: CauseKind
    words: str

    def plus(self, more: str) -> Cause:
        """The same cause, its words followed by `more` (the letter that tells, named)."""
        return Cause(self.kind, self.words + more)


def _words(cause: Cause | None) -> str:
    return cause.words if cause is not None else ""


def _again(words: str) -> Cause | None:
    """A cause of the kind signed again (moved, could no longer go), None for no words."""
    return Cause(CauseKind.SIGNED_AGAIN, words) if words else None


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
    away = _moved_away(row)
    return away[0] if away is not None else None


def _moved_away(row: Letter) -> tuple[date, int] | None:
    """The day of the change that moved the customer away from the letter's address
    (_address_changed_on) and its place in the audit trail (its seq: which came first of it
    and a decision taken the same day, _moved_first)."""
    customer = Customer.get_or_none(Customer.id == row.case.customer_id)
    if customer is None:
        return None
    from crm_tui.letters import record  # the letters' record loads when asked

    try:
        signed_to = _envelope(record.loads(row.content).address)
    except RequirementMissing:
        return None
    mark = json.dumps({"customer": str(customer.reference)}, ensure_ascii=False)[1:-1]
    away: tuple[date, int] | None = None
    for entry in (AuditEntry.select(AuditEntry.seq, AuditEntry.at, AuditEntry.payload)
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
            away = on, int(entry.seq)
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
    if _unposted_invitation(row):  # signed again: it could no longer go (withdrawn)
        return _signed_again(row)
    if not _unposted_original(row):
        return _signed_again(row) if _moved_original(row) else None
    again = _signed_again(row)
    if again is not None:
        return again
    appeal = _overtaken(row)
    if appeal is not None:
        return _first_letter(_decisions_after(appeal))
    decision = _decision_of(row)
    if decision is None:
        return None
    if _appealed(row):  # the appeal came first: nothing is decided while it is open
        outcome = _outcome_letter(decision)
        if outcome is not None:
            return int(outcome.id)
    return _first_letter(_decisions_since(decision))


def no_longer_sent(row: Letter) -> str:
    """Why the letter, never posted, is no longer to be sent ("" if it still is):
    _no_longer_sent, in words."""
    return _words(_no_longer_sent(row))


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
    return _withdrawn(row, bare=bare) or _draft_superseded(row) or _again(moved(row))


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
    all ("" if it still is): _withdrawn, in words."""
    return _words(_withdrawn(row))


def _withdrawn(row: Letter, *, bare: bool = False) -> Cause | None:
    """Why an appeal's outcome letter, signed and not yet posted, is no longer to be sent at
    all ("" if it still is, or it is no such letter): it was written again since, or a
    decision was taken after the appeal (decided_after) and its letter is what the customer
    is told (v15l W1, W2: the outcome letter saying they "start on 18 June 2027" was offered
    to post after the lift; v15m-2: after a variation). It stays on the register,
    superseded, and is in no post run."""
    if _unposted_invitation(row):
        # An invitation to comment signed again because it could no longer go (or to a
        # former address) is superseded by the one signed in its place, for good: no post
        # run takes it, whatever day is given (issue 15 AS1: posted with a back-dated
        # --posted-on after letter 18 had gone, the case's day for comments moved back to
        # the day letter 17 gave, a day before the one the customer was sent).
        again = _signed_again(row)
        return (_again(f"{_moved_original(row) or 'it could no longer go'}, and letter "
                       f"{again} was signed again in its place{_itself(row, again)}")
                if again is not None else None)
    if not _unposted_original(row):
        again = _signed_again(row) if _moved_original(row) else None
        if again is not None and bare:
            return _again(_moved_original(row))
        return (_again(f"{_moved_original(row)}, and letter {again} was signed in its place"
                       f"{_itself(row, again)}") if again is not None else None)
    again = _signed_again(row)
    if again is not None:
        cause = _moved_original(row) or "it could no longer go"
        return _again(cause if bare else (f"{cause}, and letter {again} was signed in its "
                                          f"place{_itself(row, again)}"))
    appeal = _overtaken(row)
    if appeal is None:
        first, said = _first_since(row), _later_said(row, bare=bare)
    else:
        first, said = _first_after(appeal), _overtaken_said(appeal, bare=bare)
    if said is not None and first is not None and _moved_first(row, _decision_seq(first),
                                                               first.decided_at):
        return _again(_moved_original(row))
    return said


def _decision_seq(decision: Decision) -> int | None:
    """The place in the audit trail of the entry recording the decision: the case's entries
    of its action match its decisions of that action, in order; None if they do not (an
    entry erased)."""
    ref = decision.case.reference
    entries = [int(e.seq) for e in AuditEntry.select(AuditEntry.seq).where(
        (AuditEntry.case_reference == ref) & (AuditEntry.action == decision.action))
        .order_by(AuditEntry.seq)]
    taken = [int(d.id) for d in Decision.select(Decision.id).where(
        (Decision.case == decision.case) & (Decision.action == decision.action))
        .order_by(Decision.id)]
    if len(entries) != len(taken):
        return None
    return entries[taken.index(int(decision.id))]


def _appeal_seq(appeal: Appeal) -> int | None:
    """The place in the audit trail of the entry recording the appeal's outcome (its
    payload names the appeal); None if the trail no longer says (erased)."""
    mark = f'"appeal": {int(appeal.id)}'
    for entry in (AuditEntry.select(AuditEntry.seq, AuditEntry.payload)
                  .where((AuditEntry.case_reference == appeal.case.reference)
                         & AuditEntry.payload.contains(mark)).order_by(AuditEntry.seq)):
        try:
            payload = json.loads(entry.payload)
        except ValueError:
            continue
        if isinstance(payload, dict) and payload.get("appeal") == int(appeal.id) \
                and "outcome" in payload:
            return int(entry.seq)
    return None


def _moved_first(row: Letter, seq: int | None, at: object) -> bool:
    """Whether the letter was superseded by a change of the customer's address (moved)
    before the event recorded at `seq` in the audit trail, at `at` (a decision, an appeal's
    outcome), superseded it too: the cause is the first thing that superseded it, its date
    fixed then (fixAP AP4: an address change, then a variation, read as superseded by the
    variation). Where the trail does not say which came first, by their days."""
    if not _moved_original(row):
        return False
    away = _moved_away(row)
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
    return _words(_draft_superseded(row))


def _draft_superseded(row: Letter) -> Cause | None:
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
        return None
    if row.kind != "appeal_outcome":
        decision = _decision_of(row)
        if decision is None:
            return None
        # An appeal against the decision comes before any later decision (nothing is
        # decided while it is open): the first cause is said (fixAP AP4).
        appealed = _appealed(row)
        since = _decisions_since(decision) if not appealed else []
        if since:
            later = since[0]
            return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                                   f"{in_prose(later.decided_at.date())}, after this decision",
                            _first_letter(since))
        return appealed
    if not row.source.startswith("appeal:"):
        return None
    try:
        appeal = Appeal.get_or_none(Appeal.id == int(row.source.removeprefix("appeal:")))
    except ValueError:
        return None
    return _overtaken_said(appeal) if appeal is not None else None


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
        return _first_letter(_decisions_after(appeal)) if appeal is not None else None
    earlier = _decision_of(row)
    if earlier is None:
        return None
    if _appealed(row):  # the appeal came first (draft_superseded)
        outcome = _outcome_letter(earlier)
        if outcome is not None:
            return int(outcome.id)
    return _first_letter(_decisions_since(earlier))


def _decisions_since(decision: Decision) -> list[Decision]:
    """The case's decisions taken since this one that overtake its letter, in the order they
    were taken (decided_since is the latest of them)."""
    return list(Decision.select().where(
        (Decision.case == decision.case) & Decision.action.in_(list(OVERTAKING))
        & (Decision.id > decision.id)).order_by(Decision.id))


def _decisions_after(appeal: Appeal) -> list[Decision]:
    """The case's decisions taken since the appeal was decided that overtake its outcome
    letter, in the order they were taken (none unless decided_after finds one)."""
    if decided_after(appeal) is None:
        return []
    return [d for d in Decision.select().where(
        (Decision.case == appeal.case) & Decision.action.in_(list(OVERTAKING)))
        .order_by(Decision.id) if came_after(d, appeal)]


def _first_since(row: Letter) -> Decision | None:
    """The first decision that superseded the letter, never posted (an appeal's outcome
    letter: the first taken since the appeal was decided; a decision's: the first since that
    decision); None if none. The cause of its being superseded, dated then: later decisions
    supersede the letter in its place, not this one (fixAP AP1)."""
    appeal = _overtaken(row)
    if appeal is not None:
        return _first_after(appeal)
    decision = _decision_of(row) if row.kind != "appeal_outcome" else None
    found = _decisions_since(decision) if decision is not None else []
    return found[0] if found else None


def _first_after(appeal: Appeal) -> Decision | None:
    """The first decision taken since the appeal was decided that overtakes its outcome
    letter (None if none)."""
    found = _decisions_after(appeal)
    return found[0] if found else None


def _first_letter(decisions: list[Decision]) -> int | None:
    """The register number of the first letter signed (not a copy) of the first of these
    decisions that has one: the letter signed in place of the one they superseded. Where
    that one went (posted), it is the letter the customer was sent, whatever was decided
    after (fixAP AP1: letter 24, replaced by 25, posted, read "superseded by 28" after two
    more variations)."""
    for decision in decisions:
        found = (Letter.select(Letter.id).where(
            (Letter.source == f"decision:{decision.id}") & (Letter.status == "issued")
            & Letter.duplicate_of.is_null()).order_by(Letter.id).first())
        if found is not None:
            return int(found.id)
    return None


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


def _later_said(row: Letter, *, bare: bool = False) -> Cause | None:
    """Why a decision's letter is superseded by the decision taken since (None)."""
    if later_decision(row) is None:
        return None
    decision = _decision_of(row)
    since = _decisions_since(decision) if decision is not None else []
    later = since[0]
    return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                           f"{in_prose(later.decided_at.date())}, after this decision",
                    _first_letter(since), bare=bare)


def _overtaken_said(appeal: Appeal, *, bare: bool = False) -> Cause | None:
    """Why the appeal's outcome letter is superseded by the decision taken since (None)."""
    after = _decisions_after(appeal)
    if not after:
        return None
    later = after[0]
    return _told_by(later, f"the restrictions were {OVERTAKING[later.action]} on "
                           f"{in_prose(later.decided_at.date())}, after the appeal",
                    _first_letter(after), bare=bare)


def _told_by(later: Decision, said: str, letter: int | None, *, bare: bool = False) -> Cause:
    """`said`, and which letter tells the customer: the letter signed in place of the one
    superseded (`letter`, the first of the later decisions': _first_letter), or, superseded
    in its turn, the one in its place, to the letter that goes (_chain: each named by its
    kind, and why it is superseded; v18 AT1: "the decision letter (letter 23, superseded) is
    to be signed again" of a variation's letter an appeal had confirmed, whose outcome letter
    tells the customer, then "the decision letter (letter 24)" of that outcome letter).
    `bare`: `said` alone (and a lift told in no letter), as a link of a chain."""
    if later.action == Action.LIFT_WITHOUT_LETTER.value:
        return Cause(CauseKind.NOT_WRITTEN,
                     said + ", and it was decided not to write to the customer about it")
    cause = Cause(CauseKind.LIFTED if later.action in _LIFTS else CauseKind.DECIDED, said)
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
    return _words(_superseded(row))


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
        appeal = _appeal_against(row) if appealed else None
        if appeal is not None:
            return (_again(_moved_original(row)) if _moved_first(row, _appeal_seq(appeal),
                                                                 appeal.decided_at)
                    else _appealed(row, bare=bare))
    return _withdrawn(row, bare=bare) or _appealed(row, bare=bare)


def _appeal_against(row: Letter) -> Appeal | None:
    """The latest appeal decided against the decision a decision's letter tells of that
    overtakes the letter (removed, amended, confirmed; None if none)."""
    if not row.source.startswith("decision:"):
        return None
    try:
        decision_id = int(row.source.removeprefix("decision:"))
    except ValueError:
        return None
    found: Appeal | None = (Appeal.select().where(
        (Appeal.decision == decision_id) & Appeal.outcome.in_(list(_OVERTAKEN))
        & Appeal.decided_at.is_null(False)).order_by(Appeal.id.desc()).first())
    return found


def _appealed(row: Letter, *, bare: bool = False) -> Cause | None:
    """Why a decision's letter not yet posted is overtaken by an appeal decided since (None if
    not): removed, amended, or confirmed (its outcome letter tells the customer the decision
    stands; the decision letter's right of appeal is spent: fixAB)."""
    appeal = _appeal_against(row)
    if appeal is None or appeal.decided_at is None:
        return None
    said = Cause(CauseKind.APPEAL, f"the appeal decided on "
                 f"{in_prose(appeal.decided_at.date())} {_OVERTAKEN[appeal.outcome]}")
    outcome = _first_outcome(appeal)
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


def _first_outcome(appeal: Appeal) -> Letter | None:
    """The first outcome letter signed for the appeal (not a copy): the one signed in place
    of the decision's letter; one signed again in its place, or a later decision's, is
    found from it (_going), not by taking the latest (fixAP AP4)."""
    found: Letter | None = (Letter.select().where(
        (Letter.source == f"appeal:{appeal.id}") & (Letter.status == "issued")
        & Letter.duplicate_of.is_null()).order_by(Letter.id).first())
    return found


def _outcome_letter(decision: Decision) -> Letter | None:
    """The outcome letter signed for an appeal decided against the decision, if any: the
    first, in place of the decision's letter (_appealed; replaced_by follows it on to the
    letter that goes)."""
    appeal = (Appeal.select().where((Appeal.decision == decision.id)
                                    & Appeal.outcome.in_(list(_OVERTAKEN))
                                    & Appeal.decided_at.is_null(False))
              .order_by(Appeal.id.desc()).first())
    return _first_outcome(appeal) if appeal is not None else None


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
