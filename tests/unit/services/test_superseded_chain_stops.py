"""fixAP (issue 15): what superseded a letter, and the appeal outcome letter owed.

AP1: "superseded by N" followed the case's latest decision, not the letter signed in the
letter's place: letter 24, replaced by 25 (posted), read "superseded by 28" after two more
variations. The chain stops at a letter that went (posted) or is signed to go; a letter
superseded in its turn is followed to the one that goes.
AP2: after an appeal decided against a decision whose letter was signed and not posted, the
register said that letter was "signed, not posted" while the post run said SUPERSEDED; and
the outcome letter signed and not posted was not the next action ("Review due").
AP3: `letters export --letter N` of a superseded signed letter did not say so.
AP4: the outcome letter named in place of a decision's letter was the latest signed, not
followed along the chain; a letter superseded by a change of address, then by a decision,
gave the decision as the cause: the cause is the first thing that superseded it.

On the demo's UPV-2025-0005 (restricted), through the services as the app does them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import customer_details
from crm_tui.services.letters import issuing, posting
from crm_tui.services.reviews import review_session
from tests.builders import TODAY
from tests.demo_outcome_unposted import (
    APPEALED,
    STARTS,
    outcome_signed_not_posted,
    varied_and_signed,
)

VARIED = "the restrictions were varied on 28 Nov 2026"
CHANGED = "the customer's address changed on 28 Nov 2026"


def _vary(out: Path, step: int, starts: date = TODAY) -> int:
    return varied_and_signed(out, step, starts)


def _post(letter: int) -> None:
    posting.record_posting(resolve_actor("ceri.hughes"), [letter], TODAY, "first")


def _entry(letter: int) -> issuing.LetterInfo:
    crm = resolve_actor("ceri.hughes")
    return next(e for e in issuing.register(crm, APPEALED) if e.id == letter)


def _run(demo: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, [*args, "--user", "ceri.hughes", "--db", str(demo)])
    assert result.exit_code == code, result.output
    return result.output


def _listed(demo: Path, letter: int) -> str:
    listed = _run(demo, "letters", "list", "--case", APPEALED)
    return next(row for row in listed.splitlines() if row.startswith(f"{letter:>5}  "))


def _next_action() -> str:
    next_step.store([APPEALED])
    return str(Case.get(Case.reference == APPEALED).next_action)


def test_a_decision_letter_replaced_by_one_posted_keeps_it(demo: Path, tmp_path: Path) -> None:
    """AP1, a decision's letter: superseded by the next variation's letter, posted; two more
    variations since supersede the letter in its place, not this one."""
    first = _vary(tmp_path, 0)
    second = _vary(tmp_path, 1)
    _post(second)
    assert _entry(first).shown_status == f"superseded by {second}"
    third = _vary(tmp_path, 2)
    fourth = _vary(tmp_path, 3)
    # The other way: a letter replaced by one not posted follows it to the letter that goes.
    assert _entry(third).shown_status == f"superseded by {fourth}"
    entry = _entry(first)
    assert entry.shown_status == f"superseded by {second}", entry
    assert entry.superseded == (f"{VARIED}, after this decision; the decision letter (letter "
                                f"{second}) tells the customer")
    assert f"superseded by {second}" in _listed(demo, first)
    shown = _run(demo, "letters", "show", str(first)).splitlines()[0]
    assert f"superseded by {second}" in shown and f"letter {fourth}" not in shown, shown
    refused = _run(demo, "letters", "post", "--letter", str(first), code=1)
    assert f"superseded by letter {second}" in refused, refused
    lines = review_session.facts(resolve_actor("ceri.hughes"), APPEALED).letters
    assert any(line.endswith(f"; superseded by {second}, not sent)") for line in lines), lines
    assert not any(line.endswith(f"; superseded by {fourth}, not sent)") and
                   f"letter {first} " in line for line in lines), lines


def test_an_outcome_letter_replaced_by_one_posted_keeps_it(demo: Path, tmp_path: Path) -> None:
    """AP1, an appeal's outcome letter: superseded by the variation's letter since, posted."""
    outcome = outcome_signed_not_posted(tmp_path / "outcome")
    varied = _vary(tmp_path, 1, STARTS)
    _post(varied)
    _vary(tmp_path, 2, STARTS)
    last = _vary(tmp_path, 3, STARTS)
    entry = _entry(outcome)
    assert entry.shown_status == f"superseded by {varied}", entry
    assert entry.superseded == (f"{VARIED}, after the appeal; the decision letter (letter "
                                f"{varied}) tells the customer")
    assert f"superseded by {varied}" in _listed(demo, outcome)
    assert f"letter {last}" not in _listed(demo, outcome)


def test_the_decision_letter_an_appeal_superseded_has_one_status(
        demo: Path, tmp_path: Path) -> None:
    """AP2: the variation's letter signed, not posted, then the appeal against it upheld in
    part (the restrictions amended from today) and its outcome letter signed, not posted: the
    register, `letters list` and `letters post --dry-run` all say the variation's letter is
    superseded by the outcome letter, and posting that is the case's next action."""
    varied = _vary(tmp_path, 0)
    assert _next_action().startswith("Review due")
    outcome = outcome_signed_not_posted(
        tmp_path / "outcome", terms=DecisionTerms(starts_on=TODAY, ends_on=date(2027, 10, 15)))
    assert _next_action() == "Post the appeal outcome letter"
    entry = _entry(varied)
    assert entry.shown_status == f"superseded by {outcome}", entry
    assert entry.superseded.startswith("the appeal decided on 28 Nov 2026 amended"), entry
    assert f"superseded by {outcome}" in _listed(demo, varied)
    dry = _run(demo, "letters", "post", "--dry-run")
    row = next(line for line in dry.splitlines() if f"{varied:>5}  {APPEALED}" in line)
    assert f"SUPERSEDED: {entry.superseded}" in row, dry
    assert _entry(outcome).shown_status == "signed, not posted"
    # AP3: a copy of the superseded letter, named by number, says so.
    copied = _run(demo, "letters", "export", "--letter", str(varied), "--out",
                  str(tmp_path / "copy"))
    assert (f"Letter {varied} is superseded by letter {outcome}: {entry.superseded}. This "
            "copy is for the record; it is not to be sent.") in copied, copied
    lines = review_session.facts(resolve_actor("ceri.hughes"), APPEALED).letters
    assert any(line.endswith(f"; superseded by {outcome}, not sent)") for line in lines), lines


