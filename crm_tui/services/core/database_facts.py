"""Facts about the database itself."""

from __future__ import annotations

from pathlib import Path

from crm_tui.db import dialect
from crm_tui.db.copies import beside
from crm_tui.db.models import Setting, User
from crm_tui.services.core.database import atomic

DEMO_KEY = "demo_acting_user"


def _put(key: str, value: str) -> None:
    """The setting `key` is `value` from now (written over the one before)."""
    dialect.insert_or_replace(Setting.insert(key=key, value=value), Setting.key).execute()


def mark_demo(default_login: str) -> None:
    """Record that this database holds invented demo data, opened as `default_login`."""
    with atomic():
        _put(DEMO_KEY, default_login)


def _people_bound() -> bool:
    return bool(User.select().where(User.os_account.is_null(False)).exists())


def demo_user() -> str | None:
    """The demo's default acting user, or None for a real database. The demo's people have
    no accounts: a database where anyone is bound to one is real, whatever a settings row
    says (that row is outside the audit trail's hash chain)."""
    row = Setting.get_or_none(Setting.key == DEMO_KEY)
    return str(row.value) if row and not _people_bound() else None


# Written last by the demo build: a demo without it was cut short, and is built again.
DEMO_BUILT_KEY = "demo_built_on"
# The edition of the demo's stories and stored facts it was built with: a demo of another
# edition is built again, since a kept demo would show facts this version works out otherwise
# (a next action stored by the rule of an earlier version).
DEMO_EDITION_KEY = "demo_edition"


def mark_demo_built(on: str, edition: str) -> None:
    with atomic():
        _put(DEMO_EDITION_KEY, edition)
        _put(DEMO_BUILT_KEY, on)


BENCHMARK_KEY = "benchmark_data"


def mark_benchmark(what: str) -> None:
    """Record that this database was made for benchmarks and holds synthetic data only."""
    with atomic():
        _put(BENCHMARK_KEY, what)


def is_synthetic() -> bool:
    """Whether this database holds only invented data: a demo's, or one made for benchmarks."""
    return bool(Setting.select().where(Setting.key.in_([DEMO_KEY, BENCHMARK_KEY])).exists()
                and not _people_bound())


EVIDENCE_KEY = "evidence_folder"


def set_evidence_folder(folder: str) -> None:
    """Keep this database's evidence in its own folder beside it (the demo's), by name."""
    with atomic():
        _put(EVIDENCE_KEY, folder)


def _own_folder(key: str) -> Path | None:
    """The folder of this database's own that a setting names: beside the database file, by
    name (copies.beside), whatever folder the setting was written in."""
    row = Setting.get_or_none(Setting.key == key)
    if not row or not row.value:
        return None
    file = dialect.database_path()
    if file is None:
        return Path(str(row.value))  # no file to be beside (in memory, or on a server)
    return beside(file, str(row.value))


def evidence_folder() -> Path | None:
    return _own_folder(EVIDENCE_KEY)


SIGNING_KEY = "signing_folder"


def set_signing_folder(folder: str) -> None:
    """Keep this database's signing keys in their own folder beside it (the demo's), by
    name."""
    with atomic():
        _put(SIGNING_KEY, folder)


def signing_folder() -> Path | None:
    return _own_folder(SIGNING_KEY)
