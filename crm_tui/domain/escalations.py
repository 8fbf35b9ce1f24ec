"""Extreme cases (the policy's Scope): where a customer's behaviour threatens the health,
safety and welfare of staff, the council may report it to the police or take legal action, and
"may not give the customer prior warning". An escalation record says which of these happened,
when, and under what reference."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.domain.typed_dates import quoted_cut


class EscalationKind(StrEnum):
    POLICE = "police_involvement"
    LEGAL_ACTION = "legal_action"
    RISK_TO_STAFF = "risk_to_staff"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def reference_label(self) -> str:
        """What the reference of a record of this kind is."""
        return _REFERENCES[self]

    @property
    def needs_reference(self) -> bool:
        # The police and the courts always give one; a risk to staff may be recorded before
        # an incident report has its number.
        return self is not EscalationKind.RISK_TO_STAFF

    @classmethod
    def from_name(cls, name: str) -> EscalationKind:
        text = name.strip().lower().replace(" ", "_").replace("-", "_")
        for kind in cls:
            if text in (kind.value, kind.name.lower()):
                return kind
        known = ", ".join(k.value for k in cls)
        raise ValueError(f"unknown kind of escalation {quoted_cut(name)}; known: {known}")


_LABELS = {
    EscalationKind.POLICE: "Police involvement",
    EscalationKind.LEGAL_ACTION: "Legal action",
    EscalationKind.RISK_TO_STAFF: "Risk to staff",
}
_REFERENCES = {
    EscalationKind.POLICE: "crime or incident reference",
    EscalationKind.LEGAL_ACTION: "legal reference (claim, injunction or case number)",
    EscalationKind.RISK_TO_STAFF: "incident report reference",
}
