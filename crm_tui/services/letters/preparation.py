"""Whether a letter is prepared already, by whom, and who is to sign it. A letter is prepared
once for the event it is about: its draft then waits for its signer, and nobody prepares it
again — not the person who prepared it, and not someone else, who would otherwise take it over
as its preparer (v15c F2: the Service Director's `p` on the CRM's prepared review letter made
him its preparer and put his name under its draft). Only a draft the record has outdated (the
letter is now about another event, and signing refuses it) is prepared again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm_tui.db.models import Appeal, Case, Letter, User
from crm_tui.domain.letters import SIGNERS, LetterKind
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.letters import sources

DRAFT = "draft"


@dataclass(frozen=True)
class Prepared:
    letter_id: int
    prepared_by: str
    prepared_at: datetime
    signer: str  # who it waits for: "Gareth Bell", "you", "the Complaints Resolution Manager"

    @property
    def refusal(self) -> str:
        """Why it is not prepared again: said when `p` is pressed, and by the service."""
        return (f"Already prepared by {self.prepared_by} on {in_prose(self.prepared_at)}; "
                f"waiting for {self.signer} to sign")


def appeal_decider(case: Case) -> tuple[int, str] | None:
    """(user id, name) of the person who decided the case's latest appeal: the only one who
    signs its outcome letter. None if no appeal has been decided."""
    appeal = (Appeal.select().where((Appeal.case == case) & (Appeal.outcome != ""))
              .order_by(Appeal.id.desc()).first())
    if appeal is None or appeal.decided_by is None:
        return None
    return int(appeal.decided_by.id), str(appeal.decided_by.name)


def signer_words(actor: Actor, case: Case, kind: LetterKind) -> str:
    """Who signs the case's letter of this kind, in words: the person when there is one
    ("you" for the acting person), else the role(s) that sign it."""
    if kind is LetterKind.APPEAL_OUTCOME:
        decider = appeal_decider(case)
        if decider is None:
            return "the person who decides the appeal"
        return "you" if decider[0] == actor.user_id else decider[1]
    roles = sorted(SIGNERS[kind], key=lambda r: r.label)
    if len(roles) == 1:
        holders = list(User.select().where((User.role == roles[0].value) & User.active))
        if len(holders) == 1:
            return "you" if holders[0].id == actor.user_id else str(holders[0].name)
    return " or ".join(f"the {r.label}" for r in roles)


def current_draft(case: Case, kind: LetterKind) -> Letter | None:
    """The case's draft of this kind if it is about the event the letter is about now (a
    draft from before the register kept sources counts, as signing takes it)."""
    draft: Letter | None = Letter.get_or_none((Letter.case == case)
                                              & (Letter.kind == kind.value)
                                              & (Letter.status == DRAFT))
    if draft is None:
        return None
    source = sources.current(case, kind)
    if draft.source and (source is None or draft.source != source.key):
        return None  # outdated: prepared again, it is about the event now
    return draft


def prepared(actor: Actor, case: Case, kind: LetterKind) -> Prepared | None:
    """The letter's preparation if it is prepared already (None: it may be prepared)."""
    draft = current_draft(case, kind)
    if draft is None:
        return None
    by = User.get_or_none(User.id == draft.created_by_id)
    return Prepared(int(draft.id), str(by.name) if by is not None else "someone",
                    draft.created_at, signer_words(actor, case, kind))
