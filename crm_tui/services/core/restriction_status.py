"""The stored status of a restriction row: drafted in the builder, put in force by a decision,
or ended. Its own module so that the queries over them (in_force) and the case's steps
(case_steps) can both read them without importing each other."""

from __future__ import annotations

from datetime import date

from crm_tui.domain.in_force import starts_later
from crm_tui.domain.typed_dates import in_prose

DRAFT, IN_FORCE, ENDED = "draft", "in_force", "ended"


def status_words(status: str, starts_on: date | None, today: date) -> str:
    """A restriction's status as the user reads it: "draft", "ended", "in force", or, put in
    force by a decision to start on a later day, "decided to start on 1 Dec 2026, not yet in
    force"
    (issue 15 E1: the evidence viewer and bundle said "in force" where the case file said
    "decided, not yet in force"): the one rule, domain.in_force.starts_later."""
    if status == IN_FORCE and starts_on is not None and starts_later(starts_on, today):
        return f"decided to start on {in_prose(starts_on)}, not yet in force"
    return status.replace("_", " ")
