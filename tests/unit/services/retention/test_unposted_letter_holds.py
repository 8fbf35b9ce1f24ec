"""A file is not archived while one of its letters is signed and not yet posted (found when
tried: a file archived the day its appeal outcome letter was signed took that letter out of
every post run, "No letters are waiting to be posted", and the customer was never told the
restrictions were removed; the policy: "In all cases the council will write to the customer
to tell them of the results"). The hold is said wherever the archive date is, and posting
the letter releases it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import Case, Letter
from crm_tui.domain.errors import DomainError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import queries
from crm_tui.services.letters import issuing, posting
from crm_tui.services.restrictions import decisions
from crm_tui.services.retention import archive, schedule
from tests import builders, outside
from tests.builders import TOLD
from tests.conftest import PASSPHRASE


def _ended_and_signed(actors: dict[Role, Actor], tmp_path: Path) -> tuple[str, int]:
    """A case whose restrictions were lifted, its letter signed and not posted."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    decisions.lift_restrictions(actors[Role.CRM], ref, "Subsided", customer_reason=TOLD)
    letter = issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.LIFTED,
                                     tmp_path / "issued", PASSPHRASE)
    return ref, letter.letter_id


def _state(ref: str) -> str:
    return str(Case.get(Case.reference == ref).state)


def test_the_service_holds_the_file_until_its_letter_is_posted(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    ref, letter_id = _ended_and_signed(actors, tmp_path)
    held = (f"the letter lifting the restrictions (letter {letter_id}, dated 28 Nov 2026) is "
            "signed but not yet posted")
    with clock.travel_to(builders.APPEAL_PERIOD_OVER):  # the appeal period is over too
        case = Case.get(Case.reference == ref)
        assert (case.next_action, case.next_action_due) == (
            "Post the letter lifting the restrictions", builders.TODAY)
        assert [(r.reference, r.held) for r in schedule.due(officer).archive] == [(ref, held)]
        assert queries.dashboard(officer).due_for_archive == 0
        assert schedule.archive_due(officer, job="the app's check at start-up") == []
        with pytest.raises(DomainError, match="is signed but not yet posted: a file is "
                                              "archived once the customer has been told"):
            archive.archive(crm, ref)
        assert _state(ref) == CaseState.ENDED.value
        # Still in the post run, and posting it releases the file.
        assert [u.id for u in posting.unposted(officer)] == [letter_id]
        posting.record_posting(officer, [letter_id], clock.today(), "first")
        case = Case.get(Case.reference == ref)
        assert case.next_action == "Archive file"
        assert schedule.archive_due(officer, job="the app's check at start-up") == [ref]
    assert _state(ref) == CaseState.ARCHIVED.value


def test_a_letter_that_can_no_longer_go_holds_the_file_for_the_one_owed_again(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """A letter giving a date already past cannot be posted (posting refuses it). It once
    held the file for ever; then it held nothing, and the customer was never told. Now the
    letter is owed again (posting_dates.to_write_again, fixAB): the file is held for the new
    one, which can be signed and posted."""
    ref, letter_id = _ended_and_signed(actors, tmp_path)
    Letter.update(appeal_by=builders.TODAY).where(Letter.id == letter_id).execute()
    with clock.travel_to(builders.APPEAL_PERIOD_OVER):
        assert [(r.reference, r.held) for r in schedule.due(actors[Role.OFFICER]).archive] \
            == [(ref, "the letter lifting the restrictions of 28 Nov 2026 is not yet signed")]


def _cli(args: list[str], db_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--db", outside.target(db_path)])
    return result.exit_code, result.output


def test_retention_run_holds_it_and_letters_post_still_posts_it(
        actors: dict[Role, Actor], acting_as: Callable[[str], None], db_path: Path,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ref, letter_id = _ended_and_signed(actors, tmp_path)
    monkeypatch.setenv("CRM_TUI_NOW", builders.APPEAL_PERIOD_OVER.isoformat())
    acting_as("crm")
    code, out = _cli(["retention", "run"], db_path)
    assert code == 0, out
    assert "Archived: 0 files" in out
    assert f"letter {letter_id}, dated 28 Nov 2026) is signed but not yet posted" in out
    assert _state(ref) == CaseState.ENDED.value
    acting_as("officer")
    code, out = _cli(["letters", "post", "--dry-run"], db_path)
    assert code == 0 and ref in out, out
    code, out = _cli(["letters", "post", "--letter", str(letter_id), "--no-pack"], db_path)
    assert code == 0, out
    acting_as("crm")
    code, out = _cli(["retention", "run"], db_path)
    assert code == 0 and "Archived: 1 file" in out, out
    assert _state(ref) == CaseState.ARCHIVED.value
