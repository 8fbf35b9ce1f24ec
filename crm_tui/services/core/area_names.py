"""A service area's name as screens show it. The audit trail keeps a hash of each area's name
(team_seal); a name edited in the database (`update service_area set name=…`) is one the
trail never recorded, and `audit verify` calls it broken. Shown as it stands, it would read as
fact on every screen. So a name not as the trail sealed it is shown as the configured name
whose hash matches the seal (the name as it was), or, where none does, marked "(changed
outside the app)"."""

from __future__ import annotations

from typing import Any, cast

from crm_tui.db.models import ServiceArea, read_once
from crm_tui.services.core import audit_seals, settings, team_seal

CHANGED = "changed outside the app"


def shown_names() -> dict[int, str]:
    """Every service area's name for display, by id (read once for a list of rows; once
    for a whole read inside models.people_read_once)."""
    return dict(read_once("service areas shown", _shown_names))


def _shown_names() -> dict[int, str]:
    rows = cast(list[tuple[Any, Any]],
                list(ServiceArea.select(ServiceArea.id, ServiceArea.name).tuples()))
    found = team_seal.latest()
    sealed = found[1].get("areas") if found is not None else None
    if not isinstance(sealed, dict):  # no seal holds the areas yet: nothing to hold them to
        return {int(i): str(name) for i, name in rows}
    configured = {audit_seals.row_hash((name,)): name
                  for name in settings.current().service_areas}
    shown: dict[int, str] = {}
    for area_id, name in rows:
        was = sealed.get(str(area_id))
        if was == audit_seals.row_hash((name,)):
            shown[int(area_id)] = str(name)
        elif was in configured:
            shown[int(area_id)] = configured[was]
        else:
            shown[int(area_id)] = f"{name} ({CHANGED})"
    return shown


def shown_name(area_id: int | None) -> str:
    """One service area's name for display ("" for none)."""
    if area_id is None:
        return ""
    return shown_names().get(int(area_id), "")
