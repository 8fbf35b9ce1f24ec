"""The case file's timeline says every step taken on the case, in the user's words: the
triage steps that leave only an audit entry, and the customer's comments as theirs."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from crm_tui.domain.lifecycle import Action
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import case_file, casework
from crm_tui.services.intake.timeline_steps import FROM_AUDIT, FROM_RECORDS, NOT_ON_TIMELINE
from crm_tui.services.intake.triage import NoteKind
from crm_tui.services.reviews import review_session
from crm_tui.services.reviews.review_session import COMMENTS
from tests import builders

SOURCE = Path(__file__).parents[4] / "crm_tui"
# Audit entries written against no case: the users, their keys, the staff register and
# review sessions (which cover many cases; each case's own steps are on its file).
NO_CASE = {"add_user", "deactivate_user", "reactivate_user", "change_role", "bind_account",
           "set_direct_details", "export_staff_register", "start_review_session",
           "create_signing_key", "import_signing_key", "revoke_signing_key"}


def _kinds_in_code() -> set[str]:
    """Every kind of audit entry the code can write."""
    kinds = {a.value for a in Action} | {k.value for k in NoteKind} | {COMMENTS}
    kinds |= {f"tag_{k.value}" for k in EvidenceKind}
    call = re.compile(r"record\([^,()]*(?:\([^()]*\))?[^,()]*,\s*\"([a-z_]+)\"")
    named = re.compile(r"action=\"([a-z_]+)\"")
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        kinds |= set(call.findall(text))
        if "ui" not in path.relative_to(SOURCE).parts:  # a key's action= is no audit entry
            kinds |= set(named.findall(text))
        kinds |= set(re.findall(r"\"(unlink_evidence|link_evidence)\"", text))
    return kinds


def test_every_kind_of_audit_entry_has_its_place_on_the_timeline() -> None:
    placed = set(FROM_AUDIT) | FROM_RECORDS | set(NOT_ON_TIMELINE) | NO_CASE
    assert "begin_consideration" in _kinds_in_code()  # the scan finds what it should
    assert _kinds_in_code() - placed == set()
    assert not set(FROM_AUDIT) & FROM_RECORDS  # never shown twice


def _entries(actors: dict[Role, Actor], ref: str) -> list[case_file.TimelineEntry]:
    return case_file.case_file(actors[Role.CRM], ref).timeline


def test_taking_a_referral_into_consideration_is_on_the_timeline(
        actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    before = len(_entries(actors, ref))
    casework.begin_consideration(actors[Role.CRM], ref)
    casework.request_consultation(actors[Role.CRM], ref)
    entries = _entries(actors, ref)
    assert len(entries) == before + 2
    titles = [e.title for e in entries]
    assert titles[:2] == ["Head of Service's view asked for (Alex Morgan)",
                          "Referral taken into consideration (Alex Morgan)"]
    assert entries[1].kind == "referral"


def test_assigning_a_case_names_the_officer(actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    casework.assign(actors[Role.CRM], ref, "officer")
    assert _entries(actors, ref)[0].title == "Case assigned to Sam Patel (Alex Morgan)"


def test_closing_with_no_action_is_on_the_timeline_with_its_reason(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.CLOSED_NO_ACTION)
    entry = _entries(actors, ref)[0]
    assert entry.title == "Decision: closed with no action (Alex Morgan)"
    assert "Reason: Genuine ongoing repairs problem" in entry.detail


def test_the_customers_comments_say_what_they_are(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref)  # the customer's comments are on a proposal
    review_session.record_comments(actors[Role.OFFICER], ref, "I only write because nobody "
                                   "answers me quickly.", date(2026, 11, 28))
    entries = _entries(actors, ref)
    comments = [e for e in entries if "comments" in e.title]
    assert [(e.kind, e.title) for e in comments] == [
        ("comments", "The customer's comments received (recorded by Sam Patel)")]
    assert comments[0].detail.startswith("I only write")
    assert not any("enquiry" in e.title.lower() for e in entries)


def test_triage_notes_say_which_they_are(actors: dict[Role, Actor]) -> None:
    from crm_tui.services.intake import triage

    ref = builders.referred(actors)
    triage.record_note(actors[Role.CRM], ref, NoteKind.ENQUIRY, "Asked housing for the file")
    triage.record_note(actors[Role.CRM], ref, NoteKind.INFORMATION_REQUESTED, "Log sheets")
    titles = {e.title for e in _entries(actors, ref) if e.kind == "triage"}
    assert titles == {"Further enquiry made (Alex Morgan)",
                      "Further information requested from the service area (Alex Morgan)"}


def test_a_matter_closed_or_reopened_is_named(actors: dict[Role, Actor]) -> None:
    # Round 9: "Matter closed (Tomasz Nowak)" left the reader to guess which matter.
    from crm_tui.services.evidence import matters

    ref = builders.at_state(actors, CaseState.RESTRICTED)
    matter = matters.open_matter(actors[Role.OFFICER], ref, "Gutter repair")
    matters.close_matter(actors[Role.OFFICER], ref, matter, date(2026, 11, 20),
                         "Repaired and signed off")
    matters.reopen_matter(actors[Role.OFFICER], ref, matter, "Closed in error")
    titles = [e.title for e in _entries(actors, ref)[:3]]
    assert titles == ["Matter reopened: Gutter repair (Sam Patel)",
                      "Matter closed: Gutter repair (Sam Patel)",
                      "Matter opened: Gutter repair (Sam Patel)"]


def test_an_older_link_entry_keeps_the_general_words(db: object) -> None:
    """Entries of k written before round 12 name no item: said as they were. The restriction
    is named by its kind, never by its row's number (b15e F10): one no longer there (18, in
    an empty database) is "the restriction"."""
    title = FROM_AUDIT["link_evidence"].title
    assert title({"restriction": 18, "from_referral": 1}) == \
        "The restriction rests on the referral's evidence (1 linked)"
    assert title({"restriction": 18, "from_referral": 1, "others": ["contact of 10 Nov 2026 "
                                                                    "14:00"]}) == \
        "The restriction rests on the referral's evidence (1 linked) and contact of 10 Nov " \
        "2026 14:00"


def test_a_restriction_on_the_timeline_is_named_by_its_kind(actors: dict[Role, Actor]) -> None:
    """b15e F10: "Restriction 18 (version 2)" on a case with one restriction read as one of the
    policy's six kinds. Entries that recorded the kind say it; those that did not, the
    restriction's own."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    draft = builders.draft(actors, ref)
    link, changed = FROM_AUDIT["link_evidence"].title, FROM_AUDIT["update_draft"].title
    letter_only = "the Contact in a particular form only restriction"
    assert link({"restriction": draft, "from_referral": 1}).startswith(
        f"{letter_only[0].upper()}{letter_only[1:]} rests on")
    assert link({"restriction": draft, "document": "email.eml"}) == \
        f"Evidence linked: email.eml to {letter_only}"
    assert changed({"id": draft, "kind": "named_officer"}) == \
        "Draft changed: the Named officer only restriction"
    assert changed({"id": draft}) == f"Draft changed: {letter_only}"
    assert FROM_AUDIT["discard_draft"].title({"id": draft}) == "Draft restriction discarded"


