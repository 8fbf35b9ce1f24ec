"""The team's seal of contacts on no case is brought up to date from the rows a save wrote,
never by reading every contact again (issue 17: 5,000,000 of them read and hashed at each
save, 7.5 minutes for the expiry check's archive), and `audit verify`, which reads them all,
still names each one edited, added or deleted outside the app."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db.models import AuditEntry, ContactLogEntry, Customer, ServiceArea, User
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, team_seal, users
from crm_tui.services.core.database import atomic
from tests import builders, outside
from tests.unit.services.core.trail_rewrite import rechain


def _sql(path: Path, sql: str, *args: object) -> None:
    with outside.connect(path, foreign_keys=False) as con:
        con.execute(sql, args)
    con.close()


def _on_no_case(actors: dict[Role, Actor], count: int, summary: str = "Rang again") -> list[int]:
    """`count` contacts logged on no case, through the app's models, in one save."""
    actor = actors[Role.OFFICER]
    customer = int(Customer.select(Customer.id).order_by(Customer.id).scalar())
    area = int(ServiceArea.select(ServiceArea.id).order_by(ServiceArea.id).scalar())
    with atomic():
        top = ContactLogEntry.select(ContactLogEntry.id).order_by(
            ContactLogEntry.id.desc()).scalar() or 0
        ContactLogEntry.insert_many([
            {"customer": customer, "case": None, "at": datetime(2026, 11, 20, 9, i % 60),
             "channel": "telephone", "direction": "inbound", "service_area": area,
             "officer_name": "Sam Okafor", "summary": f"{summary} {i}",
             "recorded_by": actor.user_id} for i in range(count)]).execute()
        audit.record(actor, "import_log_sheets", payload={"entries": count})
    return [int(row.id) for row in ContactLogEntry.select(ContactLogEntry.id).where(
        ContactLogEntry.id > top)]


def _save(actors: dict[Role, Actor], summary: str, contact: int | None = None) -> None:
    """A save of the app's that rewrites one contact on no case (or only writes an entry)."""
    actor = actors[Role.OFFICER]
    with atomic():
        if contact is not None:
            ContactLogEntry.update(summary=summary).where(
                ContactLogEntry.id == contact).execute()
        audit.record(actor, "correct_contact", payload={"id": contact})


def _as_version_2(_row: AuditEntry, payload: dict[str, Any]) -> None:
    """For rechain: the team's seal as the version before wrote it, one hash over the
    contacts on no case in order (no set)."""
    from crm_tui.services.core import audit_seals

    held = payload.get(team_seal.KEY)
    if isinstance(held, dict):
        held.pop(team_seal.CONTACT_SET, None)
        held["v"] = 2
        held[team_seal.CHAIN] = audit_seals.sheet(ContactLogEntry.select(
            *audit_seals.contact_columns()).where(ContactLogEntry.case.is_null())
            .order_by(ContactLogEntry.id))


@pytest.fixture
def caseless(actors: dict[Role, Actor]) -> list[int]:
    builders.at_state(actors, CaseState.RESTRICTED)
    return _on_no_case(actors, 40)


def test_the_app_writing_contacts_on_no_case_keeps_the_trail_vouching(
        actors: dict[Role, Actor], caseless: list[int]) -> None:
    assert audit.verify().ok
    _save(actors, "Rang about the bins", caseless[3])
    more = _on_no_case(actors, 5, "Wrote again")
    with atomic():  # deleted by the app, as the archive deletes a customer's contacts
        ContactLogEntry.delete().where(ContactLogEntry.id.in_(more[:2])).execute()
        audit.record(actors[Role.OFFICER], "correct_contact", payload={"deleted": 2})
    with atomic():  # moved onto no case and back, in one save: no change to the set
        ContactLogEntry.update(summary="x").where(ContactLogEntry.id == caseless[0]).execute()
        ContactLogEntry.update(summary="Rang again 0").where(
            ContactLogEntry.id == caseless[0]).execute()
        audit.record(actors[Role.OFFICER], "correct_contact", payload={"id": caseless[0]})
    result = audit.verify()
    assert result.ok and not result.team_unvouched, result.problem
    found = team_seal.latest()
    assert found is not None and found[1]["v"] == 3
    assert found[1][team_seal.CONTACT_SET] == team_seal.contact_set()
    assert found[1][team_seal.CONTACT_SET][0] == 43


def _edited(db: Path, contact: int) -> None:
    _sql(db, "UPDATE contact_log_entry SET summary = 'Threatened an officer' WHERE id = ?",
         contact)


def _inserted(db: Path, _contact: int) -> None:
    _sql(db, "INSERT INTO contact_log_entry (customer_id, case_id, at, channel, direction, "
         "service_area_id, officer_name, duration_minutes, summary, categories, version) "
         "SELECT customer_id, NULL, '2026-11-25 10:00:00', channel, direction, "
         "service_area_id, officer_name, 0, 'Threatened to harm an officer', 0, 1 "
         "FROM contact_log_entry LIMIT 1")


