"""v16 finding 2: a decision's letter prepared, not signed, then the restrictions lifted and the
letter lifting them signed. `letters show N` of the draft still printed "`crm-tui letters export
--case … --kind … --as-read …` signs these words"; run as printed, it exited 0 having written a
copy of the earlier decision letter (itself superseded), never saying so, --as-read ignored;
`letters export --letter N` said only "was not issued (draft)". Now show offers no signing of a
superseded draft, export --as-read signs nothing and says why, a copy of a superseded letter
says it is superseded, and --letter N of the draft says so."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core import confirmation
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import decisions
from tests.builders import TOLD
from tests.unit.services.test_superseded_decision_draft import CASE, _vary


def _run(demo: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, [*args, "--user", "ceri.hughes", "--db", str(demo)])
    assert result.exit_code == code, result.output
    return result.output


def test_a_superseded_draft_is_never_offered_to_sign_nor_copied_in_its_place(
        demo: Path, tmp_path: Path) -> None:
    ceri = resolve_actor("ceri.hughes")
    _vary(date(2027, 2, 1))
    varied = issuing.sign_and_export(ceri, CASE, LetterKind.EXTENSION_DECISION,
                                     tmp_path / "varied", DEMO_PASSPHRASE).letter_id
    _vary(date(2027, 2, 8))
    draft = issuing.prepare(resolve_actor("tomasz.nowak"), CASE, LetterKind.EXTENSION_DECISION)
    shown = _run(demo, "letters", "show", str(draft))
    command = re.search(r"`crm-tui letters export (.*?)` signs these words", shown)
    assert command is not None, shown
    with confirmation.given(DEMO_PASSPHRASE):
        decisions.lift_restrictions(ceri, CASE, "No longer needed", customer_reason=TOLD)
    lifted = issuing.sign_and_export(ceri, CASE, LetterKind.LIFTED, tmp_path / "lifted",
                                     DEMO_PASSPHRASE).letter_id
    shown = _run(demo, "letters", "show", str(draft))
    assert "signs these words" not in shown and "--as-read" not in shown, shown
    assert f"Superseded by letter {lifted}: this draft can no longer be signed" in shown, shown
    before = Letter.select().count()
    out = tmp_path / "out"
    refused = _run(demo, "letters", "export", *command.group(1).split(), "--out", str(out),
                   code=1)
    assert f"letter {draft} (" in refused and f"superseded by letter {lifted}" in refused, \
        refused
    assert "Nothing was signed" in refused and "Copy of letter" not in refused, refused
    assert not list(out.glob("*.pdf")) and Letter.select().count() == before
    copy = _run(demo, "letters", "export", "--case", CASE, "--kind", "extension_decision",
                "--out", str(out))
    assert f"Copy of letter {varied}" in copy, copy
    assert f"Letter {varied} is superseded by letter {lifted}" in copy, copy
    assert "it is not to be sent" in copy, copy
    named = _run(demo, "letters", "export", "--letter", str(draft), "--out", str(out), code=1)
    assert f"superseded by letter {lifted} and never to be signed" in named, named
