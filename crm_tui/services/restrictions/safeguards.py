"""The policy's safeguards on the grounds of a decision to restrict, checked wherever drafted
restrictions are put in force (impose, vary, extend, amend on appeal) and listed in the
restriction builder:

* every restriction says which of the policy's behaviours it answers, and rests on at least
  one linked contact or document tagged with one of them — a complaint, or a challenge to a
  decision, is never by itself enough (see domain.grounds);
* the first decision to restrict comes after the customer was warned, during local
  resolution, that continuing may lead to restrictions — unless the CRM decided, on an
  escalation record, to restrict without prior warning (the extreme-case route).

Each problem is a plain sentence in the policy's words."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import JOIN

from crm_tui.db.models import (
    Case,
    ContactLogEntry,
    Decision,
    EvidenceItem,
    EvidenceLink,
    Matter,
    NoPriorWarning,
    PriorWarning,
    Referral,
    Restriction,
)
from crm_tui.domain import grounds
from crm_tui.domain.categories import BehaviourCategory, from_mask, to_mask
from crm_tui.domain.contact import Direction
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.draft_names import draft_named
from crm_tui.services.core.restriction_status import DRAFT

NO_WARNING = ("The customer has not been warned: the policy expects them to have been told, "
              "during local resolution, that continuing may lead to restrictions. Record the "
              "warning given (in the local-resolution letter or a separate letter, with its "
              "date) or, in an extreme case (police involvement, legal action, a risk to "
              "staff), the CRM's decision to restrict without prior warning")


# Where a restriction's evidence of the behaviour is found and put right: named with the keys.
SHOWING_IT = ("In the builder, k links a contact or document that shows it; in the evidence "
              "viewer (v), b tags a contact or document with the behaviour it shows, m puts a "
              "contact under its matter and k links it")
# The same, for a reader who may not link or tag evidence (the Service Director deciding an
# appeal, a nominee): who does, and what the reader can do themselves (v23 D3: they were
# told the keys of the evidence viewer and the builder's k).
SHOWN_BY_TEAM = ("The Complaints Resolution Team links a contact or document that shows it, "
                 "or tags the evidence with the behaviour it shows (under their name); or "
                 "change the behaviours it answers to those its evidence shows (e in the "
                 "builder)")


def behaviours_mask(behaviours: Iterable[BehaviourCategory]) -> int:
    """The behaviours a drafted restriction answers, as stored; at least one."""
    mask = to_mask(behaviours)
    if not mask:
        raise ValidationError("behaviours", "say which of the policy's behaviours this "
                                            "restriction answers (at least one)")
    return mask


def _why_not(row: Restriction, answers: frozenset[BehaviourCategory]) -> str | None:
    """None if the restriction rests on evidence of a behaviour it answers; else why not."""
    links = list(EvidenceLink.select(EvidenceLink.contact, EvidenceLink.document)
                 .where(EvidenceLink.restriction == row.id))
    if not links:
        return None  # "rests on no linked evidence" is said by the builder itself
    notes: list[str] = []
    contact_ids = [link.contact_id for link in links if link.contact_id is not None]
    contacts = (ContactLogEntry.select(ContactLogEntry.at, ContactLogEntry.categories,
                                       Matter.closed_on.alias("closed_on"))
                .join(Matter, JOIN.LEFT_OUTER, on=(ContactLogEntry.matter == Matter.id))
                # The council's own letters and calls are never the customer's behaviour.
                .where(ContactLogEntry.id.in_(contact_ids)
                       & (ContactLogEntry.direction == Direction.INBOUND.value))
                .dicts()) if contact_ids else []
    for c in contacts:
        for category in answers.intersection(from_mask(c["categories"])):
            on = c["at"].date() if hasattr(c["at"], "date") else c["at"]
            if grounds.shows(category, is_contact=True, contact_on=on,
                             matter_closed_on=c["closed_on"]):
                return None
            notes.append(grounds.REPEAT_NEEDS_CLOSED
                         if category is BehaviourCategory.REPEAT_COMPLAINTS
                         else grounds.REFUSAL_NEEDS_CLOSED)
    document_ids = [link.document_id for link in links if link.document_id is not None]
    for d in (EvidenceItem.select(EvidenceItem.categories)
              .where(EvidenceItem.id.in_(document_ids)) if document_ids else []):
        for category in answers.intersection(from_mask(d.categories)):
            if grounds.shows(category, is_contact=False):
                return None
            notes.append(grounds.DOCUMENT_NEEDS_MATTER)
    if not notes:
        notes.append("the evidence linked to it is untagged, shows other behaviour or is the "
                     "council's own contact; link a contact from the customer or a document "
                     "tagged with the behaviour it answers")
    unique = list(dict.fromkeys(notes))
    return f"{'; '.join(unique)}. {grounds.NOT_IN_ITSELF}"


def grounds_problems(case: Case, *, may_link: bool = True) -> list[str]:
    """What is wrong with the grounds of the drafted restrictions, one sentence each
    (`may_link`: the reader may link and tag evidence, and is told the keys)."""
    problems: list[str] = []
    for row in (Restriction.select().where((Restriction.case == case)
                                           & (Restriction.status == DRAFT))
                .order_by(Restriction.id)):
        name = draft_named(int(case.id), row, capital=True)
        answers = frozenset(from_mask(row.behaviours))
        if not answers:
            problems.append(f"{name} does not say which of the policy's behaviours it "
                            "answers")
            continue
        why = _why_not(row, answers)
        if why:
            labels = ", ".join(c.label for c in from_mask(row.behaviours))
            problems.append(f"{name} rests on no evidence of the behaviour it answers "
                            f"({labels}): {why}. "
                            f"{SHOWING_IT if may_link else SHOWN_BY_TEAM}")
    return problems


def warning_problems(case: Case) -> list[str]:
    """Before the first decision to restrict: was the customer warned, during local
    resolution, that continuing may lead to restrictions (or did the CRM decide, on an
    escalation record, to restrict without prior warning)?"""
    if Decision.select().where((Decision.case == case)
                               & (Decision.action == Action.IMPOSE_RESTRICTIONS.value)).exists():
        return []  # restrictions already followed a warning (or the extreme-case route)
    if NoPriorWarning.select().where(NoPriorWarning.case == case).exists():
        return []
    given = [w.given_on for w in PriorWarning.select(PriorWarning.given_on)
             .where(PriorWarning.case == case)]
    if not given:
        return [NO_WARNING]
    referral = (Referral.select(Referral.received_on).where(Referral.case == case)
                .order_by(Referral.id.desc()).first())
    if referral is not None and min(given) > referral.received_on:
        return [f"The warning recorded was given on {in_prose(min(given), full_month=True)}, after "
                f"the referral was received on {in_prose(referral.received_on, full_month=True)}: "
                "the policy expects the customer to have been told during local resolution that "
                "continuing may lead to restrictions"]
    return []


def problems(case: Case, *, may_link: bool = True) -> list[str]:
    """Everything in this module that stands in the way of putting the drafts in force."""
    return grounds_problems(case, may_link=may_link) + warning_problems(case)
