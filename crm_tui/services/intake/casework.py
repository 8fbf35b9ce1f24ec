"""From local resolution to consideration: the service area's attempts, the referral, and
the CRM's triage before any decision."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from peewee import fn

from crm_tui import clock
from crm_tui.db import dialect, server_roles
from crm_tui.db.models import (
    Case,
    Consultation,
    Customer,
    Escalation,
    EvidenceItem,
    LocalResolution,
    Referral,
    ServiceArea,
    Tombstone,
    User,
    database_proxy,
)
from crm_tui.domain.categories import BehaviourCategory, to_mask
from crm_tui.domain.equality import store_needs
from crm_tui.domain.errors import (
    PermissionDenied,
    RequirementMissing,
    ValidationError,
    raise_all,
)
from crm_tui.domain.grounds import (
    other_behaviour_problem,
    skipped_local_resolution_problem,
)
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import (
    ConsultationMethod,
    ConsultationSubject,
    ConsultationView,
    how_given_problems,
)
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.proposal import proposed_end_problem
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose, quoted, quoted_cut
from crm_tui.domain.wording import (
    contact_frequency,
    customer_names,
    customer_words,
    postal_address,
    reachable_problem,
    surname_of,
)
from crm_tui.services.core import (
    audit,
    confirmation,
    consulted,
    first_contact,
    scope,
    users,
)
from crm_tui.services.core.case_steps import (
    load_case,
    load_case_for_change,
    move,
    new_reference,
    step,
    summarise,
)
from crm_tui.services.core.database import atomic
from crm_tui.services.core.inputs import CustomerInput, LocalResolutionInput, ReferralInput
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.told import told as told_words
from crm_tui.services.core.told import told_if_given
from crm_tui.services.core.validation import (
    account_text,
    bounded_text,
    grounds_text,
    in_order,
    not_future,
    required_text,
)
from crm_tui.services.intake import (
    contact_rules,
    customer_matches,
    escalations,
    prior_warnings,
    triage_version,
)
from crm_tui.services.letters.letter_content import open_proposal
from crm_tui.services.restrictions import builder, versions
from crm_tui.services.retention.archive import set_destroy_after


def _service_area(name: str) -> ServiceArea:
    area = ServiceArea.get_or_none(ServiceArea.name == name)
    if area is None:
        raise ValidationError("service_area", f"unknown service area {quoted_cut(name)}")
    return area


def customer_checks(data: CustomerInput) -> list[Callable[[], object]]:
    """_customer's checks of a new customer's details, each on its own, so that an imported
    file lists them with its other problems (found when tried, b16e F4: a bad date hid the
    address's and postcode's, which only the save checked)."""
    if data.reference:
        return []
    return [lambda: required_text("customer name", data.name, 200),
            lambda: postal_address(data.address, data.postcode),
            lambda: contact_rules.checked_contact(data.email, data.telephone),
            lambda: bounded_text("personal circumstances", data.personal_circumstances),
            lambda: bounded_text("reasonable adjustments", data.reasonable_adjustments)]


def _customer(actor: Actor, data: CustomerInput) -> Customer:
    if data.reference:  # only one the actor may name (a manager: not another area's)
        return customer_matches.named_customer(actor, data)
    # On a server, of every area's customers (a manager's login reads its own area's alone).
    every = None if dialect.is_sqlite() else server_roles.last_customer(database_proxy.obj)
    if every is None:
        every = (Customer.select(fn.MAX(Customer.id)).scalar(),
                 Tombstone.select(fn.MAX(Tombstone.customer_reference)).scalar())
    last = every[0] or 0
    # Never a destroyed customer's reference again (the highest id comes free when its row
    # is deleted): their tombstone answers for it.
    gone = every[1] or ""
    if gone[1:].isascii() and gone[1:].isdigit():
        last = max(last, int(gone[1:]))
    name = required_text("customer name", data.name, 200)
    address, postcode = postal_address(data.address, data.postcode)
    email, telephone = contact_rules.checked_contact(data.email, data.telephone)
    return Customer.create(
        reference=f"C{last + 1:06d}",
        name=name,
        address="\n".join(address),
        postcode=postcode,
        email=email,
        telephone=telephone,
        personal_circumstances=bounded_text("personal circumstances",
                                            data.personal_circumstances),
        reasonable_adjustments=bounded_text("reasonable adjustments",
                                            data.reasonable_adjustments),
        contact_needs=store_needs(data.contact_needs),
        created_at=clock.now())


def single_point_of_contact(lr: LocalResolutionInput) -> User | None:
    """The single point of contact, chosen from the users: the local-resolution letter gives
    the customer their name and direct details. A name typed in an older import is accepted
    only where it is exactly one active user's name."""
    if lr.spoc.strip():
        user = User.get_or_none((User.login == lr.spoc.strip()) & (User.active == True))  # noqa: E712
        if user is None:
            raise ValidationError("spoc", f"no active user {quoted_cut(lr.spoc.strip())}")
    elif lr.spoc_name.strip():
        named = list(User.select().where((User.name == lr.spoc_name.strip())
                                         & (User.active == True)).limit(2))  # noqa: E712
        if len(named) != 1:
            raise ValidationError("spoc", f"choose the single point of contact from the users "
                                  f"({quoted_cut(lr.spoc_name.strip())} is not one user's name)")
        user = named[0]
    else:
        return None
    problem = reachable_problem(user.name, user.telephone, user.email,
                                as_what="single point of contact")
    if problem:
        raise ValidationError("spoc", problem)
    return user


