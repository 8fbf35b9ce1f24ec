"""Stored destruction dates follow a change of `retention_years`. A file's stored date is its
end plus the years configured when it ended; a run destroys by its end plus the years
configured now, and holds a file whose two dates disagree (a date moved by hand is never
trusted: b16c F5). Found when tried (b16c F11): after `retention_years` was changed, every
file ended before the change was held for ever, and nothing recalculated its date. Now
`retention run` recalculates the stored date of each file not yet destroyed whose date is
its end plus another whole number of years (a date the app wrote under another setting),
with an entry on the file saying from what to what and why; a date that is no such thing
(moved by hand) is left as it is, held, for `audit verify` to name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crm_tui.db.models import Case
from crm_tui.domain.dates import destroy_after
from crm_tui.domain.errors import DomainError
from crm_tui.domain.lifecycle import TEAM
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, scope, settings
from crm_tui.services.core.audit_destructions import YEARS_BOUNDS, YEARS_KEY
from crm_tui.services.core.audit_seals import OutsideChange, as_left, skipped
from crm_tui.services.core.database import atomic, reading
from crm_tui.services.retention import years_in_force

RECALCULATE = "recalculate_destroy_date"


@dataclass(frozen=True)
class Recalculated:
    """One file's stored destruction date, moved (or, dry, to be moved) to the setting's."""

    reference: str
    was: date
    now: date
    years_before: int
    years: int

    @property
    def said(self) -> str:
        return (f"{self.reference}: destruction date {in_prose(self.was)} → "
                f"{in_prose(self.now)} ({self.years_before} → {self.years} years' retention)")


def _years_of(ended: date, stored: date) -> int | None:
    """The whole number of years (within the setting's bounds) that put `stored` after
    `ended`, as the app works it out; None if there is none (a date moved by hand)."""
    low, high = YEARS_BOUNDS
    for years in range(low, high + 1):
        if destroy_after(ended, years) == stored:
            return years
    return None


def to_recalculate(actor: Actor) -> list[Recalculated]:
    """The files, of those the actor may see, whose stored date the run would recalculate:
    the team's housekeeping, as archiving is (another role recalculates nothing)."""
    if actor.role not in TEAM:
        return []
    years = settings.current().retention_years
    found: list[Recalculated] = []
    with reading():
        cases = scope.cases(actor).where(
            Case.ended_on.is_null(False) & Case.destroy_after.is_null(False)
            & (Case.state != CaseState.DESTROYED.value)).order_by(Case.reference)
        for case in cases:
            want = destroy_after(case.ended_on, years)
            was = _years_of(case.ended_on, case.destroy_after)
            if case.destroy_after != want and was is not None:
                found.append(Recalculated(str(case.reference), case.destroy_after, want, was,
                                          years))
    return found


def recalculate(actor: Actor, *, dry_run: bool = False) -> tuple[list[Recalculated],
                                                                 list[str]]:
    """Move each such date to the end plus the years configured now, one file at a time,
    each with its entry (sealing the new date). Returns those moved (dry: to be moved) and,
    in words, those skipped: a file changed outside the app since its latest entry is not
    saved over (the entry would seal the change)."""
    due = to_recalculate(actor)
    if dry_run:
        return _as_the_run_would(due)
    done: list[Recalculated] = []
    left: list[str] = []
    for one in due:
        try:
            with atomic():
                case = Case.get(Case.reference == one.reference)
                if case.destroy_after != one.was:
                    continue  # moved meanwhile by another run
                if years_in_force.in_force(actor) != one.years:
                    continue  # the setting changed meanwhile: the next run recalculates
                case.destroy_after = one.now
                case.save()
                audit.record(actor, RECALCULATE, one.reference,
                             f"Retention period changed from {one.years_before} to "
                             f"{one.years} years",
                             payload={"destroy_after": one.now, "was": one.was,
                                      YEARS_KEY: one.years,
                                      "retention_years_before": one.years_before})
        except OutsideChange as exc:
            left.append(skipped(one.reference, exc.found))
            continue
        except DomainError as exc:
            left.append(f"{one.reference} was skipped: {exc}")
            continue
        done.append(one)
    return done, left


def _as_the_run_would(due: list[Recalculated]) -> tuple[list[Recalculated], list[str]]:
    """A dry run's `recalculate`: nothing saved, and a file changed outside the app since
    its latest entry skipped, as the run skips it (its entry is refused), so that the dry
    run's destructions are read from the very dates the run would have."""
    moved: list[Recalculated] = []
    left: list[str] = []
    with reading():
        ids = {str(row.reference): int(row.id) for row in Case.select(Case.reference, Case.id)
               .where(Case.reference.in_([one.reference for one in due]))}
        for one in due:
            found = as_left(one.reference, ids[one.reference]) if one.reference in ids else ""
            if found:
                left.append(skipped(one.reference, found))
            else:
                moved.append(one)
    return moved, left
