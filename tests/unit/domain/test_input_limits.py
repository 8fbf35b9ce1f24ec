"""Issue 16's input limits, one rule each and every path meeting it: an address of any
length was accepted (form, referral import, `crm-tui customer contact`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from crm_tui.cli import main
from crm_tui.db.models import Case, ContactLogEntry, Customer
from crm_tui.domain.contact import MAX_MINUTES, Channel, Direction, read_minutes
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.wording import (
    MAX_ADDRESS_LINE,
    MAX_ADDRESS_LINES,
    MAX_POSTCODE,
    postal_address,
)
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contact_input import ContactInput
from crm_tui.services.evidence.log_sheet_csv import CSV_COLUMNS, LogSheetProblem, read_log_sheet
from crm_tui.services.intake.referral_import import ImportProblem, import_referral
from crm_tui.ui.forms import minutes
from tests import builders
from tests.demo_copies import copy_demo
from tests.unit.services.intake.test_inbox_services import SAMPLE


@settings(max_examples=60, database=None)
@given(st.lists(st.text(max_size=130), max_size=9), st.text(max_size=14))
def test_an_address_is_stored_within_its_limits_or_refused_at_its_field(
        lines: list[str], postcode: str) -> None:
    try:
        kept, code = postal_address(tuple(lines), postcode)
    except ValidationError as exc:
        assert {p.field for p in getattr(exc, "found", [exc])} <= {"address", "postcode"}
        return
    assert len(kept) <= MAX_ADDRESS_LINES and all(len(x) <= MAX_ADDRESS_LINE for x in kept)
    assert len(code) <= MAX_POSTCODE and all(x.strip() for x in kept)


def test_too_many_lines_and_a_long_postcode_are_told_together() -> None:
    with pytest.raises(ValidationError) as refused:
        postal_address(tuple(f"Line {n}" for n in range(7)), "NM4 2QT NORTHMERE")
    said = str(refused.value)
    assert "address: has 7 lines: an envelope window shows at most 6" in said
    assert "postcode: is too long (17 characters; at most 10)" in said
    with pytest.raises(ValidationError, match="line 2 is too long"):
        postal_address(("14 Lantern Yard", "x" * 101), "NM4 2QT")


def test_a_referral_import_with_a_long_address_is_refused_at_the_address(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    path = tmp_path / "referral.json"
    customer = {**SAMPLE["customer"], "address": ["14 Lantern Yard " * 10]}  # type: ignore[dict-item]
    path.write_text(json.dumps({**SAMPLE, "evidence": [], "customer": customer}),
                    encoding="utf-8")
    with pytest.raises(ImportProblem, match="line 1 is too long") as problem:
        import_referral(actors[Role.CRM], path)
    assert "address" in str(problem.value)


def test_the_command_line_refuses_a_long_address_line(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, db)
    result = CliRunner().invoke(main, ["customer", "contact", "UPV-2026-0005", "--address",
                                       "3 Quay Row, " + "Saltings " * 20, "--db", str(db),
                                       "--user", "ceri.hughes"])
    assert result.exit_code != 0
    assert "--address: line 2 is too long (179 characters; at most 100)" in result.output


@pytest.mark.parametrize("lines", [("?",), ("14 Lantern Yard", "--"), ("A",), (".", "x")])
def test_an_address_with_no_letter_or_number_is_refused(lines: tuple[str, ...]) -> None:
    """v15j Q1: "?" typed over the selected address was saved and letters went to it."""
    with pytest.raises(ValidationError, match="as it is written on an envelope") as refused:
        postal_address(lines, "NM8 8DS")
    assert refused.value.field == "address"
    assert postal_address(("1 A St",), "NM8 8DS") == (("1 A St",), "NM8 8DS")


@pytest.mark.parametrize("postcode", ["?", "-", "A", " ? ", "n/a", "TBC", "none", "unknown",
                                      "NM4 1LS?", "?NM4 1LS"])
def test_a_postcode_with_no_letter_or_number_is_refused(postcode: str) -> None:
    """v15j minor: "?" was saved as the postcode and printed under the address."""
    with pytest.raises(ValidationError, match="as it is written on an envelope") as refused:
        postal_address(("14 Lantern Yard", "Northmere"), postcode)
    assert refused.value.field == "postcode"
    assert postal_address(("1 A St",), "")[1] == ""  # an address abroad may have none
    for real in ("NM4 1LS", "SW1A 1AA"):
        assert postal_address(("1 A St",), real)[1] == real
    # One abroad with its country as the last line (v15m-4: a postcode of no UK shape is
    # taken only so).
    assert postal_address(("1 Dawson St", "Dublin 2", "Ireland"), "D02 X285")[1] == "D02 X285"
    assert postal_address(("Karl Johans gate 1", "Oslo", "Norway"), "NO-0150")[1] == "NO-0150"


@pytest.mark.parametrize("lines", [("N/A",), ("Unknown",), ("TBC",), ("n/a", "see notes")])
def test_an_address_that_stands_for_none_is_refused(lines: tuple[str, ...]) -> None:
    """v15l F5: "N/A" was accepted as the address, to be printed in the envelope's window."""
    with pytest.raises(ValidationError, match="is not an address") as refused:
        postal_address(lines, "NM8 8DS")
    assert refused.value.field == "address"
    kept = ("The Old Rectory", "Church Lane", "Northmere")  # no digit, and an address
    assert postal_address(kept, "NM8 8DS")[0] == kept


