"""A later decision's letter measures against what the customer was actually sent (issue 15,
AF1-AF3). Before: the decision form's preview ("What the customer will be told") left out the
"Your appeal" and "Our earlier decision" paragraphs the signed letter then carried; "What has
changed" compared with a decision whose letter was never posted ("The end date was 18 June
2027" when the last letter the customer had said 18 December 2027); and a decision whose
letter was never signed was not told at all."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from crm_tui.db.models import Case, Decision
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing, letter_changes, letter_content
from crm_tui.services.letters import letter_facts as facts
from crm_tui.services.restrictions import builder, decisions, readiness
from tests import builders
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

IMPOSED_END = "28 November 2027"  # builders.TERMS: the letter the customer was sent


def _vary(actors: dict[Role, Actor], ref: str, ends_on: date,
          starts_on: date = builders.TODAY) -> None:
    crm = actors[Role.CRM]
    builder.redraft_in_force(crm, ref)
    decisions.vary_restrictions(crm, ref, "Shorter", DecisionTerms(
        starts_on=starts_on, ends_on=ends_on), read=builders.read(ref),
        customer_reason=TOLD)


def _sign(actors: dict[Role, Actor], ref: str, kind: LetterKind) -> int:
    return issuing.sign_and_export(actors[Role.CRM], ref, kind,
                                   builders.database_folder() / "issued",
                                   PASSPHRASE).letter_id


def _sections(ref: str) -> dict[str, list[str]]:
    return dict(letter_content.sections_for(Case.get(Case.reference == ref),
                                            LetterKind.EXTENSION_DECISION))


def _sent(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builders.send_decision(actors[Role.CRM], ref)
    return ref


def test_one_unsent_between_what_has_changed_is_since_the_letter_sent(
        actors: dict[Role, Actor]) -> None:
    ref = _sent(actors)
    _vary(actors, ref, date(2027, 6, 18))
    _sign(actors, ref, LetterKind.EXTENSION_DECISION)  # signed, never posted
    _vary(actors, ref, date(2027, 3, 18))
    sections = _sections(ref)
    changed = " ".join(sections["What has changed"])
    assert f"The end date was {IMPOSED_END}. The new end date is 18 March 2027." in changed, \
        changed
    assert "18 June 2027" not in changed
    assert "since our letter of 28 November 2026, the last we sent you" in changed, changed
    earlier = " ".join(sections["Our earlier decision"])
    # What the decision the customer never saw set, briefly.
    assert ("On 28 November 2026 we decided to change the restrictions on how you can contact "
            "the council. It set restrictions on the ways you can contact us, to apply "
            "between 28 November 2026 and 18 June 2027.") in earlier, earlier


def test_two_unsent_between_both_are_told_and_the_change_is_since_the_letter_sent(
        actors: dict[Role, Actor]) -> None:
    ref = _sent(actors)
    _vary(actors, ref, date(2027, 9, 18))
    _sign(actors, ref, LetterKind.EXTENSION_DECISION)  # signed, never posted
    _vary(actors, ref, date(2027, 6, 18))  # its letter never even prepared (AF3)
    _vary(actors, ref, date(2027, 3, 18))
    sections = _sections(ref)
    changed = " ".join(sections["What has changed"])
    assert f"The end date was {IMPOSED_END}." in changed, changed
    earlier = sections["Our earlier decisions"]
    assert "between 28 November 2026 and 18 September 2027" in earlier[0], earlier
    assert "between 28 November 2026 and 18 June 2027" in earlier[1], earlier
    assert "We did not send you our letters about those decisions." in earlier[-1], earlier


def test_an_earlier_decision_never_signed_is_told(actors: dict[Role, Actor]) -> None:
    """AF3: its letter prepared and never signed, the customer was never told of it."""
    ref = _sent(actors)
    _vary(actors, ref, date(2027, 6, 18))
    issuing.prepare(actors[Role.CRM], ref, LetterKind.EXTENSION_DECISION)
    _vary(actors, ref, date(2027, 3, 18))
    sections = _sections(ref)
    assert "between 28 November 2026 and 18 June 2027" in \
        " ".join(sections["Our earlier decision"]), sections
    assert f"The end date was {IMPOSED_END}." in " ".join(sections["What has changed"])


def test_no_letter_of_the_restrictions_ever_posted_says_what_applies(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)  # the decision letter never sent
    _vary(actors, ref, date(2027, 3, 18))
    sections = _sections(ref)
    assert sections["What has changed"] == [
        "We have not sent you a letter about restrictions before this one. The restrictions "
        "set out above are the ones that apply to you."]
    assert "On 28 November 2026 we decided to restrict how you can contact the council." in \
        " ".join(sections["Our earlier decision"])


AMENDED = DecisionTerms(starts_on=date(2026, 12, 3), ends_on=date(2027, 6, 18))


def _outcome_unsent(actors: dict[Role, Actor], tmp_path: Path) -> str:
    """Imposed (its letter posted: the end 28 November 2027), appealed, amended to end on
    18 June 2027, the outcome letter signed and never posted."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builders.send_decision(actors[Role.CRM], ref)
    builders.lodge_appeal(actors[Role.OFFICER], ref, builders.TODAY, "The restriction is unfair")
    builders.draft(actors, ref, by=Role.CRM)
    builders.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED,
                           "Upheld in part", AMENDED, builders.read(ref), customer_reason=TOLD)
    issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref, LetterKind.APPEAL_OUTCOME,
                            tmp_path / "out", PASSPHRASE)
    return ref


