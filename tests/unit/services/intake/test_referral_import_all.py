"""A referral file is read as the screens read their fields (dd/mm/yyyy dates, category
labels), and every problem in it is told at once, in the same words on the command line and
in the app's I."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.intake.referral_import import ImportProblem, import_referral
from tests import dumps
from tests.demo_copies import copy_demo
from tests.unit.services.intake.test_inbox_services import SAMPLE


def _write(folder: Path, data: object) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "referral.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_dates_as_the_screens_show_them_and_category_labels_are_read(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    path = _write(tmp_path / "r", {
        **SAMPLE, "evidence": [], "received_on": "28/11/2026",
        "behaviour": {"details": "Daily emails", "categories": ["Repeat complaints"]},
        "local_resolution": {**SAMPLE["local_resolution"], "written_on": "01/09/2026"}})
    case = Case.get(Case.reference == import_referral(actors[Role.CRM], path).reference)
    assert case.received_on == date(2026, 11, 28)


def test_a_bad_date_is_said_alike_in_the_app_and_on_the_command_line(
        demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, db)
    bad = _write(tmp_path / "r", {**SAMPLE, "referred_by": "hannah.okafor", "evidence": [],
                                  "received_on": "31/02/2026"})
    result = CliRunner().invoke(main, ["import", "referral", str(bad), "--db", str(db)],
                                env={"CRM_TUI_USER": ""})
    assert result.exit_code == 1
    said = ('referral.json, line 5, Received on ("received_on"): "31/02/2026" is not a date: '
            "type it as dd/mm/yyyy")
    assert said in result.output, result.output
    from crm_tui.db.connection import open_database
    from crm_tui.services.core.users import resolve_actor

    open_database(db)
    with pytest.raises(ImportProblem) as problem:  # what the app's I shows: str(problem)
        import_referral(resolve_actor("ceri.hughes"), bad)
    assert str(problem.value) == said


def test_every_problem_of_a_folder_is_told_at_once_and_nothing_is_stored(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    folder = tmp_path / "referral"
    _write(folder, {
        **SAMPLE, "received_on": "31/13/2026",
        "behaviour": {"details": "Daily emails",
                      "categories": ["Repeat complaints", "Repeat complaint"]},
        "local_resolution": {**SAMPLE["local_resolution"], "spoc": "nobody.here",
                             "monitoring_start": "01/11/2026", "monitoring_end": "01/09/2026"},
        "evidence": ["../../etc/passwd", "missing.eml"]})
    before = dumps.dump()
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], folder)
    said = str(problem.value)
    assert said.startswith("referral.json: 6 problems; nothing was imported:"), said
    for where in ("line 5, Received on (\"received_on\"): \"31/13/2026\" is not a date",
                  'Behaviour categories ("categories"): "Repeat complaint" is not a '
                  "behaviour category",
                  'Documents to attach ("evidence"): "../../etc/passwd" is outside',
                  "Documents to attach (\"evidence\"): missing.eml: the file does not exist",
                  'Single point of contact offered ("spoc"): no active user "nobody.here"',
                  "Monitoring period ended (\"monitoring_end\"): \"01/09/2026\" is before the "
                  "monitoring start (01/11/2026)"):
        assert where in said, said
    assert all(p.line for p in problem.value.problems)
    assert dumps.dump() == before


def test_a_cut_off_json_file_is_said_in_the_users_words(actors: dict[Role, Actor],
                                                        tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "schema": "crm-tui/referral/1"\n  "service_area": "H"\n')
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], broken)
    assert str(problem.value) == ("broken.json, line 3: the file is cut off or not valid JSON "
                                  "(a comma is missing before this point)")


def test_the_files_problems_and_the_services_are_told_in_one_round(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Round 8: a bad file took three rounds (its own problems; then "no user 'nobody'",
    hidden by the unknown service area; then the reason for skipping local resolution). Now
    one, each field named as the referral form labels it."""
    path = _write(tmp_path / "r", {
        **SAMPLE, "service_area": "Nowhere", "referred_by": "nobody", "evidence": [],
        "received_on": "31/02/2026", "local_resolution": None,
        "no_local_resolution_reason": "n/a"})
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    for where in ('Service area ("service_area"): unknown service area',
                  'Referring manager ("referred_by"): no user "nobody"',
                  'Received on ("received_on"): "31/02/2026" is not a date',
                  'Why local resolution was not attempted ("no_local_resolution_reason"): is '
                  'not a reason'):
        assert where in said, said


