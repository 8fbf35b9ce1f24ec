"""fixAB at the command line, on the demo's UPV-2025-0005 (restricted): its restrictions
varied on the (frozen) day, 28 November 2026, to start that day, and the letter signed and not
posted.

AB0: two days later the post run refused it ("it gives a date already past, 28 November 2026
… start on 28 November 2026"): a decision letter not posted the day it was signed could never
go. Its start, the day the letter bears, is what was decided then, not something still to
come.

AB1: once its last day to appeal has passed it cannot go; it was never owed again (`cases`
said "Review due", W refused a new one: "issued; export a copy or re-send it") and the
customer was never told. As an appeal's outcome letter is, it is written again: the next
action says so, a new letter is signed with a new last day to appeal, the first is
"superseded by N" and in no post run."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions
from tests import builders
from tests.builders import TODAY, TOLD
from tests.demo_outcome_unposted import APPEALED, variation_unposted


def _run(demo: Path, *args: str, user: str = "ceri.hughes") -> str:
    result = CliRunner().invoke(main, [*args, "--user", user, "--db", str(demo)])
    assert result.exit_code == 0, result.output
    return result.output


def _line(out: str, start: str = APPEALED) -> str:
    return next(line for line in out.splitlines() if line.lstrip().startswith(start))


def _varied_and_signed(out: Path) -> int:
    """The restrictions varied on TODAY to start that day and end a month sooner, the letter
    signed and not posted; its register number."""
    crm = resolve_actor("ceri.hughes")
    ends = Case.get(Case.reference == APPEALED).restrictions_end - timedelta(days=30)
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Worded afresh", DecisionTerms(
            starts_on=TODAY, ends_on=ends), read=builders.read(APPEALED), customer_reason=TOLD)
    return issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION, out,
                                   DEMO_PASSPHRASE).letter_id


def test_a_decision_letter_signed_one_day_goes_on_a_later_one(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    letter = _varied_and_signed(tmp_path / "out")
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-30")
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{letter:>5}  {APPEALED}" in out, out
    assert "CANNOT GO" not in out and "ask the Complaints Resolution Manager" not in out, out
    assert "Sign the decision letter" not in _line(_run(demo, "cases"))


def test_past_its_last_day_to_appeal_it_is_written_again(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tester's path: the appeal upheld in part (the restrictions to start on 1 February
    2027), then varied (to end sooner) and the variation's letter signed, not posted; on 2
    February 2027 its last day to appeal has passed."""
    first = variation_unposted(tmp_path / "varied")
    crm = resolve_actor("ceri.hughes")
    appeal_by = Letter.get_by_id(first).appeal_by
    later = date(2027, 2, 2)
    assert appeal_by < later
    monkeypatch.setenv("CRM_TUI_NOW", later.isoformat())
    assert "Sign the decision letter" in _line(_run(demo, "cases"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"CANNOT GO: it gives {in_prose(appeal_by)} as the last day to appeal" in out, out
    assert ("the Complaints Resolution Manager writes the decision letter again") in out, out
    assert "write the decision letter again from the case's letters (W)" in _run(
        demo, "letters", "post", "--dry-run")

    with clock.travel_to(datetime(2027, 2, 2, 10)):
        assert LetterKind.EXTENSION_DECISION in issuing.kinds_for(crm, APPEALED)
        text = " ".join(issuing.read(crm, APPEALED, LetterKind.EXTENSION_DECISION).text.split())
        again = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                        tmp_path / "again", DEMO_PASSPHRASE).letter_id
    # Its words true on the day it goes: the restrictions started the day before; the
    # appeal's result told, its outcome letter never sent.
    assert "have applied since 1 February 2027" in text, text
    assert "You appealed against our decision of" in text, text
    new_by = Letter.get_by_id(again).appeal_by
    assert new_by is not None and new_by > later
    assert Case.get(Case.reference == APPEALED).appeal_due == new_by

    assert "Post the decision letter" in _line(_run(demo, "cases"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{again:>5}  {APPEALED}" in out and f"{first:>5}  {APPEALED}" not in out, out
    assert "CANNOT GO" not in out
    listed = _line(_run(demo, "letters", "list", "--case", APPEALED), f"{first} ")
    assert f"  superseded by {again}  " in listed, listed
    _run(demo, "letters", "post", "--no-pack", "--letter", str(again), user="tomasz.nowak")
    assert "Review due" in _line(_run(demo, "cases"))


def test_before_its_last_day_to_appeal_it_is_not_written_again(
        demo: Path, tmp_path: Path) -> None:
    _varied_and_signed(tmp_path / "out")
    crm = resolve_actor("ceri.hughes")
    with clock.travel_to(datetime(2026, 12, 2, 10)):
        assert LetterKind.EXTENSION_DECISION not in issuing.kinds_for(crm, APPEALED)
    assert date(2026, 12, 2) > TODAY


def test_varied_again_the_first_variation_letter_is_superseded(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """AB2: varied again on 30 November, before the first variation's letter was posted:
    one letter goes, the later one, telling of the earlier decision."""
    first = _varied_and_signed(tmp_path / "out")
    crm = resolve_actor("ceri.hughes")
    with clock.travel_to(datetime(2026, 11, 30, 10)), confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        ends = Case.get(Case.reference == APPEALED).restrictions_end - timedelta(days=30)
        decisions.vary_restrictions(crm, APPEALED, "Shorter again", DecisionTerms(
            starts_on=date(2026, 11, 30), ends_on=ends), read=builders.read(APPEALED),
            customer_reason=TOLD)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-30")
    assert "Sign the decision letter" in _line(_run(demo, "cases"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{first:>5}  {APPEALED}" not in out, out
    listed = _line(_run(demo, "letters", "list", "--case", APPEALED), f"{first} ")
    assert "  superseded  " in listed and "the restrictions were varied on 30 Nov 2026, after " \
        "this decision; the decision letter, still to be signed, tells the customer" in listed
    with clock.travel_to(datetime(2026, 11, 30, 11)):
        again = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                        tmp_path / "again", DEMO_PASSPHRASE).letter_id
    text = " ".join(Letter.get_by_id(again).body.split())
    assert ("On 28 November 2026 we decided to change the restrictions on how you can "
            "contact the council. It set restrictions on") in text, text
    assert "We did not send you our letter about that decision." in text, text
    assert "Post the decision letter" in _line(_run(demo, "cases"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{again:>5}  {APPEALED}" in out and f"{first:>5}  {APPEALED}" not in out, out
    listed = _line(_run(demo, "letters", "list", "--case", APPEALED), f"{first} ")
    assert f"  superseded by {again}  " in listed, listed
