"""One rule for a customer's email and telephone on every path that writes them (t15c finding
2: a new referral, from the form or its import, saved an email "X" that H and `crm-tui
customer contact` refused)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from crm_tui.db.models import Case, Customer
from crm_tui.domain.errors import Problems, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import customer_details
from crm_tui.services.intake.customer_details import ContactDetails
from crm_tui.services.intake.referral_import import ImportProblem, import_referral, parse
from crm_tui.services.intake.referrals import submission_problems, submit_referral
from tests import builders, dumps
from tests.unit.services.intake.test_inbox_services import SAMPLE

NOT_AN_EMAIL = '"X" is not an email address: an email address must have an @-sign'


def _dump() -> list[str]:
    return dumps.dump()


def _file(tmp_path: Path, **customer: str) -> Path:
    path = tmp_path / "referral.json"
    data = {**SAMPLE, "evidence": [],
            "customer": {**SAMPLE["customer"], **customer}}  # type: ignore[dict-item]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_the_referral_forms_save_refuses_an_email_that_is_not_one(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    path = _file(tmp_path, email="X")
    submission = parse(path, path.read_text(encoding="utf-8"), path.parent)
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        submit_referral(actors[Role.CRM], submission)
    assert (refused.value.field, refused.value.message) == ("email", NOT_AN_EMAIL)
    assert _dump() == before
    # Listed with every other problem of the submission, each at its field.
    assert submission.customer is not None
    thin = replace(submission, customer=replace(submission.customer,
                                                telephone="0" * 41, postcode="NM4 2QT " * 3))
    fields = [p.field for p in submission_problems(actors[Role.CRM], thin)]
    assert {"email", "telephone", "postcode"} <= set(fields), fields


def test_the_import_refuses_it_at_its_line_and_field(actors: dict[Role, Actor],
                                                     tmp_path: Path) -> None:
    path = _file(tmp_path, email="X", telephone="0" * 41)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1)
                if '"email"' in text)
    before = _dump()
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    assert f'line {line}, Email ("email"): {NOT_AN_EMAIL}' in said, said
    assert 'Telephone ("telephone"): is too long (41 characters; at most 40)' in said, said
    assert _dump() == before


def test_the_import_keeps_a_good_email_in_its_normal_form(actors: dict[Role, Actor],
                                                          tmp_path: Path) -> None:
    path = _file(tmp_path, email=" pg@EXAMPLE.org ")
    case = Case.get(Case.reference == import_referral(actors[Role.CRM], path).reference)
    assert Customer.get_by_id(case.customer_id).email == "pg@example.org"


def test_h_tells_the_email_with_the_address_problems_at_once(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    before = customer_details.contact(actors[Role.OFFICER], ref)
    with pytest.raises(Problems) as refused:
        customer_details.set_contact(actors[Role.OFFICER], ref, ContactDetails(
            ("1 Mill Lane",), "TR1 1AA TR1 1AA", "X", "0" * 41, before.version))
    assert {p.field: p.message for p in refused.value.found}["email"] == NOT_AN_EMAIL
    assert [p.field for p in refused.value.found] == ["postcode", "email", "telephone"]
    assert customer_details.contact(actors[Role.OFFICER], ref) == before


def test_the_command_line_import_says_it_at_its_line_and_field(demo_db: Path,
                                                               tmp_path: Path) -> None:
    from click.testing import CliRunner

    from crm_tui.cli import main
    from tests.demo_copies import copy_demo

    db = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, db)
    path = _file(tmp_path, email="X")
    path.write_text(path.read_text().replace('"manager"', '"hannah.okafor"'), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1)
                if '"email"' in text)
    result = CliRunner().invoke(main, ["import", "referral", str(path), "--db", str(db),
                                       "--user", "ceri.hughes"])
    assert result.exit_code == 1, result.output
    assert f'referral.json, line {line}, Email ("email"): {NOT_AN_EMAIL}' in result.output, \
        result.output


@pytest.mark.parametrize("typed", ["X", "123", "0163296099912345678"])
def test_a_telephone_that_is_not_one_is_refused_on_every_path(
        actors: dict[Role, Actor], tmp_path: Path, typed: str) -> None:
    """fixBU left the telephone's shape unchecked: "X" was kept as a customer's number."""
    path = _file(tmp_path, telephone=typed)
    before = _dump()
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    assert 'Telephone ("telephone"): ' in str(problem.value)
    assert f'"{typed}" is not a telephone number' in str(problem.value)
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    held = customer_details.contact(actors[Role.OFFICER], ref)
    with pytest.raises(ValidationError) as refused:  # one problem: itself, not a list
        customer_details.set_contact(actors[Role.OFFICER], ref, ContactDetails(
            ("1 Mill Lane",), "TR1 1AA", "", typed, held.version))
    assert refused.value.field == "telephone"
    assert customer_details.contact(actors[Role.OFFICER], ref) == held
    assert _dump() != before  # the case built above; nothing of the refused writes


@pytest.mark.parametrize("typed", ["01632 960999", "07700 900123", "+33 1 23 45 67 89",
                                   "(01632) 960-999"])
def test_a_telephone_at_home_or_abroad_is_kept_as_typed(actors: dict[Role, Actor],
                                                       tmp_path: Path, typed: str) -> None:
    path = _file(tmp_path, telephone=f" {typed} ")
    case = Case.get(Case.reference == import_referral(actors[Role.CRM], path).reference)
    assert Customer.get_by_id(case.customer_id).telephone == typed