def _local_resolution(actor: Actor, case: Case, lr: LocalResolutionInput,
                      letter_to_follow: bool) -> None:
    not_future("written_on", lr.written_on)
    in_order("monitoring_start", lr.monitoring_start, "monitoring_end", lr.monitoring_end)
    frequency = contact_frequency(lr.contact_frequency)
    internal = account_text("written_summary", lr.written_summary)
    # The local-resolution letter sets the concerns out in these words.
    told = told_words(case, "customer_summary", lr.customer_summary)
    style = bounded_text("communication_style", lr.communication_style)
    if letter_to_follow:  # the letter prints it as it stands; a referral's is the file's
        style = told_if_given(case, "communication_style", style)
    spoc = single_point_of_contact(lr)
    row = LocalResolution.create(
        case=case, written_on=lr.written_on, written_summary=internal, customer_summary=told,
        spoc=spoc, spoc_name=str(spoc.name) if spoc is not None else "",
        contact_frequency=frequency,
        communication_style=style,
        monitoring_start=lr.monitoring_start, monitoring_end=lr.monitoring_end,
        recorded_by=actor.user_id, recorded_at=clock.now())
    if lr.warned:
        prior_warnings.warned_in_letter(actor, case, row)


def open_local_resolution(actor: Actor, customer: CustomerInput, service_area: str,
                          lr: LocalResolutionInput, *, letter_to_follow: bool = True
                          ) -> CaseSummary:
    """Record a service area's local resolution: the written concern, the way forward and the
    monitoring period. Opens the customer's file. `letter_to_follow`: the app will write the
    local-resolution letter (False when the service area has already written it and refers
    the case now: how it keeps in touch is then the file's record, not words for a letter)."""
    with atomic():
        area = _service_area(service_area)
        new_state = step(actor, Action.OPEN_LOCAL_RESOLUTION, None,
                         service_area_id=area.id)
        person = _customer(actor, customer)
        today = clock.today()
        case = Case.create(reference=new_reference(today), customer=person, service_area=area,
                           state=new_state.value, opened_on=today, state_changed_at=clock.now())
        _local_resolution(actor, case, lr, letter_to_follow)
        move(actor, Action.OPEN_LOCAL_RESOLUTION, case, new_state,
             payload={"monitoring_end": lr.monitoring_end, "warned": lr.warned})
        return summarise(case)


