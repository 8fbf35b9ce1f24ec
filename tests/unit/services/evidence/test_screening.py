"""The screening queue through the services: what is queued and withdrawn, the three outcomes,
an outcome given once, who may give it (written out by hand from the policy), read-by dates
in working days on the home screen and in the calendar, and the command line."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.config import Config
from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, Matter, Restriction, ScreeningItem, database_proxy
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import NotFound, PermissionDenied, RequirementMissing, ValidationError
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.domain.states import CaseState
from crm_tui.services.core import settings
from crm_tui.services.core.inputs import RestrictionDraft
from crm_tui.services.evidence import contacts, matters, screening, tagging
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.screening import ScreeningDecision
from crm_tui.services.intake import queries
from crm_tui.services.restrictions import decisions
from crm_tui.services.retention import archive
from crm_tui.services.reviews import calendar
from tests import builders, dumps, outside
from tests.builders import TOLD

FILED = ScreeningDecision(ScreeningOutcome.FILED, note="Same points as before")
PASSED_ON = ScreeningDecision(ScreeningOutcome.PASSED_ON, passed_to="Jo Carter, duty social "
                              "worker", passed_how="Telephoned the duty line at 10:05")


def _dump() -> list[str]:
    return dumps.dump()


def restricted(actors: dict[Role, Actor]) -> str:
    """A letter-only case, in force since 2 November so that November's post falls under it
    (a restriction cannot start before its decision, which the builders take today)."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with builders.as_the_app(ref):
        Restriction.update(starts_on=date(2026, 11, 2)).where(
            Restriction.status == "in_force").execute()
    return ref


def post(actors: dict[Role, Actor], ref: str, at: datetime, channel: Channel = Channel.EMAIL,
         summary: str = "Same complaint again", direction: Direction = Direction.INBOUND,
         officer: str = "Sam Patel") -> int:
    return contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=at, channel=channel, direction=direction, service_area="Housing Services",
        officer_name=officer, summary=summary))


def item_of(contact: int) -> ScreeningItem:
    return ScreeningItem.get(ScreeningItem.contact == contact)


def test_contacts_on_a_closed_channel_are_queued_and_others_are_not(
        actors: dict[Role, Actor]) -> None:
    ref = restricted(actors)
    emailed = post(actors, ref, datetime(2026, 11, 25, 9, 0))
    wrote = post(actors, ref, datetime(2026, 11, 25, 9, 5), Channel.LETTER)
    replied = post(actors, ref, datetime(2026, 11, 25, 9, 10), direction=Direction.OUTBOUND)
    before = post(actors, ref, datetime(2026, 10, 30, 9, 0))  # before the restriction started
    queued = [i.contact_id for i in ScreeningItem.select()]
    assert queued == [emailed]
    assert wrote not in queued and replied not in queued and before not in queued
    item = item_of(emailed)
    assert item.outcome == "" and "came by email" in item.reasons
    assert item.advice == ("Do not reply by email: contact is accepted only by letter; the "
                           "item is queued for screening: read it for anything new or an "
                           "emergency.")
    entry = AuditEntry.select().where(AuditEntry.action == "record_breach").get()
    assert json.loads(entry.payload)["screening"] == "queued"


def test_a_correction_withdraws_an_unread_item_but_never_a_screened_one(
        actors: dict[Role, Actor]) -> None:
    ref = restricted(actors)
    one = post(actors, ref, datetime(2026, 11, 25, 9, 0))
    two = post(actors, ref, datetime(2026, 11, 25, 9, 5))
    screening.record_outcome(actors[Role.OFFICER], item_of(two).id, FILED)
    as_letter = ContactInput(at=datetime(2026, 11, 25, 9, 0), channel=Channel.LETTER,
                             direction=Direction.INBOUND, service_area="Housing Services",
                             officer_name="Sam Patel", summary="It was a letter")
    contacts.correct_contact(actors[Role.OFFICER], ref, one, as_letter, "Logged as an email")
    contacts.correct_contact(actors[Role.OFFICER], ref, two, as_letter, "Logged as an email")
    assert [i.contact_id for i in ScreeningItem.select()] == [two]  # its reading stands
    assert item_of(two).outcome == "filed"
    withdrawn = AuditEntry.select().where(AuditEntry.action == "withdraw_from_screening").get()
    # The last entry of the save also holds the seals of the case's records (audit_seals).
    assert json.loads(withdrawn.payload)["contact"] == one


