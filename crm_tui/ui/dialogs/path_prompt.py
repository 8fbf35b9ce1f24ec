"""Ask for a file's path, then run the step it is for (attach a document, import a log
sheet). Refusals are shown in the dialog, which stays open; nothing is half-stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from crm_tui.domain.characters import shown_bytes
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.fit_list import fit_list
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.more_panel import MorePanel


class PathDialog(DeliveryMixin, ModalScreen[Any]):
    DEFAULT_CSS = """
    PathDialog { align: center middle; }
    PathDialog > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 90%; border: thick $accent;
        background: $surface; padding: 1 2 0 2;
    }
    PathDialog #path-title { text-style: bold; }
    PathDialog #path-help { color: $text-muted; margin-bottom: 1; }
    PathDialog #error-box { height: auto; max-height: 10; margin-top: 1; }
    PathDialog #error-box.-more {
        border-bottom: round $error 60%; border-subtitle-color: $text-muted;
    }
    PathDialog #error-box:focus { border-bottom: round $accent; }
    PathDialog #error { color: $error; width: 1fr; height: auto; }
    """
    GUIDE = Guide("Choose a file",
                  'Type the path of the file this step reads.')
    BINDINGS = [Binding("enter", "go", "Go", key_display="enter",
                        tooltip="Use the path typed"),
                Binding("escape", "cancel", "Cancel", key_display="esc",
                        tooltip="Close without reading any file (asking first if a path is "
                                "typed); nothing is changed"),
                # A long refusal (every problem of a log sheet) scrolls from the path field
                # too, as its border says ("more below"): at 80x24 it showed 2 of 10 problems
                # with a faint bar, the rest reached only after Tab (round 12).
                *(Binding(key, f"scroll_problems('{how}')", show=False)
                  for key, how in (("down", "down"), ("up", "up"), ("pagedown", "page_down"),
                                   ("pageup", "page_up")))]

    def __init__(self, title: str, help_text: str, step: Callable[[Path], Any], *,
                 go: str, path_field: str | None = None,
                 ask: Callable[[PathDialog, Path, DomainError], bool] | None = None) -> None:
        """`go`: what Enter does with the path, as the footer says it ("Import the log
        sheet"). `path_field`: the step's own name for the path (the command line's option,
        "ics"): a refusal of that field is said without it, as it is the field here.
        `ask`: given a refusal first, it may answer it by a question instead (returning
        True), and then run the step again its own way (`run_step(path, step)`)."""
        super().__init__()
        self._title, self._help, self._step = title, help_text, step
        self._path_field = path_field
        self._ask = ask
        self.GUIDE = Guide(title, help_text)
        # A priority key: the path field's own Enter would hide it from the footer.
        self._bindings.key_to_bindings["enter"] = [Binding(
            "enter", "go", go, key_display="enter", priority=True,
            tooltip=f"{go}: the file at the path typed")]
        # ctrl+s saves in every other dialog: here it does what Enter does (round 7: a user
        # who knew ctrl+s from the forms pressed it here and nothing happened).
        self._bindings.key_to_bindings["ctrl+s"] = [Binding(
            "ctrl+s", "go", go, show=False, priority=True)]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), id="path-title")
            yield Static(literal(self._help, wrap=True), id="path-help")
            yield Input(placeholder="/path/to/the/file", id="path")  # hint text, not a stub
            # A refusal can be long (every known category): it wraps at words and, past
            # ten lines, scrolls (tab moves there), instead of running off the dialog's edge.
            with MorePanel(id="error-box"):
                yield Static("", id="error")
            yield DialogKeys()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        # The refusal scrolls inside its own box, which is never taller than the room the
        # dialog leaves it: at 80x24 its last lines were below the screen's edge.
        fit_list(self, self.query_one(Vertical), self.query_one("#error-box"), 10)

    @on(Input.Submitted, "#path")
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.show_error("Give the path of a file or folder.")
            return
        self.query_one("#error", Static).update("Working…")
        self.run_step(Path(text).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="path-step")
    def run_step(self, path: Path, step: Callable[[Path], Any] | None = None) -> None:
        try:
            with session():
                result = (step or self._step)(path)
        except (DomainError, OSError) as exc:
            said = str(exc)
            if isinstance(exc, ValidationError) and exc.field == self._path_field:
                said = exc.message  # found when tried: "ics: … is the database" under a path
            deliver(self, self._refused, path, exc, shown_bytes(said))
            return
        except Exception as exc:  # said in the dialog, never left "Working…"
            # A worker's error reaches no one from a dialog (Worker.StateChanged does not
            # bubble to the app): issue 16 found the dialog "Working…" for good.
            deliver(self, self.show_error, "Something failed, and the step did not finish: "
                    f"{shown_bytes(str(exc)) or type(exc).__name__}")
            return
        deliver(self, self.dismiss, result if result is not None else True)

    def _refused(self, path: Path, exc: DomainError | OSError, said: str) -> None:
        if isinstance(exc, DomainError) and self._ask is not None and self._ask(self, path, exc):
            self.query_one("#error", Static).update("")  # asked: "Working…" no longer
            return
        self.show_error(said)

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(literal(message, wrap=True))
        self.query_one("#error-box", MorePanel).scroll_home(animate=False)
        self.call_after_refresh(self._fit)
        path = self.query_one("#path", Input)
        path.focus()
        path.select_all()  # typed again, a path replaces the refused one

    def action_scroll_problems(self, how: str) -> None:
        box = self.query_one("#error-box", MorePanel)
        getattr(box, f"scroll_{how}")(animate=False)

    def action_go(self) -> None:
        # Enter is a priority key: it runs as it arrives, while the keys typed before it may
        # still wait in the field's queue (a fast typist or a paste read half a path: the
        # folder "…/popen-"). Submitted from that queue, it reads the path once all are in.
        path = self.query_one("#path", Input)
        path.call_later(path.action_submit)

    def action_cancel(self) -> None:
        # A path typed is asked about before it is thrown away, as every form does (round 8).
        if self.query_one("#path", Input).value.strip():
            self.app.push_screen(
                AskDialog("Discard the path you typed?", yes="Discard", no="Keep editing"),
                self._discarded)
            return
        self.dismiss(None)

    def _discarded(self, answer: bool | None) -> None:
        if answer:
            self.dismiss(None)
