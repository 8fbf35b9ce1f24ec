"""How a customer is written to: the form of address they have given ("Mr Penhaligon"), the
language an interpreter or translation is offered in, and the print size they need. Letters
read these; the case file shows them beside the contact needs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from crm_tui.db.models import Case, Customer, Letter
from crm_tui.domain.errors import Problems, ValidationError, raise_all
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.wording import postal_address
from crm_tui.services.core import archived_customer, audit, changes, stale
from crm_tui.services.core.case_steps import load_case, load_case_for_change
from crm_tui.services.core.database import atomic
from crm_tui.services.core.posting_dates import moved, no_longer_sent
from crm_tui.services.core.validation import bounded_text
from crm_tui.services.intake import contact_rules

# Points: 12 is the smallest large print; above 24 an A4 letter cannot keep a line of an
# address or a sign-off whole (found when tried), so a larger need is met by the accessible
# copy, which the customer's own device shows at any size.
PRINT_SIZES = range(12, 25)
# A form of address is words and initials as they follow "Dear": no notes, markup or numbers.
_ADDRESS = re.compile(r"^[A-ZÀ-ɏ][^\W\d_]*\.?(?:[ '\-][^\W\d_]+\.?)*$")
_LANGUAGE = re.compile(r"^[^\W\d_]+(?:[ '\-()][^\W\d_]+\)?)*$")


@dataclass(frozen=True)
class CustomerDetails:
    form_of_address: str  # "" : the letter addresses them by title and surname from the name
    language: str  # "" : none recorded
    large_print_pt: int | None  # None: the standard size
    # The customer's record as read (customer.version): saved back with the change, so that a
    # change made meanwhile by someone else is not overwritten unseen. Not part of the value.
    version: int = field(default=0, compare=False)


def _read(customer: Customer) -> CustomerDetails:
    return CustomerDetails(customer.form_of_address, customer.language,
                           customer.large_print_pt, int(customer.version))


# What changes a customer's record, for saying who changed it since it was read.
CHANGES = ("set_customer_details", "set_customer_contact", "set_contact_needs")


def require_as_read(customer: Customer, reference: str, read_version: int | None,
                    now: dict[str, str]) -> None:
    """Refuse a change to the customer's record made from a view of an earlier version."""
    stale.require_current("customer's record", read_version, int(customer.version), reference,
                          CHANGES, lambda p: p.get("customer") in (None, customer.reference),
                          now)


def _values(details: object) -> dict[str, object]:
    """The values of the record, for the audit trail (its version is no value of it)."""
    return {k: v for k, v in vars(details).items() if k != "version"}


def _differs(now: object, saving: object, labels: dict[str, str]) -> dict[str, str]:
    return {label: stale.shown(getattr(now, name)) for name, label in labels.items()
            if getattr(now, name) != getattr(saving, name)}


def _merged(customer: Customer, reference: str, opened: object, wanted: object, now: object,
            labels: dict[str, str]) -> dict[str, Any]:
    """The fields to save: the editor's changes since `opened`, the rest as they stand now;
    refused (StaleEdit) only for a field someone else changed too."""
    def fields(values: object) -> dict[str, object]:
        return {name: getattr(values, name) for name in labels}
    return stale.merged("customer's record", fields(opened), fields(wanted), fields(now),
                        labels, reference, CHANGES,
                        lambda p: p.get("customer") in (None, customer.reference))


_DETAILS = {"form_of_address": "the form of address", "language": "the language",
            "large_print_pt": "the print size"}
_CONTACT = {"address": "the address", "postcode": "the postcode", "email": "the email",
            "telephone": "the telephone"}


def details(actor: Actor, reference: str) -> CustomerDetails:
    case = load_case(actor, reference)
    return _read(archived_customer.shown(case) or Customer.get_by_id(case.customer_id))


