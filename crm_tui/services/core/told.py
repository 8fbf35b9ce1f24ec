"""Words for a case's customer, read at the form with every rule the letter checker reads
them with at signing, the customer's own name included: what a form accepts, the letter can
print."""

from __future__ import annotations

from crm_tui.db.models import Case, Customer
from crm_tui.domain.wording import (
    customer_names,
    customer_words,
    optional_customer_words,
    surname_of,
)


def _names(case: Case) -> tuple[set[str], str]:
    customer = Customer.get_by_id(case.customer_id)
    return (customer_names(str(customer.name), str(customer.form_of_address)),
            surname_of(str(customer.name)))


def told(case: Case, field: str, text: str) -> str:
    """The words as stored, or ValidationError naming `field`."""
    names, surname = _names(case)
    return customer_words(field, text, names=names, surname=surname)


def told_if_given(case: Case, field: str, text: str) -> str:
    """As told, for a field a form may leave empty."""
    names, surname = _names(case)
    return optional_customer_words(field, text, names=names, surname=surname)
