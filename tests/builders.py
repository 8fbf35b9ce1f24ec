"""Bring a case to any state through the real services, as the team would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from peewee import fn

from crm_tui.db.models import AuditEntry
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.outcomes import AppealOutcome, ConsultationSubject, ConsultationView
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit_seals
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import (
    CustomerInput,
    DecisionTerms,
    LocalResolutionInput,
    ReferralInput,
    RestrictionDraft,
)
from crm_tui.services.evidence import contacts, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import casework
from crm_tui.services.restrictions import decisions
from crm_tui.services.retention import archive
from crm_tui.services.reviews import review_steps
from crm_tui.services.reviews.appeals import decide_appeal, lodge_appeal

TODAY = date(2026, 11, 28)


@contextmanager
def as_the_app(*references: str) -> Iterator[None]:
    """A setup shortcut (a date moved, a restriction's start set back) written as the app
    writes: in one transaction whose latest entry about each case is sealed again over it.
    Written bare it is an edit outside the app, which the next save refuses (b16c F0)."""
    with atomic():
        yield
        for reference in references:
            latest = AuditEntry.select(fn.MAX(AuditEntry.seq)).where(
                AuditEntry.case_reference == reference).scalar()
            if latest is not None:
                audit_seals.noted(int(latest))
def renamed(login: str, name: str) -> None:
    """A person's name set as a setup shortcut (the app has no step that renames), written
    as the app writes: with an entry of theirs, which seals the team's records over it. Bare,
    their record would no longer agree with the trail: they would record nothing, and the app
    says so as it opens (v15c F0)."""
    from crm_tui.db.models import User
    from crm_tui.services.core import audit, users

    with atomic():
        User.update(name=name).where(User.login == login).execute()
        audit.record(users.resolve_actor(login), "test_setup_rename",
                     payload={"login": login, "name": name})


# Words for the customer, where a form asks for them (second person, whole sentences).
TOLD = "You have contacted us many times about matters we have already answered."
LETTER_ONLY = RestrictionDraft(
    RestrictionKind.FORM_OF_CONTACT, {"channels": ["letter"]},
    reason="Daily emails to several officers on the same closed matter",
    proportionality="Letters let the council answer properly without diverting staff daily",
    less_restrictive_considered="A single point of contact, tried during local resolution",
    still_reachable="Emergencies: 01632 960999. New matters: by letter to the team.",
    behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,), customer_reason=TOLD)
TERMS = DecisionTerms(starts_on=TODAY, ends_on=date(2027, 11, 28))
# Another kind than letter only, that stands beside it: one restriction of each kind per set.
SIGNIFICANT_ONLY = RestrictionDraft(
    RestrictionKind.SIGNIFICANT_QUERIES_ONLY,
    {"definition": "a new matter about the customer's home"},
    reason=LETTER_ONLY.reason, proportionality=LETTER_ONLY.proportionality,
    less_restrictive_considered=LETTER_ONLY.less_restrictive_considered,
    still_reachable=LETTER_ONLY.still_reachable, behaviours=LETTER_ONLY.behaviours,
    customer_reason=TOLD)


def draft(actors: dict[Role, Actor], ref: str, what: RestrictionDraft = LETTER_ONLY,
          by: Role = Role.OFFICER) -> int:
    """Draft a restriction and rest it on evidence (a logged contact), as the builder asks."""
    restriction = decisions.draft_restriction(actors[by], ref, what)
    contact = contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 10, 5, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Fifth email this week about the same closed complaint",
        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)))
    tagging.toggle_link(actors[Role.CRM], ref, EvidenceKind.CONTACT, contact,
                        f"restriction:{restriction}")
    return restriction




def local_resolution(actors: dict[Role, Actor], name: str = "Testy McTestface") -> str:
    ref = casework.open_local_resolution(
        actors[Role.SERVICE_AREA_MANAGER], CustomerInput(name=name, address=("1 Test Row",)),
        "Housing Services",
        LocalResolutionInput(written_on=date(2026, 9, 1), written_summary="Concerns set out",
                             monitoring_start=date(2026, 9, 1),
                             monitoring_end=date(2026, 10, 31),
                             contact_frequency="weekly", warned=True,
                             customer_summary=TOLD)).reference
    return ref


def referred_again(actors: dict[Role, Actor], ref: str) -> str:
    """A new case opened today for the customer of `ref` (whose file may be archived)."""
    from crm_tui.db.models import Case

    customer = Case.get(Case.reference == ref).customer.reference
    return casework.open_local_resolution(
        actors[Role.SERVICE_AREA_MANAGER], CustomerInput(name="", reference=customer),
        "Housing Services", LocalResolutionInput(
            written_on=TODAY, written_summary="Concerns set out again",
            monitoring_start=TODAY, monitoring_end=TODAY,
            customer_summary=TOLD)).reference


def referred(actors: dict[Role, Actor]) -> str:
    ref = local_resolution(actors)
    return casework.record_referral(
        actors[Role.SERVICE_AREA_MANAGER],
        ReferralInput(referred_by="manager", received_on=date(2026, 11, 2),
                      behaviour_details="Forty emails a week to six officers",
                      categories=(BehaviourCategory.SCATTERGUN,)),
        case_reference=ref).reference


def at_state(actors: dict[Role, Actor], state: CaseState, *, consulted: bool = True,
             drafted: bool = True) -> str:
    crm = actors[Role.CRM]
    if state is CaseState.LOCAL_RESOLUTION:
        return local_resolution(actors)
    ref = referred(actors)
    if state is CaseState.NEW:
        return ref
    casework.begin_consideration(crm, ref)
    if state is CaseState.AWAITING_CONSULTATION:
        casework.request_consultation(crm, ref)
        return ref
    if state is CaseState.CLOSED_NO_ACTION:
        casework.close_no_action(crm, ref, "Genuine ongoing repairs problem", True)
        return ref
    if drafted:
        draft(actors, ref)
    if consulted and drafted:  # on the restrictions as drafted (none: nothing to consult on)
        consult(actors, ref)
    if state is CaseState.UNDER_CONSIDERATION:
        return ref
    decisions.impose_restrictions(crm, ref, "Persistent contact despite local resolution",
                                  TERMS, read=read(ref), customer_reason=TOLD)
    if state is CaseState.RESTRICTED:
        return ref
    if state is CaseState.UNDER_APPEAL:
        lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The restriction is unfair")
        return ref
    if state is CaseState.UNDER_REVIEW:
        review_steps.start_review(crm, ref)
        return ref
    if state is CaseState.ENDED:
        decisions.lift_restrictions(crm, ref, "Behaviour has subsided", customer_reason=TOLD)
        return ref
    decisions.lift_restrictions(crm, ref, "Behaviour has subsided", customer_reason=TOLD)
    send_lifted(crm, ref)  # a file is archived once the customer is told
    archive_after_appeal_period(crm, ref)
    return ref


# The day after the appeal period of a decision made on TODAY (28 working days) ends.
APPEAL_PERIOD_OVER = datetime(2027, 1, 12, 9, 0)


def archive_after_appeal_period(actor: Actor, ref: str) -> Any:
    """Archive the file once the customer may no longer appeal against its decision (made
    on TODAY): until then it is kept open, an archived file being read-only. Its letters
    signed and not yet posted are recorded posted first (on TODAY): a file is archived once
    the customer has been told."""
    from crm_tui import clock
    from crm_tui.services.letters import posting

    waiting = [letter.id for letter in posting.unposted(actor) if letter.reference == ref]
    if waiting:
        posting.record_posting(actor, waiting, TODAY, "first")
    with clock.travel_to(APPEAL_PERIOD_OVER):
        return archive.archive(actor, ref)


def sign_lifted(crm: Actor, ref: str) -> int:
    """Sign the letter lifting the case's restrictions (into a folder beside the test's
    database, inside its temporary folder); its register number. Not yet posted: the file
    is not archived until it is (send_lifted)."""
    from crm_tui.domain.letters import LetterKind
    from crm_tui.services.letters import issuing
    from tests.conftest import PASSPHRASE

    issued = database_folder() / "issued"
    return issuing.sign_and_export(crm, ref, LetterKind.LIFTED, issued, PASSPHRASE).letter_id


def appealed(actors: dict[Role, Actor]) -> str:
    """A case under appeal whose decision letter was posted first, as an appeal follows the
    letter: the appeal outcome letter says what has changed since it (fixAL AL3: measured
    against the last letter posted, "We have not sent you a letter about restrictions before
    this one" where none was)."""
    ref = at_state(actors, CaseState.RESTRICTED)
    send_decision(actors[Role.CRM], ref)
    lodge_appeal(actors[Role.OFFICER], ref, TODAY, "The restriction is unfair")
    return ref


def send_decision(crm: Actor, ref: str) -> int:
    """Sign the letter of the restrictions imposed on the case and record it posted today:
    the customer was sent it, and a later decision's letter says what has changed since
    (AF2: measured against what the customer was sent, nothing if nothing was)."""
    from crm_tui import clock
    from crm_tui.domain.letters import LetterKind
    from crm_tui.services.letters import issuing, posting
    from tests.conftest import PASSPHRASE

    issued = database_folder() / "issued"
    letter = issuing.sign_and_export(crm, ref, LetterKind.DECISION, issued,
                                     PASSPHRASE).letter_id
    posting.record_posting(crm, [letter], clock.today(), "first")
    return letter


def send_lifted(crm: Actor, ref: str) -> None:
    """Sign the letter lifting the case's restrictions and record it posted today: the
    customer is told, and the file may be archived."""
    from crm_tui import clock
    from crm_tui.services.letters import posting

    posting.record_posting(crm, [sign_lifted(crm, ref)], clock.today(), "first")


def read(ref: str) -> dict[int, int]:
    """The drafts on the case as a decision maker reads them (id: version)."""
    from crm_tui.db.models import Case
    from crm_tui.services.restrictions import versions

    return versions.current(Case.get(Case.reference == ref))


def consult(actors: dict[Role, Actor], ref: str, view: ConsultationView = ConsultationView.AGREES,
            text: str = "Agree: letter only", ends_on: date = TERMS.ends_on,
            subject: ConsultationSubject = ConsultationSubject.REFERRAL) -> None:
    """The Head of Service records their own view on the drafts as they stand."""
    casework.record_consultation(actors[Role.HEAD_OF_SERVICE], ref, view=view, view_text=text,
                                 subject=subject, proposed_end=ends_on)


def propose(actors: dict[Role, Actor], ref: str, ends_on: date = date(2028, 11, 28),
            reply_by: date = date(2026, 12, 17), *, sign: bool = True) -> None:
    """At a review: the restrictions in force set out again and proposed for longer, comments
    by default by the form's offer (14 working days from the frozen today, Sat 28 Nov 2026);
    with `sign`, its invitation to comment signed the same day (the customer is asked only
    then)."""
    from crm_tui.services.restrictions import builder

    builder.redraft_in_force(actors[Role.CRM], ref)
    # The contact since the restrictions began that the proposal (and its letter) rests on.
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 11, 28, 9, 0), channel=Channel.LETTER, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Third letter this week about the same closed complaint",
        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)))
    review_steps.propose_extension(actors[Role.CRM], ref, "Three letters a week continued",
                                   reply_by, ends_on=ends_on, customer_reason=TOLD)
    if sign:
        sign_invitation(actors[Role.CRM], ref)


