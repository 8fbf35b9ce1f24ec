"""Decisions that stand up (issue 13, items 1, 2, 4 and 5), each tried the wrong way through
the services and shown refused in the policy's words with the database unchanged:
a variation only lighter or shorter, anything stricter through the review path; an extension
no stricter than the customer was invited to comment on, after the comment period and a Head
of Service view on the proposal as it stands; a real consultation; the decision and its
letter checked together; and the drafts decided exactly as they were read."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from crm_tui.db.models import (
    AuditEntry,
    Case,
    Consultation,
    Customer,
    Decision,
    EvidenceItem,
    EvidenceLink,
    ExtensionProposal,
    Restriction,
)
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import DomainError, RequirementMissing, ValidationError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.outcomes import (
    AppealOutcome,
    ConsultationMethod,
    ConsultationSubject,
    ConsultationView,
)
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.evidence import bundle, contacts, documents, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.intake import case_file, casework, queries
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import builder, decisions, readiness
from crm_tui.services.reviews import appeals, review_steps
from tests import builders, dumps
from tests.builders import TOLD

TERMS = builders.TERMS  # 28 November 2026 to 28 November 2027
TODAY = builders.TODAY
BLOCKED = RestrictionDraft(
    RestrictionKind.BLOCK_ELECTRONIC, {"why_nothing_less": "Threats by email continued"},
    reason="Threatening emails to two officers", proportionality="Only letters remain",
    less_restrictive_considered="Letter only, which the customer did not keep to",
    still_reachable="Emergencies: 01632 960999. New matters: by letter.",
    behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,), customer_reason=TOLD)
SIGNIFICANT_ONLY = RestrictionDraft(
    RestrictionKind.SIGNIFICANT_QUERIES_ONLY, {"definition": "Threats to staff"},
    reason="Repeated queries on closed matters", proportionality="Serious matters still heard",
    less_restrictive_considered="Letter only, which the customer did not keep to",
    still_reachable="Emergencies: 01632 960999. New matters: by letter.",
    behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,), customer_reason=TOLD)
LETTER_AND_EMAIL = RestrictionDraft(
    RestrictionKind.FORM_OF_CONTACT, {"channels": ["letter", "email"]},
    reason="Daily emails to several officers", proportionality="Email to one address",
    less_restrictive_considered="A single point of contact",
    still_reachable="Emergencies: 01632 960999.",
    behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,), customer_reason=TOLD)


def _dump() -> list[str]:
    return dumps.dump()


# How the refusals name the drafts: by their kind, never by their rows' numbers (b15e F10).
FORM = "the Contact in a particular form only restriction"
SIG = "the Significant and serious queries only restriction"


def _refused(error: type[DomainError], match: str, step: object) -> str:
    """Run the step, expect the refusal, and show that nothing was stored."""
    before = _dump()
    with pytest.raises(error, match=match) as refused:
        step()  # type: ignore[operator]
    assert _dump() == before
    return str(refused.value)


# -- 1. variation vs the review path ----------------------------------------------------------
def test_a_stricter_or_longer_variation_is_refused_and_points_to_the_review(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)  # letter only, to 28 Nov 2027
    builders.draft(actors, ref)  # the letter-only restriction, as it is
    builders.draft(actors, ref, BLOCKED)
    longer = DecisionTerms(starts_on=builders.TODAY, ends_on=date(2029, 11, 28))
    message = _refused(RequirementMissing, "stricter or longer", lambda: (
        decisions.vary_restrictions(crm, ref, "Threats continued", longer,
                                    read=builders.read(ref), customer_reason=TOLD)))
    assert "adds the restriction “Telephone and electronic contact blocked”" in message
    assert "ends 2 years later (28 November 2029 instead of 28 November 2027)" in message
    assert "start the review, tell the customer the reasons and invite their comments" in message
    # the builder says so before the decision opens
    assert any("stricter or longer" in p for p in builder.builder_view(crm, ref).problems)


def test_a_later_review_is_stricter_too(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)  # reviewed by 28 Nov 2027
    builders.draft(actors, ref)
    with builders.as_the_app(ref):
        Case.update(review_due=date(2027, 5, 28)).where(Case.reference == ref).execute()
    later = DecisionTerms(starts_on=builders.TODAY, ends_on=TERMS.ends_on,
                          review_due=date(2027, 8, 28))
    message = _refused(RequirementMissing, "is reviewed later", lambda: (
        decisions.vary_restrictions(actors[Role.CRM], ref, "Same", later,
                                    read=builders.read(ref), customer_reason=TOLD)))
    assert "by 28 August 2027 instead of 28 May 2027" in message


def test_a_lighter_variation_is_made_directly_and_its_letter_says_so_truly(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builders.send_decision(crm, ref)  # what has changed is since this letter
    builders.draft(actors, ref, LETTER_AND_EMAIL)
    shorter = DecisionTerms(starts_on=builders.TODAY, ends_on=date(2027, 5, 28))
    decisions.vary_restrictions(crm, ref, "Easier to keep to: email opened again", shorter,
                                read=builders.read(ref), customer_reason=TOLD)
    case = Case.get(Case.reference == ref)
    assert case.restrictions_end == date(2027, 5, 28)
    assert case.review_due == date(2027, 5, 28)  # kept, within the new end
    text, gaps = issuing.preview(crm, ref, LetterKind.EXTENSION_DECISION)
    assert not gaps
    flat = " ".join(text.split())
    assert "We have decided to make them less strict." in flat
    assert "You can now also contact us by email." in flat
    assert "The end date was 28 November 2027. The new end date is 28 May 2027." in flat
    assert "asked for your comments" not in flat


# -- 1. the extension path ------------------------------------------------------------------
def _under_review_proposed(actors: dict[Role, Actor]) -> str:
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.propose(actors, ref)  # letter only, to 28 Nov 2028; comments by 17 Dec 2026
    return ref


def test_the_proposal_records_what_the_customer_is_invited_to_comment_on(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)
    _refused(RequirementMissing, "set the proposed restrictions out", lambda: (
        review_steps.propose_extension(crm, ref, "Letters continued",
                                       ends_on=date(2028, 11, 28), customer_reason=TOLD)))
    builders.propose(actors, ref, sign=False)  # its invitation read before it is signed
    proposal = ExtensionProposal.get()
    stored = json.loads(proposal.proposal)
    assert [d["kind"] for d in stored["drafts"]] == ["form_of_contact"]
    assert stored["drafts"][0]["version"] == builders.read(ref)[stored["drafts"][0]["id"]]
    assert (proposal.ends_on, proposal.reply_by) == (date(2028, 11, 28), date(2026, 12, 17))
    text, _ = issuing.preview(crm, ref, LetterKind.INVITATION)
    assert "these restrictions would apply from 18 December 2026 at the earliest, until 28 " \
        "November 2028." in " ".join(text.split())


def test_an_extension_waits_for_the_comments_and_a_view_given_after_them(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = _under_review_proposed(actors)
    terms = DecisionTerms(starts_on=date(2026, 12, 19), ends_on=date(2028, 11, 28))
    # a view given while the customer could still comment does not count
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-19T10:00:00")
    message = _refused(RequirementMissing, "consulted again", lambda: (
        review_steps.extend_restrictions(crm, ref, "Letters went on", terms,
                                         read=builders.read(ref), customer_reason=TOLD)))
    assert ("their view on 28 November 2026 was given before the customer's comment period "
            "ended on 17 December 2026") in message
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))
    review_steps.extend_restrictions(crm, ref, "Letters went on", terms,
                                     read=builders.read(ref), customer_reason=TOLD)
    decision = Decision.get(Decision.action == "extend_restrictions")
    assert ExtensionProposal.get().decision_id == decision.id
    text, gaps = issuing.preview(crm, ref, LetterKind.EXTENSION_DECISION)
    flat = " ".join(text.split())
    assert not gaps
    assert ("On 28 November 2026 we wrote to tell you what we were thinking of doing, and "
            "asked for your comments. The closing date was 17 December 2026. We did not "
            "receive any comments from you before the closing date.") in flat


def test_an_extension_stricter_or_longer_than_the_invitation_is_refused(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = _under_review_proposed(actors)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-19T10:00:00")
    builders.draft(actors, ref, BLOCKED)  # added after the invitation
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2029, 11, 28))
    longer = DecisionTerms(starts_on=date(2026, 12, 19), ends_on=date(2029, 11, 28))
    message = _refused(RequirementMissing, "beyond what the customer was invited", lambda: (
        review_steps.extend_restrictions(crm, ref, "Threats", longer,
                                         read=builders.read(ref), customer_reason=TOLD)))
    assert "adds the restriction “Telephone and electronic contact blocked”" in message
    assert "ends 1 year later" in message


def test_a_lighter_change_after_the_invitation_is_decided_after_a_fresh_view(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = _under_review_proposed(actors)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-19T10:00:00")
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))
    [draft_id] = builders.read(ref)
    builder.update_draft(crm, ref, draft_id, LETTER_AND_EMAIL)  # easier: email opened
    terms = DecisionTerms(starts_on=date(2026, 12, 19), ends_on=date(2028, 5, 28))
    _refused(RequirementMissing, f"{FORM} changed after their view on "
             "19 December 2026", lambda: review_steps.extend_restrictions(
                 crm, ref, "Easier to keep to", terms, read=builders.read(ref),
                 customer_reason=TOLD))
    builders.consult(actors, ref, subject=ConsultationSubject.EXTENSION,
                     ends_on=date(2028, 11, 28))
    review_steps.extend_restrictions(crm, ref, "Easier to keep to", terms,
                                     read=builders.read(ref), customer_reason=TOLD)
    assert Case.get(Case.reference == ref).restrictions_end == date(2028, 5, 28)


def test_an_invitation_at_an_earlier_review_does_not_carry_over(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = _under_review_proposed(actors)
    # Continued (after the date for comments: not before, lifecycle) instead of extended.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-18T10:00:00")
    review_steps.continue_unchanged(crm, ref, "The customer wrote less often; no change")
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-19T10:00:00")
    review_steps.start_review(crm, ref)
    terms = DecisionTerms(starts_on=date(2026, 12, 19), ends_on=date(2028, 11, 28))
    # Continuing closed the proposal (its date for comments cleared): the lifecycle refuses.
    _refused(RequirementMissing, "must first be told the reasons and invited to comment",
             lambda: review_steps.extend_restrictions(crm, ref, "Letters went on", terms,
                                                      read=builders.read(ref),
                                                      customer_reason=TOLD))


# -- 2. a real consultation -------------------------------------------------------------------
def test_the_crm_records_a_view_only_saying_how_it_was_given(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)

    def record(**given: object) -> object:
        return lambda: casework.record_consultation(
            crm, ref, view=ConsultationView.AGREES, view_text="Agreed", consultee="hos",
            **given)  # type: ignore[arg-type]

    _refused(ValidationError, "say how the Head of Service gave their view", record())
    _refused(ValidationError, "attach the Head of Service's email",
             record(method=ConsultationMethod.EMAIL))
    _refused(ValidationError, "no document 999", record(method=ConsultationMethod.EMAIL,
                                                         evidence_document=999))
    _refused(ValidationError, "before the referral was received on 2 November 2026",
             record(method=ConsultationMethod.MEETING, consulted_on=date(2023, 3, 1)))
    _refused(ValidationError, "in the future",
             record(method=ConsultationMethod.MEETING, consulted_on=date(2026, 12, 1)))
    note = tmp_path / "note.txt"
    note.write_text("A file note, not the Head of Service's email.\n")
    sha = documents.attach_document(actors[Role.OFFICER], ref, note, "A file note")
    _refused(ValidationError, "note.txt is not an email", record(
        method=ConsultationMethod.EMAIL,
        evidence_document=EvidenceItem.get(EvidenceItem.sha256 == sha).id))
    email = tmp_path / "view.eml"
    email.write_text("From: Jordan Reeve\n\nI agree with letter only.\n")
    sha = documents.attach_document(actors[Role.OFFICER], ref, email, "The view by email")
    doc = EvidenceItem.get(EvidenceItem.sha256 == sha).id
    record(method=ConsultationMethod.EMAIL, evidence_document=doc)()
    row = Consultation.get()
    assert (row.method, row.evidence_document_id) == ("email", doc)
    [version] = builders.read(ref).values()
    assert json.loads(row.proposal)["drafts"][0]["version"] == version


def test_a_view_on_something_else_does_not_count(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    _refused(ValidationError, "given at a review", lambda: casework.record_consultation(
        actors[Role.HEAD_OF_SERVICE], ref, view=ConsultationView.AGREES,
        view_text="Do not write", subject=ConsultationSubject.NO_COMMUNICATION))
    review = builders.at_state(actors, CaseState.UNDER_REVIEW)
    builders.consult_no_communication(actors, review)
    builders.propose(actors, review)
    problems = readiness.blockers(actors[Role.CRM], review)
    assert "The Head of Service has not been consulted on the proposed extension or new " \
           "restrictions" in problems


def test_a_draft_changed_after_the_view_needs_the_view_again(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    [first] = builders.read(ref)
    builder.update_draft(actors[Role.OFFICER], ref, first, LETTER_AND_EMAIL)
    # Named by its kind, never by its row's number (b15e F10).
    _refused(RequirementMissing, f"consulted again: {FORM} changed "
             "after their view on 28 November 2026", lambda: decisions.impose_restrictions(
                 crm, ref, "Evidence", TERMS, read=builders.read(ref), customer_reason=TOLD))
    builders.consult(actors, ref)
    second = builders.draft(actors, ref, SIGNIFICANT_ONLY)  # not blocking the email accepted
    _refused(RequirementMissing, f"{SIG} was set out after their "
             "view",
             lambda: decisions.impose_restrictions(crm, ref, "Evidence", TERMS,
                                                   read=builders.read(ref), customer_reason=TOLD))
    builders.consult(actors, ref)  # on both
    decisions.discard_draft(crm, ref, second)
    _refused(RequirementMissing, f"{SIG} was discarded after their "
             "view",
             lambda: decisions.impose_restrictions(crm, ref, "Evidence", TERMS,
                                                   read=builders.read(ref), customer_reason=TOLD))
    builders.consult(actors, ref)
    # evidence unlinked from a draft changes it too
    contact = contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 10, 6, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam", summary="Another email",
        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)))
    tagging.toggle_link(crm, ref, tagging.EvidenceKind.CONTACT, contact, f"restriction:{first}")
    _refused(RequirementMissing, f"{FORM} changed after their view",
             lambda: decisions.impose_restrictions(crm, ref, "Evidence", TERMS,
                                                   read=builders.read(ref), customer_reason=TOLD))
    builders.consult(actors, ref, ends_on=date(2027, 5, 28))
    _refused(RequirementMissing, "consulted on restrictions ending on 28 May 2027, and these "
             "would end on 28 November 2027", lambda: decisions.impose_restrictions(
                 crm, ref, "Evidence", TERMS, read=builders.read(ref), customer_reason=TOLD))


def test_going_against_a_view_of_does_not_agree_needs_reasons_and_is_marked(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    builders.consult(actors, ref, ConsultationView.DISAGREES, "Not proportionate yet")
    _refused(RequirementMissing, r"does not agree .* give your reasons for going ahead",
             lambda: decisions.impose_restrictions(crm, ref, "Evidence", TERMS,
                                                   read=builders.read(ref), customer_reason=TOLD))
    decisions.impose_restrictions(
        crm, ref, "Evidence", TERMS, read=builders.read(ref),
        against_view_reason="Two officers off sick after the calls; it cannot wait",
        customer_reason=TOLD)
    decision = Decision.get()
    assert decision.against_view_reason.startswith("Two officers")
    entry = AuditEntry.get(AuditEntry.action == "impose_restrictions")
    payload = json.loads(entry.payload)
    assert payload["against_head_of_service_view"] is True
    assert payload["head_of_service_view"] == "disagrees"
    assert case_file.case_file(crm, ref).against_view.startswith(
        "Decided against the Head of Service's view on 28 Nov 2026. The CRM's reasons: Two")
    assert queries.against_view(crm) == [
        f"{ref}: decided against the Head of Service's view on 28 Nov 2026"]
    content = bundle.bundle_content(crm, ref, "Northmere")
    [marked] = content.decisions
    assert marked.against_view_reason and "Does not agree" in marked.view
    [entry_] = [e for e in case_file.case_file(crm, ref).timeline if e.kind == "decision"]
    assert "decided against the Head of Service's view" in entry_.title
    from pypdf import PdfReader

    pdf = bundle.export_bundle(crm, ref, tmp_path / "out", "Northmere")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Decided against the Head of Service's view on 28 November 2026" in text
    assert "DECIDED AGAINST THE HEAD OF SERVICE'S VIEW. Reasons for going ahead: Two" in text


# -- 4. the decision and its letter, checked together ------------------------------------------
def test_a_decision_whose_letter_would_be_refused_is_not_made(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    restriction = decisions.draft_restriction(actors[Role.OFFICER], ref, builders.LETTER_ONLY)
    note = tmp_path / "note.txt"
    note.write_text("File note: many calls\n")
    sha = documents.attach_document(actors[Role.OFFICER], ref, note, "Officer's note")
    doc = EvidenceItem.get(EvidenceItem.sha256 == sha).id
    tagging.toggle_link(crm, ref, tagging.EvidenceKind.DOCUMENT, doc,
                        f"restriction:{restriction}")
    with builders.as_the_app(ref):  # a customer with no address, as the app holds one
        Customer.update(address="", postcode="").execute()
    builders.consult(actors, ref)
    message = _refused(RequirementMissing, "; the letter cannot go", lambda: (
        decisions.impose_restrictions(crm, ref, "Evidence", TERMS, read=builders.read(ref),
                                      customer_reason=TOLD)))
    assert "dated examples of the behaviour" in message
    assert "the customer's postal address" in message
    found = readiness.preview(crm, ref, TERMS, "Evidence")
    assert not found.ready and "Decision to restrict your contact" in found.letter


def test_the_preview_is_not_ready_while_the_customer_is_told_nothing(
        actors: dict[Role, Actor]) -> None:
    # The decision form said "The letter passes the checks: ctrl+s decides" while "Why, as the
    # customer is told it" was empty (issue 15, round 10): the decision refuses that.
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    builders.consult(actors, ref)
    told = readiness.preview(crm, ref, TERMS, "Evidence", customer_reason=TOLD)
    assert told.ready, told.problems
    for words, said in (("", "is required"), ("The customer rang daily.", "")):
        found = readiness.preview(crm, ref, TERMS, "Evidence", customer_reason=words)
        assert not found.ready
        assert any(problem.startswith("\u201cWhy, as the customer is told it\u201d")
                   and said in problem for problem in found.problems), found.problems


# -- 5. what was read is what is decided --------------------------------------------------------
def test_a_draft_changed_after_the_preview_is_not_decided(actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    read = readiness.preview(crm, ref, TERMS, "Evidence").versions
    [first] = read
    builder.justify(actors[Role.OFFICER], ref, first, "Changed meanwhile by someone else")
    builders.consult(actors, ref)  # even with a fresh view, the CRM read the older draft
    _refused(RequirementMissing, f"changed since you read them: {FORM} "
             "changed",
             lambda: decisions.impose_restrictions(crm, ref, "Evidence", TERMS, read=read,
                                                   customer_reason=TOLD))
    added = builders.draft(actors, ref, SIGNIFICANT_ONLY)
    _refused(RequirementMissing, f"{SIG} was set out", lambda: (
        decisions.impose_restrictions(crm, ref, "Evidence", TERMS,
                                      read={first: builders.read(ref)[first]},
                                      customer_reason=TOLD)))
    # A draft discarded after it was read is named by the kind its discarding kept.
    read = builders.read(ref)
    decisions.discard_draft(actors[Role.OFFICER], ref, added)
    message = _refused(RequirementMissing, f"{SIG} was discarded", lambda: (
        decisions.impose_restrictions(crm, ref, "Evidence", TERMS, read=read,
                                      customer_reason=TOLD)))
    assert f"restriction {added}" not in message


def test_an_amendment_on_appeal_confirms_the_drafts_read(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    draft = builders.draft(actors, ref, by=Role.CRM)
    read = builders.read(ref)
    builder.justify(actors[Role.OFFICER], ref, draft, "Changed after the director read it")
    terms = DecisionTerms(starts_on=builders.TODAY, ends_on=date(2027, 5, 28))
    _refused(RequirementMissing, "changed since you read them", lambda: appeals.decide_appeal(
        actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED, "Shorter", terms, read,
        customer_reason=TOLD))
    preview = readiness.preview_amendment(actors[Role.SERVICE_DIRECTOR], ref, terms, "Shorter")
    appeals.decide_appeal(actors[Role.SERVICE_DIRECTOR], ref, AppealOutcome.AMENDED, "Shorter",
                          terms, preview.versions, customer_reason=TOLD)
    assert Case.get(Case.reference == ref).restrictions_end == date(2027, 5, 28)


def test_reasons_against_a_view_are_not_kept_where_the_view_agreed(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)  # the view agrees
    decisions.impose_restrictions(crm, ref, "Evidence", TERMS, read=builders.read(ref),
                                  against_view_reason="Nothing to go against", customer_reason=TOLD)
    assert Decision.get().against_view_reason == ""
    assert queries.against_view(crm) == []


# -- found when the issue was tried as an investigator would ----------------------------------
def test_a_variation_neither_reaches_back_nor_ends_before_it_starts(
        actors: dict[Role, Actor]) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builder.redraft_in_force(crm, ref)
    for terms, field in ((DecisionTerms(starts_on=date(2020, 1, 1), ends_on=date(2027, 11, 28)),
                          "starts_on"),
                         (DecisionTerms(starts_on=TODAY, ends_on=TODAY), "ends_on"),
                         (DecisionTerms(starts_on=date(2027, 11, 1), ends_on=date(2027, 6, 1)),
                          "ends_on")):
        refused = _refused(ValidationError, field, lambda t=terms: decisions.vary_restrictions(
            crm, ref, "Lighter", t, read=builders.read(ref), customer_reason=TOLD))
        assert refused.startswith(field), refused


def test_evidence_changed_under_a_draft_changes_the_draft(actors: dict[Role, Actor]) -> None:
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    read = builders.read(ref)
    [first] = read
    contact = EvidenceLink.get(EvidenceLink.restriction == first).contact_id
    contacts.correct_contact(officer, ref, contact, ContactInput(
        at=datetime(2026, 10, 5, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Polite enquiry, thanked the officer",
        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)), "Mistyped")
    assert builders.read(ref)[first] == read[first] + 1
    _refused(RequirementMissing, f"{FORM} changed",
             lambda: decisions.impose_restrictions(crm, ref, "Evidence", TERMS, read=read,
                                                   customer_reason=TOLD))
    # Tagging it again, or sorting it under a matter, changes the draft too.
    now = builders.read(ref)
    tagging.tag(officer, ref, EvidenceKind.CONTACT, contact,
                (BehaviourCategory.EXCESSIVE_DEMANDS, BehaviourCategory.SCATTERGUN))
    assert builders.read(ref)[first] == now[first] + 1
    # The Head of Service was consulted on the older version: consulted again.
    assert any("consulted again" in p for p in builder.builder_view(crm, ref).problems)


def test_a_decision_rests_on_the_evidence_it_was_decided_on(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    [in_force] = Restriction.select().where(Restriction.status == "in_force")
    contact = EvidenceLink.get(EvidenceLink.restriction == in_force.id).contact_id
    _refused(ValidationError, "the evidence a decision rested on cannot change",
             lambda: tagging.toggle_link(actors[Role.CRM], ref, EvidenceKind.CONTACT, contact,
                                         f"restriction:{in_force.id}"))


def test_a_view_is_not_dated_before_the_drafts_and_the_crm_cannot_replace_the_heads_own(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    builders.consult(actors, ref, view=ConsultationView.DISAGREES, text="Not proportionate")
    # The CRM cannot record a more convenient view over the Head of Service's own.
    _refused(ValidationError, "recorded their own view on these restrictions",
             lambda: casework.record_consultation(
                 crm, ref, view=ConsultationView.AGREES, view_text="Agreed by telephone",
                 consultee="hos", method=ConsultationMethod.TELEPHONE))
    # Once the drafts change, a view is needed again — but not one dated before the change.
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-02T10:00:00")
    [first] = builders.read(ref)
    builder.justify(actors[Role.OFFICER], ref, first, "A weekly call meets the need")
    _refused(ValidationError, "before the restrictions it is about were last changed, on "
                              "2 December 2026", lambda: casework.record_consultation(
                                  crm, ref, view=ConsultationView.AGREES,
                                  view_text="Agreed by telephone", consultee="hos",
                                  method=ConsultationMethod.TELEPHONE,
                                  consulted_on=date(2026, 11, 30)))
    casework.record_consultation(crm, ref, view=ConsultationView.AGREES,
                                 view_text="Agreed by telephone", consultee="hos",
                                 method=ConsultationMethod.TELEPHONE)


def test_restrictions_under_review_end_on_their_end_date_and_are_not_extended_after(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_REVIEW)  # ending 28 November 2027
    builders.propose(actors, ref)
    monkeypatch.setenv("CRM_TUI_NOW", "2027-12-05T09:00:00")
    _refused(RequirementMissing, "ended on 28 November 2027: they cannot be extended",
             lambda: review_steps.extend_restrictions(crm, ref, "Late", DecisionTerms(
                 starts_on=date(2027, 12, 5), ends_on=date(2028, 11, 28)),
                 read=builders.read(ref), customer_reason=TOLD))
    assert decisions.expire_due(actors[Role.OFFICER]) == [ref]
    case = Case.get(Case.reference == ref)
    assert case.state == CaseState.ENDED.value and case.ended_on == date(2027, 11, 28)
    assert not Restriction.select().where(Restriction.status == "in_force").exists()


def test_a_discarded_draft_changes_what_a_view_is_about(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    extra = builders.draft(actors, ref, SIGNIFICANT_ONLY)  # one of each kind (v15e F2)
    monkeypatch.setenv("CRM_TUI_NOW", "2026-12-02T10:00:00")
    decisions.discard_draft(crm, ref, extra)
    _refused(ValidationError, "last changed, on 2 December 2026",
             lambda: casework.record_consultation(
                 crm, ref, view=ConsultationView.AGREES, view_text="Agreed by telephone",
                 consultee="hos", method=ConsultationMethod.TELEPHONE,
                 consulted_on=date(2026, 12, 1)))



def test_a_variation_while_the_review_is_overdue_says_to_hold_the_review(
        actors: dict[Role, Actor]) -> None:
    """Round 12, 10a/b: with the review overdue, the form offered the review in force (a day
    past) and refused it ("the review date must be after the decision"), while any later day
    is a longer review: no variation could be made, and the builder said "Ready". D now
    refuses at once, saying the way forward: the review."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with builders.as_the_app(ref):
        Case.update(review_due=date(2026, 11, 25)).where(Case.reference == ref).execute()
    builders.draft(actors, ref, LETTER_AND_EMAIL)
    said = " ".join(readiness.blockers(crm, ref))
    assert "The review was due by 25 November 2026" in said
    assert "Hold the review first" in said
    # Said once: not again as a past date in the letter the builder checks before D.
    assert "a date already past" not in said, said
    with pytest.raises(DomainError):
        decisions.vary_restrictions(crm, ref, "Easier to keep to: email opened again",
                                    builder.decision_defaults(crm, ref),
                                    read=builders.read(ref), customer_reason=TOLD)
    assert Case.get(Case.reference == ref).review_due == date(2026, 11, 25)


