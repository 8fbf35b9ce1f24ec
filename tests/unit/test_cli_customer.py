"""`crm-tui customer`: the customer's postal address recorded from the command line, under the
rules `H` in the case file keeps (the same service): a mistyped email is refused at its option
and nothing changes; a role that may not record customer details is refused; what is not given
is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import customer_details
from tests.demo_copies import copy_demo

CASE = "UPV-2026-0005"


@pytest.fixture()
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    return path


def _run(db: Path, *args: str, user: str = "ceri.hughes") -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", str(db), "--user", user])
    return result.exit_code, result.output


def _contact(db: Path) -> customer_details.ContactDetails:
    open_database(db)
    return customer_details.contact(resolve_actor("ceri.hughes"), CASE)


def test_the_address_is_recorded_and_the_rest_kept(db: Path) -> None:
    before = _contact(db)
    code, out = _run(db, "customer", "contact", CASE, "--address", "3 Quay Row,  Saltings",
                     "--postcode", "nm2 8bx")
    assert code == 0, out
    assert "3 Quay Row, Saltings, NM2 8BX" in out and "Ceri Hughes" in out
    after = _contact(db)
    assert after.address == ("3 Quay Row", "Saltings") and after.postcode == "NM2 8BX"
    assert (after.email, after.telephone) == (before.email, before.telephone)
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert entry.action == "set_customer_contact"
    code, out = _run(db, "customer", "show", CASE, "--json")
    assert json.loads(out)["postcode"] == "NM2 8BX"


def test_a_mistyped_email_is_refused_at_its_option_and_nothing_changes(db: Path) -> None:
    before = _contact(db)
    open_database(db)
    entries = AuditEntry.select().count()
    code, out = _run(db, "customer", "contact", CASE, "--address", "3 Quay Row",
                     "--email", "cornelius.example.org")
    assert code == 1 and "--email" in out and "Traceback" not in out, out
    assert _contact(db) == before
    assert AuditEntry.select().count() == entries


@pytest.mark.parametrize("login", ["priya.raman", "morgan.price"])
def test_a_role_that_records_no_customer_details_is_refused(db: Path, login: str) -> None:
    before = _contact(db)
    code, out = _run(db, "customer", "contact", CASE, "--postcode", "NM9 9ZZ", user=login)
    assert code == 1 and "Error:" in out, out
    assert _contact(db) == before


def test_nothing_to_change_is_said_before_the_database_is_opened(db: Path) -> None:
    code, out = _run(db, "customer", "contact", CASE)
    assert code == 2 and "--address" in out


@pytest.mark.parametrize("given", [("--postcode", ""), ("--address", " "),
                                   ("--address", ", ,"), ("--postcode", "", "--address", "")])
def test_a_blank_address_or_postcode_is_a_mistake_typed_not_an_erasure(
        db: Path, given: tuple[str, ...]) -> None:
    """Round 10: `--postcode ""` or `--address ""` erased the address, exit 0. What is not
    given is kept; a blank is what was typed wrong: exit 2, each option named, nothing
    changed."""
    before = _contact(db)
    code, out = _run(db, "customer", "contact", CASE, *given)
    assert code == 2, out
    for option in given[::2]:
        assert f"{option}: is blank: give the" in out, out
    after = _contact(db)
    assert (after.address, after.postcode) == (before.address, before.postcode)
