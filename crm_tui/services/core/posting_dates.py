"""Whether a signed letter can still go out, and whether it is still to be sent at all: the
names the post run, the register, the case's next action and the letters' services ask by.
Each rule lives in a module of its own, named for what it holds:

- letter_may_go: when a letter may go (the dates it gives, the time an invitation leaves to
  comment, a change of the customer's address since it was signed);
- invitation_window: the last day an invitation to comment never posted can still go;
- later_decisions: the decisions and appeals since a letter that overtake it, in order;
- superseded_letters: why a letter never posted is superseded, and the chain of letters to
  the one that goes in its place;
- supersede_causes: a cause of a letter's being superseded, with its kind."""

from __future__ import annotations

from crm_tui.services.core.invitation_window import last_day_to_post
from crm_tui.services.core.later_decisions import (
    OVERTAKING,
    came_after,
    decided_after,
    decided_since,
    untold_appeal,
)
from crm_tui.services.core.letter_may_go import (
    CONTACT_CHANGED,
    address_changed_on,
    addressed_elsewhere,
    cannot_go,
    gives_past,
    moved,
    too_short_to_comment,
)
from crm_tui.services.core.supersede_causes import Cause, CauseKind
from crm_tui.services.core.superseded_letters import (
    bare_cause,
    draft_superseded,
    drafts_overtaken_by_a_decision,
    in_place_of_outcome,
    later_decision,
    no_longer_sent,
    overtaken_by_a_decision,
    replaced_by,
    superseded,
    to_write_again,
    unposted_words,
    withdrawn,
)

__all__ = [
    "CONTACT_CHANGED",
    "OVERTAKING",
    "Cause",
    "CauseKind",
    "address_changed_on",
    "addressed_elsewhere",
    "bare_cause",
    "came_after",
    "cannot_go",
    "decided_after",
    "decided_since",
    "draft_superseded",
    "drafts_overtaken_by_a_decision",
    "gives_past",
    "in_place_of_outcome",
    "last_day_to_post",
    "later_decision",
    "moved",
    "no_longer_sent",
    "overtaken_by_a_decision",
    "replaced_by",
    "superseded",
    "to_write_again",
    "too_short_to_comment",
    "unposted_words",
    "untold_appeal",
    "withdrawn",
]
