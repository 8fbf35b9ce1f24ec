"""A whole referral as the policy asks for it — the referring manager, the behaviour, the
local-resolution attempts, the evidence and other departments affected — recorded in one go,
from the form or from an imported file: all of it lands or none of it does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case, EvidenceItem, EvidenceLink, Referral, User
from crm_tui.domain.errors import (
    DomainError,
    NotKnown,
    PermissionDenied,
    Problems,
    ValidationError,
    raise_all,
)
from crm_tui.domain.lifecycle import Action, role_refusal
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.scope import referrer_problem
from crm_tui.domain.typed_dates import quoted_cut
from crm_tui.domain.wording import contact_frequency
from crm_tui.services.core import audit, leftovers, scope
from crm_tui.services.core.case_steps import load_case, summarise
from crm_tui.services.core.database import atomic
from crm_tui.services.core.evidence_store import EvidenceStore, StoredFile, evidence_store
from crm_tui.services.core.inputs import CustomerInput, LocalResolutionInput, ReferralInput
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.core.validation import in_order, not_future
from crm_tui.services.evidence.documents import attach
from crm_tui.services.intake import casework, customer_matches


@dataclass(frozen=True)
class ReferralSubmission:
    service_area: str
    referral: ReferralInput
    customer: CustomerInput | None = None
    case_reference: str = ""  # a case already in local resolution
    local_resolution: LocalResolutionInput | None = None
    evidence: tuple[Path, ...] = field(default_factory=tuple)


def _check_manager(login: str, service_area: str) -> None:
    from crm_tui.db.models import ServiceArea

    # Both at once: an unknown service area does not hide an unknown manager.
    found: list[ValidationError] = []
    known = ServiceArea.select().where(ServiceArea.name == service_area).exists()
    if not known:
        found.append(ValidationError("service_area",
                                     f"unknown service area {quoted_cut(service_area)}"))
    manager = User.get_or_none(User.login == login)
    if manager is None or not manager.active:
        found.append(ValidationError("referred_by", f"no user {quoted_cut(login)}"))
    elif known:
        problem = referrer_problem(manager.name, Role(manager.role), _area_of(manager),
                                   service_area)
        if problem:
            found.append(ValidationError("referred_by", problem))
    raise_all(found)


def _area_of(user: User) -> str | None:
    return user.service_area.name if user.service_area is not None else None


def submission_problems(actor: Actor, submission: ReferralSubmission,
                        store: EvidenceStore | None = None) -> list[ValidationError]:
    """Every problem of a submission that can be found before anything is written, each
    check run on its own (submit_referral stops at the first), so that an imported file is
    put right in one go. The checks are submit_referral's own; a role that records no
    referral is refused first, alone (PermissionDenied)."""
    refused = role_refusal(actor, Action.RECORD_REFERRAL)
    if refused:
        raise PermissionDenied(refused)
    store = store or evidence_store()
    referral, lr = submission.referral, submission.local_resolution
    checks: list[Callable[[], object]] = [
        lambda: _check_manager(referral.referred_by, submission.service_area),
        lambda: not_future("received_on", referral.received_on),
        lambda: casework.named_behaviours(referral),
        lambda: casework.behaviour_details(referral),
        *(casework.customer_checks(submission.customer) if submission.customer else [])]
    if not submission.case_reference:
        checks.append(lambda: customer_matches.check_new_customer(submission.customer,
                                                                   actor))
    else:
        checks.append(lambda: _known_case(actor, submission.case_reference))
    if lr is not None:
        checks += [lambda: casework.summaries(submission.customer, lr, actor),
                   lambda: not_future("written_on", lr.written_on),
                   lambda: in_order("monitoring_start", lr.monitoring_start,
                                    "monitoring_end", lr.monitoring_end),
                   lambda: contact_frequency(lr.contact_frequency),
                   lambda: casework.single_point_of_contact(lr)]
    else:
        checks.append(lambda: casework.skipped_reason(submission.case_reference, referral))
    checks += [partial(store.check, path) for path in submission.evidence]
    found: list[ValidationError] = []
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            found += exc.found if isinstance(exc, Problems) else [exc]
    return found


def _known_case(actor: Actor, reference: str) -> None:
    """A case reference that names no case, said at its own field with the rest (v15i N2:
    said alone once the rest was put right, under the escalation's "reference")."""
    try:
        load_case(actor, reference)
    except NotKnown as exc:
        raise NotKnown("case_reference", exc.message) from None


def submit_referral(actor: Actor, submission: ReferralSubmission,
                    store: EvidenceStore | None = None) -> CaseSummary:
    """Record the referral. Raises ValidationError naming the field, or another DomainError;
    then nothing is stored, evidence files included."""
    store = store or evidence_store()
    refused = role_refusal(actor, Action.RECORD_REFERRAL)
    if refused:  # said before a file is copied (and again below, in the transaction)
        raise PermissionDenied(refused)
    # Marked at work while its files are copied in: a start meanwhile (another person's)
    # does not take them for a killed run's leftovers.
    with leftovers.running(store):
        return _submit(actor, submission, store)


def _submit(actor: Actor, submission: ReferralSubmission, store: EvidenceStore) -> CaseSummary:
    stored: list[StoredFile] = []
    try:
        # The files are copied into the store first, outside the write lock: large evidence
        # does not keep others from saving while it is copied. The records then land in one
        # short transaction; if they do not, the files copied for them are removed below.
        # A file refused is said after the records' own problems, as a person reads the form.
        file_problem: DomainError | OSError | None = None
        try:
            for path in submission.evidence:
                stored.append(store.store(path))
        except (DomainError, OSError) as exc:
            file_problem = exc
        with atomic():
            # Refused by role first, in the words the inbox gives at n and I: a referral for
            # a new customer otherwise met "may not open a local resolution" further in.
            refused = role_refusal(actor, Action.RECORD_REFERRAL)
            if refused:
                raise PermissionDenied(refused)
            _check_manager(submission.referral.referred_by, submission.service_area)
            # Never a second record for a person on record unless someone said so.
            matches = [] if submission.case_reference else \
                customer_matches.check_new_customer(submission.customer, actor)
            said = customer_matches.audit_payload(submission.customer, matches)
            if submission.case_reference:
                summary = casework.record_referral(actor, submission.referral,
                                                 case_reference=submission.case_reference)
            elif submission.local_resolution is not None:
                if submission.customer is None:
                    raise ValidationError("customer", "is required")
                opened = casework.open_local_resolution(
                    actor, submission.customer, submission.service_area,
                    submission.local_resolution, letter_to_follow=False)
                summary = casework.record_referral(actor, submission.referral,
                                                 case_reference=opened.reference,
                                                 audit_extra=said)
            else:
                summary = casework.record_referral(actor, submission.referral,
                                                 customer=submission.customer,
                                                 service_area=submission.service_area,
                                                 audit_extra=said)
            case = Case.get(Case.reference == summary.reference)
            referral = (Referral.select().where(Referral.case == case)
                        .order_by(Referral.id.desc()).get())
            if file_problem is not None:
                raise file_problem  # the records roll back with it
            for item in stored:
                document = attach(actor, case, item, "Submitted with the referral")
                _link_to_referral(actor, case, referral, document)
            return summarise(case)
    except BaseException:
        for item in stored:
            # Kept if a record of another case holds the same content (stored meanwhile).
            if not EvidenceItem.select().where(EvidenceItem.sha256 == item.sha256).exists():
                store.discard(item)
        raise


def _link_to_referral(actor: Actor, case: Case, referral: Referral,
                      document: EvidenceItem) -> None:
    """A document sent with the referral is the referral's evidence: linked to it at once,
    so that a restriction can rest on it (k in the builder) without linking it by hand."""
    if EvidenceLink.select().where((EvidenceLink.referral == referral)
                                   & (EvidenceLink.document == document)).exists():
        return
    EvidenceLink.create(case=case, document=document, referral=referral,
                        linked_by=actor.user_id, linked_at=clock.now())
    audit.record(actor, "link_evidence", case.reference,
                 payload={"document": int(document.id), "referral": int(referral.id)})


@dataclass(frozen=True)
class FormOptions:
    managers: list[tuple[str, str]]  # (login, "Name — Title (area)")
    in_local_resolution: list[tuple[str, str]]  # (case reference, "ref — customer")
    service_areas: list[str]
    # (login, "Name, title (telephone, email)"): who may be the single point of contact.
    contacts: list[tuple[str, str]] = field(default_factory=list)
    # login -> (name, role, the area they manage): what referrer_problem reads in the form.
    referrers: dict[str, tuple[str, Role, str | None]] = field(default_factory=dict)


def form_options(actor: Actor) -> FormOptions:
    """What the referral form offers: referring managers, cases in local resolution, areas."""
    from crm_tui.db.models import Customer, ServiceArea
    from crm_tui.domain.states import CaseState

    managers = []
    referrers: dict[str, tuple[str, Role, str | None]] = {}
    # Service area managers refer; the team may record a referral made to them directly.
    people = User.select().where((User.active == True)  # noqa: E712
                                 & User.role.in_([Role.SERVICE_AREA_MANAGER.value,
                                                  Role.CRM.value, Role.OFFICER.value]))
    ordered = sorted(people, key=lambda u: (u.role != Role.SERVICE_AREA_MANAGER.value, u.name))
    for u in ordered:
        if actor.role is Role.SERVICE_AREA_MANAGER and u.id != actor.user_id:
            continue
        area = f" ({u.service_area.name})" if u.service_area is not None else ""
        managers.append((u.login, f"{u.name} — {u.title or Role(u.role).label}{area}"))
        referrers[u.login] = (u.name, Role(u.role), _area_of(u))
    cases = Case.select(Case, Customer).join(Customer).where(
        (Case.state == CaseState.LOCAL_RESOLUTION.value) & scope.visible(actor)
    ).order_by(Case.reference)
    in_lr = [(c.reference, f"{c.reference} — "
                           f"{c.customer.name if c.customer else ''} (local resolution)")
             for c in cases]
    areas = [a.name for a in ServiceArea.select().order_by(ServiceArea.name)]
    from crm_tui.services.core.direct_details import contactable

    return FormOptions(managers, in_lr, areas, [(c.login, c.label) for c in contactable()],
                       referrers)
