"""Issue 15 AX2 (fixAX2): the caution before signing (the customer's reasonable adjustments
recorded, their letters in standard print) was said only from a case's letters (W, `s`). It
is the service's, as data: every letter waiting carries it (LetterInfo.caution, for the
Letters area's sign one and sign all), and `crm-tui letters export` says it before signing,
signing only with --yes or a yes at the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui import cli_letters
from crm_tui.cli import main
from crm_tui.db.models import Case, Customer, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core import audit_seals
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing, signing_keys
from tests.demo_decided import CONSIDERING, decided_today

ADJUSTMENTS = "Prefers letters in large print"
SAID = (f'reasonable adjustments are recorded ("{ADJUSTMENTS}"), and this letter is in '
        "standard print")


def in_standard_print(reference: str = CONSIDERING) -> None:
    Customer.update(reasonable_adjustments=ADJUSTMENTS, contact_needs="",
                    large_print_pt=None).where(
        Customer.id == Case.get(Case.reference == reference).customer_id).execute()


@pytest.fixture
def demo(demo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    decided_today()  # its decision letter is owed today
    in_standard_print()
    # No service changes adjustments after the referral: set here, outside the app, and let
    # through the check that refuses a save over a change made outside it.
    monkeypatch.setattr(audit_seals, "_refuse_outside_changes", lambda *_: None)
    return demo


def _issued() -> int:
    return Letter.select().join(Case).where((Case.reference == CONSIDERING)
                                            & (Letter.status == "issued")).count()


def test_each_letter_waiting_carries_its_caution(demo: Path) -> None:
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, LetterKind.DECISION)
    waiting = {e.id: e for e in issuing.drafts(resolve_actor("ceri.hughes"))}
    said = waiting[letter_id].caution
    assert SAID in " ".join(said.split()), said
    assert said == issuing.format_caution(resolve_actor("ceri.hughes"), CONSIDERING)
    Customer.update(large_print_pt=16).where(
        Customer.id == Case.get(Case.reference == CONSIDERING).customer_id).execute()
    waiting = {e.id: e for e in issuing.drafts(resolve_actor("ceri.hughes"))}
    assert waiting[letter_id].caution == ""


def _export(demo: Path, tmp_path: Path, *more: str) -> tuple[int, str]:
    secret = tmp_path / "passphrase"
    secret.write_text(signing_keys.DEMO_PASSPHRASE)
    secret.chmod(0o600)
    result = CliRunner().invoke(main, [
        "letters", "export", "--case", CONSIDERING, "--kind", "decision", "--out",
        str(tmp_path / "letters"), "--user", "ceri.hughes", "--passphrase-file", str(secret),
        "--db", str(demo), *more], input="n\n")
    return result.exit_code, " ".join(result.output.split())


def test_the_command_line_says_the_caution_and_signs_only_when_told(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, said = _export(demo, tmp_path)  # no terminal to ask at, no --yes
    assert code == 1 and SAID in said, said
    assert "Nothing was signed: there is no terminal to ask at; add --yes" in said, said
    assert _issued() == 0
    monkeypatch.setattr(cli_letters, "_at_terminal", lambda: True)
    code, said = _export(demo, tmp_path)  # asked; n (not now)
    assert code == 1 and SAID in said and "Sign it as it is?" in said, said
    assert "Nothing was signed (not now)." in said, said
    assert _issued() == 0
    code, said = _export(demo, tmp_path, "--yes")
    assert code == 0 and SAID in said and "Signed, issued and registered" in said, said
    assert _issued() == 1


def test_the_command_line_names_its_own_answer_and_option_not_the_apps_keys(
        demo: Path, tmp_path: Path) -> None:
    """Issue 15 BA2 (a): at the command line the caution said "press n (Not now)" and named
    the app's keys (n on the restriction builder, D on the case file)."""
    code, said = _export(demo, tmp_path)
    assert code == 1 and SAID in said, said
    assert " ".join(issuing.AT_THE_COMMAND_LINE.split()) in said, said
    assert "press n" not in said and "(Not now)" not in said, said
    assert "(n on the" not in said and "(D on the" not in said, said
    # The app's own words name its keys.
    in_app = issuing.format_caution(resolve_actor("ceri.hughes"), CONSIDERING)
    assert in_app.endswith(issuing.IN_THE_APP) and SAID in in_app, in_app


def test_a_copy_re_sent_carries_the_caution_and_follows_the_print_recorded(
        demo: Path, tmp_path: Path) -> None:
    """Issue 15 BA2 (b): re-sending a copy of a letter to the customer said nothing of their
    adjustments while signing their letter did. The same caution, read now; and once large
    print is recorded, as it asks, the copy is in it (a copy kept the letter's print)."""
    from crm_tui.letters import record
    from crm_tui.services.letters import copies, posting

    crm = resolve_actor("ceri.hughes")
    issued = issuing.sign_and_export(crm, CONSIDERING, LetterKind.DECISION, tmp_path / "out",
                                     signing_keys.DEMO_PASSPHRASE).letter_id
    posting.record_posting(crm, [issued], Letter.get_by_id(issued).written_on, "first")
    assert copies.resend_caution(crm, issued) == issuing.format_caution(crm, CONSIDERING)
    assert SAID in " ".join(copies.resend_caution(crm, issued).split())
    Customer.update(large_print_pt=18).where(
        Customer.id == Case.get(Case.reference == CONSIDERING).customer_id).execute()
    assert copies.resend_caution(crm, issued) == ""
    copy = copies.resend(crm, issued, tmp_path / "copy", signing_keys.DEMO_PASSPHRASE,
                         "Lost in the post").letter_id
    kept = Letter.get_by_id(copy)
    assert record.loads(kept.content, copy).print_pt == 18


def test_the_command_lines_resend_says_the_caution_and_re_sends_only_when_told(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`crm-tui letters resend` re-sent a copy with no word of the caution W's and the
    Letters area's `r` now give (a rule held on the screens and not at the command line)."""
    from crm_tui.services.letters import posting

    crm = resolve_actor("ceri.hughes")
    issued = issuing.sign_and_export(crm, CONSIDERING, LetterKind.DECISION, tmp_path / "out",
                                     signing_keys.DEMO_PASSPHRASE).letter_id
    posting.record_posting(crm, [issued], Letter.get_by_id(issued).written_on, "first")
    secret = tmp_path / "passphrase"
    secret.write_text(signing_keys.DEMO_PASSPHRASE)
    secret.chmod(0o600)

    def resend(*more: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, [
            "letters", "resend", str(issued), "--reason", "Lost in the post", "--out",
            str(tmp_path / "copies"), "--user", "ceri.hughes", "--passphrase-file",
            str(secret), "--db", str(demo), *more], input="n\n")
        return result.exit_code, " ".join(result.output.split())

    code, said = resend()  # no terminal to ask at, no --yes
    assert code == 1 and SAID in said, said
    assert " ".join(issuing.AT_THE_COMMAND_LINE.split()) in said, said
    assert "Nothing was signed: there is no terminal to ask at; add --yes" in said, said
    assert _issued() == 1
    monkeypatch.setattr(cli_letters, "_at_terminal", lambda: True)
    code, said = resend()  # asked; n (not now)
    assert code == 1 and "Nothing was signed (not now)." in said, said
    assert _issued() == 1
    code, said = resend("--yes")
    assert code == 0 and SAID in said and "Re-sent as letter" in said, said
    assert _issued() == 2
