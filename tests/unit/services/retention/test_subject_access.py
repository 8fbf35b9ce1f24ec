"""Subject access requests: everything held about one person, a PDF they can read and a
complete JSON copy, the names for redaction review apart, private files, the request
recorded; only the Complaints Resolution Team may do it."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from crm_tui.cli import main
from crm_tui.db.models import AuditEntry, Case, ContactLogEntry, Customer
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.equality import ContactNeed
from crm_tui.domain.errors import NotFound, NotKnown, PermissionDenied, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.evidence import contacts, documents
from crm_tui.services.evidence.contact_input import ContactInput
from crm_tui.services.intake import case_file, customer_details, prior_warnings
from crm_tui.services.restrictions.builder import set_contact_needs
from crm_tui.services.retention.subject_access import export_subject_access
from tests import builders, outside

SUMMARY = "Called about <b>bins</b> & said Sam Patel never rang back; spoke to Mrs Okafor"


@pytest.fixture
def case_ref(actors: dict[Role, Actor], tmp_path: Path) -> str:
    ref = builders.referred(actors)
    email = tmp_path / "their email.txt"
    email.write_text("Dear council, I want Mr Okafor sacked.")
    documents.attach_document(actors[Role.OFFICER], ref, email, "The customer's email")
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 11, 2, 14, 30), channel=Channel.TELEPHONE,
        direction=Direction.INBOUND, service_area="Housing Services",
        officer_name="Jo Bloggs", summary=SUMMARY, duration_minutes=12,
        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)))
    return ref


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(path).pages)


def test_everything_held_is_exported_privately_and_the_request_recorded(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path) -> None:
    customer = Customer.get(Customer.id == Case.get(Case.reference == case_ref).customer_id)
    done = export_subject_access(actors[Role.CRM], customer.reference, "SAR-2026-114 by email",
                                 tmp_path / "exports", "Northmere City Council")
    assert done.folder.stat().st_mode & 0o777 == 0o700
    for path in (done.pdf, done.json, done.review):
        assert path.parent == done.folder and path.stat().st_mode & 0o777 == 0o600
    text = _pdf_text(done.pdf)
    assert "Testy McTestface" in text and "<b>bins</b> & said Sam Patel" in text
    assert "Contact, 2 Nov 2026 14:30" in text and "Referral received 2 Nov 2026" in text
    for title in ("Your details", "Your cases", "Logged contacts", "Matters you raised",
                  "Decisions", "Restrictions", "Letters", "Appeals", "Reviews"):
        assert title in text
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # dates as people read them
    assert "Jo Bloggs" in text  # the record as held; the review lists it for redaction
    copy = json.loads(done.json.read_text())
    held = ContactLogEntry.select().where(ContactLogEntry.customer == customer).count()
    assert len(copy["records"]["contact_log_entry"]) == held == done.contacts
    assert copy["records"]["customer"][0]["reference"] == customer.reference
    assert copy["records"]["referral"] and copy["audit_trail"]
    assert done.documents == 1
    [document] = (done.folder / "documents").iterdir()
    assert document.name == "001-their email.txt" and document.stat().st_mode & 0o777 == 0o600
    assert document.read_text() == "Dear council, I want Mr Okafor sacked."
    assert set(copy["people"]) and all(p["name"] != "Pat Quinn"  # the administrator: in none
                                       for p in copy["people"].values())
    review = done.review.read_text()
    assert "NOT FOR RELEASE" in review and "SAR-2026-114 by email" in review
    assert "Jo Bloggs" in review and "Sam Patel" in review  # typed in; named in a summary
    assert "Robin Hale" in review  # the referring manager, a member of staff
    assert "1 copied into documents/" in review
    timeline = case_file.case_file(actors[Role.CRM], case_ref).timeline
    assert any(e.title.startswith("Subject access request answered") for e in timeline)
    entry = AuditEntry.get(AuditEntry.action == "subject_access_request")
    assert (entry.case_reference, entry.reason, entry.actor_login) == \
        (case_ref, "SAR-2026-114 by email", "crm")


def test_a_case_reference_finds_its_customer(actors: dict[Role, Actor], case_ref: str,
                                             tmp_path: Path) -> None:
    done = export_subject_access(actors[Role.OFFICER], case_ref.lower(), "SAR-7",
                                 tmp_path, "Council")
    assert done.cases == (case_ref,)
    with pytest.raises(NotKnown):
        export_subject_access(actors[Role.OFFICER], "C999999", "SAR-7", tmp_path, "Council")


@pytest.mark.parametrize("role", [Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR,
                                  Role.SERVICE_AREA_MANAGER, Role.USER_ADMIN])
def test_only_the_complaints_resolution_team_may(actors: dict[Role, Actor], case_ref: str,
                                                 tmp_path: Path, role: Role) -> None:
    with pytest.raises(PermissionDenied, match="subject access request"):
        export_subject_access(actors[role], case_ref, "SAR-1", tmp_path / "out", "Council")
    assert not (tmp_path / "out").exists()
    assert not AuditEntry.select().where(AuditEntry.action == "subject_access_request").exists()


def test_the_request_reference_is_required(actors: dict[Role, Actor], case_ref: str,
                                           tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="reason"):
        export_subject_access(actors[Role.CRM], case_ref, "   ", tmp_path / "out", "Council")
    assert not (tmp_path / "out").exists()


def test_the_command(actors: dict[Role, Actor], case_ref: str, tmp_path: Path,
                     acting_as: object, db_path: Path) -> None:
    acting_as("officer")  # type: ignore[operator]
    result = CliRunner().invoke(main, ["sar", case_ref, "--reason", "SAR-9", "--out",
                                       str(tmp_path / "out"), "--db", outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert "subject-access-" in result.output and "redaction-review-" in result.output
    acting_as("hos")  # type: ignore[operator]
    refused = CliRunner().invoke(main, ["sar", case_ref, "--reason", "SAR-9", "--out",
                                        str(tmp_path / "other"), "--db", outside.target(db_path)])
    assert refused.exit_code == 1 and "may not export" in refused.output
    acting_as("officer")  # type: ignore[operator]
    mistyped = CliRunner().invoke(main, ["sar", case_ref, "--reason", "SAR-9", "--out",
                                         str(tmp_path / "nowhere" / "out"),
                                         "--db", outside.target(db_path)])
    assert mistyped.exit_code == 2 and "give a folder that exists" in mistyped.output
    assert not (tmp_path / "nowhere").exists()


def test_the_pdf_speaks_to_the_person_and_the_copy_keeps_the_record_as_held(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path) -> None:
    """The warnings section told the person about 'the customer' and 'they' (the app's own
    words for a warning given in the local-resolution letter): it now says 'you'. A warning
    letter's summary, a person's record, is shown as recorded; the JSON copy keeps both."""
    crm = actors[Role.CRM]
    prior_warnings.record_warning(crm, case_ref, datetime(2026, 10, 1).date(),
                                  "Warned him the contact must reduce")
    done = export_subject_access(crm, case_ref, "SAR-2026-115", tmp_path, "Northmere")
    text = _pdf_text(done.pdf)
    warnings = text[text.index("Warnings"):text.index("Referrals")]
    assert "told the customer" not in warnings and " they " not in warnings
    assert ("How: in the local-resolution letter written to you What you were told: that if "
            "the behaviour the letter described continued, the council might restrict how "
            "you contact it") in warnings
    assert ("How: in a separate warning letter to you What the letter said, as recorded: "
            "Warned him the contact must reduce") in warnings
    held = {row["summary"] for row in json.loads(done.json.read_text())["records"][
        "prior_warning"]}
    assert held == {prior_warnings.IN_LETTER_SUMMARY, "Warned him the contact must reduce"}
    assert "REDACTION" not in text and "NOT FOR RELEASE" not in text  # the reviewer's, apart
    assert "From customer" not in text and "To customer" not in text  # the officers' words
    assert re.search(r"How: \w[\w ]*, from you", text)


def test_a_destroyed_file_is_said_so_and_a_typo_is_a_typing_error(
        actors: dict[Role, Actor], tmp_path: Path, acting_as: object, db_path: Path) -> None:
    # Round 9: a destroyed file's reference exited 1 with "no customer", as a typo did.
    from datetime import date

    from crm_tui.db.models import Tombstone

    Tombstone.create(case_reference="UPV-2019-0099", service_area="Housing Services",
                     opened_on=date(2019, 3, 1), destroyed_on=date(2026, 12, 1),
                     destroyed_by="Alex Morgan")
    with pytest.raises(NotFound, match="UPV-2019-0099 was destroyed on 1 Dec 2026"):
        export_subject_access(actors[Role.CRM], "UPV-2019-0099", "SAR-9", tmp_path / "o", "C")
    with pytest.raises(NotKnown, match='no customer or case "UPV-2019-0098"'):
        export_subject_access(actors[Role.CRM], "UPV-2019-0098", "SAR-9", tmp_path / "o", "C")
    acting_as("officer")  # type: ignore[operator]
    typo = CliRunner().invoke(main, ["sar", "UPV-2019-0098", "--reason", "SAR-9", "--db",
                                     outside.target(db_path)])
    assert typo.exit_code == 2 and "CUSTOMER: no customer or case" in typo.output
    gone = CliRunner().invoke(main, ["sar", "UPV-2019-0099", "--reason", "SAR-9", "--db",
                                     outside.target(db_path)])
    assert gone.exit_code == 1 and "only its tombstone is kept" in gone.output
    assert not (tmp_path / "o").exists()


def test_each_section_reads_in_date_order_and_each_name_once(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path) -> None:
    """Rows held in any order (post filed on arrival, entered later) read in the order things
    happened; the redaction review lists a place list in that order too (not the alphabet's
    "10 Nov" before "9 Nov"), and a member of staff typed in by name is one line, not two."""
    from crm_tui.services.retention.subject_access_content import describe

    for day, officer in ((10, "Jo Bloggs"), (9, "Jo Bloggs"), (11, "robin hale")):
        contacts.log_contact(actors[Role.OFFICER], case_ref, ContactInput(
            at=datetime(2026, 11, day, 9, 0), channel=Channel.EMAIL,
            direction=Direction.INBOUND, service_area="Housing Services",
            officer_name=officer, summary="Chased the same answer", duration_minutes=5))
    customer = Customer.get(Customer.id == Case.get(Case.reference == case_ref).customer_id)
    done = export_subject_access(actors[Role.CRM], customer.reference, "SAR-1", tmp_path,
                                 "Council")
    robin = [ln for ln in done.review.read_text().splitlines() if "Robin Hale" in ln
             or "robin hale" in ln]
    assert len(robin) == 1 and robin[0].startswith("  Robin Hale (Service area manager) — ")
    assert any(place.startswith("Contact, 11 Nov 2026 09:00")  # typed in, and on the staff
               for place in _places(done.review.read_text(), "Robin Hale"))
    records = json.loads(done.json.read_text())["records"]
    base = {"case": records["case"][0]["id"], "outcome": None, "note": "", "passed_to": ""}
    records["screening_item"] = [{**base, "id": 2, "arrived_at": "2026-11-20T09:00:00"},
                                 {**base, "id": 1, "arrived_at": "2026-11-21T09:00:00"},
                                 {**base, "id": 3, "arrived_at": "2026-11-03T09:00:00"}]
    everyone = {a.user_id: a for a in ()}  # nobody on staff: names typed in count as others
    sections, review = describe(customer, records, everyone, "SAR-1", actors[Role.CRM],
                                datetime(2026, 12, 2, 9, 0))
    [post] = [s for s in sections if s.title.startswith("Post read")]
    assert [r.heading[:19] for r in post.records] == \
        ["Item of 3 Nov 2026 ", "Item of 20 Nov 2026", "Item of 21 Nov 2026"]
    places = "\n".join(_places(review, "Jo Bloggs"))
    assert places.index("9 Nov 2026") < places.index("10 Nov 2026")


def _places(review: str, name: str) -> list[str]:
    """The places listed under a name in the redaction review, one a line."""
    lines = review.splitlines()
    [start] = [i for i, line in enumerate(lines) if line.startswith(f"  {name}")]
    block = []
    for line in lines[start + 1:]:
        if not line.startswith("      "):
            break
        block.append(line.strip())
    return block


def test_the_redaction_review_lists_every_place_a_name_is_found(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path) -> None:
    """Found when tried (b16f F7): an officer named on 317 contacts was listed with six
    places "… and 311 more", leaving the reviewer to search the JSON for the rest. Every
    place is listed, one a line under the name, with their count."""
    for day in range(3, 13):
        contacts.log_contact(actors[Role.OFFICER], case_ref, ContactInput(
            at=datetime(2026, 11, day, 9, 30), channel=Channel.EMAIL,
            direction=Direction.INBOUND, service_area="Housing Services",
            officer_name="Jo Bloggs", summary="Asked again about the bins",
            duration_minutes=5))
    customer = Customer.get(Customer.id == Case.get(Case.reference == case_ref).customer_id)
    done = export_subject_access(actors[Role.CRM], customer.reference, "SAR-2026-031",
                                 tmp_path, "Council")
    review = done.review.read_text()
    places = _places(review, "Jo Bloggs")
    assert len(places) == 11 and "more" not in review  # 10 here, 1 from the fixture
    assert "  Jo Bloggs — 11 places:" in review.splitlines()
    for day in range(3, 13):
        assert any(p.startswith(f"Contact, {day} Nov 2026 09:30 ({case_ref})") for p in places)


def test_a_destroyed_customers_reference_is_answered_as_their_files(
        actors: dict[Role, Actor], tmp_path: Path, acting_as: object, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16 (breaker 3, finding 7e): after the destruction of a customer's last file,
    `sar UPV-…` said "was destroyed" (exit 1) and `sar C…` "no customer or case" (exit 2).
    The tombstone keeps the customer's reference: the same words and exit by either; and no
    new customer is given the destroyed one's reference (the highest id came free)."""
    from crm_tui.domain.states import CaseState
    from crm_tui.services.retention import archive

    crm = actors[Role.CRM]
    ref = builders.at_state(actors, CaseState.ARCHIVED)
    customer = Customer.get_by_id(Case.get(Case.reference == ref).customer_id).reference
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(crm, ref)
    for typed in (ref, customer):
        with pytest.raises(NotFound, match=f"^{ref} was destroyed on 1 Dec 2032: only its "):
            export_subject_access(crm, typed, "SAR-9", tmp_path / "o", "C")
    acting_as("crm")  # type: ignore[operator]
    said = [CliRunner().invoke(main, ["sar", typed, "--reason", "SAR-9",
                                      "--db", outside.target(db_path)])
            for typed in (ref, customer)]
    assert [r.exit_code for r in said] == [1, 1], [r.output for r in said]
    assert said[0].output == said[1].output
    assert not (tmp_path / "o").exists()
    new = Case.get(Case.reference == builders.referred(actors)).customer_id
    assert Customer.get_by_id(new).reference != customer


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_a_document_changed_or_missing_in_the_store_stops_the_answer(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path, acting_as: object,
        db_path: Path, damage: str) -> None:
    """Found when tried: a document altered in the store was released to the person as the
    council's record, and a missing one listed in their PDF as enclosed, exit 0. Refused
    before anything is written, naming the document, through the service and the command."""
    from crm_tui.services.core.evidence_store import evidence_store

    (item,) = documents.list_documents(actors[Role.CRM], case_ref)
    stored = evidence_store().path_for(item.sha256)
    if damage == "changed":
        stored.chmod(0o600)
        stored.write_bytes(stored.read_bytes() + b" And a line added in the store.")
    else:
        stored.unlink()
    entries = AuditEntry.select().count()
    with pytest.raises(ValidationError, match=f'"their email.txt" is {damage}'):
        export_subject_access(actors[Role.CRM], case_ref, "SAR-2026-115", tmp_path / "out",
                              "Northmere City Council")
    acting_as("officer")  # type: ignore[operator]
    (tmp_path / "out").mkdir()
    refused = CliRunner().invoke(main, ["sar", case_ref, "--reason", "SAR-2026-115", "--out",
                                        str(tmp_path / "out"), "--db", outside.target(db_path)])
    assert refused.exit_code == 1, refused.output
    assert "the evidence store is not whole, so no answer was written" in refused.output
    assert list((tmp_path / "out").iterdir()) == []
    assert AuditEntry.select().count() == entries


