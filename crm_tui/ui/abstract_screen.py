"""Screens with hooks their subclasses must give: a class that declares one with
`abc.abstractmethod` cannot be made until a subclass gives it. Textual's screens have a
metaclass of their own (it gathers their message handlers); ABC's is joined to it."""

from __future__ import annotations

from abc import ABCMeta

from textual.message_pump import _MessagePumpMeta


class AbstractScreenMeta(_MessagePumpMeta, ABCMeta):
    """Textual's metaclass first: it gathers the handlers, then ABC's counts the hooks."""
