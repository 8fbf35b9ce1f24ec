"""Run as a program by tests/unit/test_start_imports.py: `crm-tui --db PATH` as its command
line starts it (crm_tui.cli.main, no command), headless at 160x50, to the painted inbox; then
prints one JSON object: the modules loaded by `import crm_tui.cli` alone, those loaded by the
painted inbox, and the SQL statements run before the app was built and between its start and
the painted inbox.

    python -m tests.started DATABASE
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

FOUND: dict[str, Any] = {}


def _rules_compiled() -> list[str]:
    """The letters' wording rules (domain/wording.py) compiled so far."""
    wording = sys.modules.get("crm_tui.domain.wording")
    if wording is None:
        return []
    return sorted(name for name, value in vars(wording).items()
                  if isinstance(value, wording.Rule) and value._compiled is not None)


def main(database: str) -> None:
    import crm_tui.cli

    FOUND["cli"] = sorted(sys.modules)
    import peewee

    phase = ["before the app"]
    queries: dict[str, list[str]] = {"before the app": [], "app to painted inbox": []}
    execute = peewee.Database.execute_sql

    def counted(self: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
        if phase[0] in queries:
            queries[phase[0]].append(sql)
        return execute(self, sql, *args, **kwargs)

    peewee.Database.execute_sql = counted  # type: ignore[method-assign]

    def headless(app: Any, *_: Any, **__: Any) -> None:
        phase[0] = "app to painted inbox"

        async def painted() -> None:
            from textual.widgets import DataTable

            async with app.run_test(size=(160, 50)):
                while not (type(app.screen).__name__ == "InboxScreen"
                           and app.screen.query_one("#cases", DataTable).row_count):
                    await asyncio.sleep(0.005)
                done = asyncio.Event()
                app.call_after_refresh(done.set)
                await done.wait()
                FOUND["painted"] = sorted(sys.modules)
                FOUND["rules compiled"] = _rules_compiled()
                results = vars(sys.modules["crm_tui.services.core.results"])
                FOUND["results made"] = sorted(
                    name for name in ("UserInfo", "CaseSummary", "DashboardCounts", "RoleHeld")
                    if name in results)
                phase[0] = "after"

        asyncio.run(painted())

    # The app's class, imported as the CLI imports it when it launches the app.
    from crm_tui.ui import app as app_module

    app_module.CrmApp.run = headless  # type: ignore[method-assign]
    load_users = app_module.CrmApp.load_users

    def users_read(app: Any) -> Any:
        # The rows the inbox showed when the people were first asked for: they are read
        # after its first page, on a thread that may run before this process marks the
        # paint, so what they read is counted apart.
        if "users_read_at_rows" not in FOUND:
            from textual.widgets import DataTable

            tables = app.screen.query("#cases").results(DataTable)
            FOUND["users_read_at_rows"] = sum(table.row_count for table in tables)
            if phase[0] == "app to painted inbox":
                phase[0] = "people read"
        return load_users(app)

    app_module.CrmApp.load_users = users_read  # type: ignore[method-assign]
    # What the app does on timers, off the path to the painted inbox by design (the expiry
    # check two seconds after start; the people read at the latest after USERS_AFTER): on a
    # loaded machine the paint can come later than they, and they are not what is measured.
    app_module.CrmApp.expire_ended = lambda self: None  # type: ignore[method-assign]
    app_module.CrmApp.USERS_AFTER = 600.0
    crm_tui.cli.main(["--db", database], standalone_mode=False)
    FOUND["queries"] = queries
    print(json.dumps(FOUND))


if __name__ == "__main__":
    main(sys.argv[1])