def record_referral(actor: Actor, referral: ReferralInput, *, case_reference: str = "",
                    customer: CustomerInput | None = None,
                    service_area: str = "", audit_extra: dict[str, Any] | None = None
                    ) -> CaseSummary:
    """Refer a customer to the CRM: for a case in local resolution (`case_reference`) or a
    new one (`customer` and `service_area`). `audit_extra`: more for the audit entry (what
    was said of a likely match on record)."""
    with atomic():
        manager = User.get_or_none(User.login == referral.referred_by)
        if manager is None:
            raise ValidationError("referred_by", f"no user {quoted_cut(referral.referred_by)}")
        not_future("received_on", referral.received_on)
        details = account_text("behaviour_details", referral.behaviour_details)
        reason = bounded_text("no_local_resolution_reason", referral.no_local_resolution_reason)
        if case_reference:
            case = load_case(actor, case_reference)
            if reason:
                case.no_local_resolution_reason = reason
            new_state = step(actor, Action.RECORD_REFERRAL, case, "", referral_details=details,
                             no_local_resolution_reason=case.no_local_resolution_reason)
            other = named_behaviours(referral)
            _check_skipped_local_resolution(case, case.no_local_resolution_reason, referral)
        else:
            if customer is None:
                raise ValidationError("customer", "is required for a new referral")
            area = _service_area(service_area)
            new_state = step(actor, Action.RECORD_REFERRAL, None, "", service_area_id=area.id,
                             referral_details=details, no_local_resolution_reason=reason)
            other = named_behaviours(referral)
            _check_skipped_local_resolution(None, reason, referral)
            today = clock.today()
            case = Case.create(reference=new_reference(today), customer=_customer(actor, customer),
                               service_area=area, state=new_state.value, opened_on=today,
                               state_changed_at=clock.now(), no_local_resolution_reason=reason)
        _check_referrer(manager, case, referral.received_on)
        first_contact.not_before("received_on", referral.received_on, case, "a referral")
        if referral.escalation is not None:
            escalations.create(actor, case, referral.escalation)
        case.received_on = referral.received_on
        case.categories = to_mask(referral.categories)
        Referral.create(case=case, referred_by=manager, service_area=case.service_area_id,
                        received_on=referral.received_on, behaviour_details=details,
                        categories=to_mask(referral.categories), other_behaviour=other,
                        other_departments=bounded_text("other_departments",
                                                       referral.other_departments),
                        recorded_at=clock.now())
        move(actor, Action.RECORD_REFERRAL, case, new_state,
             payload={"received_on": referral.received_on, "referred_by": manager.login,
                      "categories": [c.name.lower() for c in referral.categories],
                      **(audit_extra or {})})
        return summarise(case)


def _check_referrer(manager: User, case: Case, received_on: date) -> None:
    """The referral comes from the manager of the service area most affected, after the local
    resolution it follows began (policy: the service area manager refers to the CRM)."""
    if (manager.role != Role.SERVICE_AREA_MANAGER.value
            or manager.service_area_id != case.service_area_id):
        area = ServiceArea.get_by_id(case.service_area_id).name
        raise ValidationError("referred_by", f"{manager.name} is not a service area manager "
                              f"for {area}: the referral comes from the manager of the service "
                              "area most affected")
    began = (LocalResolution.select(fn.MIN(LocalResolution.written_on))
             .where(LocalResolution.case == case).scalar())
    if began is not None:
        began = began if isinstance(began, date) else date.fromisoformat(str(began))
        if received_on < began:
            raise ValidationError("received_on", "a referral cannot be received before the "
                                  "local resolution it follows began, on "
                                  f"{in_prose(began, full_month=True)}")


def summaries(customer: CustomerInput | None, lr: LocalResolutionInput,
              actor: Actor | None = None) -> None:
    """A local resolution's written summary and the concerns as the customer is told them,
    checked before anything is written as `_local_resolution` checks them as it records them
    (round 12: an imported referral's blank customer_summary was told only once its other
    ten problems were put right)."""
    found: list[ValidationError] = []
    try:
        account_text("written_summary", lr.written_summary)
    except ValidationError as exc:
        found.append(exc)
    person = None
    if customer is not None and customer.reference:
        person = Customer.get_or_none(Customer.reference == customer.reference.strip().upper())
        # Another area's customer named by a manager is no one (named_customer refuses it):
        # their name is not read into what the check says.
        if (person is not None and actor is not None and not customer.same_as_match
                and not scope.may_name(actor, person.id)):
            person = None
    name, address = ((str(person.name), str(person.form_of_address)) if person is not None
                     else (customer.name if customer is not None else "", ""))
    try:
        customer_words("customer_summary", lr.customer_summary,
                       names=customer_names(name, address), surname=surname_of(name))
    except ValidationError as exc:
        found.append(exc)
    raise_all(found)