def test_post_about_a_closed_matter_is_queued_and_withdrawn_when_it_was_not(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    crm = actors[Role.CRM]
    matter = matters.open_matter(crm, ref, "Gutter repair")
    matters.close_matter(crm, ref, matter, date(2026, 6, 1), "Stage 2 answered")
    builders.draft(actors, ref, RestrictionDraft(
        RestrictionKind.NEW_ISSUES_ONLY, {"closed_issues": ["Gutter repair"]},
        reason="Same closed complaint weekly", proportionality="Only the closed matter",
        less_restrictive_considered="Letter only", still_reachable="New matters: write",
        behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,), customer_reason=TOLD))
    builders.consult(actors, ref)
    decisions.impose_restrictions(crm, ref, "Repeat complaints", builders.TERMS,
                                  read=builders.read(ref), customer_reason=TOLD)
    contact = post(actors, ref, datetime(2026, 11, 28, 9, 30), Channel.LETTER, "The gutter")
    assert not ScreeningItem.select().exists()
    tagging.set_matter(crm, ref, contact, matter)
    assert item_of(contact).advice.startswith(
        'Do not reply about the closed matter "Gutter repair"; the item is queued')
    tagging.set_matter(crm, ref, contact, None)  # sorted under the matter in error
    assert not ScreeningItem.select().exists()


def test_a_named_officer_breach_is_passed_on_not_queued(actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, drafted=False,
                            consulted=False)
    builders.reachable(actors, "officer")  # the letter gives the named officer's line
    builders.draft(actors, ref, RestrictionDraft(
        RestrictionKind.NAMED_OFFICER, {"officer": "Sam Patel", "deputy": "Alex Morgan",
                                        "officer_id": actors[Role.OFFICER].user_id},
        reason="Many officers", proportionality="One officer",
        less_restrictive_considered="Letters only: too slow", still_reachable="Emergencies: 999",
        behaviours=(BehaviourCategory.EXCESSIVE_DEMANDS,), customer_reason=TOLD))
    builders.consult(actors, ref)
    decisions.impose_restrictions(actors[Role.CRM], ref, "Scattergun", builders.TERMS,
                                  read=builders.read(ref), customer_reason=TOLD)
    contact = post(actors, ref, datetime(2026, 11, 28, 9, 30), officer="Someone Else")
    [verdict] = contacts.compliance.verdict_for(actors[Role.OFFICER], ref, contact).breaches
    assert verdict.what_to_do() == ("Pass it to Sam Patel (or Alex Morgan in their absence) "
                                    "and do not deal with it yourself.")
    assert not ScreeningItem.select().exists()