def test_a_greeting_the_letter_cannot_carry_stands_in_the_way_before_the_decision(
        actors: dict[Role, Actor]) -> None:
    # Found when tried: a customer named with markup-like text, the builder said "Ready for
    # the CRM's decision (D)", and only the decision's form then refused the greeting.
    from crm_tui.services.intake.customer_details import CustomerDetails, set_details

    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    assert readiness.blockers(crm, ref) == []
    with builders.as_the_app(ref):  # the customer's record is vouched for: as the app would
        Customer.update(name="[bold red]Mr[/] Quentin [link=https://a.example]q[/link]").where(
            Customer.id == Case.get(Case.reference == ref).customer_id).execute()
    [greeting] = readiness.blockers(crm, ref)
    assert greeting.startswith("The letter cannot go: a greeting a council would not write "
                               "(“Dear [bold red]Mr[/] Quentin"), greeting
    assert greeting.endswith("(set the form of address under How we write: D on the case "
                             "file)"), greeting
    # The decision refuses by the same rule.
    _refused(RequirementMissing, "a greeting a council would not write",
             lambda: decisions.impose_restrictions(crm, ref, "Evidence", TERMS,
                                                   read=builders.read(ref),
                                                   customer_reason=TOLD))
    set_details(crm, ref, CustomerDetails("Mr Quentin", "", None))
    assert readiness.blockers(crm, ref) == []


