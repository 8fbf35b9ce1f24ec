"""The classes of the terminal's size, given to an area's screen as it is made.

Textual gives a screen its breakpoint classes (`-wide`, `-tall`, …: CrmApp's
HORIZONTAL_BREAKPOINTS and VERTICAL_BREAKPOINTS) when the screen is first resized, that is
after its first layout: every widget on it was then styled again and laid out again before
the first paint (issue 17: some 20 to 30 ms at the inbox's start, and at each area opened).
Given here from the terminal's size as the screen is made, they are already right when
Textual looks, and it changes nothing; a terminal resized later is Textual's as before."""

from __future__ import annotations

from typing import Any

from textual._context import active_app
from textual.screen import Screen


def _classes(dimension: int, breakpoints: list[tuple[int, str]]) -> set[str]:
    """The class of the widest breakpoint `dimension` reaches (Textual's own rule)."""
    for breakpoint, name in sorted(breakpoints, reverse=True):
        if dimension >= breakpoint:
            return {name}
    return set()


def size_classes(screen: Screen[Any]) -> None:
    """Give `screen`, not yet styled, the breakpoint classes of the app's terminal size."""
    try:
        app = active_app.get()
    except LookupError:  # made outside a running app (a test of the class alone)
        return
    horizontal = (app.HORIZONTAL_BREAKPOINTS if screen.HORIZONTAL_BREAKPOINTS is None
                  else screen.HORIZONTAL_BREAKPOINTS) or []
    vertical = (app.VERTICAL_BREAKPOINTS if screen.VERTICAL_BREAKPOINTS is None
                else screen.VERTICAL_BREAKPOINTS) or []
    if not (horizontal or vertical):
        return
    width, height = app.size
    chosen = _classes(width, horizontal) | _classes(height, vertical)
    screen.update_classes({name: name in chosen for _, name in horizontal + vertical},
                          update=False)