def test_the_summary_gives_when_restrictions_were_first_imposed(demo_db: Path,
                                                                tmp_path: Path) -> None:
    """Found when tried: UPV-2025-0001's restrictions were imposed and later extended; the
    person's summary gave the extension's date as the day they began (the demo as of the
    suite's frozen today: imposed 24 Oct 2025, extended 29 Jan 2026)."""
    import shutil

    from crm_tui.db.connection import open_database
    from crm_tui.services.core.users import resolve_actor

    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db, path)
    shutil.copytree(demo_db.parent / "demo-evidence", tmp_path / "demo-evidence")
    database = open_database(path)
    try:
        done = export_subject_access(resolve_actor("ceri.hughes"), "UPV-2025-0001",
                                     "SAR-2026-300", tmp_path, "Northmere City Council")
    finally:
        database.close()
    text = _pdf_text(done.pdf)
    assert "Restrictions from: 24 Oct 2025 (its latest terms from 29 Jan 2026)" in text


def test_a_service_area_renamed_in_the_database_stops_the_answer(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path, db_path: Path) -> None:
    """The answer names the service area of each contact and referral to the person as the
    council's record: an area renamed in the database (issue 16) is not printed as one."""
    from crm_tui.services.core.team_seal import AreasChanged

    with outside.connect(db_path) as con:
        con.execute("UPDATE service_area SET name = 'Fraud Investigation' "
                    "WHERE name = 'Housing Services'")
    con.close()
    entries = AuditEntry.select().count()
    with pytest.raises(AreasChanged, match="The subject access answer was not made: service "
                       "area 1 is not as entry"):
        export_subject_access(actors[Role.CRM], case_ref, "SAR-2026-116", tmp_path / "out",
                              "Northmere City Council")
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert AuditEntry.select().count() == entries


