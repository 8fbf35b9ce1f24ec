"""The demo builder: it tells the cases as stories, interleaved in date order and recorded
through the real services on the dates things happened, so the audit trail and every date are
consistent."""

from __future__ import annotations

import heapq
import random
import tempfile
from collections.abc import Generator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import (
    Case,
    ContactLogEntry,
    Matter,
    Referral,
    ScreeningItem,
    ServiceArea,
    User,
)
from crm_tui.demo import telling
from crm_tui.demo.data import (
    CUSTOMERS,
    DEMO_CRM,
    DEPARTMENTS,
    DISTRICTS,
    FILED_NOTES,
    INBOUND_SUMMARIES,
    OFFICERS,
    ORDINARY_SUMMARIES,
    OUTBOUND_SUMMARIES,
    STREETS,
)
from crm_tui.demo.documents import demo_documents
from crm_tui.demo.weighing import link_restrictions, weigh
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.categories import from_mask, to_mask
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.equality import parse_needs
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import ConsultationSubject, ConsultationView
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.roles import Actor
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.services.core import audit, settings
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import (
    CustomerInput,
    LocalResolutionInput,
    ReferralInput,
    RestrictionDraft,
)
from crm_tui.services.evidence import contacts, documents, matters, screening, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.screening import ScreeningDecision
from crm_tui.services.intake import casework
from crm_tui.services.letters import issuing, posting, signing_keys
from crm_tui.services.restrictions import builder, compliance, decisions

SEED = 20181409  # the policy's approval date: any fixed number would do


Story = Generator[int, None, None]


EQUALITY_NOTE = ("Weighed against the customer's recorded needs with the Head of Service. The "
                 "restriction stands because the contact it limits is the behaviour of concern; "
                 "the need is met another way: the named officer calls the customer at an "
                 "agreed time each week and sends documents in the accessible format asked "
                 "for.")


