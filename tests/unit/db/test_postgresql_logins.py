"""A PostgreSQL database shared by a team (README, "A shared database for a team"): the acting
person is the connection's login, bound to the user as an account is on a workstation; after
`crm-tui server-setup` the server itself keeps the audit trail append-only for every login
but the owner, and shows a service area manager's login only its own area's cases, whether
it asks through the app or in SQL straight to the server.

Each test makes its own logins on the throwaway cluster (trust authentication on 127.0.0.1:
no password), and drops them after. PostgreSQL only: skipped unless the run includes it
(--engines=postgresql, or CRM_TUI_TEST_ENGINES), as in test_postgresql.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from crm_tui.cli import main
from crm_tui.db import server_roles
from crm_tui.db.connection import DatabaseError, open_database
from crm_tui.db.models import (
    AuditEntry,
    Case,
    Customer,
    Decision,
    Nomination,
    ReviewSession,
    Setting,
    Tombstone,
    User,
    database_proxy,
)
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.errors import PermissionDenied
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import (
    audit,
    direct_details,
    identity,
    leftovers,
    next_step,
    users,
)
from crm_tui.services.core.database import atomic
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.core.inputs import CustomerInput, LocalResolutionInput
from crm_tui.services.evidence import contacts, documents
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.intake import casework, customer_details, customer_matches, inbox
from crm_tui.services.intake.case_file import case_file
from crm_tui.services.restrictions import decisions
from tests import builders, pg_cluster
from tests.builders import TOLD

_made = itertools.count(1)


@dataclass
class Team:
    """The test database on the server, set up by its owner, and the logins made for it."""

    url: str  # as the owner (the tests' superuser)
    logins: dict[str, str]  # crm, manager, officer, hos, director, nobody…: their logins
    group: str  # the group role of the logins
    housing: str  # a case of Housing Services (the manager's area)
    waste: str  # a case of Waste and Recycling

    def as_login(self, who: str) -> str:
        parts = urlsplit(self.url)
        host = parts.netloc.rsplit("@", 1)[-1]
        return urlunsplit((parts.scheme, f"{self.logins[who]}@{host}", parts.path, "", ""))


def _waste_case(actor: Actor | None = None, customer: CustomerInput | None = None) -> str:
    """A local resolution of Waste and Recycling: Wendy Bins's, opened by its area's manager
    (or `customer`'s, by `actor`)."""
    return casework.open_local_resolution(
        actor or users.resolve_actor("manager2"),
        customer or CustomerInput(name="Wendy Bins", address=("2 Tip Lane",)),
        "Waste and Recycling",
        LocalResolutionInput(written_on=date(2026, 9, 1), written_summary="Concerns set out",
                             monitoring_start=date(2026, 9, 1), monitoring_end=date(2026, 10, 31),
                             contact_frequency="weekly", warned=True,
                             customer_summary=TOLD)).reference


def _log_contact(actor: Actor, reference: str, area: str, summary: str) -> None:
    """An email from the customer on 5 October 2026, logged by `actor` on that case."""
    contacts.log_contact(actor, reference, ContactInput(
        at=datetime(2026, 10, 5, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area=area, officer_name="Sam Patel", summary=summary,
        categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)))


@pytest.fixture
def team(on_postgresql: None, actors: dict[Role, Actor], db: Any,
         pg_server: pg_cluster.Cluster) -> Iterator[Team]:
    tag = f"{os.getpid()}_{next(_made)}"
    logins = {who: f"crm_tui_{who}_{tag}"
              for who in ("crm", "manager", "nobody", "officer", "admin2", "hos", "director")}
    group = f"crm_tui_group_{tag}"
    url = pg_cluster.with_database(pg_server.url, db.database)
    for login in logins.values():
        pg_server.admin(f'CREATE ROLE "{login}" LOGIN')
    try:
        admin = actors[Role.USER_ADMIN]
        users.bind_account(admin, "crm", logins["crm"], "Connects to the server as this login")
        users.bind_account(admin, "manager", logins["manager"], "Connects as this login")
        for who in ("officer", "hos", "director"):
            users.bind_account(admin, who, logins[who], "Connects as this login")
        users.add_user(admin, "admin2", "Dana Kirk", Role.USER_ADMIN, staff_id="E9002",
                       os_account=logins["admin2"])
        housing = builders.local_resolution(actors)
        waste = _waste_case()
        server_roles.set_up(db, group, tuple(logins.values()))
        yield Team(url, logins, group, housing, waste)
    finally:
        database_proxy.initialize(db)
        db.close()
        with contextlib.closing(psycopg2.connect(url)) as owner:
            owner.autocommit = True
            with owner.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE usename = ANY(%s)", (list(logins.values()),))
                cursor.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)",
                               ([*logins.values(), group],))
                made = ", ".join(f'"{row[0]}"' for row in cursor.fetchall())
                cursor.execute(f"DROP OWNED BY {made}")
        pg_server.drop(db.database)  # its grants gone with it, the roles can go
        for name in (*logins.values(), group):
            pg_server.admin(f'DROP ROLE IF EXISTS "{name}"')


@contextlib.contextmanager
def opened_as(team: Team, who: str) -> Iterator[Any]:
    """The app's database opened as that person's login (the owner's bound again after)."""
    before = database_proxy.obj
    database = open_database(team.as_login(who))
    try:
        yield database
    finally:
        database.close()
        database_proxy.initialize(before)


@contextlib.contextmanager
def straight(team: Team, who: str) -> Iterator[Any]:
    """A connection to the server as that login, bypassing the app."""
    with contextlib.closing(psycopg2.connect(team.as_login(who))) as connection:
        connection.autocommit = True
        with connection.cursor() as cursor:
            yield cursor


# -- the acting person is the login ---------------------------------------------------------

def test_the_acting_person_is_the_connections_login(team: Team) -> None:
    with opened_as(team, "crm"):
        assert identity.current_account() == team.logins["crm"]
        assert identity.establish().login == "crm"
    with opened_as(team, "manager"):
        actor = identity.establish()
        assert actor.login == "manager" and actor.role is Role.SERVICE_AREA_MANAGER


