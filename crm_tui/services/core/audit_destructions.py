"""A destruction held to the service's own rules (`audit verify`): the chain has no secret,
so anyone who can write the database could blank a live case's entries and append a
destruction. What the erasure keeps of the case's entries (their actions and days) is held
to the rules the service destroys by: judged on the day the destruction could really have
been written, with the retention years in force then."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import fn

from crm_tui import clock
from crm_tui.db.models import AuditEntry
from crm_tui.domain.dates import add_months, destroy_after
from crm_tui.domain.lifecycle import Action
from crm_tui.services.core import settings

DESTROY = "destroy"
# The steps that put or keep restrictions in force on their day: a file is not destroyed
# within its retention years of one. (Those ending restrictions are left out: the job that
# expires them may write its entry a day after they ended.)
RESTRICTING = frozenset(a.value for a in (
    Action.IMPOSE_RESTRICTIONS, Action.VARY_RESTRICTIONS, Action.EXTEND_RESTRICTIONS,
    Action.CONTINUE_UNCHANGED, Action.CHANGE_REVIEW_PERIOD))
APPEAL_DECIDED = frozenset(a.value for a in (
    Action.CONFIRM_ON_APPEAL, Action.AMEND_ON_APPEAL, Action.REMOVE_ON_APPEAL))
# The retention years a destruction's entry records as in force when it was made (the
# configuration's bounds); an entry without them (an older version's) is judged by the
# years configured now.
YEARS_KEY = "retention_years"
YEARS_BOUNDS = (1, 50)
# The entry recording the retention years in force, written (about no case, so never erased)
# before a destruction or a recalculation whenever they differ from the latest recorded:
# `retention_years` is configuration, kept outside the database, and a forged destruction
# could otherwise claim fewer years than were in force (services.retention.years_in_force).
IN_FORCE = "retention_years_in_force"
RECALCULATE = "recalculate_destroy_date"


def recorded_years(payload: dict[str, Any]) -> int | None:
    """The retention years an entry records, if they are within the configuration's bounds."""
    kept = payload.get(YEARS_KEY)
    low, high = YEARS_BOUNDS
    if isinstance(kept, int) and not isinstance(kept, bool) and low <= kept <= high:
        return kept
    return None


@dataclass
class YearsInForce:
    """The retention years in force as the entries walked so far recorded them: each
    destruction and recalculation after the first such record is held to the latest."""

    years: int | None = None
    seq: int = 0

    def note(self, row: AuditEntry) -> str:
        if row.erased or row.action not in (IN_FORCE, DESTROY, RECALCULATE):
            return ""
        try:
            payload = json.loads(row.payload or "{}")
        except ValueError:
            payload = {}
        claimed = recorded_years(payload) if isinstance(payload, dict) else None
        if row.action == IN_FORCE:
            if claimed is None:
                return (f"entry {row.seq} records retention years in force that are not a "
                        f"number of years from {YEARS_BOUNDS[0]} to {YEARS_BOUNDS[1]}")
            self.years, self.seq = claimed, int(row.seq)
            return ""
        if self.years is None or claimed == self.years:
            return ""
        what = "destroyed" if row.action == DESTROY else "recalculated the destruction date of"
        said = f"claims {claimed} years' retention" if claimed is not None \
            else "records no retention years"
        return (f"entry {row.seq} {what} {row.case_reference} and {said}, but the retention "
                f"years in force were {self.years} (entry {self.seq}): the retention period "
                "a destruction is judged by is the one in force")


def years_in_force(payload: dict[str, Any]) -> int:
    """The retention years the destruction was made under: as its entry records them, else
    (an entry written before they were recorded) the years configured now. Found when tried
    (b16c F11): raising `retention_years` afterwards made earlier lawful destructions fail."""
    kept = recorded_years(payload)
    return kept if kept is not None else settings.current().retention_years


