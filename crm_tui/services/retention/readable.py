"""Whether this version can read a backup's rows before it is restored: a value it does not
know (a restriction kind, a case state, a decision, a letter kind) would stop the app and
`crm-tui cases` with a traceback after the restore (issue 16: a copy whose restriction kind
was edited to an unknown word was restored, then every list of cases crashed)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from peewee import Field

from crm_tui.db.models import Case, Decision, Letter, Restriction
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import quoted

SHOWN = 5  # unknown values named per column; the rest are counted

_COLUMNS: tuple[tuple[Any, Field, type[StrEnum], str], ...] = (
    (Case, Case.state, CaseState, "case state"),
    (Restriction, Restriction.kind, RestrictionKind, "restriction kind"),
    (Decision, Decision.action, Action, "decision"),
    (Letter, Letter.kind, LetterKind, "letter kind"),
)


def unreadable_rows() -> list[str]:
    """The rows of the open database this version cannot read, each named by table and id."""
    problems: list[str] = []
    for model, column, kinds, what in _COLUMNS:
        known = [kind.value for kind in kinds]
        rows: list[tuple[int, str]] = list(
            model.select(model.id, column).where(column.not_in(known))
            .order_by(model.id).limit(SHOWN + 1).tuples())
        problems += [f"{model._meta.table_name} {row_id}: {quoted(str(value))} is not a "
                     f"{what} this version knows" for row_id, value in rows[:SHOWN]]
        if len(rows) > SHOWN:
            problems.append(f"{model._meta.table_name}: more {what}s it does not know")
    for row_id, parameters in (Restriction.select(Restriction.id, Restriction.parameters)
                               .order_by(Restriction.id).tuples().iterator()):
        try:
            readable = isinstance(json.loads(parameters), dict)
        except (ValueError, TypeError, RecursionError):
            readable = False
        if not readable:
            problems.append(f"restriction {row_id}: its terms are not readable")
    return problems