def _checked(wanted: CustomerDetails) -> CustomerDetails:
    address = bounded_text("form_of_address", wanted.form_of_address, 100)
    if address and (address.lower().startswith("dear ") or address.endswith((",", "."))
                    or not _ADDRESS.match(address) or address.split()[0] in ("TBC", "TBA")):
        raise ValidationError("form_of_address", "write it as the letter would say it after "
                                                 "\"Dear\", like Mr Penhaligon: words only, "
                                                 "starting with a capital")
    language = bounded_text("language", wanted.language, 60)
    if language and not _LANGUAGE.match(language):
        raise ValidationError("language", "name the language in words, like Polish or "
                                          "British Sign Language")
    if language.lower() in ("english", "british english", "en", "en-gb"):
        raise ValidationError("language", "the letters are in English: record the language "
                                          "the customer needs an interpreter or translation "
                                          "in, or leave it empty")
    size = wanted.large_print_pt
    if size is not None and size not in PRINT_SIZES:
        raise ValidationError("large_print_pt", f"large print is {PRINT_SIZES.start} to "
                                                f"{PRINT_SIZES.stop - 1} points (or none)")
    return CustomerDetails(address, language[:1].upper() + language[1:], size, wanted.version)


def set_details(actor: Actor, reference: str, wanted: CustomerDetails,
                opened: CustomerDetails | None = None) -> CustomerDetails:
    """Record how the customer of a case is written to. Audited with the values before and
    after; nothing is stored if any value is refused. `opened`: the values the editor
    started from (a form's, or what a command read): only the fields changed from them are
    saved, and only a field someone else changed meanwhile too is refused (stale.merged);
    without it, a save from an earlier version (`wanted.version`) is refused whole."""
    return _saved(actor, reference, wanted, opened, _checked, _read, _DETAILS,
                  lambda after: {"form_of_address": after.form_of_address,
                                 "language": after.language,
                                 "large_print_pt": after.large_print_pt},
                  "set_customer_details")


@dataclass(frozen=True)
class ContactDetails:
    """Where the customer is written to and reached: letters are posted to the address."""

    address: tuple[str, ...]  # its lines, without the postcode
    postcode: str
    email: str
    telephone: str
    version: int = field(default=0, compare=False)  # as CustomerDetails.version
    # Saved (set_contact): what the change of address superseded, in a sentence ("" if
    # nothing): each letter signed and not yet posted that can no longer go. Not part of the
    # value.
    superseded: str = field(default="", compare=False)


# Either of the two parts of the customer's record that a person edits as one form.
_Part = TypeVar("_Part", CustomerDetails, ContactDetails)


def _saved(actor: Actor, reference: str, wanted: _Part, opened: _Part | None,
           checked: Callable[[_Part], _Part], read: Callable[[Customer], _Part],
           labels: dict[str, str], columns: Callable[[_Part], dict[str, Any]],
           action: str) -> _Part:
    """Save one part of the customer's record, as set_details says: `checked` refuses a bad
    value before anything is stored, `read` gives the part as it stands, `columns` the
    values to store; audited as `action` with the values before and after."""
    with atomic():
        require(actor, Capability.RECORD_CUSTOMER_DETAILS)
        case = load_case_for_change(actor, reference)
        customer = Customer.get_by_id(case.customer_id)
        after = checked(wanted)
        before = read(customer)
        if opened is not None:
            after = replace(after, **_merged(customer, case.reference, opened, after, before,
                                             labels))
        else:
            require_as_read(customer, case.reference, wanted.version or None,
                            _differs(before, after, labels))
        if after != before:
            Customer.update(**columns(after)).where(Customer.id == customer.id).execute()
            stale.bump(Customer, customer.id)
            audit.record(actor, action, case.reference, payload={
                "customer": customer.reference, "before": _values(before),
                "after": _values(after)})
            # A letter signed for any of the customer's cases and not yet posted may now be
            # addressed to where they no longer live: owed again to the new address, each
            # case's next action is worked out again (posting_dates.moved, issue 15 AG1).
            for other in Case.select(Case.reference).where(
                    (Case.customer == customer.id) & (Case.id != case.id)):
                changes.noted(str(other.reference), action)
        return replace(after, version=int(Customer.get_by_id(customer.id).version))


def _read_contact(customer: Customer) -> ContactDetails:
    return ContactDetails(tuple(line for line in customer.address.splitlines() if line.strip()),
                          customer.postcode, customer.email, customer.telephone,
                          int(customer.version))


def contact(actor: Actor, reference: str) -> ContactDetails:
    case = load_case(actor, reference)
    return _read_contact(archived_customer.shown(case) or Customer.get_by_id(case.customer_id))


