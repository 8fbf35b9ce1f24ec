"""PostgreSQL's driver, loaded when a server database is opened, not at every start.

peewee imports every database driver it knows as it is itself imported (psycopg2, its
extensions and extras: some 7 ms and libpq at each start, issue 17), and its maintainer
keeps it so (coleifer/peewee#1044). A file database needs none of it: peewee is imported
here with psycopg2 hidden from it, and `server_driver` hands peewee the driver, as its own
import would have, the first time a server database is opened.

The package imports this first (crm_tui/db/__init__.py); a process that imported peewee
before it (a test, a script) has its driver already, and nothing here changes it.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

_HIDDEN = ("psycopg2",)


def import_peewee() -> ModuleType:
    """peewee, imported without psycopg2 when it is not imported yet."""
    if "peewee" in sys.modules:
        return sys.modules["peewee"]
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import` raises ImportError
    try:
        import peewee
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
    return peewee


def server_driver() -> None:
    """Give peewee the PostgreSQL driver, as its own import does when psycopg2 is there (the
    module's names, the UUID adapter registered, the adapter's transaction states). Called
    before a server database is made; does nothing once done."""
    import peewee

    names: dict[str, Any] = vars(peewee)  # peewee's own names, which its stubs leave out
    if names.get("psycopg2") is not None:
        return
    import psycopg2  # type: ignore[import-untyped]
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid  # type: ignore[import-untyped]

    register_uuid()
    adapter = peewee.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
    names.update(pg_extensions=extensions, pg_register_uuid=register_uuid, Json_pg2=Json)
    names["psycopg2"] = psycopg2  # last: what says the driver is there
