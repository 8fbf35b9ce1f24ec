"""Which cases changed, told after the change is committed.

Every change to a case writes its audit entry (`audit.record`) inside the service's
transaction, so the audit trail is the one place that knows of every change, whichever
screen, dialog or command made it. The entry notes the case here; when the outermost
transaction commits, the notes go to whoever listens (the app, which tells its screens).
A transaction that rolls back drops its notes: nothing changed. Pure Python: the UI
subscribes with a plain callable, so nothing below `ui` knows of Textual.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One committed change: the case it touched and what was done (the audit action)."""

    reference: str
    what: str


Listener = Callable[[Change], object]

_listeners: list[Listener] = []
# The listeners set aside while `unheard` is in force (outermost last): back when it ends.
_set_aside: list[list[Listener]] = []
_lock = threading.Lock()
# Transactions are per thread (each worker has its own connection), and so are their notes.
_local = threading.local()
# The audit entries (by number) written by this program, while another program's changes are
# being looked for (services.core.outside_changes): those are told here when they commit, and
# must not be told a second time as if from outside. Counted, not a set: an entry's number is
# used again after a rollback, and a transaction rolled back in one thread (a rehearsed step)
# forgot the number a commit in another had just taken, which was then told as another
# program's change (the inbox held its keys on the case for seconds).
_ours: Counter[int] | None = None
# How many watchers want them kept (two apps in one process: tests of two people at once).
_keepers = 0


def _pending() -> list[Change]:
    found: list[Change] | None = getattr(_local, "pending", None)
    if found is None:
        found = _local.pending = []
    return found


def _pending_entries() -> list[int]:
    found: list[int] | None = getattr(_local, "entries", None)
    if found is None:
        found = _local.entries = []
    return found


def keep_ours(on: bool) -> None:
    """Start (or stop) remembering which audit entries this program writes: kept while any
    watcher wants them (a second app's watcher starting or stopping leaves the first's)."""
    global _ours, _keepers
    with _lock:
        _keepers = _keepers + 1 if on else max(0, _keepers - 1)
        if not _keepers:
            _ours = None
        elif _ours is None:
            _ours = Counter()


def ours(entry: int) -> bool:
    """Whether audit entry number `entry` was written by this program (each is asked once:
    the answer is forgotten with it)."""
    with _lock:
        if _ours is None or _ours[entry] <= 0:
            return False
        del _ours[entry]
        return True


def forget_ours_up_to(entry: int) -> None:
    """Entries up to `entry` have been looked at: nothing more to remember of them."""
    global _ours
    with _lock:
        if _ours:
            _ours = Counter({n: k for n, k in _ours.items() if n > entry})


def tell(found: list[Change]) -> None:
    """Tell the listeners of changes committed elsewhere (another program, found in the
    audit trail), as if committed here."""
    once = list(dict.fromkeys(found))
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        for change in once:
            listener(change)


def listen(listener: Listener) -> Callable[[], None]:
    """Call `listener` (in the thread that committed) after each committed change to a case;
    returns the function that stops it."""
    with _lock:
        _listeners.append(listener)

    def stop() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)
            for kept in _set_aside:  # stopped while unheard: it stays stopped after
                if listener in kept:
                    kept.remove(listener)
    return stop


@contextlib.contextmanager
def unheard() -> Iterator[None]:
    """Within it, changes committed (in any thread) are told to no listener, as if another
    program had made them and the app's watcher had not yet looked (about once a second:
    services.core.outside_changes). Listeners added within hear what follows; those there
    before listen again once it ends (unless stopped meanwhile). The tests' way to stand in
    for a second copy of the app."""
    with _lock:
        kept = list(_listeners)
        _set_aside.append(kept)
        _listeners.clear()
    try:
        yield
    finally:
        with _lock:
            _set_aside[:] = [held for held in _set_aside if held is not kept]
            _listeners[:0] = [listener for listener in kept if listener not in _listeners]


def noted(reference: str, what: str, entry: int | None = None) -> None:
    """A change to `reference` was written in the current transaction (as audit entry number
    `entry`)."""
    if entry is not None:
        with _lock:
            if _ours is not None:
                _ours[entry] += 1
                _pending_entries().append(entry)
    if reference:
        _pending().append(Change(reference, what))


def pending_references() -> list[str]:
    """The cases changed so far in the current (uncommitted) transaction, once each."""
    return list(dict.fromkeys(c.reference for c in _pending()))


def committed() -> None:
    """The outermost transaction committed: tell the listeners, once per case and action."""
    changes = list(dict.fromkeys(_pending()))
    _pending().clear()
    _pending_entries().clear()
    if changes:
        tell(changes)


def rolled_back() -> None:
    """The outermost transaction rolled back: what it noted never happened (and its entries'
    numbers will be used again)."""
    _pending().clear()
    entries = _pending_entries()
    with _lock:
        if _ours is not None:
            # One count each: the same number taken meanwhile by a commit elsewhere stays.
            _ours.subtract(entries)
            for entry in entries:
                if _ours[entry] <= 0:
                    _ours.pop(entry, None)
    entries.clear()
