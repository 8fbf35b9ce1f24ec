"""The demo database: invented people at every stage of the policy, built through the real
services on the dates things happened, so the audit trail and every date are consistent."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from crm_tui import clock
from crm_tui.config import Config
from crm_tui.db.connection import open_database
from crm_tui.db.models import ContactLogEntry, Customer, ServiceArea
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.categories import to_mask
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.dates import ReviewPeriodReason, add_months
from crm_tui.domain.outcomes import ConsultationSubject, ConsultationView
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.roles import Actor
from crm_tui.services import appeals, audit, intake, restrictions, retention, reviews, users
from crm_tui.services.database import atomic
from crm_tui.services.demo_data import (
    CUSTOMERS,
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

T = TypeVar("T")
SEED = 20181409  # the policy's approval date: any fixed number would do


@dataclass(frozen=True)
class DemoSummary:
    path: Path
    cases: int
    contacts: int
    audit_entries: int


class _Builder:
    def __init__(self, today: date) -> None:
        self.today = today
        self.rng = random.Random(SEED)
        self.people = iter(CUSTOMERS)
        self.actors: dict[str, Actor] = {}
        self.contacts = 0

    # -- time -------------------------------------------------------------------------------
    def on(self, days_ago: int, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        moment = datetime.combine(self.today - timedelta(days=days_ago), time(10, 30))
        with clock.travel_to(moment):
            return call(*args, **kwargs)

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

    # -- steps ------------------------------------------------------------------------------
    def local_resolution(self, days_ago: int, area: str, manager: str,
                         monitoring_days: int = 60) -> str:
        start = self.day(days_ago)
        lr = LocalResolutionInput(
            written_on=start,
            written_summary="Letter setting out the council's concerns about the frequency "
                            "and tone of contact, and the way forward",
            monitoring_start=start, monitoring_end=start + timedelta(days=monitoring_days),
            spoc_name=self.user(manager).name, contact_frequency=self.rng.choice(
                ["weekly", "fortnightly"]),
            communication_style="One email a week to the single point of contact, answered "
                                "within five working days")
        summary = self.on(days_ago, intake.open_local_resolution, self.user(manager),
                          self.customer(), area, lr)
        return summary.reference

    def refer(self, ref: str, days_ago: int, manager: str, categories: tuple[B, ...],
              details: str) -> None:
        referral = ReferralInput(
            referred_by=manager, received_on=self.day(days_ago), behaviour_details=details,
            categories=categories,
            other_departments=", ".join(self.rng.sample(DEPARTMENTS, 2)))
        self.on(days_ago, intake.record_referral, self.user(manager), referral,
                case_reference=ref)

    def consult(self, ref: str, days_ago: int, text: str,
                subject: ConsultationSubject = ConsultationSubject.REFERRAL) -> None:
        self.on(days_ago, intake.record_consultation, self.user("priya.raman"), ref,
                view=ConsultationView.AGREES, view_text=text, subject=subject)

    def draft(self, ref: str, days_ago: int, kind: K, params: dict[str, Any],
              reason: str) -> None:
        draft = RestrictionDraft(
            kind=kind, parameters=params, reason=reason,
            proportionality="The least restrictive option that protects staff time while "
                            "keeping the customer's access to services",
            evidence_note="Log sheets for the monitoring period; referral evidence",
            less_restrictive_considered="Single point of contact (tried during local "
                                        "resolution without success)",
            still_reachable="Emergencies: the out-of-hours line 01632 960999. New matters: "
                            "in writing to the Complaints Resolution Team.")
        self.on(days_ago, restrictions.draft_restriction, self.user("tomasz.nowak"), ref, draft)

    def restricted(self, days_ago: int, area: str, manager: str, kind: K,
                   params: dict[str, Any], categories: tuple[B, ...],
                   months: int = 24, review_months: int | None = None) -> str:
        """A full history: local resolution, referral, consultation, decision."""
        lr_days = days_ago + 110
        ref = self.local_resolution(lr_days, area, manager)
        self.contact_log(ref, lr_days, days_ago + 40, categories, per_week=6)
        self.refer(ref, days_ago + 40, manager, categories,
                   "Contact continued at the same rate after the local resolution letter; "
                   "log sheets attached")
        self.on(days_ago + 35, intake.begin_consideration, self.crm, ref)
        self.on(days_ago + 30, intake.request_consultation, self.crm, ref)
        self.consult(ref, days_ago + 20, "Agree that restrictions are justified and "
                     "proportionate on this evidence")
        self.draft(ref, days_ago + 10, kind, params,
                   "The pattern in the log sheets continued throughout monitoring")
        start = self.day(days_ago)
        review_due = add_months(start, review_months) if review_months else None
        terms = DecisionTerms(
            starts_on=start, ends_on=add_months(start, months), review_due=review_due,
            review_period_reason=ReviewPeriodReason.PERSONAL_CIRCUMSTANCES if review_months
            else None,
            review_period_note="Earlier review because of the customer's health"
            if review_months else "")
        self.on(days_ago, restrictions.impose_restrictions, self.crm, ref,
                "Unreasonably persistent contact continued despite local resolution", terms)
        self.contact_log(ref, days_ago, 0, categories, per_week=2)
        return ref

    def contact_log(self, ref: str, from_days_ago: int, to_days_ago: int,
                    categories: tuple[B, ...], per_week: float) -> None:
        from crm_tui.db.models import Case

        case = Case.get(Case.reference == ref)
        customer = Customer.get_by_id(case.customer_id)
        areas = [a.id for a in ServiceArea.select()]
        rng = self.rng
        rows = []
        days = max(from_days_ago - to_days_ago, 1)
        for _ in range(int(days / 7 * per_week) + 1):
            when = datetime.combine(self.day(rng.randint(to_days_ago, from_days_ago)),
                                    time(rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 22, 23]),
                                         rng.randint(0, 59)))
            inbound = rng.random() < 0.8
            shown = tuple(c for c in categories if rng.random() < 0.5) if inbound else ()
            summary = (rng.choice(INBOUND_SUMMARIES[shown[0]]) if shown
                       else rng.choice(ORDINARY_SUMMARIES if inbound else OUTBOUND_SUMMARIES))
            rows.append({
                "customer": customer.id, "case": case.id, "at": when,
                "channel": rng.choice([Channel.EMAIL, Channel.EMAIL, Channel.TELEPHONE,
                                       Channel.LETTER, Channel.WEB_FORM]).value,
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


def _users(b: _Builder) -> None:
    first: Actor | None = None
    for login, name, title, role, area in DEMO_USERS:
        b.on(400 * 8, users.add_user, first, login, name, role, title=title, service_area=area)
        b.actors[login] = users.resolve_actor(login)
        first = first or b.actors[login]


def _early_cases(b: _Builder) -> None:
    housing, tax = "Housing Services", "Council Tax and Benefits"
    # Local resolution with the monitoring period running.
    ref = b.local_resolution(20, housing, "hannah.okafor")
    b.contact_log(ref, 50, 0, (B.EXCESSIVE_DEMANDS,), per_week=5)
    # A referral returned to the service area for further local resolution.
    ref = b.local_resolution(90, tax, "liam.doyle")
    b.contact_log(ref, 90, 0, (B.REPEAT_COMPLAINTS,), per_week=3)
    b.refer(ref, 30, "liam.doyle", (B.REPEAT_COMPLAINTS,), "Repeat complaints about the "
            "2025/26 bill after stage 2")
    b.on(25, intake.return_to_service_area, b.crm, ref, "Monitoring was only three weeks; "
         "try a single point of contact with fortnightly calls first")
    # New referrals: one fresh, one waiting past the team's two-week standard.
    ref = b.local_resolution(75, housing, "hannah.okafor")
    b.contact_log(ref, 75, 3, (B.SCATTERGUN, B.OFFENSIVE_REMARKS), per_week=8)
    b.refer(ref, 3, "hannah.okafor", (B.SCATTERGUN, B.OFFENSIVE_REMARKS),
            "Emails to the team, councillors and the MP about the same repair; rude remarks "
            "to two officers")
    ref = b.local_resolution(100, tax, "liam.doyle")
    b.contact_log(ref, 100, 16, (B.NUMEROUS_QUESTIONS,), per_week=4)
    b.refer(ref, 16, "liam.doyle", (B.NUMEROUS_QUESTIONS, B.EXCESSIVE_DEMANDS),
            "Dozens of detailed questions a week about the recovery process")
    # Under consideration, assigned, with a restriction drafted.
    ref = b.local_resolution(120, housing, "hannah.okafor")
    b.contact_log(ref, 120, 0, (B.GROUNDLESS_STAFF_COMPLAINTS,), per_week=4)
    b.refer(ref, 40, "hannah.okafor", (B.GROUNDLESS_STAFF_COMPLAINTS,),
            "Repeated demands that the repairs officer be dismissed")
    b.on(35, intake.begin_consideration, b.crm, ref)
    b.on(35, intake.assign, b.crm, ref, "tomasz.nowak")
    b.draft(ref, 5, K.NAMED_OFFICER, {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"},
            "Complaints about several housing officers")
    # Awaiting the Head of Service's view.
    ref = b.local_resolution(110, tax, "liam.doyle")
    b.contact_log(ref, 110, 0, (B.REFUSING_DECISION,), per_week=3)
    b.refer(ref, 35, "liam.doyle", (B.REFUSING_DECISION,), "Will not accept the tribunal's "
            "decision; calls daily")
    b.on(30, intake.begin_consideration, b.crm, ref)
    b.on(20, intake.request_consultation, b.crm, ref)
    # Closed with no action: genuine ongoing problems.
    ref = b.local_resolution(150, housing, "hannah.okafor")
    b.contact_log(ref, 150, 40, (), per_week=6)
    b.refer(ref, 60, "hannah.okafor", (B.EXCESSIVE_DEMANDS,), "Frequent calls about damp")
    b.on(55, intake.begin_consideration, b.crm, ref)
    b.on(40, intake.close_no_action, b.crm, ref, "The damp problem is genuine and unresolved; "
         "the calls are about distinct repairs", True)


def _restricted_cases(b: _Builder) -> None:
    housing, tax = "Housing Services", "Council Tax and Benefits"
    year = 365
    # Review due next week.
    b.restricted(year - 6, housing, "hannah.okafor", K.FORM_OF_CONTACT,
                 {"channels": ["letter", "email"],
                  "email_address": "complaints.review@northmere.example.gov.uk"},
                 (B.EXCESSIVE_DEMANDS, B.SCATTERGUN))
    # Review overdue.
    b.restricted(year + 10, tax, "liam.doyle", K.NAMED_OFFICER,
                 {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"},
                 (B.SCATTERGUN, B.GROUNDLESS_STAFF_COMPLAINTS))
    b.restricted(120, housing, "hannah.okafor", K.TELEPHONE_TIMES,
                 {"days": ["tue", "thu"], "windows": ["10:00-12:00"]},
                 (B.EXCESSIVE_DEMANDS,))
    b.restricted(60, tax, "liam.doyle", K.SIGNIFICANT_QUERIES_ONLY,
                 {"definition": "A new bill, a change in circumstances, or a safeguarding "
                                "concern"}, (B.NUMEROUS_QUESTIONS,), review_months=6)
    b.restricted(240, housing, "hannah.okafor", K.NEW_ISSUES_ONLY,
                 {"closed_issues": ["Boundary fence at the rear garden (stage 2 closed "
                                    "March 2025; Ombudsman closed)",
                                    "Parking bay allocation 2024"]},
                 (B.REPEAT_COMPLAINTS, B.REFUSING_DECISION), months=12)
    b.restricted(year - 20, tax, "liam.doyle", K.BLOCK_ELECTRONIC,
                 {"why_nothing_less": "Threats to staff by telephone and email continued "
                                      "under a named-officer restriction"},
                 (B.OFFENSIVE_REMARKS, B.RECORDING_WITHOUT_CONSENT))


def _later_stages(b: _Builder) -> None:
    housing, tax = "Housing Services", "Council Tax and Benefits"
    # Under review, extension proposed, the customer's reply due.
    ref = b.restricted(365 + 3, housing, "hannah.okafor", K.FORM_OF_CONTACT,
                       {"channels": ["letter"]}, (B.EXCESSIVE_DEMANDS,))
    b.on(8, reviews.start_review, b.crm, ref)
    b.on(5, reviews.propose_extension, b.crm, ref, "Letters continued at three a week during "
         "the year; an extension of twelve months is proposed", b.day(-9))
    # Appeal pending.
    ref = b.restricted(20, tax, "liam.doyle", K.TELEPHONE_TIMES,
                       {"days": ["mon", "wed"], "windows": ["14:00-16:00"]},
                       (B.EXCESSIVE_DEMANDS,))
    b.on(8, appeals.lodge_appeal, b.user("tomasz.nowak"), ref, b.day(8),
         "The customer says the times clash with their shifts")
    # Lifted on review; the file awaits archiving.
    ref = b.restricted(400, housing, "hannah.okafor", K.NAMED_OFFICER,
                       {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"}, (B.SCATTERGUN,))
    b.on(35, reviews.start_review, b.crm, ref)
    b.on(30, restrictions.lift_restrictions, b.crm, ref, "No unreasonable contact for six "
         "months; no likelihood of recurrence")
    # Archived, and one archived file now past its destruction date.
    for ended_days, destroy in ((3 * 365, False), (6 * 365 + 40, True), (6 * 365 + 2, False)):
        ref = b.restricted(ended_days + 365, tax, "liam.doyle", K.SIGNIFICANT_QUERIES_ONLY,
                           {"definition": "New bills and changes in circumstances"},
                           (B.NUMEROUS_QUESTIONS,), months=12)
        # A year from the start may fall a day either side of `ended_days` ago.
        b.on(ended_days - 2, restrictions.expire_due, b.crm)
        b.on(ended_days - 3, retention.archive, b.crm, ref)
        if destroy:
            b.on(10, retention.destroy, b.crm, ref)


def build_demo(path: Path, config: Config | None = None) -> DemoSummary:
    """Build a fresh demo database at `path` (replacing any there)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path)
    users.ensure_service_areas((config or Config()).service_areas)
    builder = _Builder(clock.today())
    _users(builder)
    _early_cases(builder)
    _restricted_cases(builder)
    _later_stages(builder)
    from crm_tui.db.models import AuditEntry, Case

    summary = DemoSummary(path, Case.select().count(), builder.contacts,
                          AuditEntry.select().count())
    db.close()
    return summary
