"""Why a letter never posted is no longer sent, as a cause with its kind: what superseded it
(an appeal, a later decision, a lift told in no letter, its being signed again), given where the
cause is made, and the words that say it (superseded_letters)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class CauseKind(Enum):
    """What superseded a letter never posted, and so what tells the customer in its place."""

    APPEAL = "appeal"  # an appeal decided since: its outcome letter tells
    LIFTED = "lifted"  # the restrictions lifted since: the letter lifting them tells
    DECIDED = "decided"  # restrictions imposed again, extended or varied since: that letter
    NOT_WRITTEN = "not_written"  # lifted since, and it was decided not to write about it
    SIGNED_AGAIN = "signed_again"  # it could no longer go (or to a former address): again


@dataclass(frozen=True)
class Cause:
    """Why a letter is no longer sent: its kind, decided on, and the words that say it."""

    kind: CauseKind
    words: str

    def plus(self, more: str) -> Cause:
        """The same cause, its words followed by `more` (the letter that tells, named)."""
        return Cause(self.kind, self.words + more)


def words_of(cause: Cause | None) -> str:
    """The cause's words ("" for none: the letter is still to be sent)."""
    return cause.words if cause is not None else ""


def signed_again_cause(words: str) -> Cause | None:
    """A cause of the kind signed again (moved, could no longer go), None for no words."""
    return Cause(CauseKind.SIGNED_AGAIN, words) if words else None
