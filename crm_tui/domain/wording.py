"""What a letter tells the customer, kept apart from the internal record, and the contact
details a letter gives them.

A form that feeds a letter asks for two texts: the internal record (for the file, the Head of
Service and the Ombudsman) and the words the customer reads. The second are printed as they
stand, so they must read as sentences addressed to the customer ("you"), not as a note about
them. Telephone numbers and email addresses are checked with the libraries that know their
shapes (Google's libphonenumber data; email-validator), never with a hand-made pattern.
"""

from __future__ import annotations

import re
from enum import StrEnum

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from crm_tui.domain.errors import ValidationError

CUSTOMER_TEXT_LIMIT = 5_000

# Phrases that write about the customer rather than to them: the letter would read as a file
# note. The checker (letters/checker.py) reads the letter as a whole; this catches the common
# cases where they are typed, so that the fix is made in the form.
_THIRD_PERSON = re.compile(r"\b(the customer|the complainant|customer's|complainant's)\b",
                           re.IGNORECASE)
_SENTENCE_END = (".", "!", "?")
_NOTE_MARKERS = re.compile(r"\b(tbc|todo|xxx)\b|[\[\]]", re.IGNORECASE)


def customer_words(field: str, text: str, *, limit: int = CUSTOMER_TEXT_LIMIT) -> str:
    """The words the customer is told, stripped; or ValidationError naming `field`."""
    value = text.strip()
    if not value:
        raise ValidationError(field, "is required: write what the customer is told, as you "
                                     "would say it to them (\"You have…\")")
    if len(value) > limit:
        raise ValidationError(field, f"is too long ({len(value)} characters; at most {limit})")
    if "\x00" in value:
        raise ValidationError(field, "contains a NUL character")
    if _THIRD_PERSON.search(value):
        raise ValidationError(field, "writes about the customer: the letter speaks to them, "
                                     "so write \"you\" and \"your\"")
    if _NOTE_MARKERS.search(value):
        raise ValidationError(field, "holds a note marker (TBC, TODO, XXX or brackets): "
                                     "write the words the customer will read")
    if not value.endswith(_SENTENCE_END):
        raise ValidationError(field, "must end with a full stop: the letter prints it as "
                                     "whole sentences")
    if len(value.split()) < 4:
        raise ValidationError(field, "is too short to explain anything to the customer: say "
                                     "what happened and why, in a sentence or two")
    return value


class ContactFrequency(StrEnum):
    """How often the single point of contact gets in touch during local resolution."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    AS_NEEDED = "as_needed"

    @property
    def label(self) -> str:
        return _FREQUENCY[self][0]

    @property
    def customer_phrase(self) -> str:
        """As a letter says it: "We will contact you every week"."""
        return _FREQUENCY[self][1]


_FREQUENCY = {
    ContactFrequency.WEEKLY: ("Every week", "every week"),
    ContactFrequency.FORTNIGHTLY: ("Every two weeks", "every two weeks"),
    ContactFrequency.MONTHLY: ("Every month", "every month"),
    ContactFrequency.AS_NEEDED: ("As needed", "when there is news"),
}


def contact_frequency(value: str) -> str:
    """The stored value of a contact frequency ("" for none chosen)."""
    if not value.strip():
        return ""
    try:
        return ContactFrequency(value.strip().lower().replace(" ", "_")).value
    except ValueError:
        known = ", ".join(f.label.lower() for f in ContactFrequency)
        raise ValidationError("contact_frequency", f"choose one of: {known}") from None


def uk_telephone(field: str, value: str) -> str:
    """A UK telephone number in its usual written form ("01632 960999"); "" stays "".
    Checks the shape (length and prefix for the UK), not that the line is in service."""
    text = value.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(field, f"{text!r} is not a telephone number") from None
    if (number.country_code != 44 or not phonenumbers.is_possible_number(number)
            or len(str(number.national_number)) < 9):
        raise ValidationError(field, f"{text!r} is not a UK telephone number (like "
                                     "01632 960999)")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))


def email_address(field: str, value: str) -> str:
    """An email address in its normal form; "" stays "". Checks the shape, not the mailbox."""
    text = value.strip()
    if not text:
        return ""
    try:
        return str(validate_email(text, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ValidationError(field, f"{text!r} is not an email address: {exc}") from None


def reachable_problem(name: str, telephone: str, email: str, *, as_what: str) -> str:
    """Why a person cannot be named to the customer as `as_what` ("" if they can): a letter
    that names them gives their direct telephone or email."""
    if telephone.strip() or email.strip():
        return ""
    return (f"{name} has no direct telephone or email recorded, and the letter gives the "
            f"customer the {as_what}'s details: add them on the team screen first")
