"""Issue 16: destruction erases everything. A demo-like file — a customer with a distinctive
name and address, a document and a logged contact with a distinctive phrase, a signed letter —
is destroyed; then the raw bytes of the database file, its WAL, every file in the evidence
store and the letters folder are searched for the three strings, and none is found."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db.models import Tombstone, database_proxy
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.restrictions import RestrictionKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core import audit, settings
from crm_tui.services.core.evidence_store import evidence_store
from crm_tui.services.core.inputs import CustomerInput, LocalResolutionInput, ReferralInput
from crm_tui.services.evidence import contacts, documents
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.intake import casework
from crm_tui.services.letters import issuing
from crm_tui.services.restrictions import decisions
from crm_tui.services.retention import archive
from tests import builders, dumps
from tests.builders import TOLD
from tests.conftest import PASSPHRASE

NAME = "Xanthippe Quarrendon"
ADDRESS = "47 Wolvercote Spinney"
PHRASE = "marmalade hovercraft ultimatum"
SECRETS = (NAME, ADDRESS, PHRASE)
# The search indexes hold words, lower-cased, each apart: the surname stayed there (issue 16).
# Words whose first letters no other word shares, so that no index stores them shortened.
WORDS = ("xanthippe", "quarrendon")


def _file_of(actors: dict[Role, Actor], folder: Path) -> str:
    """A file as the demo's are: referral, evidence, a decision, lifted, its letter signed,
    archived."""
    manager, crm = actors[Role.SERVICE_AREA_MANAGER], actors[Role.CRM]
    ref = casework.open_local_resolution(
        manager, CustomerInput(name=NAME, address=(ADDRESS, "Southampton"),
                               postcode="SO14 7LY"),
        "Housing Services",
        LocalResolutionInput(written_on=date(2026, 9, 1), written_summary="Concerns set out",
                             monitoring_start=date(2026, 9, 1),
                             monitoring_end=date(2026, 10, 31), contact_frequency="weekly",
                             warned=True, customer_summary=TOLD)).reference
    casework.record_referral(manager, ReferralInput(
        referred_by="manager", received_on=date(2026, 11, 2),
        behaviour_details=f"Forty emails a week: {PHRASE}",
        categories=(BehaviourCategory.SCATTERGUN,)), case_reference=ref)
    casework.begin_consideration(crm, ref)
    builders.draft(actors, ref)
    contacts.log_contact(actors[Role.OFFICER], ref, ContactInput(
        at=datetime(2026, 11, 20, 9, 0), channel=Channel.EMAIL, direction=Direction.INBOUND,
        service_area="Housing Services", officer_name="Sam Patel",
        summary=f"Wrote again: {PHRASE}", categories=(BehaviourCategory.EXCESSIVE_DEMANDS,)))
    document = folder / "email.txt"
    document.write_text(f"From {NAME}, {ADDRESS}\n\nThis is my {PHRASE}.\n")
    documents.attach_document(actors[Role.OFFICER], ref, document)
    document.unlink()
    builders.consult(actors, ref)
    decisions.impose_restrictions(crm, ref, "Persistent contact", builders.TERMS,
                                  read=builders.read(ref), customer_reason=TOLD)
    decisions.lift_restrictions(crm, ref, "Behaviour has subsided", customer_reason=TOLD)
    issuing.sign_and_export(crm, ref, LetterKind.LIFTED, settings.current().letters_path(),
                            PASSPHRASE)
    builders.archive_after_appeal_period(crm, ref)
    return ref


def _files(db_file: Path | None) -> Iterator[Path]:
    """The SQLite file and its sidecars (None: a server database, no file), the evidence
    and the letters."""
    if db_file is not None:
        yield db_file
        for suffix in ("-wal", "-journal"):
            side = Path(f"{db_file}{suffix}")
            if side.exists():
                yield side
    for folder in (evidence_store().root, settings.current().letters_path()):
        if folder.exists():
            yield from (p for p in folder.rglob("*") if p.is_file())


def _found(db_file: Path | None) -> list[str]:
    found = []
    for path in _files(db_file):
        data = path.read_bytes()
        for secret in SECRETS:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if secret.encode(encoding) in data or secret.lower().encode(encoding) in data:
                    found.append(f"{secret!r} ({encoding}) in {path.name}")
        found += [f"{word!r} in {path.name}" for word in WORDS if word.encode() in data]
    return found


@pytest.mark.sqlite_only(
    "reads the SQLite file's bytes (and its WAL's), erased by secure_delete; a PostgreSQL "
    "server does not zero the space a deleted row leaves in its tables' pages (nor in its "
    "WAL): test_on_a_server_a_destroyed_file_leaves_no_row_and_its_search_tables_no_byte")
def test_a_destroyed_file_leaves_no_trace_in_any_byte(
        actors: dict[Role, Actor], db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _file_of(actors, tmp_path)
    # Checked first: each of the three is there to be found before the destruction.
    assert {found.split("'")[1] for found in _found(db_path)} == {*SECRETS, *WORDS}
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(actors[Role.CRM], ref)
    assert _found(db_path) == []
    assert audit.verify().ok
    # The tombstone keeps the dates and the outcome categories, and who destroyed it.
    stone = Tombstone.get(Tombstone.case_reference == ref)
    assert (stone.opened_on, stone.restrictions_ended_on, stone.destroyed_on) == (
        date(2026, 11, 28), date(2026, 11, 28), date(2032, 12, 1))
    assert stone.destroyed_by == "crm"
    assert stone.outcome == "ended: restrictions lifted; restrictions: " + \
        RestrictionKind.FORM_OF_CONTACT.label


def _pages(db: Any) -> dict[str, bytes]:
    """Each table's and index's file of the server database, as the server keeps it on disk
    (read through the server: pg_read_binary_file, a superuser's), after a CHECKPOINT has
    written every page changed in memory to it."""
    db.execute_sql("CHECKPOINT")
    found = {}
    for name, path in db.execute_sql(
            "SELECT c.relname, pg_relation_filepath(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't')"):
        if path is not None:
            data = db.execute_sql("SELECT pg_read_binary_file(%s, 0, 1000000000, true)",
                                  (path,)).fetchone()[0]
            found[name] = bytes(data or b"")
    return found


def _in_pages(pages: dict[str, bytes]) -> set[tuple[str, str]]:
    return {(name, secret) for name, data in pages.items() for secret in (*SECRETS, *WORDS)
            if secret.encode() in data or secret.lower().encode() in data}


def test_on_a_server_a_destroyed_file_leaves_no_row_and_its_search_tables_no_byte(
        actors: dict[Role, Actor], engine: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL, what can be said of the bytes: no row of any table holds the destroyed
    file, no evidence or letter file is left, and the search tables the destruction vacuums
    (dialect.checkpoint) keep none of its words in their pages. The other tables' pages keep
    the deleted rows' bytes until the space is reused, and the search documents' GIN index
    its words in the space the vacuum freed: the server zeroes neither (as SQLite's
    secure_delete does), so the file's bytes are the server's to erase (its storage's
    encryption, its own backups' retention)."""
    if engine != "postgresql":
        pytest.skip("PostgreSQL only: run with --engines=postgresql")
    db: Any = database_proxy.obj
    if not db.execute_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                          ).fetchone()[0]:
        pytest.skip("reading the server's files needs a superuser (CRM_TUI_TEST_PG's is not)")
    ref = _file_of(actors, tmp_path)
    before = _in_pages(_pages(db))
    # Checked first: the pages are read, each of the three there to be found in them.
    assert {secret for _, secret in before} == {*SECRETS, *WORDS}
    assert {"case_search", "contact_log_entry"} <= {name for name, _ in before}
    monkeypatch.setenv("CRM_TUI_NOW", "2032-12-01T09:00:00")
    archive.destroy(actors[Role.CRM], ref)
    lines = "\n".join(dumps.dump())
    assert not [secret for secret in (*SECRETS, *WORDS)
                if secret in lines or secret.lower() in lines]
    assert _found(None) == []  # the evidence and letters
    after = {name for name, _ in _in_pages(_pages(db))}
    assert not after & {"case_search", "contact_log_entry"}, after
    assert audit.verify().ok


@pytest.mark.sqlite_only("secure_delete is SQLite's pragma")
def test_every_connection_sets_secure_delete(db: object) -> None:
    # Set explicitly, not left to how this build of SQLite was compiled.
    assert database_proxy.obj.execute_sql("PRAGMA secure_delete").fetchone()[0] == 1
