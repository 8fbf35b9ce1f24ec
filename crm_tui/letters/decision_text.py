"""What a decision letter tells the customer, as plain text: the restrictions, why (the
behaviour, with dates), when they start and end, when they will be reviewed, how the customer
can still contact the council, and how to appeal — to whom, how and by when — and that the
Ombudsman is there afterwards. The restriction builder previews it; the signed PDF letter is
laid out from the same content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LetterRestriction:
    description: str  # what staff and the customer can act on
    reason: str
    still_reachable: str


@dataclass(frozen=True)
class DecisionLetter:
    council: str
    council_contact: str  # how to write to or reach the Complaints Resolution Team
    reference: str
    customer_name: str
    written_on: date
    restrictions: list[LetterRestriction]
    behaviour: list[tuple[date, str]]  # dated examples of the behaviour the decision answers
    decision_reason: str
    starts_on: date
    ends_on: date
    review_due: date
    appeal_by: date
    appeal_to: str = "the Service Director, Legal & Business Operations (or a nominated officer)"
    signer: str = ""
    signer_title: str = ""


def _d(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _months(start: date, end: date) -> str:
    months = (end.year - start.year) * 12 + end.month - start.month
    if months >= 1 and end.day == start.day:
        return f"{months} month{'s' if months != 1 else ''}"
    days = (end - start).days
    return f"{days} day{'s' if days != 1 else ''}"


def decision_text(letter: DecisionLetter) -> str:
    """The letter's words, in plain English, paragraph by paragraph."""
    lines = [f"Our reference: {letter.reference}", _d(letter.written_on), "",
             f"Dear {letter.customer_name},", "",
             "Decision to restrict your contact with the council", "",
             "We have decided to restrict the way you contact the council. This letter explains "
             "what we have decided and why, how long it will last, when we will review it, how "
             "you can still contact us, and how you can appeal.", "",
             "What we have decided"]
    for number, r in enumerate(letter.restrictions, 1):
        lines.append(f"{number}. {r.description}.")
    lines += ["", "Why"]
    lines.append(letter.decision_reason.strip())
    if letter.behaviour:
        lines.append("In particular:")
        lines += [f"- on {_d(day)}: {text}" for day, text in letter.behaviour]
    for r in letter.restrictions:
        if r.reason.strip():
            lines.append(f"{r.description}: {r.reason.strip()}")
    lines += ["", "How long the restrictions last",
              f"The restrictions start on {_d(letter.starts_on)} and end on "
              f"{_d(letter.ends_on)} ({_months(letter.starts_on, letter.ends_on)}), unless we "
              "lift them sooner.", "",
              "When we will review them",
              f"We will review the restrictions by {_d(letter.review_due)}. We want to lift "
              "them as soon as the behaviour has stopped and is not likely to start again.", "",
              "How you can still contact us"]
    reachable = sorted({r.still_reachable.strip() for r in letter.restrictions
                        if r.still_reachable.strip()})
    lines += reachable or ["You can still write to us about any new matter."]
    lines.append(f"You can write to the Complaints Resolution Team at {letter.council_contact}.")
    lines += ["", "How to appeal",
              f"If you disagree with this decision you can appeal to {letter.appeal_to}. "
              f"Write to us at the address above, quoting {letter.reference}, and say why you "
              f"think the decision is wrong. Your appeal must reach us by {_d(letter.appeal_by)}."
              " The person who decides your appeal will not have taken part in this decision. "
              "We will write to you with the result and tell you what, if anything, has "
              "changed.", "",
              "If you are still unhappy after your appeal, you can ask the Local Government and "
              "Social Care Ombudsman to look at your complaint (www.lgo.org.uk, 0300 061 0614).",
              "", "Yours sincerely,", ""]
    if letter.signer:
        lines += [letter.signer, letter.signer_title]
    lines.append(letter.council)
    return "\n".join(lines)


REQUIRED = ("What we have decided", "Why", "How long the restrictions last",
            "When we will review them", "How you can still contact us", "How to appeal",
            "Ombudsman")


def missing_parts(text: str) -> list[str]:
    """What a decision letter must say and this one does not."""
    return [part for part in REQUIRED if part not in text]
