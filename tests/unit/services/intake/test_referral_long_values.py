"""A long bad value in a referral file is named, never repeated whole: every message quotes
at most a short start of it, cut with "…" (v15h H1 found a log sheet's 140,000-character
category quoted whole; the referral file's messages are checked alike here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crm_tui.domain.roles import Actor, Role
from crm_tui.services.intake.referral_import import ImportProblem, import_referral
from tests.unit.services.intake.test_inbox_services import SAMPLE

LONG = 100_000


def _long(start: str) -> str:
    return start + "Z" * LONG


@pytest.mark.parametrize("where", [
    "service_area", "referred_by", "received_on", "customer.name", "customer.postcode",
    "customer.email", "customer.telephone", "behaviour.categories", "local_resolution.spoc",
    "local_resolution.written_on", "local_resolution.contact_frequency",
    "local_resolution.monitoring_start", "local_resolution.monitoring_end", "escalation.kind",
    "escalation.occurred_on", "evidence", "schema", "unknown_key", "customer.reference",
    "case_reference", "local_resolution.spoc_name",
])
def test_a_long_bad_value_is_quoted_cut(actors: dict[Role, Actor], tmp_path: Path,
                                        where: str) -> None:
    data = json.loads(json.dumps(SAMPLE))
    data["evidence"] = []
    data["escalation"] = {"kind": "police_involvement", "occurred_on": "01/11/2026",
                          "reference": "P1", "note": "n"}
    if where == "unknown_key":
        data[_long("k")] = 1
    elif where == "customer.reference":
        data["customer"] = {"reference": _long("C")}
    else:
        *parents, last = where.split(".")
        target = data
        for key in parents:
            target = target[key]
        value = _long("1") if "on" in last.split("_")[-1:] or "monitoring" in last else \
            _long("x")
        target[last] = [value] if last in {"categories", "evidence"} else value
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "referral.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportProblem) as problem:
        import_referral(actors[Role.CRM], folder)
    said = str(problem.value)
    assert not re.search("Z{200}", said), said[:400]
    assert len(said) < 2_000, said[:400]
