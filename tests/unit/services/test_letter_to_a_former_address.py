"""Issue 15 AG1: a letter signed and not yet posted, then the customer's postal address changed
(`customer contact … --address`, or H on the case): the post run recorded it posted and the
print pack carried the old address. A signed letter never changes: the post run refuses it,
saying why; it is superseded ("the customer's address changed on …"), and the same letter is
owed again to the new address (the next action, W, `cases --letters-owed`). A letter already
posted when the address changes is left as it is: it went.

On the demo's UPV-2025-0005 (restricted), its restrictions varied on the (frozen) day and the
letter signed, not posted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, Letter
from crm_tui.domain.errors import RequirementMissing, ValidationError
from crm_tui.domain.letters import LetterKind
from crm_tui.letters import record
from crm_tui.services.core import confirmation, next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.intake import customer_details
from crm_tui.services.letters import copies, issuing, posted, posting
from crm_tui.services.restrictions import builder, decisions
from tests import builders
from tests.builders import TODAY, TOLD
from tests.demo_outcome_unposted import APPEALED

NEW_ADDRESS = ("Flat 2, 9 Harbour Row", "Northmere")
NEW_POSTCODE = "NM3 4QT"
CHANGED = "the customer's address changed on 28 Nov 2026"


def _varied_and_signed(out: Path) -> int:
    """The restrictions varied on TODAY, the letter signed and not posted: its number."""
    crm = resolve_actor("ceri.hughes")
    ends = Case.get(Case.reference == APPEALED).restrictions_end - timedelta(days=30)
    with confirmation.given(DEMO_PASSPHRASE):
        builder.redraft_in_force(crm, APPEALED)
        decisions.vary_restrictions(crm, APPEALED, "Worded afresh", DecisionTerms(
            starts_on=TODAY, ends_on=ends), read=builders.read(APPEALED), customer_reason=TOLD)
    return issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION, out,
                                   DEMO_PASSPHRASE).letter_id


def _move() -> None:
    crm = resolve_actor("ceri.hughes")
    now = customer_details.contact(crm, APPEALED)
    customer_details.set_contact(crm, APPEALED, customer_details.ContactDetails(
        NEW_ADDRESS, NEW_POSTCODE, now.email, now.telephone))


def _entry(letter: int) -> issuing.LetterInfo:
    crm = resolve_actor("ceri.hughes")
    return next(e for e in issuing.register(crm, APPEALED) if e.id == letter)


def test_a_letter_signed_before_the_address_changed_is_not_posted_and_is_owed_again(
        demo: Path, tmp_path: Path) -> None:
    crm = resolve_actor("ceri.hughes")
    letter = _varied_and_signed(tmp_path / "out")
    assert not posting.unposted(crm, APPEALED)[0].cannot_go
    assert _entry(letter).shown_status == "signed, not posted"  # v15p AK4: "issued"
    case = Case.get(Case.reference == APPEALED)
    assert posted.appeal_deadline(case.id).letter_id == letter  # type: ignore[union-attr]
    _move()
    # AG3: the case panel's "Appeal by …" is not from a letter that will never go.
    assert posted.appeal_deadline(case.id) is None
    [waiting] = [u for u in posting.unposted(crm, APPEALED) if u.id == letter]
    assert waiting.cannot_go == CHANGED
    assert [u.id for u in posting.left_out_unless_named([waiting])[1]] == [letter]
    with pytest.raises(RequirementMissing) as refused:
        posting.record_posting(crm, [letter], TODAY, "first")
    said = str(refused.value)
    assert f"letter {letter} ({APPEALED}) cannot be posted: {CHANGED}" in said, said
    assert "addressed to where they no longer live" in said and "superseded" in said, said
    assert "write the decision letter again" in said, said
    with pytest.raises(RequirementMissing):
        posting.make_print_pack(crm, [letter], folder=tmp_path / "print")
    assert Letter.get_by_id(letter).posted_on is None
    assert not list((tmp_path / "print").glob("*.pdf"))
    # Superseded on the register, saying why; the same letter owed again to the new address.
    entry = _entry(letter)
    assert entry.shown_status == "superseded" and entry.superseded == CHANGED
    assert str(Case.get(Case.reference == APPEALED).next_action) == "Sign the decision letter"
    assert LetterKind.EXTENSION_DECISION in issuing.kinds_for(crm, APPEALED)
    again = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                    tmp_path / "again", DEMO_PASSPHRASE).letter_id
    kept = record.loads(Letter.get_by_id(again).content)
    assert kept.address == (*NEW_ADDRESS, NEW_POSTCODE)
    assert _entry(letter).shown_status == f"superseded by {again}"
    assert _entry(letter).superseded == f"{CHANGED}, and letter {again} was signed in its place"
    assert [u.id for u in posting.unposted(crm, APPEALED)] == [again]
    assert posted.appeal_deadline(case.id).letter_id == again  # type: ignore[union-attr]
    posting.record_posting(crm, [again], TODAY, "first")
    next_step.store([APPEALED])
    assert str(Case.get(Case.reference == APPEALED).next_action) != "Sign the decision letter"


def test_a_letter_posted_before_the_address_changed_is_left_as_it_is(
        demo: Path, tmp_path: Path) -> None:
    """It went: nothing is owed again, the register still says it was posted. A copy of it
    would keep the old address: re-sending it is refused, saying why."""
    crm = resolve_actor("ceri.hughes")
    letter = _varied_and_signed(tmp_path / "out")
    posting.record_posting(crm, [letter], TODAY, "first")
    _move()
    entry = _entry(letter)
    assert entry.posted_on == TODAY and not entry.superseded
    assert entry.shown_status == "posted 28 Nov 2026"  # v15p AK4: it read "issued"
    assert str(Case.get(Case.reference == APPEALED).next_action) != "Sign the decision letter"
    assert LetterKind.EXTENSION_DECISION not in issuing.kinds_for(crm, APPEALED)
    with pytest.raises(RequirementMissing, match="no longer lives") as refused:
        copies.resend(crm, letter, tmp_path / "copy", DEMO_PASSPHRASE, "Lost in the post")
    # fixAL AL5: and what to do instead, plainly: the next letter goes to the new address.
    said = str(refused.value)
    assert "their address changed on 28 November 2026" in said, said
    assert ("What to do instead: the next letter on the case goes to their new address (the "
            "case's next step: ") in said, said
    assert (f"if they need what letter {letter} said before then, write to them at their new "
            "address and note it on the case. Nothing was signed") in said, said


def test_a_correction_of_spacing_or_capitals_is_no_move(demo: Path, tmp_path: Path) -> None:
    crm = resolve_actor("ceri.hughes")
    letter = _varied_and_signed(tmp_path / "out")
    now = customer_details.contact(crm, APPEALED)
    customer_details.set_contact(crm, APPEALED, customer_details.ContactDetails(
        tuple(line.upper() for line in now.address), now.postcode.lower(), now.email,
        now.telephone))
    assert not posting.unposted(crm, APPEALED)[0].cannot_go
    posting.record_posting(crm, [letter], TODAY, "first")


def _run(demo: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, [*args, "--user", "ceri.hughes", "--db", str(demo)])
    assert result.exit_code == code, result.output
    return result.output


def test_at_the_command_line(demo: Path, tmp_path: Path) -> None:
    letter = _varied_and_signed(tmp_path / "out")
    listed = _run(demo, "letters", "list", "--case", APPEALED)
    assert any(f"{letter}  {APPEALED}  signed, not posted" in row
               for row in listed.splitlines()), listed
    _run(demo, "customer", "contact", APPEALED, "--address", ", ".join(NEW_ADDRESS),
         "--postcode", NEW_POSTCODE)
    dry = _run(demo, "letters", "post", "--dry-run")
    line = next(row for row in dry.splitlines() if f"{letter}  {APPEALED}" in row)
    assert "Left out: it cannot go" in line and f"CANNOT GO: {CHANGED}" in line, dry
    named = _run(demo, "letters", "post", "--letter", str(letter), "--dry-run", code=1)
    assert f"cannot be posted: {CHANGED}" in named, named
    refused = _run(demo, "letters", "post", "--letter", str(letter), code=1)
    assert f"cannot be posted: {CHANGED}" in refused, refused
    assert Letter.get_by_id(letter).posted_on is None
    owed = _run(demo, "cases", "--letters-owed")
    assert any(APPEALED in row and "Sign the decision letter" in row
               for row in owed.splitlines()), owed
    listed = _run(demo, "letters", "list", "--case", APPEALED)
    assert f"superseded: {CHANGED}" in listed, listed


def test_the_review_session_says_a_superseded_letter_is_not_sent(
        demo: Path, tmp_path: Path) -> None:
    """Tester v15p AK1: the review session's "Letters signed" said "not yet posted" of a letter
    the register said was superseded by the one written again to the new address."""
    from crm_tui.services.reviews import review_session

    crm = resolve_actor("ceri.hughes")
    letter = _varied_and_signed(tmp_path / "out")

    def said() -> list[str]:
        return review_session.facts(crm, APPEALED).letters

    assert any(line.endswith("; not yet posted)") for line in said()), said()
    _move()
    assert any(line.endswith("; superseded, not sent)") for line in said()), said()
    again = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                    tmp_path / "again", DEMO_PASSPHRASE).letter_id
    assert _entry(letter).shown_status == f"superseded by {again}"
    lines = said()
    assert sum(line.endswith(f"; superseded by {again}, not sent)") for line in lines) == 1, lines
    assert sum(line.endswith("; not yet posted)") for line in lines) == 1, lines


def test_a_new_address_without_its_postcode_is_refused_at_the_command_line(
        demo: Path) -> None:
    """Tester v15p AK2: `customer contact REF --address …` without --postcode kept the old
    postcode (of the address the customer left) under the new address."""
    crm = resolve_actor("ceri.hughes")
    before = customer_details.contact(crm, APPEALED)
    assert before.postcode
    said = _run(demo, "customer", "contact", APPEALED, "--address", "7 Ferry Lane, Northmere",
                code=1)
    assert "address has changed: give the postcode of the new address" in said, said
    assert customer_details.contact(crm, APPEALED) == before
    # The service refuses it the same way, unless the postcode was given.
    moved = customer_details.ContactDetails(("7 Ferry Lane", "Northmere"), before.postcode,
                                            before.email, before.telephone)
    with pytest.raises(ValidationError) as refused:
        customer_details.set_contact(crm, APPEALED, moved, opened=before, postcode_given=False)
    assert refused.value.field == "postcode"
    # Capitals corrected are no new address; the same postcode given again is taken.
    _run(demo, "customer", "contact", APPEALED, "--address", ", ".join(before.address).upper())
    _run(demo, "customer", "contact", APPEALED, "--address", "7 Ferry Lane, Northmere",
         "--postcode", before.postcode)
    assert customer_details.contact(crm, APPEALED).postcode == before.postcode
    # "none": the new address has no postcode.
    _run(demo, "customer", "contact", APPEALED, "--address", "Flat 2, 9 Harbour Row, Northmere",
         "--postcode", "none")
    assert customer_details.contact(crm, APPEALED).postcode == ""


def test_a_second_change_of_address_does_not_rewrite_when_the_first_superseded_a_letter(
        demo: Path, tmp_path: Path) -> None:
    """v16 finding 1: the letter superseded by the change on 28 November, and signed again in
    its place, read "the customer's address changed on 3 Dec 2026, and letter N was signed in
    its place" once the address changed again on 3 December: the change that superseded it
    is the first, and N was signed after it, not after the second."""
    from datetime import datetime

    from crm_tui import clock

    crm = resolve_actor("ceri.hughes")
    letter = _varied_and_signed(tmp_path / "out")
    _move()
    again = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                    tmp_path / "again", DEMO_PASSPHRASE).letter_id
    posting.record_posting(crm, [again], TODAY, "first")
    said = f"{CHANGED}, and letter {again} was signed in its place"
    assert _entry(letter).superseded == said
    with clock.travel_to(datetime(2026, 12, 3, 10, 0)):
        now = customer_details.contact(crm, APPEALED)
        customer_details.set_contact(crm, APPEALED, customer_details.ContactDetails(
            ("9 Ropewalk Court", "Northmere"), "NM6 2RW", now.email, now.telephone))
        assert _entry(letter).superseded == said
        assert _entry(letter).shown_status == f"superseded by {again}"
        listed = _run(demo, "letters", "list", "--case", APPEALED)
        assert f"(superseded: {said})" in listed, listed
        refused = _run(demo, "letters", "post", "--letter", str(letter), code=1)
        assert CHANGED in refused and "3 Dec 2026" not in refused, refused


def _lift_and_sign(out: Path) -> int:
    crm = resolve_actor("ceri.hughes")
    with confirmation.given(DEMO_PASSPHRASE):
        decisions.lift_restrictions(crm, APPEALED, "No longer needed", customer_reason=TOLD)
    return issuing.sign_and_export(crm, APPEALED, LetterKind.LIFTED, out,
                                   DEMO_PASSPHRASE).letter_id


def test_superseded_by_names_the_letter_that_goes_through_a_letter_signed_again(
        demo: Path, tmp_path: Path) -> None:
    """v16 finding 8: the letter signed again in place of one that could no longer go, itself
    superseded by a later decision's letter: the first stayed "superseded by" the second,
    which will not go either. Both are superseded by the letter that goes."""
    crm = resolve_actor("ceri.hughes")
    first = _varied_and_signed(tmp_path / "out")
    _move()
    again = issuing.sign_and_export(crm, APPEALED, LetterKind.EXTENSION_DECISION,
                                    tmp_path / "again", DEMO_PASSPHRASE).letter_id
    assert _entry(first).shown_status == f"superseded by {again}"
    lifted = _lift_and_sign(tmp_path / "lifted")
    assert _entry(again).shown_status == f"superseded by {lifted}"
    assert _entry(first).shown_status == f"superseded by {lifted}"
    assert _entry(first).superseded == (f"{CHANGED}, and letter {again} was signed in its "
                                        f"place, itself superseded by letter {lifted}")
    listed = _run(demo, "letters", "list", "--case", APPEALED)
    assert any(f"{first}  {APPEALED}  superseded by {lifted}" in row
               for row in listed.splitlines()), listed


def test_superseded_by_follows_the_later_decisions_letter_written_again(
        demo: Path, tmp_path: Path) -> None:
    """v16 finding 8: the letter of a later decision superseded in its turn (the address
    changed): the first names no letter until one goes, then that one, as the second does."""
    from crm_tui.services.reviews import review_session

    crm = resolve_actor("ceri.hughes")
    first = _varied_and_signed(tmp_path / "out")
    lifted = _lift_and_sign(tmp_path / "lifted")
    assert _entry(first).shown_status == f"superseded by {lifted}"
    _move()
    assert _entry(lifted).shown_status == "superseded"
    assert _entry(first).shown_status == "superseded"
    assert (f"the letter lifting them (letter {lifted}) is itself superseded ({CHANGED}); it "
            "is to be signed again, and tells the customer") in _entry(first).superseded
    again = issuing.sign_and_export(crm, APPEALED, LetterKind.LIFTED, tmp_path / "again",
                                    DEMO_PASSPHRASE).letter_id
    assert _entry(lifted).shown_status == f"superseded by {again}"
    assert _entry(first).shown_status == f"superseded by {again}"
    assert f"the letter lifting them (letter {again}) tells the customer" in \
        _entry(first).superseded
    lines = review_session.facts(crm, APPEALED).letters
    assert sum(line.endswith(f"; superseded by {again}, not sent)") for line in lines) == 2, \
        lines


def test_a_re_send_of_it_says_it_is_superseded_not_to_post_it(
        demo: Path, tmp_path: Path) -> None:
    """v16 finding 7: the re-send of a letter superseded by the change of address, nothing yet
    signed in its place, was refused as "not posted yet … post it", which no post run does."""
    crm = resolve_actor("ceri.hughes")
    letter = _varied_and_signed(tmp_path / "out")
    _move()
    with pytest.raises(RequirementMissing) as refused:
        copies.check_resend(crm, letter)
    said = str(refused.value)
    assert f"letter {letter} was never posted and is superseded: {CHANGED}" in said, said
    assert "It is not sent, and neither is a copy" in said and "post it" not in said, said


def test_the_change_of_address_names_the_letters_it_supersedes(
        demo: Path, tmp_path: Path) -> None:
    """v16 finding 9: `customer contact` (and H) said nothing of the letter signed and not
    posted that the new address superseded; a second change, nothing left to supersede, names
    none."""
    letter = _varied_and_signed(tmp_path / "out")
    said = _run(demo, "customer", "contact", APPEALED, "--address", ", ".join(NEW_ADDRESS),
                "--postcode", NEW_POSTCODE)
    assert (f"The decision to change the restrictions (letter {letter}), signed to the old "
            "address and not yet posted, can no longer go: it is superseded, not sent, and to "
            "be signed again to the new address.") in said, said
    crm = resolve_actor("ceri.hughes")
    now = customer_details.contact(crm, APPEALED)
    again = customer_details.set_contact(crm, APPEALED, customer_details.ContactDetails(
        ("7 Ferry Lane", "Northmere"), "NM3 4QT", now.email, now.telephone))
    assert again.superseded == ""