def behaviour_details(referral: ReferralInput) -> None:
    """The referral's account of the behaviour, as record_referral checks it."""
    account_text("behaviour_details", referral.behaviour_details)


def named_behaviours(referral: ReferralInput) -> str:
    """A referral names the behaviour: at least one of the policy's examples, and what it is
    when "other" is ticked. Returns the description of "other" (blank when not ticked)."""
    if not referral.categories:
        raise ValidationError("categories", "a referral must name at least one of the policy's "
                                            "examples of unreasonably persistent or vexatious "
                                            "behaviour (or Other, described)")
    other = bounded_text("other_behaviour", referral.other_behaviour, 2_000)
    problem = other_behaviour_problem(BehaviourCategory.OTHER in referral.categories, other)
    if problem:
        raise ValidationError("other_behaviour", problem)
    return other


def skipped_reason(case_reference: str, referral: ReferralInput) -> None:
    """The reason given for skipping local resolution, checked before anything is written
    (submit_referral checks it again as it records the referral)."""
    reason = bounded_text("no_local_resolution_reason", referral.no_local_resolution_reason)
    case = Case.get_or_none(Case.reference == case_reference) if case_reference else None
    _check_skipped_local_resolution(case, reason, referral)


def _check_skipped_local_resolution(case: Case | None, reason: str,
                                    referral: ReferralInput) -> None:
    """Skipping local resolution needs a real reason (see domain.grounds for the rule)."""
    if case is not None and LocalResolution.select().where(
            LocalResolution.case == case).exists():
        return
    if not reason.strip():
        return  # the lifecycle refuses a referral with neither, in its own words
    escalated = referral.escalation is not None or (case is not None and Escalation.select()
                                                    .where(Escalation.case == case).exists())
    problem = skipped_local_resolution_problem(reason, escalated=escalated)
    if problem:
        raise ValidationError("no_local_resolution_reason", problem)


def _simple_step(actor: Actor, action: Action, reference: str, reason: str = "",
                 seen: int | None = None, since: str = "you opened it") -> CaseSummary:
    with atomic():
        case = load_case(actor, reference)
        triage_version.require_unchanged(case, seen, since)
        new_state = step(actor, action, case, reason)
        move(actor, action, case, new_state, reason)
        return summarise(case)


def begin_consideration(actor: Actor, reference: str, seen: int | None = None) -> CaseSummary:
    """Accept a referral for the CRM's consideration. `seen`: the version of the case the
    screen showed (`c` has no form: triage_version.read_before, as the screen read it), if
    any."""
    return _simple_step(actor, Action.BEGIN_CONSIDERATION, reference, seen=seen,
                        since="your screen showed it")


def request_consultation(actor: Actor, reference: str) -> CaseSummary:
    """Ask the Head of Service for their view."""
    return _simple_step(actor, Action.REQUEST_CONSULTATION, reference)


def return_to_service_area(actor: Actor, reference: str, reason: str,
                           seen: int | None = None) -> CaseSummary:
    """Send the case back for further local resolution. `seen` as for begin_consideration."""
    return _simple_step(actor, Action.RETURN_TO_SERVICE_AREA, reference, reason, seen)


def close_no_action(actor: Actor, reference: str, reason: str,
                    genuine_ongoing_problems: bool = False,
                    seen: int | None = None) -> CaseSummary:
    """Decide no action: e.g. the customer has genuine ongoing or multiple problems. `seen`
    as for begin_consideration."""
    with atomic():
        case = load_case(actor, reference)
        triage_version.require_unchanged(case, seen)
        new_state = step(actor, Action.CLOSE_NO_ACTION, case, reason)
        if genuine_ongoing_problems:
            Customer.update(genuine_ongoing_problems=True).where(
                Customer.id == case.customer_id).execute()
        case.ended_on = clock.today()
        set_destroy_after(case)
        move(actor, Action.CLOSE_NO_ACTION, case, new_state, reason,
             {"genuine_ongoing_problems": genuine_ongoing_problems})
        return summarise(case)