def test_the_unsent_one_an_appeal_outcome_the_change_is_since_the_letter_sent(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = _outcome_unsent(actors, tmp_path)
    _vary(actors, ref, date(2027, 3, 18), AMENDED.starts_on)
    sections = _sections(ref)
    changed = " ".join(sections["What has changed"])
    assert f"The end date was {IMPOSED_END}. The new end date is 18 March 2027." in changed, \
        changed
    assert "18 June 2027" not in changed
    appeal = " ".join(sections["Your appeal"])
    assert ("The changed restrictions were on the ways you can contact us, to apply between "
            "3 December 2026 and 18 June 2027.") in appeal, appeal


def test_the_decision_forms_preview_is_the_letter_that_goes(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """AF1: the preview has the paragraphs the letter prepared after saving has."""
    ref = _outcome_unsent(actors, tmp_path)
    crm = actors[Role.CRM]
    builder.redraft_in_force(crm, ref)
    terms = DecisionTerms(starts_on=AMENDED.starts_on, ends_on=date(2027, 3, 18))
    shown = readiness.preview(crm, ref, terms, "Shorter", customer_reason=TOLD)
    assert "Your appeal" in shown.letter, shown.letter
    decisions.vary_restrictions(crm, ref, "Shorter", terms, read=builders.read(ref),
                                customer_reason=TOLD)
    letter = letter_content.compose(crm, Case.get(Case.reference == ref),
                                    LetterKind.EXTENSION_DECISION)
    for heading, paragraphs in letter.sections:
        for paragraph in paragraphs:
            assert " ".join(paragraph.split()) in " ".join(shown.letter.split()), \
                (heading, paragraph)


def test_the_preview_tells_an_earlier_decision_never_sent(actors: dict[Role, Actor]) -> None:
    ref = _sent(actors)
    _vary(actors, ref, date(2027, 6, 18))
    _sign(actors, ref, LetterKind.EXTENSION_DECISION)
    crm = actors[Role.CRM]
    builder.redraft_in_force(crm, ref)
    terms = DecisionTerms(starts_on=builders.TODAY, ends_on=date(2027, 3, 18))
    shown = " ".join(readiness.preview(crm, ref, terms, "Shorter",
                                       customer_reason=TOLD).letter.split())
    assert "Our earlier decision" in shown
    assert f"The end date was {IMPOSED_END}. The new end date is 18 March 2027." in shown, shown


def test_amended_to_start_later_the_restrictions_began_then(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """AF4: the check before an extension said "Since we decided the restrictions on …" and
    the signed letter "Since the restrictions started on" the day of those appealed against:
    both now count from the amended restrictions, decided on 28 November to start on 3
    December, by one rule."""
    ref = _outcome_unsent(actors, tmp_path)
    case = Case.get(Case.reference == ref)
    later = Decision(id=10_000, case=case, action="extend_restrictions",
                     decided_at=datetime(2026, 12, 1, 10))
    assert letter_changes.started(later) == AMENDED.starts_on
    before_start = facts.since(case, later.decided_at, letter_changes.started(later))
    assert before_start == (date(2026, 11, 28), "Since we decided the restrictions on {}"
                            .format("28 November 2026")), before_start
    once_started = Decision(id=10_000, case=case, action="extend_restrictions",
                            decided_at=datetime(2026, 12, 10, 10))
    assert facts.since(case, once_started.decided_at, letter_changes.started(once_started)) \
        == (AMENDED.starts_on, "Since the restrictions started on 3 December 2026")
