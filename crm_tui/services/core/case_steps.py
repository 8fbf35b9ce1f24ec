"""What every step in a case's life shares: loading, the facts the rules need, the move
itself with its audit entry, and the summary handed back to the screens."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from peewee import fn

from crm_tui import clock
from crm_tui.db import dialect, server_roles
from crm_tui.db.models import (
    AuditEntry,
    Case,
    Consultation,
    Decision,
    LocalResolution,
    Referral,
    Restriction,
    Tombstone,
    User,
    database_proxy,
)
from crm_tui.domain import lifecycle
from crm_tui.domain.characters import control_problem
from crm_tui.domain.errors import (
    Destroyed,
    NotKnown,
    PermissionDenied,
    ValidationError,
    raise_all,
)
from crm_tui.domain.lifecycle import Action, CaseFacts
from crm_tui.domain.outcomes import ConsultationSubject
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.scope import check_change, unseen_reason
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose, quoted_cut
from crm_tui.services.core import area_names, audit, comments_in, next_step, scope, settings
from crm_tui.services.core.consulted import fresh_consultations
from crm_tui.services.core.in_force import applying_on, case_starts_after
from crm_tui.services.core.restriction_status import DRAFT, IN_FORCE
from crm_tui.services.core.told import told as told_words

if TYPE_CHECKING:
    from crm_tui.services.core.results import CaseSummary


def load_case(actor: Actor, reference: str) -> Case:
    case = Case.get_or_none(Case.reference == reference.strip().upper())
    if case is None or case.state == CaseState.DESTROYED:
        gone = destroyed(reference.strip().upper())
        if gone:
            raise Destroyed(gone)
        if case is None and not dialect.is_sqlite() and server_roles.case_on_record(
                database_proxy.obj, reference.strip().upper()):
            # Another area's case, which a manager's server login cannot read (row-level
            # security): refused as on a file, below, not said to be unknown.
            raise PermissionDenied(unseen_reason(actor))
        # What was typed names no case (exit 2 on the command line, as an unknown customer
        # does); a case outside the actor's scope stays a refusal (below).
        raise NotKnown("reference", f"no case {quoted_cut(reference.strip())}")
    if not scope.may_see(actor, case):
        raise PermissionDenied(unseen_reason(actor))
    return case


def destroyed(reference: str) -> str:
    """"UPV-2019-0002 was destroyed by Ceri Hughes at 06:58 on 5 Dec 2026: only its
    tombstone remains" ("" if no file of that reference was destroyed): from its tombstone
    and the audit entry that recorded it, which keep no personal data of the customer."""
    stone = Tombstone.get_or_none(Tombstone.case_reference == reference)
    if stone is None:
        return ""
    entry = (AuditEntry.select().where((AuditEntry.case_reference == reference)
                                       & (AuditEntry.action == Action.DESTROY.value))
             .order_by(AuditEntry.seq.desc()).first())
    login = entry.actor_login if entry is not None else stone.destroyed_by
    person = User.get_or_none(User.login == login)
    who = person.name if person is not None and person.name else login
    when = f"on {in_prose(stone.destroyed_on)}"
    if entry is not None:
        try:
            moment = datetime.fromisoformat(entry.at)
            when = f"at {moment:%H:%M} on {in_prose(moment)}"
        except ValueError:
            pass
    return f"{reference} was destroyed by {who} {when}: only its tombstone remains"


def load_case_for_change(actor: Actor, reference: str) -> Case:
    """Open a case to change it: as load_case, and refused if its file is archived (only
    the retention steps change an archived file; audit.record refuses the rest too)."""
    case = load_case(actor, reference)
    check_change(case.reference, CaseState(case.state), "change")
    return case


def require_file_open(case_id: int | None) -> None:
    """Refuse a change to a record that belongs to an archived file, reached some other way
    (a customer's contact logged on their archived case, seen from a newer case)."""
    if case_id is None:
        return
    row = Case.select(Case.reference, Case.state).where(Case.id == case_id).first()
    if row is not None:
        check_change(row.reference, CaseState(row.state), "change")


def gather_facts(case: Case) -> CaseFacts:
    subjects = {c.subject for c in fresh_consultations(case)}
    under_appeal = (Decision.select().where(Decision.case == case)
                    .order_by(Decision.decided_at.desc(), Decision.id.desc()).first())
    participants: set[int] = set()
    if under_appeal is not None:
        participants.add(under_appeal.decided_by_id)
        consulted = Consultation.select().where(
            (Consultation.case == case) & (Consultation.recorded_at <= under_appeal.decided_at))
        participants.update(c.consultee_id for c in consulted)
        # Whoever acted on the case as its CRM or Head of Service took part in its decisions,
        # whatever role they hold now: checked by person, over their role history.
        took_part = (AuditEntry.select(AuditEntry.actor_login).distinct().where(
            (AuditEntry.case_reference == case.reference)
            & AuditEntry.actor_role.in_([Role.CRM.value, Role.HEAD_OF_SERVICE.value])))
        participants.update(u.id for u in User.select(User.id).where(
            User.login.in_([e.actor_login for e in took_part])))
    extension = (case.reply_by is not None)
    return CaseFacts(
        today=clock.today(),
        service_area_id=case.service_area_id,
        has_local_resolution=LocalResolution.select().where(
            LocalResolution.case == case).exists(),
        no_local_resolution_reason=case.no_local_resolution_reason,
        # A view on not writing to the customer is no view on restricting them.
        consultation_recorded=ConsultationSubject.REFERRAL.value in subjects,
        no_communication_consultation=ConsultationSubject.NO_COMMUNICATION.value in subjects,
        drafted_restrictions=Restriction.select().where(
            (Restriction.case == case) & (Restriction.status == DRAFT)).count(),
        extension_proposed=extension,
        comments_by=comments_in.comments_by(case),
        restrictions_end=case.restrictions_end,
        destroy_after=case.destroy_after,
        ended_on=case.ended_on,
        retention_years=settings.current().retention_years,
        decision_participants=frozenset(participants),
    )


def refresh_next_action(case: Case) -> None:
    """Set the case's next action from its facts (next_step: the one rule)."""
    next_step.refresh(case)


def step(actor: Actor, action: Action, case: Case | None, reason: str = "", *,
         facts: CaseFacts | None = None, **overrides: Any) -> CaseState:
    """Check a step against the rules and return the state it leads to (nothing saved)."""
    # Every step's reason goes into the trail: the one text check, here once for them all
    # (t16 F0: a reason holding ESC[2J, once stored, blanked the audit screen).
    if problem := control_problem(reason):
        raise ValidationError("reason", problem)
    if case is not None:
        check_change(case.reference, CaseState(case.state), action.value)
    base = facts or (gather_facts(case) if case is not None else CaseFacts(today=clock.today()))
    if overrides:
        base = replace(base, **overrides)
    state = CaseState(case.state) if case is not None else None
    return lifecycle.check(action, actor, state, base, reason)


def step_told(actor: Actor, action: Action, case: Case, reason: str, customer_reason: str,
              *, facts: CaseFacts | None = None, writes: bool = True) -> tuple[CaseState, str]:
    """The step checked as `step` does, with the words the customer is told
    ("customer_reason"; `writes`: whether a letter tells them anything): every problem of
    what was typed at once, a reason that is no reason and the customer's words together."""
    found: list[ValidationError] = []
    new_state: CaseState | None = None
    told = ""
    try:
        new_state = step(actor, action, case, reason, facts=facts)
    except ValidationError as exc:
        found.append(exc)
    if writes:
        try:
            told = told_words(case, "customer_reason", customer_reason)
        except ValidationError as exc:
            found.append(exc)
    raise_all(found)
    assert new_state is not None  # a refusal was raised above
    return new_state, told


def move(actor: Actor, action: Action, case: Case, new_state: CaseState, reason: str = "",
         payload: dict[str, Any] | None = None) -> None:
    """Save the case in its new state and append the audit entry, in the caller's
    transaction."""
    check_change(case.reference, CaseState(case.state), action.value)
    case.state = new_state.value
    case.state_changed_at = clock.now()
    refresh_next_action(case)
    case.save()
    reindex(case)
    audit.record(actor, action.value, case.reference, reason, payload)


def reindex(case: Case) -> None:
    """Refresh the case's search document: reference, customer and referral text."""
    customer = case.customer
    texts = [case.reference]
    if customer is not None:
        texts += [customer.reference, customer.name]
    for referral in Referral.select(Referral.behaviour_details, Referral.other_departments).where(
            Referral.case == case):
        texts += [referral.behaviour_details, referral.other_departments]
    dialect.index_case(database_proxy.obj, case.id, " ".join(texts))


def in_force_kinds(case: Case) -> tuple[RestrictionKind, ...]:
    """The kinds of restriction in force today by the one rule (domain.in_force.applies_on):
    one decided to start on a later day is not among them (v15j P1: `crm-tui cases` listed
    an amendment's restrictions months before they started)."""
    rows = Restriction.select(Restriction.kind).where(
        (Restriction.case == case) & (Restriction.status == IN_FORCE)
        & applying_on(clock.today()))
    return tuple(sorted({RestrictionKind(r.kind) for r in rows}))


def starting_kinds(case: Case) -> tuple[RestrictionKind, ...]:
    """The kinds decided to start on a later day, while none is in force (in_force.
    case_starts_after): what a screen names as decided, not in force ("" when some are)."""
    if not case_starts_after(case, clock.today()):
        return ()
    rows = Restriction.select(Restriction.kind).where(
        (Restriction.case == case) & (Restriction.status == IN_FORCE)
        & (Restriction.starts_on > clock.today()))
    return tuple(sorted({RestrictionKind(r.kind) for r in rows}))


def summarise(case: Case) -> CaseSummary:
    from crm_tui.services.core.results import CaseSummary  # made when first asked for

    customer = case.customer
    kinds = in_force_kinds(case)
    starting = () if kinds else starting_kinds(case)
    return CaseSummary(
        reference=case.reference,
        customer_reference=customer.reference if customer else "",
        customer_name=customer.name if customer else "",
        # As the trail sealed it: a name edited in the database is not shown as fact.
        service_area=area_names.shown_name(case.service_area_id),
        state=CaseState(case.state),
        assigned_to=case.assigned_to.name if case.assigned_to is not None else None,
        opened_on=case.opened_on,
        restriction_kinds=kinds,
        review_due=case.review_due,
        restrictions_end=case.restrictions_end,
        next_action=case.next_action,
        next_action_due=case.next_action_due,
        starting_kinds=starting,
        starts_on=case.restrictions_start if starting else None,
    )


def new_reference(opened_on: date) -> str:
    prefix = f"UPV-{opened_on.year}-"
    # Of every area's cases: on a server, a manager's login sees its own area's alone (its
    # row-level security), and the server's function (server_roles) sees past it.
    every_area = None if dialect.is_sqlite() else server_roles.last_case_reference(
        database_proxy.obj, prefix)
    if every_area is None:
        every_area = (Case.select(fn.MAX(Case.reference))
                      .where(Case.reference.startswith(prefix)).scalar() or "")
    # A destroyed file's reference stays taken: its tombstone still answers to it.
    last = max(
        every_area,
        (Tombstone.select(fn.MAX(Tombstone.case_reference))
         .where(Tombstone.case_reference.startswith(prefix)).scalar() or ""))
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def to_json(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False, sort_keys=True)