def sign_invitation(crm: Actor, ref: str, *, post: bool = True) -> int:
    """Sign the invitation to comment on the open proposal, and post it that day (the
    comment period runs from its posting, and one never posted by the day for comments it
    gives is owed again: fixAL AL4); its register number. `post` False: signed only."""
    from crm_tui import clock
    from crm_tui.domain.letters import LetterKind
    from crm_tui.services.letters import issuing, posting
    from tests.conftest import PASSPHRASE

    issued = database_folder() / "issued"
    number = issuing.sign_and_export(crm, ref, LetterKind.INVITATION, issued,
                                     PASSPHRASE).letter_id
    if post:
        posting.record_posting(crm, [number], clock.today(), "first")
    return number


def consult_no_communication(actors: dict[Role, Actor], ref: str) -> None:
    casework.record_consultation(actors[Role.HEAD_OF_SERVICE], ref, view=ConsultationView.AGREES,
                               view_text="Writing would restart the behaviour",
                               subject=ConsultationSubject.NO_COMMUNICATION)


def reachable(actors: dict[Role, Actor], login: str, telephone: str = "01632 960111",
              email: str = "") -> None:
    """Give a person the direct details a letter naming them as a contact needs."""
    from crm_tui.services.core import direct_details

    direct_details.set_direct_details(actors[Role.USER_ADMIN], login, telephone, email)