def test_a_draft_set_out_is_named_by_its_kind_on_the_timeline(
        actors: dict[Role, Actor]) -> None:
    """v15d N4: two drafts of different kinds were both "Restriction set out (draft)"."""
    from crm_tui.services.intake import case_file

    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    builders.draft(actors, ref)
    titles = [e.title for e in case_file.case_file(actors[Role.CRM], ref).timeline]
    assert any(t.startswith("The Contact in a particular form only restriction set out "
                            "(draft)") for t in titles), titles
    assert not any(t.startswith("Restriction set out") for t in titles), titles


def test_a_view_names_the_drafts_version_only_where_views_were_given_on_two(
        actors: dict[Role, Actor]) -> None:
    """v15d N4: "(version 2)" on a draft set out once (linking evidence counts as a change).
    The version is said once views were given on two versions of the same draft."""
    from datetime import datetime

    from crm_tui.domain.contact import Channel, Direction
    from crm_tui.services.evidence import contacts, tagging
    from crm_tui.services.evidence.contacts import ContactInput
    from crm_tui.services.evidence.tagging import EvidenceKind
    from crm_tui.services.intake import case_file

    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)  # drafted, linked, viewed

    def abouts() -> list[str]:
        return [line for e in case_file.case_file(actors[Role.CRM], ref).timeline
                if e.kind == "consultation" for line in e.detail.splitlines()
                if line.startswith("About")]

    letter_only = "the Contact in a particular form only restriction"
    assert abouts() == [f"About: {letter_only}"]
    [(draft, version)] = builders.read(ref).items()
    # Changed since (rested on one more contact, as k does), and viewed again.
    contact = contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 10, 6, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Sixth email this week about the same closed complaint"))
    tagging.toggle_link(actors[Role.CRM], ref, EvidenceKind.CONTACT, contact,
                        f"restriction:{draft}")
    builders.consult(actors, ref)
    assert sorted(abouts()) == [f"About: {letter_only} (version {version})",
                                f"About: {letter_only} (version {version + 1})"], abouts()


