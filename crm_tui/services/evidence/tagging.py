"""Weighing the evidence: tag log-sheet entries and documents with the behaviour they show,
put a contact under the matter it is about, and link evidence to the referral it supports and
to the restrictions that rest on it. Every change is in the audit trail with what it was."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from crm_tui import clock
from crm_tui.db.models import (
    Case,
    ContactLogEntry,
    EvidenceItem,
    EvidenceLink,
    Matter,
    Referral,
    Restriction,
)
from crm_tui.domain.categories import BehaviourCategory, from_mask, to_mask
from crm_tui.domain.errors import NotFound, ValidationError
from crm_tui.domain.numbers import MOST_ID, read_whole
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.restrictions import named
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose, quoted
from crm_tui.services.core import audit, scope
from crm_tui.services.core.case_steps import load_case, load_case_for_change, require_file_open
from crm_tui.services.core.database import atomic
from crm_tui.services.core.draft_names import draft_places
from crm_tui.services.core.restriction_status import status_words
from crm_tui.services.restrictions import compliance, versions


class EvidenceKind(StrEnum):
    CONTACT = "contact"
    DOCUMENT = "document"


@dataclass(frozen=True)
class LinkTarget:
    """Something evidence can be linked to: a referral, or a restriction (draft or decided)."""

    key: str  # "referral:3" or "restriction:7"
    label: str
    linked: bool
    # Why the link cannot change, for a restriction decided on ("" for a draft or referral):
    # k's list offered an in-force restriction to unlink and only refused once chosen (v15e F5).
    fixed: str = ""




def _item(actor: Actor, case: Case, kind: EvidenceKind,
          item_id: int) -> ContactLogEntry | EvidenceItem:
    """The contact (one the actor may read: a manager, not another area's case's) or the
    document of the case."""
    if kind is EvidenceKind.CONTACT:
        return scope.case_contact(actor, case, item_id)
    return _document(case, item_id)


def _document(case: Case, document_id: int) -> EvidenceItem:
    row = EvidenceItem.get_or_none((EvidenceItem.id == document_id)
                                   & (EvidenceItem.case == case))
    if row is None:
        raise NotFound(f"no document {document_id} on {case.reference}")
    return row


def tag(actor: Actor, reference: str, kind: EvidenceKind, item_id: int,
        categories: tuple[BehaviourCategory, ...]) -> bool:
    """Set the behaviour categories a contact or a document shows; returns whether they
    changed (the same ticks saved again change nothing and record nothing)."""
    with atomic():
        require(actor, Capability.WEIGH_EVIDENCE)
        case = load_case_for_change(actor, reference)
        row = _item(actor, case, kind, item_id)
        if isinstance(row, ContactLogEntry):
            require_file_open(row.case_id)
        before = [c.name for c in from_mask(row.categories)]
        if to_mask(categories) == row.categories:
            return False
        type(row).update(categories=to_mask(categories)).where(
            type(row).id == item_id).execute()
        if kind is EvidenceKind.CONTACT:
            versions.bump_resting_on(contact=item_id)
        else:
            versions.bump_resting_on(document=item_id)
        audit.record(actor, f"tag_{kind.value}", case.reference, payload={
            "id": item_id, "before": before, "after": [c.name for c in categories]})
        return True


def current_tags(actor: Actor, reference: str, kind: EvidenceKind,
                 item_id: int) -> tuple[BehaviourCategory, ...]:
    case = load_case(actor, reference)
    row = _item(actor, case, kind, item_id)
    return from_mask(row.categories)


def set_matter(actor: Actor, reference: str, contact_id: int, matter_id: int | None) -> None:
    """Put a contact under the matter it is about (None takes it out of any matter)."""
    with atomic():
        require(actor, Capability.WEIGH_EVIDENCE)
        case = load_case_for_change(actor, reference)
        row = scope.case_contact(actor, case, contact_id)
        require_file_open(row.case_id)
        if matter_id is not None and not Matter.select().where(
                (Matter.id == matter_id) & (Matter.case == case)).exists():
            raise NotFound(f"no matter {matter_id} on {case.reference}")
        ContactLogEntry.update(matter=matter_id).where(
            ContactLogEntry.id == contact_id).execute()
        versions.bump_resting_on(contact=contact_id)
        audit.record(actor, "set_contact_matter", case.reference, payload={
            "id": contact_id, "before": row.matter_id, "after": matter_id})
        compliance.recheck(actor, case, contact_id)  # "new issues only" turns on the matter


def _item_condition(kind: EvidenceKind, item_id: int) -> object:
    return (EvidenceLink.contact == item_id) if kind is EvidenceKind.CONTACT \
        else (EvidenceLink.document == item_id)


def link_targets(actor: Actor, reference: str, kind: EvidenceKind,
                 item_id: int) -> list[LinkTarget]:
    """What this evidence can be linked to on its case, and whether it already is."""
    case = load_case(actor, reference)
    links = list(EvidenceLink.select().where((EvidenceLink.case == case)
                                            & _item_condition(kind, item_id)))
    referrals = {link.referral_id for link in links if link.referral_id is not None}
    restrictions = {link.restriction_id for link in links if link.restriction_id is not None}
    targets = [LinkTarget(f"referral:{r.id}", f"Referral received {in_prose(r.received_on)}",
                          r.id in referrals)
               for r in Referral.select().where(Referral.case == case).order_by(Referral.id)]
    # Two drafts of one kind told apart by their `#` in the builder (issue 15).
    places = draft_places(int(case.id))
    today = clock.today()
    targets += [LinkTarget(f"restriction:{r.id}",
                           f"{named(r.kind, capital=True, place=places.get(int(r.id)))} "
                           f"({status_words(r.status, r.starts_on, today)})",
                           r.id in restrictions, _fixed(r, places.get(int(r.id))))
                for r in Restriction.select().where(Restriction.case == case)
                .order_by(Restriction.id)]
    return targets


def _fixed(restriction: Restriction, place: int | None = None) -> str:
    """Why the evidence under a restriction cannot change ("" while it is a draft): what a
    decision rested on is its record; it is changed by setting the restriction out again (r
    in the builder) and deciding anew."""
    if restriction.status == "draft":
        return ""
    status = status_words(restriction.status, restriction.starts_on, clock.today())
    return (f"{named(restriction.kind, capital=True, place=place)} is {status}: the evidence "
            "a decision rested on cannot change")


def toggle_link(actor: Actor, reference: str, kind: EvidenceKind, item_id: int,
                target: str) -> bool:
    """Link the evidence to the target, or unlink it if it is linked; returns whether it is now
    linked. A restriction that has ended keeps its links: they are the record of its basis."""
    with atomic():
        require(actor, Capability.WEIGH_EVIDENCE)
        case = load_case_for_change(actor, reference)
        if kind is EvidenceKind.CONTACT:
            scope.case_contact(actor, case, item_id)
        else:
            _document(case, item_id)
        target_kind, _, raw_id = target.partition(":")
        try:
            target_id = read_whole(raw_id, most=MOST_ID)
        except ValueError:
            target_id = -1
        if target_kind not in ("referral", "restriction") or target_id < 0:
            raise ValidationError("target", f"{quoted(target)} is not a referral or a restriction")
        model = Referral if target_kind == "referral" else Restriction
        owner = model.get_or_none((model.id == target_id) & (model.case == case))
        if owner is None:
            raise NotFound(f"no {target_kind} {target_id} on {case.reference}"
                           if model is Referral else versions.gone(case, target_id, draft=False))
        if isinstance(owner, Restriction) and owner.status != "draft":
            raise ValidationError("target", _fixed(owner, draft_places(int(case.id)).get(
                int(owner.id))))
        column = EvidenceLink.referral if target_kind == "referral" else EvidenceLink.restriction
        existing = EvidenceLink.get_or_none((EvidenceLink.case == case) & (column == target_id)
                                            & _item_condition(kind, item_id))
        if existing is not None:
            existing.delete_instance()
        else:
            EvidenceLink.create(case=case, linked_by=actor.user_id, linked_at=clock.now(),
                                **{kind.value: item_id, target_kind: target_id})
        if isinstance(owner, Restriction):
            versions.bump(owner.id)  # what the restriction rests on changed
        audit.record(actor, "unlink_evidence" if existing else "link_evidence",
                     case.reference, payload={kind.value: item_id, target_kind: target_id})
        return existing is None
