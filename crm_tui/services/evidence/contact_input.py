"""One contact as a person gives it (by hand in the app, or as a line of a CSV log sheet),
before it is checked and stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction

# The most a contact's officer and summary hold, as stored: asked by the log-contact form, the
# save, and a log sheet's reading with its lines' other problems.
MAX_OFFICER = 200
MAX_SUMMARY = 5_000


@dataclass(frozen=True)
class ContactInput:
    at: datetime
    channel: Channel
    direction: Direction
    service_area: str
    officer_name: str
    summary: str
    duration_minutes: int = 0
    categories: tuple[BehaviourCategory, ...] = ()