def test_set_role_does_not_change_who_is_acting(team: Team) -> None:
    """session_user, not current_user: a login that may SET ROLE to another is still itself."""
    with opened_as(team, "manager") as database:
        database.execute_sql(f'SET ROLE "{team.group}"')
        assert identity.establish().login == "manager"


def test_a_login_bound_to_nobody_is_refused_as_an_unbound_account_is(team: Team) -> None:
    login = team.logins["nobody"]
    with opened_as(team, "nobody"), pytest.raises(identity.IdentityRefused) as refused:
        identity.establish()
    assert str(refused.value) == (
        f"your account ({login}) is not bound to a user of this database. The user "
        f"administrator can add you: crm-tui users add LOGIN --name \"Full Name\" "
        f"--staff-id ID --role ROLE --os-account {login}")
    result = CliRunner().invoke(main, ["cases", "--db", team.as_login("nobody")])
    assert result.exit_code == 1
    assert f"your account ({login}) is not bound to a user of this database" in result.output


def test_binding_names_a_login_of_the_server(team: Team) -> None:
    """`users bind` on a server database checks the server's logins, not the computer's."""
    with opened_as(team, "crm"):
        assert identity.account_exists(team.logins["nobody"])
        assert not identity.account_exists("no_such_login_here")


# -- the audit trail is append-only at the server -------------------------------------------

@pytest.mark.parametrize("sql", [
    "UPDATE audit_entry SET reason = 'nothing happened' WHERE seq = 1",
    "UPDATE audit_entry SET action = 'nothing' WHERE seq = 1",
    "UPDATE audit_entry SET entry_hash = prev_hash",
    "DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)",
    "TRUNCATE audit_entry",
], ids=["reason", "action", "hash", "delete", "truncate"])
def test_no_login_rewrites_the_audit_trail(team: Team, sql: str) -> None:
    before = [tuple(row) for row in AuditEntry.select().order_by(AuditEntry.seq).tuples()]
    for who in ("crm", "manager"):
        with straight(team, who) as cursor, pytest.raises(psycopg2.Error) as refused:
            cursor.execute(sql)
        assert refused.value.pgcode == "42501", refused.value  # insufficient privilege
    assert [tuple(row) for row in AuditEntry.select().order_by(AuditEntry.seq).tuples()] \
        == before


def test_the_app_writes_and_seals_its_entries_as_a_login(team: Team) -> None:
    """A step writes its entries and seals them in its own transaction: allowed, and the
    trail still verifies."""
    with opened_as(team, "crm"):
        crm = identity.establish()
        _log_contact(crm, team.waste, "Waste and Recycling",
                     "Asked again about the missed collection")
        assert audit.verify().ok


def _tombstone(reference: str) -> None:
    Tombstone.create(case_reference=reference, service_area="Waste and Recycling",
                     opened_on=date(2026, 9, 1), destroyed_on=date(2026, 11, 28),
                     destroyed_by="crm")


def test_entries_written_in_a_savepoint_are_sealed_as_a_login(team: Team) -> None:
    """An entry written inside a savepoint (an import's steps) has the savepoint's
    transaction id, above the transaction's own: still this transaction's, sealed at its
    commit (found when tried: `import referral` as a manager's login was refused)."""
    with opened_as(team, "manager"):
        manager = identity.establish()
        with atomic():
            with atomic():
                audit.record(manager, "test_entry", team.housing, "In a savepoint")
            with atomic():
                audit.record(manager, "test_entry", team.housing, "In another")
    assert audit.verify().ok


def test_a_destroyed_files_entries_are_erased_and_no_others(team: Team) -> None:
    """Retention's erasure (a destroyed file's entries, words blanked, hashes kept) is the one
    change to a written entry; an erased entry's words are never written again."""
    with opened_as(team, "crm") as database:
        with pytest.raises(Exception, match="append-only"), database.atomic():
            audit.erase_case(team.housing)  # no tombstone: the file was not destroyed
        with pytest.raises(Exception, match="append-only"), database.atomic():
            _tombstone(team.housing)  # a tombstone, but the file is still there
            audit.erase_case(team.housing)
        with pytest.raises(Exception, match="append-only"), database.atomic():
            _tombstone(team.waste)
            Case.delete().where(Case.reference == team.waste).execute()
            assert audit.erase_case(team.waste) > 0
            AuditEntry.update(payload="{}").where(
                AuditEntry.case_reference == team.waste).execute()
        with database.atomic():
            _tombstone(team.waste)
            Case.delete().where(Case.reference == team.waste).execute()
            assert audit.erase_case(team.waste) > 0
    assert AuditEntry.select().where((AuditEntry.case_reference == team.waste)
                                     & ~AuditEntry.erased).count() == 0
    assert AuditEntry.select().where((AuditEntry.case_reference == team.housing)
                                     & AuditEntry.erased).count() == 0


# -- a service area manager's login sees its own area's cases --------------------------------

def test_a_managers_login_reads_only_its_areas_cases_in_sql(team: Team) -> None:
    with straight(team, "manager") as cursor:
        cursor.execute('SELECT reference FROM "case"')
        assert [row[0] for row in cursor.fetchall()] == [team.housing]
        cursor.execute("SELECT count(*) FROM contact_log_entry e JOIN \"case\" c "
                       "ON c.id = e.case_id WHERE c.reference = %s", (team.waste,))
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM local_resolution")
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(*) FROM case_search")
        assert cursor.fetchone()[0] == 1
        cursor.execute("UPDATE \"case\" SET state = state WHERE reference = %s", (team.waste,))
        assert cursor.rowcount == 0
    with straight(team, "crm") as cursor:
        cursor.execute('SELECT reference FROM "case" ORDER BY reference')
        assert sorted(row[0] for row in cursor.fetchall()) == sorted([team.housing, team.waste])
    with straight(team, "nobody") as cursor:
        cursor.execute('SELECT count(*) FROM "case"')
        assert cursor.fetchone()[0] == 0


