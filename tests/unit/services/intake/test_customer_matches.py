"""A referral naming a person already on record (the same postcode and surname, or the same
name and first line of address) is never saved as a second customer silently (found when
tried, b16f F6: C000002's details imported gave C000021, whose case C000002's subject access
request then missed). The import refuses, exit 2, naming the match and how to say which; the
choice said is recorded in the audit entry."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case, Customer
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core.audit_details import details
from crm_tui.services.core.inputs import CustomerInput
from crm_tui.services.intake.customer_matches import LikelyMatches, likely_matches
from crm_tui.services.intake.referral_import import ImportProblem, import_referral, parse
from crm_tui.services.intake.referrals import ReferralSubmission, submit_referral
from tests import dumps, outside
from tests.unit.services.intake.test_inbox_services import SAMPLE

ON_RECORD = {"name": "Mr Ptolemy Gribble", "address": ["14 Lantern Yard", "Northmere"],
             "postcode": "NM4 2QT", "email": "pg@example.org"}


def _write(folder: Path, customer: dict[str, Any]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "referral.json"
    path.write_text(json.dumps({**SAMPLE, "evidence": [], "customer": customer}, indent=2),
                    encoding="utf-8")
    return path


def _dump() -> list[str]:
    return dumps.dump()


@pytest.fixture
def known(actors: dict[Role, Actor], tmp_path: Path) -> str:
    """The reference of Mr Gribble, on record with one case."""
    summary = import_referral(actors[Role.CRM], _write(tmp_path / "first", ON_RECORD))
    return str(Case.get(Case.reference == summary.reference).customer.reference)


@pytest.mark.parametrize(("name", "address", "postcode", "why"), [
    ("ptolemy  GRIBBLE", (), "nm42qt", "same postcode and surname"),
    ("Dr Ada Gribble", ("2 Other Street",), "NM4 2QT", "same postcode and surname"),
    ("Ptolemy Gribble", ("14  lantern yard,",), "", "same name and first line of address"),
    ("Mr. PTOLEMY GRIBBLE", ("14 Lantern Yard", "Elsewhere"), "NM9 9ZZ",
     "same name and first line of address"),
])
def test_a_likely_match_is_found_whatever_the_case_spaces_or_title(
        known: str, name: str, address: tuple[str, ...], postcode: str, why: str) -> None:
    [match] = likely_matches(CustomerInput(name=name, address=address, postcode=postcode))
    assert match.reference == known and match.why == why
    assert match.name == "Mr Ptolemy Gribble" and match.postcode == "NM4 2QT"
    assert len(match.cases) == 1


@pytest.mark.parametrize(("name", "address", "postcode"), [
    ("Ptolemy Smith", ("14 Lantern Yard",), "NM4 2QT"),  # a neighbour: another surname
    ("Ptolemy Gribble", ("9 Mill Lane",), "NM7 1AA"),  # the same name elsewhere
    ("Ptolemy Gribble", (), ""),  # nothing to tell by
])
def test_no_match_for_another_person(known: str, name: str, address: tuple[str, ...],
                                     postcode: str) -> None:
    assert likely_matches(CustomerInput(name=name, address=address, postcode=postcode)) == []
    assert likely_matches(CustomerInput(name="", reference=known)) == []


def test_the_import_refuses_a_likely_match_naming_it_and_stores_nothing(
        actors: dict[Role, Actor], known: str, tmp_path: Path) -> None:
    path = _write(tmp_path / "again", {**ON_RECORD, "name": "Ptolemy Gribble"})
    before = _dump()
    with pytest.raises(ImportProblem) as problem:  # the app's I shows str(problem)
        import_referral(actors[Role.CRM], path)
    said = str(problem.value)
    assert problem.value.asks_which
    assert f"may be a customer already on record: {known}, Mr Ptolemy Gribble, " \
           "14 Lantern Yard, NM4 2QT (same postcode and surname; case UPV-" in said, said
    assert f'"customer": {{"reference": "{known}"}}' in said
    assert '"new_person": true' in said
    assert _dump() == before


def test_the_file_says_which_person_and_the_audit_entry_records_it(
        actors: dict[Role, Actor], known: str, tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    different = import_referral(crm, _write(tmp_path / "new", {**ON_RECORD,
                                                                "new_person": True}))
    other = Case.get(Case.reference == different.reference).customer.reference
    assert other != known
    entry = AuditEntry.get((AuditEntry.case_reference == different.reference)
                           & (AuditEntry.action == "record_referral"))
    assert json.loads(entry.payload)["customer_match"] == {
        "said": "a different person", "likely": [known]}
    assert details("record_referral", entry.payload) == (  # as the audit trail shows it
        f"Customer: said to be a different person from {known}, shown as likely the same",)
    same = import_referral(crm, _write(tmp_path / "same", {"reference": known}))
    assert Case.get(Case.reference == same.reference).customer.reference == known
    assert Customer.select().count() == 2


def test_a_reference_and_new_person_together_are_refused(
        actors: dict[Role, Actor], known: str, tmp_path: Path) -> None:
    path = _write(tmp_path / "both", {"reference": known, "new_person": True})
    with pytest.raises(ImportProblem, match=r"new_person.*cannot be given with a reference"):
        import_referral(actors[Role.CRM], path)


def test_the_service_refuses_unless_told_and_records_the_choice(
        actors: dict[Role, Actor], known: str) -> None:
    """The form's path: LikelyMatches carries the matches to show; the choice of the same
    person keeps the typed details out of the record and says so in the audit entry."""
    text = json.dumps({**SAMPLE, "evidence": [], "customer": {**ON_RECORD,
                                                              "postcode": "nm4 2qt"}})
    submission = parse(Path("referral.json"), text, Path("."))
    with pytest.raises(LikelyMatches) as found:
        submit_referral(actors[Role.CRM], submission)
    assert [m.reference for m in found.value.matches] == [known]
    assert submission.customer is not None
    chosen = ReferralSubmission(**{**submission.__dict__, "customer": CustomerInput(
        name=submission.customer.name, address=submission.customer.address,
        postcode=submission.customer.postcode, reference=known, same_as_match=True)})
    summary = submit_referral(actors[Role.CRM], chosen)
    entry = AuditEntry.get((AuditEntry.case_reference == summary.reference)
                           & (AuditEntry.action == "record_referral"))
    assert json.loads(entry.payload)["customer_match"] == {
        "said": "the same person", "customer": known, "likely": [known]}
    assert details("record_referral", entry.payload) == (
        f"Customer: said to be the same person as {known} (shown as likely: {known})",)
    assert Customer.select().count() == 1


def test_the_command_line_refuses_with_exit_2_and_says_how_to_say_which(
        actors: dict[Role, Actor], known: str, db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    path = _write(tmp_path / "cli", ON_RECORD)
    before = _dump()
    acting_as("crm")
    result = CliRunner().invoke(main, ["import", "referral", str(path),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 2, result.output
    assert f"may be a customer already on record: {known}" in result.output
    assert '"new_person": true' in " ".join(result.output.split())
    assert _dump() == before


def test_a_manager_is_told_only_that_another_areas_customer_matches(
        actors: dict[Role, Actor], known: str, tmp_path: Path) -> None:
    """Mr Gribble's case is Housing Services': the Waste and Recycling manager is told of a
    customer with a case in another service area, never who, where or which case; Housing
    Services' own manager sees him whole."""
    from crm_tui.services.core.users import resolve_actor

    typed = CustomerInput(name="Dr Ada Gribble", address=("2 Other Street",),
                          postcode="NM4 2QT")
    [match] = likely_matches(typed, resolve_actor("manager2"))
    assert match.withheld and match.cases == ()
    assert match.described == ("a customer with a case in another service area "
                               "(same postcode and surname)")
    [whole] = likely_matches(typed, actors[Role.SERVICE_AREA_MANAGER])
    assert not whole.withheld and whole.described.startswith(f"{known}, Mr Ptolemy Gribble")
    path = _write(tmp_path / "waste", {"name": typed.name, "address": list(typed.address),
                                       "postcode": typed.postcode})
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(service_area="Waste and Recycling", referred_by="manager2")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportProblem) as problem:
        import_referral(resolve_actor("manager2"), path)
    said = str(problem.value)
    assert "a customer with a case in another service area" in said, said
    for unseen in (known, "Ptolemy", "Lantern", "UPV-"):
        assert unseen not in said, (unseen, said)
    assert "Only the Complaints Resolution Team can link a referral to a customer of " \
        "another service area" in said, said
    assert '"new_person": true' in said and "import it in the app" not in said, said


