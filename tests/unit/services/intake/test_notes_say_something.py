"""t15d F6: a request for information "tbc", a further enquiry "n/a" and the customer's
comments "-" were recorded, where every reason is held to the placeholder rule. The services
refuse them now (every path that records them), at the field, writing nothing; words that
say something are recorded as before."""

from __future__ import annotations

from datetime import date

import pytest

from crm_tui.db.models import AuditEntry, CaseNote
from crm_tui.domain.errors import Placeholder
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.intake import triage
from crm_tui.services.intake.triage import NoteKind
from crm_tui.services.reviews import review_session
from tests import builders


@pytest.mark.parametrize(("kind", "typed", "words"), [
    (NoteKind.INFORMATION_REQUESTED, "tbc", "say what the service area needs to send"),
    (NoteKind.INFORMATION_REQUESTED, "-", "say what the service area needs to send"),
    (NoteKind.ENQUIRY, "n/a", "say what enquiry was made, of whom, and what it found"),
    (NoteKind.ENQUIRY, "None", "say what enquiry was made, of whom, and what it found"),
])
def test_a_triage_note_that_says_nothing_is_refused(actors: dict[Role, Actor], kind: NoteKind,
                                                    typed: str, words: str) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    entries, notes = AuditEntry.select().count(), CaseNote.select().count()
    with pytest.raises(Placeholder, match=words) as refused:
        triage.record_note(actors[Role.CRM], ref, kind, typed)
    assert refused.value.field == "text"
    assert (AuditEntry.select().count(), CaseNote.select().count()) == (entries, notes)


def test_a_triage_note_that_says_something_is_recorded(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    triage.record_note(actors[Role.CRM], ref, NoteKind.ENQUIRY,
                       "Asked Housing whether the repair was done: it was, on 2 October")
    triage.record_note(actors[Role.CRM], ref, NoteKind.INFORMATION_REQUESTED,
                       "The log sheets for September")
    assert CaseNote.select().where(CaseNote.kind.in_([k.value for k in NoteKind])).count() == 2


@pytest.mark.parametrize("typed", ["-", "n/a", "TBC"])
def test_comments_that_say_nothing_are_refused(actors: dict[Role, Actor], typed: str) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref)
    entries = AuditEntry.select().count()
    with pytest.raises(Placeholder, match="is not what the customer said") as refused:
        review_session.record_comments(crm, ref, typed, date(2026, 11, 28))
    assert refused.value.field == "text"
    assert AuditEntry.select().count() == entries
    # Their words, however short, are theirs: recorded.
    review_session.record_comments(crm, ref, "Unfair", date(2026, 11, 28))
    assert AuditEntry.select().count() == entries + 1
