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
from crm_tui.domain.restrictions import RestrictionKind, named
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import quoted

SHOWN = 5  # unknown values named per column; the rest are counted

_COLUMNS: tuple[tuple[Any, Field, type[StrEnum], str], ...] = (
    (Case, Case.state, CaseState, "case state"),
    (Restriction, Restriction.kind, RestrictionKind, "restriction kind"),
    (Decision, Decision.action, Action, "decision"),
    (Letter, Letter.kind, LetterKind, "letter kind"),
)


def _restriction(kind: str, reference: str) -> str:
    """A restriction as a CRM knows it: by its kind and its case, never by its row's number
    (b15e F10: "restriction 15" read as one of the policy's six kinds)."""
    if kind in {k.value for k in RestrictionKind}:
        return f"{named(kind)} of {reference}"
    return f"a restriction of {reference}"


def unreadable_rows() -> list[str]:
    """The rows of the open database this version cannot read, each named by table and id (a
    restriction by its kind and its case)."""
    problems: list[str] = []
    for model, column, kinds, what in _COLUMNS:
        known = [kind.value for kind in kinds]
        restrictions = model is Restriction
        query: Any = (Restriction.select(Restriction.id, column, Case.reference).join(Case)
                 if restrictions else model.select(model.id, column, model.id))
        rows: list[tuple[int, str, Any]] = list(
            query.where(column.not_in(known)).order_by(model.id).limit(SHOWN + 1).tuples())
        table = model._meta.table_name
        problems += [(_restriction(value, where) if restrictions else f"{table} {row_id}")
                     + f": {quoted(str(value))} is not a {what} this version knows"
                     for row_id, value, where in rows[:SHOWN]]
        if len(rows) > SHOWN:
            problems.append(f"{model._meta.table_name}: more {what}s it does not know")
    for kind, reference, parameters in (
            Restriction.select(Restriction.kind, Case.reference, Restriction.parameters)
            .join(Case).order_by(Restriction.id).tuples().iterator()):
        try:
            readable = isinstance(json.loads(parameters), dict)
        except (ValueError, TypeError, RecursionError):
            readable = False
        if not readable:
            problems.append(f"{_restriction(kind, reference)}: its terms are not readable")
    return problems