def test_the_command_line_and_the_import_refuse_a_question_mark_address(
        demo_db: Path, tmp_path: Path, actors: dict[Role, Actor]) -> None:
    db = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, db)
    result = CliRunner().invoke(main, ["customer", "contact", "UPV-2026-0005", "--address", "?",
                                       "--db", str(db), "--user", "ceri.hughes"])
    assert result.exit_code != 0
    assert "--address: line 1 has no letter or number" in result.output
    path = tmp_path / "referral.json"
    customer = {**SAMPLE["customer"], "address": ["?"]}  # type: ignore[dict-item]
    path.write_text(json.dumps({**SAMPLE, "evidence": [], "customer": customer}),
                    encoding="utf-8")
    with pytest.raises(ImportProblem, match="line 1 has no letter or number"):
        import_referral(actors[Role.CRM], path)
    # v15l F5: the words typed for none, on the same paths
    result = CliRunner().invoke(main, ["customer", "contact", "UPV-2026-0005", "--postcode",
                                       "n/a", "--db", str(db), "--user", "ceri.hughes"])
    assert result.exit_code != 0 and "--postcode: \"n/a\" is not a postcode" in result.output
    customer = {**SAMPLE["customer"], "postcode": "TBC"}  # type: ignore[dict-item]
    path.write_text(json.dumps({**SAMPLE, "evidence": [], "customer": customer}),
                    encoding="utf-8")
    with pytest.raises(ImportProblem, match="is not a postcode"):
        import_referral(actors[Role.CRM], path)


ARABIC_INDIC_THREE = "\u0663"


@settings(max_examples=80, database=None)
@given(st.text(max_size=6))
def test_minutes_are_ascii_digits_only(text: str) -> None:
    try:
        found = read_minutes(text)
    except ValueError as exc:
        assert str(exc)
        return
    assert 0 <= found <= MAX_MINUTES
    assert text.strip() == "" or (text.strip().isascii() and int(text) == found)


def test_an_arabic_indic_digit_is_refused_as_minutes_in_a_log_sheet_and_the_form(
        tmp_path: Path) -> None:
    """Issue 16: "٣" was accepted as 3 minutes (int() reads any script's digits)."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(",".join(CSV_COLUMNS) + "\n" + f"2026-10-03 09:10,email,inbound,Housing "
                     f"Services,A Officer,{ARABIC_INDIC_THREE},Asked again,\n", encoding="utf-8")
    with pytest.raises(LogSheetProblem) as problem:
        read_log_sheet(sheet)
    assert problem.value.column == "duration_minutes" and problem.value.line == 2
    assert "has digits other than 0-9" in str(problem.value)
    assert "has digits other than 0-9" in str(minutes(ARABIC_INDIC_THREE))
    assert minutes("10") is None and minutes(" ") is not None


def test_a_contact_may_predate_the_customers_record_and_the_referral(
        actors: dict[Role, Actor]) -> None:
    """Issue 16 asked that a contact not predate "the customer's first contact with the
    council". Decided from the policy: the log sheets and the evidence a referral carries
    record the behaviour that led to it, so a contact is often logged after the record was
    made, dated before it; the first contact is the earliest logged, not a floor. The floor
    is 01/01/1990 (typed_dates.EARLIEST) and the ceiling now, both refused elsewhere."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    customer = Customer.get_by_id(Case.get(Case.reference == ref).customer_id)
    before = customer.created_at.replace(year=customer.created_at.year - 3, microsecond=0)
    entry = ContactInput(at=before, channel=Channel.EMAIL, direction=Direction.INBOUND,
                         service_area="Housing Services", officer_name="Sam Patel",
                         summary="Rang about the same gutter")
    logged = contacts.log_contact(actors[Role.OFFICER], ref, entry)
    assert ContactLogEntry.get_by_id(logged).at == before
