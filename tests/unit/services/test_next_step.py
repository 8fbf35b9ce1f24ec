"""The next action comes from one rule, worked out from the case's facts and stored with every
change (issue 15): the case file, the inbox and `crm-tui cases` say the same at every step,
from the referral to the appeal outcome letter; and the Head of Service's view is worded once,
naming who gave it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from crm_tui import clock
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import case_file, casework, inbox, queries
from crm_tui.services.letters import issuing, posting
from crm_tui.services.restrictions import decisions
from crm_tui.services.reviews import appeals
from tests import builders, outside
from tests.builders import TODAY, TOLD
from tests.conftest import PASSPHRASE


def said_everywhere(actors: dict[Role, Actor], ref: str) -> str:
    """The next action as each place shows it: they must agree."""
    crm = actors[Role.CRM]
    on_file = case_file.case_file(crm, ref).summary.next_action
    [row] = [r for r in inbox.page(crm, inbox.InboxFilter(search=ref)).rows
             if r.reference == ref]
    [listed] = [c for c in queries.list_cases(crm) if c.reference == ref]
    assert on_file == row.next_action == listed.next_action
    return on_file


def test_one_case_from_referral_to_appeal_outcome(actors: dict[Role, Actor],
                                                  tmp_path: Path) -> None:
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    ref = builders.referred(actors)
    assert said_everywhere(actors, ref) == "Begin consideration"
    casework.begin_consideration(crm, ref)
    assert said_everywhere(actors, ref) == "Set out restrictions"
    # One of each kind (v15e F2): the first, discarded below, is of another kind.
    decisions.draft_restriction(officer, ref, replace(
        builders.LETTER_ONLY, kind=RestrictionKind.SIGNIFICANT_QUERIES_ONLY,
        parameters={"definition": "a new matter about the customer's home"}))
    assert said_everywhere(actors, ref) == "Link evidence"
    builders.draft(actors, ref)  # a second, resting on a logged contact
    assert said_everywhere(actors, ref) == "Link evidence"  # the first still rests on none
    [bare] = [d for d in builders.read(ref) if d != max(builders.read(ref))]
    decisions.discard_draft(officer, ref, bare)
    assert said_everywhere(actors, ref) == "Consult Head of Service"
    builders.consult(actors, ref)
    # The view recorded: the case file no longer says to consult (it said "Consult Head of
    # Service and decide" whatever had been done).
    assert said_everywhere(actors, ref) == "Decide"
    decisions.impose_restrictions(crm, ref, "Persistent contact despite local resolution",
                                  builders.TERMS, read=builders.read(ref), customer_reason=TOLD)
    assert said_everywhere(actors, ref) == "Sign the decision letter"
    issuing.sign_and_export(crm, ref, LetterKind.DECISION, tmp_path / "out", PASSPHRASE)
    assert said_everywhere(actors, ref) == "Review due"
    appeals.lodge_appeal(officer, ref, TODAY, "The restriction is unfair")
    assert said_everywhere(actors, ref) == "Appeal decision due"
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                          "Local resolution was not given long enough", customer_reason=TOLD)
    assert case_file.case_file(crm, ref).summary.state is CaseState.ENDED
    # Not "Archive file" while the customer has not been sent the outcome.
    assert said_everywhere(actors, ref) == "Sign the appeal outcome letter"
    outcome = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                      LetterKind.APPEAL_OUTCOME, tmp_path / "out", PASSPHRASE)
    # Signed is not sent: not "Archive file" while a letter waits for the post (found when
    # tried: archiving took the outcome letter out of every post run). The decision letter,
    # never posted, is superseded by the outcome removing its restrictions: not what comes
    # next, and it holds nothing (t15 F8: "Post the decision letter" came first).
    assert said_everywhere(actors, ref) == "Post the appeal outcome letter"
    posting.record_posting(officer, [outcome.letter_id], TODAY, "first")
    assert said_everywhere(actors, ref) == "Archive file"


def test_the_view_is_worded_once_naming_who_gave_it(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    [entry] = [e for e in case_file.case_file(actors[Role.CRM], ref).timeline
               if e.kind == "consultation"]
    assert entry.title.startswith("Head of Service's view, recorded by ")
    assert entry.title.endswith(": Agrees")
    assert ", ," not in entry.title and "— ," not in entry.title


def test_an_appeal_deadline_already_passed_is_not_shown(actors: dict[Role, Actor],
                                                        tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION, tmp_path / "out",
                            PASSPHRASE)
    shown = case_file.case_file(actors[Role.CRM], ref).appeal_deadline
    assert shown.startswith("Appeal by ")
    with clock.travel_to(datetime(2027, 6, 1, 10, 0)):
        assert case_file.case_file(actors[Role.CRM], ref).appeal_deadline == ""


def test_letters_owed_are_counted_by_the_rule_the_next_action_shows(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        acting_as: Callable[[str], None]) -> None:
    """Home's count of letters owed, the inbox's Next action and `crm-tui cases
    --letters-owed` agree at every step: owed once decided (not when prepared), until
    signed; a letter prepared is counted apart, as prepared."""
    from click.testing import CliRunner

    from crm_tui.cli import main
    from crm_tui.services.letters import issuing as letters

    crm = actors[Role.CRM]
    acting_as("crm")
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)

    def owed() -> tuple[int, int, list[str], str]:
        counts = queries.dashboard(crm)
        listed = [c.reference for c in queries.list_cases(crm, letters_owed=True)]
        cli = CliRunner().invoke(main, ["cases", "--letters-owed", "--db", outside.target(db_path)])
        assert cli.exit_code == 0, cli.output
        lines = cli.output.splitlines()
        assert lines == ["No letters are owed."] if not listed else \
            [line.split()[0] for line in lines] == listed
        assert counts.letters_owed == len(listed)
        return counts.letters_owed, counts.letters_to_sign, listed, said_everywhere(actors, ref)

    assert owed() == (0, 0, [], "Decide")
    decisions.impose_restrictions(crm, ref, "Persistent contact despite local resolution",
                                  builders.TERMS, read=builders.read(ref), customer_reason=TOLD)
    assert owed() == (1, 0, [ref], "Sign the decision letter")
    letters.prepare(actors[Role.OFFICER], ref, LetterKind.DECISION)
    assert owed() == (1, 1, [ref], "Sign the decision letter")  # owed and prepared
    letters.sign_and_export(crm, ref, LetterKind.DECISION, tmp_path / "out", PASSPHRASE)
    assert owed() == (0, 0, [], "Review due")


def test_a_letter_that_can_no_longer_be_issued_stops_being_owed_when_the_database_opens(
        actors: dict[Role, Actor], db_path: Path, monkeypatch: pytest.MonkeyPatch,
        acting_as: Callable[[str], None]) -> None:
    """Whether a decision letter can still be issued depends on the day (not once a date it
    would state has passed); nothing changes on the case that day. Opening the database (the
    app or any command) works the stored next action out again, so Home and the inbox stop
    counting a letter that can no longer go."""
    from click.testing import CliRunner

    from crm_tui.cli import main
    from crm_tui.services.core import next_step

    acting_as("crm")
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    assert said_everywhere(actors, ref) == "Sign the decision letter"
    assert next_step.refresh_letters_owed() == 0  # still owed today
    monkeypatch.setenv("CRM_TUI_NOW", "2028-01-10T09:00:00")  # past its review date
    listed = CliRunner().invoke(main, ["cases", "--letters-owed", "--db", outside.target(db_path)])
    assert listed.exit_code == 0, listed.output
    assert ref not in listed.output
    assert said_everywhere(actors, ref) != "Sign the decision letter"
    assert queries.dashboard(actors[Role.CRM]).letters_owed == 0


def test_a_letter_owed_is_due_when_it_would_be_late(actors: dict[Role, Actor],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 11: "Sign the decision letter by 05 Dec 2026" was due on the day of the decision
    (overdue the next day) while the letter is Late only after 14 days: the due date is the
    last day before it is late, by the rule that says so."""
    from datetime import timedelta

    from crm_tui.db.models import Case
    from crm_tui.services.letters.offered import lateness

    ref = builders.at_state(actors, CaseState.RESTRICTED)
    summary = next(c for c in queries.list_cases(actors[Role.CRM]) if c.reference == ref)
    assert summary.next_action == "Sign the decision letter"
    due = summary.next_action_due
    assert due is not None and due > clock.today()
    case = Case.get(Case.reference == ref)
    assert lateness(case, LetterKind.DECISION, due) == ""
    assert lateness(case, LetterKind.DECISION, due + timedelta(days=1)).startswith("Late")


