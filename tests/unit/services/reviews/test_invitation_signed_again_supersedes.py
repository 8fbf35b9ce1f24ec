"""Issue 15 AS1, AS2: an invitation to comment that could no longer go and was signed again
stayed "can no longer go" beside the new one, and a back-dated `--posted-on` posted it after
the new one had gone: the case's day for comments moved back a day before the one the
customer was sent.

Decided: once signed again, the earlier invitation is superseded by the new one, for good. No
post run takes it, by any path, whatever posting day is given (even a day before the new one
was signed: the register says the new one is what the customer is sent; a posting of the
earlier one that was never recorded is not made true by recording it now). It reads
"superseded by N" everywhere, as every superseded letter does.

The suite's clock: Saturday 28 November 2026. The proposal gives 17 December 2026; letter A is
signed that day and never posted. On Monday 30 November it can no longer go (the period runs
to 18 December), and letter B is signed again in its place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, Letter
from crm_tui.domain.errors import DomainError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import comments_in, posting_dates
from crm_tui.services.intake import queries
from crm_tui.services.letters import copies, issuing, posting
from tests import builders, outside
from tests.conftest import PASSPHRASE


def _signed_again(actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch,
                  *, post: bool) -> tuple[str, int, int]:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=date(2026, 12, 17), sign=False)
    crm = actors[Role.CRM]
    first = builders.sign_invitation(crm, ref, post=False)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-30T10:00:00")
    second = builders.sign_invitation(crm, ref, post=post)
    assert second != first
    return ref, first, second


@pytest.mark.parametrize("post", [False, True])
def test_the_first_is_superseded_by_the_second_and_goes_in_no_post_run(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch, post: bool) -> None:
    ref, first, second = _signed_again(actors, monkeypatch, post=post)
    crm = actors[Role.CRM]
    row = Letter.get_by_id(first)
    assert posting_dates.replaced_by(row) == second
    why = posting_dates.no_longer_sent(row)
    assert why == f"it could no longer go, and letter {second} was signed again in its place"
    # Its cause is of the kind signed again, given where it is made (mend 1: the end of a
    # chain was chosen by matching the cause's words).
    cause = posting_dates.bare_cause(row)
    assert cause == posting_dates.Cause(posting_dates.CauseKind.SIGNED_AGAIN, why), cause
    # Not waiting: neither Post today nor the dry run lists it.
    assert first not in [u.id for u in posting.unposted(crm)]
    assert first not in [u.id for u in posting.unposted(crm, ref, on=date(2026, 11, 29))]
    # Refused by the service on any day: today, and back-dated to a day it could have gone,
    # before the second was signed.
    for day in (date(2026, 11, 30), date(2026, 11, 29), date(2026, 11, 28)):
        with pytest.raises(DomainError, match=f"superseded by letter {second}"):
            posting.record_posting(crm, [first], day, "first")
        with pytest.raises(DomainError, match=f"superseded by letter {second}"):
            posting.check_posting(crm, [first], day, "first")
    assert posting.why_not_waiting(crm, first).startswith(
        f"letter {first} was never posted and is superseded by letter {second}: ")
    # The register reads it superseded, not "can no longer go".
    info = copies.info(crm, first)
    assert (info.shown_status, info.gone) == (f"superseded by {second}", ""), info
    assert info.superseded == why
    if not post:  # the new one is to be posted today: it gives exactly the period (AS3)
        assert issuing.post_by_words(second).startswith(
            "Post it today, 30 November 2026: posted later")
        case = Case.get(Case.reference == ref)
        assert (case.next_action, case.next_action_due) == ("Post the invitation to comment",
                                                            date(2026, 11, 30))
    if post:
        # The day for comments stays the one the letter sent gives.
        case = Case.get(Case.reference == ref)
        assert comments_in.issued_on(case) == date(2026, 11, 30)
        assert case.next_action == "Customer's comments due"
        assert case.next_action_due == date(2026, 12, 18)
    assert Letter.get_by_id(first).posted_on is None


def test_a_back_dated_posting_before_it_was_signed_again_is_still_judged_by_the_rule(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """Not yet signed again, the first may be recorded as posted on a day it could still
    go (it went then), and is refused on a day it could not."""
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=date(2026, 12, 17), sign=False)
    crm = actors[Role.CRM]
    first = builders.sign_invitation(crm, ref, post=False)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-01T10:00:00")
    with pytest.raises(DomainError, match="last day for comments"):
        posting.record_posting(crm, [first], date(2026, 11, 30), "first")
    posting.record_posting(crm, [first], date(2026, 11, 28), "first")
    assert comments_in.issued_on(Case.get(Case.reference == ref)) == date(2026, 11, 28)


def test_the_command_line_refuses_it_and_reads_it_superseded(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch, db_path: Path,
        acting_as: Callable[[str], None], tmp_path: Path) -> None:
    """`letters post --letter N --posted-on` (back-dated, dry run too), `letters list`,
    `letters show` and `letters export --letter N`, as the tester ran them (AS1, AS2)."""
    ref, first, second = _signed_again(actors, monkeypatch, post=True)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-01T10:00:00")
    acting_as("crm")

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, [*args, "--db", outside.target(db_path)])
        return result.exit_code, result.output

    for dry in ([], ["--dry-run"]):
        code, said = run("letters", "post", "--letter", str(first), "--posted-on",
                         "29/11/2026", *dry)
        assert code != 0, said
        assert f"superseded by letter {second}" in said, said
        assert f"Posted: letter {first}" not in said
    assert Letter.get_by_id(first).posted_on is None
    code, said = run("letters", "post", "--dry-run")
    assert str(first) not in said.replace(str(second), ""), said
    assert "cannot go" not in said, said
    code, said = run("letters", "list", "--case", ref)
    assert code == 0 and f"superseded by {second}" in said and "can no longer go" not in said, said
    code, said = run("letters", "show", str(first))
    assert code == 0 and "can no longer go" not in said, said
    assert f"superseded by {second}" in said, said
    code, said = run("letters", "export", "--letter", str(first), "--out", str(tmp_path / "x"))
    assert code == 0, said
    assert f"is superseded by letter {second}" in said, said
    assert "for the record; it is not to be sent" in said, said


def test_signed_and_not_posted_the_next_action_is_to_post_it_by_its_last_day(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """AS3: signed, not posted, the case waits for the posting, due the last day it can
    still go (it said "Customer's comments due" by the day it gives)."""
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=date(2027, 1, 8), sign=False)
    crm = actors[Role.CRM]
    issued = issuing.sign_and_export(crm, ref, LetterKind.INVITATION,
                                     builders.database_folder() / "issued", PASSPHRASE)
    case = Case.get(Case.reference == ref)
    last = case.next_action_due
    assert last is not None and last > date(2026, 11, 28)
    # Signing says by when it must be posted.
    assert issued.post_by == (
        f"Post it by {in_prose(last, full_month=True)}: posted later, the day for comments "
        "it gives would leave the customer less than the 14 working days to comment, and it "
        "would be signed again."), issued.post_by
    assert case.next_action == "Post the invitation to comment", case.next_action
    # The last day it can go leaves the period to 8 January; the day after would not.
    assert comments_in.period_from(last) <= date(2027, 1, 8)
    assert comments_in.period_from(last + timedelta(days=1)) > date(2027, 1, 8)
    [row] = [s for s in queries.list_cases(crm) if s.reference == ref]
    assert row.next_action == "Post the invitation to comment"
    # Home counts no reply awaited from a customer not yet sent the invitation.
    before = queries.dashboard(crm).replies_due
    # Posted, the customer's comments are awaited.
    posting.record_posting(crm, [int(Letter.select().join(Case).where(
        Case.reference == ref).order_by(Letter.id.desc()).first().id)], date(2026, 11, 28),
        "first")
    case = Case.get(Case.reference == ref)
    assert (case.next_action, case.next_action_due) == ("Customer's comments due",
                                                        date(2027, 1, 8))
    assert queries.dashboard(crm).replies_due == before + 1
