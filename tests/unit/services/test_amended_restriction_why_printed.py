"""The outcome letter of an appeal that amends the restrictions prints each amended
restriction with its own why, as the customer is told it, as a decision letter does (issue 15
BF1): the restriction form says "the letter prints it with this restriction", and the
outcome letter left it out, so what the CRM typed for the changed restriction appeared
nowhere. A restriction with no why is printed as before; a confirmed appeal's letter, which
repeats restrictions already told with their whys, is unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import record
from crm_tui.letters.content import (
    Letterhead,
    Restricting,
    appeal_sections,
    decision_sections,
    restriction_paragraph,
)
from crm_tui.letters.wording import Rule, Ways
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing, letter_content
from crm_tui.services.reviews.appeals import decide_appeal
from tests import builders
from tests.builders import TODAY, TOLD
from tests.conftest import PASSPHRASE

WHY = ("You telephoned us many times a day. You may now write to us, and one officer will "
       "answer everything you send.")
APPEAL_WHY = "You told us the times clash with your shifts, so we have changed them."
TERMS = DecisionTerms(starts_on=TODAY, ends_on=date(2027, 11, 1))  # shorter: an amendment


def _amended(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    builders.draft(actors, ref, replace(builders.LETTER_ONLY, customer_reason=WHY), by=Role.CRM)
    decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED, "Upheld in part",
                  TERMS, builders.read(ref), customer_reason=APPEAL_WHY)
    return ref


def _restrictions_now(sections: list[tuple[str, list[str]]]) -> list[str]:
    return next(ps for heading, ps in sections if heading.startswith("The restrictions "))


def test_the_signed_outcome_letter_prints_the_amended_restrictions_why_with_it(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _amended(actors)
    signed = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                     LetterKind.APPEAL_OUTCOME, tmp_path / "out", PASSPHRASE)
    letter = record.loads(Letter.get_by_id(signed.letter_id).content)
    now = _restrictions_now(letter.sections)
    assert len(now) == 1 and now[0].endswith(WHY)
    why = dict(letter.sections)["Why"]
    assert why == [APPEAL_WHY]  # the appeal's reasons stay under "Why", said once
    text = "\n".join(p for _, ps in letter.sections for p in ps)
    assert text.count(WHY) == 1 and text.count(APPEAL_WHY) == 1


def test_the_signer_may_edit_the_amended_restrictions_why_for_the_letter(
        actors: dict[Role, Actor]) -> None:
    ref = _amended(actors)
    case = Case.get(Case.reference == ref)
    fields = letter_content.editable(case, LetterKind.APPEAL_OUTCOME)
    ours = [key for key, _, text in fields if text == WHY]
    assert len(ours) == 1 and ours[0].startswith("restriction:")
    edited = "You rang us many times each day."
    letter = letter_content.compose(actors[Role.SERVICE_DIRECTOR], case,
                                    LetterKind.APPEAL_OUTCOME, edits={ours[0]: edited})
    assert _restrictions_now(letter.sections)[0].endswith(edited)


def test_the_amendments_preview_prints_the_why_the_signed_letter_will(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    builders.draft(actors, ref, replace(builders.LETTER_ONLY, customer_reason=WHY), by=Role.CRM)
    letter = letter_content.proposed_amendment(
        actors[Role.SERVICE_DIRECTOR], Case.get(Case.reference == ref), "Upheld in part",
        TERMS.starts_on, TERMS.ends_on, date(2027, 5, 28), customer_reason=APPEAL_WHY)
    assert _restrictions_now(letter.sections)[0].endswith(WHY)
    assert TOLD not in _restrictions_now(letter.sections)[0]


HEAD = Letterhead("Northmere City Council", "Complaints Resolution Team",
                  ("Civic Centre", "Harbour Road", "Northmere", "NM1 1AA"), "01632 960000",
                  "complaints.review@northmere.example.gov.uk", "www.northmere.example.gov.uk")
ON = date(2026, 12, 6)
SET_TIMES = "Set times mean that an officer who knows your case will be free to talk to you."
RULE = Rule(K.TELEPHONE_TIMES, {"days": ["mon", "wed", "fri"], "windows": ["14:00-16:00"]},
            telephone="01632 960456")
WAYS = Ways(channels=frozenset({"letter", "email", "telephone"}))


def _restricting(why: str) -> Restricting:
    return Restricting(rules=[RULE], reasons=[], behaviour=[], ways=WAYS, starts_on=ON,
                       ends_on=date(2028, 11, 8), review_due=date(2027, 11, 8), written_on=ON,
                       rule_reasons=[why])


def test_one_paragraph_for_a_restriction_in_the_decision_and_the_amended_outcome() -> None:
    r = _restricting(SET_TIMES)
    outcome = _restrictions_now(appeal_sections("amended", [APPEAL_WHY], r, HEAD,
                                                decided_by="Gareth Bell decided it."))
    decided = dict(decision_sections(r, HEAD, "UPV-2026-0004"))["What we have decided"]
    assert outcome == decided == [restriction_paragraph(RULE, WAYS, SET_TIMES)]
    assert outcome[0].endswith(f"at other times. {SET_TIMES}")


def test_a_restriction_with_no_why_is_printed_alone() -> None:
    outcome = _restrictions_now(appeal_sections("amended", [APPEAL_WHY], _restricting(""),
                                                HEAD, decided_by="Gareth Bell decided it."))
    assert outcome == [restriction_paragraph(RULE, WAYS)]
    assert outcome[0].endswith("We will not take calls from you at other times.")


def test_a_confirmed_appeals_letter_repeats_the_restrictions_without_their_whys() -> None:
    outcome = _restrictions_now(appeal_sections("confirmed", [APPEAL_WHY],
                                                _restricting(SET_TIMES), HEAD,
                                                decided_by="Gareth Bell decided it."))
    assert outcome == [restriction_paragraph(RULE, WAYS)]
