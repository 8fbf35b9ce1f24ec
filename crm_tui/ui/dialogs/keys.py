"""The keys a dialog answers to, in a footer inside the dialog itself: the app's footer at the
bottom of the terminal is covered, or far from the dialog, and ctrl+s was being guessed."""

from __future__ import annotations

from crm_tui.ui.widgets.keys_footer import FitsKeys


class DialogKeys(FitsKeys):
    # Cancel, save and Enter's step shown first of all: a long save description (or a list's
    # own key) once crowded out `esc`.
    KEEP = ("escape", "ctrl+s", "enter")
    DEFAULT_CSS = """
    DialogKeys { dock: bottom; width: 100%; }
    """

    def __init__(self) -> None:
        super().__init__(show_command_palette=False, id="dialog-keys")
