"""A referral names the behaviour (item 3 of issue 13) and skipping local resolution needs a
real reason (item 7): through the service, the import file and the command line, each refusal
naming the field and leaving the database unchanged."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, Escalation, PriorWarning, Referral
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core.inputs import CustomerInput, EscalationInput, ReferralInput
from crm_tui.services.intake import casework
from crm_tui.services.intake.referral_import import ImportProblem, import_referral
from tests import builders, dumps
from tests.demo_copies import copy_demo
from tests.unit.services.intake.test_inbox_services import SAMPLE

POLICE = EscalationInput(EscalationKind.POLICE, date(2026, 10, 30),
                         "Threatened the officer at reception", "NM/26/4411")
FULL = ("The customer was told in writing by the previous housing provider in March that the "
        "same behaviour would be referred, and the contact continued after the transfer")


def _dump() -> list[str]:
    return dumps.dump()


def _refer(actors: dict[Role, Actor], **changes: Any) -> str:
    referral = ReferralInput(**{"referred_by": "manager", "received_on": date(2026, 11, 2),
                                "behaviour_details": "Forty emails a week",
                                "categories": (B.EXCESSIVE_DEMANDS,), **changes})
    return casework.record_referral(actors[Role.SERVICE_AREA_MANAGER], referral,
                                    customer=CustomerInput(name="Ria Referred"),
                                    service_area="Housing Services").reference


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"categories": ()}, "categories", "at least one of the policy's examples"),
    ({"categories": (B.OTHER,)}, "other_behaviour", "describe the other behaviour"),
    ({"other_behaviour": "Leaves voicemails in a false name"}, "other_behaviour",
     "Other is not ticked"),
    ({"categories": (B.OTHER,), "other_behaviour": "x"}, "other_behaviour",
     "describe the other behaviour"),
    ({"categories": (B.OTHER,), "other_behaviour": "n/a n/a n/a"}, "other_behaviour",
     "describe the other behaviour"),
    # The referral comes from the manager of the area most affected, not from the Head of
    # Service (who gives the independent view) nor another area's manager.
    ({"referred_by": "hos"}, "referred_by", "is not a service area manager for Housing"),
    ({"referred_by": "manager2"}, "referred_by", "is not a service area manager for Housing"),
])
def test_a_referral_names_the_behaviour(actors: dict[Role, Actor], changes: dict[str, Any],
                                        field: str, words: str) -> None:
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        _refer(actors, no_local_resolution_reason=FULL, **changes)
    assert refused.value.field == field and words in refused.value.message
    assert _dump() == before


def test_other_behaviour_is_described_and_kept(actors: dict[Role, Actor]) -> None:
    ref = _refer(actors, categories=(B.OTHER,), other_behaviour="Leaves voicemails in a false "
                 "name", no_local_resolution_reason=FULL)
    referral = Referral.get(Referral.case == Case.get(Case.reference == ref))
    assert referral.other_behaviour == "Leaves voicemails in a false name"


@pytest.mark.parametrize("reason", ["n/a", "-", "none", "N/A.", "tbc", "see above"])
def test_skipping_local_resolution_is_not_n_a(actors: dict[Role, Actor], reason: str) -> None:
    before = _dump()
    for escalation in (None, POLICE):
        with pytest.raises(ValidationError, match="is not a reason") as refused:
            _refer(actors, no_local_resolution_reason=reason, escalation=escalation)
        assert refused.value.field == "no_local_resolution_reason"
    assert _dump() == before


def test_skipping_local_resolution_rests_on_an_escalation_or_a_full_explanation(
        actors: dict[Role, Actor]) -> None:
    short = "Police called after threats at reception"
    before = _dump()
    with pytest.raises(ValidationError, match="rests on no escalation record"):
        _refer(actors, no_local_resolution_reason=short)
    with pytest.raises(ValidationError) as bad_escalation:  # the whole referral, or nothing
        _refer(actors, no_local_resolution_reason=short,
               escalation=EscalationInput(EscalationKind.LEGAL_ACTION, date(2026, 10, 1),
                                          "Injunction applied for"))
    assert bad_escalation.value.field == "reference"
    assert _dump() == before
    ref = _refer(actors, no_local_resolution_reason=short, escalation=POLICE)
    [record] = Escalation.select().where(Escalation.case == Case.get(Case.reference == ref))
    assert record.reference == "NM/26/4411" and record.kind == "police_involvement"
    assert _refer(actors, no_local_resolution_reason=FULL)


def test_a_legacy_placeholder_on_a_case_is_not_a_reason(actors: dict[Role, Actor]) -> None:
    """A case returned for local resolution that never had one keeps its old "n/a"."""
    ref = _refer(actors, no_local_resolution_reason=FULL)
    casework.begin_consideration(actors[Role.CRM], ref)
    casework.return_to_service_area(actors[Role.CRM], ref, "Try local resolution first")
    Case.update(no_local_resolution_reason="n/a").where(Case.reference == ref).execute()
    before = _dump()
    with pytest.raises(ValidationError, match="is not a reason"):
        casework.record_referral(actors[Role.SERVICE_AREA_MANAGER], ReferralInput(
            "manager", date(2026, 11, 20), "Still forty emails a week",
            (B.EXCESSIVE_DEMANDS,)), case_reference=ref)
    assert _dump() == before


def _write(folder: Path, data: object) -> Path:
    path = folder / "referral.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "field"), [
    ({"behaviour": {"details": "Daily emails", "categories": []}}, "behaviour.categories"),
    ({"behaviour": {"details": "Daily emails", "categories": ["other"]}}, "behaviour.other"),
    ({"local_resolution": None, "no_local_resolution_reason": "n/a"},
     "no_local_resolution_reason"),
    ({"local_resolution": None, "no_local_resolution_reason": "Police called to reception",
      "escalation": {"kind": "complaint", "occurred_on": "2026-10-30", "note": "x"}},
     "escalation.kind"),
    ({"local_resolution": None, "no_local_resolution_reason": "Police called to reception",
      "escalation": {"kind": "police_involvement", "occurred_on": "2026-10-30",
                     "note": "Threats"}}, "escalation.reference"),
    ({"local_resolution": {**SAMPLE["local_resolution"], "warned": "yes"}},
     "local_resolution.warned"),
])
def test_import_refuses_a_referral_without_grounds(actors: dict[Role, Actor], tmp_path: Path,
                                                   change: dict[str, Any], field: str) -> None:
    path = _write(tmp_path, {**SAMPLE, "evidence": [], **change})
    before = _dump()
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], path)
    assert problem.value.field == field
    assert problem.value.line is not None
    assert _dump() == before


def test_import_records_other_behaviour_escalation_and_warning(actors: dict[Role, Actor],
                                                               tmp_path: Path) -> None:
    warned = _write(tmp_path, {**SAMPLE, "evidence": [], "local_resolution": {
        **SAMPLE["local_resolution"], "warned": True}})
    ref = import_referral(actors[Role.CRM], warned).reference
    [warning] = PriorWarning.select().where(PriorWarning.case == Case.get(Case.reference == ref))
    assert warning.given_on == date(2026, 9, 1) and warning.local_resolution_id is not None
    extreme = _write(tmp_path, {
        **SAMPLE, "evidence": [], "local_resolution": None,
        # Another person: the same details again would be refused as likely Mr Gribble.
        "customer": {"name": "Ms Ottoline Pargeter", "address": ["3 Weir Lane"],
                     "postcode": "NM4 7XY"},
        "behaviour": {"details": "Threats", "categories": ["offensive_remarks", "other"],
                      "other": "Followed the officer to her car"},
        "no_local_resolution_reason": "Police called to reception after threats",
        "escalation": {"kind": "police involvement", "occurred_on": "2026-10-30",
                       "reference": "NM/26/4411", "note": "Threats at reception"}})
    case = Case.get(Case.reference == import_referral(actors[Role.CRM], extreme).reference)
    assert Referral.get(Referral.case == case).other_behaviour == \
        "Followed the officer to her car"
    assert Escalation.get(Escalation.case == case).reference == "NM/26/4411"


def test_the_command_line_refuses_a_referral_without_behaviour(demo_db: Path,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**SAMPLE, "referred_by": "hannah.okafor", "evidence": [],
                               "behaviour": {"details": "Daily emails"}}, indent=2))
    before = list(sqlite3.connect(path).iterdump())
    result = CliRunner().invoke(main, ["import", "referral", str(bad), "--db", str(path)],
                                env={"CRM_TUI_USER": ""})
    assert result.exit_code == 1
    assert 'Behaviour categories ("categories")' in result.output
    assert "at least one of the policy's examples" in result.output
    assert list(sqlite3.connect(path).iterdump()) == before


def test_a_referral_is_not_received_before_the_local_resolution_it_follows(
        actors: dict[Role, Actor]) -> None:
    ref = builders.local_resolution(actors)  # local resolution began on 1 September 2026
    before = _dump()
    with pytest.raises(ValidationError, match="before the local resolution it follows began, "
                                              "on 1 September 2026") as refused:
        casework.record_referral(actors[Role.SERVICE_AREA_MANAGER], ReferralInput(
            "manager", date(2026, 8, 1), "Forty emails a week", (B.EXCESSIVE_DEMANDS,)),
            case_reference=ref)
    assert refused.value.field == "received_on"
    assert _dump() == before
