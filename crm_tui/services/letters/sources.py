"""What a letter is about: the event it is written from (a decision, an appeal, a local
resolution, a proposal put to the customer), and the dates it will state as deadlines or
events still to come. Each event is written to once; the key ("decision:12") is what the
register holds in `Letter.source`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from crm_tui import clock
from crm_tui.db.models import (
    Appeal,
    Case,
    Decision,
    ExtensionProposal,
    Letter,
    LocalResolution,
    Review,
)
from crm_tui.domain.letters import LetterKind, named_as
from crm_tui.domain.lifecycle import Action
from crm_tui.services.core.next_step import appeal_outcome_dates
from crm_tui.services.core.posting_dates import to_write_again

ISSUED = "issued"
# The decisions each decision letter is written from.
DECIDING = {LetterKind.DECISION: (Action.IMPOSE_RESTRICTIONS,),
            LetterKind.EXTENSION_DECISION: (Action.EXTEND_RESTRICTIONS,
                                            Action.VARY_RESTRICTIONS),
            LetterKind.LIFTED: (Action.LIFT_RESTRICTIONS,)}
# Decisions that change what is in force: a letter about an earlier decision is out of date.
CHANGING = (Action.IMPOSE_RESTRICTIONS, Action.EXTEND_RESTRICTIONS, Action.VARY_RESTRICTIONS,
            Action.AMEND_ON_APPEAL, Action.REMOVE_ON_APPEAL, Action.LIFT_RESTRICTIONS,
            Action.LIFT_WITHOUT_LETTER, Action.EXPIRE_RESTRICTIONS)


@dataclass(frozen=True)
class Source:
    key: str  # "decision:12"
    kind: LetterKind
    happened_at: datetime  # when the event was recorded
    # (what, when) of each date the letter states as a deadline or an event still to come:
    # none of them may be past on the day it is issued.
    stated: tuple[tuple[str, date], ...] = ()


def latest_decision(case: Case, actions: tuple[Action, ...]) -> Decision | None:
    """The case's latest decision of these kinds (the one a letter of the kind tells of)."""
    found: Decision | None = (
        Decision.select().where((Decision.case == case)
                                & Decision.action.in_([a.value for a in actions]))
        .order_by(Decision.decided_at.desc(), Decision.id.desc()).first())
    return found


def latest_change(case: Case) -> Decision | None:
    """The latest decision that changed the restrictions (or ended them)."""
    return latest_decision(case, CHANGING)


def _dates(*pairs: tuple[str, date | None]) -> tuple[tuple[str, date], ...]:
    return tuple((what, when) for what, when in pairs if when is not None)


def decision_source(case: Case, kind: LetterKind) -> tuple[Source, Decision] | None:
    decision = latest_decision(case, DECIDING[kind])
    if decision is None:
        return None
    # Its review date once passed is not stated: the letter says the review is held now
    # (issue 15 AG4, as the appeal outcome letter's: next_step.appeal_outcome_dates).
    review = decision.review_due
    stated = () if kind is LetterKind.LIFTED else _dates(
        ("review date", review if review is None or review >= clock.today() else None),
        ("end date", decision.ends_on))
    return Source(f"decision:{decision.id}", kind, decision.decided_at, stated), decision


def _open_proposal(case: Case) -> ExtensionProposal | None:
    found: ExtensionProposal | None = (
        ExtensionProposal.select().join(Review, on=(ExtensionProposal.review == Review.id))
        .where((ExtensionProposal.case == case) & ExtensionProposal.decision.is_null()
               & (Review.outcome == ""))
        .order_by(ExtensionProposal.id.desc()).first())
    return found