def _sizes(path: Path) -> list[tuple[float, str]]:
    """(size in points, text) of every piece of text on the pages, as the letters' tests read
    them."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            scale = (abs(tm[0] * cm[0] + tm[1] * cm[2]) ** 2
                     + abs(tm[0] * cm[1] + tm[1] * cm[3]) ** 2) ** 0.5
            found.append((size * scale, text.strip()))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize(("recorded", "expected"), [(18, 18), (None, 16)])
def test_the_pdf_is_in_the_large_print_the_person_needs(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path, recorded: int | None,
        expected: int) -> None:
    """Found when tried (b16f F10): a customer recorded as needing 16 pt large print got their
    subject access answer in 10 pt, with "Contact needs: large_print". Their size as their
    letters use it (the recorded size, else 16 pt where they need large print), everywhere
    on the page, and their needs in the screens' words."""
    customer = Customer.get(Customer.id == Case.get(Case.reference == case_ref).customer_id)
    crm = actors[Role.CRM]
    set_contact_needs(crm, case_ref, (ContactNeed.LARGE_PRINT, ContactNeed.TELEPHONE))
    held = customer_details.details(crm, case_ref)
    customer_details.set_details(crm, case_ref, replace(held, large_print_pt=recorded))
    done = export_subject_access(actors[Role.CRM], customer.reference, "SAR-2026-032",
                                 tmp_path, "Northmere City Council")
    sizes = _sizes(done.pdf)
    small = [(round(s, 1), t) for s, t in sizes if s < expected - 0.05]
    assert sizes and not small, small[:5]
    text = _pdf_text(done.pdf)
    assert "Contact needs: Needs to be able to telephone, Letters in large print" in text
    assert "large_print" not in text


