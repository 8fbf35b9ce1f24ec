"""The letters the policy calls for, and who may sign each. Officers prepare drafts; the CRM
signs; the Service Director (or nominated officer) signs appeal outcomes; a service area manager
signs their own local-resolution letter."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.roles import Actor, Role


class LetterKind(StrEnum):
    LOCAL_RESOLUTION = "local_resolution"
    DECISION = "decision"
    INVITATION = "invitation"
    EXTENSION_DECISION = "extension_decision"
    LIFTED = "lifted"
    APPEAL_OUTCOME = "appeal_outcome"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def states_appeal_rights(self) -> bool:
        """Decision letters must state duration, review and how to appeal."""
        return self in (LetterKind.DECISION, LetterKind.EXTENSION_DECISION)


_LABELS = {
    LetterKind.LOCAL_RESOLUTION: "Local resolution: the council's concerns and the way forward",
    LetterKind.DECISION: "Decision to restrict contact",
    LetterKind.INVITATION: "Invitation to comment on proposed restrictions",
    LetterKind.EXTENSION_DECISION: "Decision to extend, vary or impose new restrictions",
    LetterKind.LIFTED: "Restrictions lifted after review",
    LetterKind.APPEAL_OUTCOME: "Appeal outcome",
}

SIGNERS: dict[LetterKind, frozenset[Role]] = {
    LetterKind.LOCAL_RESOLUTION: frozenset({Role.SERVICE_AREA_MANAGER, Role.CRM}),
    LetterKind.DECISION: frozenset({Role.CRM}),
    LetterKind.INVITATION: frozenset({Role.CRM}),
    LetterKind.EXTENSION_DECISION: frozenset({Role.CRM}),
    LetterKind.LIFTED: frozenset({Role.CRM}),
    LetterKind.APPEAL_OUTCOME: frozenset({Role.SERVICE_DIRECTOR, Role.CRM}),
}
PREPARERS = frozenset({Role.CRM, Role.OFFICER, Role.SERVICE_DIRECTOR, Role.SERVICE_AREA_MANAGER})


def may_sign(actor: Actor, kind: LetterKind) -> bool:
    return actor.role in SIGNERS[kind]


def require_signer(actor: Actor, kind: LetterKind) -> None:
    if not may_sign(actor, kind):
        who = " or ".join(sorted(r.label for r in SIGNERS[kind]))
        raise PermissionDenied(f"{actor.role.label} may not sign a letter of this kind "
                               f"({kind.label}); it is signed by the {who}")
