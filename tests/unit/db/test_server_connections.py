"""On PostgreSQL a connection a worker closes is kept for the next worker, not closed: a new
server connection cost every screen, page and month 3 ms idle and 20-90 ms on a loaded
machine before its first query (issue 17's benchmarks on PostgreSQL). One that cannot be
used as it was opened (ended by the server, left in a transaction) is never given again.
PostgreSQL only (`--engines=postgresql`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from crm_tui.db import server_connections
from crm_tui.db.connection import open_database
from crm_tui.db.models import Setting, database_proxy
from crm_tui.db.server_connections import KEPT
from crm_tui.services.core.database import session
from tests import pg_cluster

pytestmark = pytest.mark.usefixtures("on_postgresql")


def _in_a_worker(work: Callable[[], Any]) -> Any:
    """`work` in a thread of its own, as a Textual thread worker runs it."""
    found: list[Any] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            found.append(work())
        except BaseException as exc:  # handed to the test
            failed.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if failed:
        raise failed[0]
    return found[0]


def _read_backend() -> int:
    """A worker's read (as the screens read): the server process it was served by."""
    with session():
        Setting.select().count()
        return int(database_proxy.execute_sql("SELECT pg_backend_pid()").fetchone()[0])


def test_a_worker_reads_on_the_connection_the_one_before_it_closed(db: Any) -> None:
    first = _in_a_worker(_read_backend)
    opened = db.opened
    assert [_in_a_worker(_read_backend) for _ in range(3)] == [first] * 3
    assert db.opened == opened  # no new connection made for them


def test_workers_reading_at_once_each_have_their_own_and_a_few_are_kept(db: Any) -> None:
    inside, leave = threading.Barrier(KEPT + 2), threading.Event()

    def hold() -> int:
        with session():
            pid = int(database_proxy.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
            inside.wait(10)
            leave.wait(10)
            return pid

    found: list[int] = []
    threads = [threading.Thread(target=lambda: found.append(hold()))
               for _ in range(KEPT + 1)]
    for thread in threads:
        thread.start()
    inside.wait(10)  # every one of them reading at once
    leave.set()
    for thread in threads:
        thread.join(10)
    assert len(set(found)) == KEPT + 1  # never two readers on one connection
    assert len(db._idle) == KEPT  # the one over is closed


def test_a_connection_the_server_ended_meanwhile_is_not_given_again(db: Any) -> None:
    ended = _in_a_worker(_read_backend)
    database_proxy.execute_sql("SELECT pg_terminate_backend(%s)", (ended,))
    deadline = time.monotonic() + 10
    while database_proxy.execute_sql("SELECT count(*) FROM pg_stat_activity WHERE pid = %s",
                                      (ended,)).fetchone()[0]:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # The next worker reads, on a new connection, with no error.
    assert _in_a_worker(_read_backend) != ended


def test_a_connection_closed_inside_a_transaction_is_closed_not_kept(db: Any) -> None:
    def left_open() -> Any:
        db.connect()
        conn = db.connection()
        conn.cursor().execute("BEGIN")  # begun behind peewee's back: it would close it
        db.close()
        return conn

    conn = _in_a_worker(left_open)
    assert conn.closed
    assert conn not in db._idle


def test_opening_another_database_closes_the_ones_kept_for_the_first(
        db: Any, pg_server: pg_cluster.Cluster, request: pytest.FixtureRequest) -> None:
    _in_a_worker(_read_backend)
    kept = list(db._idle)
    assert kept
    name = f"crm_tui_other_{abs(hash(request.node.nodeid)) % 10**8}"
    request.addfinalizer(lambda: pg_server.drop(name))
    other = open_database(pg_server.create(name))
    assert all(conn.closed for conn in kept) and not db._idle
    other.close()


def test_the_server_compiles_none_of_the_apps_queries(db: Any) -> None:
    # The calendar's month with 5,000 restrictions: PostgreSQL's estimate of its comment
    # period query (the deadline function per case) passed JIT's threshold, and compiling
    # took 5.3 s of a query that ran in 9 ms. Every connection, a worker's too, says jit off.
    assert database_proxy.execute_sql("SHOW jit").fetchone()[0] == "off"
    assert _in_a_worker(lambda: database_proxy.execute_sql("SHOW jit").fetchone()[0]) == "off"


def test_a_connection_kept_and_unused_for_a_while_is_closed(
        db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A team's apps left open would otherwise each hold a few of the server's connections
    # (max_connections, 100 by default) for nothing.
    monkeypatch.setattr(server_connections, "IDLE_SECONDS", 0.2)
    _in_a_worker(_read_backend)
    kept = list(db._idle)
    assert kept and not any(conn.closed for conn in kept)
    deadline = time.monotonic() + 10
    while db._idle:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert all(conn.closed for conn in kept)
    _in_a_worker(_read_backend)  # the next read opens one again
    assert db._idle