def test_the_pdf_is_in_the_standard_size_without_a_large_print_need(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path) -> None:
    customer = Customer.get(Customer.id == Case.get(Case.reference == case_ref).customer_id)
    done = export_subject_access(actors[Role.CRM], customer.reference, "SAR-2026-033",
                                 tmp_path, "Northmere City Council")
    body = [s for s, _ in _sizes(done.pdf)]
    assert min(body) == pytest.approx(8) and max(body) == pytest.approx(16)


def test_the_copy_names_no_other_customer_shown_as_a_likely_match(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path) -> None:
    """A referral's audit entry names the customers shown as likely the same person; the JSON
    copy printed it as held, so one person's answer held another customer's reference (found
    by a fixer reading it, fixBO). The person's own reference stays; others are withheld."""
    from crm_tui.services.core import audit
    from crm_tui.services.core.database import session
    from crm_tui.services.retention.subject_access import WITHHELD

    customer = Customer.get(Customer.id == Case.get(Case.reference == case_ref).customer_id)
    with session():
        audit.record(actors[Role.OFFICER], "record_referral", case_ref, "Referral recorded",
                     payload={"customer_match": {"said": "the same person",
                                                 "customer": customer.reference,
                                                 "likely": [customer.reference, "C000777"],
                                                 "other_areas_only": ["C000888"]}})
    done = export_subject_access(actors[Role.CRM], customer.reference, "SAR-2026-115 by post",
                                 tmp_path / "exports", "Northmere City Council")
    written = done.json.read_text()
    assert "C000777" not in written and "C000888" not in written
    copy = json.loads(written)
    details = [json.loads(e["details"]) if isinstance(e["details"], str) else e["details"]
               for e in copy["audit_trail"]]
    [match] = [d["customer_match"] for d in details
               if isinstance(d, dict) and "customer_match" in d]
    assert match["likely"] == [customer.reference, WITHHELD]
    assert match["other_areas_only"] == [WITHHELD] and match["customer"] == customer.reference


