"""v15m-4: an address a letter cannot be posted to ("To be confirmed", "NFA", "No fixed abode",
"12 Mill Lane, Truro?", the postcode again as a line, a postcode "NK") is refused on every
path that records one (the case file's H, `crm-tui customer contact`, the referral import)
and by the letter itself: one stored before the rule (or by a path that missed it) is never
prepared or signed, and the case asks for the postal address before a decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, Customer, Letter
from crm_tui.domain.errors import RequirementMissing, ValidationError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import next_step
from crm_tui.services.intake import customer_details
from crm_tui.services.intake.customer_details import ContactDetails
from crm_tui.services.intake.referral_import import ImportProblem, import_referral
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import readiness
from tests import builders
from tests.conftest import PASSPHRASE
from tests.demo_copies import copy_demo
from tests.unit.services.intake.test_inbox_services import SAMPLE


@pytest.mark.parametrize(("lines", "code", "field", "said"), [
    (("No fixed abode",), "", "address", "no fixed abode"),
    (("To be confirmed",), "", "address", "is not an address a letter can be posted to"),
    (("12 Mill Lane, Truro?",), "TR1 1AA", "address", "has a question mark"),
    (("12 Mill Lane", "Truro", "TR1 1AA"), "TR1 1AA", "address", "line 3 is the postcode"),
    (("12 Mill Lane", "Truro"), "NK", "postcode", "is not a UK postcode"),
    (("1 Dawson St", "Dublin 2"), "D02 X285", "postcode", "is not a UK postcode"),
    # Issue 15 AG2: with no postcode given, a line ending with one was kept.
    (("12 Mill Lane", "Truro NM4 1LS"), "", "address",
     "line 2 .* ends with a postcode: give it in the postcode field"),
    (("12 Mill Lane", "Truro NM41LS"), "", "address", "line 2 .* ends with a postcode"),
])
def test_the_case_file_refuses_an_address_a_letter_cannot_be_posted_to(
        actors: dict[Role, Actor], lines: tuple[str, ...], code: str, field: str,
        said: str) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    before = Customer.get()
    with pytest.raises(ValidationError, match=said) as refused:
        customer_details.set_contact(actors[Role.OFFICER], ref,
                                     ContactDetails(lines, code, "", ""))
    assert refused.value.field == field
    after = Customer.get()
    assert (after.address, after.postcode) == (before.address, before.postcode)


def test_the_case_file_keeps_a_uk_postcode_in_one_form_and_one_abroad_with_its_country(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    done = customer_details.set_contact(actors[Role.OFFICER], ref,
                                        ContactDetails(("12 Mill Lane", "Truro"), "nm41ls",
                                                       "", ""))
    assert done.postcode == "NM4 1LS" and Customer.get().postcode == "NM4 1LS"
    customer_details.set_contact(actors[Role.OFFICER], ref, ContactDetails(
        ("1 Dawson St", "Dublin 2", "Ireland"), "D02 X285", "", ""))
    assert (Customer.get().address, Customer.get().postcode) == (
        "1 Dawson St\nDublin 2\nIreland", "D02 X285")


def test_the_command_line_refuses_them_and_keeps_the_postcode_in_one_form(
        demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, db)

    def contact(*given: str) -> str:
        result = CliRunner().invoke(main, ["customer", "contact", "UPV-2026-0005", *given,
                                           "--db", str(db), "--user", "ceri.hughes"])
        return f"{result.exit_code}: {result.output}"

    said = contact("--address", "No fixed abode")
    assert not said.startswith("0:") and "--address: line 1 (" in said and \
        "no fixed abode" in said.split("line 1", 1)[1], said
    said = contact("--postcode", "NK")
    assert not said.startswith("0:") and "--postcode: " in said and \
        "is not a UK postcode" in said, said
    said = contact("--address", "12 Mill Lane, Truro?")  # one line each side of the comma
    assert not said.startswith("0:") and "line 2 has a question mark" in said, said
    said = contact("--address", "12 Mill Lane, Truro", "--postcode", "nm41ls")
    assert said.startswith("0:"), said
    shown = CliRunner().invoke(main, ["customer", "show", "UPV-2026-0005", "--db", str(db),
                                      "--user", "ceri.hughes"]).output
    assert "NM4 1LS" in shown and "nm41ls" not in shown


@pytest.mark.parametrize(("customer", "said"), [
    ({"address": ["To be confirmed"]}, "is not an address a letter can be posted to"),
    ({"address": ["NFA"]}, "no fixed abode"),
    ({"address": ["12 Mill Lane", "Truro?"]}, "line 2 has a question mark"),
    ({"postcode": "AAAA AAA"}, "is not a UK postcode"),
    ({"address": ["12 Mill Lane", "Truro NM4 1LS"], "postcode": ""},
     "line 2 .* ends with a postcode"),
])
def test_the_referral_import_refuses_them(actors: dict[Role, Actor], tmp_path: Path,
                                          customer: dict[str, object], said: str) -> None:
    path = tmp_path / "referral.json"
    path.write_text(json.dumps({**SAMPLE, "evidence": [],
                                "customer": {**SAMPLE["customer"],  # type: ignore[dict-item]
                                             **customer}}), encoding="utf-8")
    with pytest.raises(ImportProblem, match=said.replace("?", r"\?")):
        import_referral(actors[Role.CRM], path)


def test_the_referral_import_keeps_the_postcode_in_one_form(actors: dict[Role, Actor],
                                                            tmp_path: Path) -> None:
    path = tmp_path / "referral.json"
    path.write_text(json.dumps({**SAMPLE, "evidence": [],
                                "customer": {**SAMPLE["customer"],  # type: ignore[dict-item]
                                             "postcode": "nm42qt"}}), encoding="utf-8")
    import_referral(actors[Role.CRM], path)
    name = SAMPLE["customer"]["name"]  # type: ignore[index]
    assert Customer.get(Customer.name == name).postcode == "NM4 2QT"


@pytest.fixture
def restricted(actors: dict[Role, Actor]) -> str:
    return builders.at_state(actors, CaseState.RESTRICTED)


@pytest.mark.parametrize(("address", "postcode", "said"), [
    ("No fixed abode", "", "no fixed abode"),
    ("To be confirmed", "TR1 1AA", "is not an address a letter can be posted to"),
    ("12 Mill Lane\nTruro?", "TR1 1AA", "has a question mark"),
    ("12 Mill Lane\nTruro", "NK", "is not a UK postcode"),
    ("12 Mill Lane\nTR1 1AA", "TR1 1AA", "line 2 is the postcode"),
])
def test_a_letter_is_never_prepared_or_signed_to_an_address_stored_before_the_rule(
        actors: dict[Role, Actor], restricted: str, tmp_path: Path, address: str,
        postcode: str, said: str) -> None:
    with builders.as_the_app(restricted):  # as an older version of the app stored it
        Customer.update(address=address, postcode=postcode).execute()
    crm = actors[Role.CRM]
    with pytest.raises(RequirementMissing, match=r"the letter cannot be prepared: it cannot "
                       r"be posted: the (address|postcode) ") as refused:
        issuing.prepare(crm, restricted, LetterKind.DECISION)
    assert said in str(refused.value)
    assert "correct the customer's postal address (H on the case file)" in str(refused.value)
    assert not Letter.select().where(Letter.kind == LetterKind.DECISION.value,
                                     Letter.status == "draft").exists()
    with pytest.raises(RequirementMissing, match=r"the letter cannot be sent: .*it cannot be "
                       r"posted") as refused:
        issuing.sign_and_export(crm, restricted, LetterKind.DECISION, tmp_path / "out",
                                PASSPHRASE)
    assert said in str(refused.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    # Read in W, the letter names it among what stands in the way.
    assert any(said in gap for gap in issuing.read(crm, restricted, LetterKind.DECISION).missing)


def test_an_address_stored_before_the_rule_is_asked_for_before_a_decision(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    with builders.as_the_app(ref):
        Customer.update(address="NFA", postcode="").execute()
    case = Case.get(Case.reference == ref)
    next_step.refresh(case)
    assert case.next_action == "Record the postal address"
    [problem] = readiness.blockers(actors[Role.CRM], ref)
    assert "it cannot be posted: the address line 1" in problem
    assert "correct the customer's postal address (record it on the case file: H)" in problem


def test_the_command_line_refuses_a_line_ending_with_the_postcode_and_spaces_an_eircode(
        demo_db: Path, tmp_path: Path) -> None:
    """v15n AD4 on `crm-tui customer contact`: a line ending with the postcode was accepted
    (printed twice), an Eircode kept without its space, and an odd postcode not quoted."""
    db = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, db)

    def contact(*given: str) -> str:
        result = CliRunner().invoke(main, ["customer", "contact", "UPV-2026-0005", *given,
                                           "--db", str(db), "--user", "ceri.hughes"])
        return f"{result.exit_code}: {' '.join(result.output.split())}"

    said = contact("--address", "12 Mill Lane, Truro NM4 1LS", "--postcode", "NM4 1LS")
    assert not said.startswith("0:") and \
        '--address: line 2 ("Truro NM4 1LS") ends with the postcode' in said, said
    # Issue 15 AG2: a line ending with a postcode other than the one given (or none).
    said = contact("--address", "12 Mill Lane, Truro NM5 2QT")
    assert not said.startswith("0:") and \
        '--address: line 2 ("Truro NM5 2QT") ends with a postcode: give it in the postcode ' \
        'field' in said, said
    said = contact("--postcode", "TR1 1AA?")
    assert not said.startswith("0:") and '--postcode: "TR1 1AA?" is not a postcode' in said, said
    said = contact("--address", "1 Dawson St, Dublin 2, Ireland", "--postcode", "d02x285")
    assert said.startswith("0:"), said
    shown = CliRunner().invoke(main, ["customer", "show", "UPV-2026-0005", "--db", str(db),
                                      "--user", "ceri.hughes"]).output
    assert "D02 X285" in shown and "D02X285" not in shown, shown
