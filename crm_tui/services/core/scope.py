"""The one narrowing every read of cases passes through: what the acting person may see
(domain/scope.py says who sees what). A query that lists, counts or searches cases, or
anything hanging off a case (letters, restrictions, calendar dates, audit entries), adds
`visible(actor)`; a single case is opened with case_steps.load_case, which asks `may_see`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from peewee import Expression

from crm_tui.db.models import Case, ContactLogEntry, Customer, ServiceArea, Tombstone
from crm_tui.domain.errors import NotFound, NotKnown
from crm_tui.domain.roles import Actor
from crm_tui.domain.scope import case_scope, unseen_reason
from crm_tui.domain.typed_dates import quoted_cut


def visible(actor: Actor) -> Expression:
    """A condition on Case true for exactly the cases the actor may read."""
    scope = case_scope(actor)
    if scope.everything:
        return Case.id.is_null(False)
    if scope.service_area_id is None:
        return Case.id.is_null()
    return Case.service_area == scope.service_area_id


def cases(actor: Actor) -> Any:
    """Case.select() narrowed to the actor's cases."""
    return Case.select().where(visible(actor))


def references(actor: Actor) -> Any:
    """A subquery of the references of the cases the actor may read."""
    return Case.select(Case.reference).where(visible(actor))


def visible_contacts(actor: Actor) -> Expression:
    """A condition on ContactLogEntry true for the contacts the actor may read. A customer's
    contact log is theirs across cases, and a manager's case of a customer with another
    area's case would list that area's contacts (v16h H0): to a manager, only those of their
    own area's cases, and those logged for their area on no case."""
    scope = case_scope(actor)
    if scope.everything:
        return ContactLogEntry.id.is_null(False)
    if scope.service_area_id is None:
        return ContactLogEntry.id.is_null()
    return (ContactLogEntry.case.in_(Case.select(Case.id).where(visible(actor)))
            | (ContactLogEntry.case.is_null()
               & (ContactLogEntry.service_area == scope.service_area_id)))


def case_contact(actor: Actor, case: Case, contact_id: int) -> ContactLogEntry:
    """One of the case's customer's logged contacts, by its id, for a step on the case
    (tagging it, linking it, correcting it, checking it): one the actor may read
    (visible_contacts), or refused as no contact at all. A customer's contacts are theirs
    across cases, so a manager's case of a customer with another area's case would reach
    that area's contacts by their ids (fixBO: a Housing manager tagged and corrected a
    Council Tax case's contact); it is the same refusal as for an id that does not exist, so
    that it does not even say one does."""
    row: ContactLogEntry | None = ContactLogEntry.get_or_none(
        (ContactLogEntry.id == contact_id) & (ContactLogEntry.customer == case.customer_id)
        & visible_contacts(actor))
    if row is None:
        raise NotFound(f"no contact {contact_id} on {case.reference}")
    return row


def may_see(actor: Actor, case: Case) -> bool:
    return case_scope(actor).includes(case.service_area_id)


def unseen(actor: Actor, references: Iterable[str]) -> dict[str, str]:
    """Which of these cases the actor may not see, each with why (a screen showing one is
    closed when the person acting changes)."""
    wanted = sorted({r for r in references if r})
    rows = Case.select(Case.reference, Case.service_area).where(Case.reference.in_(wanted))
    return {row.reference: unseen_reason(actor) for row in rows if not may_see(actor, row)}


def visible_tombstones(actor: Actor) -> Expression:
    """A condition on Tombstone for the destroyed files of the cases the actor could read (a
    tombstone keeps its service area's name, and nothing personal)."""
    scope = case_scope(actor)
    if scope.everything:
        return Tombstone.id.is_null(False)
    return Tombstone.service_area.in_(
        ServiceArea.select(ServiceArea.name).where(ServiceArea.id == scope.service_area_id))


def may_name(actor: Actor, customer_id: int) -> bool:
    """Whether the actor may reach this customer by their reference: anyone who reads every
    case; a service area manager, a customer with a case in their own area (another area's
    customer is no one to them, so that a reference they know is no way in, and what they
    are told does not even say it exists)."""
    if case_scope(actor).everything:
        return True
    return bool(Case.select().where((Case.customer == customer_id) & visible(actor)).exists())


def find_customer(actor: Actor, reference: str) -> Customer:
    """The person by their customer reference (C000007), or by one of their cases'
    reference: one the actor may name (may_name), or the same refusal as for no one."""
    typed = reference.strip().upper()
    customer = Customer.get_or_none(Customer.reference == typed)
    if customer is not None and not may_name(actor, customer.id):
        customer = None
    if customer is None:
        case = cases(actor).where(Case.reference == typed).first()
        if case is None or case.customer_id is None:
            # By the file's reference, or by the customer's whose last file it was: the same
            # answer either way (issue 16).
            gone = Tombstone.get_or_none(((Tombstone.case_reference == typed)
                                          | ((Tombstone.customer_reference == typed)
                                             & (Tombstone.customer_reference != "")))
                                         & visible_tombstones(actor))
            if gone is not None:  # a fact of the rules, not a typing error (exit 1)
                raise NotFound(f"{gone.case_reference} was destroyed on "
                               f"{gone.destroyed_on.day} "
                               f"{gone.destroyed_on:%b %Y}: only its tombstone is kept, "
                               "which holds nothing about the person")
            # What was typed names no one this person may see (exit 2 on the command line).
            raise NotKnown("customer", f"no customer or case {quoted_cut(reference.strip())}")
        customer = Customer.get_by_id(case.customer_id)
    return customer
