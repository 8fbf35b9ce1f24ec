"""The letters the policy calls for, and who may sign each. Officers prepare drafts; the CRM
signs; an appeal outcome is signed by the one person who decided the appeal (the Service
Director, or the officer they nominated), never by the CRM whose decision was appealed; a
service area manager signs their own local-resolution letter."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.nominations import APPEAL_DECIDERS
from crm_tui.domain.roles import Actor, Role

# A letter that tells of a decision is written when the decision is made; past this many days
# the screen and the command line say it is late (found when tried: decision letters issued
# eleven months after the decision, each with a fresh appeal date, and nothing said). The
# case's next action, "Sign the decision letter", is due on the last of these days.
LATE_AFTER_DAYS = 14


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
    def short(self) -> str:
        """The kind in a list's column, whole in a 100-column terminal ("Decision to
        restrict"): the full label, up to 60 letters, was cut."""
        return _SHORT[self]

    @property
    def states_appeal_rights(self) -> bool:
        """Decision letters must state duration, review and how to appeal."""
        return self in (LetterKind.DECISION, LetterKind.EXTENSION_DECISION)


_LABELS = {
    LetterKind.LOCAL_RESOLUTION: "Local resolution: the council's concerns and the way forward",
    LetterKind.DECISION: "Decision to restrict contact",
    LetterKind.INVITATION: "Invitation to comment on proposed restrictions",
    LetterKind.EXTENSION_DECISION: "Decision to extend, vary or impose new restrictions",
    # True of every lifting: restrictions are lifted early too, with no review (fixAQ AQ2:
    # an early lifting was titled "Restrictions lifted after review", in its signed PDF too).
    # A letter signed before keeps its title: the PDF kept is the record, exported as it is.
    LetterKind.LIFTED: "Restrictions lifted",
    LetterKind.APPEAL_OUTCOME: "Appeal outcome",
}

_SHORT = {
    LetterKind.LOCAL_RESOLUTION: "Local resolution",
    LetterKind.DECISION: "Decision to restrict",
    LetterKind.INVITATION: "Invitation to comment",
    LetterKind.EXTENSION_DECISION: "Extend/vary decision",
    LetterKind.LIFTED: "Restrictions lifted",
    LetterKind.APPEAL_OUTCOME: "Appeal outcome",
}

# Each letter named by what it tells the customer, as a list of letters in a sentence names
# it ("Letters signed: decision to change the restrictions (…)"). A variation's letter was
# "extension decision" in the review session (fixAH AH1): the kind that tells of an
# extension and of a variation is named by the decision it was written from (named_as).
_NAMED = {
    LetterKind.LOCAL_RESOLUTION: "local resolution letter",
    LetterKind.DECISION: "decision to restrict contact",
    LetterKind.INVITATION: "invitation to comment on proposed restrictions",
    LetterKind.EXTENSION_DECISION: "decision to extend or change the restrictions",
    LetterKind.LIFTED: "decision to lift the restrictions",
    LetterKind.APPEAL_OUTCOME: "appeal outcome letter",
}
_NAMED_BY_ACTION = {"vary_restrictions": "decision to change the restrictions",
                    "extend_restrictions": "decision to extend the restrictions"}


# The same, short, as a list's column names it (LetterKind.short): "Extend/vary decision"
# named neither.
_SHORT_BY_ACTION = {"vary_restrictions": "Decision to change",
                    "extend_restrictions": "Decision to extend"}


def short_as(kind: LetterKind, decided: str = "") -> str:
    """The letter in a list's column, by what it tells (`decided`: as for named_as)."""
    if kind is LetterKind.EXTENSION_DECISION and decided in _SHORT_BY_ACTION:
        return _SHORT_BY_ACTION[decided]
    return kind.short


def named_as(kind: LetterKind, decided: str = "") -> str:
    """The letter in words, by what it tells: `decided`, the action (lifecycle.Action's
    value) of the decision it was written from, where one kind tells of more than one."""
    if kind is LetterKind.EXTENSION_DECISION and decided in _NAMED_BY_ACTION:
        return _NAMED_BY_ACTION[decided]
    return _NAMED[kind]


SIGNERS: dict[LetterKind, frozenset[Role]] = {
    LetterKind.LOCAL_RESOLUTION: frozenset({Role.SERVICE_AREA_MANAGER, Role.CRM}),
    LetterKind.DECISION: frozenset({Role.CRM}),
    LetterKind.INVITATION: frozenset({Role.CRM}),
    LetterKind.EXTENSION_DECISION: frozenset({Role.CRM}),
    LetterKind.LIFTED: frozenset({Role.CRM}),
    # The roles an appeal's decider holds; the person is checked too (require_signer).
    LetterKind.APPEAL_OUTCOME: APPEAL_DECIDERS,
}
PREPARERS = frozenset({Role.CRM, Role.OFFICER, Role.SERVICE_DIRECTOR, Role.SERVICE_AREA_MANAGER})


def may_sign(actor: Actor, kind: LetterKind) -> bool:
    return actor.role in SIGNERS[kind]


def require_signer(actor: Actor, kind: LetterKind,
                   appeal_decider: tuple[int, str] | None = None) -> None:
    """Refuse a signer the policy does not allow. An appeal outcome letter speaks for the
    decision on the appeal, so it is signed by the person who took it (`appeal_decider`: their
    user id and name) and by nobody else, whatever their role."""
    if kind is LetterKind.APPEAL_OUTCOME:
        if appeal_decider is None:
            raise PermissionDenied("no appeal has been decided, so there is no appeal outcome "
                                   "letter to sign")
        if appeal_decider[0] != actor.user_id:
            raise PermissionDenied(
                f"{actor.name} may not sign the appeal outcome letter: it is signed only by "
                f"the person who decided the appeal, {appeal_decider[1]}")
        return
    if not may_sign(actor, kind):
        who = " or ".join(sorted(r.label for r in SIGNERS[kind]))
        raise PermissionDenied(f"{actor.role.label} may not sign a letter of this kind "
                               f"({kind.label}); it is signed by the {who}")
