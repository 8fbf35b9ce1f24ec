"""An issued letter's stored text is held to the entry that issued it (v16 N2): a well-formed
edit of the text in the database was shown by `letters show` as the letter issued and written
into the accessible copy sent to the customer, beside "The very same file as issued", while
`audit verify` said intact."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db.models import Letter
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.letters import record
from crm_tui.services.core import audit, audit_records, letter_texts, settings, users
from crm_tui.services.letters import copies, issuing, signing_keys
from tests import builders, outside
from tests.unit.services.letters.test_letter_bytes_checked import PASS, _run, _sql
from tests.unit.services.letters.test_letter_bytes_checked import issued as issued  # fixture

FORGED = "Because you threatened staff with violence, we restrict your contact."


def forge(content: str) -> str:
    """The stored JSON with a sentence added to its longest paragraph, still well-formed and
    still a letter `record.loads` reads: the edit a forger would make."""
    value = json.loads(content)
    found: list[tuple[Any, Any, str]] = []

    def walk(node: Any) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node) \
            if isinstance(node, list) else ()
        for key, child in items:
            if isinstance(child, str):
                found.append((node, key, child))
            else:
                walk(child)

    walk(value)
    node, key, text = max(found, key=lambda item: len(item[2]))
    node[key] = f"{FORGED} {text}"
    forged = json.dumps(value, ensure_ascii=False, sort_keys=True)
    record.loads(forged)  # well-formed: only the hash tells
    return forged


def _issuing_seq(letter_id: int) -> int:
    found = audit_records.issuing_payload(
        letter_id, str(Letter.get_by_id(letter_id).case.reference))
    assert found is not None
    return found[0]


def test_an_edited_text_is_not_shown_sent_or_vouched_for(
        issued: int, db_path: Path, acting_as: Callable[[str], None], tmp_path: Path) -> None:
    acting_as("crm")
    code, said = _run("letters", "show", str(issued), "--db", outside.target(db_path))
    assert code == 0 and "Not vouched for" not in said  # as issued: shown
    assert audit.verify().ok and not audit.verify().unvouched_note
    seq = _issuing_seq(issued)
    _sql(db_path, "UPDATE letter SET content = ? WHERE id = ?",
         forge(str(Letter.get_by_id(issued).content)), issued)

    code, said = _run("letters", "show", str(issued), "--db", outside.target(db_path))
    assert code == 1 and FORGED not in said and len(said.strip().splitlines()) == 1
    assert said.startswith(f"Error: the register's stored text of letter {issued} is not the "
                           f"text entry {seq} issued")

    out = tmp_path / "to-the-customer"
    code, said = _run("letters", "export", "--letter", str(issued), "--out", str(out),
                      "--accessible", "--db", outside.target(db_path))
    flat = " ".join(said.split())
    assert code == 1 and f"stored text of letter {issued} is not" in flat
    assert "not shown or sent" in flat
    assert not list(out.glob("*.txt")) and not list(out.glob("*.html"))

    code, said = _run("audit", "verify", "--db", outside.target(db_path))
    assert code == 1, said
    flat = " ".join(said.split())
    assert f"BROKEN at entry {seq}: the register's stored text of letter {issued} of " in flat
    assert "it was changed outside the app" in flat


def test_an_edited_plain_text_fails_verify(issued: int, db_path: Path) -> None:
    _sql(db_path, "UPDATE letter SET body = body || ? WHERE id = ?", FORGED, issued)
    result = audit.verify()
    assert not result.ok and f"stored text of letter {issued} of" in result.problem


def test_an_edited_text_is_not_re_sent(issued: int, db_path: Path, actors: dict[Role, Actor],
                                       tmp_path: Path) -> None:
    """A re-sent copy is signed anew from the stored text: never from an edited one."""
    _sql(db_path, "UPDATE letter SET posted_on = '2026-11-20', content = ? WHERE id = ?",
         forge(str(Letter.get_by_id(issued).content)), issued)
    with pytest.raises(RequirementMissing, match=f"stored text of letter {issued} is not"):
        copies.resend(actors[Role.CRM], issued, tmp_path / "out", PASS, "Lost in the post")
    assert Letter.select().where(Letter.duplicate_of == issued).count() == 0


def test_a_letter_issued_before_texts_were_hashed_is_said_not_vouched_for(
        actors: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The rule for older registers: the text is shown under a line saying the trail cannot
    vouch for it, and is not sent out (accessible or re-sent copy); verify notes it."""
    for login in ("crm", "hos", "director"):
        signing_keys.create_key(users.resolve_actor(login), login, PASS, council="Test")
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with monkeypatch.context() as older:  # its issuing entry holds no text hash
        older.setattr(letter_texts, "KEY", "older_version_kept_none")
        done = issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION,
                                       settings.current().letters_path(), PASS)
    acting_as("crm")
    code, said = _run("letters", "show", str(done.letter_id), "--db", outside.target(db_path))
    assert code == 0, said
    assert f"Not vouched for: letter {done.letter_id} was issued before the audit trail kept "\
        "a hash" in " ".join(said.split())
    code, said = _run("letters", "export", "--letter", str(done.letter_id), "--out",
                      str(tmp_path / "out"), "--accessible", "--db", outside.target(db_path))
    assert code == 1 and "no accessible copy was written" in " ".join(said.split())
    assert not list((tmp_path / "out").glob("*.txt"))
    result = audit.verify()
    assert result.ok and result.unvouched_texts == (done.letter_id,)
    assert "the stored text of 1 issued letter" in result.unvouched_note