def _checked_contact(wanted: ContactDetails) -> ContactDetails:
    # Every field's problem at once (the address's did hide the email's), and the email and
    # telephone by the rule the referral form and its import ask too.
    found = contact_rules.contact_problems(wanted.email, wanted.telephone)
    try:
        lines, postcode = postal_address(wanted.address, wanted.postcode)
    except ValidationError as exc:
        raise_all([*(exc.found if isinstance(exc, Problems) else [exc]), *found])
    raise_all(found)
    email, telephone = contact_rules.checked_contact(wanted.email, wanted.telephone)
    return ContactDetails(lines, postcode, email, telephone, wanted.version)


def _place(lines: tuple[str, ...]) -> tuple[str, ...]:
    """An address's lines as compared: spaces and capitals aside ("high st" corrected to
    "High St" is the same place: posting_dates' rule)."""
    return tuple(" ".join(line.split()).casefold() for line in lines if line.strip())


def postcode_left_behind(before: ContactDetails, address: tuple[str, ...]) -> str:
    """Why a new postal address cannot be saved with the postcode left as it was, when no
    postcode was given with it ("" if it can): the customer's old postcode would stay under
    the new street address, and a letter would go to that mix (tester v15p AK2). A
    correction of spaces or capitals is no new address; nor is one where none was recorded
    before. The one rule of `crm-tui customer contact --address` and H."""
    if not before.postcode or _place(before.address) == _place(address):
        return ""
    return (f"the address has changed: give the postcode of the new address too "
            f"({before.postcode} was the old address's; the same again if it has not "
            "changed, or none if the new address has none)")


def set_contact(actor: Actor, reference: str, wanted: ContactDetails,
                opened: ContactDetails | None = None, *,
                postcode_given: bool = True) -> ContactDetails:
    """Record or correct the customer's postal address, postcode, email and telephone (as the
    referral form takes them). Audited with the values before and after; nothing is stored
    if any value is refused. `opened` as for set_details: a change to a field someone else
    did not change is merged with theirs, never refused. `postcode_given` False: the
    postcode was not given or touched (kept from `opened`): a new address is refused
    without one (postcode_left_behind)."""
    if not postcode_given:
        _checked_contact(wanted)  # the address's own problems first: "give it in the
        # postcode field" of a line ending with one
        before = opened if opened is not None else contact(actor, reference)
        left = postcode_left_behind(before, tuple(
            line.strip() for line in wanted.address if line.strip()))
        if left:
            raise ValidationError("postcode", left)
    customer_id = load_case(actor, reference).customer_id
    going = ({int(row.id) for row in _unposted(int(customer_id)) if not no_longer_sent(row)}
             if customer_id is not None else set())
    kept = _saved(actor, reference, wanted, opened, _checked_contact, _read_contact, _CONTACT,
                  lambda after: {"address": "\n".join(after.address),
                                 "postcode": after.postcode, "email": after.email,
                                 "telephone": after.telephone},
                  "set_customer_contact")
    gone = [row for row in _unposted(int(customer_id)) if int(row.id) in going
            and moved(row)] if going and customer_id is not None else []
    return replace(kept, superseded=_superseded_said(gone, reference)) if gone else kept


def _unposted(customer_id: int) -> list[Letter]:
    """The customer's letters signed and not yet posted, on any of their cases."""
    return list(Letter.select().join(Case).where(
        (Case.customer == customer_id) & (Letter.status == "issued")
        & Letter.posted_on.is_null()).order_by(Letter.id))


def _superseded_said(rows: list[Letter], reference: str) -> str:
    """The letters a change of address superseded, as its confirmation says it (v16 finding
    9: it said nothing of letter 26, signed and not posted, which could no longer go)."""
    from crm_tui.services.letters import sources  # letters' names, when there are any

    named = [f"the {sources.named(LetterKind(row.kind), row.source)} (letter {row.id}"
             + (f", {row.case.reference}" if row.case.reference != reference.upper() else "")
             + ")" for row in rows]
    listed = " and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]
    one = len(rows) == 1
    again = all(row.source and row.duplicate_of_id is None for row in rows)
    return (f"{listed[:1].upper()}{listed[1:]}, signed to the old address and not yet posted, "
            f"can no longer go: {'it is' if one else 'they are'} superseded, not sent"
            + (", and to be signed again to the new address." if again else "."))
