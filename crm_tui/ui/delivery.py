"""Results from thread workers come back to the screen as Messages.

`post_message` never blocks, unlike `call_from_thread`, which waits for the event loop: a
worker still reading the database when the app quits would wait for ever, and the app would
wait for the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.message import Message


class Postable(Protocol):
    def post_message(self, message: Message) -> bool: ...


class Delivered(Message, bubble=False):
    def __init__(self, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        super().__init__()
        self.callback = callback
        self.args = args


def deliver(target: Postable, callback: Callable[..., Any], *args: Any) -> None:
    """From a worker thread: run `callback(*args)` on the event loop, in `target`."""
    target.post_message(Delivered(callback, args))


class DeliveryMixin:
    def on_delivered(self, message: Delivered) -> None:
        message.callback(*message.args)
