"""The restriction builder's services: what a decision needs (consultation, evidence under
each restriction, every equality clash answered, the CRM), breaches recorded as contacts are
logged, the staff register and the command line."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Breach, Case, Customer, Restriction
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.equality import ContactNeed
from crm_tui.domain.errors import (
    NotFound,
    PermissionDenied,
    RequirementMissing,
    StaleEdit,
    ValidationError,
)
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms, RestrictionDraft
from crm_tui.services.evidence import contacts, matters, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.restrictions import builder, decisions, readiness, register
from tests import builders
from tests.builders import TOLD
from tests.demo_copies import copy_demo

TERMS = builders.TERMS


def _snapshot() -> tuple[int, int, int]:
    return (Restriction.select().where(Restriction.status == "in_force").count(),
            AuditEntry.select().count(), Case.select().where(Case.state == "restricted").count())


def test_a_restriction_with_no_linked_evidence_is_refused(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    decisions.draft_restriction(actors[Role.OFFICER], ref, builders.LETTER_ONLY)
    builders.consult(actors, ref)
    before = _snapshot()
    with pytest.raises(RequirementMissing, match="rests on no linked evidence"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Persistent contact", TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert _snapshot() == before
    assert builder.builder_view(actors[Role.CRM], ref).problems == [
        "The Contact in a particular form only restriction rests on no linked evidence "
        "(k links the referral's and the case's evidence to it)"]


def test_an_equality_clash_must_be_justified(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    crm = actors[Role.CRM]
    builder.set_contact_needs(crm, ref, (ContactNeed.TELEPHONE,))
    view = builder.builder_view(crm, ref)
    [draft] = view.drafts
    assert draft.unjustified and "needs to be able to telephone" in view.problems[0]
    before = _snapshot()
    with pytest.raises(RequirementMissing, match="clashes with the customer's needs"):
        decisions.impose_restrictions(crm, ref, "Persistent contact", TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert _snapshot() == before
    with pytest.raises(ValidationError):
        builder.justify(crm, ref, draft.id, "   ")
    builder.justify(crm, ref, draft.id, "A weekly call from the named officer meets the need")
    # The justification changed the restriction: the Head of Service's view is asked again.
    with pytest.raises(RequirementMissing, match="consulted again: the Contact in a particular "
                       "form only restriction changed"):
        decisions.impose_restrictions(crm, ref, "Persistent contact", TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    builders.consult(actors, ref)
    decisions.impose_restrictions(crm, ref, "Persistent contact", TERMS,
                                  read=builders.read(ref), customer_reason=TOLD)
    assert Case.get(Case.reference == ref).state == "restricted"


def test_no_decision_without_consultation_or_by_the_wrong_role(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    before = _snapshot()
    with pytest.raises(RequirementMissing, match="Head of Service consultation"):
        decisions.impose_restrictions(actors[Role.CRM], ref, "Persistent contact", TERMS,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert builder.builder_view(actors[Role.CRM], ref).problems == [
        "The Head of Service has not been consulted on the referral and the restrictions "
        "proposed"]
    for role in (Role.OFFICER, Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR):
        with pytest.raises(PermissionDenied):
            decisions.impose_restrictions(actors[role], ref, "Persistent contact", TERMS,
                                          read=builders.read(ref), customer_reason=TOLD)
    assert _snapshot() == before


def test_review_date_after_the_end_is_refused_at_its_field(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    terms = DecisionTerms(starts_on=date(2026, 11, 28), ends_on=date(2027, 5, 28),
                          review_due=date(2027, 8, 1))
    with pytest.raises(ValidationError) as refused:
        decisions.impose_restrictions(actors[Role.CRM], ref, "Persistent contact", terms,
                                      read=builders.read(ref), customer_reason=TOLD)
    assert refused.value.field == "review_due"


def test_drafts_can_be_changed_and_rest_on_the_referral_evidence(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    crm = actors[Role.CRM]
    contact = contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 10, 5, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam", summary="Tenth email",
        categories=(B.EXCESSIVE_DEMANDS,)))
    referral = tagging.link_targets(crm, ref, tagging.EvidenceKind.CONTACT, contact)[0]
    tagging.toggle_link(crm, ref, tagging.EvidenceKind.CONTACT, contact, referral.key)
    draft_id = decisions.draft_restriction(actors[Role.OFFICER], ref, builders.LETTER_ONLY)
    assert len(builder.rest_on_referral_evidence(crm, ref, draft_id).added) == 1
    assert builder.rest_on_referral_evidence(crm, ref, draft_id).added == ()  # not twice
    changed = RestrictionDraft(
        RestrictionKind.TELEPHONE_TIMES, {"days": ["tue"], "windows": ["10:00-12:00"],
                                          "number": "01632 960999"},
        reason="Calls all day", proportionality="Keeps a daily window",
        less_restrictive_considered="Named officer", still_reachable="Emergencies: 999",
        behaviours=(B.EXCESSIVE_DEMANDS,), customer_reason=TOLD)
    builder.update_draft(actors[Role.OFFICER], ref, draft_id, changed)
    [view] = builder.builder_view(crm, ref).drafts
    assert view.kind is RestrictionKind.TELEPHONE_TIMES and view.evidence == 1
    with pytest.raises(ValidationError) as bad:
        builder.update_draft(actors[Role.OFFICER], ref, draft_id, RestrictionDraft(
            RestrictionKind.TELEPHONE_TIMES, {"days": ["tue"], "windows": ["12:00-10:00"]},
            reason="Calls all day", proportionality="Keeps a window",
            less_restrictive_considered="Named officer", still_reachable="Emergencies: 999",
            customer_reason=TOLD))
    assert bad.value.field == "windows"
    with pytest.raises(ValidationError) as reachable:
        decisions.draft_restriction(actors[Role.OFFICER], ref, RestrictionDraft(
            RestrictionKind.FORM_OF_CONTACT, {"channels": ["letter"]}, reason="Calls all day",
            proportionality="Letters only", less_restrictive_considered="Named officer",
            customer_reason=TOLD))
    assert reachable.value.field == "still_reachable"
    # Round 12: a reason that stands for nothing is refused, as the step's own reasons are
    for field in ("reason", "proportionality", "less_restrictive_considered"):
        with pytest.raises(ValidationError) as thin:
            decisions.draft_restriction(actors[Role.OFFICER], ref, replace(
                changed, **{field: "n/a"}))
        assert thin.value.field == field
    text = readiness.preview(crm, ref, TERMS, "Contact continued at the same rate").letter
    # The appeal date is the signed letter's: 28 working days, bank holidays skipped.
    for part in ("What we have decided", "You can telephone us only on Tuesdays, between 10am "
                 "and 12 noon.", "28 November 2026", "11 January 2027", "Ombudsman",
                 "On 5 October 2026 you emailed us."):
        assert part in text


def test_breaches_are_recorded_as_contacts_are_logged(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)  # letter only, from 28 Nov 2026
    officer = actors[Role.OFFICER]

    def log(channel: Channel, direction: Direction = Direction.INBOUND) -> int:
        return contacts.log_contact(officer, ref, ContactInput(
            at=datetime(2026, 11, 28, 9, 30), channel=channel, direction=direction,
            service_area="Housing Services", officer_name="Sam", summary="Call"))

    phoned = log(Channel.TELEPHONE)
    wrote = log(Channel.LETTER)
    rang_back = log(Channel.TELEPHONE, Direction.OUTBOUND)
    [breach] = Breach.select()
    assert breach.contact_id == phoned and "came by telephone" in breach.reason
    from crm_tui.services.restrictions import compliance
    assert not compliance.verdict_for(officer, ref, wrote).breaches
    assert not compliance.verdict_for(officer, ref, rang_back).breaches
    entry = AuditEntry.select().where(AuditEntry.action == "record_breach").get()
    assert json.loads(entry.payload)["contact"] == phoned
    from crm_tui.services.evidence import analysis, log_sheet
    figures = analysis.analyse(officer, ref, analysis.Period(date(2026, 11, 1),
                                                             date(2026, 11, 28), "test"))
    [figure] = [f for f in figures.figures() if f.label == "Breaches of restrictions"]
    assert figure.count == 1
    page = log_sheet.page(officer, ref, figure.filter)
    assert [r.id for r in page.rows] == [phoned] and "came by telephone" in page.rows[0].breaches[0]
    from crm_tui.services.intake import queries
    assert queries.dashboard(officer).breaches_last_30_days == 1
    # corrected to a letter: the breach goes
    contacts.correct_contact(officer, ref, phoned, ContactInput(
        at=datetime(2026, 11, 28, 9, 30), channel=Channel.LETTER, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam", summary="Letter"), "Was a letter")
    assert Breach.select().count() == 0


def test_a_contact_about_a_closed_matter_breaches_new_issues_only(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    crm = actors[Role.CRM]
    matter = matters.open_matter(crm, ref, "Gutter repair")
    matters.close_matter(crm, ref, matter, date(2026, 6, 1), "Stage 2 answered")
    builders.draft(actors, ref, RestrictionDraft(
        RestrictionKind.NEW_ISSUES_ONLY, {"closed_issues": ["Gutter repair"]},
        reason="Same closed complaint weekly", proportionality="Only the closed matter",
        less_restrictive_considered="Letter only", still_reachable="New matters: write",
        behaviours=(B.EXCESSIVE_DEMANDS,), customer_reason=TOLD))
    builders.consult(actors, ref)
    decisions.impose_restrictions(crm, ref, "Repeat complaints", TERMS, read=builders.read(ref),
                                  customer_reason=TOLD)
    contact = contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 11, 28, 9, 30), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam", summary="The gutter, again"))
    assert Breach.select().count() == 0
    tagging.set_matter(crm, ref, contact, matter)
    [breach] = Breach.select()
    assert "Gutter repair" in breach.reason


def test_a_matter_typed_into_new_issues_only_is_read_as_the_letter_reads_it(
        actors: dict[Role, Actor]) -> None:
    """v15 N8: the letter names each matter by its title; one it could not print is refused
    when the restriction is set out, not found only inside the decision form."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    before = Restriction.select().count()
    with pytest.raises(ValidationError, match="cannot be printed in a letter") as unfit:
        decisions.draft_restriction(actors[Role.CRM], ref, RestrictionDraft(
            RestrictionKind.NEW_ISSUES_ONLY, {"closed_issues": ["Gutter [repair]"]},
            reason="Same closed complaint weekly", proportionality="Only the closed matter",
            less_restrictive_considered="Letter only", still_reachable="New matters: write",
            behaviours=(B.EXCESSIVE_DEMANDS,), customer_reason=TOLD))
    assert unfit.value.field == "closed_issues" and '"Gutter [repair]"' in unfit.value.message
    assert Restriction.select().count() == before


