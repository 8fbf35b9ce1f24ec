"""What a consultation, review or appeal can conclude."""

from __future__ import annotations

from enum import StrEnum


class ConsultationView(StrEnum):
    AGREES = "agrees"
    AGREES_WITH_CHANGES = "agrees_with_changes"
    DISAGREES = "disagrees"

    @property
    def label(self) -> str:
        return {
            "agrees": "Agrees",
            "agrees_with_changes": "Agrees with changes",
            "disagrees": "Does not agree",
        }[self.value]


class ConsultationSubject(StrEnum):
    REFERRAL = "referral"
    NO_COMMUNICATION = "no_communication"
    EXTENSION = "extension"


class ReviewOutcome(StrEnum):
    LIFTED = "lifted"
    LIFTED_WITHOUT_LETTER = "lifted_without_letter"
    CONTINUED = "continued"
    EXTENSION_PROPOSED = "extension_proposed"
    EXTENDED = "extended"


class AppealOutcome(StrEnum):
    CONFIRMED = "confirmed"
    AMENDED = "amended"
    REMOVED = "removed"