def _invitation(case: Case) -> Source | None:
    proposal = _open_proposal(case)
    if proposal is not None:
        from crm_tui.services.core import comments_in  # reads the register: asked when needed

        # One signed and never posted that can no longer go (to a former address, or past
        # the day for comments it gave) is owed again, with a new day for comments: the
        # reply-by period from the day it is written (letter_content; fixAL AL4).
        owed_again = bool(comments_in.gone_for(case, proposal))
        return Source(f"proposal:{proposal.id}", LetterKind.INVITATION, proposal.proposed_at,
                      _dates(*(() if owed_again else (("date for comments", proposal.reply_by),)),
                             ("proposed end date", proposal.ends_on)))
    if case.reply_by is None:
        return None
    # Proposed before proposals were recorded: the open review is what the letter is about.
    review = (Review.select().where((Review.case == case) & (Review.outcome == ""))
              .order_by(Review.id.desc()).first())
    if review is None:
        return None
    return Source(f"review:{review.id}", LetterKind.INVITATION,
                  review.started_at or datetime.combine(review.due_on, datetime.min.time()),
                  _dates(("date for comments", case.reply_by)))


def _appeal(case: Case) -> Source | None:
    appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome != ""))
              .order_by(Appeal.id.desc()).first())
    if appeal is None:
        return None
    stated: tuple[tuple[str, date], ...] = ()
    if appeal.outcome != "removed":
        # The outcome letter says how long the restrictions now in force run, and their review
        # (under way: it says so, and gives no date).
        stated = _dates(*appeal_outcome_dates(case))
    return Source(f"appeal:{appeal.id}", LetterKind.APPEAL_OUTCOME,
                  appeal.decided_at or datetime.combine(appeal.received_on, datetime.min.time()),
                  stated)


def _local_resolution(case: Case) -> Source | None:
    lr = (LocalResolution.select().where(LocalResolution.case == case)
          .order_by(LocalResolution.id.desc()).first())
    if lr is None:
        return None
    return Source(f"local_resolution:{lr.id}", LetterKind.LOCAL_RESOLUTION, lr.recorded_at,
                  _dates(("end of the monitoring period", lr.monitoring_end)))


def file_word(kind: LetterKind, source_key: str) -> str:
    """What a letter's file is named by ("UPV-2025-0007-variation-decision-….pdf"): by what
    was decided where one kind of letter tells of more than one (found when tried: a
    variation's letter was filed as "…-extension-decision-…", v15e F12)."""
    if decided_by(kind, source_key) == Action.VARY_RESTRICTIONS.value:
        return "variation-decision"
    return kind.value.replace("_", "-")


def decided_by(kind: LetterKind, source_key: str) -> str:
    """What the decision a letter of a kind that tells of more than one was written from did
    (lifecycle.Action's value); "" for any other letter, or one whose source is not kept."""
    if kind is not LetterKind.EXTENSION_DECISION or not source_key.startswith("decision:"):
        return ""
    decision = Decision.get_or_none(Decision.id == int(source_key.split(":", 1)[1]))
    return str(decision.action) if decision is not None else ""


def named(kind: LetterKind, source_key: str) -> str:
    """The letter in words, by what it tells ("decision to change the restrictions")."""
    return named_as(kind, decided_by(kind, source_key))


def current(case: Case, kind: LetterKind) -> Source | None:
    """The event a new letter of this kind would be written from now (None: there is none)."""
    if kind in DECIDING:
        found = decision_source(case, kind)
        return found[0] if found is not None else None
    if kind is LetterKind.INVITATION:
        return _invitation(case)
    if kind is LetterKind.APPEAL_OUTCOME:
        return _appeal(case)
    return _local_resolution(case)


def original(case: Case, source: Source) -> Letter | None:
    """The letter issued from this event (not a re-sent copy), if there is one. Letters issued
    before the register kept sources count if they are of the kind and were signed after the
    event. An appeal's outcome letter never posted that can no longer go does not: it is
    written again (posting_dates.to_write_again)."""
    today = clock.today()
    for found in (Letter.select().where(
            (Letter.case == case) & (Letter.status == ISSUED) & Letter.duplicate_of.is_null()
            & ((Letter.source == source.key)
               | ((Letter.source == "") & (Letter.kind == source.kind.value)
                  & (Letter.signed_at >= source.happened_at))))
            .order_by(Letter.id)):
        if not to_write_again(found, today):
            return found
    return None
