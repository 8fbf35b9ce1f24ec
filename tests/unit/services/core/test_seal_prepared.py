"""A case is sealed into the audit trail twice at every save (as last committed, and as the
save leaves it). Found when tried: building the demo spent most of its time writing the SQL
of the seal's twenty-odd selects afresh each time, and hashing again the same unchanged rows.
The selects' SQL is now written once (db/prepared.py) and a row read the same as before is
not hashed again; the seal is the same as peewee's own selects make it, and a row changed
since it was last hashed is still seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from crm_tui.db.models import Case, ContactLogEntry, Customer, User, database_proxy
from crm_tui.db.prepared import Prepared
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit_seals, team_seal
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders


def _restricted_case(actors: dict[Role, Actor]) -> tuple[str, int]:
    reference = builders.at_state(actors, CaseState.RESTRICTED)
    contacts.log_contact(actors[Role.OFFICER], reference, ContactInput(
        at=datetime(2026, 11, 26, 10, 5), channel=Channel.TELEPHONE,
        direction=Direction.INBOUND, service_area="Housing Services",
        officer_name="Sam Okafor", summary="Rang about the repair to the boiler"))
    return reference, int(Case.get(Case.reference == reference).id)


def _sql_written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries peewee writes SQL for from now on (it does so here before it runs one)."""
    written: list[str] = []
    db: Any = database_proxy.obj
    own = db.execute

    def counted(query: Any, **options: Any) -> Any:
        written.append(type(query).__name__)
        return own(query, **options)

    monkeypatch.setattr(db, "execute", counted)
    return written


def test_sealing_a_case_again_writes_no_sql_anew(actors: dict[Role, Actor],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _reference, case_id = _restricted_case(actors)
    first = audit_seals.seal(case_id)
    written = _sql_written(monkeypatch)
    assert audit_seals.seal(case_id) == first
    assert written == []


def test_sealing_the_team_again_writes_no_sql_anew(actors: dict[Role, Actor],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first = team_seal.seal()
    assert len(first["users"]) == User.select().count() > 0
    written = _sql_written(monkeypatch)
    assert team_seal.seal() == first
    assert team_seal._user_hash(actors[Role.OFFICER].user_id) == first["users"][
        str(actors[Role.OFFICER].user_id)]
    assert written == []


def test_a_prepared_select_reads_its_rows_as_peewees_own_select(
        actors: dict[Role, Actor]) -> None:
    _reference, case_id = _restricted_case(actors)

    def contacts_of(case: Any) -> Any:
        return ContactLogEntry.select(*audit_seals.contact_columns()).where(
            ContactLogEntry.case == case).order_by(ContactLogEntry.id)

    prepared = Prepared(contacts_of)
    own = list(contacts_of(case_id).tuples())
    assert own  # dates, foreign keys and text, each read as its field reads it
    assert list(prepared.rows(case_id)) == own
    assert list(prepared.rows(case_id + 1000)) == []
    with pytest.raises(TypeError):
        prepared.rows(str(case_id))
    everyone = Prepared(lambda _: User.select(User.id, User.login).order_by(User.id),
                        kind=None)
    assert list(everyone.rows()) == list(User.select(User.id, User.login).order_by(
        User.id).tuples())


def test_a_contact_changed_since_it_was_hashed_is_seen(actors: dict[Role, Actor]) -> None:
    reference, case_id = _restricted_case(actors)
    assert audit_seals.as_left(reference, case_id) == ""  # every row hashed and remembered
    contact = ContactLogEntry.select().where(ContactLogEntry.case == case_id).get()
    ContactLogEntry.update(summary="Rang to thank the team").where(
        ContactLogEntry.id == contact.id).execute()  # an edit made outside the app
    assert "the log sheet of" in audit_seals.as_left(reference, case_id)


def test_a_customer_edited_outside_the_app_is_refused_at_the_next_save(
        actors: dict[Role, Actor]) -> None:
    reference, case_id = _restricted_case(actors)
    customer = Case.get(Case.id == case_id).customer_id
    Customer.update(address="1 Elsewhere Road").where(Customer.id == customer).execute()
    with pytest.raises(audit_seals.OutsideChange, match="customer"):
        contacts.log_contact(actors[Role.OFFICER], reference, ContactInput(
            at=datetime(2026, 11, 26, 11, 0), channel=Channel.EMAIL,
            direction=Direction.INBOUND, service_area="Housing Services",
            officer_name="Sam Okafor", summary="Emailed about the repair again"))