def _deleted(db: Path, contact: int) -> None:
    _sql(db, "DELETE FROM contact_log_entry WHERE id = ?", contact)


def _moved_off(db: Path, contact: int) -> None:
    case = int(ContactLogEntry.select(ContactLogEntry.case).where(
        ContactLogEntry.case.is_null(False)).scalar())
    _sql(db, "UPDATE contact_log_entry SET case_id = ? WHERE id = ?", case, contact)


OUTSIDE = {"edited": _edited, "inserted": _inserted, "deleted": _deleted,
           "moved onto a case": _moved_off}


@pytest.mark.parametrize("edit", list(OUTSIDE.values()), ids=list(OUTSIDE))
@pytest.mark.parametrize("then", ["another contact saved", "the same contact saved",
                                  "the team changed", "nothing"])
def test_an_edit_outside_the_app_stays_named_after_later_saves(
        actors: dict[Role, Actor], caseless: list[int], db_path: Path, edit: Any,
        then: str) -> None:
    """The save after the edit no longer refuses (that read every contact): it does not
    take the edit into the seal either, so `audit verify` goes on naming it."""
    edit(db_path, caseless[5])
    if then == "another contact saved":
        _save(actors, "Rang about the bins", caseless[7])
        _on_no_case(actors, 2, "Wrote again")
    elif then == "the same contact saved":
        if edit is not _deleted:
            _save(actors, "Rang about the bins", caseless[5])
    elif then == "the team changed":
        users.change_role(actors[Role.USER_ADMIN], "officer", Role.CRM, "Promoted")
    result = audit.verify()
    assert not result.ok, then
    # A contact moved onto a case is named by that case's log sheet, checked first.
    named = ("the log sheet of" if edit is _moved_off
             else "the contacts logged on no case are not as entry")
    assert named in result.problem and "outside the app" in result.problem, result.problem