def test_an_appeal_confirmed_during_a_review_past_its_date_is_told_of(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """v15i J1: an appeal confirmed while the restrictions were under review, their review
    date already past, owed the customer an outcome letter that could never be issued (it
    would give the review date as still to come), was never the next action and was not
    offered. The letter says the review is under way instead, and comes next."""
    from datetime import date, timedelta

    from crm_tui.db.models import Case, Letter
    from crm_tui.domain.dates import ReviewPeriodReason
    from crm_tui.letters import checker, record
    from crm_tui.services.letters import offered
    from crm_tui.services.reviews import review_steps

    crm, director = actors[Role.CRM], actors[Role.SERVICE_DIRECTOR]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    # Reviewed sooner than the restrictions end (as the demo's UPV-2025-0003).
    decisions.impose_restrictions(crm, ref, "Persistent contact despite local resolution",
                                  replace(builders.TERMS, review_due=date(2027, 5, 28),
                                          review_period_reason=ReviewPeriodReason.
                                          RISK_TO_CUSTOMER,
                                          review_period_note="Risk to the customer's health"),
                                  read=builders.read(ref), customer_reason=TOLD)
    issuing.sign_and_export(crm, ref, LetterKind.DECISION, tmp_path / "out", PASSPHRASE)
    review_due = Case.get(Case.reference == ref).review_due
    assert review_due == date(2027, 5, 28)
    later = datetime.combine(review_due + timedelta(days=3), datetime.min.time()).replace(
        hour=10)
    with clock.travel_to(later):
        review_steps.start_review(crm, ref)
        appeals.lodge_appeal(actors[Role.OFFICER], ref, later.date(), "The restriction is unfair")
        appeals.decide_appeal(director, ref, AppealOutcome.CONFIRMED,
                              "The behaviour has not changed", customer_reason=TOLD)
        case = Case.get(Case.reference == ref)
        assert case.state == CaseState.UNDER_REVIEW.value and case.review_due < later.date()
        assert said_everywhere(actors, ref) == "Sign the appeal outcome letter"
        assert offered.refusal(case, LetterKind.APPEAL_OUTCOME, later.date()) is None
        assert LetterKind.APPEAL_OUTCOME in issuing.kinds_for(director, ref)
        signed = issuing.sign_and_export(director, ref, LetterKind.APPEAL_OUTCOME,
                                         tmp_path / "out", PASSPHRASE)
        content = record.loads(Letter.get_by_id(signed.letter_id).content)
        text = " ".join(p for _, ps in content.sections for p in ps)
        assert "We are reviewing them now" in text
        assert checker.past_dates(content) == []
        # Told, the review is what comes next again.
        assert said_everywhere(actors, ref) != "Sign the appeal outcome letter"
