"""The accessible copy of an issued letter, on request: beside its PDF, private, recorded in
the audit trail; refused, with nothing written, to someone who does not send letters and for
a letter not yet issued; the same through `letters export --accessible`."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry
from crm_tui.domain.errors import NotFound, PermissionDenied
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.letters import accessible, issuing, signing_keys
from tests import builders, outside
from tests.conftest import PASSPHRASE


@pytest.fixture
def restricted(actors: dict[Role, Actor]) -> str:
    for role, login in ((Role.CRM, "crm"), (Role.HEAD_OF_SERVICE, "hos")):
        signing_keys.create_key(actors[role], login, PASSPHRASE, council="Test")
    return builders.at_state(actors, CaseState.RESTRICTED)


def _entries() -> int:
    return AuditEntry.select().where(AuditEntry.action == "export_accessible_copy").count()


def test_the_copy_goes_beside_the_pdf(actors: dict[Role, Actor], restricted: str,
                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(NotFound, match="sign it first"):
        accessible.export(actors[Role.CRM], restricted, LetterKind.DECISION, out)
    issued = issuing.sign_and_export(actors[Role.CRM], restricted, LetterKind.DECISION, out,
                                     PASSPHRASE)
    with pytest.raises(PermissionDenied):
        accessible.export(actors[Role.HEAD_OF_SERVICE], restricted, LetterKind.DECISION, out)
    assert _entries() == 0 and sorted(p.suffix for p in out.iterdir()) == [".pdf"]
    copies = accessible.export(actors[Role.OFFICER], restricted, LetterKind.DECISION, out)
    assert (copies.text.stem, copies.html.stem) == (issued.path.stem, issued.path.stem)
    for path in (copies.text, copies.html):
        assert path.parent == out and stat.S_IMODE(path.stat().st_mode) == 0o600
    page = copies.html.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in page and "<h2>How to appeal</h2>" in page
    assert "How to appeal" in copies.text.read_text(encoding="utf-8")
    assert _entries() == 1


def test_letters_export_accessible(actors: dict[Role, Actor], restricted: str,
                                   acting_as: Callable[[str], None], db_path: Path,
                                   tmp_path: Path) -> None:
    acting_as("crm")
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE)
    secret.chmod(0o600)  # a passphrase file others can read is refused
    out = tmp_path / "exported"
    result = CliRunner().invoke(main, ["letters", "export", "--case", restricted, "--kind",
                                       "decision", "--out", str(out), "--passphrase-file",
                                       str(secret), "--accessible",
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert "Accessible copy:" in result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".pdf", ".txt"]
