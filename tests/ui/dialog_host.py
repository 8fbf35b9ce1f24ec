"""A bare app for the Pilot tests that open one dialog alone: no database, nothing sent
(the dialog's own work is given to it by the test)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen


class Host(App[None]):
    """Opens `dialog` as its first screen."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog

    def on_mount(self) -> None:
        self.push_screen(self.dialog)
