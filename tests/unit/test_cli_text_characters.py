"""t16 F0: `crm-tui sar --reason` took ESC and U+202E into the audit trail (other options
refused them), and the app then wrote them raw to the terminal. Every command's every text
option and argument, found by walking the command line (not listed by hand), refuses them
before anything is written."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.cli_posting import Tracking
from crm_tui.cli_words import ReadFile, WrittenFile, WrittenFolder
from crm_tui.db.models import AuditEntry, Case, Customer
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.retention.subject_access import export_subject_access
from tests import builders
from tests.demo_copies import copy_demo

# Values typed as text, read as a path, or naming letters' tracking numbers (stored).
TEXT_TYPES = (click.types.StringParamType, WrittenFile, WrittenFolder, Tracking)
# Types that take no free text: a number, a day, a choice from a list, a hash, a file read
# (one that does not exist, as a name holding ESC would not, is refused as missing), a flag.
NOT_TEXT = {"Anchor", "BoolParamType", "ChannelName", "Choice", "Labelled", "ReadFile",
            "Sha256", "TypedDate", "TypedTime", "Whole", "Path"}
BAD = {"ESC": "SAR-77 \x1b[2J\x1b[31mRED", "U+202E": "SAR-77 \u202eevil"}


def _commands(command: click.Command, path: tuple[str, ...] = ()
              ) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


def _text_params() -> list[tuple[tuple[str, ...], click.Command, click.Parameter]]:
    found = []
    for path, command in _commands(main):
        for param in command.params:
            if isinstance(param.type, TEXT_TYPES):
                found.append((path, command, param))
            else:
                assert type(param.type).__name__ in NOT_TEXT, (
                    f"{' '.join(path)} {param.name}: a type this test does not know "
                    f"({type(param.type).__name__}): text or not?")
    return found


TEXT_PARAMS = _text_params()


def test_the_walk_finds_the_options_of_the_finding() -> None:
    named = {(" ".join(path), param.name) for path, _, param in TEXT_PARAMS}
    assert {("sar", "reason"), ("customer contact", "address"), ("letters resend", "reason"),
            ("users add", "name"), ("screening record", "note"), ("sar", "out"),
            ("letters post", "tracking")} <= named
    assert len(named) > 100


def _filler(param: click.Parameter, tmp_path: Path) -> str:
    """A value that parses, for the command's other arguments."""
    if isinstance(param.type, ReadFile):
        return str(tmp_path / "given.txt")
    if isinstance(param.type, click.types.IntParamType) or type(param.type).__name__ == "Whole":
        return "1"
    return "UPV-2025-0004"


def _typed(param: click.Parameter, value: str) -> str:
    return f"1={value}" if isinstance(param.type, Tracking) else value


def _written(db: Path) -> tuple[int, int]:
    """The trail's length and its last entry: every write of the app records an entry."""
    with contextlib.closing(sqlite3.connect(db)) as raw:
        entries, last = raw.execute("SELECT count(*), max(seq) FROM audit_entry").fetchone()
    return int(entries), int(last)


def _files(folder: Path) -> list[Path]:
    """What is in `folder`, but SQLite's own -wal and -shm (a read opens them)."""
    return sorted(p for p in folder.rglob("*") if not p.name.endswith(("-wal", "-shm")))


@pytest.mark.parametrize("which", sorted(BAD))
def test_every_text_option_of_every_command_refuses_control_characters(
        demo_db: Path, tmp_path: Path, which: str) -> None:
    db = copy_demo(demo_db, tmp_path / "demo.sqlite3")
    (tmp_path / "given.txt").write_text("given", encoding="utf-8")
    before = _written(db)
    files = _files(tmp_path)
    code = "U+001B" if which == "ESC" else "U+202E"
    for path, command, param in TEXT_PARAMS:
        args: list[str] = list(path)
        for other in command.params:
            if isinstance(other, click.Argument):
                args.append(_typed(other, BAD[which]) if other is param
                            else _filler(other, tmp_path))
        if isinstance(param, click.Option):
            args += [param.opts[0], _typed(param, BAD[which])]
        if param.name != "db" and any(p.name == "db" for p in command.params):
            args += ["--db", str(db)]
        if path and param.name != "user" and any(p.name == "user" for p in command.params):
            args += ["--user", "ceri.hughes"]
        result = CliRunner().invoke(main, args)
        said = f"{' '.join(args[:len(path)])} {param.name}"
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (said, result.exception)
        assert result.exit_code == 2, (said, result.output)
        assert f"contains a control character ({code}" in result.output, (said, result.output)
        assert "\x1b" not in result.output and "\u202e" not in result.output, said
    assert _written(db) == before
    assert _files(tmp_path) == files


def test_the_service_refuses_a_subject_access_reason_holding_one(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """The app's `S` asks the same service, with no command line in between."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    entries = AuditEntry.select().count()
    out = tmp_path / "sar"
    out.mkdir()
    for bad in BAD.values():
        with pytest.raises(ValidationError, match="control character"):
            export_subject_access(actors[Role.CRM], ref, bad, out, "Council")
    assert list(out.iterdir()) == []
    assert AuditEntry.select().count() == entries


def test_the_redaction_review_writes_out_a_control_character_stored_before(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """The review is a text file read with `cat`: a name stored before the rule (or by hand)
    holding ESC[31m coloured the reviewer's terminal (t16 F0)."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    case = Case.get(Case.reference == ref)
    with builders.as_the_app(ref):
        Customer.update(name="Mr \x1b[31mRed \u202eLive").where(
            Customer.id == case.customer_id).execute()
    out = tmp_path / "sar"
    out.mkdir()
    done = export_subject_access(actors[Role.CRM], ref, "SAR-2026-078", out, "Council")
    review = done.review.read_text(encoding="utf-8")
    assert "Mr \\x1b[31mRed \\u202eLive" in review
    assert "\x1b" not in review and "\u202e" not in review


def test_the_signing_services_refuse_a_reason_holding_one(actors: dict[Role, Actor]) -> None:
    """Their reasons go into the trail too, whichever way they are asked."""
    from crm_tui.services.letters import signing_keys

    crm = actors[Role.CRM]
    entries = AuditEntry.select().count()
    for bad in BAD.values():
        with pytest.raises(ValidationError, match="control character"):
            signing_keys.revoke_key(crm, crm.login, bad)
        with pytest.raises(ValidationError, match="control character"):
            signing_keys.authorise_new_key(crm, crm.login, None, bad)
    assert AuditEntry.select().count() == entries


def test_every_case_step_refuses_a_reason_holding_one(actors: dict[Role, Actor]) -> None:
    """A step's reason (continue unchanged at a review, close with no action, …) is checked
    where every step is (case_steps.step), whichever screen or command asks: the review
    session's reason went into the trail unchecked."""
    from crm_tui.services.intake import casework
    from crm_tui.services.reviews import review_session

    crm = actors[Role.CRM]
    under_review = builders.at_state(actors, CaseState.UNDER_REVIEW)
    new = builders.at_state(actors, CaseState.NEW)
    entries = AuditEntry.select().count()
    for bad in BAD.values():
        with pytest.raises(ValidationError, match="control character"):
            review_session.continue_unchanged(crm, under_review,
                                              f"Still writing daily to every office {bad}")
        with pytest.raises(ValidationError, match="control character"):
            casework.close_no_action(crm, new, f"The matter was settled by the service {bad}")
    assert AuditEntry.select().count() == entries
    assert Case.get(Case.reference == under_review).state == CaseState.UNDER_REVIEW.value
