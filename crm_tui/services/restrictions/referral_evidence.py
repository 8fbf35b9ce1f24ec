"""The builder's k: rest a drafted restriction on evidence, chosen from a list of what is not
yet under it: the referral's documents and logged contacts (ticked), then the case's other
documents and contacts from the customer (ticked where tagged with a behaviour the restriction
answers)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from crm_tui import clock
from crm_tui.db.models import (
    AuditEntry,
    Case,
    ContactLogEntry,
    EvidenceItem,
    EvidenceLink,
    Restriction,
)
from crm_tui.domain.categories import from_mask
from crm_tui.domain.contact import Direction
from crm_tui.domain.errors import NotFound, StaleEdit
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.restrictions import named
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, stale
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.draft_names import draft_places
from crm_tui.services.core.restriction_status import DRAFT
from crm_tui.services.restrictions import versions


def draft_row(case: Case, restriction_id: int) -> Restriction:
    """The draft, or NotFound saying what became of it, by its kind where it is still on the
    case, never by its row's number (b15e F10: "No draft restriction 15" read as a kind)."""
    row = Restriction.get_or_none((Restriction.id == restriction_id)
                                  & (Restriction.case == case))
    if row is None:
        _discarded(case, restriction_id)
        if restriction_id not in versions.kinds(case):  # never on the case (or discarded
            # before discarding kept the kind): nothing to name it by
            raise NotFound(f"no draft restriction {restriction_id} on {case.reference}")
        raise NotFound(versions.gone(case, restriction_id))
    if row.status != DRAFT:
        raise NotFound(f"{named(row.kind, capital=True)} on {case.reference} is no longer a "
                       "draft: it was decided on since the list was read")
    return row


def _discarded(case: Case, restriction_id: int) -> None:
    """A draft discarded by someone else while this person's form on it was open: said as
    the app's other stale edits are, with who and when (found when tried, b16e F6: the form
    said only "No draft restriction 15 on …")."""
    for entry in (AuditEntry.select().where(
            (AuditEntry.case_reference == case.reference)
            & (AuditEntry.action == "discard_draft") & ~AuditEntry.erased)
            .order_by(AuditEntry.seq.desc()).limit(stale.LOOKED_AT)):
        try:
            payload = json.loads(entry.payload or "{}")
        except ValueError:
            continue
        if isinstance(payload, dict) and payload.get("id") == restriction_id:
            who, when = stale.who_and_when(entry)
            kind = payload.get("kind")  # recorded since drafts are named by their kind
            what = f" ({named(kind)})" if isinstance(kind, str) and kind else ""
            # "read": a form opened on it, or the builder's list that showed it (`k`, `j`).
            raise StaleEdit(f"{who} discarded this draft{what}{when} since you read it. "
                            "Nothing was saved.")


@dataclass(frozen=True)
class ReferralEvidence:
    """What k in the builder did: the referral's evidence newly linked to the restriction,
    and how much of it there is."""

    restriction_id: int
    kind: str  # its kind, which names it to the user (domain.restrictions.named)
    added: tuple[str, ...]  # what was linked now: document names, "contact of 5 Oct 2026 09:00"
    on_referral: int  # items of evidence linked to the referral
    place: int | None = None  # its `#` in the builder, where another draft shares its kind
    rests_on: int = 0  # items of evidence it rested on before this step

    @property
    def unlinking(self) -> str:
        """How an item is taken off a draft: k's list offers only what it does not rest on."""
        return ("To take an item off it, open the evidence (v) and press k on the document or "
                "contact.")

    @property
    def message(self) -> str:
        r = named(self.kind, capital=True, place=self.place)
        if self.added:
            # What was linked comes first: the case's own contacts and documents are linked
            # from k's list even when the referral has none (v15d N7: a contact linked on a
            # referral without documents was told "Nothing to link").
            shown = "; ".join(self.added[:5]) + (f"; and {len(self.added) - 5} more"
                                                 if len(self.added) > 5 else "")
            return f"{r} now rests on {len(self.added)} more of the evidence: {shown}."
        if self.rests_on:
            # Said of the restriction, not of the referral: "no evidence is linked to the
            # referral" was all k said of a restriction resting on three items (v15e F3).
            n = self.rests_on
            return (f"{r} already rests on {n} {'item' if n == 1 else 'items'} of evidence, "
                    "and nothing else on the case can be linked to it (l in the evidence "
                    f"viewer, v, logs a contact; d attaches a document). {self.unlinking}")
        if not self.on_referral:
            return ("Nothing to link: no evidence is linked to the referral. Documents sent "
                    "with a referral are linked to it when it is recorded; link others to it "
                    "in the evidence screen (v, then k on a document or contact).")
        n = self.on_referral
        return (f"{r} already rests on all the referral's evidence ({n} "
                f"{'item' if n == 1 else 'items'}) and the case's documents and contacts "
                "from the customer: nothing new to link (l in the evidence viewer, v, "
                "logs a contact; d attaches a document).")


@dataclass(frozen=True)
class EvidenceChoice:
    """An item of the referral's evidence that k offers to rest a restriction on."""

    key: str  # "contact:12" or "document:3"
    label: str  # as the user knows it: "Contact of 5 Oct 2026 09:00 (email): …", "log.pdf"
    at: datetime
    # Offered ticked: the referral's evidence, and what shows a behaviour the restriction
    # answers; the case's other contacts and documents are offered unticked.
    ticked: bool = True


def _behind_referral(case: Case) -> list[EvidenceLink]:
    return list(EvidenceLink.select().where(
        (EvidenceLink.case == case) & EvidenceLink.referral.is_null(False)))


