"""fixAT (issue 15, v18 AT1): why a letter is superseded names, by its kind, the letter that
tells the customer, and each letter between superseded in its turn, with why.

Letter 22, superseded by the variation's letter 23; the customer appealed that variation and
it was confirmed. Before the outcome letter was signed, 22 read "the decision letter (letter
23, superseded) is to be signed again, and tells the customer" (23 is never signed again: the
appeal's outcome letter tells the customer); once outcome letter 24 was signed, "the decision
letter (letter 24) tells the customer" (24 is no decision letter).

On the demo's UPV-2025-0005 (restricted), through the services as the app does them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.posting_dates import Cause, CauseKind, bare_cause
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import issuing
from tests.demo_outcome_unposted import (
    APPEALED,
    STARTS,
    outcome_signed_not_posted,
    varied_and_signed,
)

VARIED = "the restrictions were varied on 28 Nov 2026"
APPEAL = "the appeal decided on 28 Nov 2026 amended the restrictions it imposed"


def _said(letter: int) -> str:
    crm = resolve_actor("ceri.hughes")
    return next(e for e in issuing.register(crm, APPEALED) if e.id == letter).superseded


def _listed(demo: Path, letter: int) -> str:
    result = CliRunner().invoke(main, ["letters", "list", "--case", APPEALED, "--user",
                                       "ceri.hughes", "--db", str(demo)])
    assert result.exit_code == 0, result.output
    return next(row for row in result.output.splitlines() if row.startswith(f"{letter:>5}  "))


def test_each_state_of_the_chain_is_said_truly(demo: Path, tmp_path: Path) -> None:
    first = varied_and_signed(tmp_path, 0)
    second = varied_and_signed(tmp_path, 1)
    assert _said(first) == (f"{VARIED}, after this decision; the decision letter (letter "
                            f"{second}) tells the customer")
    # The second variation appealed and amended: its outcome letter, not yet signed, tells.
    outcome_signed_not_posted(tmp_path / "outcome", then="nothing", terms=DecisionTerms(
        starts_on=date(2026, 11, 30), ends_on=date(2027, 10, 15)))
    said = _said(first)
    assert said == (f"{VARIED}, after this decision; the decision letter (letter {second}) is "
                    f"itself superseded ({APPEAL}), and the appeal outcome letter, still to be "
                    "signed, tells the customer"), said
    assert "signed again" not in said
    assert said in _listed(demo, first)
    # The outcome letter signed: it tells the customer, named as what it is.
    director = resolve_actor("gareth.bell")
    outcome = issuing.sign_and_export(director, APPEALED, LetterKind.APPEAL_OUTCOME,
                                      tmp_path / "signed", DEMO_PASSPHRASE).letter_id
    said = _said(first)
    assert said == (f"{VARIED}, after this decision; the decision letter (letter {second}) is "
                    f"itself superseded by letter {outcome} ({APPEAL}), and the appeal outcome "
                    f"letter (letter {outcome}) tells the customer"), said
    assert f"the decision letter (letter {outcome})" not in said
    assert f"superseded by {outcome}" in _listed(demo, first)
    # A variation since supersedes the outcome letter in its turn: the chain goes on to it.
    third = varied_and_signed(tmp_path, 20, STARTS)
    said = _said(first)
    assert said == (f"{VARIED}, after this decision; the decision letter (letter {second}) is "
                    f"itself superseded by letter {outcome} ({APPEAL}), itself superseded by "
                    f"letter {third} ({VARIED}, after the appeal), and the decision letter "
                    f"(letter {third}) tells the customer"), said


def test_each_link_has_the_kind_its_chain_ends_on(demo: Path, tmp_path: Path) -> None:
    """Mend 1: what tells the customer at the end of a chain ("the appeal outcome letter,
    still to be signed") follows from the kind of the last cause, given where the cause is
    made (a later decision, an appeal), not from matching its words."""
    first = varied_and_signed(tmp_path, 0)
    second = varied_and_signed(tmp_path, 1)
    assert bare_cause(Letter.get_by_id(first)) == Cause(
        CauseKind.DECIDED, f"{VARIED}, after this decision")
    assert bare_cause(Letter.get_by_id(second)) is None
    outcome_signed_not_posted(tmp_path / "outcome", then="nothing", terms=DecisionTerms(
        starts_on=date(2026, 11, 30), ends_on=date(2027, 10, 15)))
    assert bare_cause(Letter.get_by_id(second)) == Cause(CauseKind.APPEAL, APPEAL)
