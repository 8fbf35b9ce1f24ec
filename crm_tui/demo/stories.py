"""The demo's cases, each told as a story: a generator that yields how many days ago its next
step happens, so that the builder can interleave them in date order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from crm_tui import clock
from crm_tui.db.models import Case, Referral
from crm_tui.demo import telling
from crm_tui.demo.data import (
    DEMO_DIRECT_DETAILS,
    DEMO_USERS,
    EXTREME_CONTACTS,
    EXTREME_CUSTOMER,
)
from crm_tui.demo.extended import extended_then_lifted
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.dates import ReviewPeriodReason, add_months
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.services.core import comments_in, direct_details, settings, users
from crm_tui.services.core.inputs import (
    CustomerInput,
    DecisionTerms,
    EscalationInput,
    ReferralInput,
)
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.evidence import contacts, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.screening import ScreeningDecision
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import casework, escalations
from crm_tui.services.letters import signing_keys
from crm_tui.services.restrictions import builder, decisions, extreme_case
from crm_tui.services.retention import archive
from crm_tui.services.reviews import appeals, review_steps

DECIDERS = frozenset({Role.USER_ADMIN, Role.CRM, Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR})

if TYPE_CHECKING:
    from crm_tui.demo.builder import DemoBuilder, Story


def _users(b: DemoBuilder) -> Story:
    yield 10 * 365
    admin: Actor | None = None
    for number, (login, name, title, role, area) in enumerate(DEMO_USERS, start=1001):
        users.add_user(admin, login, name, role, title=title, service_area=area,
                       staff_id=f"NM{number}")
        b.actors[login] = users.resolve_actor(login)
        admin = admin or b.actors[login]
        if login in DEMO_DIRECT_DETAILS:  # given in letters naming them as the contact
            direct_details.set_direct_details(admin, login, *DEMO_DIRECT_DETAILS[login])
        if role in DECIDERS:  # their decisions are confirmed with their own key
            signing_keys.create_key(b.actors[login], login, DEMO_PASSPHRASE,
                                    council=settings.current().council.name, demo=True)


def _restricted(b: DemoBuilder, days_ago: int, area: str, manager: str, kind: K,
                params: dict[str, Any], categories: tuple[B, ...], months: int = 24,
                review_months: int | None = None,
                after: Callable[[DemoBuilder, str], Story] | None = None,
                log_until_today: bool = True, issue_letter: bool = True) -> Story:
    """A full history: local resolution, referral, consultation, decision and its letter
    (signed, registered and posted that day, as a team would: `issue_letter`), what `after`
    tells of the time since, and the log sheets kept since the decision."""
    lr_days = days_ago + 110
    yield lr_days
    ref = b.local_resolution(area, manager)
    yield days_ago + 40
    b.contact_log(ref, lr_days, days_ago + 40, categories, per_week=6)
    b.refer(ref, manager, categories, "Contact continued at the same rate after the local "
            "resolution letter; log sheets attached")
    b.documents(ref)
    b.weigh(ref)
    yield days_ago + 35
    casework.begin_consideration(b.crm, ref)
    yield days_ago + 30
    casework.request_consultation(b.crm, ref)
    yield days_ago + 20
    b.draft(ref, kind, params, "The pattern in the log sheets continued throughout monitoring",
            behaviours=categories)
    yield days_ago + 10
    # The Head of Service's view on the restriction as drafted, to run as the CRM proposes.
    b.consult(ref, "Agree that restrictions are justified and proportionate on this evidence",
              add_months(b.day(days_ago), months))
    yield days_ago
    start = clock.today()
    review_due = add_months(start, review_months) if review_months else None
    terms = DecisionTerms(
        starts_on=start, ends_on=add_months(start, months), review_due=review_due,
        review_period_reason=ReviewPeriodReason.PERSONAL_CIRCUMSTANCES if review_months
        else None,
        review_period_note="Earlier review because of the customer's health"
        if review_months else "")
    decisions.impose_restrictions(
        b.crm, ref, "Unreasonably persistent contact continued despite local resolution", terms,
        read=b.read(ref), customer_reason=telling.DECIDED)
    if issue_letter:
        b.issue(ref, LetterKind.DECISION)
    yield from _together(after(b, ref) if after is not None else iter(()),
                         _log_sheets(b, ref, days_ago, categories) if log_until_today
                         else iter(()))


def _together(*stories: Iterator[int]) -> Story:
    """One case's stories told together, each step on its own date."""
    heads = [(first, order, story) for order, story in enumerate(stories)
             if (first := next(story, None)) is not None]
    while heads:
        heads.sort(key=lambda head: (-head[0], head[1]))
        days, order, story = heads.pop(0)
        yield days
        following = next(story, None)
        if following is not None:
            heads.append((following, order, story))


