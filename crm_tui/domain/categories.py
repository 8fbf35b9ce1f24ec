"""The policy's examples of unreasonably persistent or vexatious behaviour.

Categories are stored as a bit set so that millions of log-sheet entries can be
counted per category in SQL without a join table.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from functools import cache

from crm_tui.domain.typed_dates import quoted_cut


class BehaviourCategory(Enum):
    # (bit, short label, the policy's words)
    SCATTERGUN = (0, "Scattergun approach",
                  "Pursuing an enquiry with several service areas, staff, councillors or other "
                  "organisations at the same time")
    EXCESSIVE_DEMANDS = (1, "Excessive demands on time",
                         "Unnecessarily excessive demands on the time and resources of employees")
    OFFENSIVE_REMARKS = (2, "Sarcastic, rude or threatening remarks",
                         "Frequent remarks that could be considered sarcastic, rude, derogatory, "
                         "discriminatory or threatening")
    REPEAT_COMPLAINTS = (3, "Repeat complaints",
                         "Repeat complaints about the same issue after the complaint procedure "
                         "has been completed")
    OUTSIDE_POLICY = (4, "Insisting on handling outside policy",
                      "Insisting that an issue is dealt with in a way not consistent with council "
                      "policy")
    CHANGING_BASIS = (5, "Changing the basis of a complaint",
                      "Changing the basis of a complaint as the investigation proceeds")
    TRIVIAL_LATE_INFO = (6, "Trivial new information late",
                         "Introducing trivial or irrelevant new information at a later stage")
    NUMEROUS_QUESTIONS = (7, "Numerous unimportant questions",
                          "Raising numerous detailed but unimportant questions and insisting "
                          "that they are answered")
    FALSIFIED_DOCUMENTS = (8, "Falsified documents", "Submitting falsified documents")
    REFUSING_DECISION = (9, "Refusing a decision after appeals",
                         "Refusing to accept a council decision after all appeal options have "
                         "been exhausted")
    OUTSIDE_RESPONSIBILITY = (10, "Refusing: outside council responsibility",
                              "Refusing to accept that certain issues are outside the council's "
                              "responsibility and control")
    OUTSIDE_REMIT = (11, "Refusing: outside statutory remit",
                     "Refusing to accept that certain issues are not within the remit of the "
                     "council's statutory duty, policy or procedures")
    GROUNDLESS_STAFF_COMPLAINTS = (12, "Groundless complaints about staff",
                                   "Groundless complaints about employees, seeking to have them "
                                   "replaced")
    RECORDING_WITHOUT_CONSENT = (13, "Recording without consent",
                                 "Electronically recording meetings and conversations without "
                                 "prior knowledge and consent")
    OTHER = (14, "Other", "Other behaviour, described in the entry")

    def __init__(self, bit: int, label: str, description: str) -> None:
        self.bit = bit
        self.label = label
        self.description = description

    @property
    def mask(self) -> int:
        return 1 << self.bit

    @classmethod
    def from_name(cls, name: str) -> BehaviourCategory:
        """A category by the label the screens show ("Repeat complaints") or by its code
        (repeat_complaints), in any case; a ValueError lists the labels."""
        typed = _key(name)
        for category in cls:
            if typed in (_key(category.name), _key(category.label)):
                return category
        known = "; ".join(c.label for c in cls)
        raise ValueError(f"{quoted_cut(name.strip())} is not a behaviour category; known: {known}")


def _key(text: str) -> str:
    """'Repeat complaints', 'repeat_complaints' and 'REPEAT COMPLAINTS' are one answer."""
    return " ".join(text.replace("_", " ").split()).casefold()


def to_mask(categories: Iterable[BehaviourCategory]) -> int:
    mask = 0
    for category in categories:
        mask |= category.mask
    return mask


@cache  # a few dozen masks in use, read for every contact of a log sheet or bundle
def from_mask(mask: int) -> tuple[BehaviourCategory, ...]:
    return tuple(c for c in BehaviourCategory if mask & c.mask)