def test_a_blank_customer_summary_and_placeholders_are_told_with_the_rest(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Round 12: the blank customer_summary was told only once the file's other problems were
    put right; behaviour details "n/a" and a written summary "-" were recorded."""
    path = _write(tmp_path / "r", {
        **SAMPLE, "evidence": [], "received_on": "31/02/2026",
        "behaviour": {"details": "n/a", "categories": ["Repeat complaints"]},
        "local_resolution": {**SAMPLE["local_resolution"], "written_summary": "-",
                             "customer_summary": ""}})
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    assert "4 problems" in said, said
    for where in ('Received on ("received_on"): "31/02/2026" is not a date',
                  'Details of the behaviour ("details"): says nothing',
                  '("written_summary"): says nothing',
                  '("customer_summary"): is required'):
        assert where in said, said


def test_the_referral_form_meets_the_same_rule_on_its_accounts(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """The form saves through submit_referral: the same placeholders refused there."""
    from dataclasses import replace

    from crm_tui.domain.errors import Placeholder
    from crm_tui.services.intake.referral_import import parse
    from crm_tui.services.intake.referrals import submit_referral

    path = _write(tmp_path / "r", {**SAMPLE, "evidence": []})
    submission = parse(path, path.read_text(encoding="utf-8"), path.parent)
    thin = replace(submission, referral=replace(submission.referral, behaviour_details="n/a"))
    with pytest.raises(Placeholder) as refused:
        submit_referral(actors[Role.CRM], thin)
    assert refused.value.field == "behaviour_details"
    assert submission.local_resolution is not None
    thin = replace(submission, local_resolution=replace(submission.local_resolution,
                                                        written_summary="tbc"))
    with pytest.raises(Placeholder) as refused:
        submit_referral(actors[Role.CRM], thin)
    assert refused.value.field == "written_summary"


def test_a_name_given_as_a_number_is_told_once(actors: dict[Role, Actor],
                                               tmp_path: Path) -> None:
    """Issue 16 (breaker 3, finding 7e): the customer's name was read twice, and a number
    there was told twice ("2 problems")."""
    path = _write(tmp_path / "r", {**SAMPLE, "evidence": [],
                                   "customer": {**SAMPLE["customer"],  # type: ignore[dict-item]
                                                "name": 7}})
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    assert len(problem.value.problems) == 1, str(problem.value)
    assert 'Customer\'s name ("name"): must be text in double quotes' in str(problem.value)


def test_a_day_the_message_names_beside_the_one_refused_is_given_as_the_screens_give_it(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """v16b (b16c F12): with ISO days in the file, "Monitoring period ended: "2026-08-01" is
    before the monitoring start (2026-09-01)", where every other message gave dd/mm/yyyy. The
    value refused stays quoted as written; the start it is compared with reads 01/09/2026."""
    path = _write(tmp_path / "r", {
        **SAMPLE, "local_resolution": {**SAMPLE["local_resolution"],
                                       "monitoring_start": "2026-09-01",
                                       "monitoring_end": "2026-08-01"}})
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    assert ("Monitoring period ended (\"monitoring_end\"): \"2026-08-01\" is before the "
            "monitoring start (01/09/2026)") in said, said


def test_a_bad_date_does_not_hide_the_customers_address_problems(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """b16e F4: with a bad date, the address's and the postcode's problems (found only as the
    customer was saved) were not told: one problem of three."""
    long_line = "Flat 4, " + "Lantern Yard Buildings, " * 6
    path = _write(tmp_path / "r", {
        **SAMPLE, "evidence": [], "received_on": "31/02/2026",
        "customer": {**SAMPLE["customer"], "address": [long_line, "Northmere"],
                     "postcode": "NM1 4AB NM1 4AB NM1"}})
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    assert said.startswith("referral.json: 3 problems; nothing was imported"), said
    assert '"31/02/2026" is not a date' in said
    assert "is too long" in said and "Postcode" in said


def test_a_question_mark_as_address_and_postcode_is_told_with_the_rest(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """v15k V3: "?" as the address (and postcode, refused since v15j) is told in the first
    round with every other problem of the file, as the referral form now tells it."""
    path = _write(tmp_path / "r", {
        **SAMPLE, "evidence": [], "received_on": "31/02/2026",
        "customer": {**SAMPLE["customer"], "address": ["?"], "postcode": "?"}})
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    assert said.startswith("referral.json: 3 problems; nothing was imported"), said
    assert '"31/02/2026" is not a date' in said
    assert "line 1 has no letter or number" in said and "is not a postcode" in said, said


def test_an_unknown_case_reference_is_told_with_the_rest_at_its_own_field(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """v15i N2: a file naming no case and with too short a reason for skipping local
    resolution told only the reason; once that was put right, the reference alone, under the
    escalation's label ("Crime, incident or legal reference") and with no line."""
    data = {key: value for key, value in SAMPLE.items() if key != "customer"}
    path = _write(tmp_path / "r", {
        **data, "case_reference": "UPV-9999-9999", "evidence": [], "local_resolution": None,
        "no_local_resolution_reason": "Too short"})
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if '"case_reference"' in text)
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    assert (f'line {line}, Case reference ("case_reference"): no case "UPV-9999-9999"'
            in said), said
    assert "Why local resolution was not attempted" in said, said
    assert "Crime, incident" not in said, said


def test_every_problem_of_the_address_s_lines_is_told_at_once(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """v15n AD4: the address ["To be confirmed", "Eastwick?", "NM4 2QT"] was told line 1's
    problem only; fixed, the next import told line 2's."""
    path = _write(tmp_path / "r", {
        **SAMPLE, "evidence": [],
        "customer": {**SAMPLE["customer"], "address": ["To be confirmed", "Eastwick?",
                                                       "NM4 2QT"], "postcode": ""}})
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    said = " ".join(str(problem.value).split())
    assert 'line 1 ("To be confirmed") is not an address' in said, said
    assert 'line 2 has a question mark ("Eastwick?")' in said, said
    assert 'line 3 is a postcode ("NM4 2QT")' in said, said
