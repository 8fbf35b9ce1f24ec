"""A customer's contact log is theirs across cases: a service area manager's case of a
customer who also has another area's case must not list that area's contacts (v16h H0: the
case file, log sheet and figures of a Housing case of Mr Cattermole showed the 178 contacts of
his Council Tax and Benefits case to the Housing manager). The team sees them all."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from crm_tui.db.models import Case, ContactLogEntry, Customer
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence import analysis, log_sheet
from crm_tui.services.evidence.analysis import Period
from crm_tui.services.evidence.log_sheet import ContactFilter
from crm_tui.services.intake import case_file
from crm_tui.services.intake.referral_import import import_referral
from tests.unit.services.intake.test_inbox_services import SAMPLE

ALL_TIME = (date(1900, 1, 1), date(2100, 1, 1))
ALL = Period(*ALL_TIME, "all time")


@pytest.fixture
def housing_case(demo: Path, tmp_path: Path) -> str:
    """A Housing Services referral the team linked to Mr Cattermole, whose other case is
    Council Tax and Benefits'."""
    cattermole = Customer.get(Customer.name == "Mr Oswin Cattermole")
    path = tmp_path / "referral.json"
    path.write_text(json.dumps({**SAMPLE, "referred_by": "hannah.okafor", "evidence": [],
                                "customer": {"reference": cattermole.reference}}),
                    encoding="utf-8")
    return import_referral(resolve_actor("ceri.hughes"), path).reference


def test_a_manager_reads_only_their_areas_contacts_of_a_shared_customer(
        housing_case: str) -> None:
    case = Case.get(Case.reference == housing_case)
    theirs = ContactLogEntry.select().where(ContactLogEntry.customer == case.customer)
    others = theirs.where(ContactLogEntry.case != case).count()
    assert others > 100  # the Council Tax and Benefits case's
    hannah, ceri = resolve_actor("hannah.okafor"), resolve_actor("ceri.hughes")
    everything = ContactFilter(*ALL_TIME)

    seen = case_file.case_file(hannah, housing_case)
    assert (seen.contacts_total, seen.contacts_shown) == (0, 0)
    assert not [e for e in seen.timeline if e.kind == "contact"]
    assert log_sheet.page(hannah, housing_case, everything).total == 0
    assert analysis.analyse(hannah, housing_case, ALL).total == 0

    team = case_file.case_file(ceri, housing_case)
    assert team.contacts_total == theirs.count()
    assert log_sheet.page(ceri, housing_case, everything).total == theirs.count()
    assert analysis.analyse(ceri, housing_case, ALL).total == theirs.count()


def test_a_manager_cannot_reach_another_areas_contact_by_its_id(housing_case: str) -> None:
    """fixBO: the steps that find a contact by its id on a case — its tags, the compliance
    check said when it was logged, correcting it — found it among the customer's contacts
    only, so the Housing manager reached a Council Tax and Benefits case's contact by its id.
    Each is refused as no contact on the case, in the service (the screens and the command
    line alike), and nothing is written; the team still reaches it."""
    from crm_tui.domain.contact import Channel, Direction
    from crm_tui.domain.errors import NotFound
    from crm_tui.services.evidence import contacts, tagging
    from crm_tui.services.evidence.contact_input import ContactInput
    from crm_tui.services.restrictions import compliance

    case = Case.get(Case.reference == housing_case)
    other = (ContactLogEntry.select().where((ContactLogEntry.customer == case.customer)
                                            & (ContactLogEntry.case != case)
                                            & (ContactLogEntry.direction == "inbound"))
             .order_by(ContactLogEntry.id).first())
    assert other is not None and other.case.service_area.name == "Council Tax and Benefits"
    hannah, ceri = resolve_actor("hannah.okafor"), resolve_actor("ceri.hughes")
    said = f"no contact {other.id} on {housing_case}"
    entry = ContactInput(at=other.at, channel=Channel(other.channel),
                         direction=Direction.INBOUND, service_area="Housing Services",
                         officer_name="Hannah Okafor", summary="Rang about the rent account")

    with pytest.raises(NotFound, match=said):
        tagging.current_tags(hannah, housing_case, tagging.EvidenceKind.CONTACT, other.id)
    with pytest.raises(NotFound, match=said):
        compliance.verdict_for(hannah, housing_case, other.id)
    with pytest.raises(NotFound, match=said):
        contacts.correct_contact(hannah, housing_case, other.id, entry,
                                 "The wrong area was recorded")
    after = ContactLogEntry.get_by_id(other.id)
    assert (after.summary, after.service_area_id, after.version) == (
        other.summary, other.service_area_id, other.version)

    # The team reads every case: the same contact, by the same id, is theirs to check.
    assert tagging.current_tags(ceri, housing_case, tagging.EvidenceKind.CONTACT,
                                other.id) == tagging.current_tags(
        ceri, other.case.reference, tagging.EvidenceKind.CONTACT, other.id)
    compliance.verdict_for(ceri, housing_case, other.id)
