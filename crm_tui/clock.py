"""The app's clock. `CRM_TUI_NOW` (ISO date or date-time) freezes it, so that demo data,
snapshots and end-to-end tests see the same "today" on every run."""

from __future__ import annotations

import os
from datetime import date, datetime


def now() -> datetime:
    frozen = os.environ.get("CRM_TUI_NOW", "").strip()
    if frozen:
        try:
            moment = datetime.fromisoformat(frozen)
        except ValueError:
            raise ValueError(f"CRM_TUI_NOW={frozen!r} is not an ISO date or date-time") from None
        return moment.replace(tzinfo=None)
    return datetime.now().replace(microsecond=0)


def today() -> date:
    return now().date()
