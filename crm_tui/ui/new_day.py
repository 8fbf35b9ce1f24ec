"""A new day while the app is open: what depends on the day is worked out again and shown.

Most of what the screens show changes only when something is recorded, and they are told of
each change (ui/changes.py). A few facts change with the day alone: a letter owed becomes one
to write again once a date it states has passed (next_step.refresh_letters_owed, done at
start), restrictions reach their end date (the check at start), a review or a reply becomes
overdue. An app left open overnight showed yesterday's: "Customer's comments due" for an
invitation that could no longer go, restrictions in force past their end, until the next
start. So the app looks at the day once a minute; when it has turned it does what a start
does and tells every screen to read itself again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import work
from textual.app import App

from crm_tui import clock
from crm_tui.domain.errors import DomainError
from crm_tui.services.core import next_step
from crm_tui.services.core.database import session
from crm_tui.ui.changes import NEW_DAY, CaseChanged
from crm_tui.ui.delivery import deliver


class FollowsTheDay(App[Any]):
    """Mixed into the app (it has `case_changed` and `expire_ended`)."""

    DAY_LOOKED_AT_EVERY = 60.0  # seconds: a day turned is seen within a minute
    _day: date | None = None

    def follow_the_day(self) -> None:
        """Called once the app is mounted."""
        self._day = clock.today()
        self.set_interval(self.DAY_LOOKED_AT_EVERY, self._look_at_the_day, name="new day")

    def _look_at_the_day(self) -> None:
        today = clock.today()
        if today == self._day:
            return
        self._day = today
        self._new_day()

    @work(thread=True, exclusive=True, exit_on_error=False, group="new-day")
    def _new_day(self) -> None:
        try:
            with session():
                next_step.refresh_letters_owed()
        except DomainError:
            pass  # the database busy: the screens still read again; the next start does it
        deliver(self, self._tell_the_screens)

    def _tell_the_screens(self) -> None:
        app: Any = self
        app.case_changed.publish(CaseChanged("", NEW_DAY))
        # Restrictions whose end date has come end, files that owe nothing are archived: as
        # at start (it says what it did, and its changes are told as any other).
        app.expire_ended()
