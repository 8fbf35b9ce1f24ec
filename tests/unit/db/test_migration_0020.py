"""Version 18 rebuilt contact_log_entry to add a column, which dropped the triggers that keep
the contact log's search index current: contacts logged since were never found by search,
and a destroyed customer's older contacts stayed in the index. Version 20 makes them again
and rebuilds the index."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from peewee import SqliteDatabase

from crm_tui.db.connection import migration_runner, open_database
from crm_tui.db.models import ContactLogEntry
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contacts import ContactInput
from tests import builders, searched

TRIGGERS = {"contact_search_insert", "contact_search_delete", "contact_search_update"}


def _found(word: str) -> list[int]:
    return searched.contacts_found(word)


def test_a_contact_logged_is_found_by_search_and_gone_once_deleted(
        actors: dict[Role, Actor]) -> None:
    ref = builders.at_state(actors, CaseState.NEW)
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 11, 20, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary="Asked about the quernstone again"))
    found = _found("quernstone")
    assert len(found) == 1
    ContactLogEntry.delete().where(ContactLogEntry.id == found[0]).execute()
    assert _found("quernstone") == []


def test_an_upgraded_database_has_the_triggers_and_a_current_index(tmp_path: Path) -> None:
    path = tmp_path / "v19.sqlite3"
    old = SqliteDatabase(str(path))
    migration_runner(old).up(target="0019_tombstone_outcome")
    names = {r[0] for r in old.execute_sql("SELECT name FROM sqlite_master WHERE type = "
                                           "'trigger'").fetchall()}
    assert not names & TRIGGERS  # what version 18 left
    old.close()
    open_database(path).close()
    with sqlite3.connect(path) as upgraded:
        names = {r[0] for r in upgraded.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()}
    upgraded.close()
    assert names >= TRIGGERS
