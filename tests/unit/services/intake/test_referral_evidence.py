"""Documents sent with a referral are its evidence: linked to the referral on every path that
records one (the form, a JSON file, a folder, the command line), so that k in the builder rests
a restriction on them and says what it linked, or why there was nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db.models import Case, EvidenceItem, EvidenceLink, Referral
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core.inputs import ReferralInput
from crm_tui.services.intake.referral_import import import_referral
from crm_tui.services.intake.referrals import ReferralSubmission, submit_referral
from crm_tui.services.restrictions import builder, decisions
from tests import builders, outside
from tests.unit.services.intake.test_inbox_services import SAMPLE


def _linked_to_referral(reference: str) -> set[str]:
    case = Case.get(Case.reference == reference)
    referral = Referral.get(Referral.case == case)
    return {link.document.original_name for link in EvidenceLink.select().where(
        (EvidenceLink.referral == referral) & EvidenceLink.document.is_null(False))}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "referral"
    folder.mkdir()
    (folder / "referral.json").write_text(json.dumps(SAMPLE), encoding="utf-8")
    (folder / "log-sheet.txt").write_text("2026-10-01 09:10 email: the gutter again\n")
    (folder / "email.eml").write_text("From: customer@example.org\n\nThe gutter.\n")
    return folder


def test_the_forms_documents_are_the_referrals_evidence(actors: dict[Role, Actor],
                                                        tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("The customer's letter of 1 October")
    summary = submit_referral(actors[Role.CRM], ReferralSubmission(
        "Housing Services",
        ReferralInput(referred_by="manager", received_on=date(2026, 11, 2),
                      behaviour_details="Forty emails a week to six officers",
                      categories=(BehaviourCategory.SCATTERGUN,)),
        case_reference=builders.local_resolution(actors),
        evidence=(letter, letter)))  # the same file twice is linked once
    assert _linked_to_referral(summary.reference) == {"letter.txt"}


def test_an_imported_referrals_documents_are_its_evidence(actors: dict[Role, Actor],
                                                          tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    from_json = import_referral(actors[Role.CRM], folder / "referral.json")
    assert _linked_to_referral(from_json.reference) == {"log-sheet.txt"}  # the listed one
    other = json.loads(json.dumps(SAMPLE))
    other["customer"]["name"] = "Ms Other Person"
    (folder / "referral.json").write_text(json.dumps(other), encoding="utf-8")
    from_folder = import_referral(actors[Role.CRM], folder)
    assert _linked_to_referral(from_folder.reference) == {"log-sheet.txt", "email.eml"}


def test_a_referral_imported_on_the_command_line_links_its_documents(
        actors: dict[Role, Actor], tmp_path: Path, db_path: Path,
        acting_as: Callable[[str], None]) -> None:
    folder = _folder(tmp_path)
    acting_as("crm")
    result = CliRunner().invoke(main, ["import", "referral", str(folder),
                                       "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    reference = result.output.split()[2]
    assert _linked_to_referral(reference) == {"log-sheet.txt", "email.eml"}


def test_k_rests_a_restriction_on_them_and_says_what_it_linked(
        actors: dict[Role, Actor], tmp_path: Path) -> None:
    from crm_tui.services.intake import casework

    summary = import_referral(actors[Role.CRM], _folder(tmp_path))
    casework.begin_consideration(actors[Role.CRM], summary.reference)
    draft = decisions.draft_restriction(actors[Role.OFFICER], summary.reference,
                                        builders.LETTER_ONLY)
    linked = builder.rest_on_referral_evidence(actors[Role.CRM], summary.reference, draft)
    assert sorted(linked.added) == ["email.eml", "log-sheet.txt"]
    from crm_tui.services.intake import case_file

    titles = [e.title for e in case_file.case_file(actors[Role.CRM],
                                                   summary.reference).timeline]
    # Named by its kind, never by its row's number (b15e F10: "Restriction 18" on a case with
    # one restriction read as one of the policy's six kinds).
    letter_only = "The Contact in a particular form only restriction"
    assert any(t.startswith(f"{letter_only} rests on the referral's evidence (2 linked)")
               for t in titles), titles
    assert linked.message.startswith(f"{letter_only} now rests on 2 more of the evidence: ")
    assert f" {draft} " not in f" {linked.message} " and not any(
        f"estriction {draft}" in t for t in titles), titles
    # The evidence viewer's "Linked to" and the targets k offers name it so too.
    from crm_tui.services.evidence import documents, tagging

    shown = {d.original_name: d.links for d in documents.list_documents(
        actors[Role.CRM], summary.reference)}
    assert shown["email.eml"] == ("referral", "Contact in a particular form only restriction")
    email = next(d.id for d in documents.list_documents(actors[Role.CRM], summary.reference)
                 if d.original_name == "email.eml")
    labels = [t.label for t in tagging.link_targets(actors[Role.CRM], summary.reference,
                                                    tagging.EvidenceKind.DOCUMENT, email)]
    assert f"{letter_only} (draft)" in labels, labels
    again = builder.rest_on_referral_evidence(actors[Role.CRM], summary.reference, draft)
    assert again.added == () and "already rests on all the referral's evidence (2 items)" \
        in again.message


def test_k_with_nothing_behind_the_referral_says_why(actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    from crm_tui.services.intake import casework

    casework.begin_consideration(actors[Role.CRM], ref)
    draft = decisions.draft_restriction(actors[Role.OFFICER], ref, builders.LETTER_ONLY)
    linked = builder.rest_on_referral_evidence(actors[Role.CRM], ref, draft)
    assert linked.added == () and linked.on_referral == 0
    assert linked.message.startswith("Nothing to link: no evidence is linked to the referral")
    assert not EvidenceItem.select().where(EvidenceItem.case == Case.get(
        Case.reference == ref)).exists()


def test_k_offers_the_contacts_logged_on_the_case_and_the_keys_that_show_the_behaviour(
        actors: dict[Role, Actor]) -> None:
    """Round 9: on a new referral k offered only the referral's document; the contacts logged
    and imported on the case were not listed, and the refusal named no key."""
    from datetime import datetime

    from crm_tui.domain.contact import Channel, Direction
    from crm_tui.services.evidence import contacts
    from crm_tui.services.evidence.contacts import ContactInput
    from crm_tui.services.intake import casework
    from crm_tui.services.restrictions import referral_evidence, safeguards

    ref = builders.referred(actors)
    casework.begin_consideration(actors[Role.CRM], ref)
    logged = {}
    for hour, direction, shows in ((9, Direction.INBOUND, ()),
                                   (10, Direction.INBOUND,
                                    (BehaviourCategory.EXCESSIVE_DEMANDS,)),
                                   (11, Direction.OUTBOUND, ())):
        logged[hour] = contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
            at=datetime(2026, 11, 20, hour, 0), channel=Channel.EMAIL, direction=direction,
            service_area="Housing Services", officer_name="Sam Patel",
            summary=f"Email at {hour}", categories=shows))
    draft = decisions.draft_restriction(actors[Role.OFFICER], ref, builders.LETTER_ONLY)
    offered = referral_evidence.referral_evidence_offered(actors[Role.CRM], ref, draft)
    assert [(c.label.split(": ")[-1], c.ticked) for c in offered] == [
        ("Email at 10", True), ("Email at 9", False)]  # the council's own email is not
    # Rested on the untagged one only: the red list names the keys that put it right.
    linked = builder.rest_on_referral_evidence(actors[Role.CRM], ref, draft,
                                               (offered[1].key,))
    assert linked.added == ("contact of 20 Nov 2026 09:00",)
    # v15d N7: the referral has no evidence, and the toast said "Nothing to link" over what
    # was linked.
    assert linked.on_referral == 0
    assert linked.message == ("The Contact in a particular form only restriction now rests on "
                              "1 more of the evidence: contact of 20 Nov 2026 09:00.")
    # Round 12: the timeline named it "the referral's evidence", as it names the referral's
    from crm_tui.services.intake import case_file

    titles = [e.title for e in case_file.case_file(actors[Role.CRM], ref).timeline]
    assert any(t.startswith("The Contact in a particular form only restriction rests on "
                            "contact of 20 Nov 2026 09:00")
               for t in titles), titles
    assert not any("referral's evidence" in t for t in titles), titles
    [problem] = safeguards.grounds_problems(Case.get(Case.reference == ref))
    assert "rests on no evidence of the behaviour" in problem
    assert "k links" in problem and "(v), b tags" in problem
