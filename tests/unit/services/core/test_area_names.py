"""A service area's name edited in the database (`update service_area set name=…`) is not
shown as fact: `audit verify` calls it broken, while the inbox, the case file's header, the
case summaries and the team showed it as the area's name (found when tried). Each shows the
configured name whose hash matches the trail's seal, or, where none does, the name marked
"(changed outside the app)"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import settings, users
from crm_tui.services.intake import case_file, inbox, queries
from tests.unit.services.core.test_audit_vouching_team import _area_renamed, _call, _team

FORGED = "Chief Executive's Office"


def _shown(actors: dict[Role, Actor], ref: str) -> dict[str, str]:
    crm = actors[Role.CRM]
    row = next(r for r in inbox.page(crm, inbox.InboxFilter(), size=100).rows
               if r.reference == ref)
    manager = next(u for u in users.list_users() if u.login == "manager")
    file = case_file.case_file(crm, ref)
    # The timeline's referral and contacts name their area as the header does.
    said = {line.removeprefix("Service area: ") for entry in file.timeline
            for line in entry.detail.splitlines() if line.startswith("Service area: ")}
    assert len(said) == 1, said
    return {"inbox": row.service_area, "timeline": said.pop(),
            "case file": file.summary.service_area,
            "summaries": next(c.service_area for c in queries.list_cases(crm)
                              if c.reference == ref),
            "team": manager.service_area or ""}


def test_a_renamed_area_shows_the_name_the_trail_sealed(actors: dict[Role, Actor],
                                                        db_path: Path) -> None:
    ref = _team(actors)
    _call(ref, actors, "Rang about the repair again")  # a contact in Housing Services
    assert set(_shown(actors, ref).values()) == {"Housing Services"}  # the premise
    _area_renamed(db_path)
    assert set(_shown(actors, ref).values()) == {"Housing Services"}


def test_a_renamed_area_with_no_configured_name_to_match_is_marked(
        actors: dict[Role, Actor], db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _team(actors)
    _call(ref, actors, "Rang about the repair again")
    _area_renamed(db_path)
    kept = settings.current()
    monkeypatch.setattr(settings, "current", lambda: replace(kept, service_areas=tuple(
        a for a in kept.service_areas if a != "Housing Services")))
    assert set(_shown(actors, ref).values()) == {f"{FORGED} (changed outside the app)"}
