"""Help for the screen (or dialog) underneath: what it is for, the step of the policy it
serves, and its keys — read from its real bindings, each marked when it does not work now."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from crm_tui.ui.guide import Guide
from crm_tui.ui.keys_help import KeyHelp, keys_of
from crm_tui.ui.widgets.fitting_scroll import FittingScroll
from crm_tui.ui.widgets.keys_footer import KeysFooter

# Textual's own keys, which every screen has; not in any of the app's bindings.
GENERIC_KEYS = (
    ("tab / shift+tab", "Move to the next or previous field, list or button"),
    ("^p", "The command palette: find any action by words in its name or description"),
)


def guide_of(screen: Screen[object]) -> Guide:
    # The instance's own guide first: a general dialog (a short form, a reason, a choice)
    # says what it is for this time, from its title and help (round 8: "A short form / The
    # few fields this step needs" said nothing of the nomination it was recording).
    guide = getattr(screen, "GUIDE", None)
    if isinstance(guide, Guide):
        return guide
    return Guide(type(screen).__name__, "")


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 100%; max-width: 110; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; }
    HelpScreen .help-heading { text-style: bold; margin-top: 1; }
    HelpScreen #help-scroll { height: auto; }
    HelpScreen #help-policy { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Close",
                        tooltip="Close the help and go back to where you were")]
    GUIDE = Guide("Help", "What the screen underneath is for, the step of the policy it "
                  "serves, and its keys. Esc closes it.")

    def __init__(self, screen: Screen[object], beneath: Sequence[Screen[object]] = ()) -> None:
        """Help for `screen`; a dialog that serves whatever step opened it (a reason, a file to
        read) cites the policy of the nearest screen `beneath` it that names one."""
        super().__init__()
        self.guide = guide_of(screen)
        self.policy = self.guide.policy or next(
            (guide_of(s).policy for s in reversed(beneath) if guide_of(s).policy), ())
        self.entries: list[KeyHelp] = keys_of(screen)
        self.of_a_dialog = screen.is_modal

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Help — {self.guide.title}"), id="help-title")
            with FittingScroll(id="help-scroll"):
                yield Static(Text(self.guide.purpose), id="help-purpose")
                if self.policy:
                    yield Static(Text("The policy", style="bold"), classes="help-heading")
                    yield Static(Text("\n".join(self.policy)), id="help-policy")
                yield Static(Text("Keys", style="bold"), classes="help-heading")
                yield Static(self._table(), id="help-keys")
        yield KeysFooter()

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        own = [e for e in self.entries if e.namespace is not self.app]
        everywhere = [e for e in self.entries if e.namespace is self.app]

        def heading(text: str) -> None:
            if table.row_count:
                table.add_row(Text(""), Text(""))
            table.add_row(Text(""), Text(text, style="bold italic"))

        if any(e.works_now for e in own):
            heading("This dialog" if self.of_a_dialog else "This screen")
        for entry in own:
            if entry.works_now:
                table.add_row(Text(entry.key_text), self._line(entry))
        if any(not e.works_now for e in own):
            heading("Not available now: for this case, at its stage, or for your role")
        for entry in own:
            if not entry.works_now:
                table.add_row(Text(entry.key_text, style="dim"),
                              self._line(entry, "dim") + Text(" (not now)", style="dim italic"))
        heading("Everywhere")
        for entry in everywhere:
            table.add_row(Text(entry.key_text), self._line(entry))
        for keys, says in GENERIC_KEYS:
            # Inside a dialog ^p offers the actions of the screen beneath, not the dialog's
            # (b15d m9: help listed it as working there).
            if keys == "^p" and self.of_a_dialog:
                continue
            table.add_row(Text(keys), Text(says))
        return table

    @staticmethod
    def _line(entry: KeyHelp, style: str = "") -> Text:
        line = Text(entry.title, style=f"bold {style}".strip())
        if entry.explains and entry.explains != entry.title:
            line.append(" — " + entry.explains, style=style)
        return line

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def text(self) -> str:
        """Everything the help says, as plain text (for the tests and for reading aloud)."""
        lines = [f"Help — {self.guide.title}", self.guide.purpose, *self.policy]
        for entry in self.entries:
            mark = "" if entry.works_now else " (not now)"
            lines.append(f"{entry.key_text}  {entry.title} — {entry.explains}{mark}")
        return "\n".join(lines)
