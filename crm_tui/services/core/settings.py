"""The configuration the services work under, set once at start-up by the CLI."""

from __future__ import annotations

from crm_tui.config import Config

_current = Config()


def configure(config: Config) -> None:
    global _current
    _current = config


def current() -> Config:
    return _current
