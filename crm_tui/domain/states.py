"""The states a case passes through, from local resolution to destruction."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    LOCAL_RESOLUTION = "local_resolution"
    NEW = "new"
    UNDER_CONSIDERATION = "under_consideration"
    AWAITING_CONSULTATION = "awaiting_consultation"
    CLOSED_NO_ACTION = "closed_no_action"
    RESTRICTED = "restricted"
    UNDER_REVIEW = "under_review"
    UNDER_APPEAL = "under_appeal"
    ENDED = "ended"
    ARCHIVED = "archived"
    DESTROYED = "destroyed"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def in_words(self) -> str:
        """The state as a sentence says it after "the case" or a reference ("was closed with
        no action"): a label dropped into a sentence read "the case is restrictions ended"."""
        return _IN_WORDS[self]


_LABELS = {
    CaseState.LOCAL_RESOLUTION: "Local resolution",
    CaseState.NEW: "New referral",
    CaseState.UNDER_CONSIDERATION: "Under consideration",
    CaseState.AWAITING_CONSULTATION: "Awaiting Head of Service consultation",
    CaseState.CLOSED_NO_ACTION: "Closed, no action",
    CaseState.RESTRICTED: "Restricted",
    CaseState.UNDER_REVIEW: "Under review",
    CaseState.UNDER_APPEAL: "Under appeal",
    CaseState.ENDED: "Restrictions ended",
    CaseState.ARCHIVED: "Archived",
    CaseState.DESTROYED: "Destroyed",
}

_IN_WORDS = {
    CaseState.LOCAL_RESOLUTION: "is in local resolution",
    CaseState.NEW: "is a new referral",
    CaseState.UNDER_CONSIDERATION: "is under consideration",
    CaseState.AWAITING_CONSULTATION: "is awaiting the Head of Service's consultation",
    CaseState.CLOSED_NO_ACTION: "was closed with no action",
    CaseState.RESTRICTED: "is restricted",
    CaseState.UNDER_REVIEW: "is under review",
    CaseState.UNDER_APPEAL: "is under appeal",
    CaseState.ENDED: "has had its restrictions ended",
    CaseState.ARCHIVED: "is archived",
    CaseState.DESTROYED: "has been destroyed",
}

# Restrictions are in force in these states: an appeal or a review does not suspend them.
IN_FORCE_STATES = frozenset({CaseState.RESTRICTED, CaseState.UNDER_REVIEW, CaseState.UNDER_APPEAL})
# Files in these states hold no live work: the retention clock is running.
RETENTION_STATES = frozenset({CaseState.ENDED, CaseState.CLOSED_NO_ACTION, CaseState.ARCHIVED})