def test_staff_register_shows_handling_and_nothing_more(actors: dict[Role, Actor],
                                                        tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    Customer.update(personal_circumstances="Private health detail").execute()
    [entry] = register.staff_register(actors[Role.HEAD_OF_SERVICE])
    assert entry.case_reference == ref and entry.handling == ["Contact accepted only by letter"]
    assert entry.until == date(2027, 11, 28) and "01632 960999" in entry.still_reachable
    path = register.export_register(actors[Role.CRM], tmp_path / "out", "Northmere")
    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Contact accepted only by letter" in text and "Private health detail" not in text
    assert "1 Test Row" not in text  # no address


def test_check_contact_command(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    copy_demo(demo_db, path)
    runner = CliRunner()
    base = ["check-contact", "--db", str(path), "--customer", "C000007"]  # email and letter
    breach = runner.invoke(main, [*base, "--channel", "phone", "--at", "2026-12-01 14:30"])
    assert breach.exit_code == 1 and "BREACH" in breach.output and "telephone" in breach.output
    allowed = runner.invoke(main, [*base, "--channel", "letter", "--at", "2026-12-01 14:30"])
    assert allowed.exit_code == 0 and "ALLOWED" in allowed.output
    bad = runner.invoke(main, [*base, "--channel", "pigeon", "--at", "2026-12-01 14:30"])
    assert bad.exit_code == 2 and "not a channel" in bad.output  # a typo: not answered
    when = runner.invoke(main, [*base, "--channel", "phone", "--at", "tomorrow"])
    assert when.exit_code == 2 and "--at: \"tomorrow\" is not a date and time" in when.output
    assert "type it like 28/11/2026 09:30" in when.output
    officer = runner.invoke(main, ["check-contact", "--db", str(path), "--customer", "C000005",
                                   "--channel", "phone", "--at", "2026-12-01 14:30",
                                   "--officer", "hannah.okafor"])
    assert officer.exit_code == 1 and "Tomasz Nowak" in officer.output
    # Round 9: the customer by one of their cases' reference, as `sar` takes them; the
    # officer by name, as the log sheet gives them; and no officer against a named-officer
    # restriction is a question not answered (exit 2), not a breach.
    by_case = runner.invoke(main, ["check-contact", "--db", str(path), "--customer",
                                   "UPV-2025-0002", "--channel", "phone", "--at",
                                   "2026-12-01 14:30", "--officer", "Hannah Okafor"])
    assert by_case.exit_code == 1 and by_case.output == officer.output
    unsaid = runner.invoke(main, ["check-contact", "--db", str(path), "--customer", "C000005",
                                  "--channel", "phone", "--at", "2026-12-01 14:30"])
    assert unsaid.exit_code == 2 and "BREACH" not in unsaid.output
    assert "--officer: give who would take it: contact is only with Tomasz Nowak" in \
        unsaid.output
    listed = runner.invoke(main, ["register", "--db", str(path), "--user", "ceri.hughes"])
    assert listed.exit_code == 0 and "UPV-2025-0004" in listed.output


def test_a_draft_gone_since_the_list_was_read_is_named_by_its_kind(
        actors: dict[Role, Actor]) -> None:
    """b15e F10: "no draft restriction 15 on UPV-…" read as one of the policy's six kinds."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False)
    crm, officer = actors[Role.CRM], actors[Role.OFFICER]
    contact = contacts.log_contact(officer, ref, ContactInput(
        at=datetime(2026, 10, 5, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam", summary="Tenth email",
        categories=(B.EXCESSIVE_DEMANDS,)))
    draft_id = decisions.draft_restriction(officer, ref, builders.LETTER_ONLY)
    decisions.discard_draft(crm, ref, draft_id)
    gone = (f"The Contact in a particular form only restriction is no longer on {ref}: it "
            "was discarded since the list was read")
    # A step on the draft itself says who discarded it and when (b16e F6), by its kind too.
    said = ("Alex Morgan discarded this draft (the Contact in a particular form only "
            "restriction) at 10:00 since you read it. Nothing was saved")
    with pytest.raises(StaleEdit) as again:
        decisions.discard_draft(officer, ref, draft_id)
    with pytest.raises(NotFound) as linked:
        tagging.toggle_link(crm, ref, tagging.EvidenceKind.CONTACT, contact,
                            f"restriction:{draft_id}")
    with pytest.raises(StaleEdit) as justified:
        builder.justify(crm, ref, draft_id, "A weekly call meets the need")
    assert str(linked.value) == gone
    assert all(str(e.value).startswith(said) for e in (again, justified))