def test_the_three_outcomes_record_who_when_and_what_follows(actors: dict[Role, Actor]) -> None:
    ref = restricted(actors)
    filed, new, urgent = (post(actors, ref, datetime(2026, 11, 25, 9, minute))
                          for minute in (0, 5, 10))
    officer, crm = actors[Role.OFFICER], actors[Role.CRM]
    row = screening.record_outcome(officer, item_of(filed).id, FILED)
    assert (row.outcome, row.screened_by, row.note) == (ScreeningOutcome.FILED, "Sam Patel",
                                                       "Same points as before")
    assert row.screened_at == datetime(2026, 11, 28, 10, 0)
    row = screening.record_outcome(crm, item_of(new).id, ScreeningDecision(
        ScreeningOutcome.NEW_MATTER, title="Leak from the flat above"))
    matter = Matter.get(Matter.title == "Leak from the flat above")
    assert matter.case.reference == ref and matter.closed_on is None
    assert row.new_matter == "Leak from the flat above" and item_of(new).matter_id == matter.id
    row = screening.record_outcome(crm, item_of(urgent).id, PASSED_ON)
    assert (row.passed_to, row.passed_how, row.screened_by) == (
        "Jo Carter, duty social worker", "Telephoned the duty line at 10:05", "Alex Morgan")
    entries = list(AuditEntry.select().where(AuditEntry.action == "screen_contact")
                   .order_by(AuditEntry.seq))
    assert [(e.actor_login, json.loads(e.payload)["outcome"]) for e in entries] == [
        ("officer", "filed"), ("crm", "new_matter"), ("crm", "passed_on")]
    assert entries[0].reason == "Nothing new — filed; Same points as before"
    assert json.loads(entries[2].payload)["passed_to"] == "Jo Carter, duty social worker"
    assert screening.counts(crm).unread == 0
    # What led somewhere is on the case file's timeline; what was filed is in the queue's
    # history.
    from crm_tui.services.intake import case_file
    titles = [e.title for e in case_file.case_file(crm, ref).timeline
              if e.kind == "screened post"]
    assert sorted(titles) == [
        "Post screened: Emergency or safeguarding — passed to a named person (Alex Morgan)",
        "Post screened: New matter — opened as a matter (Alex Morgan)"]


def test_an_outcome_is_given_once(actors: dict[Role, Actor]) -> None:
    ref = restricted(actors)
    item = item_of(post(actors, ref, datetime(2026, 11, 25, 9, 0))).id
    screening.record_outcome(actors[Role.OFFICER], item, FILED)
    before = _dump()
    for actor in (actors[Role.OFFICER], actors[Role.CRM]):  # the same person, or another
        with pytest.raises(ValidationError) as again:
            screening.record_outcome(actor, item, PASSED_ON)
        assert again.value.message == (
            "this contact was already screened by Sam Patel on 28 November 2026 at 10:00 "
            "(Nothing new — filed): an outcome is given once")
    assert _dump() == before


