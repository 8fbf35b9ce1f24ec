"""Issue 15 BA1: `crm-tui letters verify` of a letter signed, never posted and superseded (or
of its copy made by `letters export`) said only "GENUINE: letter N …; unchanged since.", while
`letters show` said it was superseded. The verdict says it too, in the words every copy of it
carries (services.letters.not_to_send): superseded by which letter, why, and not to be sent.
A letter fine to post is verified as ever."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.letters import copies, issuing, verification
from crm_tui.services.letters.not_to_send import FOR_THE_RECORD
from tests import outside
from tests.conftest import PASSPHRASE
from tests.unit.services.test_copy_not_to_send import _outcome_then_varied


def test_a_superseded_letter_and_its_copy_verify_as_superseded(
        actors: dict[Role, Actor], db_path: Path, acting_as: Callable[[str], None],
        tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref, outcome = _outcome_then_varied(actors, tmp_path / "issued")
    varied = issuing.sign_and_export(crm, ref, LetterKind.EXTENSION_DECISION,
                                     tmp_path / "issued", PASSPHRASE)
    notice = copies.copy_notice(crm, outcome).said
    assert notice.startswith(f"Letter {outcome} is superseded by letter {varied.letter_id}: ")
    issued = tmp_path / "issued" / Letter.get_by_id(outcome).file_name
    copy = copies.write_copy(crm, outcome, tmp_path / "copy").path
    for path in (issued, copy):
        result = verification.verify(path)
        assert result.genuine and result.notice == notice, result
        assert result.said.startswith(f"GENUINE: letter {outcome}, "), result.said
        assert result.said.endswith(f"unchanged since. {notice}"), result.said
    # The letter in its place, fine to post: genuine, and nothing more said.
    current = verification.verify(varied.path)
    assert current.genuine and current.notice == "", current
    assert FOR_THE_RECORD not in current.said and current.said.endswith("unchanged since.")

    acting_as("crm")
    for path in (issued, copy):
        said = CliRunner().invoke(main, ["letters", "verify", str(path), "--db",
                                         outside.target(db_path)])
        assert said.exit_code == 0, said.output
        assert f"GENUINE: letter {outcome}, " in said.output, said.output
        assert notice in said.output, said.output