def test_steps_of_one_second_are_listed_in_the_trails_order(
        actors: dict[Role, Actor]) -> None:
    """v15e F9: "Review started" was listed above (newer than) "Review: continued" of the
    same second, though its audit entry came first: within a second the trail's order holds,
    an entry read from its own record placed where the entry that wrote it stands."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    from crm_tui.services.reviews import review_steps

    review_steps.start_review(crm, ref)
    review_session.continue_unchanged(crm, ref, "Still writing daily to several officers")
    titles = [e.title for e in case_file.case_file(crm, ref).timeline]
    started = next(i for i, t in enumerate(titles) if t.startswith("Review started"))
    continued = next(i for i, t in enumerate(titles) if t.startswith("Review: continued"))
    assert continued < started, titles[:6]


def test_a_review_outcome_and_a_letter_issued_name_who_acted(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    """t15 F11: "Review: continued" and "Letter 17: Decision to restrict contact, issued"
    named nobody, while their neighbours said "(Ceri Hughes)" / "by Gareth Bell"."""
    from crm_tui.domain.letters import LetterKind
    from crm_tui.services.letters import issuing
    from crm_tui.services.reviews import review_steps
    from tests.conftest import PASSPHRASE

    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    signed = issuing.sign_and_export(crm, ref, LetterKind.DECISION, tmp_path / "out",
                                     PASSPHRASE)
    review_steps.start_review(crm, ref)
    review_session.continue_unchanged(crm, ref, "Still writing daily to several officers")
    titles = [e.title for e in case_file.case_file(crm, ref).timeline]
    assert f"Letter {signed.letter_id}: Decision to restrict contact, issued by {crm.name}" \
        in titles
    assert f"Review: continued ({crm.name})" in titles


def test_a_letters_issue_and_posting_name_their_audit_entries(
        actors: dict[Role, Actor]) -> None:
    """Found when tried (v16h H3): "Letter 17: Invitation to comment …, issued" and "Letter
    posted on …" had an empty "#" though audit entries recorded both."""
    from crm_tui.db.models import AuditEntry
    from crm_tui.services.letters import posting

    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref, sign=False)
    builders.sign_invitation(actors[Role.CRM], ref, post=False)  # signed and issued; posted below
    issued = AuditEntry.select().where((AuditEntry.case_reference == ref)
                                       & (AuditEntry.action == "issue_letter")).get()
    number = int(json.loads(issued.payload)["letter"])
    posting.record_posting(actors[Role.CRM], [number], date(2026, 11, 28), "first")
    posted = AuditEntry.select().where((AuditEntry.case_reference == ref)
                                       & (AuditEntry.action == "record_posting")).get()
    rows = {e.title: e.seq for e in case_file.case_file(actors[Role.CRM], ref).timeline
            if e.kind == "letter"}
    issue_row = next(t for t in rows if t.startswith(f"Letter {number}:"))
    post_row = next(t for t in rows if t.startswith("Letter posted on"))
    assert (rows[issue_row], rows[post_row]) == (issued.seq, posted.seq), rows


def test_a_review_continued_gives_the_next_review_date(actors: dict[Role, Actor]) -> None:
    """v15i L3: "Review: continued" opened in full said when it was due, why and who decided,
    but not when the restrictions are next reviewed."""
    from crm_tui.db.models import Case
    from crm_tui.domain.typed_dates import in_prose
    from crm_tui.services.reviews import review_steps

    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    review_steps.start_review(crm, ref)
    review_session.continue_unchanged(crm, ref, "Still writing daily to several officers")
    next_review = Case.get(Case.reference == ref).review_due
    continued = next(e for e in case_file.case_file(crm, ref).timeline
                     if e.title.startswith("Review: continued"))
    assert f"Next review: {in_prose(next_review)}" in continued.detail.splitlines(), \
        continued.detail