def test_an_item_read_meanwhile_by_someone_else_is_not_given_a_second_outcome(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """Two people screening the same item at once: the second finds it read when it saves."""
    ref = restricted(actors)
    item = item_of(post(actors, ref, datetime(2026, 11, 25, 9, 0))).id
    opened = ScreeningItem.get_by_id(item)  # as the second reader loaded it: unread
    screening.record_outcome(actors[Role.OFFICER], item, FILED)
    monkeypatch.setattr(ScreeningItem, "get_or_none", classmethod(lambda cls, *a: opened))
    audit_count = AuditEntry.select().count()
    with pytest.raises(ValidationError, match="already screened by Sam Patel"):
        screening.record_outcome(actors[Role.CRM], item, PASSED_ON)
    assert AuditEntry.select().count() == audit_count
    assert ScreeningItem.get_by_id(item).outcome == "filed"


# Who may give an outcome, from the policy and domain.screening, by hand: the Complaints
# Resolution Team; not the service area manager (whose own area the complaints are often
# about), nor the Head of Service, the Service Director or the user administrator.
MAY_SCREEN = {Role.CRM: True, Role.OFFICER: True, Role.HEAD_OF_SERVICE: False,
              Role.SERVICE_DIRECTOR: False, Role.SERVICE_AREA_MANAGER: False,
              Role.USER_ADMIN: False}


@pytest.mark.parametrize("role", list(MAY_SCREEN))
def test_who_may_screen(actors: dict[Role, Actor], role: Role) -> None:
    ref = restricted(actors)
    item = item_of(post(actors, ref, datetime(2026, 11, 25, 9, 0))).id
    before = _dump()
    if MAY_SCREEN[role]:
        assert screening.record_outcome(actors[role], item, FILED).outcome is not None
        return
    with pytest.raises(PermissionDenied) as refused:
        screening.record_outcome(actors[role], item, FILED)
    assert "only the Complaints Resolution Team (the CRM and its officers) screens post " \
           "filed without reply" in str(refused.value)
    assert _dump() == before


@pytest.mark.parametrize(("decision", "field", "message"), [
    (ScreeningDecision(ScreeningOutcome.PASSED_ON, passed_how="Phoned"), "passed_to",
     "name the person the emergency or safeguarding concern was passed to"),
    (ScreeningDecision(ScreeningOutcome.PASSED_ON, passed_to="Jo Carter", passed_how="  "),
     "passed_how", "say how and when it was passed on (telephone, email, in person)"),
    (ScreeningDecision(ScreeningOutcome.NEW_MATTER), "title", "give the new matter a title"),
    (ScreeningDecision(ScreeningOutcome.FILED, note="x" * 2_001), "note",
     "is too long (2,001 characters; at most 2,000)"),
])
def test_an_incomplete_outcome_is_refused_at_its_field(
        actors: dict[Role, Actor], decision: ScreeningDecision, field: str,
        message: str) -> None:
    ref = restricted(actors)
    item = item_of(post(actors, ref, datetime(2026, 11, 25, 9, 0))).id
    before = _dump()
    with pytest.raises(ValidationError) as refused:
        screening.record_outcome(actors[Role.OFFICER], item, decision)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert _dump() == before


def test_a_new_matter_already_on_the_case_is_refused_and_nothing_is_stored(
        actors: dict[Role, Actor]) -> None:
    ref = restricted(actors)
    matters.open_matter(actors[Role.CRM], ref, "Leak")
    item = item_of(post(actors, ref, datetime(2026, 11, 25, 9, 0))).id
    before = _dump()
    with pytest.raises(ValidationError, match='"Leak" is already a matter on this case'):
        screening.record_outcome(actors[Role.OFFICER], item, ScreeningDecision(
            ScreeningOutcome.NEW_MATTER, title="Leak"))
    assert _dump() == before
    with pytest.raises(NotFound):
        screening.record_outcome(actors[Role.OFFICER], 999, FILED)


def test_a_file_with_unread_post_is_not_archived(actors: dict[Role, Actor]) -> None:
    ref = restricted(actors)
    item = item_of(post(actors, ref, datetime(2026, 11, 25, 9, 0))).id
    decisions.lift_restrictions(actors[Role.CRM], ref, "Behaviour has subsided",
                                customer_reason=TOLD)
    before = _dump()
    with pytest.raises(RequirementMissing, match="1 item of post from the customer, filed "
                                                 "without reply, still to be read"):
        archive.archive(actors[Role.CRM], ref)
    assert _dump() == before
    screening.record_outcome(actors[Role.OFFICER], item, FILED)  # read after the end
    builders.send_lifted(actors[Role.CRM], ref)  # and the customer told
    assert builders.archive_after_appeal_period(actors[Role.CRM], ref).state is CaseState.ARCHIVED


def test_read_by_dates_count_working_days_on_the_home_screen_and_calendar(
        actors: dict[Role, Actor]) -> None:
    ref = restricted(actors)  # today is Saturday 28 November 2026
    post(actors, ref, datetime(2026, 11, 25, 22, 0))  # Wednesday: to be read by Friday
    post(actors, ref, datetime(2026, 11, 26, 8, 0))  # Thursday: by Monday 30th
    crm = actors[Role.CRM]
    counts = queries.dashboard(crm)
    assert (counts.post_to_screen, counts.post_overdue) == (2, 1)
    [late] = [i for i in calendar.overdue(crm, date(2026, 11, 28), 10)[1]
              if i.kind is calendar.Obligation.SCREENING]
    assert (late.day, late.reference, late.kind.label) == (date(2026, 11, 27), ref,
                                                          "Post to screen")
    month = calendar.month(crm, 2026, 11)
    assert [(i.day, i.reference) for i in month.soon
            if i.kind is calendar.Obligation.SCREENING] == [(date(2026, 11, 30), ref)]
    assert late in month.by_day[date(2026, 11, 27)] and late.overdue(date(2026, 11, 28))
    # One working day instead of two: Thursday's post was due on Friday too.
    settings.configure(Config(screening_working_days=1))
    assert screening.counts(crm).overdue == 2
    assert [(i.day, i.reference) for i in calendar.items(crm, date(2026, 11, 20),
                                                         date(2026, 12, 5))
            if i.kind is calendar.Obligation.SCREENING] == [(date(2026, 11, 26), ref),
                                                             (date(2026, 11, 27), ref)]


def test_each_sees_the_queue_of_the_cases_they_may_see(actors: dict[Role, Actor],
                                                       people: dict[Role, Actor]) -> None:
    ref = restricted(actors)  # Housing Services
    post(actors, ref, datetime(2026, 11, 25, 9, 0))
    from crm_tui.services.core import users
    elsewhere = users.resolve_actor("manager2")  # Waste and Recycling
    assert screening.page(actors[Role.SERVICE_AREA_MANAGER]).total == 1
    assert screening.page(elsewhere).total == 0 and screening.counts(elsewhere).unread == 0
    assert queries.dashboard(elsewhere).post_to_screen == 0
    assert screening.page(actors[Role.HEAD_OF_SERVICE]).total == 1
    assert screening.page(actors[Role.USER_ADMIN]).total == 0  # reads no case
    assert queries.dashboard(actors[Role.USER_ADMIN]).post_to_screen == 0


def test_the_queue_is_paged_oldest_first_without_gaps(actors: dict[Role, Actor]) -> None:
    ref = restricted(actors)
    ids = [post(actors, ref, datetime(2026, 11, 20 + day % 3, 9, 0), summary=f"Email {day}")
           for day in range(7)]
    seen: list[int] = []
    after = None
    while True:
        found = screening.page(actors[Role.CRM], after=after, size=3)
        assert found.total == 7 and len(found.rows) <= 3
        seen += [r.contact_id for r in found.rows]
        if found.next_after is None:
            break
        after = found.next_after
    assert sorted(seen) == sorted(ids) and len(seen) == 7
    arrived = [ScreeningItem.get(ScreeningItem.contact == c).arrived_at for c in seen]
    assert arrived == sorted(arrived)
    for contact in seen[:4]:
        screening.record_outcome(actors[Role.OFFICER], item_of(contact).id, FILED)
    read = screening.page(actors[Role.CRM], screened=True, size=3)
    assert read.total == 4 and read.next_after is not None
    more = screening.page(actors[Role.CRM], screened=True, after=read.next_after, size=3)
    assert {r.contact_id for r in read.rows + more.rows} == set(seen[:4])
    assert screening.page(actors[Role.CRM], case_reference=ref.lower()).total == 3


def test_post_breached_before_the_upgrade_joins_the_queue_unread(
        actors: dict[Role, Actor], db_path: Path) -> None:
    ref = restricted(actors)
    contact = post(actors, ref, datetime(2026, 11, 25, 9, 0))
    where = outside.target(db_path)
    # The database as version 13 left it: the breach, no queue.
    con = outside.connect(db_path)
    database_proxy.obj.close()
    con.execute("DROP TABLE screening_item")
    con.execute("DELETE FROM schema_migration WHERE name = '0014_screening_queue'")
    con.commit()
    con.close()
    open_database(where)
    item = item_of(contact)
    assert item.outcome == "" and "came by email" in item.reasons and item.case.reference == ref
    [row] = screening.page(actors[Role.CRM]).rows
    assert row.advice == ("Read it for anything new or an emergency.",)


HEADER = "when,channel,direction,service_area,officer,duration_minutes,summary,categories\n"


def test_a_log_sheet_import_says_what_to_do_with_each_breach(
        actors: dict[Role, Actor], tmp_path: Path, db_path: Path, acting_as: Any) -> None:
    acting_as("officer")
    ref = restricted(actors)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(HEADER + "2026-11-24 09:10,email,inbound,Housing Services,A,0,"
                     "[bold]Again[/bold],\n2026-11-24 10:00,letter,inbound,Housing Services,A,"
                     "0,A letter,\n")
    result = CliRunner().invoke(main, ["import", "log-sheet", ref, str(sheet), "--db",
                                       outside.target(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Imported 2 contacts onto {ref}",
        "1 breach of the restrictions in force:",
        "BREACH  24 Nov 2026 09:10 Email: Contact in a particular form only: came by email; "
        "contact is accepted only by letter",
        "        What to do: Do not reply by email: contact is accepted only by letter; the "
        "item is queued for screening: read it for anything new or an emergency."]
    [row] = screening.page(actors[Role.CRM]).rows
    assert row.summary == "[bold]Again[/bold]"


def test_the_screening_commands(actors: dict[Role, Actor], db_path: Path,
                                acting_as: Any) -> None:
    ref = restricted(actors)
    item = item_of(post(actors, ref, datetime(2026, 11, 25, 9, 0), summary="Ceiling fell in")).id
    runner = CliRunner()
    base = ["screening", "--db", outside.target(db_path)]

    def run(*args: str) -> Any:
        return runner.invoke(main, [*base[:1], *args, *base[1:]])

    acting_as("manager")
    listed = run("list")
    assert listed.exit_code == 0, listed.output
    assert f"{item:>6}  25 Nov 2026 09:00  {ref}  OVERDUE    read by 27 Nov 2026  Email: " \
           "Ceiling fell in" in listed.output
    assert "What to do: Do not reply by email" in listed.output
    before = _dump()
    refused = run("record", str(item), "--outcome", "filed")
    assert refused.exit_code == 1 and "only the Complaints Resolution Team" in refused.output
    assert _dump() == before
    acting_as("officer")
    incomplete = run("record", str(item), "--outcome", "passed-on", "--how", "Phoned")
    assert incomplete.exit_code == 2  # an option left out: what was typed (round 8)
    assert "--passed-to: name the person the emergency" in incomplete.output
    # Round 8: both told at once, as the screen's dialog shows them.
    neither = run("record", str(item), "--outcome", "passed-on")
    assert neither.exit_code == 2 and "2 problems:" in neither.output, neither.output
    assert "--passed-to: name the person" in neither.output
    assert "--how: say how and when it was passed on" in neither.output
    assert _dump() == before
    # v15 N8: a new matter's title the decision letter could not print is refused here too.
    unfit = run("record", str(item), "--outcome", "new-matter", "--title", "Leak [flat 4]")
    assert unfit.exit_code != 0 and "cannot be printed in a letter" in unfit.output, \
        unfit.output
    assert _dump() == before
    done = run("record", str(item), "--outcome", "passed-on", "--passed-to", "Jo Carter",
               "--how", "Phoned the duty line at 10:05")
    assert done.exit_code == 0, done.output
    assert done.output.strip() == (
        f"Item {item} ({ref}, contact of 25 Nov 2026): Emergency or safeguarding — passed to "
        "a named person, recorded by Sam Patel on 28 November 2026 10:00")
    acting_as("crm")
    after = _dump()
    again = run("record", str(item), "--outcome", "filed")
    assert again.exit_code == 1 and "already screened by Sam Patel" in again.output
    assert _dump() == after
    as_json = json.loads(run("list", "--screened", "--json").output)
    assert [(r["item"], r["outcome"], r["screened_by"], r["passed_to"]) for r in as_json] == [
        (item, "passed_on", "Sam Patel", "Jo Carter")]
    assert run("list").output.strip() == "Nothing is waiting to be read."
