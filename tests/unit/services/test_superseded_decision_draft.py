"""fixAI AI1: a decision's letter only prepared (a draft, not signed), then a later decision
on the case (the restrictions varied again, or lifted). The draft tells of terms no longer in
force: signed and posted beside the later decision's letter, the customer would be told twice.
It was listed as waiting to be signed, counted on Home, and the register called it a plain
"draft". Now it is superseded by the later decision: not waiting, not counted, never signed on
any path, and the register says "superseded by N" and why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.connection import open_database
from crm_tui.domain.errors import RequirementMissing
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core import confirmation
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import queries
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions
from tests import builders
from tests.builders import TOLD

CASE = "UPV-2025-0005"  # restricted in the demo, its letters signed


def _vary(starts: date) -> None:
    ceri = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(ceri, CASE)
        decisions.vary_restrictions(ceri, CASE, "Start them later", DecisionTerms(
            starts_on=starts, ends_on=date(2027, 11, 1)),
            read=builders.read(CASE), customer_reason=TOLD)


def draft_then_later(out: Path, later: str, db: Path | None = None) -> tuple[int, int]:
    """The restrictions varied and the variation's letter prepared, not signed; then `later`
    ("vary": varied again; "lift": lifted) and that decision's letter signed: (the draft's
    number, the later letter's). `db`: the copy of the demo to open (else the one open)."""
    if db is not None:
        open_database(db)
    _vary(date(2027, 2, 1))
    draft = issuing.prepare(resolve_actor("tomasz.nowak"), CASE, LetterKind.EXTENSION_DECISION)
    ceri = resolve_actor("ceri.hughes")
    if later == "vary":
        _vary(date(2027, 2, 8))
        kind = LetterKind.EXTENSION_DECISION
    else:
        with confirmation.given(DEMO_PASSPHRASE):
            decisions.lift_restrictions(ceri, CASE, "No longer needed", customer_reason=TOLD)
        kind = LetterKind.LIFTED
    signed = issuing.sign_and_export(ceri, CASE, kind, out, DEMO_PASSPHRASE).letter_id
    return draft, signed


@pytest.mark.parametrize("later", ["vary", "lift"])
def test_a_decision_draft_overtaken_is_superseded_never_signed(
        demo: Path, tmp_path: Path, later: str) -> None:
    before = queries.dashboard(resolve_actor("ceri.hughes")).letters_to_sign
    draft, signed = draft_then_later(tmp_path / "out", later)
    ceri = resolve_actor("ceri.hughes")
    assert draft not in {e.id for e in issuing.drafts(ceri)}
    assert queries.dashboard(ceri).letters_to_sign == before
    info = next(e for e in issuing.register(ceri, CASE) if e.id == draft)
    assert info.shown_status == f"superseded by {signed}"
    assert f"(letter {signed}) tells the customer" in info.superseded, info.superseded
    # Signed by number (W's s, A), it is refused, saying why; nothing is signed.
    with pytest.raises(RequirementMissing, match="superseded"):
        issuing.sign_and_export(ceri, CASE, LetterKind.EXTENSION_DECISION, tmp_path / "again",
                                DEMO_PASSPHRASE, draft_id=draft)
    results = issuing.sign_many(ceri, [draft], tmp_path / "many", DEMO_PASSPHRASE,
                                lambda *_: None)
    assert results and results[0][1].startswith("not signed"), results
    assert "superseded" in results[0][1], results
    row = next(e for e in issuing.register(ceri, CASE) if e.id == draft)
    assert row.status == "draft"
    # At the command line: listed as superseded, and the kind is not signed again.
    result = CliRunner().invoke(main, ["letters", "list", "--case", CASE, "--user",
                                       "ceri.hughes", "--db", str(demo)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.lstrip().startswith(str(draft)))
    assert f"superseded by {signed}" in line, line
    result = CliRunner().invoke(main, [
        "letters", "export", "--case", CASE, "--kind", "extension_decision", "--user",
        "ceri.hughes", "--out", str(tmp_path / "cli"), "--db", str(demo)],
        env={"CRM_TUI_PASSPHRASE": DEMO_PASSPHRASE})
    assert "Signed, issued" not in result.output, result.output
    assert next(e for e in issuing.register(ceri, CASE) if e.id == draft).status == "draft"
