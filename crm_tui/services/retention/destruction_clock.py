"""Whether the clocks let a destruction be made now: the one check the destruction itself,
the question before `D`, and `retention run` (dry or not) make before anything is destroyed.

A destruction cannot be undone, and it is due by the app's "today". Found when tried (b16f F0):
`CRM_TUI_NOW=2033-01-01 crm-tui retention run` (a test aid) destroyed files years before
their date. So a destruction is refused
- while the app's clock is ahead of the computer's own (clock.computer_now) by more than the
  2 minutes audit.AHEAD_TOLERANCE allows, and
- while the computer's clock is earlier than the day of the audit trail's last entry: the clock
  was put back, or was ahead when that entry was written; either way "today" is not to be
  trusted until an entry is written with the clock right.
The second by the day, as retention is counted: a difference of hours changes nothing."""

from __future__ import annotations

from datetime import date

from crm_tui import clock
from crm_tui.db.models import AuditEntry
from crm_tui.domain.errors import DomainError
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit


class ClocksDisagree(DomainError):
    """A destruction refused: the app's clock or the trail's last entry is ahead of the
    computer's clock (`refusal`). Nothing is written."""


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def refusal() -> str:
    """Why no file may be destroyed now on the clocks ("" if one may)."""
    apart = audit.clocks_apart()
    if apart:
        return f"{apart}; nothing is destroyed"
    computer = clock.computer_now().date()
    last = (AuditEntry.select(AuditEntry.seq, AuditEntry.at)
            .order_by(AuditEntry.seq.desc()).first())
    written = _day(str(last.at)) if last is not None else None
    if written is not None and written > computer:
        return (f"the computer's clock says {in_prose(computer)} but the audit trail's last "
                f"entry (entry {last.seq}) is dated {in_prose(written)}: the clock was put "
                "back, or was ahead when that entry was written; nothing is destroyed until "
                "an entry is written with the clock right")
    return ""


def check() -> None:
    """Refuse the destruction (ClocksDisagree) unless `refusal` finds nothing."""
    found = refusal()
    if found:
        raise ClocksDisagree(found)
