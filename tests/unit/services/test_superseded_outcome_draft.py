"""v15n AC3, AC4: the demo's UPV-2025-0005, its appeal outcome letter prepared and not
signed, then a variation decided and its letter signed. The draft can no longer be signed:
Home counted it "Letters prepared, waiting to be signed: 1", the Letters area listed it as
waiting, and `letters list` said plain "superseded" though its why named the variation's
letter. Now it is not waiting, not counted, and says "superseded by N"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
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
from tests.demo_outcome_unposted import APPEALED, outcome_signed_not_posted


def draft_then_variation_signed(out: Path, db: Path | None = None) -> tuple[int, int]:
    """The outcome letter prepared, then the restrictions varied to start later still and
    the variation's letter signed: (the draft's number, the variation letter's)."""
    draft = outcome_signed_not_posted(out, db, then="prepare")
    ceri = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(ceri, APPEALED)
        decisions.vary_restrictions(ceri, APPEALED, "Start them later", DecisionTerms(
            starts_on=date(2027, 2, 5), ends_on=date(2027, 11, 1)),
            read=builders.read(APPEALED), customer_reason=TOLD)
    varied = issuing.sign_and_export(ceri, APPEALED, LetterKind.EXTENSION_DECISION, out,
                                     DEMO_PASSPHRASE).letter_id
    return draft, varied


def test_a_superseded_outcome_draft_is_not_waiting_and_says_by_which(
        demo: Path, tmp_path: Path) -> None:
    before = queries.dashboard(resolve_actor("gareth.bell")).letters_to_sign
    draft, varied = draft_then_variation_signed(tmp_path / "out")
    gareth = resolve_actor("gareth.bell")
    assert draft not in {e.id for e in issuing.drafts(gareth)}
    assert queries.dashboard(gareth).letters_to_sign == before
    info = next(e for e in issuing.register(gareth, APPEALED) if e.id == draft)
    assert info.shown_status == f"superseded by {varied}"
    assert f"(letter {varied}) tells the customer" in info.superseded
    result = CliRunner().invoke(main, ["letters", "list", "--case", APPEALED, "--user",
                                       "ceri.hughes", "--db", str(demo)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.lstrip().startswith(str(draft)))
    assert f"superseded by {varied}" in line, line
    assert f"(letter {varied}) tells the customer" in line, line
