"""A decision's letter signed and not yet posted when the appeal removes what it decided (t15
F8): the case's next action said "Post the decision letter", and the post run put it in one
envelope with the appeal outcome removing the restrictions. It was signed and issued, and stays
a record: the post run says it is superseded, with the outcome letter's date, and leaves it out
unless the team chooses to post it; the next action is the outcome letter's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import Case
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.letters import issuing, posting
from crm_tui.services.reviews import appeals
from tests import builders, outside
from tests.conftest import PASSPHRASE


def _removed_on_appeal(actors: dict[Role, Actor], tmp_path: Path) -> tuple[str, int, int]:
    """Restrictions decided, their letter signed and not posted, removed on appeal and the
    outcome letter signed: (case, decision letter, outcome letter)."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decided = issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION,
                                      tmp_path / "issued", PASSPHRASE)
    appeals.lodge_appeal(actors[Role.OFFICER], ref, clock.today(),
                         "The customer says the officer never answered them.")
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.REMOVED,
                          "Not proportionate on the log sheets",
                          customer_reason=builders.TOLD)
    outcome = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                      LetterKind.APPEAL_OUTCOME, tmp_path / "issued", PASSPHRASE)
    return ref, decided.letter_id, outcome.letter_id


def test_the_superseded_letter_is_said_so_and_is_not_what_comes_next(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref, decided, outcome = _removed_on_appeal(actors, tmp_path)
    case = Case.get(Case.reference == ref)
    assert case.next_action == "Post the appeal outcome letter"
    waiting = {u.id: u for u in posting.unposted(actors[Role.OFFICER])}
    assert set(waiting) == {decided, outcome}
    assert waiting[decided].superseded == (
        "the appeal decided on 28 Nov 2026 removed the restrictions it imposed; its outcome "
        f"letter (letter {outcome}, dated 28 Nov 2026) says so")
    assert waiting[outcome].superseded == ""
    # Still a choice: named, it may be posted.
    posting.record_posting(actors[Role.OFFICER], [outcome, decided], clock.today(), "first")


def test_the_command_leaves_it_out_unless_named(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        tmp_path: Path) -> None:
    _ref, decided, outcome = _removed_on_appeal(actors, tmp_path)
    acting_as("officer")
    said = CliRunner().invoke(main, ["letters", "post", "--dry-run",
                                     "--db", outside.target(db_path)])
    assert said.exit_code == 0, said.output
    assert f"Left out (name it with --letter {decided} to post it too):" in said.output
    assert "Would post 1 letter" in said.output
    assert f"{outcome:>5}" in said.output


def test_superseded_past_its_dates_is_said_superseded_not_written_again(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        tmp_path: Path) -> None:
    """Issue 15 AZ Z1: a decision's letter superseded by the appeal, a date it gives passed as
    well, was refused as "it cannot go … write to the customer again from W" (dry run, real
    post, Post today) while the register said superseded by the outcome letter. Superseded
    comes first, with its why, and it cannot go in any case: nothing is written again."""
    from crm_tui.db.models import Letter

    _ref, decided, outcome = _removed_on_appeal(actors, tmp_path)
    later = Letter.get_by_id(decided).appeal_by + timedelta(days=1)
    with clock.travel_to(datetime(later.year, later.month, later.day, 10)):
        waiting = {u.id: u for u in posting.unposted(actors[Role.CRM])}
        mine = waiting[decided]
        assert mine.cannot_go and mine.superseded, mine
        assert mine.write_again == ""
        assert mine.left_out_why.startswith(f"it is superseded: {mine.superseded}; a date it "
                                            "gives has passed as well, so it cannot go in any "
                                            "case ("), mine.left_out_why
        acting_as("crm")
        dry = CliRunner().invoke(main, ["letters", "post", "--dry-run",
                                        "--db", outside.target(db_path)])
        assert dry.exit_code == 0, dry.output
        assert f"Left out: it is superseded: {mine.superseded}; " in dry.output, dry.output
        assert "again" not in dry.output.lower(), dry.output
        real = CliRunner().invoke(main, ["letters", "post", "--no-pack", "--letter",
                                         str(decided), "--db", outside.target(db_path)])
        assert real.exit_code != 0, real.output
        assert (f"letter {decided} ({_ref}) cannot be posted: it is superseded: "
                f"{mine.superseded}") in real.output, real.output
        assert "again" not in real.output.lower(), real.output
        assert Letter.get_by_id(decided).posted_on is None
        assert outcome in waiting
