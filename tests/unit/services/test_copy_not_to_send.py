"""Issue 15 AU1, AU2: a copy of a letter that is not to go says so, wherever it is made.

Only `letters export --letter N` of a superseded letter said "This copy is for the record; it
is not to be sent."; the accessible copy said nothing, and nothing at all was said of an
invitation to comment signed too late to post. One service (services.letters.not_to_send)
gives the notice; a copy's PDF keeps the bytes issued (its SHA-256 the register's), its name
marked; the accessible copies open with the notice. A letter fine to post is copied as ever.

The suite's clock: Saturday 28 November 2026."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import accessible, copies, issuing
from crm_tui.services.letters.not_to_send import (
    CANNOT_GO_MARK,
    FOR_THE_RECORD,
    SUPERSEDED_MARK,
    CopyNotice,
)
from crm_tui.services.restrictions import builder, decisions
from tests import builders, outside
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

AMENDED = DecisionTerms(starts_on=date(2026, 12, 3), ends_on=date(2027, 11, 1))
VARIED = DecisionTerms(starts_on=date(2026, 12, 5), ends_on=date(2027, 11, 1))


def _outcome_then_varied(actors: dict[Role, Actor], out: Path) -> tuple[str, int]:
    """An appeal's outcome letter signed and not posted, then the restrictions varied: the
    outcome letter is withdrawn (superseded, the variation's letter still to be signed)."""
    ref = builders.appeal_amended(actors, AMENDED.starts_on, AMENDED.ends_on)
    outcome = issuing.sign_and_export(actors[Role.SERVICE_DIRECTOR], ref,
                                      LetterKind.APPEAL_OUTCOME, out, PASSPHRASE).letter_id
    builder.redraft_in_force(actors[Role.CRM], ref)
    decisions.vary_restrictions(actors[Role.CRM], ref, "Start them later", VARIED,
                                read=builders.read(ref), customer_reason=TOLD)
    return ref, outcome


def _check_copy(actor: Actor, letter_id: int, folder: Path, notice: CopyNotice) -> Path:
    """A copy written: its bytes those issued, its name marked as the notice says; the
    accessible copies beside it open with the notice."""
    written = copies.write_copy(actor, letter_id, folder)
    row = Letter.get_by_id(letter_id)
    assert written.notice == notice
    assert hashlib.sha256(written.path.read_bytes()).hexdigest() == row.sha256
    assert written.path.name == (
        row.file_name if not notice.mark
        else f"{Path(row.file_name).stem}-{notice.mark}.pdf"), written.path
    made = accessible.export_letter(actor, letter_id, written.path)
    assert made.notice == notice.said
    assert made.text == written.path.with_suffix(".txt")
    text = made.text.read_text(encoding="utf-8")
    page = made.html.read_text(encoding="utf-8")
    if notice:
        assert text.startswith(notice.said + "\n\n"), text[:300]
        body = page.split("<body>", 1)[1].lstrip()
        assert body.startswith(f'<p role="alert"><strong>{notice.said}</strong></p>'), body[:300]
    else:
        assert FOR_THE_RECORD not in text and FOR_THE_RECORD not in page
    return written.path


def test_current_superseded_and_withdrawn(actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm, director = actors[Role.CRM], actors[Role.SERVICE_DIRECTOR]
    ref, outcome = _outcome_then_varied(actors, tmp_path / "issued")
    # Withdrawn: superseded, the letter in its place still to be signed.
    said = copies.copy_notice(crm, outcome)
    assert said.mark == SUPERSEDED_MARK
    assert said.said.startswith(f"Letter {outcome} is superseded: the restrictions were "
                                "varied on 28 Nov 2026"), said
    assert said.said.endswith(". This copy is for the record; it is not to be sent."), said
    _check_copy(director, outcome, tmp_path / "withdrawn", said)
    # The variation's letter signed: the outcome letter is superseded by it, and the
    # variation's letter, signed and not posted, is fine to post: copied as ever.
    varied = issuing.sign_and_export(crm, ref, LetterKind.EXTENSION_DECISION,
                                     tmp_path / "issued", PASSPHRASE).letter_id
    said = copies.copy_notice(crm, outcome)
    assert said.said.startswith(f"Letter {outcome} is superseded by letter {varied}: "), said
    assert said.said == (f"Letter {outcome} is superseded by letter {varied}: "
                         f"{copies.info(crm, outcome).superseded}. {FOR_THE_RECORD}")
    _check_copy(director, outcome, tmp_path / "superseded", said)
    assert copies.copy_notice(crm, varied) == CopyNotice()
    _check_copy(crm, varied, tmp_path / "current", CopyNotice())


def _invitation_too_late(actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> tuple[
        str, int]:
    """An invitation to comment signed on 28 November giving 17 December, never posted: on
    30 November it can no longer go."""
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=date(2026, 12, 17), sign=False)
    first = builders.sign_invitation(actors[Role.CRM], ref, post=False)
    assert copies.copy_notice(actors[Role.CRM], first) == CopyNotice()  # it can go today
    monkeypatch.setenv("CRM_TUI_NOW", "2026-11-30T10:00:00")
    return ref, first


def test_an_invitation_that_can_no_longer_go(actors: dict[Role, Actor],
                                             monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref, first = _invitation_too_late(actors, monkeypatch)
    said = copies.copy_notice(crm, first)
    assert said.mark == CANNOT_GO_MARK
    assert said.said == (f"Letter {first} can no longer go: {copies.info(crm, first).gone}. "
                         f"{FOR_THE_RECORD}"), said
    assert "as the last day for comments" in said.said, said
    _check_copy(crm, first, tmp_path / "gone", said)
    # Signed again, it is superseded by the new one, which is fine to post.
    second = builders.sign_invitation(crm, ref, post=False)
    assert copies.copy_notice(crm, first).said.startswith(
        f"Letter {first} is superseded by letter {second}: it could no longer go")
    assert copies.copy_notice(crm, second) == CopyNotice()


def test_a_posted_letter_is_copied_as_ever(actors: dict[Role, Actor],
                                          monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, reply_by=date(2026, 12, 17), sign=False)
    posted = builders.sign_invitation(actors[Role.CRM], ref, post=True)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-20T10:00:00")  # past the day it gives
    _check_copy(actors[Role.CRM], posted, tmp_path / "posted", CopyNotice())


def test_letters_export_says_it_and_marks_the_copy(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch, db_path: Path,
        acting_as: Callable[[str], None], tmp_path: Path) -> None:
    """`letters export --letter N --accessible` of an invitation that can no longer go (it
    said nothing), as the tester ran it."""
    _, first = _invitation_too_late(actors, monkeypatch)
    acting_as("crm")
    notice = copies.copy_notice(actors[Role.CRM], first).said

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, [*args, "--db", outside.target(db_path)])
        return result.exit_code, result.output

    out = tmp_path / "out"
    code, said = run("letters", "export", "--letter", str(first), "--out", str(out),
                     "--accessible")
    assert code == 0, said
    assert notice in said, said
    row = Letter.get_by_id(first)
    copy = out / f"{Path(row.file_name).stem}-{CANNOT_GO_MARK}.pdf"
    assert f"Copy of letter {first}" in said and copy.name in said, said
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == row.sha256
    assert copy.with_suffix(".txt").read_text(encoding="utf-8").startswith(notice)
    assert "each opens with the notice that it is not to be sent" in said, said
    assert not (out / row.file_name).exists()
