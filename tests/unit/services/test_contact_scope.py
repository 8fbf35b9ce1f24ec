"""A customer's contact log is theirs across cases: a service area manager's case of a
customer who also has another area's case must not list that area's contacts (v16h H0: the
case file, log sheet and figures of a Housing case of Mr Cattermole showed the 178 contacts of
his Council Tax and Benefits case to the Housing manager). The team sees them all."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crm_tui.db.connection import open_database
from crm_tui.db.models import Case, ContactLogEntry, Customer
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence import analysis, log_sheet
from crm_tui.services.evidence.analysis import Period
from crm_tui.services.evidence.log_sheet import ContactFilter
from crm_tui.services.intake import case_file
from crm_tui.services.intake.referral_import import import_referral
from tests.demo_copies import copy_demo
from tests.unit.services.intake.test_inbox_services import SAMPLE

ALL_TIME = (date(1900, 1, 1), date(2100, 1, 1))
ALL = Period(*ALL_TIME, "all time")


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    db = open_database(path)
    yield path
    db.close()


@pytest.fixture
def housing_case(demo: Path, tmp_path: Path) -> str:
    """A Housing Services referral the team linked to Mr Cattermole, whose other case is
    Council Tax and Benefits'."""
    cattermole = Customer.get(Customer.name == "Mr Oswin Cattermole")
    path = tmp_path / "referral.json"
    path.write_text(json.dumps({**SAMPLE, "referred_by": "hannah.okafor", "evidence": [],
                                "customer": {"reference": cattermole.reference}}),
                    encoding="utf-8")
    return import_referral(resolve_actor("ceri.hughes"), path).reference


def test_a_manager_reads_only_their_areas_contacts_of_a_shared_customer(
        housing_case: str) -> None:
    case = Case.get(Case.reference == housing_case)
    theirs = ContactLogEntry.select().where(ContactLogEntry.customer == case.customer)
    others = theirs.where(ContactLogEntry.case != case).count()
    assert others > 100  # the Council Tax and Benefits case's
    hannah, ceri = resolve_actor("hannah.okafor"), resolve_actor("ceri.hughes")
    everything = ContactFilter(*ALL_TIME)

    seen = case_file.case_file(hannah, housing_case)
    assert (seen.contacts_total, seen.contacts_shown) == (0, 0)
    assert not [e for e in seen.timeline if e.kind == "contact"]
    assert log_sheet.page(hannah, housing_case, everything).total == 0
    assert analysis.analyse(hannah, housing_case, ALL).total == 0

    team = case_file.case_file(ceri, housing_case)
    assert team.contacts_total == theirs.count()
    assert log_sheet.page(ceri, housing_case, everything).total == theirs.count()
    assert analysis.analyse(ceri, housing_case, ALL).total == theirs.count()