def test_the_app_as_a_managers_login_works_with_row_level_security(
        team: Team, actors: dict[Role, Actor]) -> None:
    with opened_as(team, "manager"):
        manager = identity.establish()
        page = inbox.page(manager, inbox.InboxFilter())
        assert [row.reference for row in page.rows] == [team.housing]
        assert sum(inbox.tab_counts(manager, inbox.InboxFilter()).counts.values()) >= 1
        assert case_file(manager, team.housing).summary.reference == team.housing
        with pytest.raises(PermissionDenied, match="may see only their own service area"):
            case_file(manager, team.waste)  # in the words a file's database refuses it
        # A new case takes the next reference of every area's, though the others are unseen.
        new = builders.local_resolution({Role.SERVICE_AREA_MANAGER: manager}, "Nora New")
        taken = sorted([team.housing, team.waste])[-1]
        assert int(new.rsplit("-", 1)[1]) == int(taken.rsplit("-", 1)[1]) + 1
    assert Case.select().count() == 3


def test_a_managers_login_does_not_sweep_the_evidence_it_cannot_see(
        team: Team, actors: dict[Role, Actor], tmp_path: Path) -> None:
    """Another area's documents are no orphans to a manager's login, which sees none of their
    records: nothing said, nothing removed. A login that sees every area sweeps as ever."""
    letter = tmp_path / "complaint.txt"
    letter.write_text("A complaint about the bins")
    held = documents.attach_document(actors[Role.CRM], team.waste, letter, "The complaint")
    stray = "ab" + "0" * 62  # a file no record points to, nor any entry
    (evidence_store().root / "ab").mkdir(exist_ok=True)
    (evidence_store().root / "ab" / stray).write_bytes(b"left by a run killed")
    with opened_as(team, "manager"):
        swept = leftovers.sweep()
        assert (swept.orphans, swept.kept, swept.doubted) == ([], [], [])
    assert (evidence_store().root / "ab" / stray).exists()
    with opened_as(team, "manager"):
        report = documents.verify_store(identity.establish())  # `crm-tui evidence verify`
        assert [path.name for path in report.orphans] == [stray]  # not the other area's
    with opened_as(team, "crm"):
        swept = leftovers.sweep()
        assert swept.orphans == [stray] and held not in swept.kept


def test_a_managers_login_does_not_verify_a_trail_it_reads_in_part(team: Team) -> None:
    """`audit verify` holds every area's records to the trail: to a login that reads one
    area's alone, every other case would look deleted. Refused, saying who checks it."""
    with opened_as(team, "manager"), pytest.raises(audit.PartialSight,
                                                   match="nothing was checked"):
        audit.verify()
    result = CliRunner().invoke(main, ["audit", "verify", "--db", team.as_login("manager")])
    assert result.exit_code == 1 and "BROKEN" not in result.output
    assert "reads its own area's alone" in result.output
    for who in (team.as_login("crm"), team.url):  # and the owner, bound to nobody
        result = CliRunner().invoke(main, ["audit", "verify", "--db", who])
        assert result.exit_code == 0 and "Audit trail intact" in result.output


async def test_v_on_the_audit_screen_as_a_managers_login_says_it_was_not_checked(
        team: Team) -> None:
    """The same by keys: `a` then `v` in the app opened as the manager's login says the
    check was not made and why, never "BROKEN"."""
    from textual.widgets import Static

    from crm_tui.ui.app import create_app
    from crm_tui.ui.screens.audit_trail import AuditTrailScreen
    from tests.ui.keys import press_settled, settle

    app = create_app(team.as_login("manager"), "manager")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await press_settled(pilot, "a")
            assert isinstance(app.screen, AuditTrailScreen)
            await press_settled(pilot, "v")
            said = " ".join(str(app.screen.query_one("#verify-result", Static).render())
                            .split())
            assert said.startswith("Not checked: the audit trail vouches for every service "
                                   "area's records"), said
            assert "BROKEN" not in said
    finally:
        database_proxy.obj.close()


def test_a_managers_login_leaves_every_cases_next_action_to_a_login_that_sees_them(
        team: Team) -> None:
    """A migration's mark (work out every case's next action again) is not taken away by a
    login that would work out its own area's alone."""
    Setting.create(key=next_step.STALE_MARK, value="1")
    with opened_as(team, "manager"):
        assert next_step.recompute_if_marked() == 0
        assert Setting.select().where(Setting.key == next_step.STALE_MARK).exists()
    with opened_as(team, "crm"):
        next_step.recompute_if_marked()
        assert not Setting.select().where(Setting.key == next_step.STALE_MARK).exists()


def test_a_login_is_told_the_owner_brings_the_tables_up_to_date(team: Team) -> None:
    last = max(row[0] for row in database_proxy.execute_sql("SELECT name FROM schema_migration"))
    database_proxy.execute_sql("DELETE FROM schema_migration WHERE name = %s", (last,))
    with pytest.raises(DatabaseError, match=r"the database's owner brings them up to date "
                                            r"\(crm-tui server-setup"):
        open_database(team.as_login("crm"))


def test_a_login_outside_the_group_reads_nothing(team: Team, pg_server: Any) -> None:
    outsider = f"{team.logins['nobody']}_out"
    pg_server.admin(f'CREATE ROLE "{outsider}" LOGIN')
    try:
        team.logins["outsider"] = outsider
        with straight(team, "outsider") as cursor, pytest.raises(psycopg2.Error) as refused:
            cursor.execute('SELECT count(*) FROM "case"')
        assert refused.value.pgcode == "42501"
    finally:
        pg_server.admin(f'DROP ROLE "{outsider}"')


def test_a_likely_match_of_another_areas_customer_is_withheld_from_a_managers_login(
        team: Team) -> None:
    """The customer of another area's case, though the manager's login cannot read the case,
    is still one with a case elsewhere: told as such, their name and address withheld, as
    the app tells it on a file (not taken for a customer with no case, shown in full)."""
    with opened_as(team, "manager"):
        manager = identity.establish()
        matches = customer_matches.likely_matches(
            CustomerInput(name="Wendy Bins", address=("2 Tip Lane",)), manager)
        assert [(m.elsewhere, m.withheld) for m in matches] == [(1, True)]
        assert "Wendy" not in matches[0].described


