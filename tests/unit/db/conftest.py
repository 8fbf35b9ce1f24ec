"""What the PostgreSQL-only tests of the data layer share: the skip when the run does not
include a server, and a new empty database on it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from crm_tui.db.models import database_proxy
from tests import pg_cluster


@pytest.fixture
def on_postgresql(engine: str) -> None:
    if engine != "postgresql":
        pytest.skip("PostgreSQL only: run with --engines=postgresql")


@pytest.fixture
def empty_server_db(on_postgresql: None, pg_server: pg_cluster.Cluster,
                    request: pytest.FixtureRequest) -> Iterator[str]:
    """A new database on the server, with no table at all (as its administrator makes it)."""
    name = f"crm_tui_empty_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    url = pg_server.create(name)
    yield url
    if database_proxy.obj is not None:
        database_proxy.obj.close()
    pg_server.drop(name)
