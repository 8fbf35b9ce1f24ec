"""Versions of drafted restrictions. Every change to a draft, or to the evidence under it,
raises its version; a decision confirms the versions its maker read, and a Head of Service's
view or a customer's invitation records the versions they were given. Whoever writes to a
draft calls `bump` in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import AuditEntry, Case, EvidenceLink, Restriction
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.proposal import DraftStamp, Proposal, changes
from crm_tui.domain.restrictions import RestrictionKind, describe, named
from crm_tui.services.core import draft_wording, stale
from crm_tui.services.core.draft_names import draft_named
from crm_tui.services.core.inputs import RestrictionDraft
from crm_tui.services.core.restriction_status import DRAFT

DraftVersions = Mapping[int, int]


def bump(*restriction_ids: int) -> None:
    """Raise the version of these restrictions: something about them changed."""
    if restriction_ids:
        Restriction.update(version=Restriction.version + 1, changed_at=clock.now()).where(
            Restriction.id.in_(list(restriction_ids))).execute()


def resting_on(*, contact: int | None = None, document: int | None = None) -> list[int]:
    """The drafts that rest on this contact or document (linked to it)."""
    link = EvidenceLink.contact == contact if contact is not None else \
        EvidenceLink.document == document
    return sorted({int(r.id) for r in Restriction.select(Restriction.id).join(
        EvidenceLink, on=(EvidenceLink.restriction == Restriction.id))
        .where(link & (Restriction.status == DRAFT))})


def bump_resting_on(*, contact: int | None = None, document: int | None = None) -> None:
    """A piece of evidence changed (corrected, tagged, sorted under a matter): the drafts that
    rest on it are not what was read or consulted on any more."""
    bump(*resting_on(contact=contact, document=document))


def last_changed(case: Case) -> datetime | None:
    """When the drafts as they stand were last changed."""
    found = Restriction.select(fn.MAX(fn.COALESCE(Restriction.changed_at,
                                                  Restriction.drafted_at))).where(
        (Restriction.case == case) & (Restriction.status == DRAFT)).scalar()
    # A draft discarded changes the set too; its row is gone, its audit entry is not.
    discarded = AuditEntry.select(fn.MAX(AuditEntry.at)).where(
        (AuditEntry.case_reference == case.reference)
        & (AuditEntry.action == "discard_draft")).scalar()
    times = [t if isinstance(t, datetime) else datetime.fromisoformat(str(t))
             for t in (found, discarded) if t is not None]
    return max((t.replace(tzinfo=None) for t in times), default=None)


def drafts(case: Case) -> list[Restriction]:
    return list(Restriction.select().where((Restriction.case == case)
                                           & (Restriction.status == DRAFT))
                .order_by(Restriction.id))


def current(case: Case) -> dict[int, int]:
    """The drafts on the case now: id -> version."""
    return {int(r.id): int(r.version) for r in drafts(case)}


def kinds(case: Case) -> dict[int, RestrictionKind]:
    """The kind of each draft on the case now, and of each draft discarded from it (its entry
    keeps the kind): how a change to the set of drafts names each one (proposal.changes)."""
    found: dict[int, RestrictionKind] = {}
    for entry in AuditEntry.select(AuditEntry.payload).where(
            (AuditEntry.case_reference == case.reference)
            & (AuditEntry.action == "discard_draft") & ~AuditEntry.erased):
        try:
            payload = json.loads(entry.payload or "{}")
            found[int(payload["id"])] = RestrictionKind(payload["kind"])
        except (ValueError, KeyError, TypeError):
            continue  # discarded before the kind was kept: "a restriction"
    found.update({int(r.id): RestrictionKind(r.kind) for r in drafts(case)})
    return found


def gone(case: Case, restriction_id: int, *, draft: bool = True) -> str:
    """What to say of a restriction no longer on the case (discarded since a list showing it
    was read): by its kind, kept by its discarding, never by its row's number (b15e F10)."""
    kind = kinds(case).get(restriction_id)
    what = (named(kind, capital=True) if kind is not None
            else f"That {'draft ' if draft else ''}restriction")
    return f"{what} is no longer on {case.reference}: it was discarded since the list was read"


def stamp(row: Restriction) -> DraftStamp:
    return DraftStamp(int(row.id), int(row.version), RestrictionKind(row.kind),
                      json.loads(row.parameters), row.reason, row.still_reachable,
                      draft_wording.wording(row))


def proposal(case: Case, ends_on: date | None) -> Proposal:
    """The drafts as they stand, with a proposed end date: what is put to someone."""
    return Proposal(tuple(stamp(r) for r in drafts(case)), ends_on)


def require_as_read(case: Case, read: DraftVersions) -> None:
    """Refuse a decision on drafts that are not the ones its maker read."""
    differences = changes(read, current(case), kinds(case))
    if differences:
        raise RequirementMissing(
            "the restrictions changed since you read them: " + "; ".join(differences)
            + ". Read them, and the letter, again before deciding")


# A draft's own fields as the form names them, for saying how it reads now.
_TEXTS = (("reason", "the reason"), ("customer_reason", "the reason the customer is told"),
          ("proportionality", "why it is proportionate"), ("evidence_note", "the evidence note"),
          ("less_restrictive_considered", "what less restrictive was considered"),
          ("still_reachable", "how the customer can still reach the council"))


def require_draft_as_read(case: Case, row: Restriction, read_version: int | None, *,
                          saving: RestrictionDraft | None = None,
                          equality_note: str | None = None) -> None:
    """Refuse a change to a draft made from a view of an earlier version of it: someone else
    changed it (or the evidence under it) since it was opened. `saving`/`equality_note`:
    what is being saved, so that the refusal says where the draft now reads otherwise."""
    now: dict[str, str] = {}
    if saving is not None:
        kind = RestrictionKind(row.kind)
        params = json.loads(row.parameters)
        if kind is not saving.kind or params != dict(saving.parameters):
            now["the restriction"] = describe(kind, params)
        now.update({label: str(getattr(row, name)) for name, label in _TEXTS
                    if str(getattr(row, name) or "") != str(getattr(saving, name) or "")})
    if equality_note is not None and (row.equality_note or "") != equality_note:
        now["why it stands"] = str(row.equality_note or "")
    rid = int(row.id)
    # Named by its kind, not its row's number (b15e F10); by its `#` too if the kind repeats.
    stale.require_current(f"draft ({draft_named(int(case.id), row)})", read_version,
                          int(row.version), case.reference, (),
                          lambda p: rid in (p.get("id"), p.get("restriction")), now)