def test_server_setup_said_again_does_the_same(team: Team) -> None:
    """Run again (after an upgrade of the app, say) by the owner: the same grants, guard and
    policies, and the logins still act as before."""
    result = CliRunner().invoke(main, ["server-setup", "--db", team.url, "--group", team.group,
                                       "--login", team.logins["manager"]])
    assert result.exit_code == 0, result.output
    assert "made the group role" not in result.output  # it was there
    assert "append-only" in result.output and "row-level security" in result.output
    with straight(team, "manager") as cursor:
        cursor.execute('SELECT reference FROM "case"')
        assert [row[0] for row in cursor.fetchall()] == [team.housing]


@pytest.mark.parametrize(("login", "said"), [
    ("no_such_login_here", 'there is no login "no_such_login_here" on this server'),
    ("OWNER", '"OWNER" is a superuser or the owner'),
])
def test_server_setup_refuses_a_login_it_cannot_bind(team: Team, login: str, said: str) -> None:
    owner = str(urlsplit(team.url).username)  # the tests' own login, which owns the tables
    login, said = login.replace("OWNER", owner), said.replace("OWNER", owner)
    result = CliRunner().invoke(main, ["server-setup", "--db", team.url, "--group", team.group,
                                       "--login", login])
    assert result.exit_code == 1
    assert said in result.output and "nothing was changed" in result.output


def test_server_setup_is_refused_to_a_login_that_owns_nothing(team: Team) -> None:
    result = CliRunner().invoke(main, ["server-setup", "--db", team.as_login("crm")])
    assert result.exit_code == 1
    assert "does not own the tables" in result.output and "nothing was changed" in result.output


def test_server_setup_refuses_a_file(tmp_path: Any) -> None:
    result = CliRunner().invoke(main, ["server-setup", "--db", str(tmp_path / "crm.sqlite3")])
    assert result.exit_code == 2
    assert "works on a PostgreSQL database" in result.output
    assert list(tmp_path.iterdir()) == []


# -- what else a service area manager's login reads (row-level security) --------------------

def test_a_managers_login_reads_only_its_areas_customers_in_sql(team: Team) -> None:
    """A customer with a case in the manager's area, not one whose cases are all another's:
    read nor changed."""
    with straight(team, "manager") as cursor:
        cursor.execute("SELECT name FROM customer ORDER BY name")
        assert [row[0] for row in cursor.fetchall()] == ["Testy McTestface"]
        cursor.execute("UPDATE customer SET telephone = '0' WHERE name = 'Wendy Bins'")
        assert cursor.rowcount == 0
    with straight(team, "crm") as cursor:
        cursor.execute("SELECT name FROM customer ORDER BY name")
        assert [row[0] for row in cursor.fetchall()] == ["Testy McTestface", "Wendy Bins"]


def test_a_managers_login_reads_only_its_areas_entries_of_the_audit_trail_in_sql(
        team: Team) -> None:
    """Entries about its area's cases; of those about no case, its own and the team's seal;
    nothing about another area's case, and it writes none (nor one in another's name)."""
    with straight(team, "manager") as cursor:
        cursor.execute("SELECT DISTINCT case_reference FROM audit_entry ORDER BY 1")
        assert [row[0] for row in cursor.fetchall()] == ["", team.housing]
        cursor.execute("SELECT DISTINCT actor_login FROM audit_entry WHERE case_reference = ''"
                       " AND strpos(payload, '\"team\": {') = 0")
        assert [row[0] for row in cursor.fetchall()] in ([], ["manager"])
        for about, actor in ((team.waste, "manager"), ("", "crm")):
            with pytest.raises(psycopg2.Error) as refused:
                cursor.execute(
                    "INSERT INTO audit_entry (seq, at, actor_login, actor_role, action, "
                    "case_reference, reason, payload, reason_hash, payload_hash, prev_hash, "
                    "entry_hash, erased) VALUES (999999, '2026-11-28T09:00:00', %s, "
                    "'service_area_manager', 'note', %s, '', '', '', '', '', '', false)",
                    (actor, about))
            assert refused.value.pgcode == "42501", refused.value
    with straight(team, "crm") as cursor:
        cursor.execute("SELECT count(DISTINCT case_reference) FROM audit_entry "
                       "WHERE case_reference <> ''")
        assert cursor.fetchone()[0] == 2


def test_a_managers_login_reads_its_own_review_sessions_and_its_areas_tombstones(
        team: Team, actors: dict[Role, Actor]) -> None:
    crm = User.get(User.login == "crm")
    manager = User.get(User.login == "manager")
    for made_by in (crm, manager):
        ReviewSession.create(created_by=made_by, created_at=datetime(2026, 11, 28, 9),
                             until=date(2026, 12, 31), references="[]")
    Tombstone.create(case_reference="UPV-2026-0901", service_area="Waste and Recycling",
                     opened_on=date(2026, 1, 5), destroyed_on=date(2026, 11, 28),
                     destroyed_by="crm")
    Tombstone.create(case_reference="UPV-2026-0900", service_area="Housing Services",
                     opened_on=date(2026, 1, 5), destroyed_on=date(2026, 11, 28),
                     destroyed_by="crm")
    Nomination.create(nominee=crm, nominated_by=crm, nominated_at=datetime(2026, 11, 28, 9),
                      case=Case.get(Case.reference == team.waste), reason="Took no part")
    with straight(team, "manager") as cursor:
        cursor.execute("SELECT created_by_id FROM review_session")
        assert [row[0] for row in cursor.fetchall()] == [manager.id]
        cursor.execute("SELECT case_reference FROM tombstone")
        assert [row[0] for row in cursor.fetchall()] == ["UPV-2026-0900"]
        cursor.execute("SELECT count(*) FROM nomination")
        assert cursor.fetchone()[0] == 0
    with opened_as(team, "manager"):  # a new case's reference is past every area's files
        new = builders.local_resolution({Role.SERVICE_AREA_MANAGER: identity.establish()},
                                        "Nora New")
        assert new == "UPV-2026-0902"