def _proposal_for(case: Case, subject: ConsultationSubject, proposed_end: date | None) -> str:
    """What the view is about: the drafts as they stand and the end put to the Head of
    Service (for an extension, the one the customer was invited to comment on)."""
    if subject is ConsultationSubject.NO_COMMUNICATION:
        if case.state != CaseState.UNDER_REVIEW.value:
            raise ValidationError("subject", "a view on not writing to the customer is given at "
                                  "a review")
        return ""
    if subject is ConsultationSubject.EXTENSION:
        open_one = open_proposal(case)
        if open_one is None or case.state != CaseState.UNDER_REVIEW.value:
            raise RequirementMissing("the Head of Service's view on an extension is given on a "
                                     "proposal the customer was invited to comment on: "
                                     "propose the extension first")
        ends = proposed_end or open_one.ends_on
    else:
        if case.state == CaseState.UNDER_REVIEW.value:
            raise ValidationError("subject", "at a review, the Head of Service is consulted on "
                                  "the proposed extension or on not writing to the customer")
        ends = proposed_end or builder.default_terms().ends_on
    problem = proposed_end_problem(ends, clock.today())
    if problem:
        raise ValidationError("proposed_end", problem)
    if not versions.drafts(case):
        # A view on no restriction is about nothing a decision could rest on: refused here
        # as on the builder's c. A view on drafts that something else still holds up (no
        # evidence of the behaviour, a letter that cannot go) is recorded: the Head of
        # Service may have given it already (by telephone, by email) and the record must
        # hold what was said; the builder asks first, naming what stands in the way, and
        # the decision itself refuses to rest on drafts that cannot be decided (t15d F1).
        raise RequirementMissing("no restriction is set out yet: the Head of Service is "
                                 "consulted on the restrictions proposed (in the builder, "
                                 "a sets one out)")
    return versions.proposal(case, ends).to_json()


def _how_given(actor: Actor, case: Case, method: ConsultationMethod | None,
               evidence_document: int | None) -> tuple[ConsultationMethod, int | None]:
    if actor.role is Role.HEAD_OF_SERVICE:
        return ConsultationMethod.RECORDED_BY_HEAD, None
    for field, problem in how_given_problems(method, evidence_document).items():
        raise ValidationError(field, problem)
    assert method is not None  # how_given_problems asks for it
    if method is ConsultationMethod.EMAIL and evidence_document is not None:
        item = EvidenceItem.get_or_none((EvidenceItem.id == evidence_document)
                                        & (EvidenceItem.case == case))
        if item is None:
            raise ValidationError("evidence_document", f"no document {evidence_document} is "
                                  f"attached to {case.reference}")
        if item.media_type != "message/rfc822" and not str(item.original_name).lower().endswith(
                (".eml", ".msg")):
            raise ValidationError("evidence_document", f"{item.original_name} is not an email: "
                                  "attach the Head of Service's email itself (.eml)")
        return method, evidence_document
    return method, None


def _check_about_these(case: Case, subject: ConsultationSubject, proposal: str, when: date,
                       head: User, how: ConsultationMethod) -> None:
    """A view is about the restrictions as they stand: it cannot be dated before they were
    last changed, and a view the Head of Service recorded themselves on these same
    restrictions stands until they record another (the CRM cannot replace it with one given
    to them)."""
    changed = versions.last_changed(case)
    if changed is not None and when < changed.date():
        raise ValidationError("consulted_on", "the view cannot be dated before the restrictions "
                              f"it is about were last changed, on {changed.day} "
                              f"{changed:%B %Y}")
    if how is ConsultationMethod.RECORDED_BY_HEAD:
        return
    own = consulted.latest(case, subject)
    given = consulted.info(own).proposal if own is not None else None
    if (own is not None and own.method == ConsultationMethod.RECORDED_BY_HEAD.value
            and given is not None and dict(given.versions) == dict(versions.current(case))):
        raise ValidationError("consultee", f"{own.consultee.name} recorded their own view on "
                              "these restrictions on "
                              f"{in_prose(own.consulted_on, full_month=True)}: it stands until "
                              "they record another themselves")


