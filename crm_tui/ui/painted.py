"""Run something only once what was just changed on a screen has reached the terminal.

A step confirmed with a passphrase runs in a thread worker whose work (composing and signing a
letter, recording a decision) holds the interpreter for most of a second or more: the screen
is not painted meanwhile. The prompt's "recording it now" state, set just before the worker was
let go, was painted only once the work was done, so for 1 to 2.5 s the prompt looked idle, its
field empty and `esc Cancel` on offer (found when tried in tmux). `when_painted` lets the work
go only after the change has been painted.

Textual's `call_after_refresh` alone is not enough: a change made in a handler reaches the
screen as a message from the widget changed, sent when that widget is next idle, and a callback
asked for in the same handler may run before that message has been read, before anything is
painted. So it looks again, after each refresh, until no change is left unpainted (Textual's
private flags, checked by tests/ui/test_textual_private.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widget import Widget

# Refreshes to wait at most before running all the same: a widget that keeps changing (a
# spinner) must not keep the work waiting for ever.
_LOOKS = 20


def when_painted(screen: Screen[Any], callback: Callable[[], object]) -> None:
    """Call `callback` once every change made so far on `screen` has been painted."""

    def look(left: int) -> None:
        if left and screen.is_attached and unpainted(screen):
            screen.call_after_refresh(look, left - 1)
        else:
            callback()

    screen.call_after_refresh(look, _LOOKS)


def unpainted(screen: Screen[Any]) -> bool:
    """A change on `screen` still on its way to the terminal: a widget's refresh not yet
    handed to the screen, or a message not yet read, or the screen's own layout or repaint
    not yet done."""
    if (screen._layout_required or screen._repaint_required or screen._scroll_required
            or screen._dirty_widgets or screen.message_queue_size):
        return True
    return any(widget._layout_required or widget._repaint_required
               or widget.message_queue_size for widget in screen.walk_children(Widget))