def test_a_managers_save_holds_a_shared_customer_to_another_areas_latest_seal(
        team: Team, actors: dict[Role, Actor]) -> None:
    """A customer with a case in two areas: a change made on the other area's case is sealed
    in an entry the manager's login does not read; the manager's next save still finds the
    customer as that entry left them (the server's function reads it), not changed outside
    the app."""
    customer = Case.get(Case.reference == team.housing).customer.reference
    shared = _waste_case(actors[Role.CRM], CustomerInput(name="", reference=customer))
    crm = actors[Role.CRM]
    now = customer_details.details(crm, shared)
    customer_details.set_details(crm, shared, dataclasses.replace(now, language="Welsh"))
    with opened_as(team, "manager"):
        manager = identity.establish()
        _log_contact(manager, team.housing, "Housing Services", "Asked again about the repair")
    assert audit.verify().ok


def test_a_likely_match_found_by_postcode_is_withheld_as_on_a_file(team: Team) -> None:
    """The server's function finds another area's customer by postcode and surname too, in
    the customers' order, and says nothing of them but that they have a case elsewhere."""
    Customer.update(postcode="NM1 1AA").where(Customer.name == "Wendy Bins").execute()
    with opened_as(team, "manager"):
        manager = identity.establish()
        matches = customer_matches.likely_matches(
            CustomerInput(name="Mrs W. Bins", address=("Flat 3",), postcode="nm11aa"), manager)
        assert [(m.why, m.elsewhere, m.withheld, m.name) for m in matches] == [
            ("same postcode and surname", 1, True, "")]
        assert customer_matches.likely_matches(
            CustomerInput(name="Testy McTestface", address=("1 Test Row",)), manager
        )[0].name == "Testy McTestface"


# -- what each role may write, at the server -------------------------------------------------

def _insert_decision(cursor: Any, reference: str, action: str = "impose") -> None:
    cursor.execute("INSERT INTO decision (case_id, action, decided_by_id, decided_at, reason, "
                   "effective_from, customer_reason, review_period_reason, review_period_note, "
                   "against_view_reason) SELECT c.id, %s, u.id, now(), 'Decided in SQL', "
                   "current_date, '', '', '', '' FROM \"case\" c, \"user\" u "
                   "WHERE c.reference = %s AND u.os_account = session_user", (action, reference))


@pytest.mark.parametrize("who", ["officer", "manager", "admin2", "hos", "director"])
def test_a_login_whose_role_does_not_decide_cannot_write_a_decision_in_sql(
        team: Team, who: str) -> None:
    before = Decision.select().count()
    with straight(team, who) as cursor:
        if who == "admin2":  # it reads no case: nothing to write a decision on
            _insert_decision(cursor, team.housing)
            assert cursor.rowcount == 0
        else:
            with pytest.raises(psycopg2.Error) as refused:
                _insert_decision(cursor, team.housing)
            assert refused.value.pgcode == "42501", refused.value
    assert Decision.select().count() == before


def test_the_crms_login_writes_a_decision_in_sql(team: Team) -> None:
    with straight(team, "crm") as cursor:
        _insert_decision(cursor, team.housing)
        assert cursor.rowcount == 1


def _nominate(who: str, reference: str) -> None:
    Nomination.create(nominee=User.get(User.login == who),
                      nominated_by=User.get(User.login == "director"),
                      nominated_at=datetime(2026, 11, 28, 9),
                      case=Case.get(Case.reference == reference), reason="Took no part")


def test_a_head_of_service_nominated_by_the_director_may_write_the_appeals_decision(
        team: Team) -> None:
    """The decision on appeal is the Service Director's, or a Head of Service's they
    nominated for that case (domain.nominations: an officer is not nominated); nothing
    else is theirs to decide."""
    for who in ("hos", "officer"):
        _nominate(who, team.housing)
    with straight(team, "hos") as cursor:
        _insert_decision(cursor, team.housing, "remove_on_appeal")
        assert cursor.rowcount == 1
        for reference, action in ((team.waste, "remove_on_appeal"),  # not nominated there
                                  (team.housing, "impose")):  # not an appeal's
            with pytest.raises(psycopg2.Error, match="decide") as refused:
                _insert_decision(cursor, reference, action)
            assert refused.value.pgcode == "42501"
    with straight(team, "officer") as cursor, pytest.raises(
            psycopg2.Error, match="Service Director, or by a Head of Service"):
        _insert_decision(cursor, team.housing, "remove_on_appeal")
    with straight(team, "director") as cursor:
        _insert_decision(cursor, team.waste, "remove_on_appeal")
        assert cursor.rowcount == 1


@pytest.mark.parametrize("sql", [
    "UPDATE \"user\" SET role = 'crm' WHERE os_account = session_user",
    "UPDATE \"user\" SET os_account = NULL WHERE login = 'crm'",
    "INSERT INTO role_grant (user_id, role, granted_at, reason) SELECT id, 'crm', now(), '' "
    "FROM \"user\" WHERE os_account = session_user",
    "INSERT INTO nomination (nominee_id, nominated_by_id, nominated_at, reason) SELECT id, id, "
    "now(), 'Myself' FROM \"user\" WHERE os_account = session_user",
    "INSERT INTO tombstone (case_reference, service_area, opened_on, destroyed_on, "
    "destroyed_by, outcome, customer_reference) VALUES ('UPV-2026-0999', 'Housing Services', "
    "current_date, current_date, 'officer', '', '')",
    "INSERT INTO signing_certificate (login, fingerprint, pem, subject, demo, created_at) "
    "VALUES ('crm', 'ab12', 'not a certificate', 'Alex Morgan', false, now())",
    "UPDATE signing_certificate SET revoked_at = now() WHERE login = 'crm'",
], ids=["own-role", "anothers-account", "grant", "nominate", "tombstone", "anothers-key",
        "revoke-anothers-key"])
def test_an_officers_login_cannot_grant_itself_or_decide_in_sql(team: Team, sql: str) -> None:
    with straight(team, "officer") as cursor:
        try:
            cursor.execute(sql)
        except psycopg2.Error as refused:
            assert refused.pgcode == "42501", refused
        else:
            assert cursor.rowcount == 0, sql
    assert User.get(User.login == "officer").role == "officer"
    assert User.get(User.login == "crm").os_account == team.logins["crm"]


