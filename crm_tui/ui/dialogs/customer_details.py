"""How letters are written to a customer: the form of address they have given, the language an
interpreter or translation is offered in, and the print size they need. A small form on the
case file (D); refusals show at their field."""

from __future__ import annotations

from typing import Any, Protocol

from crm_tui.domain.errors import ValidationError
from crm_tui.domain.numbers import read_whole
from crm_tui.domain.roles import Actor
from crm_tui.domain.wording import postal_address
from crm_tui.services.intake import customer_details
from crm_tui.ui.dialogs.fields import Field, FieldsDialog


class WrittenTo(Protocol):
    @property
    def form_of_address(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def large_print_pt(self) -> int | None: ...
    @property
    def version(self) -> int: ...


def customer_details_line(c: WrittenTo) -> str:
    """One line for the case file, beside the contact needs."""
    parts = [f"addressed as {c.form_of_address}" if c.form_of_address
             else "addressed by title and surname",
             f"interpreter or translation in {c.language}" if c.language
             else "no other language recorded",
             f"large print {c.large_print_pt} pt" if c.large_print_pt else "standard print"]
    return "; ".join(parts)


def _points(text: str) -> int | None:
    value = text.strip().lower().removesuffix("pt").strip()
    if not value:
        return None
    try:
        return read_whole(value, example="16", most=999)
    except ValueError as exc:
        raise ValidationError("large_print_pt", f"{exc} (the size in points, or blank for "
                                                "standard print)") from None


def customer_details_dialog(actor: Actor, reference: str, c: WrittenTo) -> FieldsDialog:
    def save(values: dict[str, str]) -> Any:
        return customer_details.set_details(actor, reference, customer_details.CustomerDetails(
            values["form_of_address"], values["language"], _points(values["large_print_pt"]),
            c.version), opened=customer_details.CustomerDetails(
                c.form_of_address, c.language, c.large_print_pt, c.version))

    return FieldsDialog(
        f"How we write to the customer · {reference}",
        "Letters open \"Dear\" and the form of address (blank: title and surname from the "
        "name), offer an interpreter or translation in the language recorded, and print at the "
        "size given (12 to 24 points; blank: standard print).",
        [Field("form_of_address", "Form of address, as after \"Dear\" (e.g. Mr Penhaligon)",
               c.form_of_address),
         Field("language", "Language for an interpreter or translation (e.g. Polish)",
               c.language),
         Field("large_print_pt", "Large print size in points (12 to 24)",
               str(c.large_print_pt) if c.large_print_pt else "")], save, save="Keep how we write")


class Reached(Protocol):
    @property
    def address(self) -> tuple[str, ...]: ...
    @property
    def postcode(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def telephone(self) -> str: ...
    @property
    def version(self) -> int: ...


def customer_contact_dialog(actor: Actor, reference: str, c: Reached) -> FieldsDialog:
    """The customer's postal address and contact points, as the referral form takes them:
    recorded or corrected from the case file (H)."""
    # What the form opened with: a change made meanwhile to another field is merged.
    opened = customer_details.ContactDetails(c.address, c.postcode, c.email, c.telephone,
                                             c.version)

    def lines(values: dict[str, str]) -> tuple[str, ...]:
        return tuple(part.strip() for part in values["address"].split(","))

    def save(values: dict[str, str]) -> Any:
        return customer_details.set_contact(actor, reference, customer_details.ContactDetails(
            lines(values), values["postcode"], values["email"], values["telephone"],
            c.version), opened=opened, postcode_given="postcode" in dialog.typed_in)

    def postcode_kept(values: dict[str, str]) -> None:
        # A new address with the postcode field not touched: said at the postcode field as
        # the address is typed (v15p AK2: the old postcode went under the new address).
        if "postcode" not in dialog.typed_in:
            try:  # the address's own problems first, at its field, when saved ("?")
                postal_address(lines(values), values["postcode"])
            except ValidationError:
                return
            left = customer_details.postcode_left_behind(opened, lines(values))
            if left:
                raise ValidationError("postcode", left)

    dialog = FieldsDialog(
        f"The customer's address and contact · {reference}",
        "Letters are posted to this address: a decision letter cannot go without it. Give the "
        "address's lines separated by commas (e.g. 12 Mill Lane, Truro).",
        [Field("address", "Postal address, lines separated by commas", ", ".join(c.address)),
         Field("postcode", "Postcode", c.postcode),
         Field("email", "Email", c.email),
         Field("telephone", "Telephone", c.telephone)], save, save="Keep the address",
        across=postcode_kept)
    return dialog
