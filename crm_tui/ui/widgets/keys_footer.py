"""The footer every screen shows: Textual's, compact, with Enter's action and help first.

Textual lists the focused widget's keys, then the screen's, then the app's, and a narrow
terminal cuts the end of the list off — where the app-wide help key sits ("u Switch us…" was
all that was left of the app's keys at 100 columns). Here the help key comes straight after
Enter's action, so that `? Help` is on screen however many keys the screen has.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

FIRST_KEYS = ("enter",)
HELP_KEYS = ("question_mark", "f1")


class KeysFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())

        def rank(index: int) -> tuple[int, int]:
            widget = widgets[index]
            key = getattr(widget, "key", "")  # a FooterKey (not exported by Textual)
            if widget.has_class("-command-palette"):
                return (3, index)  # docked right by Textual; last as it was
            return (0 if key in FIRST_KEYS else 1 if key in HELP_KEYS else 2, index)

        for index in sorted(range(len(widgets)), key=rank):
            yield widgets[index]