def test_a_person_sets_their_own_direct_details_and_the_administrator_anyones(
        team: Team) -> None:
    """The app's own paths, as each login: the officer's telephone by the officer, the
    manager's role by the user administrator (the second, bound to a login)."""
    with opened_as(team, "officer"):
        officer = identity.establish()
        direct_details.set_direct_details(officer, "officer", "01632 960123", "")
    assert User.get(User.login == "officer").telephone == "01632 960123"
    with opened_as(team, "admin2"):
        admin = identity.establish()
        assert admin.role is Role.USER_ADMIN
        direct_details.set_direct_details(admin, "crm", "01632 960999", "")
    assert User.get(User.login == "crm").telephone == "01632 960999"


def test_the_user_administrators_login_reads_no_case_in_sql(team: Team) -> None:
    with straight(team, "admin2") as cursor:
        for table in ('"case"', "customer", "contact_log_entry", "decision", "letter"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            assert cursor.fetchone()[0] == 0, table
        cursor.execute("SELECT count(*) FROM audit_entry WHERE case_reference <> ''")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM audit_entry WHERE case_reference = ''")
        assert cursor.fetchone()[0] > 0  # the entries about no case: users, keys
        cursor.execute('SELECT count(*) FROM "user"')
        assert cursor.fetchone()[0] > 0


def test_an_officers_login_works_the_app_as_ever(team: Team) -> None:
    """What an officer does in the app (a contact, a restriction drafted) is written as
    their login, the server's rules notwithstanding."""
    with opened_as(team, "officer"):
        officer = identity.establish()
        _log_contact(officer, team.waste, "Waste and Recycling",
                     "Asked again about the missed collection")
        builders.draft({Role.OFFICER: officer, Role.CRM: officer}, team.waste)
    assert audit.verify().ok


def test_the_crms_login_imposes_restrictions_in_the_app(
        team: Team, actors: dict[Role, Actor]) -> None:
    """The decision the server refuses an officer's login in SQL is the CRM's to take in the
    app, as their own login: written, sealed, and the trail verifies."""
    ref = builders.at_state(actors, CaseState.UNDER_CONSIDERATION)
    with opened_as(team, "crm"):
        crm = identity.establish()
        decisions.impose_restrictions(crm, ref, "Persistent contact despite local resolution",
                                      builders.TERMS, read=builders.read(ref),
                                      customer_reason=TOLD)
    assert Decision.select().join(Case).where(Case.reference == ref).count() == 1
    assert audit.verify().ok


def test_the_user_administrators_login_manages_users_and_is_told_who_verifies(
        team: Team) -> None:
    """As their own login: the users listed and a person's role changed (the app's path, the
    server's rules); `audit verify` says their login reads no case and who checks it."""
    from crm_tui.services.letters import signing_keys
    from tests.conftest import PASSPHRASE

    with opened_as(team, "admin2"):
        admin = identity.establish()
        signing_keys.create_key(admin, "admin2", PASSPHRASE, council="Test")  # their own
        users.change_role(admin, "officer", Role.HEAD_OF_SERVICE, reason="Acting up")
    assert User.get(User.login == "officer").role == Role.HEAD_OF_SERVICE.value
    result = CliRunner().invoke(main, ["users", "list", "--db", team.as_login("admin2")])
    assert result.exit_code == 0 and "Sam Patel" in result.output, result.output
    result = CliRunner().invoke(main, ["audit", "verify", "--db", team.as_login("admin2")])
    assert result.exit_code == 1 and "BROKEN" not in result.output
    assert "this login reads no case" in result.output
    assert "the Complaints Resolution Team's" in result.output


# -- who signs, gives the Head of Service's view, records a review, decides an appeal ------

def _sign_letter(cursor: Any, reference: str, kind: str, signer: str = "") -> None:
    """A signed letter of that kind on the case, in SQL, signed by `signer` (the login's own
    user where none is named)."""
    who = "u.login = %s" if signer else "u.os_account = session_user"
    blank = ("file_name", "sha256", "cert_fingerprint", "note", "source", "content", "edits",
             "post_class", "tracking", "print_pack")
    empty = ", ''" * len(blank)
    cursor.execute(f"INSERT INTO letter (case_id, kind, created_at, created_by_id, signed_by_id, "
                   f"signed_at, status, body, {', '.join(blank)}) SELECT c.id, %s, now(), u.id, "
                   f"u.id, now(), 'issued', 'Signed in SQL'{empty} "
                   f"FROM \"case\" c, \"user\" u WHERE c.reference = %s AND {who}",
                   (kind, reference, *((signer,) if signer else ())))


@pytest.mark.parametrize(("who", "kind", "signer"), [
    ("officer", "decision", ""), ("manager", "decision", ""), ("hos", "lifted", ""),
    ("director", "invitation", ""), ("crm", "decision", "officer"),
    ("crm", "appeal_outcome", ""),  # no appeal decided: nobody signs its outcome
], ids=["officer", "manager", "hos", "director", "in-anothers-name", "appeal-outcome"])
def test_a_login_signs_only_the_letters_its_role_signs_in_sql(
        team: Team, who: str, kind: str, signer: str) -> None:
    with straight(team, who) as cursor, pytest.raises(psycopg2.Error) as refused:
        _sign_letter(cursor, team.housing, kind, signer)
    assert refused.value.pgcode == "42501", refused.value
    assert "sign" in str(refused.value)


def test_a_signed_letter_is_posted_but_not_rewritten_in_sql(team: Team) -> None:
    with straight(team, "manager") as cursor:
        _sign_letter(cursor, team.housing, "local_resolution")  # their own area's
        assert cursor.rowcount == 1
    with straight(team, "crm") as cursor:
        _sign_letter(cursor, team.waste, "decision")
        cursor.execute("UPDATE letter SET posted_on = current_date WHERE body = 'Signed in SQL'")
        assert cursor.rowcount == 2
        for sql in ("UPDATE letter SET body = 'Something else'",
                    "UPDATE letter SET signed_at = signed_at - interval '1 day'",
                    "DELETE FROM letter"):
            with pytest.raises(psycopg2.Error, match="signed letter") as refused:
                cursor.execute(sql)
            assert refused.value.pgcode == "42501"


def _record_view(cursor: Any, reference: str, consultee: str) -> None:
    cursor.execute("INSERT INTO consultation (case_id, subject, consultee_id, view, view_text, "
                   "consulted_on, recorded_by_id, recorded_at, proposal, method) SELECT c.id, "
                   "'referral', h.id, 'agrees', 'Agreed in SQL', current_date, u.id, now(), "
                   "'', '' FROM \"case\" c, "
                   "\"user\" h, \"user\" u WHERE c.reference = %s AND h.login = %s "
                   "AND u.os_account = session_user", (reference, consultee))


def test_the_head_of_services_view_is_theirs_or_given_to_the_crm_in_sql(team: Team) -> None:
    with straight(team, "hos") as cursor:
        _record_view(cursor, team.housing, "hos")
        assert cursor.rowcount == 1
    with straight(team, "crm") as cursor:
        _record_view(cursor, team.waste, "hos")  # given to the CRM, who records it
        assert cursor.rowcount == 1
        with pytest.raises(psycopg2.Error, match="Head of Service's"):
            _record_view(cursor, team.waste, "officer")  # not a Head of Service
        with pytest.raises(psycopg2.Error, match="not changed or deleted") as refused:
            cursor.execute("UPDATE consultation SET view = 'disagrees'")
        assert refused.value.pgcode == "42501"
    for who in ("officer", "director", "manager"):
        with straight(team, who) as cursor, pytest.raises(psycopg2.Error) as refused:
            _record_view(cursor, team.housing, "hos")
        assert refused.value.pgcode == "42501", who


def _refused_to(team: Team, logins: tuple[str, ...], sql: str) -> None:
    """Each of these logins is refused the statement, with an error (insufficient
    privilege), not passed over."""
    for who in logins:
        with straight(team, who) as cursor, pytest.raises(psycopg2.Error) as refused:
            cursor.execute(sql)
        assert refused.value.pgcode == "42501", who


def test_a_reviews_outcome_is_the_crms_and_not_rewritten_in_sql(team: Team) -> None:
    from crm_tui.db.models import Review

    Review.create(case=Case.get(Case.reference == team.housing), due_on=date(2026, 12, 1))
    close = ("UPDATE review SET outcome = 'continued', reason = 'Recorded in SQL', "
             "decided_by_id = (SELECT id FROM \"user\" WHERE os_account = session_user), "
             "decided_at = now()")
    with straight(team, "officer") as cursor:
        cursor.execute("UPDATE review SET started_at = now(), started_by_id = (SELECT id FROM "
                       "\"user\" WHERE os_account = session_user)")
        assert cursor.rowcount == 1  # the team starts a review
    _refused_to(team, ("officer", "hos", "director", "manager"), close)
    with straight(team, "crm") as cursor:
        cursor.execute(close)
        assert cursor.rowcount == 1
        with pytest.raises(psycopg2.Error, match="not rewritten"):
            cursor.execute("UPDATE review SET reason = 'Another reason'")


def test_an_appeal_is_decided_by_someone_who_took_no_part_in_sql(
        team: Team, actors: dict[Role, Actor]) -> None:
    """The Head of Service gave the view the decision went on: nominated, they still may not
    decide its appeal; the Service Director may. Once decided it is not rewritten."""
    ref = builders.at_state(actors, CaseState.UNDER_APPEAL)  # consulted hos, decided crm
    _nominate("hos", ref)
    decide = ("UPDATE appeal SET outcome = 'confirmed', reason = 'Decided in SQL', "
              "decided_by_id = (SELECT id FROM \"user\" WHERE os_account = session_user), "
              "decided_at = now()")
    with straight(team, "hos") as cursor, pytest.raises(psycopg2.Error, match="no part"):
        cursor.execute(decide)
    _refused_to(team, ("crm", "officer"), decide)
    with straight(team, "director") as cursor:
        cursor.execute(decide)
        assert cursor.rowcount == 1
        with pytest.raises(psycopg2.Error, match="not rewritten"):
            cursor.execute("UPDATE appeal SET reason = 'Another reason'")
        _sign_letter(cursor, ref, "appeal_outcome")  # its decider signs its outcome
        assert cursor.rowcount == 1
    with straight(team, "crm") as cursor, pytest.raises(psycopg2.Error, match="sign"):
        _sign_letter(cursor, ref, "appeal_outcome")


# -- a refusal is an error, not silence --------------------------------------------------

@pytest.mark.parametrize(("sql", "said"), [
    ("UPDATE nomination SET reason = 'Changed in SQL'", "the Service Director's"),
    ("DELETE FROM nomination", "the Service Director's"),
    ("UPDATE decision SET reason = 'Rewritten after signing'", "not changed"),
    ("UPDATE decision SET effective_from = effective_from - 7", "not changed"),
    ('DELETE FROM "case"', "destroys it"),
    ("UPDATE tombstone SET destroyed_by = 'officer'", "Complaints Resolution Manager's"),
], ids=["nomination", "nomination-deleted", "decision-reason", "decision-date", "case",
        "tombstone"])
def test_a_refused_change_to_a_row_the_login_reads_is_an_error(
        team: Team, sql: str, said: str) -> None:
    """Not a silent nothing-changed: the login reads the row, so it is told why not."""
    _nominate("hos", team.housing)
    _tombstone("UPV-2026-0999")
    with straight(team, "crm") as cursor:
        _insert_decision(cursor, team.housing)
    with straight(team, "officer") as cursor, pytest.raises(psycopg2.Error, match=said) \
            as refused:
        cursor.execute(sql)
    assert refused.value.pgcode == "42501"


def test_the_app_says_plainly_when_the_server_refuses(team: Team) -> None:
    """A change the app let through and the server refused: the app's own refusal, in the
    server's words, nothing saved (no traceback of the driver's)."""
    with straight(team, "crm") as cursor:
        _insert_decision(cursor, team.housing)
    with opened_as(team, "crm"), pytest.raises(PermissionDenied) as refused, atomic():
        Decision.update(reason="Rewritten").execute()
    assert str(refused.value) == (
        "the database server refused this: a recorded decision is not changed or deleted: "
        "its reason, dates and decider stand as recorded. Nothing was saved.")
    assert Decision.select().where(Decision.reason == "Rewritten").count() == 0


# -- the Head of Service's and the Service Director's logins, through the app -------------

def _sign_outcome(decider: Actor, reference: str) -> None:
    """The appeal outcome letter signed in the app by the person who decided the appeal,
    and the register says so."""
    from crm_tui.db.models import Letter
    from crm_tui.domain.letters import LetterKind
    from crm_tui.services.letters import issuing
    from tests.conftest import PASSPHRASE

    number = issuing.sign_and_export(decider, reference, LetterKind.APPEAL_OUTCOME,
                                     builders.database_folder() / "issued",
                                     PASSPHRASE).letter_id
    assert Letter.get_by_id(number).signed_by_id == decider.user_id


def test_the_crms_login_signs_and_posts_a_decision_letter_in_the_app(
        team: Team, actors: dict[Role, Actor]) -> None:
    """The signing the server refuses other roles in SQL is the CRM's in the app, as their
    own login; its posting recorded after."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    with opened_as(team, "crm"):
        builders.send_decision(identity.establish(), ref)
    assert audit.verify().ok


def test_the_head_of_services_login_gives_its_view_and_decides_an_appeal_in_the_app(
        team: Team, actors: dict[Role, Actor]) -> None:
    """As their own login: their view recorded on one case; nominated on another (whose
    view a second Head of Service gave), its appeal decided. The trail verifies."""
    from crm_tui.domain.outcomes import AppealOutcome
    from crm_tui.services.letters import signing_keys
    from crm_tui.services.reviews import appeals, nominations
    from tests.conftest import PASSPHRASE

    considered = builders.at_state(actors, CaseState.UNDER_CONSIDERATION, consulted=False)
    users.add_user(actors[Role.USER_ADMIN], "hos2", "Lee Grant", Role.HEAD_OF_SERVICE,
                   staff_id="S-hos2")
    other = {**actors, Role.HEAD_OF_SERVICE: users.resolve_actor("hos2")}
    signing_keys.create_key(other[Role.HEAD_OF_SERVICE], "hos2", PASSPHRASE, council="Test")
    appealed = builders.at_state(other, CaseState.UNDER_APPEAL)
    nominations.nominate(actors[Role.SERVICE_DIRECTOR], "hos", "Took no part",
                         case_reference=appealed)
    with opened_as(team, "hos"):
        hos = identity.establish()
        builders.consult({Role.HEAD_OF_SERVICE: hos}, considered)
        appeals.decide_appeal(hos, appealed, AppealOutcome.REMOVED, "Behaviour has improved",
                              customer_reason=TOLD)
        _sign_outcome(hos, appealed)
    assert Case.get(Case.reference == appealed).state == CaseState.ENDED.value
    assert audit.verify().ok


def test_the_service_directors_login_nominates_and_decides_an_appeal_in_the_app(
        team: Team, actors: dict[Role, Actor]) -> None:
    from crm_tui.domain.outcomes import AppealOutcome
    from crm_tui.services.reviews import appeals, nominations

    appealed = builders.at_state(actors, CaseState.UNDER_APPEAL)
    with opened_as(team, "director"):
        director = identity.establish()
        nominations.nominate(director, "hos", "Took no part", case_reference=team.housing)
        appeals.decide_appeal(director, appealed, AppealOutcome.CONFIRMED,
                              "The restrictions are needed", customer_reason=TOLD)
        _sign_outcome(director, appealed)
    assert Case.get(Case.reference == appealed).state == CaseState.RESTRICTED.value
    assert audit.verify().ok


def test_the_command_line_says_plainly_when_the_server_refuses(team: Team) -> None:
    """A grant the server's administrator took away: the command says the server refused
    it, in words, and that nothing was saved; no driver's traceback."""
    database_proxy.execute_sql(f'REVOKE UPDATE ON TABLE "user" FROM "{team.group}"')
    result = CliRunner().invoke(main, ["users", "set-details", "officer", "--telephone",
                                       "01632 960123", "--db", team.as_login("officer")])
    assert result.exit_code == 1, result.output
    assert "the database server refused this: this login's role may not make this change" \
        in result.output and "Nothing was saved." in result.output
    assert "Traceback" not in result.output and "psycopg2" not in result.output
    assert User.get(User.login == "officer").telephone != "01632 960123"


def test_an_officers_login_writes_drafts_not_restrictions_in_force_in_sql(
        team: Team, actors: dict[Role, Actor]) -> None:
    """Drafts are the officer's to write; of restrictions in force only their ending (the
    team's housekeeping on their end date), not their terms or dates."""
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    builders.draft(actors, ref)  # another, still a draft
    where = " FROM \"case\" c WHERE c.id = restriction.case_id AND c.reference = %s"
    with straight(team, "officer") as cursor:
        cursor.execute("UPDATE restriction SET reason = 'Redrafted' WHERE status = 'draft' "
                       f"AND EXISTS (SELECT 1{where})", (ref,))
        assert cursor.rowcount == 1
        for change in ("ends_on = ends_on + 365", "reason = 'Rewritten'",
                       "status = 'in_force'"):
            status = "draft" if change.startswith("status") else "in_force"
            with pytest.raises(psycopg2.Error, match="draft restrictions only") as refused:
                cursor.execute(f"UPDATE restriction SET {change} WHERE status = '{status}' "
                               f"AND EXISTS (SELECT 1{where})", (ref,))
            assert refused.value.pgcode == "42501"
        cursor.execute("UPDATE restriction SET status = 'ended', ends_on = current_date "
                       f"WHERE status = 'in_force' AND EXISTS (SELECT 1{where})", (ref,))
        assert cursor.rowcount >= 1
