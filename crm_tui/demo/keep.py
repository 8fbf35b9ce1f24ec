"""Whether `crm-tui demo` (and `make run`) opens the demo database as the user left it, or
builds it: it is kept between runs, so that what someone tried in it is still there, and built
only when there is none, when it was made for another schema, or when its last build was cut
short; `--fresh` builds it again whatever it holds."""

from __future__ import annotations

from pathlib import Path

from playhouse.migrations import Migration

from crm_tui.db.connection import MIGRATIONS, shown
from crm_tui.db.peek import applied_migrations
from crm_tui.demo.guard import Refused, demo_marks
from crm_tui.services.core.database_facts import DEMO_BUILT_KEY, DEMO_EDITION_KEY, DEMO_KEY

# Raised whenever the demo's stories, or a fact stored on its rows, are worked out otherwise
# than before (2: the next action from one rule, issue 15; 3: every decision letter issued on
# its day, as a team would have).
DEMO_EDITION = "3"


def why_build(path: Path | str) -> str | None:
    """Why the demo at `path` must be built, in words for the user; None to keep it as it
    is. Refused when `path` holds anything but a demo database (the build refuses it too)."""
    marks = demo_marks(path)
    where = shown(path)
    if marks is None:
        return f"there is no demo database at {where} yet"
    if DEMO_KEY not in marks:
        raise Refused(f"{where} is a crm-tui database that is not a demo; crm-tui demo does "
                      "not replace it. Choose another --db.")
    known = {m.name for m in Migration.load_directory(str(MIGRATIONS))}
    applied = applied_migrations(path)
    if applied != known:
        was = max(applied) if applied else "none"
        if known - applied:
            return (f"the demo database at {where} was made by an older version of crm-tui "
                    f"(schema {was}; this version's is {max(known)})")
        return (f"the demo database at {where} was made by a newer version of crm-tui "
                f"(schema {was})")
    if DEMO_BUILT_KEY not in marks:
        return (f"the demo database at {where} has no record that its build finished (a "
                "build cut short, or a demo from before crm-tui kept them)")
    if marks.get(DEMO_EDITION_KEY) != DEMO_EDITION:
        return (f"the demo database at {where} was made by an older version of crm-tui's demo "
                "(its cases' facts are worked out otherwise now)")
    return None
