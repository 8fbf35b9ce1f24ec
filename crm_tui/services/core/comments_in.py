"""Whether the customer's comments on the open invitation to comment are in: Home's count of
replies awaited, the inbox's next action and the calendar all follow it (v15b S7: they said
a reply was awaited after it had been recorded)."""

from __future__ import annotations

from typing import Any

from peewee import fn

from crm_tui.db.models import Case, CaseNote, ExtensionProposal

# The case note a customer's comments are kept in (reviews.review_session records them).
COMMENTS = "customer_comments"


def _latest_invitation(case: Any) -> Any:
    return (ExtensionProposal.select(fn.MAX(ExtensionProposal.proposed_at))
            .where(ExtensionProposal.case == case))


def received(case: Case) -> bool:
    """Comments recorded on the case since its open invitation was made (comments can only
    be recorded while one is open, so those after the latest proposal answer it)."""
    if case.reply_by is None:
        return False
    return bool(CaseNote.select().where(
        (CaseNote.case == case) & (CaseNote.kind == COMMENTS)
        & (CaseNote.recorded_at >= _latest_invitation(case))).exists())


def answered() -> Any:
    """The same, as a condition on Case for a query."""
    return fn.EXISTS(CaseNote.select(CaseNote.id).where(
        (CaseNote.case == Case.id) & (CaseNote.kind == COMMENTS)
        & (CaseNote.recorded_at >= _latest_invitation(Case.id))))
