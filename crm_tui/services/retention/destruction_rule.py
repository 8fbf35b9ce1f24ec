"""Whether a file may be destroyed, judged from what the audit trail vouches for: the one rule
the Retention area's list, `retention run` (dry and real) and the destruction itself follow.

Found when tried (b16e F0): a case record edited in the database (state set to archived, its
end and destruction dates moved years back) was listed as due, and the real run destroyed a
live restricted case while the dry run said it would skip it. The stored columns are what a
hand in the database moves, so a file is destroyed only if
- its records are as its latest entry left them (audit_seals: no change made outside the app),
- and its own trail bears the destruction out: the restrictions it records were ended after
  the last entry that imposed, varied, extended or continued them; that entry is more than the
  retention years old; no appeal lodged is still undecided; and the end the trail records
  (the entry that lifted, ended or closed the file) plus the retention years has passed.
These are the rules `audit verify` holds a destruction to, so a destruction the service makes
never fails it afterwards."""

from __future__ import annotations

from datetime import date

from crm_tui.db.models import AuditEntry, Case
from crm_tui.domain.dates import add_months, destroy_after
from crm_tui.domain.errors import DomainError
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit_seals
from crm_tui.services.core.audit_destructions import APPEAL_DECIDED, RESTRICTING

AUDIT_VERIFY = audit_seals.AUDIT_VERIFY
# What the Retention area and the run say of a file whose records disagree with the trail.
CHANGED_OUTSIDE = f"changed outside the app: not destroyed — run `{AUDIT_VERIFY}`"
# The entries that end a file's restrictions, or close it with none.
ENDING = frozenset(a.value for a in (
    Action.CLOSE_NO_ACTION, Action.LIFT_RESTRICTIONS, Action.LIFT_WITHOUT_LETTER,
    Action.EXPIRE_RESTRICTIONS, Action.REMOVE_ON_APPEAL))


class NotBorneOut(DomainError):
    """A destruction refused: the file's records or its trail do not bear it out
    (`refusal`). Nothing is written."""


def check(case: Case, today: date, years: int) -> None:
    """Refuse the destruction (NotBorneOut) unless `refusal` finds nothing."""
    found = refusal(case, today, years)
    if found:
        raise NotBorneOut(found)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def changed_outside(case: Case) -> str:
    """What differs between the case's records and its latest entry ("" if nothing)."""
    return audit_seals.as_left(str(case.reference), int(case.id))


def trail_refusal(case: Case, today: date, years: int) -> str:
    """Why the case's own audit trail does not bear out its destruction today ("" if it
    does)."""
    history = [(int(row.seq), str(row.action), _day(str(row.at))) for row in
               AuditEntry.select(AuditEntry.seq, AuditEntry.action, AuditEntry.at)
               .where((AuditEntry.case_reference == case.reference) & ~AuditEntry.erased)
               .order_by(AuditEntry.seq)]
    restricted = [(seq, action, day) for seq, action, day in history if action in RESTRICTING]
    ended = [(seq, action, day) for seq, action, day in history if action in ENDING]
    if restricted:
        seq, action, day = restricted[-1]
        if not ended or ended[-1][0] < seq:
            return (f"its audit trail records no end of the restrictions entry {seq} "
                    f"({action}) put in force: nothing is destroyed while restrictions last")
        if day is not None and day > add_months(today, -12 * years):
            return (f"entry {seq} ({action}) restricted it on {in_prose(day)}, less than the "
                    f"{years} years' retention ago")
    lodged = [seq for seq, action, _ in history if action == Action.LODGE_APPEAL.value]
    if lodged and not any(seq > lodged[-1] and action in APPEAL_DECIDED
                          for seq, action, _ in history):
        return f"the appeal lodged in entry {lodged[-1]} was never decided"
    if not ended:
        return "its audit trail records no end of it (restrictions ended, or closed)"
    seq, action, day = ended[-1]
    end = day
    # Restrictions that ran to their date are ended by the next check, which may come days
    # later: the end the case records counts, if it falls between the restricting entry and
    # the ending one.
    if (action == Action.EXPIRE_RESTRICTIONS.value and case.ended_on is not None
            and day is not None and case.ended_on <= day
            and (not restricted or restricted[-1][2] is None
                 or restricted[-1][2] <= case.ended_on)):
        end = case.ended_on
    if end is not None and destroy_after(end, years) > today:
        return (f"its audit trail ended it on {in_prose(end)} (entry {seq}, {action}): its "
                f"{years} years' retention runs to {in_prose(destroy_after(end, years))}")
    return ""


def refusal(case: Case, today: date, years: int) -> str:
    """Why the file may not be destroyed today on what the trail vouches for ("" if it
    may), as the Retention area, the run and the destruction say it."""
    found = changed_outside(case)
    if found:
        return f"{CHANGED_OUTSIDE} ({found})"
    against = trail_refusal(case, today, years)
    if against:
        return (f"{CHANGED_OUTSIDE} (its dates are not borne out by its audit trail: "
                f"{against})")
    return ""
