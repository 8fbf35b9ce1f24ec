"""`crm-tui customer`: the customer of a case from the command line — show where and how they
are written to, and record or correct their postal address and contact points (as `H` does in
the case file), as the person running the command. Kept beside cli.py, which registers the
group."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from crm_tui.cli_words import PlainGroup, left_out_value, not_blank, refused
from crm_tui.domain.characters import json_escaped
from crm_tui.domain.errors import DomainError

if TYPE_CHECKING:
    from crm_tui.cli import Context

DB_HELP = "database file or URL (default: $CRM_TUI_DB, else the user data folder)"


@click.group("customer", cls=PlainGroup)
def customer_group() -> None:
    """The customer of a case: where letters go and how they are written to."""


@customer_group.command("show")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="one JSON object, for scripts")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def customer_show(state: Context, reference: str, as_json: bool, db: str | None,
                  user: str | None) -> None:
    """The postal address, contact points and how the customer of case REFERENCE is
    written to."""
    from crm_tui.services.intake import customer_details

    state.open(db, reads_only=True)
    actor = state.actor(user)
    try:
        reached = customer_details.contact(actor, reference)
        written = customer_details.details(actor, reference)
    except DomainError as exc:
        raise refused(exc) from exc
    if as_json:
        click.echo(json_escaped(json.dumps({**asdict(reached), **asdict(written)},
                                           ensure_ascii=False, indent=1)))
        return
    for label, value in (("Postal address", ", ".join(reached.address) or "not recorded"),
                         ("Postcode", reached.postcode or "not recorded"),
                         ("Email", reached.email or "-"),
                         ("Telephone", reached.telephone or "-"),
                         ("Written to as", written.form_of_address or "title and surname"),
                         ("Language", written.language or "-"),
                         ("Large print", f"{written.large_print_pt} pt"
                          if written.large_print_pt else "-")):
        click.echo(f"{label + ':':<16}{value}")


def _something_changes(values: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """Told with the command's other problems (the unknown case among them)."""
    if all(left_out_value(values.get(name))
           for name in ("address", "postcode", "email", "telephone")):
        yield "", "Give what changes: --address, --postcode, --email or --telephone"


def _postcode(typed: str) -> str:
    """The postcode as given: "none" for an address that has none."""
    return "" if typed.strip().casefold() == "none" else typed


@customer_group.command("contact", checks=[not_blank(
    address="the postal address's lines, separated by commas", postcode="the postcode"),
    _something_changes])
@click.argument("reference")
@click.option("--address", default=None,
              help="the postal address's lines separated by commas (e.g. '12 Mill Lane, "
                   "Truro'); letters are posted to it")
@click.option("--postcode", default=None,
              help="the postcode (e.g. NM2 8BW; 'none' if the address has none); given with "
                   "a new --address")
@click.option("--email", default=None, help="email address (blank clears it)")
@click.option("--telephone", default=None, help="telephone number (blank clears it)")
@click.option("--db", help=DB_HELP)
@click.option("--user", help="act as this user (demo databases only)")
@click.pass_obj
def customer_contact(state: Context, reference: str, address: str | None,
                     postcode: str | None, email: str | None, telephone: str | None,
                     db: str | None, user: str | None) -> None:
    """Record or correct the postal address and contact points of the customer of case
    REFERENCE, as you. What you do not give is kept as it is."""
    from crm_tui.services.intake import customer_details

    state.open(db)  # something changes (_something_changes)
    actor = state.actor(user)
    try:
        now = customer_details.contact(actor, reference)
        kept = customer_details.set_contact(actor, reference, customer_details.ContactDetails(
            tuple(part.strip() for part in address.split(",")) if address is not None
            else now.address,
            now.postcode if postcode is None else _postcode(postcode),
            now.email if email is None else email,
            now.telephone if telephone is None else telephone, now.version), opened=now,
            postcode_given=postcode is not None)
    except DomainError as exc:
        raise refused(exc) from exc
    if kept == now:
        click.echo(f"{reference}: nothing changed")
        return
    where = ", ".join((*kept.address, kept.postcode)) if kept.address else \
        "no postal address (a letter cannot be posted until one is recorded)"
    click.echo(f"{reference}: the customer's address and contact recorded by {actor.name}: "
               f"{where}")
    if kept.superseded:
        click.echo(kept.superseded)
