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
    """The decision a view is about; a view counts only for the decision it was asked on."""

    REFERRAL = "referral"
    NO_COMMUNICATION = "no_communication"
    EXTENSION = "extension"

    @property
    def label(self) -> str:
        return {
            "referral": "the referral and the restrictions proposed",
            "no_communication": "not writing to the customer after the review",
            "extension": "the proposed extension or new restrictions",
        }[self.value]


class ConsultationMethod(StrEnum):
    """How the Head of Service gave the view: in the app themselves, or to the CRM, who
    records it naming them (an email view is attached as evidence)."""

    RECORDED_BY_HEAD = "recorded_by_head"
    MEETING = "meeting"
    TELEPHONE = "telephone"
    EMAIL = "email"

    @property
    def label(self) -> str:
        return {
            "recorded_by_head": "Recorded by the Head of Service",
            "meeting": "In person or at a meeting",
            "telephone": "By telephone",
            "email": "By email (attached as evidence)",
        }[self.value]


def how_given_problems(method: ConsultationMethod | None,
                       evidence_document: int | None) -> dict[str, str]:
    """What is missing from a view the CRM records for the Head of Service (field ->
    message): how it was given, and for a view by email, the email itself."""
    if method is None or method is ConsultationMethod.RECORDED_BY_HEAD:
        return {"method": "say how the Head of Service gave their view: in person or at a "
                          "meeting, by telephone, or by email"}
    if method is ConsultationMethod.EMAIL and evidence_document is None:
        return {"evidence_document": "attach the Head of Service's email to the case as "
                                     "evidence, and choose it here"}
    return {}


class ReviewOutcome(StrEnum):
    LIFTED = "lifted"
    LIFTED_WITHOUT_LETTER = "lifted_without_letter"
    CONTINUED = "continued"
    PERIOD_CHANGED = "review_period_changed"
    EXTENSION_PROPOSED = "extension_proposed"
    EXTENDED = "extended"


class AppealOutcome(StrEnum):
    CONFIRMED = "confirmed"
    AMENDED = "amended"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        """What happened, in one label used wherever the outcome is shown (the form's title,
        the timeline, the case file)."""
        return {
            "confirmed": "Appeal not upheld: decision confirmed",
            "amended": "Appeal upheld in part: restrictions amended",
            "removed": "Appeal upheld: restrictions removed",
        }[self.value]