def _key(link: EvidenceLink) -> str:
    return (f"contact:{link.contact_id}" if link.contact_id is not None
            else f"document:{link.document_id}")


def _document_choice(document: EvidenceItem, ticked: bool = True) -> EvidenceChoice:
    return EvidenceChoice(f"document:{document.id}", f"Document {document.original_name} "
                          f"(added {in_prose(document.added_at)})", document.added_at, ticked)


def _contact_choice(contact: ContactLogEntry, ticked: bool = True) -> EvidenceChoice:
    summary = " ".join(str(contact.summary).split())
    short = summary if len(summary) <= 60 else summary[:59] + "…"
    return EvidenceChoice(f"contact:{contact.id}", f"Contact of {in_prose(contact.at)} "
                                                   f"{contact.at:%H:%M} "
                          f"({contact.channel.replace('_', ' ')}): {short}", contact.at, ticked)


def _choice(link: EvidenceLink) -> EvidenceChoice:
    document, contact = link.document, link.contact
    if document is not None:
        return _document_choice(document)
    assert contact is not None  # a link to the referral ties a contact or a document
    return _contact_choice(contact)


def _case_evidence(case: Case) -> tuple[list[ContactLogEntry], list[EvidenceItem]]:
    """The case's contacts from the customer (the council's own are never their behaviour)
    and its documents: what a restriction may rest on besides the referral's evidence."""
    contacts = list(ContactLogEntry.select().where(
        (ContactLogEntry.case == case)
        & (ContactLogEntry.direction == Direction.INBOUND.value)))
    return contacts, list(EvidenceItem.select().where(EvidenceItem.case == case))


def referral_evidence_offered(actor: Actor, reference: str,
                              restriction_id: int) -> list[EvidenceChoice]:
    """The referral's documents and logged contacts not yet under this drafted restriction,
    oldest first: what k offers to link."""
    case = load_case(actor, reference)
    row = draft_row(case, restriction_id)
    have = {(link.contact_id, link.document_id) for link in EvidenceLink.select().where(
        EvidenceLink.restriction == row.id)}
    offered: dict[str, EvidenceChoice] = {}
    for link in _behind_referral(case):
        if (link.contact_id, link.document_id) in have or (
                link.contact_id is None and link.document_id is None):
            continue
        offered.setdefault(_key(link), _choice(link))
    answers = set(from_mask(row.behaviours))
    contacts, documents = _case_evidence(case)
    for contact in contacts:
        if (contact.id, None) not in have:
            shows = bool(answers.intersection(from_mask(contact.categories)))
            offered.setdefault(f"contact:{contact.id}", _contact_choice(contact, shows))
    for document in documents:
        if (None, document.id) not in have:
            shows = bool(answers.intersection(from_mask(document.categories)))
            offered.setdefault(f"document:{document.id}", _document_choice(document, shows))
    # What is ticked first, then the rest; each oldest first.
    return sorted(offered.values(), key=lambda c: (not c.ticked, c.at, c.key))


def rest_on_referral_evidence(actor: Actor, reference: str, restriction_id: int,
                              chosen: tuple[str, ...] | None = None) -> ReferralEvidence:
    """Link a drafted restriction to the evidence linked to the referral (`chosen`: only
    those items, by EvidenceChoice.key; None: all of it); returns what was newly linked."""
    with atomic():
        require(actor, Capability.WEIGH_EVIDENCE)
        case = load_case_for_change(actor, reference)
        row = draft_row(case, restriction_id)
        behind_referral = _behind_referral(case)
        have = {(link.contact_id, link.document_id) for link in EvidenceLink.select().where(
            EvidenceLink.restriction == row.id)}
        added: list[str] = []
        items = set()
        of_referral = 0  # how many of `added` are the referral's own (the rest: the case's)
        for link in behind_referral:
            key = (link.contact_id, link.document_id)
            items.add(key)
            if key in have or (chosen is not None and _key(link) not in chosen):
                continue
            have.add(key)
            EvidenceLink.create(case=case, contact=link.contact_id, document=link.document_id,
                                restriction=row.id, linked_by=actor.user_id,
                                linked_at=clock.now())
            document, contact = link.document, link.contact
            added.append(document.original_name if document is not None
                         else f"contact of {in_prose(contact.at)} {contact.at:%H:%M}"
                         if contact is not None
                         else "an item")
            of_referral += 1
        if chosen is not None:
            # The case's own contacts and documents chosen from k's list (not the referral's).
            contacts, documents = _case_evidence(case)
            for contact in contacts:
                if f"contact:{contact.id}" in chosen and (contact.id, None) not in have:
                    have.add((contact.id, None))
                    EvidenceLink.create(case=case, contact=contact.id, restriction=row.id,
                                        linked_by=actor.user_id, linked_at=clock.now())
                    added.append(f"contact of {in_prose(contact.at)} {contact.at:%H:%M}")
            for document in documents:
                if f"document:{document.id}" in chosen and (None, document.id) not in have:
                    have.add((None, document.id))
                    EvidenceLink.create(case=case, document=document.id, restriction=row.id,
                                        linked_by=actor.user_id, linked_at=clock.now())
                    added.append(document.original_name)
        if added:
            versions.bump(row.id)
        # What was linked, named as the toast names it: the timeline tells the referral's
        # evidence from the case's other contacts and documents (round 12: a contact of the
        # case linked by k showed as "rests on the referral's evidence").
        audit.record(actor, "link_evidence", case.reference,
                     payload={"restriction": row.id, "from_referral": of_referral,
                              "others": added[of_referral:]})
        return ReferralEvidence(int(row.id), str(row.kind), tuple(added), len(items),
                                draft_places(int(case.id)).get(int(row.id)))
