"""The decisions and appeals recorded since a letter was signed that overtake it: which came
after which (by the order they were recorded in), the first and the latest of them, the letters
signed of them, and their places in the audit trail (superseded_letters says why a letter is
superseded from these)."""

from __future__ import annotations

import json
from typing import TypeVar

from crm_tui.db.models import Appeal, AuditEntry, Decision, Letter
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.states import CaseState

# The appeal outcomes that overtake the decision appealed against, as a sentence ends.
OVERTAKEN = {"removed": "removed the restrictions it imposed",
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


LIFTS = (Action.LIFT_RESTRICTIONS.value, Action.LIFT_WITHOUT_LETTER.value)

# What a letter is signed from, named in its source (_signed_from).
Signed = TypeVar("Signed", Decision, Appeal)


def came_after(decision: Decision, appeal: Appeal) -> bool:
    """Whether the decision was recorded after the appeal was decided: by the order the
    decisions were recorded in, not their times, which tie within a second (a frozen clock:
    v15l X3). Nothing is decided while an appeal is open, so a decision recorded after the
    one appealed against came after its outcome; restrictions under appeal cannot be lifted,
    so a lift at the same moment of an appeal lodged while they stood came after it, but not
    one before an appeal lodged once they had ended (next_step._appeal_is_later, v15k T1)."""
    if appeal.decided_at is None:
        return False
    if decision.action in LIFTS:
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


def decided_since(decision: Decision) -> Decision | None:
    """The case's latest decision taken since this one that overtakes its letter (a
    variation, an extension, restrictions imposed again, a lift; None if none)."""
    latest: Decision | None = (Decision.select().where(
        (Decision.case == decision.case) & Decision.action.in_(list(OVERTAKING))
        & (Decision.id > decision.id)).order_by(Decision.id.desc()).first())
    return latest


def _signed_from(row: Letter, model: type[Signed], prefix: str) -> Signed | None:
    """The row of `model` a letter was signed from, its source being `prefix` and the row's
    number ("decision:12", "appeal:3"); None if its source is not so, or names no row."""
    if not row.source.startswith(prefix):
        return None
    try:
        found: Signed | None = model.get_or_none(
            model.id == int(row.source.removeprefix(prefix)))
    except ValueError:
        return None
    return found


def decision_of(row: Letter) -> Decision | None:
    """The decision a decision's letter was signed from (None if it is no such letter)."""
    return _signed_from(row, Decision, "decision:")


def outcome_appeal(row: Letter) -> Appeal | None:
    """The appeal of an outcome letter signed, never posted and not a copy (None if `row` is
    no such letter)."""
    if (row.kind != "appeal_outcome" or row.status != "issued" or row.posted_on is not None
            or row.duplicate_of_id is not None):
        return None
    return _signed_from(row, Appeal, "appeal:")


def decisions_since(decision: Decision) -> list[Decision]:
    """The case's decisions taken since this one that overtake its letter, in the order they
    were taken (decided_since is the latest of them)."""
    return list(Decision.select().where(
        (Decision.case == decision.case) & Decision.action.in_(list(OVERTAKING))
        & (Decision.id > decision.id)).order_by(Decision.id))


def decisions_after(appeal: Appeal) -> list[Decision]:
    """The case's decisions taken since the appeal was decided that overtake its outcome
    letter, in the order they were taken (none unless decided_after finds one)."""
    if decided_after(appeal) is None:
        return []
    return [d for d in Decision.select().where(
        (Decision.case == appeal.case) & Decision.action.in_(list(OVERTAKING)))
        .order_by(Decision.id) if came_after(d, appeal)]


def first_since(row: Letter) -> Decision | None:
    """The first decision that superseded the letter, never posted (an appeal's outcome
    letter: the first taken since the appeal was decided; a decision's: the first since that
    decision); None if none. The cause of its being superseded, dated then: later decisions
    supersede the letter in its place, not this one (fixAP AP1)."""
    appeal = outcome_appeal(row)
    if appeal is not None:
        return first_after(appeal)
    decision = decision_of(row) if row.kind != "appeal_outcome" else None
    found = decisions_since(decision) if decision is not None else []
    return found[0] if found else None


def first_after(appeal: Appeal) -> Decision | None:
    """The first decision taken since the appeal was decided that overtakes its outcome
    letter (None if none)."""
    found = decisions_after(appeal)
    return found[0] if found else None


def first_letter(decisions: list[Decision]) -> int | None:
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


def appeal_against(row: Letter) -> Appeal | None:
    """The latest appeal decided against the decision a decision's letter tells of that
    overtakes the letter (removed, amended, confirmed; None if none)."""
    if not row.source.startswith("decision:"):
        return None
    try:
        decision_id = int(row.source.removeprefix("decision:"))
    except ValueError:
        return None
    found: Appeal | None = (Appeal.select().where(
        (Appeal.decision == decision_id) & Appeal.outcome.in_(list(OVERTAKEN))
        & Appeal.decided_at.is_null(False)).order_by(Appeal.id.desc()).first())
    return found


def first_outcome(appeal: Appeal) -> Letter | None:
    """The first outcome letter signed for the appeal (not a copy): the one signed in place
    of the decision's letter; one signed again in its place, or a later decision's, is
    found from it (superseded_letters._going), not by taking the latest (fixAP AP4)."""
    found: Letter | None = (Letter.select().where(
        (Letter.source == f"appeal:{appeal.id}") & (Letter.status == "issued")
        & Letter.duplicate_of.is_null()).order_by(Letter.id).first())
    return found


def outcome_letter(decision: Decision) -> Letter | None:
    """The outcome letter signed for an appeal decided against the decision, if any: the first, in
    place of the decision's letter (superseded_letters._appealed; replaced_by follows it on to the
    letter that goes)."""
    appeal = (Appeal.select().where((Appeal.decision == decision.id)
                                    & Appeal.outcome.in_(list(OVERTAKEN))
                                    & Appeal.decided_at.is_null(False))
              .order_by(Appeal.id.desc()).first())
    return first_outcome(appeal) if appeal is not None else None


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


def decision_seq(decision: Decision) -> int | None:
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


def appeal_seq(appeal: Appeal) -> int | None:
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