def _log_sheets(b: DemoBuilder, ref: str, since: int, categories: tuple[B, ...]) -> Story:
    """The log sheets kept since the decision, sent in every fortnight; the team reads the post
    in them that was filed without reply on the next working day. The latest came in today and
    is still unread."""
    end = since
    while end > 0:
        start, end = end, max(end - 14, 0)
        yield end
        logged = b.contact_log(ref, start, end, categories, per_week=2,
                               sorted_under_closed=True)
        weekday = b.day(end).weekday()
        next_working_day = end - (1 if weekday < 4 or weekday == 6 else 7 - weekday)
        if next_working_day > 0:
            yield next_working_day
            b.screen(logged)


def _monitoring(b: DemoBuilder) -> Story:
    """Local resolution with the monitoring period running."""
    yield 20
    ref = b.local_resolution("Housing Services", "hannah.okafor")
    yield 0
    b.contact_log(ref, 50, 0, (B.EXCESSIVE_DEMANDS,), per_week=5)


def _returned(b: DemoBuilder) -> Story:
    """A referral returned to the service area for further local resolution."""
    yield 90
    ref = b.local_resolution("Council Tax and Benefits", "liam.doyle")
    yield 30
    b.contact_log(ref, 90, 30, (B.REPEAT_COMPLAINTS,), per_week=3)
    b.refer(ref, "liam.doyle", (B.REPEAT_COMPLAINTS,), "Repeat complaints about the 2025/26 "
            "bill after stage 2")
    yield 25
    casework.return_to_service_area(b.crm, ref, "Monitoring was only three weeks; try a single "
                                  "point of contact with fortnightly calls first")
    yield 0
    b.contact_log(ref, 25, 0, (B.REPEAT_COMPLAINTS,), per_week=2)


def _new_referral(b: DemoBuilder, days_ago: int, area: str, manager: str,
                  categories: tuple[B, ...], details: str) -> Story:
    yield days_ago + 75
    ref = b.local_resolution(area, manager)
    yield days_ago
    b.contact_log(ref, days_ago + 75, days_ago, categories, per_week=8)
    b.refer(ref, manager, categories, details)
    b.weigh(ref)


