"""How the demo's Complaints Resolution Team weighed each case's evidence: the matters the
customer raised (one already closed, so later contacts about it are repeats), contacts sorted
under them, and the tagged contacts and documents linked to the referral and restrictions."""

from __future__ import annotations

import random
from datetime import timedelta

from peewee import fn

from crm_tui import clock
from crm_tui.db import dialect
from crm_tui.db.models import (
    Case,
    ContactLogEntry,
    EvidenceItem,
    EvidenceLink,
    Referral,
    Restriction,
)
from crm_tui.demo.data import MATTERS, OPEN_MATTERS
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.categories import to_mask
from crm_tui.domain.roles import Actor
from crm_tui.services.core import audit
from crm_tui.services.core.database import atomic
from crm_tui.services.evidence import matters
from crm_tui.services.restrictions import versions

_CLOSED_MATTER_TAGS = to_mask((B.REPEAT_COMPLAINTS, B.REFUSING_DECISION))


def weigh(actor: Actor, ref: str, rng: random.Random) -> None:
    """Run just after the referral: matters, contacts sorted under them, links to the
    referral."""
    case = Case.get(Case.reference == ref)
    area = case.service_area.name  # a configured area the demo has no matters for: Housing's
    title, outcome = rng.choice(MATTERS.get(area, MATTERS["Housing Services"]))
    first = (ContactLogEntry.select(ContactLogEntry.at).where(ContactLogEntry.case == case)
             .order_by(ContactLogEntry.at).first())
    closed_on = (first.at.date() if first else clock.today()) + timedelta(days=14)
    closed = matters.open_matter(actor, ref, title)
    matters.close_matter(actor, ref, closed, min(closed_on, clock.today()), outcome)
    still_open = matters.open_matter(
        actor, ref, rng.choice(OPEN_MATTERS.get(area, OPEN_MATTERS["Housing Services"])))
    inbound = [c.id for c in ContactLogEntry.select(ContactLogEntry.id).where(
        (ContactLogEntry.case == case) & (ContactLogEntry.direction == "inbound"))]
    about_closed = [i for i in inbound if rng.random() < 0.45]
    about_open = [i for i in inbound if i not in about_closed and rng.random() < 0.3]
    # A contact tagged as a repeat complaint, or as refusing a decision, is about the matter
    # already dealt with: that is what makes it one (domain.grounds).
    dealt_with = closed_on if closed_on <= clock.today() else clock.today()
    repeats = [c.id for c in ContactLogEntry.select(ContactLogEntry.id).where(
        (ContactLogEntry.case == case) & (ContactLogEntry.direction == "inbound")
        & (dialect.day(ContactLogEntry.at) > dealt_with)
        & (ContactLogEntry.categories.bin_and(_CLOSED_MATTER_TAGS) != 0))]
    # (Taken from those put under the open matter only, so that the contacts left unsorted,
    # and the random draws that later sort them, stay as they were.)
    about_closed += [i for i in about_open if i in repeats]
    about_open = [i for i in about_open if i not in repeats]
    tagged = [c.id for c in ContactLogEntry.select(ContactLogEntry.id).where(
        (ContactLogEntry.case == case) & (ContactLogEntry.categories != 0))]
    referral = Referral.select().where(Referral.case == case).order_by(Referral.id.desc()).get()
    documents = [d.id for d in EvidenceItem.select().where(EvidenceItem.case == case)]
    with atomic():
        for matter_id, ids in ((closed, about_closed), (still_open, about_open)):
            if ids:
                ContactLogEntry.update(matter=matter_id).where(
                    ContactLogEntry.id.in_(ids)).execute()
        now = clock.now()
        # insert_many takes its columns from the first row: every row names them all.
        rows = [{"case": case.id, "contact": i, "document": None, "referral": referral.id,
                 "linked_by": actor.user_id, "linked_at": now} for i in tagged]
        rows += [{"case": case.id, "contact": None, "document": i, "referral": referral.id,
                  "linked_by": actor.user_id, "linked_at": now} for i in documents]
        if rows:
            EvidenceLink.insert_many(rows).execute()
        audit.record(actor, "weigh_evidence", ref, payload={
            "contacts_under_matters": len(about_closed) + len(about_open),
            "linked_to_referral": len(rows)})


def link_restrictions(actor: Actor, ref: str) -> None:
    """Run just after a restriction is drafted: it rests on the evidence behind the referral."""
    case = Case.get(Case.reference == ref)
    with atomic():
        now = clock.now()
        rows = []
        for restriction in Restriction.select().where(
                (Restriction.case == case) & ~fn.EXISTS(EvidenceLink.select().where(
                    EvidenceLink.restriction == Restriction.id))):
            for link in EvidenceLink.select().where((EvidenceLink.case == case)
                                                   & EvidenceLink.referral.is_null(False)):
                rows.append({"case": case.id, "contact": link.contact_id,
                             "document": link.document_id, "restriction": restriction.id,
                             "linked_by": actor.user_id, "linked_at": now})
        if rows:
            EvidenceLink.insert_many(rows).execute()
            versions.bump(*{int(str(row["restriction"])) for row in rows})
        audit.record(actor, "link_evidence", ref, payload={"linked_to_restrictions": len(rows)})
