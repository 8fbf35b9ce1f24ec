"""What was put to someone: the drafted restrictions as they stood (each with its version) and
the proposed end date. A Head of Service's view and a customer's invitation to comment are
about one such proposal; a decision may rest on them only while the drafts are as they were.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crm_tui.domain.restrictions import RestrictionKind, named


@dataclass(frozen=True)
class DraftStamp:
    """One drafted restriction as it was read: its id, version and what it says."""

    id: int
    version: int
    kind: RestrictionKind
    parameters: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""
    still_reachable: str = ""
    # A fingerprint of the draft's own words ("" where not recorded): a later version with
    # the same fingerprint is a change to the evidence under it, not to the draft itself.
    wording: str = ""


@dataclass(frozen=True)
class Proposal:
    drafts: tuple[DraftStamp, ...]
    ends_on: date | None

    @property
    def versions(self) -> dict[int, int]:
        return {d.id: d.version for d in self.drafts}

    @property
    def terms(self) -> list[tuple[RestrictionKind, Mapping[str, Any]]]:
        return [(d.kind, d.parameters) for d in self.drafts]

    def to_json(self) -> str:
        return json.dumps({
            "drafts": [{"id": d.id, "version": d.version, "kind": d.kind.value,
                        "parameters": dict(d.parameters), "reason": d.reason,
                        "still_reachable": d.still_reachable, "wording": d.wording}
                       for d in self.drafts],
            "ends_on": self.ends_on.isoformat() if self.ends_on else None},
            ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Proposal | None:
        """The stored proposal, or None where none was recorded (views recorded before
        proposals were: they match no drafts)."""
        if not text.strip():
            return None
        data = json.loads(text)
        drafts = tuple(DraftStamp(int(d["id"]), int(d["version"]), RestrictionKind(d["kind"]),
                                  d.get("parameters", {}), d.get("reason", ""),
                                  d.get("still_reachable", ""), d.get("wording", ""))
                       for d in data.get("drafts", []))
        ends = data.get("ends_on")
        return cls(drafts, date.fromisoformat(ends) if ends else None)


def changes(read: Mapping[int, int], now: Mapping[int, int],
            kinds: Mapping[int, RestrictionKind | str], *,
            evidence_only: Collection[int] = ()) -> list[str]:
    """How the drafts differ now from the versions that were read, one phrase per restriction,
    each named by its kind (`kinds`: the drafts' ids read or now -> kind), never by its row's
    number (b15e F10: "restriction 5 changed" read as the policy's fifth kind):
    'the Named officer only restriction changed', '... was set out', '... was discarded'.
    A draft whose kind is not known (discarded before kinds were recorded) is 'a restriction'.
    `evidence_only`: the drafts whose own words are as read, so that only the evidence under
    them changed: 'the evidence under the New issues only restriction changed' (t15d F1)."""
    found = []
    for number in sorted(set(read) | set(now)):
        kind = kinds.get(number)
        what = named(kind) if kind else "a restriction"
        if number not in now:
            found.append(f"{what} was discarded")
        elif number not in read:
            found.append(f"{what} was set out")
        elif read[number] != now[number] and number in evidence_only:
            found.append(f"the evidence under {what} changed")
        elif read[number] != now[number]:
            found.append(f"{what} changed")
    return found


def invitation_dates_problems(reply_by: date, ends_on: date,
                              today: date) -> list[tuple[str, str]]:
    """(field, message) for each problem with an invitation's two days: comments are due
    after today, and the end proposed comes after the day comments are due by."""
    found = []
    if reply_by <= today:
        found.append(("reply_by", "the reply-by date must be after today"))
    if ends_on <= reply_by:
        found.append(("ends_on", "the proposed end must be after the date for comments"))
    return found


def proposed_end_problem(ends_on: date, today: date) -> str | None:
    """The end put to the Head of Service is a day still to come."""
    if ends_on <= today:
        return (f"{ends_on.isoformat()} is not after today: the proposed end must be a day "
                "still to come")
    return None
