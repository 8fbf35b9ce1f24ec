"""Steps shared by the Pilot tests."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey
from textual.worker import WorkerCancelled

from crm_tui.ui.keys_wait import waited_on

# Long enough for any worker of these tests on a loaded machine.
WORKER_WAIT = 30.0
# How often settle looks at the screen on top while workers run (seconds).
_LOOK = 0.05
# A prompt a worker waits on takes the keys held before it once its field has the cursor: a
# moment after it is on top (seconds). After a wrong passphrase the prompt asks again, and on
# a loaded machine its field took the cursor back after more than 1.5 s (a clean run failed
# three tests so): past the app's 5-second hold, it is a prompt that never takes them.
_PROMPT_TAKES_KEYS = 6.0


async def settle(pilot: Pilot[Any]) -> None:
    """Let the workers a key started finish, and what they deliver be shown, and the keys
    held meanwhile be handed on (the app holds the keys after one whose work is running:
    crm_tui/ui/keys_wait.py). Fails, naming the screen on top, rather than hanging: at once
    when a worker waits on a prompt for an answer (wait for the prompt with `asked`, and
    answer it), and after WORKER_WAIT for any other worker still running."""
    # Rounds until nothing is running: a chain (a switch of user, whose screen then reads
    # its case, whose read then starts another) took three and more on a loaded machine,
    # and a cap of three left the last read running when the test looked.
    for _ in range(8):
        await keys_handed_on(pilot)
        try:
            await workers_done(pilot)
        except WorkerCancelled:
            # A read overtaken by a newer one (a screen told of several changes in a row
            # reads itself again each time; the latest read wins): wait for that one.
            await pilot.pause()
            continue
        await pilot.pause()
        if not busy(pilot.app):
            # Settled: another round would only wait for idle again (a third of a test's
            # settling time, for nothing). What the work delivered started no more work.
            await footer_drawn(pilot)
            return


async def footer_drawn(pilot: Pilot[Any]) -> None:
    """Wait (a second at most) while the footer is between its old keys and its new: it
    recomposes itself after the bindings change, removing every key before mounting the
    new ones, and read then it showed none (`shown_keys` was empty one run in three on a
    loaded machine)."""
    for _ in range(50):
        found = pilot.app.screen.query(Footer)
        if not found or found.first().query(FooterKey):
            return
        await pilot.pause(0.02)


async def workers_done(pilot: Pilot[Any]) -> None:
    """Wait for the running workers as Textual's `wait_for_complete` does (raising their
    failure), looking at the screen on top meanwhile. A passphrase prompt's worker waits for
    its answer, which no settle gives: five signing tests sat out the whole wait three times
    over (up to 107 s each), and the timeout, cancelling the wait, cancelled the workers too."""
    app = pilot.app
    waiting = asyncio.ensure_future(app.workers.wait_for_complete())
    try:
        for _ in range(int(WORKER_WAIT / _LOOK)):
            done, _ = await asyncio.wait({waiting}, timeout=_LOOK)
            if done:
                waiting.result()
                return
            top = app.screen
            if waited_on(top):
                raise AssertionError(
                    f"{type(top).__name__} waits for an answer and a worker waits on it: "
                    "wait for it with `asked` and answer it, not with settle")
        raise AssertionError(f"a worker is still running after {WORKER_WAIT:g}s, waiting "
                             f"on {type(app.screen).__name__}")
    finally:
        if not waiting.done():
            # Left to end with its workers: cancelled, it would cancel them.
            waiting.add_done_callback(_seen)


def _seen(waited: asyncio.Future[None]) -> None:
    """A wait given up on has its outcome read, so that asyncio does not report it."""
    if not waited.cancelled():
        waited.exception()


async def asked(pilot: Pilot[Any]) -> Screen[Any]:
    """The prompt a worker waits on (the passphrase), once it is on top with the cursor in its
    field and the keys typed before it handed on: ready to be answered. Waits for it, not for
    the workers (one of them waits on it: settle would fail)."""
    app = pilot.app
    waiting = getattr(app, "keys_waiting", None)
    for _ in range(int(WORKER_WAIT / 0.02)):
        top = app.screen
        if (waited_on(top) and top.is_mounted and top.focused is not None
                and not (callable(waiting) and waiting())):
            return top
        await pilot.pause(0.02)
    raise AssertionError(f"no prompt asked for an answer within {WORKER_WAIT:g}s: "
                         f"{type(app.screen).__name__} is on top")


def busy(app: App[Any]) -> bool:
    """Work still running (started by what the last one delivered) or keys still held."""
    waiting = getattr(app, "keys_waiting", None)
    return any(not w.is_finished for w in app.workers) or (callable(waiting) and waiting())


async def typed(pilot: Pilot[Any]) -> None:
    """Let what follows typing catch up (a decision's letter waits for typing to stop)."""
    await pilot.pause(0.5)
    await settle(pilot)


async def keys_handed_on(pilot: Pilot[Any]) -> None:
    """Wait until the keys the app holds have been handed on (see settle)."""
    waiting = getattr(pilot.app, "keys_waiting", None)
    if not callable(waiting):
        return
    for look in range(int(WORKER_WAIT / 0.02)):
        if not waiting():
            return
        top = pilot.app.screen
        # Keys dropped after a refusal (a wrong passphrase, said on the prompt that asks
        # again) are not keys held from the prompt: the drop ends once the refusal is shown
        # and the typing has paused (keys_after_refusal.py), later on a loaded machine.
        dropping = bool(getattr(pilot.app, "_dropping", False))
        if look * 0.02 > _PROMPT_TAKES_KEYS and waited_on(top) and not dropping:
            raise AssertionError(f"keys still held while {type(top).__name__} waits for an "
                                 "answer (a worker waits on it)")
        await pilot.pause(0.02)
    raise AssertionError(f"keys still held after {WORKER_WAIT:g}s, on "
                         f"{type(pilot.app.screen).__name__}")


async def press_settled(pilot: Pilot[Any], *keys: str) -> None:
    """Each key as a person presses it: the next once what the last set off has settled."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


# The characters a terminal sends for the named keys a burst uses.
_CHARACTERS = {"enter": "\r", "escape": "\x1b", "tab": "\t", "space": " "}


def terminal_burst(pilot: Pilot[Any], *keys: str) -> None:
    """The keys as a terminal delivers a burst (tmux's send-keys, a paste): all of them in the
    app's queue before it has handled the first. (`pilot.press` waits for the app to be idle
    after each key, which gives a worker's screen time to come between them.) Nothing waits:
    the test settles when it chooses."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, _CHARACTERS.get(key, key if len(key) == 1 else None))
        event.set_sender(pilot.app)
        driver.send_message(event)


S = TypeVar("S", bound=Screen[Any])


async def on_top(pilot: Pilot[Any], screen: S) -> S:
    """Open `screen` as a key would, let it read what it shows, and return it, checked to be
    the screen on top (a refusal or a dialog in its place fails here, naming what is)."""
    pilot.app.push_screen(screen)
    await settle(pilot)
    top = pilot.app.screen
    assert top is screen, f"{type(top).__name__} is on top, not {type(screen).__name__}"
    return screen


def shown_keys(app: App[Any]) -> set[str]:
    """The keys the footer of the screen on top shows."""
    return {k.key for k in app.screen.query_one(Footer).query(FooterKey) if k.display}


def told(app: App[Any]) -> list[str]:
    """Every notice the app has shown, oldest first."""
    return [str(n.message) for n in app._notifications]


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """The keys sent at once, as a paste or a script or fast typing over tmux sends them, then
    one settle when all have acted. The app takes a burst in order (crm_tui/ui/keys_wait.py,
    crm_tui/ui/field_keys.py; tests/e2e/test_tmux.py types that way), so text typed this way
    lands as if typed key by key. `pilot.press` waits after each key for the process to idle
    (two waits of 20 ms or more a key): a form typed in that way spent most of its test
    waiting. Keep `press`/`press_settled` where a test is about what each key does in turn."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)
    # Each queue in turn, from the app (which hands a key on to the focused widget) up the
    # way an unhandled key bubbles back: a callback queued behind the keys runs once they have.
    queues = [app]
    if app.focused is not None:
        queues += [app.focused, *app.focused.ancestors_with_self[1:]]
    for queue in queues:
        done = asyncio.Event()
        if queue.call_later(done.set):
            await asyncio.wait_for(done.wait(), WORKER_WAIT)
    await settle(pilot)


def key_event(key: str) -> events.Key:
    """The event `pilot.press(key)` sends (textual's App._press_keys, without its waits)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def inbox_on(pilot: Pilot[Any], reference: str) -> Any:
    """The inbox on top, its cursor moved to `reference`'s row and settled."""
    from textual.widgets import DataTable

    from crm_tui.ui.screens.inbox import InboxScreen

    inbox = pilot.app.screen
    assert isinstance(inbox, InboxScreen)
    table = inbox.query_one("#cases", DataTable)
    table.move_cursor(row=table.get_row_index(reference))
    await settle(pilot)
    return inbox


async def until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 10) -> None:
    """Pause until `done()` holds, where `settle` cannot be used: a test holding a worker back
    on purpose (settle would wait for it)."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"not reached in {seconds:g} s")