def test_the_copy_writes_control_characters_and_overrides_as_escapes(
        actors: dict[Role, Actor], case_ref: str, tmp_path: Path) -> None:
    """Found when tried: the JSON copy kept a right-to-left override (U+202E) and C1 control
    characters (U+0085, U+009B: a terminal's single-byte CSI) raw, as stored before the rule
    that refuses them (or by hand): `cat` or an editor showing the copy obeyed them. They are
    now written as JSON escapes (the value read back is the same); letters such as é and ł
    stay as they are."""
    stored = "Rang Mr Kowalski\u202eevil \x85next line \x9b2J about the bins, Zofia Łęcka, café"
    customer = Customer.get(Customer.id == Case.get(Case.reference == case_ref).customer_id)
    with builders.as_the_app(case_ref):
        ContactLogEntry.update(summary=stored).where(
            ContactLogEntry.customer == customer).execute()
    done = export_subject_access(actors[Role.CRM], customer.reference, "SAR-2026-116 by post",
                                 tmp_path / "exports", "Northmere City Council")
    written = done.json.read_text(encoding="utf-8")
    assert not re.search("[\x7f-\x9f\u202a-\u202e]", written)
    assert "Rang Mr Kowalski\\u202eevil \\u0085next line \\u009b2J about the bins" in written
    assert "Zofia Łęcka, café" in written  # ordinary letters kept, not \u0141
    [entry] = json.loads(written)["records"]["contact_log_entry"]
    assert entry["summary"] == stored
