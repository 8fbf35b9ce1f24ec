"""A screen that fails while it is being built is closed and the failure shown.

Textual ends the app on a failure in a `compose` (`Widget._compose` hands it to
`App._handle_exception`). Found when tried: when that ending failed too (rich could not draw
the traceback's locals), the dialog was left on top, never drawn, taking every key, with no way
back but killing the app. Now the screen whose building failed (or the screen of a widget whose
building failed) is taken off, what went on top of it meanwhile with it, and the failure is
said in the error dialog; the screen beneath is back in hand. The failures that follow from it
in that screen's own handlers (a field looked for that was never built) are not shown again.

Every other failure Textual was not told how to handle still ends the app, as before: only a
screen opened over another can be taken off. `App._handle_exception` and `Widget._compose`
are Textual's private names; tests/ui/test_textual_private.py checks they keep their shape.
"""

from __future__ import annotations

import weakref
from typing import Any

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

# The screens being closed because they could not be built.
_broken: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()


def _raised_in(error: BaseException) -> tuple[DOMNode | None, bool]:
    """The widget or screen whose own code caught `error` for Textual (the first frame of its
    traceback), and whether that was its building (`Widget._compose`)."""
    tb = error.__traceback__
    if tb is None:
        return None, False
    node = tb.tb_frame.f_locals.get("self")
    if not isinstance(node, DOMNode):
        return None, False
    return node, tb.tb_frame.f_code is Widget._compose.__code__


def _screen_of(node: DOMNode) -> Screen[Any] | None:
    if isinstance(node, Screen):
        return node
    try:
        screen = node.screen if isinstance(node, Widget) else None
    except Exception:  # not (or no longer) on a screen
        return None
    return screen


def broken_screen(error: BaseException, stack: list[Screen[Any]]) -> tuple[Screen[Any], bool]:
    """The screen to close for `error`, and whether it is newly broken (to say so once), or
    raises LookupError when the failure is not one of a screen's building (nor follows one)."""
    node, building = _raised_in(error)
    screen = _screen_of(node) if node is not None else None
    if screen is None:
        raise LookupError("not a screen's failure")
    if screen in _broken:
        return screen, False
    if building and screen in stack[1:]:
        _broken.add(screen)
        return screen, True
    raise LookupError("not a screen that can be closed")


def is_broken(screen: Screen[Any]) -> bool:
    return screen in _broken
