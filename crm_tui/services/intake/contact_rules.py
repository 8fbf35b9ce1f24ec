"""The one rule for a customer's email and telephone, asked by every path that writes them:
the referral form (at its fields, with its other problems), the referral import (at the
file's line and field), `H` in the case file and `crm-tui customer contact` (t15c finding 2:
the form and the import saved an email "X" that H and the command line refused)."""

from __future__ import annotations

from crm_tui.domain.errors import ValidationError, raise_all
from crm_tui.domain.wording import any_telephone, email_address
from crm_tui.services.core.validation import bounded_text

MAX_EMAIL = 200
MAX_TELEPHONE = 40


def customer_email(value: str) -> str:
    """The email as stored ("" stays ""): within its length, and of an email's shape (the
    project's one check of it, email-validator; not the mailbox)."""
    return email_address("email", bounded_text("email", value, MAX_EMAIL))


def customer_telephone(value: str) -> str:
    """The telephone as stored ("" stays ""): within its length, and of a telephone number's
    shape for any country: a customer's number may be one abroad, which the team's UK-only
    rule (direct details) would refuse."""
    return any_telephone("telephone", bounded_text("telephone", value, MAX_TELEPHONE))


def contact_problems(email: str, telephone: str) -> list[ValidationError]:
    """Both fields' problems at once, each at its own field ("email", "telephone")."""
    found: list[ValidationError] = []
    for check, value in ((customer_email, email), (customer_telephone, telephone)):
        try:
            check(value)
        except ValidationError as exc:
            found.append(exc)
    return found


def checked_contact(email: str, telephone: str) -> tuple[str, str]:
    """The email and telephone as stored; or every problem at once (Problems)."""
    raise_all(contact_problems(email, telephone))
    return customer_email(email), customer_telephone(telephone)
