"""What a decision changes, compared with the restrictions it replaces: for the record (the
severity comparison) and for the customer ("What has changed", in sentences)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crm_tui.db.models import Appeal, Case, Decision, Letter, Restriction
from crm_tui.domain import severity
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.letters.wording import day, listed
from crm_tui.services.letters.letter_facts import terms_of

# The restrictions a decision replaced, with their end and review dates.
Before = tuple[list[Restriction], date | None, date | None]
# Decisions that put drafted restrictions in force.
PUTTING_IN_FORCE = (Action.IMPOSE_RESTRICTIONS, Action.VARY_RESTRICTIONS,
                    Action.EXTEND_RESTRICTIONS, Action.AMEND_ON_APPEAL)
WAYS = {"letter": "by letter", "email": "by email", "telephone": "by telephone",
        "web_form": "through the online form", "face_to_face": "in person",
        "social_media": "through social media",
        "councillor_enquiry": "through your local councillor"}
TOPICS = {
    RestrictionKind.FORM_OF_CONTACT: "the ways you can contact us",
    RestrictionKind.NAMED_OFFICER: "who you can contact",
    RestrictionKind.TELEPHONE_TIMES: "when you can telephone us",
    RestrictionKind.SIGNIFICANT_QUERIES_ONLY: "which queries we will answer",
    RestrictionKind.NEW_ISSUES_ONLY: "matters we have already dealt with",
    RestrictionKind.BLOCK_ELECTRONIC: "telephone and electronic contact",
}


def before(decision: Decision) -> Before | None:
    """The restrictions a decision replaced: those of the decision before it."""
    previous = (Decision.select().where(
        (Decision.case == decision.case) & (Decision.id != decision.id)
        & (Decision.decided_at <= decision.decided_at)
        & Decision.action.in_([a.value for a in PUTTING_IN_FORCE]))
        .order_by(Decision.decided_at.desc(), Decision.id.desc()).first())
    if previous is None:
        return None
    rows = list(Restriction.select().where(Restriction.decision == previous))
    return rows, previous.ends_on, previous.review_due


@dataclass(frozen=True)
class Told:
    """What the customer was last sent of the restrictions, before a decision (AF2): the
    terms in the last letter of them actually posted (`was`; None if none was), the day that
    letter bears (`on`), and the decisions taken since that no letter posted has told them of
    (`untold`: restrictions imposed, extended or varied, oldest first). A decision whose
    letter was signed and not posted, prepared and not signed, or never written, is untold
    alike (AF3): the customer never had it."""

    was: Before | None = None
    on: date | None = None
    untold: list[Decision] = field(default_factory=list)


def _posted(source: str) -> Letter | None:
    """The latest letter (or copy) of an event that went in the post."""
    found: Letter | None = (Letter.select().where(
        (Letter.source == source) & (Letter.status == "issued")
        & Letter.posted_on.is_null(False)).order_by(Letter.id.desc()).first())
    return found


def _outcome_posted(decision: Decision) -> Letter | None:
    """The outcome letter, posted, of an appeal against a decision whose own letter never
    went: it told the customer of that decision (fixAQ AQ1). An appeal alone is not the
    customer told (AV2: a later decision's letter sent in place of an outcome letter never
    posted measured what had changed against the decision appealed against, which the
    customer was never sent)."""
    for appeal in Appeal.select().where(Appeal.decision == decision).order_by(Appeal.id.desc()):
        letter = _posted(f"appeal:{appeal.id}")
        if letter is not None:
            return letter
    return None


def amended_by(decision: Decision) -> Appeal | None:
    """The appeal an amendment on appeal decided."""
    found: Appeal | None = (Appeal.select().where(
        (Appeal.case == decision.case) & (Appeal.outcome == "amended")
        & (Appeal.decision < decision.id)).order_by(Appeal.id.desc()).first())
    return found


def _terms(decision: Decision) -> Before:
    rows = list(Restriction.select().where(Restriction.decision == decision)
                .order_by(Restriction.id))
    return rows, decision.ends_on, decision.review_due


def told_before(case: Case, before_id: int | None = None, *,
                appealed_is_told: bool = True) -> Told:
    """What the customer was last sent before the decision numbered `before_id` (None: a
    decision still to be recorded, after every one there is). Walks back through the
    decisions that put restrictions in force until one the customer was told of: its letter
    posted (or, for an amendment on appeal, the appeal's outcome letter), or the outcome letter
    of an appeal against it posted (that letter told it; an appeal alone does not: AV2). One
    the customer was sent nothing of is untold, and the walk goes on to the one before; an
    amendment whose outcome letter was never posted is told as the appeal's result
    (posting_dates.untold_appeal), not here. Restrictions imposed are where
    a run of restrictions begins: nothing before them is looked at. `appealed_is_told`
    False: only a letter posted counts (the appeal outcome letter, which tells what changed
    since the last letter the customer was sent, and of an appealed decision whose own letter
    never went: fixAL AL3)."""
    query = Decision.select().where((Decision.case == case)
                                    & Decision.action.in_([a.value for a in PUTTING_IN_FORCE]))
    if before_id is not None:
        query = query.where(Decision.id < before_id)
    untold: list[Decision] = []
    for earlier in query.order_by(Decision.id.desc()):
        if earlier.action == Action.AMEND_ON_APPEAL.value:
            appeal = amended_by(earlier)
            letter = _posted(f"appeal:{appeal.id}") if appeal is not None else None
            if letter is None:
                continue
        else:
            letter = _posted(f"decision:{earlier.id}")
            if letter is None and appealed_is_told:
                letter = _outcome_posted(earlier)
        if letter is not None:
            on = (letter.written_on or (letter.signed_at or letter.created_at).date()) \
                if letter is not None else None
            return Told(_terms(earlier), on, untold[::-1])
        untold.append(earlier)
        if earlier.action == Action.IMPOSE_RESTRICTIONS.value:
            break
    return Told(None, None, untold[::-1])


def what_it_set(decision: Decision, lead: str = "It set restrictions") -> str:
    """What a decision the customer was never sent set, in a sentence: the matters its
    restrictions were on, and their dates."""
    rows, ends_on, _ = _terms(decision)
    topics: list[str] = []
    for kind, _params in terms_of(rows):
        if TOPICS[kind] not in topics:
            topics.append(TOPICS[kind])
    starts = decision.effective_from or decision.decided_at.date()
    on = f" on {listed(topics)}" if topics else ""
    # Past tense, with no "from" or "until" the checker reads as a date still to come.
    when = (f", to apply between {day(starts)} and {day(ends_on)}" if ends_on is not None
            else f", to apply starting {day(starts)}")
    return f"{lead}{on}{when}."


# Said in place of what has changed when no letter about the restrictions was ever posted.
NONE_SENT = ("We have not sent you a letter about restrictions before this one. The "
             "restrictions set out above are the ones that apply to you.")


def since_told(told: Told, rows: list[Restriction], ends_on: date, review_due: date, *,
               starts: tuple[date, date] | None = None, written_on: date | None = None,
               told_between: bool = False, reviewing: bool = False) -> list[str]:
    """What has changed since the last letter the customer was sent (AF2): compared with
    its terms, and said to be so where a decision or an appeal's result they were never sent
    came between (`told_between`: this letter tells them of it); where no letter of the
    restrictions was ever posted, what applies in plain words."""
    if told.was is None:
        return [NONE_SENT] if told.untold or told_between else []
    said = sentences(told.was, rows, ends_on, review_due, starts=starts,
                     written_on=written_on, reviewing=reviewing)
    if (told.untold or told_between) and told.on is not None:
        said.insert(0, f"This is what has changed since our letter of {day(told.on)}, the "
                       "last we sent you about the restrictions.")
    return said


def started(decision: Decision) -> date | None:
    """When the restrictions a decision replaced began: the latest decision to impose
    restrictions on the case before this one, or an amendment on appeal since that made them
    start on a later day."""
    first = (Decision.select().where(
        (Decision.case == decision.case) & (Decision.id != decision.id)
        & (Decision.decided_at <= decision.decided_at)
        & (Decision.action == Action.IMPOSE_RESTRICTIONS.value))
        .order_by(Decision.decided_at.desc()).first())
    if first is None:
        return None
    found: date = first.effective_from or first.decided_at.date()
    # Amended on appeal to start on a later day: those appealed against stopped when the
    # appeal was decided, and the restrictions as they stand began then (AF4: the check
    # before the decision said "Since we decided the restrictions on …", the letter "Since
    # the restrictions started on" the day of those appealed against).
    amended = (Decision.select().where(
        (Decision.case == decision.case) & (Decision.id != decision.id)
        & (Decision.id > first.id) & (Decision.decided_at <= decision.decided_at)
        & (Decision.action == Action.AMEND_ON_APPEAL.value))
        .order_by(Decision.id.desc()).first())
    if amended is not None and amended.effective_from is not None \
            and amended.effective_from > amended.decided_at.date():
        later: date = amended.effective_from
        return later
    return found


def old_start(old_rows: list[Restriction], decided_on: date) -> date:
    """The day the replaced restrictions applied from, as the decision kept it: the day it
    was decided once they had started, or the later day they were decided to start."""
    starts = [r.starts_on for r in old_rows if r.starts_on is not None]
    first = min(starts) if starts else None
    return first if first is not None and first > decided_on else decided_on


def between(was: Before, rows: list[Restriction], ends_on: date,
            review_due: date, *, starts: tuple[date, date] | None = None
            ) -> severity.Comparison:
    """`starts`: (the day decided, the day the restrictions start)."""
    old, old_end, old_review = was
    starts_now = old_start(old, starts[0]) if starts is not None else None
    return severity.compare(terms_of(old), terms_of(rows), ends_now=old_end,
                            ends_proposed=ends_on, review_now=old_review,
                            review_proposed=review_due, starts_now=starts_now,
                            starts_proposed=starts[1] if starts is not None else None)


def _channels(params: Mapping[str, Any]) -> set[str]:
    return set(params.get("channels", []))


def _changed(kind: RestrictionKind, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """A restriction of the same kind, changed: which ways of contact open or close, where
    that is the change; otherwise that it changed (its terms are set out in full above)."""
    if kind is RestrictionKind.FORM_OF_CONTACT:
        opened = sorted(_channels(new) - _channels(old))
        closed = sorted(_channels(old) - _channels(new))
        said = [f"You can now also contact us {WAYS.get(c, 'in another way')}." for c in opened]
        said += [f"You can no longer contact us {WAYS.get(c, 'in that way')}." for c in closed]
        if said:
            return said
    return [f"We have changed the restriction on {TOPICS[kind]}. It is set out in full above."]


def paused(decided_on: date, starts_on: date, written_on: date | None) -> str:
    """Restrictions already in force, decided on `decided_on` to apply from a later day: they
    stopped that day, and apply again from the later one (fixAL AL3: "They now start later"
    read as if they had never started). Written once that day has come (v15k S): said as it
    is then."""
    if written_on is None or starts_on > written_on:
        return (f"The restrictions stopped on {day(decided_on)}. They apply again, as set "
                f"out above, from {day(starts_on)}. Until then, no restrictions apply.")
    return (f"The restrictions stopped on {day(decided_on)}, and have applied again, as set "
            f"out above, since {day(starts_on)}.")


def sentences(was: Before | None, rows: list[Restriction], ends_on: date,
              review_due: date, *, starts: tuple[date, date] | None = None,
              written_on: date | None = None, reviewing: bool = False) -> list[str]:
    """What has changed, as the customer is told it: each kind of restriction added, changed
    or removed (the full terms are set out beside), and the new start, end and review dates.
    `starts`: (the day decided, the day the restrictions start): a later start is a change,
    told truly (v15k: "their dates are the same as before" on a start moved later)."""
    if was is None:
        return []
    old_rows, old_end, old_review = was
    moved: list[str] = []
    if starts is not None:
        decided_on, starts_on = starts
        was_from = old_start(old_rows, decided_on)
        if was_from != starts_on:
            moved.append(f"The start date was {day(was_from)}. The new start date is "
                         f"{day(starts_on)}." if was_from > decided_on
                         else paused(decided_on, starts_on, written_on))
    old = {k: p for k, p in terms_of(old_rows)}
    new = {k: p for k, p in terms_of(rows)}
    said = [f"We have added a restriction on {TOPICS[k]}." for k in new if k not in old]
    for k in new:
        if k in old and dict(old[k]) != dict(new[k]):
            said += _changed(k, old[k], new[k])
    said += [f"The restriction on {TOPICS[k]} no longer applies." for k in old if k not in new]
    said += moved
    if old_end is not None and old_end != ends_on:
        said.append(f"The end date was {day(old_end)}. The new end date is {day(ends_on)}.")
    if old_review is not None and old_review != review_due:
        # `reviewing`: the review is being held now (next_step.review_held_now), and the
        # letter gives no review date still to come (v15n AC2: "We will now review the
        # restrictions by 5 December 2026", written on 6 December). That the review is under
        # way the letter says once, where it tells how long they last (AF5: "We are
        # reviewing … now" twice).
        said.append(f"The review date was {day(old_review)}." + (
            "" if reviewing else f" We will now review the restrictions by {day(review_due)}."))
    if not said:
        said.append("The restrictions themselves and their dates are the same as before.")
    elif all(k in old and dict(old[k]) == dict(new[k]) for k in new) and len(old) == len(new):
        said.insert(0, "The restrictions themselves are the same as before.")
    return said
