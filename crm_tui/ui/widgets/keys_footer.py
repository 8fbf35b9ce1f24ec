"""The footer every screen shows: Textual's, with `? Help` kept in sight at its right edge
beside the command palette's key, however many keys the screen has (the others may run off a
narrow terminal; help is where to find them)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer

# The key widget Textual's footer itself yields (not re-exported from textual.widgets), so
# that this key looks, highlights and clicks like every other key in the footer.
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    # Two keys docked to the same edge would overlap: the palette's key and help's share one
    # group docked at the right.
    DEFAULT_CSS = """
    KeysFooter #right-keys {
        dock: right;
        width: auto;
        height: 1;
        FooterKey { padding-right: 1; border-left: vkey $foreground 20%; }
    }
    """

    def compose(self) -> ComposeResult:
        palette: FooterKey | None = None
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.has_class("-command-palette"):
                palette = widget
                palette.remove_class("-command-palette")
                continue
            yield widget
        if not self._bindings_ready:
            return
        with HorizontalGroup(id="right-keys"):
            if palette is not None:
                yield palette
            # The app's priority `?` (and F1) opens help on any screen, dialogs included.
            yield FooterKey("question_mark", "?", "Help", "app.help",
                            tooltip="Help for this screen: its keys and the policy step it serves")
