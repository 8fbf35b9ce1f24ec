"""The database layer's own error, kept apart so that every module of the layer can raise it."""

from __future__ import annotations


class DatabaseError(Exception):
    """The database could not be opened or upgraded; the message says why."""