def second_of_a_kind(ref: str, kind: RestrictionKind, params: dict[str, object]) -> int:
    """A second draft of a kind the case's first draft holds, stored as older data was
    (before one restriction of each kind was the rule, v15e F2: drafting now refuses it)."""
    import json

    from crm_tui import clock
    from crm_tui.db.models import Case, Restriction

    first = Restriction.get((Restriction.case == Case.get(Case.reference == ref).id)
                            & (Restriction.status == "draft"))
    with as_the_app(ref):
        row = Restriction.create(
            case=first.case, kind=kind.value, parameters=json.dumps(params),
            reason=first.reason, customer_reason=first.customer_reason,
            proportionality=first.proportionality,
            less_restrictive_considered=first.less_restrictive_considered,
            still_reachable=first.still_reachable, behaviours=first.behaviours,
            status="draft", drafted_by=first.drafted_by, drafted_at=clock.now())
    return int(row.id)


def database_folder() -> Path:
    """The test's own folder beside its database: the SQLite file's folder, or on PostgreSQL
    the test's temporary folder (the one its data folder is in)."""
    import os

    from crm_tui.db.dialect import is_sqlite
    from crm_tui.db.models import database_proxy

    if is_sqlite():
        return Path(database_proxy.obj.database).parent
    return Path(os.environ["CRM_TUI_DATA_DIR"]).parent


def appeal_amended(actors: dict[Role, Actor], starts_on: date,
                   ends_on: date = date(2027, 11, 1)) -> str:
    """A case under appeal whose appeal the Service Director upheld in part, amending the
    restrictions to start on `starts_on` (a later day): its outcome letter not yet written.
    Returns the case's reference."""
    ref = at_state(actors, CaseState.UNDER_APPEAL)
    draft(actors, ref, by=Role.CRM)
    decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED, "Upheld in part",
                  DecisionTerms(starts_on=starts_on, ends_on=ends_on), read(ref),
                  customer_reason=TOLD)
    return ref
