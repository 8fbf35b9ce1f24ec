"""What the letters say, read from the demo: one golden text per kind (a demo case's letter as
it would be signed on the day it was due, read and approved by a person, compared exactly),
and plain English measured on the body of every letter every demo case can produce."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import textstat

from crm_tui import clock
from crm_tui.db.models import Appeal, Case, Decision, ExtensionProposal, LocalResolution
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.letters import checker
from crm_tui.letters.content import Letter, body, text
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import letter_content

GOLDEN = Path(__file__).parents[3] / "golden" / "letters"
READING_EASE, GRADE = 60.0, 9.0


def _case(ref: str) -> Case:
    return Case.get(Case.reference == ref)


def _decided(action: str) -> Callable[[Case], datetime]:
    def when(case: Case) -> datetime:
        decided: datetime = Decision.get((Decision.case == case)
                                         & (Decision.action == action)).decided_at
        return decided
    return when


def _local_resolution(case: Case) -> datetime:
    lr = LocalResolution.get(LocalResolution.case == case)
    return datetime.combine(lr.written_on, datetime.min.time()).replace(hour=12)


def _proposed(case: Case) -> datetime:
    proposed: datetime = ExtensionProposal.get(ExtensionProposal.case == case).proposed_at
    return proposed


def _appealed(case: Case) -> datetime:
    decided: datetime = Appeal.get(Appeal.case == case).decided_at
    return decided


# kind: (demo case, when its letter was due, who signs)
GOLDEN_CASES: dict[LetterKind, tuple[str, Callable[[Case], datetime], str]] = {
    LetterKind.LOCAL_RESOLUTION: ("UPV-2026-0008", _local_resolution, "ceri.hughes"),
    LetterKind.DECISION: ("UPV-2026-0004", _decided("impose_restrictions"), "ceri.hughes"),
    LetterKind.INVITATION: ("UPV-2025-0003", _proposed, "ceri.hughes"),
    LetterKind.EXTENSION_DECISION: ("UPV-2025-0001", _decided("extend_restrictions"),
                                    "ceri.hughes"),
    LetterKind.LIFTED: ("UPV-2025-0001", _decided("lift_restrictions"), "ceri.hughes"),
    LetterKind.APPEAL_OUTCOME: ("UPV-2025-0002", _appealed, "gareth.bell"),
}


def golden_letter(kind: LetterKind) -> Letter:
    """The golden case's letter of this kind, as composed on the day it was due."""
    ref, when, signer = GOLDEN_CASES[kind]
    case = _case(ref)
    with clock.travel_to(when(case)):
        return letter_content.compose(resolve_actor(signer), case, kind)


@pytest.mark.parametrize("kind", list(GOLDEN_CASES), ids=lambda k: k.value)
def test_each_kind_reads_as_approved(demo: Path, kind: LetterKind) -> None:
    letter = golden_letter(kind)
    assert checker.missing(letter) == []
    assert text(letter) + "\n" == (GOLDEN / f"{kind.value}.txt").read_text(encoding="utf-8")


def test_every_letter_of_every_demo_case_is_plain_english(demo: Path) -> None:
    crm, director = resolve_actor("ceri.hughes"), resolve_actor("gareth.bell")
    measured: dict[LetterKind, list[tuple[float, float]]] = {}
    hard = []
    for case in Case.select().order_by(Case.reference):
        for kind in LetterKind:
            signer = director if kind is LetterKind.APPEAL_OUTCOME else crm
            try:  # every letter the case's record can make, issued already or not
                words = body(letter_content.compose(signer, case, kind))
            except RequirementMissing:
                continue
            ease = textstat.flesch_reading_ease(words)
            grade = textstat.flesch_kincaid_grade(words)
            measured.setdefault(kind, []).append((ease, grade))
            if ease < READING_EASE or grade > GRADE:
                hard.append(f"{case.reference} {kind.value}: ease {ease}, grade {grade}")
    assert set(measured) == set(LetterKind)  # every kind has a demo case to measure
    assert hard == []
