"""The demo database: invented people at every stage of the policy, built through the real
services on the dates things happened, so the audit trail and every date are consistent."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from crm_tui import clock
from crm_tui.config import Config
from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, Case, ContactLogEntry, ServiceArea
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.categories import to_mask
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.dates import ReviewPeriodReason, add_months
from crm_tui.domain.outcomes import ConsultationSubject, ConsultationView
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.roles import Actor
from crm_tui.services import appeals, audit, intake, restrictions, retention, reviews, users
from crm_tui.services.database import atomic
from crm_tui.services.database_facts import mark_demo
from crm_tui.services.demo_data import (
    CUSTOMERS,
    DEMO_CRM,
    DEMO_USERS,
    DEPARTMENTS,
    DISTRICTS,
    INBOUND_SUMMARIES,
    OFFICERS,
    ORDINARY_SUMMARIES,
    OUTBOUND_SUMMARIES,
    STREETS,
)
from crm_tui.services.inputs import (
    CustomerInput,
    DecisionTerms,
    LocalResolutionInput,
    ReferralInput,
    RestrictionDraft,
)

SEED = 20181409  # the policy's approval date: any fixed number would do


@dataclass(frozen=True)
class DemoSummary:
    path: Path
    cases: int
    contacts: int
    audit_entries: int


Story = Generator[int, None, None]


class _Builder:
    """Builds stories: each case is a generator that yields how many days ago its next step
    happens; `run` interleaves them so that everything is recorded in date order, as the
    audit trail would have been in real life."""

    def __init__(self, today: date) -> None:
        self.today = today
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
        name, circumstances, adjustments = next(self.people)
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
            personal_circumstances=circumstances, reasonable_adjustments=adjustments)

    # -- steps (each runs at the story's current date) ----------------------------------------
    def local_resolution(self, area: str, manager: str, monitoring_days: int = 60) -> str:
        start = clock.today()
        lr = LocalResolutionInput(
            written_on=start,
            written_summary="Letter setting out the council's concerns about the frequency "
                            "and tone of contact, and the way forward",
            monitoring_start=start, monitoring_end=start + timedelta(days=monitoring_days),
            spoc_name=self.user(manager).name, contact_frequency=self.rng.choice(
                ["weekly", "fortnightly"]),
            communication_style="One email a week to the single point of contact, answered "
                                "within five working days")
        return intake.open_local_resolution(self.user(manager), self.customer(), area,
                                            lr).reference

    def refer(self, ref: str, manager: str, categories: tuple[B, ...], details: str) -> None:
        referral = ReferralInput(
            referred_by=manager, received_on=clock.today(), behaviour_details=details,
            categories=categories,
            other_departments=", ".join(self.rng.sample(DEPARTMENTS, 2)))
        intake.record_referral(self.user(manager), referral, case_reference=ref)

    def consult(self, ref: str, text: str) -> None:
        intake.record_consultation(self.user("priya.raman"), ref, view=ConsultationView.AGREES,
                                   view_text=text, subject=ConsultationSubject.REFERRAL)

    def draft(self, ref: str, kind: K, params: dict[str, Any], reason: str) -> None:
        draft = RestrictionDraft(
            kind=kind, parameters=params, reason=reason,
            proportionality="The least restrictive option that protects staff time while "
                            "keeping the customer's access to services",
            evidence_note="Log sheets for the monitoring period; referral evidence",
            less_restrictive_considered="Single point of contact (tried during local "
                                        "resolution without success)",
            still_reachable="Emergencies: the out-of-hours line 01632 960999. New matters: "
                            "in writing to the Complaints Resolution Team.")
        restrictions.draft_restriction(self.user("tomasz.nowak"), ref, draft)

    def contact_log(self, ref: str, from_days_ago: int, to_days_ago: int,
                    categories: tuple[B, ...], per_week: float) -> None:
        """Import the log sheets kept between two dates (as days ago)."""
        case = Case.get(Case.reference == ref)
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
                "recorded_by": self.user("tomasz.nowak").user_id})
        with atomic():
            ContactLogEntry.insert_many(rows).execute()
            audit.record(self.user("tomasz.nowak"), "import_log_sheets", ref,
                         payload={"entries": len(rows)})
        self.contacts += len(rows)


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


def _users(b: _Builder) -> Story:
    yield 10 * 365
    first: Actor | None = None
    for login, name, title, role, area in DEMO_USERS:
        users.add_user(first, login, name, role, title=title, service_area=area)
        b.actors[login] = users.resolve_actor(login)
        first = first or b.actors[login]


def _restricted(b: _Builder, days_ago: int, area: str, manager: str, kind: K,
                params: dict[str, Any], categories: tuple[B, ...], months: int = 24,
                review_months: int | None = None,
                after: Callable[[_Builder, str], Story] | None = None,
                log_until_today: bool = True) -> Story:
    """A full history: local resolution, referral, consultation, decision, what `after` tells
    of the time since, and the log sheets kept since the decision."""
    lr_days = days_ago + 110
    yield lr_days
    ref = b.local_resolution(area, manager)
    yield days_ago + 40
    b.contact_log(ref, lr_days, days_ago + 40, categories, per_week=6)
    b.refer(ref, manager, categories, "Contact continued at the same rate after the local "
            "resolution letter; log sheets attached")
    yield days_ago + 35
    intake.begin_consideration(b.crm, ref)
    yield days_ago + 30
    intake.request_consultation(b.crm, ref)
    yield days_ago + 20
    b.consult(ref, "Agree that restrictions are justified and proportionate on this evidence")
    yield days_ago + 10
    b.draft(ref, kind, params, "The pattern in the log sheets continued throughout monitoring")
    yield days_ago
    start = clock.today()
    review_due = add_months(start, review_months) if review_months else None
    terms = DecisionTerms(
        starts_on=start, ends_on=add_months(start, months), review_due=review_due,
        review_period_reason=ReviewPeriodReason.PERSONAL_CIRCUMSTANCES if review_months
        else None,
        review_period_note="Earlier review because of the customer's health"
        if review_months else "")
    restrictions.impose_restrictions(
        b.crm, ref, "Unreasonably persistent contact continued despite local resolution", terms)
    if after is not None:
        yield from after(b, ref)
    if log_until_today:
        yield 0
        b.contact_log(ref, days_ago, 0, categories, per_week=2)


def _monitoring(b: _Builder) -> Story:
    """Local resolution with the monitoring period running."""
    yield 20
    ref = b.local_resolution("Housing Services", "hannah.okafor")
    yield 0
    b.contact_log(ref, 50, 0, (B.EXCESSIVE_DEMANDS,), per_week=5)


def _returned(b: _Builder) -> Story:
    """A referral returned to the service area for further local resolution."""
    yield 90
    ref = b.local_resolution("Council Tax and Benefits", "liam.doyle")
    yield 30
    b.contact_log(ref, 90, 30, (B.REPEAT_COMPLAINTS,), per_week=3)
    b.refer(ref, "liam.doyle", (B.REPEAT_COMPLAINTS,), "Repeat complaints about the 2025/26 "
            "bill after stage 2")
    yield 25
    intake.return_to_service_area(b.crm, ref, "Monitoring was only three weeks; try a single "
                                  "point of contact with fortnightly calls first")
    yield 0
    b.contact_log(ref, 25, 0, (B.REPEAT_COMPLAINTS,), per_week=2)


def _new_referral(b: _Builder, days_ago: int, area: str, manager: str,
                  categories: tuple[B, ...], details: str) -> Story:
    yield days_ago + 75
    ref = b.local_resolution(area, manager)
    yield days_ago
    b.contact_log(ref, days_ago + 75, days_ago, categories, per_week=8)
    b.refer(ref, manager, categories, details)


def _considering(b: _Builder) -> Story:
    """Under consideration, assigned, with a restriction drafted."""
    yield 120
    ref = b.local_resolution("Housing Services", "hannah.okafor")
    yield 40
    b.contact_log(ref, 120, 40, (B.GROUNDLESS_STAFF_COMPLAINTS,), per_week=4)
    b.refer(ref, "hannah.okafor", (B.GROUNDLESS_STAFF_COMPLAINTS,),
            "Repeated demands that the repairs officer be dismissed")
    yield 35
    intake.begin_consideration(b.crm, ref)
    intake.assign(b.crm, ref, "tomasz.nowak")
    yield 5
    b.draft(ref, K.NAMED_OFFICER, {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"},
            "Complaints about several housing officers")


def _awaiting_view(b: _Builder) -> Story:
    yield 110
    ref = b.local_resolution("Council Tax and Benefits", "liam.doyle")
    yield 35
    b.contact_log(ref, 110, 35, (B.REFUSING_DECISION,), per_week=3)
    b.refer(ref, "liam.doyle", (B.REFUSING_DECISION,), "Will not accept the tribunal's "
            "decision; calls daily")
    yield 30
    intake.begin_consideration(b.crm, ref)
    yield 20
    intake.request_consultation(b.crm, ref)


def _no_action(b: _Builder) -> Story:
    """Closed with no action: genuine ongoing problems."""
    yield 150
    ref = b.local_resolution("Housing Services", "hannah.okafor")
    yield 60
    b.contact_log(ref, 150, 60, (), per_week=6)
    b.refer(ref, "hannah.okafor", (B.EXCESSIVE_DEMANDS,), "Frequent calls about damp")
    yield 55
    intake.begin_consideration(b.crm, ref)
    yield 40
    intake.close_no_action(b.crm, ref, "The damp problem is genuine and unresolved; the calls "
                           "are about distinct repairs", True)


def _appeal(b: _Builder, ref: str) -> Story:
    yield 8
    appeals.lodge_appeal(b.user("tomasz.nowak"), ref, clock.today(),
                         "The customer says the times clash with their shifts")


def _extension_proposed(b: _Builder, ref: str) -> Story:
    """Under review, an extension proposed, the customer's reply due."""
    yield 8
    reviews.start_review(b.crm, ref)
    yield 5
    reviews.propose_extension(b.crm, ref, "Letters continued at three a week during the year; "
                              "an extension of twelve months is proposed", b.day(-9))


