"""Issue 15 (fixAU2): the post run refuses any letter signed and never posted whose dates have
gone (posting_dates.cannot_go), not only an invitation to comment too late for its day for
comments. The register said "can no longer go" of invitations only: a decision letter past
its last day to appeal read "signed, not posted" in W, the Letters area and `letters list`,
while the post run, its copy's notice and the case's next action said it could no longer go.
Now every kind the post run refuses reads the same everywhere, with why and what comes next;
signed again, the new letter gives a new last day to appeal, counted from its day."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path

from crm_tui import clock
from crm_tui.db.models import Case, Letter
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import next_step
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.letters import issuing, not_to_send, posting
from crm_tui.services.restrictions import decisions
from tests import builders
from tests.builders import TODAY, TOLD
from tests.conftest import PASSPHRASE

AFTER = datetime(2027, 1, 20, 10)  # the first letter's last day to appeal past


def imposed(actors: dict[Role, Actor]) -> str:
    """A case under consideration, restrictions imposed on it on TODAY (its decision letter
    not yet signed): its reference."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    decisions.impose_restrictions(
        actors[Role.CRM], ref, "Persistent contact", DecisionTerms(
            starts_on=TODAY, ends_on=date(2027, 11, 28)), read=builders.read(ref),
        customer_reason=TOLD)
    return ref


def imposed_and_signed(actors: dict[Role, Actor], out: Path) -> tuple[str, int]:
    """Restrictions imposed on TODAY and the decision letter signed, never posted."""
    ref = imposed(actors)
    return ref, issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION, out,
                                        PASSPHRASE).letter_id


def register_entry(actor: Actor, ref: str, letter: int) -> issuing.LetterInfo:
    """Letter `letter` as the case's register of letters shows it."""
    return next(e for e in issuing.register(actor, ref) if e.id == letter)


def test_a_decision_letter_past_its_last_day_to_appeal_reads_can_no_longer_go(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref, first = imposed_and_signed(actors, tmp_path / "out")
    appeal_by = Letter.get_by_id(first).appeal_by
    assert appeal_by is not None and appeal_by < AFTER.date()
    assert register_entry(crm, ref, first).shown_status == "signed, not posted"
    with clock.travel_to(AFTER):
        entry = register_entry(crm, ref, first)
        why = f"it gives {in_prose(appeal_by)} as the last day to appeal"
        # The register, the post run and the copy's notice say one thing, in the same words.
        assert entry.shown_status == "can no longer go", entry.shown_status
        assert entry.gone.startswith(why), entry.gone
        waiting = next(u for u in posting.unposted(crm, ref) if u.id == first)
        assert waiting.cannot_go == entry.gone
        assert f"can no longer go: {entry.gone}" in not_to_send.notice_for(
            Letter.get_by_id(first)).said
        # What comes next: signed again, with a new last day to appeal.
        assert entry.gone_then == ("it is signed again, with a new last day to appeal "
                                   "counted from the day it goes"), entry.gone_then
        next_step.store([ref])
        assert Case.get(Case.reference == ref).next_action == "Sign the decision letter"
        issued = issuing.sign_and_export(crm, ref, LetterKind.DECISION, tmp_path / "again",
                                         PASSPHRASE)
        again = issued.letter_id
        new_by = Letter.get_by_id(again).appeal_by
        assert new_by is not None and new_by > AFTER.date()
        assert register_entry(crm, ref, first).shown_status == f"superseded by {again}"
        assert register_entry(crm, ref, again).shown_status == "signed, not posted"
        assert not register_entry(crm, ref, again).gone
        next_step.store([ref])
        assert Case.get(Case.reference == ref).next_action == "Post the decision letter"
        # The letter signed again, read as the customer reads it: its appeal-by date is the
        # new one, not the first letter's.
        text = " ".join(subprocess.run(["pdftotext", str(issued.path), "-"], check=True,
                                       capture_output=True, text=True).stdout.split())
        assert in_prose(new_by, full_month=True) in text, text
        assert in_prose(appeal_by, full_month=True) not in text, text


def test_before_its_last_day_to_appeal_it_is_signed_not_posted(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref, first = imposed_and_signed(actors, tmp_path / "out")
    entry = register_entry(crm, ref, first)
    assert entry.shown_status == "signed, not posted" and not entry.gone