def test_the_same_person_is_only_one_offered_as_likely(
        actors: dict[Role, Actor], known: str, tmp_path: Path) -> None:
    """The answer `I` passes on (same_as) links only a customer shown as likely the same:
    any other reference is refused, nothing imported."""
    other = import_referral(actors[Role.CRM], _write(tmp_path / "other", {
        "name": "Mr Silas Ormerod", "address": ["3 Wharf Lane"], "postcode": "NM7 7TT"}))
    stranger = str(Case.get(Case.reference == other.reference).customer.reference)
    path = _write(tmp_path / "again", ON_RECORD)
    before = _dump()
    with pytest.raises(ImportProblem, match="no longer shown as likely the same person"):
        import_referral(actors[Role.CRM], path, same_as=stranger)
    assert _dump() == before
    linked = import_referral(actors[Role.CRM], path, same_as=known)
    assert Case.get(Case.reference == linked.reference).customer.reference == known


def _for_waste(path: Path) -> Path:
    """The file as the Waste and Recycling manager (manager2) would send it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(service_area="Waste and Recycling", referred_by="manager2")
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_manager_cannot_name_another_areas_customer_by_reference(
        actors: dict[Role, Actor], known: str, tmp_path: Path) -> None:
    """Mr Gribble's only case is Housing Services': to the Waste and Recycling manager his
    reference is refused in the very words an unknown one is (nothing attached to him,
    nothing learnt of him); the CRM, who reads every case, may name him."""
    from crm_tui.services.core.users import resolve_actor

    waste = resolve_actor("manager2")
    said = {}
    for reference in (known, "C999999"):
        path = _for_waste(_write(tmp_path / reference, {"reference": reference}))
        before = _dump()
        with pytest.raises(ImportProblem) as problem:
            import_referral(waste, path)
        assert _dump() == before
        said[reference] = str(problem.value).replace(reference, "REF")
    assert said[known] == said["C999999"], said
    assert 'no customer "REF"' in said[known], said[known]
    for unseen in ("Ptolemy", "Gribble", "Lantern", "UPV-"):
        assert unseen not in said[known], (unseen, said[known])
    linked = import_referral(actors[Role.CRM], _for_waste(_write(tmp_path / "crm",
                                                                 {"reference": known})))
    assert Case.get(Case.reference == linked.reference).customer.reference == known


def test_a_manager_names_their_own_areas_customer_never_another_areas_match(
        actors: dict[Role, Actor], known: str, tmp_path: Path) -> None:
    """Housing Services' manager may name Mr Gribble, whose case is theirs. The Waste and
    Recycling manager may not link him even as the likely match he is (v16h H0: the new case
    then showed them his address, telephone and the other area's contact log): "the same
    person" to him is refused in the words an unknown customer is, nothing imported; said a
    new person, the referral is recorded so, and its audit entry names him for the team."""
    from crm_tui.services.core.users import resolve_actor

    own = import_referral(actors[Role.SERVICE_AREA_MANAGER],
                          _write(tmp_path / "own", {"reference": known}))
    assert Case.get(Case.reference == own.reference).customer.reference == known
    typed = {"name": "Dr Ada Gribble", "address": ["2 Other Street"], "postcode": "NM4 2QT"}
    waste = resolve_actor("manager2")
    said = {}
    for reference in (known, "C999999"):
        path = _for_waste(_write(tmp_path / f"same-{reference}", typed))
        before = _dump()
        with pytest.raises(ImportProblem) as refused:
            import_referral(waste, path, same_as=reference)
        assert _dump() == before
        said[reference] = str(refused.value).replace(reference, "REF")
    assert said[known] == said["C999999"], said
    assert 'no customer "REF"' in said[known], said[known]
    new = import_referral(waste, _for_waste(_write(tmp_path / "new", typed)), new_person=True)
    case = Case.get(Case.reference == new.reference)
    assert case.customer.reference != known and case.customer.name == "Dr Ada Gribble"
    entry = AuditEntry.get((AuditEntry.case_reference == new.reference)
                           & (AuditEntry.action == "record_referral"))
    assert json.loads(entry.payload)["customer_match"] == {
        "said": "a different person", "likely": [known], "other_areas_only": [known]}
    assert details("record_referral", entry.payload) == (  # as the team reads it
        f"Customer: recorded as a new person; shown as likely the same: {known}, of which "
        f"{known} has cases only in other service areas than the referring manager's, for "
        "the Complaints Resolution Team to link if it is",)
    # The manager's audit trail says it as the question did, with no reference.
    from crm_tui.services.core import audit

    [told] = [r.details for r in audit.recent(waste, case_reference=new.reference)
              if r.action == "record_referral"]
    assert told == ("Customer: recorded as a new person; shown as likely the same: a "
                    "customer with cases only in other service areas, for the Complaints "
                    "Resolution Team to link if it is",), told
    [team] = [r.details for r in audit.recent(actors[Role.CRM], case_reference=new.reference)
              if r.action == "record_referral"]
    assert known in team[0], team


def test_the_service_refuses_another_areas_customer_to_a_manager(
        actors: dict[Role, Actor], known: str) -> None:
    """The service itself keeps the rule, whatever calls it (the form, the import)."""
    from crm_tui.domain.errors import ValidationError
    from crm_tui.services.core.users import resolve_actor

    text = json.dumps({**SAMPLE, "evidence": [], "service_area": "Waste and Recycling",
                       "referred_by": "manager2", "customer": {"reference": known}})
    submission = parse(Path("referral.json"), text, Path("."))
    before = _dump()
    with pytest.raises(ValidationError, match='no customer "'):
        submit_referral(resolve_actor("manager2"), submission)
    assert _dump() == before


def test_the_command_line_refuses_another_areas_customer_to_a_manager(
        actors: dict[Role, Actor], known: str, db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    said = {}
    for reference in (known, "C999999"):
        path = _for_waste(_write(tmp_path / reference, {"reference": reference}))
        before = _dump()
        acting_as("manager2")
        result = CliRunner().invoke(main, ["import", "referral", str(path),
                                           "--db", outside.target(db_path)])
        assert result.exit_code != 0, result.output
        assert _dump() == before
        said[reference] = (result.exit_code, result.output.replace(reference, "REF"))
    assert said[known] == said["C999999"], said
    assert 'no customer "REF"' in said[known][1], said
    acting_as("crm")
    path = _for_waste(_write(tmp_path / "crm", {"reference": known}))
    result = CliRunner().invoke(main, ["import", "referral", str(path),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output


def test_finding_a_customer_by_reference_keeps_to_the_managers_area(
        actors: dict[Role, Actor], known: str) -> None:
    """find_customer (the command line's customer words, would-comply, subject access) is
    no way to another area's customer either: the same refusal as for no one."""
    from crm_tui.domain.errors import NotKnown
    from crm_tui.services.core.scope import find_customer
    from crm_tui.services.core.users import resolve_actor

    said = {}
    for reference in (known, "C999999"):
        with pytest.raises(NotKnown) as refused:
            find_customer(resolve_actor("manager2"), reference)
        said[reference] = str(refused.value).replace(reference, "REF")
    assert said[known] == said["C999999"]
    assert find_customer(actors[Role.SERVICE_AREA_MANAGER], known).reference == known
    assert find_customer(actors[Role.CRM], known).reference == known
