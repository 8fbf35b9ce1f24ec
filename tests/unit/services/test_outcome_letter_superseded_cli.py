"""v15l W at the command line, on the demo's UPV-2025-0005 (its appeal upheld in part, the
outcome letter signed and not posted): lifted since, or signed again as it could no longer
go, the outcome letter is superseded. `cases` says what is owed, `letters post --dry-run`
leaves it out of the run and of "waiting", and `letters list` says superseded (by which)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import clock
from crm_tui.cli import main
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import decisions
from tests.builders import TOLD
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted


def _run(demo: Path, *args: str, user: str = "ceri.hughes") -> str:
    result = CliRunner().invoke(main, [*args, "--user", user, "--db", str(demo)])
    assert result.exit_code == 0, result.output
    return result.output


def _line(out: str, start: str = APPEALED) -> str:
    return next(line for line in out.splitlines() if line.lstrip().startswith(start))


def test_lifted_after_the_appeal_the_outcome_letter_is_not_posted(
        demo: Path, tmp_path: Path) -> None:
    letter = outcome_signed_not_posted(tmp_path / "out")
    decisions.lift_restrictions(resolve_actor("ceri.hughes"), APPEALED, TOLD,
                                customer_reason=TOLD)
    assert "Sign the letter lifting the restrictions" in _line(_run(demo, "cases"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{letter:>5}  {APPEALED}" not in out, out
    listed = _line(_run(demo, "letters", "list", "--case", APPEALED), f"{letter} ")
    assert "  superseded  " in listed
    assert ("(superseded: the restrictions were lifted on 28 Nov 2026, after the appeal; the "
            "letter lifting them, still to be signed, tells the customer)") in listed


def test_signed_again_the_new_one_is_posted_and_the_first_superseded(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = outcome_signed_not_posted(tmp_path / "out")
    with clock.travel_to(datetime(2027, 2, 2, 10)):
        again = issuing.sign_and_export(resolve_actor("gareth.bell"), APPEALED,
                                        LetterKind.APPEAL_OUTCOME, tmp_path / "again",
                                        DEMO_PASSPHRASE).letter_id
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02")
    assert "Post the appeal outcome letter" in _line(_run(demo, "cases"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{again:>5}  {APPEALED}" in out and f"{first:>5}  {APPEALED}" not in out, out
    assert "CANNOT GO" not in out
    listed = _line(_run(demo, "letters", "list", "--case", APPEALED), f"{first} ")
    assert f"  superseded by {again}  " in listed


def test_a_letter_that_cannot_go_says_who_writes_again(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """v15l W12: "ask the Complaints Resolution Manager how to write to the customer" was
    said to the CRM herself, of a letter only the person who decided the appeal signs."""
    outcome_signed_not_posted(tmp_path / "out")
    monkeypatch.setenv("CRM_TUI_NOW", "2027-02-02")
    for user in ("ceri.hughes", "tomasz.nowak"):
        out = _run(demo, "letters", "post", "--dry-run", user=user)
        assert ("Left out: it cannot go (Gareth Bell, who decided the appeal, writes the "
                "outcome letter again)") in out, out
        assert "ask the Complaints Resolution Manager" not in out


def test_varied_after_the_appeal_one_letter_goes(demo: Path, tmp_path: Path) -> None:
    """v15m-2: a variation after the outcome letter signed and not posted. `letters post
    --dry-run` took both (the outcome saying the restrictions start on 1 February, the
    variation on 3 February): the variation's letter supersedes the outcome letter."""
    from datetime import date

    from crm_tui.services.core import confirmation
    from crm_tui.services.core.inputs import DecisionTerms
    from crm_tui.services.restrictions import builder
    from tests import builders

    letter = outcome_signed_not_posted(tmp_path / "out")
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Start them later", DecisionTerms(
            starts_on=date(2027, 2, 3), ends_on=date(2027, 11, 1)),
            read=builders.read(APPEALED), customer_reason=TOLD)
    assert "Sign the decision letter" in _line(_run(demo, "cases"))
    varied = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                     tmp_path / "varied", DEMO_PASSPHRASE).letter_id
    assert "Post the decision letter" in _line(_run(demo, "cases"))
    out = _run(demo, "letters", "post", "--dry-run", user="tomasz.nowak")
    assert f"{varied:>5}  {APPEALED}" in out and f"{letter:>5}  {APPEALED}" not in out, out
    listed = _line(_run(demo, "letters", "list", "--case", APPEALED), f"{letter} ")
    assert f"  superseded by {varied}  " in listed, listed
    assert (f"the restrictions were varied on 28 Nov 2026, after the appeal; the decision "
            f"letter (letter {varied}) tells the customer") in listed, listed


def test_resend_of_a_superseded_outcome_letter_says_so(demo: Path, tmp_path: Path) -> None:
    """v15m minor: `letters resend` of the outcome letter the lift superseded said "post it
    (P in the Letters area)", which no post run would: it says it was superseded, by which."""
    letter = outcome_signed_not_posted(tmp_path / "out")
    crm = resolve_actor("ceri.hughes")
    decisions.lift_restrictions(crm, APPEALED, TOLD, customer_reason=TOLD)
    lifting = issuing.sign_and_export(crm, APPEALED, LetterKind.LIFTED, tmp_path / "lift",
                                      DEMO_PASSPHRASE).letter_id
    result = CliRunner().invoke(main, ["letters", "resend", str(letter), "--reason",
                                       "Asked for again.", "--out", str(tmp_path / "copy"),
                                       "--user", "gareth.bell", "--db", str(demo)])
    assert result.exit_code != 0, result.output
    said = " ".join(result.output.split())
    assert f"letter {letter} was never posted and is superseded by letter {lifting}" in said, said
    assert "post it" not in said


def test_post_of_a_superseded_outcome_letter_says_why(demo: Path, tmp_path: Path) -> None:
    """v15n AD3: `letters post --letter 17` of the outcome letter superseded said only "not
    waiting to be posted"; it says why, as `letters resend` does."""
    letter = outcome_signed_not_posted(tmp_path / "out")
    crm = resolve_actor("ceri.hughes")
    decisions.lift_restrictions(crm, APPEALED, TOLD, customer_reason=TOLD)
    lifting = issuing.sign_and_export(crm, APPEALED, LetterKind.LIFTED, tmp_path / "lift",
                                      DEMO_PASSPHRASE).letter_id
    result = CliRunner().invoke(main, ["letters", "post", "--letter", str(letter), "--dry-run",
                                       "--user", "tomasz.nowak", "--db", str(demo)])
    assert result.exit_code != 0, result.output
    said = " ".join(result.output.split())
    assert (f"Error: letter {letter} was never posted and is superseded by letter {lifting}: "
            "the restrictions were lifted on 28 Nov 2026, after the appeal; the letter lifting "
            f"them (letter {lifting}) tells the customer. It is not sent, and no post run takes "
            "it") in said, said
    result = CliRunner().invoke(main, ["letters", "post", "--letter", "9999", "--dry-run",
                                       "--user", "tomasz.nowak", "--db", str(demo)])
    assert "Error: letter 9999 is not waiting to be posted (see crm-tui letters list)" in \
        " ".join(result.output.split())