def _lifted(b: _Builder, ref: str) -> Story:
    """Lifted on review; the file awaits archiving."""
    yield 35
    reviews.start_review(b.crm, ref)
    yield 30
    restrictions.lift_restrictions(b.crm, ref, "No unreasonable contact for six months; no "
                                   "likelihood of recurrence")


def _archived(ended_days: int, destroy: bool) -> Callable[[_Builder, str], Story]:
    def story(b: _Builder, ref: str) -> Story:
        # A year from the start may fall a day either side of `ended_days` ago.
        yield ended_days - 2
        restrictions.expire_due(b.crm)
        yield ended_days - 3
        retention.archive(b.crm, ref)
        if destroy:
            yield 10
            retention.destroy(b.crm, ref)
    return story


def _stories(b: _Builder) -> list[Story]:
    housing, tax = "Housing Services", "Council Tax and Benefits"
    year = 365
    return [
        _users(b),
        _monitoring(b),
        _returned(b),
        _new_referral(b, 3, housing, "hannah.okafor", (B.SCATTERGUN, B.OFFENSIVE_REMARKS),
                      "Emails to the team, councillors and the MP about the same repair; rude "
                      "remarks to two officers"),
        _new_referral(b, 16, tax, "liam.doyle", (B.NUMEROUS_QUESTIONS, B.EXCESSIVE_DEMANDS),
                      "Dozens of detailed questions a week about the recovery process"),
        _considering(b),
        _awaiting_view(b),
        _no_action(b),
        # Restrictions of every kind in force; one review due next week, one overdue.
        _restricted(b, year - 6, housing, "hannah.okafor", K.FORM_OF_CONTACT,
                    {"channels": ["letter", "email"],
                     "email_address": "complaints.review@northmere.example.gov.uk"},
                    (B.EXCESSIVE_DEMANDS, B.SCATTERGUN)),
        _restricted(b, year + 10, tax, "liam.doyle", K.NAMED_OFFICER,
                    {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"},
                    (B.SCATTERGUN, B.GROUNDLESS_STAFF_COMPLAINTS)),
        _restricted(b, 120, housing, "hannah.okafor", K.TELEPHONE_TIMES,
                    {"days": ["tue", "thu"], "windows": ["10:00-12:00"]}, (B.EXCESSIVE_DEMANDS,)),
        _restricted(b, 60, tax, "liam.doyle", K.SIGNIFICANT_QUERIES_ONLY,
                    {"definition": "A new bill, a change in circumstances, or a safeguarding "
                                   "concern"}, (B.NUMEROUS_QUESTIONS,), review_months=6),
        _restricted(b, 240, housing, "hannah.okafor", K.NEW_ISSUES_ONLY,
                    {"closed_issues": ["Boundary fence at the rear garden (stage 2 closed "
                                       "March 2025; Ombudsman closed)",
                                       "Parking bay allocation 2024"]},
                    (B.REPEAT_COMPLAINTS, B.REFUSING_DECISION), months=12),
        _restricted(b, year - 20, tax, "liam.doyle", K.BLOCK_ELECTRONIC,
                    {"why_nothing_less": "Threats to staff by telephone and email continued "
                                         "under a named-officer restriction"},
                    (B.OFFENSIVE_REMARKS, B.RECORDING_WITHOUT_CONSENT)),
        _restricted(b, year + 3, housing, "hannah.okafor", K.FORM_OF_CONTACT,
                    {"channels": ["letter"]}, (B.EXCESSIVE_DEMANDS,), after=_extension_proposed),
        _restricted(b, 20, tax, "liam.doyle", K.TELEPHONE_TIMES,
                    {"days": ["mon", "wed"], "windows": ["14:00-16:00"]},
                    (B.EXCESSIVE_DEMANDS,), after=_appeal),
        _restricted(b, 400, housing, "hannah.okafor", K.NAMED_OFFICER,
                    {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"}, (B.SCATTERGUN,),
                    after=_lifted),
        *[_restricted(b, ended + year, tax, "liam.doyle", K.SIGNIFICANT_QUERIES_ONLY,
                      {"definition": "New bills and changes in circumstances"},
                      (B.NUMEROUS_QUESTIONS,), months=12, after=_archived(ended, destroy),
                      log_until_today=False)
          for ended, destroy in ((3 * year, False), (6 * year + 40, True),
                                 (6 * year + 2, False))],
    ]


def build_demo(path: Path, config: Config | None = None) -> DemoSummary:
    """Build a fresh demo database at `path` (replacing any there)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path)
    users.ensure_service_areas((config or Config()).service_areas)
    builder = _Builder(clock.today())
    builder.run(_stories(builder))
    mark_demo(DEMO_CRM)
    summary = DemoSummary(path, Case.select().count(), builder.contacts,
                          AuditEntry.select().count())
    db.close()
    return summary