class DemoBuilder:
    """Builds stories: each case is a generator that yields how many days ago its next step
    happens; `run` interleaves them so that everything is recorded in date order, as the
    audit trail would have been in real life."""

    def __init__(self, today: date, letters_folder: Path) -> None:
        self.today = today
        self.letters_folder = letters_folder
        self.rng = random.Random(SEED)
        self.people = iter(CUSTOMERS)
        self.actors: dict[str, Actor] = {}
        self.contacts = 0
        self._steps_on: dict[date, int] = {}

    # -- time -------------------------------------------------------------------------------
    def run(self, stories: list[Story]) -> None:
        queue: list[tuple[int, int, Story]] = []
        for order, story in enumerate(stories):
            first = next(story, None)
            if first is not None:
                heapq.heappush(queue, (-first, order, story))
        while queue:
            negative_days, order, story = heapq.heappop(queue)
            with clock.travel_to(self._moment(-negative_days)):
                following = next(story, None)
            if following is not None:
                if following > -negative_days:
                    raise ValueError("a demo story went back in time")
                heapq.heappush(queue, (-following, order, story))

    def _moment(self, days_ago: int) -> datetime:
        day = self.today - timedelta(days=days_ago)
        count = self._steps_on.get(day, 0)
        self._steps_on[day] = count + 1
        # Working hours, a few minutes apart, so that every entry has its own time.
        start = datetime.combine(day, time(9, 0))
        if days_ago == 0:
            start = min(start, clock.now() - timedelta(hours=2))
        return start + timedelta(minutes=3 * count)

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    # -- people -----------------------------------------------------------------------------
    def user(self, login: str) -> Actor:
        return self.actors[login]

    @property
    def crm(self) -> Actor:
        return self.actors["ceri.hughes"]

    def customer(self) -> CustomerInput:
        name, circumstances, adjustments, needs = next(self.people)
        rng = self.rng
        number = rng.randint(2, 140)
        first = name.split()[1].lower()
        return CustomerInput(
            name=name, address=(f"{number} {rng.choice(STREETS)}", rng.choice(DISTRICTS),
                                "Northmere"),
            postcode=f"NM{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNP')}"
                     f"{rng.choice('QRSTUWXYZ')}",
            email=f"{first}{rng.randint(10, 99)}@example.org",
            telephone=f"07700 900{rng.randint(100, 999)}",
            personal_circumstances=circumstances, reasonable_adjustments=adjustments,
            contact_needs=parse_needs(needs))

    # -- steps (each runs at the story's current date) ----------------------------------------
    def local_resolution(self, area: str, manager: str, monitoring_days: int = 60) -> str:
        start = clock.today()
        lr = LocalResolutionInput(
            written_on=start,
            written_summary="Letter setting out the council's concerns about the frequency "
                            "and tone of contact, and the way forward",
            monitoring_start=start, monitoring_end=start + timedelta(days=monitoring_days),
            spoc=manager, contact_frequency=self.rng.choice(["weekly", "fortnightly"]),
            customer_summary=telling.CONCERNS,
            communication_style=telling.KEEPING_IN_TOUCH,
            warned=True)  # the letter told the customer that continuing may lead to restrictions
        ref = casework.open_local_resolution(self.user(manager), self.customer(), area,
                                             lr).reference
        telling.customer(self.user(manager), ref)
        return ref

    def refer(self, ref: str, manager: str, categories: tuple[B, ...], details: str) -> None:
        referral = ReferralInput(
            referred_by=manager, received_on=clock.today(), behaviour_details=details,
            categories=categories,
            other_departments=", ".join(self.rng.sample(DEPARTMENTS, 2)))
        casework.record_referral(self.user(manager), referral, case_reference=ref)

    def consult(self, ref: str, text: str, proposed_end: date) -> None:
        """The Head of Service records their own view on the restrictions as drafted."""
        casework.record_consultation(self.user("priya.raman"), ref, view=ConsultationView.AGREES,
                                     view_text=text, subject=ConsultationSubject.REFERRAL,
                                     proposed_end=proposed_end)

    def read(self, ref: str) -> dict[int, int]:
        """The drafts as the CRM reads them before deciding: id and version."""
        return {d.id: d.version for d in builder.builder_view(self.crm, ref).drafts}

    def draft(self, ref: str, kind: K, params: dict[str, Any], reason: str,
              justify: bool = True, behaviours: tuple[B, ...] = (),
              customer_reason: str = "") -> None:
        """Set a restriction out, answering `behaviours` (else the referral's, as the
        restriction form offers them)."""
        if not behaviours:
            referral = (Referral.select().join(Case).where(Case.reference == ref)
                        .order_by(Referral.id.desc()).get())
            behaviours = from_mask(referral.categories)
        draft = RestrictionDraft(
            kind=kind, parameters=params, reason=reason,
            proportionality="The least restrictive option that protects staff time while "
                            "keeping the customer's access to services",
            evidence_note="Log sheets for the monitoring period; referral evidence",
            less_restrictive_considered="Single point of contact (tried during local "
                                        "resolution without success)",
            still_reachable="Emergencies: the out-of-hours line 01632 960999. New matters: "
                            "in writing to the Complaints Resolution Team.",
            behaviours=behaviours, customer_reason=customer_reason or telling.WHY_KIND[kind])
        if kind is K.NAMED_OFFICER and "officer_id" not in params:
            # The form chooses the officer from the users; the stories name them.
            officer = User.get(User.name == params["officer"])
            draft = replace(draft, parameters={**params, "officer_id": officer.id})
        if kind is K.NEW_ISSUES_ONLY:
            # As the builder offers: the matters already closed on the case, and any others.
            closed = [m.title for m in matters.list_matters(self.crm, ref) if m.closed_on]
            draft = replace(draft, parameters={
                "closed_issues": closed + list(params["closed_issues"])})
        restriction = decisions.draft_restriction(self.user("tomasz.nowak"), ref, draft)
        link_restrictions(self.user("tomasz.nowak"), ref)
        if justify and any(d.id == restriction and d.unjustified
                           for d in builder.builder_view(self.crm, ref).drafts):
            builder.justify(self.crm, ref, restriction, EQUALITY_NOTE)

    def weigh(self, ref: str) -> None:
        weigh(self.user("tomasz.nowak"), ref, self.rng)

    def issue(self, ref: str, kind: LetterKind, login: str = DEMO_CRM) -> None:
        """Sign and register a letter as the demo signer would have that day."""
        signer = self.user(login)
        if not signing_keys.key_file(login).is_file():
            signing_keys.create_key(signer, login, signing_keys.DEMO_PASSPHRASE,
                                    council=settings.current().council.name, demo=True)
        issued = issuing.sign_and_export(signer, ref, kind, self.letters_folder,
                                         signing_keys.DEMO_PASSPHRASE)
        # Posted the day it was signed, as the team would have: the demo's old letters are
        # not waiting for today's post.
        posting.record_posting(self.crm, [issued.letter_id], clock.today(), "first")

    def documents(self, ref: str) -> None:
        """Attach the evidence a service area sends with a referral: the customer's emails,
        the local-resolution letter as a PDF and an officer's file note."""
        with tempfile.TemporaryDirectory() as folder:
            for path, description in demo_documents(Path(folder), ref, clock.today(),
                                                    self.rng):
                documents.attach_document(self.user("tomasz.nowak"), ref, path, description)

    def contact_log(self, ref: str, from_days_ago: int, to_days_ago: int,
                    categories: tuple[B, ...], per_week: float,
                    sorted_under_closed: bool = False) -> list[int]:
        """Import the log sheets kept between two dates (as days ago); returns the contacts'
        ids. Log sheets kept after the decision (`sorted_under_closed`) say which contacts are
        about the matter already closed: about half of the customer's."""
        case = Case.get(Case.reference == ref)
        closed = (Matter.select(Matter.id).where((Matter.case == case)
                                                 & Matter.closed_on.is_null(False)).first()
                  if sorted_under_closed else None)
        areas = [a.id for a in ServiceArea.select()]
        rng = self.rng
        rows = []
        days = max(from_days_ago - to_days_ago, 1)
        for _ in range(int(days / 7 * per_week) + 1):
            when = datetime.combine(self.day(rng.randint(to_days_ago, from_days_ago)),
                                    time(rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 22, 23]),
                                         rng.randint(0, 59)))
            if when > clock.now():
                continue
            inbound = rng.random() < 0.8
            shown = tuple(c for c in categories if rng.random() < 0.5) if inbound else ()
            summary = (rng.choice(INBOUND_SUMMARIES[shown[0]]) if shown
                       else rng.choice(ORDINARY_SUMMARIES if inbound else OUTBOUND_SUMMARIES))
            rows.append({
                "customer": case.customer_id, "case": case.id, "at": when,
                "channel": _channel_for(summary, rng).value,
                "direction": (Direction.INBOUND if inbound else Direction.OUTBOUND).value,
                "service_area": (case.service_area_id if rng.random() < 0.6
                                 else rng.choice(areas)),
                "officer_name": rng.choice(OFFICERS),
                "duration_minutes": rng.choice([5, 10, 15, 20, 30, 45]),
                "summary": summary, "categories": to_mask(shown),
                "matter": closed.id if closed is not None and inbound and rng.random() < 0.5
                else None,
                "recorded_by": self.user("tomasz.nowak").user_id})
        with atomic():
            first = (ContactLogEntry.select(fn.MAX(ContactLogEntry.id)).scalar() or 0) + 1
            ContactLogEntry.insert_many(rows).execute()
            audit.record(self.user("tomasz.nowak"), "import_log_sheets", ref,
                         payload={"entries": len(rows)})
            ids = [row.id for row in ContactLogEntry.select(ContactLogEntry.id).where(
                ContactLogEntry.id >= first)]
            if compliance.restrictions_ever(case.customer_id):
                compliance.recheck_many(self.user("tomasz.nowak"), case, ids)
        self.contacts += len(rows)
        return ids

    def post(self, ref: str, channel: Channel, summary: str, *, closed_matter: bool = False,
             hours_ago: int = 14) -> int:
        """One contact logged as it came in (the evening before, by default), on a channel a
        restriction closes or about a matter already dealt with."""
        officer = self.user("tomasz.nowak")
        contact = contacts.log_contact(officer, ref, ContactInput(
            at=clock.now() - timedelta(hours=hours_ago), channel=channel,
            direction=Direction.INBOUND, service_area=Case.get(Case.reference == ref)
            .service_area.name, officer_name="Customer Contact Centre", summary=summary))
        if closed_matter:
            closed = next(m for m in matters.list_matters(officer, ref) if m.closed_on)
            tagging.set_matter(officer, ref, contact, closed.id)
        self.contacts += 1
        return contact

    def screen(self, contact_ids: list[int], login: str = "tomasz.nowak") -> None:
        """The team reads the post among these contacts that was filed without reply; nearly
        all of it holds nothing new."""
        items = ScreeningItem.select(ScreeningItem.id).where(
            ScreeningItem.contact.in_(contact_ids) & (ScreeningItem.outcome == ""))
        for item in items.order_by(ScreeningItem.arrived_at):
            screening.record_outcome(self.user(login), item.id, ScreeningDecision(
                ScreeningOutcome.FILED, note=self.rng.choice(FILED_NOTES)))

    def screen_one(self, contact_id: int, decision: ScreeningDecision,
                   login: str = "tomasz.nowak") -> None:
        item = ScreeningItem.get(ScreeningItem.contact == contact_id)
        screening.record_outcome(self.user(login), item.id, decision)


def _channel_for(summary: str, rng: random.Random) -> Channel:
    """The channel a summary speaks of, so that the demo's log sheets read true."""
    text = summary.lower()
    if "call" in text or "rang" in text:
        return Channel.TELEPHONE
    if "letter" in text:
        return Channel.LETTER
    if "email" in text or "copied" in text or "posted" in text:
        return Channel.EMAIL if "posted" not in text else Channel.SOCIAL_MEDIA
    return rng.choice([Channel.EMAIL, Channel.EMAIL, Channel.WEB_FORM, Channel.TELEPHONE])