def test_a_save_reads_only_the_contacts_it_wrote(actors: dict[Role, Actor],
                                                caseless: list[int],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Every contact on no case was read at every save: now none is read but those the save
    itself wrote, whether it wrote a contact on no case, none, or the team's records."""
    reads: list[int] = []
    real = team_seal._now_on_no_case

    def counted(ids: list[int]) -> Any:
        reads.append(len(ids))
        return real(ids)

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("every contact on no case was read at a save")

    monkeypatch.setattr(team_seal, "_now_on_no_case", counted)
    monkeypatch.setattr(team_seal, "contact_set", refused)
    monkeypatch.setattr(team_seal, "_contact_chain", refused)
    _save(actors, "Rang about the bins", caseless[3])
    assert reads == [1]
    _save(actors, "Only an entry")
    _on_no_case(actors, 3, "Wrote again")
    users.change_role(actors[Role.USER_ADMIN], "officer", Role.CRM, "Promoted")
    assert reads == [1, 0, 3, 0]
    monkeypatch.undo()
    assert audit.verify().ok


def test_statements_at_a_save_do_not_grow_with_the_contacts_on_no_case(
        actors: dict[Role, Actor], caseless: list[int]) -> None:
    """Counted on SQLite's own connection: the rows of contact_log_entry a save's statements
    step through, as SQLite counts them (a full scan of the table steps through every row)."""
    from crm_tui.db.dialect import is_sqlite
    from crm_tui.db.models import database_proxy

    if not is_sqlite(database_proxy.obj):
        pytest.skip("SQLite's own statement counter")
    _on_no_case(actors, 400, "Many more")
    steps: list[str] = []
    connection = database_proxy.obj.connection()
    connection.set_trace_callback(steps.append)
    try:
        _save(actors, "Rang about the bins", caseless[3])
    finally:
        connection.set_trace_callback(None)
    reading = [sql for sql in steps if "contact_log_entry" in sql]
    assert reading, steps
    # Each names the contact it reads (by its id), never all of those on no case.
    assert all(str(caseless[3]) in sql or "MAX(" in sql.upper() for sql in reading), reading


def test_a_version_2_seal_is_checked_carried_and_replaced_by_the_set(
        actors: dict[Role, Actor], caseless: list[int], db_path: Path) -> None:
    """A trail sealed by the version before holds the contacts as one hash over them in
    order: still checked; carried while no save changes them; replaced by the set (every
    row read once) at the first save that does."""
    rechain(_as_version_2)
    assert audit.verify().ok
    _save(actors, "Only an entry")  # no contact on no case changed: carried
    found = team_seal.latest()
    assert found is not None and found[1]["v"] == 3 and team_seal.CHAIN in found[1]
    assert audit.verify().ok
    _save(actors, "Rang about the bins", caseless[3])
    found = team_seal.latest()
    assert found is not None and team_seal.CONTACT_SET in found[1]
    assert team_seal.CHAIN not in found[1]
    assert audit.verify().ok
    _edited(db_path, caseless[9])
    assert "the contacts logged on no case are not as entry" in audit.verify().problem


def test_a_version_2_seal_names_an_edit_made_before_the_upgrade(
        actors: dict[Role, Actor], caseless: list[int], db_path: Path) -> None:
    rechain(_as_version_2)
    _deleted(db_path, caseless[1])
    assert "the contacts logged on no case are not as entry" in audit.verify().problem
    _save(actors, "Only an entry")  # carried: still named
    assert "the contacts logged on no case are not as entry" in audit.verify().problem


def test_a_user_edited_outside_the_app_is_still_refused_at_save(
        actors: dict[Role, Actor], caseless: list[int], db_path: Path) -> None:
    """Users, grants, nominations and areas keep the save-time refusal."""
    user = int(User.get(User.login == "manager").id)
    _sql(db_path, "UPDATE \"user\" SET telephone = '01234 567890' WHERE id = ?", user)
    with pytest.raises(team_seal.TeamChanged):
        users.change_role(actors[Role.USER_ADMIN], "officer", Role.CRM, "Promoted")
    with pytest.raises(team_seal.TeamChanged):
        _on_no_case(actors, 1, "Wrote again")


def test_a_destruction_blanking_the_entry_that_held_the_seal_keeps_it_whole(
        actors: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> None:
    """The seal a save brings up to date is the latest one: when the save blanks the entry
    holding it (a file destroyed, its entries erased), the one last committed, not the older
    one left readable. The destruction of a customer's last file deletes their contacts on no
    case, through the app: the seal follows, reading none of the others."""
    from crm_tui.db.models import Case
    from crm_tui.services.retention import archive

    builders.at_state(actors, CaseState.RESTRICTED)
    _on_no_case(actors, 6, "Someone else")  # another customer's, left alone
    ref = builders.at_state(actors, CaseState.ENDED)
    customer = int(Case.get(Case.reference == ref).customer_id)
    assert customer != int(Customer.select(Customer.id).order_by(Customer.id).scalar())
    area = int(ServiceArea.select(ServiceArea.id).order_by(ServiceArea.id).scalar())
    other = int(Customer.select(Customer.id).order_by(Customer.id).scalar())
    with atomic():  # the seal goes into this entry about the case: no entry about no case
        ContactLogEntry.insert_many([
            {"customer": customer if i < 4 else other, "case": None,
             "at": datetime(2026, 11, 21, 9, i), "channel": "telephone",
             "direction": "inbound", "service_area": area, "officer_name": "Sam Okafor",
             "summary": f"Theirs {i}"} for i in range(5)]).execute()
        audit.record(actors[Role.OFFICER], "note", ref, payload={"contacts": 4})
    builders.send_lifted(actors[Role.CRM], ref)
    builders.archive_after_appeal_period(actors[Role.CRM], ref)
    found = team_seal.latest()
    assert found is not None and found[1][team_seal.CONTACT_SET][0] == 11
    assert AuditEntry.get(AuditEntry.seq == found[0]).case_reference == ref
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("every contact on no case was read at a save")

    with monkeypatch.context() as patch:
        patch.setattr(team_seal, "contact_set", refused)
        archive.destroy(actors[Role.CRM], ref)
    after = team_seal.latest()
    assert after is not None and after[0] > found[0]
    # Brought up from the seal the destruction blanked (11, less the customer's 4), not
    # from the one before it, left readable (6).
    assert after[1][team_seal.CONTACT_SET][0] == 7
    result = audit.verify()
    assert result.ok, result.problem


def test_the_set_is_a_product_modulo_the_prime_whatever_the_order() -> None:
    """The set's arithmetic: the folding multiplication is the product modulo the prime, and
    a row divided out leaves the set as it was without it."""
    import random

    prime = team_seal._PRIME
    chosen = random.Random(17)
    for _ in range(200):
        a, b = chosen.randrange(prime), chosen.randrange(prime)
        assert team_seal._times(a, b) == a * b % prime
    assert team_seal._times(prime - 1, prime - 1) == 1
    rows = [(n, 1, None, "2026-11-20 09:00:00", "telephone", "inbound", 1, "Sam Okafor", 0,
             f"Rang {n}", 0, None, None, 1) for n in range(6)]
    whole = team_seal._Change(6, 1, 1)
    for row in rows:
        whole = team_seal._Change(6, team_seal._times(whole.added,
                                                      team_seal._contact_hash(row)), 1)
    kept = {team_seal.CONTACT_SET: team_seal._as_set(6, whole.added)}
    gone = team_seal._Change(-1, 1, team_seal._contact_hash(rows[2]))
    part = team_seal._contacts_part(kept, gone)
    assert part is not None
    product = 1
    for row in rows[:2] + rows[3:]:
        product = team_seal._times(product, team_seal._contact_hash(row))
    assert part[team_seal.CONTACT_SET] == team_seal._as_set(5, product)
