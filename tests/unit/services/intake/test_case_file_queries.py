"""Issue 17 (case file open over its 150 ms budget): the case file reads the same number of
queries however many contacts its timeline lists. Each contact's service area was read with a
query of its own (the area's name, read as a default even where the names read once had it):
110 of the 194 queries opening a demo case took."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from crm_tui.db.models import User, database_proxy
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.intake import case_file
from tests import builders


@contextmanager
def _counted(found: list[str]) -> Iterator[None]:
    db = database_proxy.obj
    original = db.execute_sql

    def execute_sql(sql: str, *args: Any, **kwargs: Any) -> Any:
        found.append(sql)
        return original(sql, *args, **kwargs)

    db.execute_sql = execute_sql
    try:
        yield
    finally:
        del db.execute_sql


def _log(actor: Actor, ref: str, n: int, start: int) -> None:
    for i in range(start, start + n):
        contacts.log_contact(actor, ref, ContactInput(
            at=datetime(2026, 10, 1, 9, 0) + timedelta(hours=i), channel=Channel.EMAIL,
            direction=Direction.INBOUND, service_area="Housing Services",
            officer_name="Sam Patel", summary=f"Email {i} about the same closed complaint"))


def _queries(actor: Actor, ref: str) -> tuple[int, case_file.CaseFile]:
    found: list[str] = []
    with _counted(found):
        shown = case_file.case_file(actor, ref)
    return len(found), shown


def test_the_case_file_reads_no_more_queries_for_more_contacts(
        actors: dict[Role, Actor]) -> None:
    ref = builders.referred(actors)
    _log(actors[Role.OFFICER], ref, 2, 0)
    few, before = _queries(actors[Role.CRM], ref)
    _log(actors[Role.OFFICER], ref, 20, 2)
    many, after = _queries(actors[Role.CRM], ref)
    assert (before.contacts_shown, after.contacts_shown) == (2, 22)
    assert many == few
    # Each contact still names its service area, as the trail sealed it.
    listed = [e for e in after.timeline if e.kind == "contact"]
    assert len(listed) == 22
    assert all("Service area: Housing Services" in e.detail for e in listed)


def test_the_people_a_case_file_names_are_read_in_one_query(
        actors: dict[Role, Actor]) -> None:
    # Issue 17 on PostgreSQL, where every query is a round trip: who referred, consulted,
    # was consulted, decided, signed… each was read with a query of its own (17 of the 87
    # queries opening UPV-2025-0004).
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)
    found: list[str] = []
    with _counted(found):
        shown = case_file.case_file(actors[Role.CRM], ref)
    people = [sql for sql in found if 'FROM "user"' in sql and '"t1"."id" = ' in sql]
    assert len(people) <= 1, people
    every = " ".join(e.detail for e in shown.timeline) + " ".join(
        e.title for e in shown.timeline)
    # Each is still named where the timeline names them.
    assert actors[Role.CRM].name in every and actors[Role.OFFICER].name in every
    # Outside the case file a person is read as before, afresh.
    assert User.get_by_id(actors[Role.CRM].user_id).name == actors[Role.CRM].name


def test_the_service_areas_a_case_file_names_are_read_once(
        actors: dict[Role, Actor]) -> None:
    # perf9 (issue 17, case file open over its 150 ms budget): the service areas' names, as
    # the team's seal holds them, were read for the contacts, the timeline and the summary:
    # three times two statements for one case file (73 opening UPV-2025-0004, now 68).
    from crm_tui.services.restrictions import extreme_case
    from crm_tui.services.reviews import appeals

    ref = builders.referred(actors)
    _log(actors[Role.OFFICER], ref, 2, 0)
    crm = actors[Role.CRM]
    found: list[str] = []
    with _counted(found), case_file.read_once():
        shown = case_file.case_file(crm, ref)
        extreme_case.scope_view(crm, ref)
        appeals.view(crm, ref)
    areas = [sql for sql in found if 'FROM "service_area"' in sql]
    seals = [sql for sql in found if '"team": {' in sql]
    assert (len(areas), len(seals)) == (1, 1), areas + seals
    # Still named, as before, in the timeline and the summary.
    assert shown.summary.service_area == "Housing Services"
    listed = [e for e in shown.timeline if e.kind == "contact"]
    assert all("Service area: Housing Services" in e.detail for e in listed)
    # Outside such a read, read afresh each time.
    from crm_tui.services.core import area_names
    found.clear()
    with _counted(found):
        area_names.shown_names()
        area_names.shown_names()
    assert len([sql for sql in found if 'FROM "service_area"' in sql]) == 2