def test_an_appeal_outcome_letter_superseded_in_its_turn_is_followed(
        demo: Path, tmp_path: Path) -> None:
    """AP4: the decision letter superseded by the appeal's outcome letter, which a variation
    since superseded in its turn: it names the letter that goes, not the outcome letter."""
    varied = _vary(tmp_path, 0)
    outcome = outcome_signed_not_posted(tmp_path / "outcome")
    again = _vary(tmp_path, 1, STARTS)
    assert _entry(outcome).shown_status == f"superseded by {again}"
    entry = _entry(varied)
    assert entry.shown_status == f"superseded by {again}", entry
    assert entry.superseded.endswith(
        f"its outcome letter (letter {outcome}) is itself superseded by letter {again} "
        f"({VARIED}, after the appeal), and the decision letter (letter {again}) tells the "
        "customer"), entry
    _post(again)
    assert _entry(varied).shown_status == f"superseded by {again}"


def test_the_cause_is_the_first_thing_that_superseded_it(demo: Path, tmp_path: Path) -> None:
    """AP4: the variation's letter superseded by a change of the customer's address, then by
    a variation since: it is superseded by the change of address, dated then; the letter in
    its place is the later variation's, the one that goes."""
    crm = resolve_actor("ceri.hughes")
    first = _vary(tmp_path, 0)
    now = customer_details.contact(crm, APPEALED)
    customer_details.set_contact(crm, APPEALED, customer_details.ContactDetails(
        ("Flat 2, 9 Harbour Row", "Northmere"), "NM3 4QT", now.email, now.telephone))
    assert _entry(first).superseded == CHANGED
    later = _vary(tmp_path, 1)
    entry = _entry(first)
    assert entry.superseded == CHANGED, entry
    assert entry.shown_status == f"superseded by {later}"
    refused = _run(demo, "letters", "post", "--letter", str(first), code=1)
    assert CHANGED in refused and VARIED not in refused, refused


def test_a_decision_superseding_before_a_change_of_address_stays_the_cause(
        demo: Path, tmp_path: Path) -> None:
    """AP4, the other order: the variation first, then the change of address."""
    crm = resolve_actor("ceri.hughes")
    first = _vary(tmp_path, 0)
    later = _vary(tmp_path, 1)
    now = customer_details.contact(crm, APPEALED)
    customer_details.set_contact(crm, APPEALED, customer_details.ContactDetails(
        ("Flat 2, 9 Harbour Row", "Northmere"), "NM3 4QT", now.email, now.telephone))
    entry = _entry(first)
    assert entry.superseded.startswith(f"{VARIED}, after this decision"), entry
    assert _entry(later).superseded == CHANGED
