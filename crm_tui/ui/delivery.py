"""Results from thread workers come back to the screen as Messages.

`post_message` never blocks, unlike `call_from_thread`, which waits for the event loop: a
worker still reading the database when the app quits would wait for ever, and the app would
wait for the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.message import Message
from textual.worker import NoActiveWorker, Worker, get_current_worker


class Postable(Protocol):
    def post_message(self, message: Message) -> bool: ...


class Delivered(Message, bubble=False):
    def __init__(self, callback: Callable[..., Any], args: tuple[Any, ...],
                 worker: Worker[Any] | None = None) -> None:
        super().__init__()
        self.callback = callback
        self.args = args
        self.worker = worker  # set for a read a newer read may overtake (deliver_latest)


def deliver(target: Postable, callback: Callable[..., Any], *args: Any) -> None:
    """From a worker thread: run `callback(*args)` on the event loop, in `target`."""
    target.post_message(Delivered(callback, args))


def deliver_latest(target: Postable, callback: Callable[..., Any], *args: Any) -> None:
    """From the worker of a screen's read (an exclusive group): as `deliver`, but dropped on
    arrival if a newer read of the group has started since. A change told while a read runs
    starts a newer read (which cancels this one); this one's result, read before the change,
    may still reach the screen after the newer one's, and would show the screen as it was."""
    try:
        worker: Worker[Any] | None = get_current_worker()
    except NoActiveWorker:
        worker = None
    target.post_message(Delivered(callback, args, worker))


class DeliveryMixin:
    def on_delivered(self, message: Delivered) -> None:
        if message.worker is not None and message.worker.is_cancelled:
            return  # overtaken by a newer read, whose result stands
        message.callback(*message.args)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Textual tells a worker's failure only to the screen or widget that ran it (the
        # message does not bubble): a failure no screen expected was never shown, and a
        # dialog stayed "Working…" for good (issue 16). Every one goes to the app's handler.
        failed = getattr(getattr(self, "app", None), "worker_failed", None)
        if callable(failed):
            failed(event)
