"""peewee imported without PostgreSQL's driver, which is handed to it when a server database
is opened (crm_tui/db/drivers.py; issue 17: psycopg2 and libpq loaded at every start, by
peewee's own import). Handed over, peewee holds the driver as its own import leaves it."""

from __future__ import annotations

import json
import subprocess
import sys

STATE = """
import json, sys, uuid
import peewee
import psycopg2.extensions
adapter = peewee.Psycopg2Adapter
print(json.dumps({
    "driver": peewee.psycopg2.__name__,
    "extensions": peewee.pg_extensions.__name__,
    "register_uuid": peewee.pg_register_uuid.__qualname__,
    "json": peewee.Json_pg2.__qualname__,
    "states": [adapter.txn_idle, adapter.txn_inerror, adapter.txn_unknown],
    "uuid_adapted": uuid.UUID in psycopg2.extensions.adapters.values() or any(
        key[0] is uuid.UUID for key in psycopg2.extensions.adapters),
    "adapter": type(peewee.PostgresqlDatabase("crm")._adapter).__name__,
}))
"""

HANDED = """
import sys
import crm_tui.db
assert "psycopg2" not in sys.modules, "peewee loaded psycopg2"
import peewee
assert peewee.psycopg2 is None
from crm_tui.db.drivers import server_driver
server_driver()
server_driver()  # once is enough; again, nothing changes
peewee.PostgresqlDatabase("crm")._adapter.check_driver()
"""


def _run(code: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_peewee_is_given_the_driver_as_its_own_import_gives_it() -> None:
    handed = _run(HANDED + STATE)
    own = _run(STATE)
    assert handed == own
    assert own["driver"] == "psycopg2" and own["uuid_adapted"] is True


def test_psycopg2_imported_first_is_left_to_peewee() -> None:
    """A process that imported psycopg2 before the app's database layer: peewee finds it."""
    found = _run("import psycopg2\nimport crm_tui.db\n" + STATE)
    assert found["driver"] == "psycopg2"