def _considering(b: DemoBuilder) -> Story:
    """Under consideration, assigned, with a restriction drafted."""
    yield 120
    ref = b.local_resolution("Housing Services", "hannah.okafor")
    yield 40
    b.contact_log(ref, 120, 40, (B.GROUNDLESS_STAFF_COMPLAINTS,), per_week=4)
    b.refer(ref, "hannah.okafor", (B.GROUNDLESS_STAFF_COMPLAINTS,),
            "Repeated demands that the repairs officer be dismissed")
    b.weigh(ref)
    yield 35
    casework.begin_consideration(b.crm, ref)
    casework.assign(b.crm, ref, "tomasz.nowak")
    yield 5
    b.draft(ref, K.NAMED_OFFICER, {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"},
            "Complaints about several housing officers")
    # Left for the CRM to resolve in the builder: letter only, for a customer who needs to
    # telephone.
    b.draft(ref, K.FORM_OF_CONTACT, {"channels": ["letter"]},
            "Calls to several officers a day about the same repair", justify=False)


def _awaiting_view(b: DemoBuilder) -> Story:
    yield 110
    ref = b.local_resolution("Council Tax and Benefits", "liam.doyle")
    yield 35
    b.contact_log(ref, 110, 35, (B.REFUSING_DECISION,), per_week=3)
    b.refer(ref, "liam.doyle", (B.REFUSING_DECISION,), "Will not accept the tribunal's "
            "decision; calls daily")
    yield 30
    casework.begin_consideration(b.crm, ref)
    yield 20
    casework.request_consultation(b.crm, ref)


def _no_action(b: DemoBuilder) -> Story:
    """Closed with no action: genuine ongoing problems."""
    yield 150
    ref = b.local_resolution("Housing Services", "hannah.okafor")
    yield 60
    b.contact_log(ref, 150, 60, (), per_week=6)
    b.refer(ref, "hannah.okafor", (B.EXCESSIVE_DEMANDS,), "Frequent calls about damp")
    yield 55
    casework.begin_consideration(b.crm, ref)
    yield 40
    casework.close_no_action(b.crm, ref, "The damp problem is genuine and unresolved; the calls "
                           "are about distinct repairs", True)


def _appeal(b: DemoBuilder, ref: str) -> Story:
    yield 8
    appeals.lodge_appeal(b.user("tomasz.nowak"), ref, clock.today(),
                         "The customer says the times clash with their shifts")


def _appeal_confirmed(b: DemoBuilder, ref: str) -> Story:
    """Appealed soon after the decision; confirmed by the Service Director; letters sent."""
    yield 360  # the decision was a year and ten days ago
    appeals.lodge_appeal(b.user("tomasz.nowak"), ref, clock.today(),
                         "The customer says the named officer is never available")
    yield 345
    appeals.decide_appeal(b.user("gareth.bell"), ref, AppealOutcome.CONFIRMED,
                          "The named officer and deputy answered within five working days "
                          "throughout; the restriction is proportionate",
                          customer_reason=telling.APPEAL_CONFIRMED)
    b.issue(ref, LetterKind.APPEAL_OUTCOME, "gareth.bell")


def _extension_proposed(b: DemoBuilder, ref: str) -> Story:
    """Under review, an extension proposed, the customer's reply due."""
    yield 8
    summary = review_steps.start_review(b.crm, ref)
    yield 5
    # The same restriction, for a year longer: set out again, then put to the customer.
    builder.redraft_in_force(b.user("tomasz.nowak"), ref)
    ends = add_months(summary.restrictions_end or clock.today(), 12)
    # Comments by the end of the whole reply-by period, counted as configured (the form's
    # offer): the letter and every screen give that same date.
    review_steps.propose_extension(b.crm, ref, "Letters continued at three a week during the "
                                   "year; an extension of twelve months is proposed",
                                   comments_in.period_from(clock.today()), ends_on=ends,
                                   customer_reason=telling.PROPOSED)
    b.issue(ref, LetterKind.INVITATION)


def _new_matter_in_the_post(b: DemoBuilder, ref: str) -> Story:
    """A web form on a closed channel: read the next morning, it raises a new repair, opened as
    a matter on the case."""
    yield 40
    contact = b.post(ref, Channel.WEB_FORM, "Water coming through the kitchen ceiling from the "
                     "flat above since Sunday night; asks for someone to look at it")
    yield 40
    b.screen_one(contact, ScreeningDecision(
        ScreeningOutcome.NEW_MATTER, title="Leak through the kitchen ceiling from the flat above",
        note="A new repair, not the closed complaint: the repairs team was asked to visit"))


def _safeguarding_in_the_post(b: DemoBuilder, ref: str) -> Story:
    """An email about the closed matter, which will not be acknowledged; read that morning, it
    holds a safeguarding concern, passed at once to a named social worker."""
    yield 75
    contact = b.post(ref, Channel.EMAIL, "Writes again about the complaint already answered; "
                     "adds that the heating has failed and their mother, who is 91 and lives "
                     "with them, has been unwell since Friday", closed_matter=True)
    yield 75
    b.screen_one(contact, ScreeningDecision(
        ScreeningOutcome.PASSED_ON, passed_to="Jo Carter, duty social worker, Adult Social Care",
        passed_how="Telephoned the duty line (01632 960555) at 09:02 and emailed her the log "
                   "entry; she arranged a welfare visit for that afternoon",
        note="Safeguarding concern for an older adult; the closed matter was not answered"),
        "ceri.hughes")


def _unread_in_the_post(b: DemoBuilder, ref: str) -> Story:
    """An email on the blocked channel, still unread three days on: past its screen-by date."""
    yield 3
    b.post(ref, Channel.EMAIL, "Says they will \"do something drastic\" if the summons is not "
           "withdrawn by Friday; no other new point", hours_ago=1)


def _archived(ended_days: int, destroy: bool) -> Callable[[DemoBuilder, str], Story]:
    def story(b: DemoBuilder, ref: str) -> Story:
        # A year from the start may fall a day either side of `ended_days` ago.
        yield ended_days - 2
        decisions.expire_due(b.crm, job="the demo's daily expiry")
        yield ended_days - 3
        archive.archive(b.crm, ref)
        if destroy:
            yield 10
            archive.destroy(b.crm, ref)
    return story


def _extreme(b: DemoBuilder) -> Story:
    """The extreme-case route (the policy's Scope): threats to a housing officer ending at the
    Civic Centre reception, where the police were called. Referred at once without local
    resolution, on the police record; restricted without a prior warning, the CRM's reasons
    recorded; contact by letter only. (Told last on each day, with its own customer, so that
    the other stories keep their people, references and times.)"""
    yield 345
    hannah, tomasz = b.user("hannah.okafor"), b.user("tomasz.nowak")
    name, address, postcode, email, telephone = EXTREME_CUSTOMER
    police = EscalationInput(
        kind=EscalationKind.POLICE, occurred_on=b.day(347), reference="NM/25/118342",
        note="Threatened the housing officer at the Civic Centre reception; security called "
             "the police, who attended and have recorded it as a public order offence")
    ref = casework.record_referral(hannah, ReferralInput(
        referred_by="hannah.okafor", received_on=clock.today(),
        behaviour_details="Threats to one housing officer over three weeks, by telephone, email "
                          "and in person at the Civic Centre reception",
        categories=(B.OFFENSIVE_REMARKS, B.EXCESSIVE_DEMANDS),
        other_departments="Customer Contact Centre; Facilities (Civic Centre security)",
        no_local_resolution_reason="Local resolution was not attempted: the customer "
                                   "threatened the housing officer in person and the police "
                                   "were called. Writing to him about a way forward would "
                                   "have put staff at further risk.",
        escalation=police), customer=CustomerInput(
            name=name, address=address, postcode=postcode, email=email, telephone=telephone),
        service_area="Housing Services").reference
    referral = Referral.select().join(Case).where(Case.reference == ref).get()
    for days, hour, minute, channel, summary, behaviour in EXTREME_CONTACTS:
        logged = contacts.log_contact(tomasz, ref, ContactInput(
            at=datetime.combine(b.day(days), time(hour, minute)), channel=Channel(channel),
            direction=Direction.INBOUND, service_area="Housing Services",
            officer_name="Hannah Okafor", summary=summary, duration_minutes=5,
            categories=(behaviour,)))
        tagging.toggle_link(tomasz, ref, EvidenceKind.CONTACT, logged, f"referral:{referral.id}")
    yield 344
    escalations.record_escalation(tomasz, ref, EscalationInput(
        kind=EscalationKind.RISK_TO_STAFF, occurred_on=b.day(347), reference="IR-2025-0457",
        note="Added to the Safe Working Procedure incident list: no lone visits; the housing "
             "officer no longer takes his calls"))
    yield 343
    casework.begin_consideration(b.crm, ref)
    casework.request_consultation(b.crm, ref)
    yield 335  # after the Christmas closure
    record = extreme_case.scope_view(b.crm, ref).escalations[0]
    extreme_case.restrict_without_warning(
        b.crm, ref, record.id, "The threats were made in person and repeated by email the same "
        "evening, and the police are involved. A warning and a monitoring period first would "
        "leave the officer exposed to further threats.")
    yield 331
    b.draft(ref, K.FORM_OF_CONTACT, {"channels": ["letter"]},
            "Threats to a housing officer by telephone, email and in person",
            behaviours=(B.OFFENSIVE_REMARKS,))
    yield 328
    b.consult(ref, "Agree: letter only is proportionate while the police matter is open; no "
                   "prior warning given the threats in person", add_months(b.day(325), 24))
    yield 325
    start = clock.today()
    decisions.impose_restrictions(
        b.crm, ref, "You threatened a housing officer by telephone, by email and in person at "
        "the Civic Centre, where the police were called. Because of the risk to staff, the "
        "council did not warn you before deciding this.",
        DecisionTerms(starts_on=start, ends_on=add_months(start, 24)), read=b.read(ref),
        customer_reason=telling.THREATS)
    b.issue(ref, LetterKind.DECISION)


def stories(b: DemoBuilder) -> list[Story]:
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
        # Restrictions of every kind in force; one review due next week, one overdue. Every
        # decision letter went out on its day: the latest decision is 20 days old, and a
        # letter still unsigned after that long is not how the team works.
        _restricted(b, year - 6, housing, "hannah.okafor", K.FORM_OF_CONTACT,
                    {"channels": ["letter", "email"],
                     "email_address": "complaints.review@northmere.example.gov.uk"},
                    (B.EXCESSIVE_DEMANDS, B.SCATTERGUN), after=_new_matter_in_the_post),
        _restricted(b, year + 10, tax, "liam.doyle", K.NAMED_OFFICER,
                    {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"},
                    (B.SCATTERGUN, B.GROUNDLESS_STAFF_COMPLAINTS), after=_appeal_confirmed),
        _restricted(b, 120, housing, "hannah.okafor", K.TELEPHONE_TIMES,
                    {"days": ["tue", "thu"], "windows": ["10:00-12:00"],
                     "number": "01632 960123"}, (B.EXCESSIVE_DEMANDS,)),
        _restricted(b, 60, tax, "liam.doyle", K.SIGNIFICANT_QUERIES_ONLY,
                    {"definition": "A new bill, a change in circumstances, or a safeguarding "
                                   "concern"}, (B.NUMEROUS_QUESTIONS,), review_months=6),
        _restricted(b, 240, housing, "hannah.okafor", K.NEW_ISSUES_ONLY,
                    {"closed_issues": ["Parking bay allocation 2024"]},
                    (B.REPEAT_COMPLAINTS, B.REFUSING_DECISION), months=12,
                    after=_safeguarding_in_the_post),
        _restricted(b, year - 20, tax, "liam.doyle", K.BLOCK_ELECTRONIC,
                    {"why_nothing_less": "Threats to staff by telephone and email continued "
                                         "under a named-officer restriction"},
                    (B.OFFENSIVE_REMARKS, B.RECORDING_WITHOUT_CONSENT),
                    after=_unread_in_the_post),
        _restricted(b, year + 3, housing, "hannah.okafor", K.FORM_OF_CONTACT,
                    {"channels": ["letter"]}, (B.EXCESSIVE_DEMANDS,), after=_extension_proposed),
        _restricted(b, 20, tax, "liam.doyle", K.TELEPHONE_TIMES,
                    {"days": ["mon", "wed"], "windows": ["14:00-16:00"],
                     "number": "01632 960456"},
                    (B.EXCESSIVE_DEMANDS,), after=_appeal),
        _restricted(b, 400, housing, "hannah.okafor", K.NAMED_OFFICER,
                    {"officer": "Tomasz Nowak", "deputy": "Ceri Hughes"}, (B.SCATTERGUN,),
                    after=extended_then_lifted),
        *[_restricted(b, ended + year, tax, "liam.doyle", K.SIGNIFICANT_QUERIES_ONLY,
                      {"definition": "New bills and changes in circumstances"},
                      (B.NUMEROUS_QUESTIONS,), months=12, after=_archived(ended, destroy),
                      log_until_today=False,
                      # Destruction does not yet remove a case's letter files, and a
                      # destroyed case must leave none behind: the case destroyed later was
                      # decided without its letter being issued.
                      issue_letter=not destroy)
          for ended, destroy in ((3 * year, False), (6 * year + 40, True),
                                 (6 * year + 2, False))],
        _extreme(b),  # last: see its docstring
    ]
