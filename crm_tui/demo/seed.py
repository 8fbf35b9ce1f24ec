"""Synthetic data at scale for benchmarks: many customers, cases and millions of log-sheet
entries, written in large batches inside one transaction (SQLite: executemany of one
prepared INSERT; PostgreSQL: COPY)."""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from crm_tui import clock
from crm_tui.config import server_folder
from crm_tui.db import contact_writes
from crm_tui.db.connection import open_database
from crm_tui.db.dialect import is_sqlite, write_transaction
from crm_tui.db.models import Case, ContactLogEntry, Customer, ServiceArea, User, database_proxy
from crm_tui.db.peek import is_server
from crm_tui.demo.data import (
    DISTRICTS,
    INBOUND_SUMMARIES,
    OFFICERS,
    ORDINARY_SUMMARIES,
    STREETS,
)
from crm_tui.demo.guard import check_seed_may_write
from crm_tui.domain.contact import Channel, Direction
from crm_tui.domain.roles import Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import audit, audit_seals, confirmation, users
from crm_tui.services.core.case_steps import reindex
from crm_tui.services.core.database_facts import mark_benchmark, set_signing_folder
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
from crm_tui.services.letters import signing_keys

Progress = Callable[[int], None]
BATCH = 20_000
RECORDER = "benchmark.recorder"  # records the contacts in a database seed makes
ADMIN = "benchmark.admin"
FIRST = ("Alex", "Bryn", "Cai", "Dana", "Eli", "Fern", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lee",
         "Mo", "Nia", "Oli", "Pip", "Rae", "Sol", "Tam", "Val")
LAST = ("Ashdown", "Brackwater", "Coldharbour", "Dunmore", "Elmstead", "Foxley", "Greystoke",
        "Hollins", "Ivybridge", "Juniper", "Kettleby", "Larchmont", "Merriweather", "Nettlefold",
        "Oakhanger", "Pemberton", "Quenby", "Rookwood", "Stonebridge", "Thornbury")
SUMMARIES = [s for group in INBOUND_SUMMARIES.values() for s in group] + list(ORDINARY_SUMMARIES)
CUSTOMER_COLUMNS = ["reference", "name", "address", "postcode", "email", "telephone",
                    "personal_circumstances", "reasonable_adjustments", "contact_needs",
                    "genuine_ongoing_problems", "created_at", "form_of_address", "language"]
STATES = [s.value for s in CaseState if s is not CaseState.DESTROYED]


