"""Weighing the evidence: matters and repeats, tags, links, the paged log sheet, figures that
open exactly the contacts behind them, a chosen period and the PDF bundle."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from crm_tui.db.models import AuditEntry, ContactLogEntry, Restriction
from crm_tui.domain.categories import BehaviourCategory as B
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import NotFound, PermissionDenied, ValidationError
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import analysis, bundle, contacts, log_sheet, matters, tagging
from crm_tui.services.evidence.analysis import Period
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.log_sheet import ContactFilter
from crm_tui.services.evidence.tagging import EvidenceKind
from tests import builders

PERIOD = Period(date(2026, 10, 1), date(2026, 11, 27), "test")


def _log(actors: dict[Role, Actor], ref: str, at: datetime, *, summary: str = "x",
         channel: Channel = Channel.EMAIL, categories: tuple[B, ...] = ()) -> int:
    return contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=channel, direction=Direction.INBOUND, service_area="Housing Services",
        officer_name="Aisha", summary=summary, categories=categories))


def _last_audit(action: str) -> AuditEntry:
    return (AuditEntry.select().where(AuditEntry.action == action)
            .order_by(AuditEntry.seq.desc()).get())


# -- matters and repeats ---------------------------------------------------------------------
def test_contacts_after_a_matter_closed_are_repeats(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    crm = actors[Role.CRM]
    gutter = matters.open_matter(crm, ref, "Gutter repair")
    before = _log(actors, ref, datetime(2026, 10, 5, 9, 0))
    same_day = _log(actors, ref, datetime(2026, 10, 10, 9, 0))
    after = _log(actors, ref, datetime(2026, 10, 20, 9, 0))
    unrelated = _log(actors, ref, datetime(2026, 10, 21, 9, 0))
    for contact in (before, same_day, after):
        tagging.set_matter(crm, ref, contact, gutter)
    matters.close_matter(crm, ref, gutter, date(2026, 10, 10), "Stage 2 answered")

    result = analysis.analyse(crm, ref, PERIOD)
    assert result.repeats == 1
    assert result.repeats_by_matter == [(gutter, "Gutter repair", 1)]
    page = log_sheet.page(crm, ref, result.base.narrowed("repeats", repeats=True))
    assert [r.id for r in page.rows] == [after]
    assert page.rows[0].repeat and page.rows[0].matter == "Gutter repair"
    assert unrelated not in [r.id for r in page.rows]
    [info] = matters.list_matters(crm, ref)
    assert (info.closed_on, info.contacts) == (date(2026, 10, 10), 3)

    matters.reopen_matter(crm, ref, gutter, "Closed in error: stage 2 not yet answered")
    assert analysis.analyse(crm, ref, PERIOD).repeats == 0


def test_matter_rules(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    crm = actors[Role.CRM]
    matter = matters.open_matter(crm, ref, "Council tax bill")
    with pytest.raises(ValidationError, match="already a matter"):
        matters.open_matter(crm, ref, " Council tax bill ")
    with pytest.raises(ValidationError) as future:
        matters.close_matter(crm, ref, matter, date(2026, 12, 1), "answered")
    assert future.value.field == "closed_on"
    with pytest.raises(ValidationError) as blank:
        matters.close_matter(crm, ref, matter, date(2026, 11, 1), "  ")
    assert blank.value.field == "outcome"
    with pytest.raises(ValidationError):
        matters.reopen_matter(crm, ref, matter, "")
    with pytest.raises(PermissionDenied):
        matters.open_matter(actors[Role.SERVICE_AREA_MANAGER], ref, "Bins")
    # v15 N8: the letter names a closed matter to the customer by its title, so a title it
    # could not print is refused when given, by the letter's rule.
    for title, why in (("Gutter repair [/b] 2026", "internal wording “[”"),
                       ("Repair of 01/02/2026", "a date in figures")):
        with pytest.raises(ValidationError, match="cannot be printed in a letter") as unfit:
            matters.open_matter(crm, ref, title)
        assert unfit.value.field == "title" and why in unfit.value.message
    other = builders.at_state(actors, CaseState.NEW)
    with pytest.raises(NotFound):
        matters.close_matter(crm, other, matter, date(2026, 11, 1), "answered")
    assert [m.closed_on for m in matters.list_matters(crm, ref)] == [None]


# -- tags and links -------------------------------------------------------------------------
def test_tagging_a_contact_records_before_and_after(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    contact = _log(actors, ref, datetime(2026, 10, 5, 9, 0), categories=(B.SCATTERGUN,))
    tagging.tag(actors[Role.OFFICER], ref, EvidenceKind.CONTACT, contact,
                (B.EXCESSIVE_DEMANDS, B.OFFENSIVE_REMARKS))
    assert tagging.current_tags(actors[Role.CRM], ref, EvidenceKind.CONTACT, contact) == (
        B.EXCESSIVE_DEMANDS, B.OFFENSIVE_REMARKS)
    payload = json.loads(_last_audit("tag_contact").payload)
    assert payload["before"] == ["SCATTERGUN"]
    assert payload["after"] == ["EXCESSIVE_DEMANDS", "OFFENSIVE_REMARKS"]
    with pytest.raises(PermissionDenied):
        tagging.tag(actors[Role.HEAD_OF_SERVICE], ref, EvidenceKind.CONTACT, contact, ())
    other = builders.at_state(actors, CaseState.NEW)
    with pytest.raises(NotFound):  # a contact of another customer
        tagging.tag(actors[Role.CRM], other, EvidenceKind.CONTACT, contact, ())


def test_links_to_referral_and_restriction(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    crm = actors[Role.CRM]
    contact = _log(actors, ref, datetime(2026, 11, 20, 9, 0))
    targets = tagging.link_targets(crm, ref, EvidenceKind.CONTACT, contact)
    kinds = [t.key.split(":")[0] for t in targets]
    assert "referral" in kinds and "restriction" in kinds
    assert not any(t.linked for t in targets)
    in_force = Restriction.get(Restriction.status == "in_force").id
    draft = builders.draft(actors, ref, by=Role.CRM)  # set out again, to vary
    targets = tagging.link_targets(crm, ref, EvidenceKind.CONTACT, contact)
    for target in targets:
        if target.key == f"restriction:{in_force}":  # what the decision rested on stays
            with pytest.raises(ValidationError, match="in force: the evidence a decision"):
                tagging.toggle_link(crm, ref, EvidenceKind.CONTACT, contact, target.key)
            continue
        assert tagging.toggle_link(crm, ref, EvidenceKind.CONTACT, contact, target.key)
    assert f"restriction:{draft}" in [t.key for t in targets]
    page = log_sheet.page(crm, ref, ContactFilter(date(2026, 11, 1), date(2026, 11, 28)))
    [row] = [r for r in page.rows if r.id == contact]
    # The restriction named by its kind, never by its row's number (b15e F10).
    assert "referral" in row.links and any(x.endswith(" restriction") for x in row.links)
    assert not any(str(draft) in x for x in row.links), row.links
    assert not tagging.toggle_link(crm, ref, EvidenceKind.CONTACT, contact, targets[0].key)
    assert not tagging.link_targets(crm, ref, EvidenceKind.CONTACT, contact)[0].linked
    with pytest.raises(ValidationError):
        tagging.toggle_link(crm, ref, EvidenceKind.CONTACT, contact, "case:1")
    with pytest.raises(NotFound):
        tagging.toggle_link(crm, ref, EvidenceKind.CONTACT, contact, "referral:9999")


def test_an_ended_restrictions_evidence_cannot_change(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    contact = _log(actors, ref, datetime(2026, 11, 20, 9, 0))
    restriction = Restriction.select().where(Restriction.status == "in_force").get()
    Restriction.update(status="ended").where(Restriction.id == restriction.id).execute()
    with pytest.raises(ValidationError, match="ended"):
        tagging.toggle_link(actors[Role.CRM], ref, EvidenceKind.CONTACT, contact,
                            f"restriction:{restriction.id}")


# -- the paged log sheet and the figures behind it ------------------------------------------
def test_log_sheet_pages_newest_first_without_gaps(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    ids = [_log(actors, ref, datetime(2026, 10, 1 + i // 3, 9, 0)) for i in range(25)]
    f = ContactFilter(PERIOD.start, PERIOD.end)
    seen, after = [], None
    while True:
        got = log_sheet.page(actors[Role.CRM], ref, f, after, size=7)
        assert got.total == 25
        seen += [r.id for r in got.rows]
        if got.next_after is None:
            break
        after = got.next_after
    assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen))
    ats = [ContactLogEntry.get_by_id(i).at for i in seen]
    assert ats == sorted(ats, reverse=True)


def test_every_figure_opens_exactly_its_contacts(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    crm = actors[Role.CRM]
    matter = matters.open_matter(crm, ref, "Bins")
    for day, hour, channel, cats in ((5, 9, Channel.EMAIL, (B.SCATTERGUN,)),
                                     (11, 23, Channel.TELEPHONE, (B.OFFENSIVE_REMARKS,)),
                                     (12, 7, Channel.TELEPHONE, ()),
                                     (20, 14, Channel.LETTER, (B.SCATTERGUN,))):
        contact = _log(actors, ref, datetime(2026, 10, day, hour, 0), channel=channel,
                       categories=cats)
        tagging.set_matter(crm, ref, contact, matter)
    _log(actors, ref, datetime(2026, 11, 2, 10, 0), categories=(B.SCATTERGUN,))
    matters.close_matter(crm, ref, matter, date(2026, 10, 11), "Collections checked")
    result = analysis.analyse(crm, ref, PERIOD)
    figures = result.figures()
    assert {f.section for f in figures} >= {"Totals", "Repeats by matter", "By channel",
                                             "By service area", "By officer", "By week"}
    for figure in figures:
        assert log_sheet.page(crm, ref, figure.filter).total == figure.count, figure.label
    for category in B:
        for i, month in enumerate(result.matrix_months):
            total = log_sheet.page(crm, ref, result.cell(category, month)).total
            assert total == result.matrix[category][i]
    assert result.repeats == 2  # the 12th and the 20th, after closure on the 11th


def test_a_chosen_period_is_checked() -> None:
    with pytest.raises(ValidationError) as backwards:
        analysis.check_period(date(2026, 11, 1), date(2026, 10, 1))
    assert backwards.value.field == "end"
    with pytest.raises(ValidationError) as future:
        analysis.check_period(date(2026, 12, 1), date(2026, 12, 31))
    assert future.value.field == "start"
    with pytest.raises(ValidationError):
        analysis.check_period(date(2020, 1, 1), date(2026, 11, 1))
    assert analysis.check_period(date(2026, 6, 1), date(2026, 11, 28)).label == "chosen period"


# -- the bundle -----------------------------------------------------------------------------
def test_the_bundle_says_a_closed_matter_in_prose(actors: dict[Role, Actor]) -> None:
    """Round 12: the bundle said a matter was "closed 07 Sep 2025" beside "5 Dec 2026"
    elsewhere: a day in a sentence has no leading zero (typed_dates.in_prose)."""
    ref = builders.at_state(actors, CaseState.NEW)
    crm = actors[Role.CRM]
    gutter = matters.open_matter(crm, ref, "Gutter repair")
    matters.close_matter(crm, ref, gutter, date(2025, 9, 7), "Stage 2 answered")
    content = bundle.bundle_content(crm, ref, "Northmere City Council", PERIOD)
    assert content.matters == [("Gutter repair", "closed 7 Sep 2025: Stage 2 answered", 0)]
    assert "1 October 2026 to 27 November 2026" in content.period


def test_evidence_bundle_pdf(actors: dict[Role, Actor], tmp_path: Path) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    crm = actors[Role.CRM]
    _log(actors, ref, datetime(2026, 10, 5, 9, 0), categories=(B.SCATTERGUN,),
         summary="Said <b>URGENT</b> & demanded Siân from Łódź")
    path = bundle.export_bundle(crm, ref, tmp_path / "out", "Northmere City Council", PERIOD)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(path.parent.glob("*.partial"))
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in ("Evidence bundle", "Index", "1. What the evidence shows",
                    "2. Behaviour by month", "3. Matters raised", "4. Documents",
                    "5. Decisions and the Head of Service's views",
                    "No decision has been made on this case.", "6. Log sheet (1 contact)"):
        assert heading in text
    assert "<b>URGENT</b>" in text and "Siân" in text and "Łódź" in text
    fonts = {str(f.get("/BaseFont")) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any("DejaVuSans" in f for f in fonts)
    entry = _last_audit("export_evidence_bundle")
    assert json.loads(entry.payload)["file"] == path.name


def test_a_placeholder_is_no_matter_and_no_account_of_how_it_was_dealt_with(
        actors: dict[Role, Actor]) -> None:
    """Round 12: a matter closed as "n/a" and one named "-" were recorded (a reopening's
    "n/a" was refused): refused, by the rules of domain.grounds, nothing stored."""
    from crm_tui.domain.errors import Placeholder

    ref = builders.at_state(actors, CaseState.NEW)
    crm = actors[Role.CRM]
    with pytest.raises(Placeholder) as named:
        matters.open_matter(crm, ref, "-")
    assert named.value.field == "title" and "names nothing" in named.value.message
    matter = matters.open_matter(crm, ref, "Council tax bill")
    for how in ("n/a", "TBC", "-"):
        with pytest.raises(Placeholder) as dealt:
            matters.close_matter(crm, ref, matter, date(2026, 11, 1), how)
        assert dealt.value.field == "outcome"
    assert [(m.title, m.closed_on) for m in matters.list_matters(crm, ref)] == [
        ("Council tax bill", None)]