def destruction_problem(reference: str, seq: int, payload: dict[str, Any],
                        history: list[tuple[int, str, str]],
                        written_by: date | None = None) -> str:
    """Why the destruction in entry `seq` is not one the service could have made, or ''.
    `written_by`: the earliest day of an entry written after it, if any.

    An entry is dated by the clock of the machine that wrote it. Dated ahead (the clock was
    ahead, then set back: `audit verify` notes such entries, v16 N8), the destruction was
    still written before today and before every entry after it: it is judged on the earliest
    of those days, when it must already have been due (found when tried, v16b X1: a
    destruction written with the clock ahead failed `audit verify`, and every backup's
    restore, until its day came). A forged one dated ahead gains nothing: it is judged on
    today at the latest, when the rules below still hold it."""
    years = years_in_force(payload)
    before = [(number, action, day) for number, action, day in history if number < seq]
    ours = [day for number, _, day in history if number == seq]
    on = _day(ours[0]) if ours else None
    if on is None:
        return ""
    named = f"entry {seq} destroyed {reference}"
    judged = min(day for day in (on, clock.today(), written_by) if day is not None)
    dated = f"on {on}" if judged == on else \
        f"on {on} (written by {judged}: the clock was ahead when it was written)"
    limit = add_months(judged, -12 * years)
    for number, action, day in before:
        when = _day(day)
        if action in RESTRICTING and when is not None and when > limit:
            return (f"{named} {dated}, but entry {number} ({action}) restricted it on {day}, "
                    f"less than the {years} years' retention before: nothing is destroyed "
                    "while restrictions last or before its retention ends")
    lodged = [number for number, action, _ in before if action == Action.LODGE_APPEAL.value]
    if lodged and not any(number > lodged[-1] for number, action, _ in before
                          if action in APPEAL_DECIDED):
        return (f"{named}, but the appeal lodged in entry {lodged[-1]} was never decided: a "
                "file under appeal is not destroyed")
    stone = payload.get("tombstone")
    fields: dict[str, Any] = stone if isinstance(stone, dict) else {}
    ended = _day(str(fields.get("restrictions_ended_on") or ""))
    first = min((when for when in (_day(day) for _, _, day in before) if when is not None),
                default=None)
    if ended is not None and first is not None and ended < first:
        return (f"{named}, but its tombstone says its restrictions ended on {ended}, before "
                f"its first entry ({first}): the tombstone's dates are not the case's")
    if ended is not None and destroy_after(ended, years) > judged:
        return (f"{named} {dated}, but its tombstone says its restrictions ended on {ended}: "
                f"it was destroyed before its {years} years' retention ended")
    if str(fields.get("destroyed_on") or on) != str(on):
        return (f"{named} on {on}, but its tombstone says it was destroyed on "
                f"{fields.get('destroyed_on')}: the tombstone's dates are not the entry's")
    return ""


def earliest_after(days: list[str]) -> list[date | None]:
    """For the entries in order (their days, entry 1 first), the earliest day of the entries
    written after each: `written_by` for a destruction."""
    found: list[date | None] = [None] * len(days)
    least: date | None = None
    for index in range(len(days) - 1, -1, -1):
        found[index] = least
        day = _day(days[index])
        if day is not None and (least is None or day < least):
            least = day
    return found


def unaccepted_destruction(payload_of: Any) -> str:
    """Why a destruction the trail records is not one the service could have made (see
    `destruction_problem`), or '': the first found. Housekeeping asks before it removes
    evidence files no record points to, since a forged destruction erases the entries that
    attached them. `payload_of`: how an entry's payload is read."""
    destroyed = {str(row.case_reference): (int(row.seq), payload_of(row)) for row in
                 AuditEntry.select().where(AuditEntry.action == DESTROY)
                 .order_by(AuditEntry.seq)}
    for reference, (seq, payload) in destroyed.items():
        history = [(int(row.seq), str(row.action), str(row.at)[:10]) for row in
                   AuditEntry.select(AuditEntry.seq, AuditEntry.action, AuditEntry.at)
                   .where(AuditEntry.case_reference == reference)]
        after = AuditEntry.select(fn.MIN(AuditEntry.at)).where(AuditEntry.seq > seq).scalar()
        found = destruction_problem(reference, seq, payload, history,
                                    _day(str(after)) if after else None)
        if found:
            return found
    return ""


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