def test_a_matter_title_the_letter_cannot_print_stands_in_the_way_before_the_decision(
        actors: dict[Role, Actor]) -> None:
    """Found when tried (v15 N8): a restriction naming a matter titled with "[" (stored before
    the matter form read titles with the letter's rules) read "Ready for the CRM's decision
    (D)", and only the decision's form refused the letter. The builder's list now says it,
    with where to change it, by the rule the decision's letter is checked with."""
    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    assert readiness.blockers(crm, ref) == []
    row = Restriction.get(Restriction.case == Case.get(Case.reference == ref).id)
    with builders.as_the_app(ref):
        Restriction.update(kind=RestrictionKind.NEW_ISSUES_ONLY.value, parameters=json.dumps(
            {"closed_issues": ["Gutter repair [/b] 2026"]})).where(
            Restriction.id == row.id).execute()
    [letter] = readiness.blockers(crm, ref)
    assert letter.startswith("The letter cannot go: internal wording “[” under “What we have "
                             "decided”; internal wording “]” under “What we have decided” "
                             "(change the restriction in the builder, e:"), letter
    # The decision refuses by the same rule.
    _refused(RequirementMissing, "internal wording “.” under “What we have decided”",
             lambda: decisions.impose_restrictions(crm, ref, "Evidence", TERMS,
                                                   read=builders.read(ref),
                                                   customer_reason=TOLD))
    with builders.as_the_app(ref):
        Restriction.update(parameters=json.dumps(
            {"closed_issues": ["Gutter repair 2026"]})).where(Restriction.id == row.id).execute()
    assert readiness.blockers(crm, ref) == []
