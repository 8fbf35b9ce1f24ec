"""The letter checker: a letter missing anything the policy requires of its kind is refused,
with a list of what is missing."""

from __future__ import annotations

from crm_tui.domain.letters import LetterKind
from crm_tui.letters.content import Letter

DECISION_PARTS = {
    "What we have decided": "what the restrictions are",
    "Why": "why (the behaviour, with dates)",
    "How long the restrictions last": "when they start and end (the duration)",
    "When we will review them": "when they will be reviewed",
    "How you can still contact us": "how the customer can still contact the council",
    "How to appeal": "how to appeal: to whom, how and by when",
}
REQUIRED: dict[LetterKind, dict[str, str]] = {
    LetterKind.DECISION: DECISION_PARTS,
    LetterKind.EXTENSION_DECISION: DECISION_PARTS,
    LetterKind.INVITATION: {"What we propose": "the proposed restrictions",
                            "Why": "the reasons", "How to comment": "how to comment, and by when"},
    LetterKind.LIFTED: {"What we have decided": "that the restrictions are lifted, and when",
                        "Why": "the reasons"},
    LetterKind.APPEAL_OUTCOME: {"The result of your appeal": "the result (confirmed, amended "
                                                              "or removed)",
                                "Why": "the reasons", "If you are still unhappy":
                                "the Ombudsman"},
    LetterKind.LOCAL_RESOLUTION: {"Our concerns": "the council's concerns",
                                  "The way forward": "the way forward"},
}


def missing(letter: Letter) -> list[str]:
    """What this letter must say and does not."""
    said = {heading: " ".join(p for p in paragraphs if p.strip())
            for heading, paragraphs in letter.sections}
    gaps = [why for heading, why in REQUIRED[letter.kind].items() if not said.get(heading)]
    if letter.kind.states_appeal_rights:
        appeal = said.get("How to appeal", "")
        if "must reach us by" not in appeal:
            gaps.append("the date by which to appeal")
        if "Service Director" not in appeal and "nominated officer" not in appeal:
            gaps.append("that appeals go to the Service Director, Legal & Business Operations")
        if "Ombudsman" not in appeal:
            gaps.append("that the customer may go to the Ombudsman afterwards")
        if "In particular:" not in said.get("Why", ""):
            gaps.append("dated examples of the behaviour")
    if not letter.address:
        gaps.append("the customer's postal address")
    if not letter.signer:
        gaps.append("who signs it")
    return gaps
