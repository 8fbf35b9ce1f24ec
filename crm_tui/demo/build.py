"""The demo database: invented people at every stage of the policy, built through the real
services on the dates things happened, so the audit trail and every date are consistent."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from crm_tui import clock
from crm_tui.config import Config
from crm_tui.db.connection import open_database
from crm_tui.db.models import AuditEntry, Case
from crm_tui.db.peek import empty_server_database, is_server
from crm_tui.demo.builder import DemoBuilder
from crm_tui.demo.data import DEMO_CRM
from crm_tui.demo.guard import check_demo_may_replace, demo_folders
from crm_tui.demo.keep import DEMO_EDITION
from crm_tui.demo.stories import stories
from crm_tui.demo.thrown_away import demo_holds, remove_files
from crm_tui.services.core import confirmation, settings, users
from crm_tui.services.core.database_facts import (
    mark_demo,
    mark_demo_built,
    set_evidence_folder,
    set_signing_folder,
)
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.letters import signing_keys


@dataclass(frozen=True)
class DemoSummary:
    path: Path | str  # a file, or a PostgreSQL database's URL
    cases: int
    contacts: int
    audit_entries: int


def build_demo(path: Path | str, config: Config | None = None) -> DemoSummary:
    """Build a fresh demo database at `path` (a file, or a PostgreSQL database's URL),
    replacing a demo database there and its folders. Refused, with nothing changed, if `path`
    holds anything else (see `guard`)."""
    evidence, keys, letters_folder = demo_folders(path)
    check_demo_may_replace(path, (evidence, keys, letters_folder))
    # Its evidence bundles and print packs go with it (issue 15 AX4), read before it goes.
    own_files = demo_holds(path, config)
    server = is_server(path)
    if not server:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    for folder in (evidence, keys, letters_folder):
        shutil.rmtree(folder, ignore_errors=True)
    remove_files(own_files)
    if server:  # a demo there (or nothing: the guard said so) has its tables made again
        empty_server_database(open_database(path, migrate=False))
    db = open_database(path)
    # Marked first, so that a build cut short can still be replaced, and its letters say DEMO.
    mark_demo(DEMO_CRM)
    # A file's by name, beside the database wherever it goes; a server's where they are.
    set_evidence_folder(str(evidence.absolute()) if server else evidence.name)
    set_signing_folder(str(keys.absolute()) if server else keys.name)
    users.ensure_service_areas((config or Config()).service_areas)
    builder = DemoBuilder(clock.today(), letters_folder)
    # The demo's people confirm their decisions with their (invented) keys' passphrase.
    with confirmation.given(DEMO_PASSPHRASE):
        builder.run(stories(builder))
    for login in (DEMO_CRM, "gareth.bell"):  # a newcomer can sign as either at once
        if not signing_keys.key_file(login).is_file():  # each makes their own key
            signing_keys.create_key(users.resolve_actor(login), login,
                                    signing_keys.DEMO_PASSPHRASE,
                                    council=settings.current().council.name, demo=True)
    summary = DemoSummary(path, Case.select().count(), builder.contacts,
                          AuditEntry.select().count())
    # Last: a build cut short is built again.
    mark_demo_built(clock.today().isoformat(), DEMO_EDITION)
    db.close()
    return summary
