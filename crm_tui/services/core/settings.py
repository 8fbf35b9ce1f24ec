"""The configuration the services work under, set once at start-up by the CLI."""

from __future__ import annotations

from crm_tui.config import Config

_current = Config()


def configure(config: Config) -> None:
    global _current
    _current = config
    # Where the database key comes from, and whether a new database is encrypted.
    from crm_tui.services.core import database_key

    database_key.install(config)


def current() -> Config:
    return _current