def record_consultation(actor: Actor, reference: str, *, view: ConsultationView,
                        view_text: str, subject: ConsultationSubject = ConsultationSubject.REFERRAL,
                        consultee: str | None = None,
                        consulted_on: date | None = None,
                        method: ConsultationMethod | None = None,
                        evidence_document: int | None = None,
                        proposed_end: date | None = None,
                        opening: Callable[[], object] | None = None) -> CaseSummary:
    """Record the Head of Service's view on `subject`. The Head of Service records their own;
    the CRM may record a view given to them, naming the Head of Service and how it was given
    (`method`; an email view is attached as evidence, `evidence_document`). The view is about
    the restrictions as they stand now, ending by `proposed_end` (for a decision to restrict,
    by default the usual two years from today; for an extension, the end the customer was
    invited to comment on). `opening`: a step taken first, in the same transaction, undone
    with the view if it is refused (a review session opens the case's review: the view on not
    writing is given at a review)."""
    with atomic():
        if opening is not None:
            opening()
        case = load_case(actor, reference)
        # A view that is no view ("n/a") refused at its own field, as the step would refuse it.
        text = grounds_text("view_text", view_text)
        new_state = step(actor, Action.RECORD_CONSULTATION, case, text)
        login = consultee or actor.login
        head = User.get_or_none(User.login == login)
        if head is None or head.role != Role.HEAD_OF_SERVICE.value:
            raise ValidationError("consultee", f"{quoted(login)} is not a Head of Service user")
        if actor.role is Role.HEAD_OF_SERVICE and head.id != actor.user_id:
            raise PermissionDenied("a Head of Service records only their own view")
        if users.took_part_as(head.id, case.reference, frozenset({Role.CRM})):
            # A person who acted as this case's CRM and now holds the Head of Service role
            # cannot be the independent view on it.
            raise PermissionDenied(f"{head.name} acted on this case as its Complaints "
                                   "Resolution Manager and cannot give the Head of "
                                   "Service's view on it")
        when = consulted_on if consulted_on is not None else clock.today()
        not_future("consulted_on", when)
        referral = (Referral.select().where(Referral.case == case)
                    .order_by(Referral.received_on.desc()).first())
        if referral is not None and when < referral.received_on:
            raise ValidationError("consulted_on", "the Head of Service's view cannot be dated "
                                  "before the referral was received on "
                                  f"{in_prose(referral.received_on, full_month=True)}")
        how, document = _how_given(actor, case, method, evidence_document)
        proposal = _proposal_for(case, subject, proposed_end)
        if proposal:
            _check_about_these(case, subject, proposal, when, head, how)
        # Confirmed by whoever records it: the Head of Service, or the CRM vouching for the
        # view given to them.
        with confirmation.confirmed(actor):
            row = Consultation.create(
                case=case, subject=subject.value, consultee=head, view=view.value,
                view_text=text, consulted_on=when, recorded_by=actor.user_id,
                recorded_at=clock.now(), proposal=proposal, method=how.value,
                evidence_document=document)
            move(actor, Action.RECORD_CONSULTATION, case, new_state, text,
                 {"subject": subject.value, "view": view.value, "consultee": head.login,
                  "consultation": row.id, "method": how.value, "evidence_document": document,
                  "consulted_on": when, "about": json.loads(proposal) if proposal else None})
        return summarise(case)


def assign(actor: Actor, reference: str, officer_login: str,
           seen: int | None = None) -> CaseSummary:
    """Assign a case to a member of the Complaints Resolution Team. `seen` as for
    begin_consideration."""
    with atomic():
        require(actor, Capability.ASSIGN_CASES)
        case = load_case_for_change(actor, reference)
        triage_version.require_unchanged(case, seen)
        officer = User.get_or_none(User.login == officer_login)
        if officer is None or officer.role not in (Role.CRM.value, Role.OFFICER.value):
            raise ValidationError("officer", f"{quoted(officer_login)} is not in the team")
        case.assigned_to = officer
        case.save()
        audit.record(actor, "assign", case.reference, payload={"officer": officer.login})
        return summarise(case)
