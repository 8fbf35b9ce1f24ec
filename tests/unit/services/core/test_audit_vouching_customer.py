"""The customer's record is held to the audit trail (b16e F3): their name, address, contact
needs, adjustments, circumstances or the "genuine ongoing problems" flag edited in the
database passed `audit verify`, and the next `customer contact` wrote the hand-made address
into the trail as the officer's entry. Now `audit verify` names the customer and the entry,
and a save to the customer or their cases is refused over the edit."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.dialect import is_sqlite
from crm_tui.db.models import AuditEntry, Case, ContactLogEntry, Customer
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, audit_seals
from crm_tui.services.core.audit_seals import OutsideChange
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.intake import customer_details
from crm_tui.services.restrictions import decisions
from crm_tui.services.retention import archive
from tests import builders, outside
from tests.builders import TOLD
from tests.unit.services.core.trail_rewrite import rechain


def _sql(path: Path, sql: str, *args: object) -> None:
    with outside.connect(path) as con:
        con.execute(sql, args)
    con.close()


def _customer(ref: str) -> Customer:
    return Customer.get_by_id(Case.get(Case.reference == ref).customer_id)


def _call() -> ContactInput:
    return ContactInput(at=datetime(2026, 11, 27, 10, 15), channel=Channel.TELEPHONE,
                        direction=Direction.INBOUND, service_area="Housing Services",
                        officer_name="Sam Okafor", summary="Rang about the repair again")


@pytest.mark.parametrize(("column", "value"), [
    ("name", "Someone Else"),
    ("address", "1 Elsewhere Road"),
    ("postcode", "ZZ1 1ZZ"),
    ("email", "else@example.org"),
    ("telephone", "01632 000001"),
    ("contact_needs", "telephone"),
    ("reasonable_adjustments", "None needed"),
    ("personal_circumstances", "None"),
    ("genuine_ongoing_problems", True),
    ("form_of_address", "Dr Else"),
    ("language", "Welsh"),
    ("large_print_pt", 18),
])
def test_each_column_edited_in_the_database_is_named(actors: dict[Role, Actor], db_path: Path,
                                                     column: str, value: object) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    customer = _customer(ref)
    assert audit.verify().ok
    _sql(db_path, f"UPDATE customer SET {column} = ? WHERE id = ?", value, customer.id)
    result = audit.verify()
    assert not result.ok
    assert f"customer {customer.reference} is not as entry " in result.problem
    verified = CliRunner().invoke(main, ["audit", "verify", "--db", outside.target(db_path)])
    assert verified.exit_code == 1 and f"customer {customer.reference}" in verified.output


def test_a_save_to_the_customer_or_their_case_is_refused_over_an_edit(
        actors: dict[Role, Actor], db_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    customer = _customer(ref)
    _sql(db_path, "UPDATE customer SET address = '1 Elsewhere Road', postcode = 'NM9 9ZZ' "
                  "WHERE id = ?", customer.id)
    entries, logged = AuditEntry.select().count(), ContactLogEntry.select().count()
    crm = actors[Role.CRM]
    with pytest.raises(OutsideChange) as refused:
        customer_details.set_contact(crm, ref, replace(customer_details.contact(crm, ref),
                                                       telephone="01632 000001"))
    assert str(refused.value).startswith(
        f"Nothing was saved to {ref}: customer {customer.reference} is not as entry ")
    with pytest.raises(OutsideChange):
        contacts.log_contact(actors[Role.OFFICER], ref, _call())
    assert (AuditEntry.select().count(), ContactLogEntry.select().count()) == (entries, logged)
    assert Customer.get_by_id(customer.id).telephone != "01632 000001"
    assert f"customer {customer.reference}" in audit.verify().problem


def test_a_normal_day_on_a_customer_with_two_cases_stays_intact(
        actors: dict[Role, Actor]) -> None:
    first = builders.at_state(actors, CaseState.RESTRICTED)
    second = builders.referred_again(actors, first)
    crm = actors[Role.CRM]
    # Changed through the second case: the first case's latest entry holds the old record.
    customer_details.set_contact(crm, second, replace(customer_details.contact(crm, second),
                                                      postcode="NM1 9AA"))
    contacts.log_contact(actors[Role.OFFICER], first, _call())
    result = audit.verify()
    assert result.ok, result.problem
    assert not result.unvouched_customers


@contextlib.contextmanager
def _statements_said(statements: list[str]) -> Iterator[None]:
    """Each statement the database is given meanwhile, its values in it: SQLite's trace of
    its connection; on PostgreSQL what peewee logs of each (the statement and its values)."""
    if is_sqlite():
        connection = Customer._meta.database.obj.connection()  # the database of this test
        connection.set_trace_callback(statements.append)
        try:
            yield
        finally:
            connection.set_trace_callback(None)
        return

    class Said(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.msg, tuple):
                sql, values = record.msg
                statements.append(f"{sql} {values!r}")

    logger = logging.getLogger("peewee")
    handler, level = Said(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_verify_reads_every_customer_s_latest_seal_in_its_one_walk(
        actors: dict[Role, Actor]) -> None:
    """Every customer's latest seal is gathered as the trail is walked, once: no query looks
    into the entries' payloads for a customer's key, once a customer (each walked the
    trail's entries: some 50 s for 2,000 customers on a server). What it finds for each is
    what the query finds."""
    first = builders.at_state(actors, CaseState.RESTRICTED)
    builders.referred_again(actors, first)
    builders.local_resolution(actors, "Another Person")
    statements: list[str] = []
    with _statements_said(statements):
        result = audit.verify()
    assert result.ok, result.problem
    latest_seal = [sql for sql in statements
                   if "LIKE" in sql and f'"{audit_seals.CUSTOMER_KEY}": [' in sql]
    assert latest_seal == []
    walk = audit_seals.CustomerSeals()
    for row in AuditEntry.select().where(~AuditEntry.erased).order_by(AuditEntry.seq):
        walk.note(int(row.seq), str(row.case_reference), str(row.payload))
    every = walk.every()
    assert len(every) == Customer.select().count() == 2
    assert all(found is not None for found in every.values())
    assert every == {int(c.id): audit_seals.customer_latest(int(c.id))
                     for c in Customer.select()}


def test_an_older_trail_still_verifies_with_a_note(actors: dict[Role, Actor]) -> None:
    builders.at_state(actors, CaseState.RESTRICTED)

    def as_version_three(_row: AuditEntry, payload: dict[str, Any]) -> None:
        if isinstance(payload.get("records"), dict):
            payload["records"].pop(audit_seals.CUSTOMER_KEY, None)
            payload["records"]["v"] = 3

    rechain(as_version_three)
    result = audit.verify()
    assert result.ok, result.problem
    assert result.unvouched_customers == 1
    assert "the records of 1 customer" in result.unvouched_note


def test_a_destroyed_file_whose_customer_is_kept_still_verifies(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """The customer's latest seal was in the destroyed file's entries, which are blanked:
    the destruction's entry holds it for the case they still have."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    other = builders.referred_again(actors, ref)
    customer_details.set_contact(crm, ref, replace(customer_details.contact(crm, ref),
                                                   postcode="NM1 9AA"))
    decisions.lift_restrictions(crm, ref, "Subsided", customer_reason=TOLD)
    builders.send_lifted(crm, ref)
    builders.archive_after_appeal_period(crm, ref)
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(crm, ref)
    assert Case.select().where(Case.reference == other).exists()
    result = audit.verify()
    assert result.ok, result.problem
    assert not result.unvouched_customers


def test_a_new_case_for_a_customer_edited_in_the_database_is_refused(
        actors: dict[Role, Actor], db_path: Path) -> None:
    """The new case has no entry of its own yet: sealed, it would vouch for the edit."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    customer = _customer(ref)
    _sql(db_path, "UPDATE customer SET genuine_ongoing_problems = TRUE WHERE id = ?", customer.id)
    cases = Case.select().count()
    with pytest.raises(OutsideChange, match=f"customer {customer.reference} is not as entry"):
        builders.referred_again(actors, ref)
    assert Case.select().count() == cases
    assert f"customer {customer.reference}" in audit.verify().problem