def _insert(model: type, fields: list[str], rows: Iterator[tuple[object, ...]],
            progress: Progress) -> None:
    db = database_proxy.obj
    if not is_sqlite(db):
        _copy(model, fields, rows, progress)
        return
    table = model._meta.table_name  # type: ignore[attr-defined]
    columns = ", ".join(f'"{f}"' for f in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
    batch: list[tuple[object, ...]] = []
    cursor = db.cursor()
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            cursor.executemany(sql, batch)
            progress(len(batch))
            batch.clear()
    if batch:
        cursor.executemany(sql, batch)
        progress(len(batch))


def _copy_text(value: object) -> str:
    """A value in COPY's text format: NULL as \\N, booleans as t/f, and the characters COPY
    gives meaning to escaped (an address runs over two lines)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _copy(model: type, fields: list[str], rows: Iterator[tuple[object, ...]],
          progress: Progress) -> None:
    """PostgreSQL: the rows sent with COPY, a batch at a time. psycopg2's executemany sends
    one INSERT a row, a round trip each: 5,000,000 contacts would take an hour."""
    table = model._meta.table_name  # type: ignore[attr-defined]
    columns = ", ".join(f'"{f}"' for f in fields)
    sql = f'COPY "{table}" ({columns}) FROM STDIN'
    cursor = database_proxy.obj.cursor()
    batch: list[str] = []

    def send() -> None:
        cursor.copy_expert(sql, io.StringIO("".join(batch)))
        progress(len(batch))
        batch.clear()

    for row in rows:
        batch.append("\t".join(_copy_text(value) for value in row) + "\n")
        if len(batch) == BATCH:
            send()
    if batch:
        send()


def open_for_seeding(path: Path | str, service_areas: tuple[str, ...]) -> bool:
    """Open the database at `path` (a file, or a PostgreSQL database's URL) to seed it: a demo
    database, one made for benchmarks, or a new one (on a server: one with no tables yet),
    made here and marked as made for benchmarks, with the service areas and a user to record
    the contacts. True if it was new. Refused, with nothing changed, for anything else."""
    new = check_seed_may_write(path)
    open_database(path)
    users.ensure_service_areas(service_areas)
    if new:
        mark_benchmark("made by crm-tui seed")
        if users.count_users() == 0:
            # Users are added by a user administrator, here an invented one of its own.
            users.add_user(None, ADMIN, "Benchmark Administrator", Role.USER_ADMIN,
                           staff_id="BENCH-0")
            # Its key lives beside the database, never among real people's keys, and confirms
            # the one user it adds, as any administrator's does.
            set_signing_folder(_signing_folder(path))
            admin = users.resolve_actor(ADMIN)
            signing_keys.create_key(admin, ADMIN, DEMO_PASSPHRASE, council="Benchmark",
                                    demo=True, remember=False)
            with confirmation.given(DEMO_PASSPHRASE):
                users.add_user(admin, RECORDER, "Benchmark Recorder", Role.OFFICER,
                               staff_id="BENCH-1")
    return new


def _signing_folder(path: Path | str) -> str:
    """Where the invented administrator's key is kept: beside a file, by name; for a server
    database, which has no folder beside it, a folder of its own in the user data folder,
    named after the server and the database."""
    if not is_server(path):
        return Path(path).stem + "-signing"
    return str(server_folder(str(path), "benchmark", "signing").absolute())


def seed(customers: int, contacts: int, progress: Progress = lambda n: None) -> None:
    """Add `customers` customers (one case for every tenth) and `contacts` log-sheet entries.
    Needs at least one user; the database's users and service areas are used."""
    rng = random.Random(7)
    today = clock.today()
    now = clock.now()
    areas = [a.id for a in ServiceArea.select()]
    recorder = User.select().where(User.role == Role.OFFICER.value).first() or User.select().first()
    if recorder is None or not areas:
        raise ValueError("seed needs a database with users and service areas (crm-tui demo)")
    first_customer = (Customer.select(Customer.id).order_by(Customer.id.desc()).scalar() or 0) + 1
    # SQLite numbers the new customers from the highest one's number on; a PostgreSQL sequence
    # may have been drawn past it (a transaction undone), so there they are numbered here,
    # and their cases below name them by those numbers.
    numbered = not is_sqlite(database_proxy.obj)
    with write_transaction(database_proxy.obj):
        _insert(Customer, ["id"] * numbered + CUSTOMER_COLUMNS,
                ((*(first_customer + i,) * numbered, f"S{first_customer + i:07d}",
                  f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                  f"{rng.randint(1, 300)} {rng.choice(STREETS)}\n{rng.choice(DISTRICTS)}",
                  f"NM{rng.randint(1, 9)} {rng.randint(1, 9)}AB", "", "", "", "", "", False, now,
                  "", "")
                 for i in range(customers)), progress)
        if numbered:
            database_proxy.obj.execute_sql(
                "SELECT setval(pg_get_serial_sequence('customer', 'id'), "
                "(SELECT max(id) FROM customer))")
        first_case = (Case.select(Case.id).order_by(Case.id.desc()).scalar() or 0) + 1
        _insert(Case, ["reference", "customer_id", "service_area_id", "state", "opened_on",
                       "state_changed_at", "no_local_resolution_reason", "review_due",
                       "next_action", "next_action_due", "received_on", "categories"],
                # Numbered as their customers are, so that a database can be seeded again.
                ((f"UPV-S{first_customer + i:07d}", first_customer + i, rng.choice(areas),
                  rng.choice(STATES),
                  today - timedelta(days=rng.randint(1, 900)), now, "",
                  today + timedelta(days=rng.randint(-30, 365)), "Review due",
                  today + timedelta(days=rng.randint(-30, 365)),
                  today - timedelta(days=rng.randint(1, 400)), rng.getrandbits(15) & 0x7FFF)
                 for i in range(0, customers, 10)), progress)
        for case in Case.select().where(Case.id >= first_case):
            reindex(case)
        contact_writes.unknown()  # written by its own SQL: the seal reads every contact
        _insert(ContactLogEntry, ["customer_id", "at", "channel", "direction", "service_area_id",
                                  "officer_name", "duration_minutes", "summary", "categories",
                                  "recorded_by_id"],
                _contacts(rng, first_customer, customers, contacts, areas, recorder.id, today),
                progress)
        # Recorded as the user who recorded the contacts: no anonymous "system" entry.
        audit.record(users.resolve_actor(recorder.login), "seed",
                     payload={"customers": customers, "contacts": contacts})
        # Its entry vouches for the contacts it put on no case, as any save's does (this
        # bulk transaction is not the services' `atomic`, which would seal them as it ends).
        audit_seals.store()


def _contacts(rng: random.Random, first: int, customers: int, contacts: int, areas: list[int],
              recorder: int, today: date) -> Iterator[tuple[object, ...]]:
    channels = [c.value for c in Channel]
    start = datetime.combine(today, datetime.min.time()) - timedelta(days=730)
    span = 730 * 24 * 3600
    for _ in range(contacts):
        # A few customers account for most contacts, as in real life.
        who = first + min(int(rng.paretovariate(1.2)) - 1, customers - 1) \
            if rng.random() < 0.3 else first + rng.randrange(customers)
        yield (who, start + timedelta(seconds=rng.randrange(span)), rng.choice(channels),
               Direction.INBOUND.value if rng.random() < 0.8 else Direction.OUTBOUND.value,
               rng.choice(areas), rng.choice(OFFICERS), rng.choice((5, 10, 15, 30)),
               rng.choice(SUMMARIES), rng.getrandbits(15) & rng.getrandbits(15), recorder)
