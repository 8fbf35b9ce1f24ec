"""A signature attests the words the signer was shown (b16f F1): two copies of the app on one
database, the signer reading the letter in one while its words were edited in the other, and
the letter was signed with words the signer never saw. Signing carries the letter as read
(its draft's version and its words) and is refused, with who changed it and when, if either
has changed since; nothing is signed, written or registered then."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Letter
from crm_tui.domain.errors import StaleEdit
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import customer_details
from crm_tui.services.letters import copies, editing, issuing, signing_keys
from tests import dumps
from tests.demo_decided import CONSIDERING, decided_today

PASS = signing_keys.DEMO_PASSPHRASE
DECISION = LetterKind.DECISION
CHANGED_WORDS = ("Ceri Hughes changed this letter's words at 10:00 since you read it: read it "
                 "again before signing. Nothing was signed.")
EDITED = "You wrote to six officers forty times a week. One officer now answers you."


@pytest.fixture
def demo(demo: Path) -> Path:
    decided_today()  # its decision letter is owed today
    return demo


def _edit(letter_id: int, words: str = EDITED) -> None:
    """The other copy of the app: the signer rewords why we decided, and keeps it."""
    crm = resolve_actor("ceri.hughes")
    opened = editing.view(crm, letter_id)
    reason = next(f.key for f in opened.fields if f.label == "Why we decided this")
    editing.edit(crm, letter_id, reason, words, read_version=opened.version)


def _refused(sign: Callable[[], object], folder: Path, said: str) -> None:
    before = dumps.dump()
    with pytest.raises(StaleEdit) as refused:
        sign()
    assert str(refused.value) == said
    assert dumps.dump() == before
    assert not folder.exists() or not any(folder.iterdir())


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_a_letter_edited_since_the_signer_read_it_is_not_signed(demo: Path,
                                                                tmp_path: Path) -> None:
    crm = resolve_actor("ceri.hughes")
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    seen = issuing.read(crm, CONSIDERING, DECISION)  # session B reads it
    _edit(letter_id)  # session A rewords it meanwhile
    out = tmp_path / "letters"
    _refused(lambda: issuing.sign_and_export(crm, CONSIDERING, DECISION, out, PASS,
                                             as_read=seen.as_read), out, CHANGED_WORDS)
    assert Letter.get_by_id(letter_id).status == "draft"
    # Read again, it signs: the words signed are those now read.
    again = issuing.read(crm, CONSIDERING, DECISION)
    assert EDITED in again.text and EDITED not in seen.text
    issued = issuing.sign_and_export(crm, CONSIDERING, DECISION, out, PASS,
                                     as_read=again.as_read)
    assert EDITED in _text(issued.path)


def test_a_letter_prepared_and_edited_after_it_was_read_unprepared_is_not_signed(
        demo: Path, tmp_path: Path) -> None:
    crm = resolve_actor("ceri.hughes")
    seen = issuing.read(crm, CONSIDERING, DECISION)  # no draft yet: the recorded words
    assert seen.as_read.draft_id is None
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    _edit(letter_id)
    out = tmp_path / "letters"
    _refused(lambda: issuing.sign_and_export(crm, CONSIDERING, DECISION, out, PASS,
                                             as_read=seen.as_read), out, CHANGED_WORDS)


def test_a_letter_prepared_unedited_since_it_was_read_signs(demo: Path,
                                                             tmp_path: Path) -> None:
    """Preparing it changes none of its words: what was read is what is signed."""
    crm = resolve_actor("ceri.hughes")
    seen = issuing.read(crm, CONSIDERING, DECISION)
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    issued = issuing.sign_and_export(crm, CONSIDERING, DECISION, tmp_path, PASS,
                                     as_read=seen.as_read)
    assert issued.letter_id == letter_id


def test_a_letter_whose_record_changed_since_it_was_read_is_not_signed(
        demo: Path, tmp_path: Path) -> None:
    crm = resolve_actor("ceri.hughes")
    seen = issuing.read(crm, CONSIDERING, DECISION)
    officer = resolve_actor("tomasz.nowak")
    moved = replace(customer_details.contact(officer, CONSIDERING), postcode="NM4 6GR")
    customer_details.set_contact(officer, CONSIDERING, moved)
    out = tmp_path / "letters"
    _refused(lambda: issuing.sign_and_export(crm, CONSIDERING, DECISION, out, PASS,
                                             as_read=seen.as_read), out,
             "Tomasz Nowak changed the case's record at 10:00 since you read the letter, and "
             "its words now differ from those you read: read it again before signing. "
             "Nothing was signed.")


def test_signing_from_the_list_refuses_a_letter_edited_since_it_was_listed(
        demo: Path, tmp_path: Path) -> None:
    """The Letters area lists the drafts (s, A): each is signed as listed, or not at all."""
    crm = resolve_actor("ceri.hughes")
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    listed = {e.id: e.as_listed for e in issuing.drafts(crm)}
    _edit(letter_id)
    results = issuing.sign_many(crm, [letter_id], tmp_path, PASS, lambda *_: None,
                                listed=listed)
    # The list shows no words: nothing was read there (found when tried: "since you read it").
    assert results == [(CONSIDERING, "not signed: " + CHANGED_WORDS.replace(
        "since you read it", "since this list showed it"))]
    assert Letter.get_by_id(letter_id).status == "draft" and not any(tmp_path.glob("*.pdf"))


def test_signing_from_the_list_refuses_a_letter_whose_record_changed_since_it_was_listed(
        demo: Path, tmp_path: Path) -> None:
    """The list carries each draft's words, not only its version: a change to the case's
    record (the customer's postcode) rewrites the letter without moving its version (v16g G7).
    The rest of a batch goes on."""
    crm = resolve_actor("ceri.hughes")
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    [shown] = [e for e in issuing.drafts(crm) if e.id == letter_id]
    assert shown.words == issuing.read(crm, CONSIDERING, DECISION).as_read.words
    officer = resolve_actor("tomasz.nowak")
    moved = replace(customer_details.contact(officer, CONSIDERING), postcode="NM4 6GR")
    customer_details.set_contact(officer, CONSIDERING, moved)
    [now] = [e for e in issuing.drafts(crm) if e.id == letter_id]
    assert now.version == shown.version and now.words != shown.words
    results = issuing.sign_many(crm, [letter_id], tmp_path, PASS, lambda *_: None,
                                listed={letter_id: shown.as_listed})
    assert results == [(CONSIDERING, "not signed: Tomasz Nowak changed the case's record at "
                        "10:00 since this list showed the letter, and its words now differ "
                        "from those it showed: read it again before signing. Nothing was "
                        "signed.")]
    assert Letter.get_by_id(letter_id).status == "draft" and not any(tmp_path.glob("*.pdf"))
    # Listed again as it now reads, it signs.
    [(_, signed)] = issuing.sign_many(crm, [letter_id], tmp_path, PASS, lambda *_: None,
                                      listed={letter_id: now.as_listed})
    assert signed.startswith("signed: ")


def test_an_edit_saved_while_the_letter_is_being_signed_refuses_it(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read at once, but edited between its rendering and its registering: the PDF would hold
    the words before the edit, the draft those after. It is not registered; its file goes."""
    crm = resolve_actor("ceri.hughes")
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    seen = issuing.read(crm, CONSIDERING, DECISION)
    rendered = issuing.render_and_sign

    def edited_meanwhile(*args: object, **kwargs: object) -> tuple[bytes, str]:
        signed = rendered(*args, **kwargs)  # type: ignore[arg-type]
        _edit(letter_id)
        return signed

    monkeypatch.setattr(issuing, "render_and_sign", edited_meanwhile)
    entries = AuditEntry.select().count()
    with pytest.raises(StaleEdit, match="changed this letter's words"):
        issuing.sign_and_export(crm, CONSIDERING, DECISION, tmp_path, PASS,
                                as_read=seen.as_read)
    assert Letter.get_by_id(letter_id).status == "draft"
    assert AuditEntry.select().count() == entries + 1  # the edit alone
    assert not any(tmp_path.glob("*.pdf"))


def test_a_prepared_letter_reads_everywhere_as_it_would_be_signed(demo: Path) -> None:
    """The register's row of a draft (the case's letters, Tab; `crm-tui letters show N`)
    showed the words as first prepared, without its signer's edits: not what `s` signs."""
    crm = resolve_actor("ceri.hughes")
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    _edit(letter_id)
    shown = copies.issued_text(crm, letter_id)
    assert EDITED in shown
    assert shown == issuing.read(crm, CONSIDERING, DECISION).text


def test_the_command_line_signs_a_prepared_letter_only_as_read(demo: Path,
                                                               tmp_path: Path) -> None:
    """`letters show N` prints a prepared letter's words and their version; `letters export
    --as-read V` signs those words, or nothing if they changed first."""
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    shown = CliRunner().invoke(main, ["letters", "show", str(letter_id), "--db", str(demo),
                                      "--user", "ceri.hughes"])
    assert shown.exit_code == 0, shown.output
    found = re.search(r"--as-read (\d+:[0-9a-f]{16})", shown.output)
    assert found is not None, shown.output
    _edit(letter_id)
    secret = tmp_path / "passphrase"
    secret.write_text(PASS)
    secret.chmod(0o600)
    out = tmp_path / "letters"
    result = CliRunner().invoke(main, [
        "letters", "export", "--case", CONSIDERING, "--kind", "decision", "--out", str(out),
        "--as-read", found.group(1), "--user", "ceri.hughes", "--passphrase-file", str(secret),
        "--db", str(demo)])
    assert result.exit_code == 1 and CHANGED_WORDS in " ".join(result.output.split()), \
        result.output
    assert Letter.get_by_id(letter_id).status == "draft"
    assert not out.exists() or not any(out.glob("*.pdf"))


def test_the_command_line_refuses_words_the_record_changed_since_they_were_shown(
        demo: Path, tmp_path: Path) -> None:
    """v16g G1: `letters show` printed "Version 2"; the customer's address was changed; the
    version did not move, and `--as-read 2` signed an address the signer never read. The
    mark printed holds the words themselves."""
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    shown = CliRunner().invoke(main, ["letters", "show", str(letter_id), "--db", str(demo),
                                      "--user", "ceri.hughes"])
    found = re.search(r"--as-read (\d+:[0-9a-f]{16})", shown.output)
    assert found is not None, shown.output
    moved = CliRunner().invoke(main, [
        "customer", "contact", CONSIDERING, "--address", "12 Quagga Close, Northmere",
        "--postcode", "NM2 8QA", "--user", "ceri.hughes", "--db", str(demo)])
    assert moved.exit_code == 0, moved.output
    secret = tmp_path / "passphrase"
    secret.write_text(PASS)
    secret.chmod(0o600)
    out = tmp_path / "letters"
    args = ["letters", "export", "--case", CONSIDERING, "--kind", "decision", "--out",
            str(out), "--user", "ceri.hughes", "--passphrase-file", str(secret), "--db",
            str(demo), "--as-read"]
    result = CliRunner().invoke(main, [*args, found.group(1)])
    assert result.exit_code == 1, result.output
    assert "its words now differ from those you read" in " ".join(result.output.split())
    assert Letter.get_by_id(letter_id).status == "draft"
    # Shown again, the new mark signs.
    again = CliRunner().invoke(main, ["letters", "show", str(letter_id), "--db", str(demo),
                                      "--user", "ceri.hughes"])
    assert "12 Quagga Close" in again.output
    now = re.search(r"--as-read (\d+:[0-9a-f]{16})", again.output)
    assert now is not None and now.group(1) != found.group(1)
    signed = CliRunner().invoke(main, [*args, now.group(1)])
    assert signed.exit_code == 0, signed.output
    assert Letter.get_by_id(letter_id).status == "issued"



def test_a_mark_letters_show_never_printed_is_said_to_be_one(demo: Path,
                                                             tmp_path: Path) -> None:
    """v16g G5: `--as-read 99` (a version the letter never had) was told "Ceri Hughes changed
    this letter's words at 11:49 since you read it". A version it never had, or its version
    with words that are not its own while nothing on the case changed them, is said not to be
    a mark `letters show` printed; nothing is signed. The mark printed still signs."""
    letter_id = issuing.prepare(resolve_actor("tomasz.nowak"), CONSIDERING, DECISION)
    _edit(letter_id)  # version 2
    shown = CliRunner().invoke(main, ["letters", "show", str(letter_id), "--db", str(demo),
                                      "--user", "ceri.hughes"])
    found = re.search(r"--as-read (2:([0-9a-f]{16}))", shown.output)
    assert found is not None, shown.output
    secret = tmp_path / "passphrase"
    secret.write_text(PASS)
    secret.chmod(0o600)
    out = tmp_path / "letters"
    args = ["letters", "export", "--case", CONSIDERING, "--kind", "decision", "--out",
            str(out), "--user", "ceri.hughes", "--passphrase-file", str(secret), "--db",
            str(demo), "--as-read"]
    other = "0123456789abcdef" if found.group(2) != "0123456789abcdef" else "fedcba9876543210"
    for given, said in (
            (f"99:{found.group(2)}", f'--as-read "99:{found.group(2)}": this letter never had '
             f"a version 99 (it is at version 2): it is not a mark `crm-tui letters show "
             f"{letter_id}` printed for this letter: run it again and give the mark it "
             "prints. Nothing was signed."),
            (f"2:{other}", f'--as-read "2:{other}": it is not the mark `crm-tui letters show '
             f"{letter_id}` prints for this letter's version 2, and nothing recorded on the "
             "case has changed its words since that version was made: run it again and give "
             "the mark it prints. Nothing was signed.")):
        result = CliRunner().invoke(main, [*args, given])
        assert result.exit_code == 1, result.output
        flat = " ".join(result.output.split())
        assert said in flat and "changed this letter's words" not in flat, flat
        assert Letter.get_by_id(letter_id).status == "draft"
    # An earlier version than the letter's now was shown once: changed since, as before.
    earlier = CliRunner().invoke(main, [*args, f"1:{found.group(2)}"])
    assert earlier.exit_code == 1 and CHANGED_WORDS in " ".join(earlier.output.split())
    assert not out.exists() or not any(out.glob("*.pdf"))
    signed = CliRunner().invoke(main, [*args, found.group(1)])
    assert signed.exit_code == 0, signed.output
