"""Import a referral from a JSON file or a folder of documents with its referral.json."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from crm_tui.domain.errors import DomainError
from crm_tui.services.database import session
from crm_tui.services.referral_import import import_referral
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.text import literal

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


class ImportReferralDialog(DeliveryMixin, ModalScreen[str | None]):
    DEFAULT_CSS = """
    ImportReferralDialog { align: center middle; }
    ImportReferralDialog > Vertical {
        width: 90; height: auto; border: thick $accent; background: $surface; padding: 1 2;
    }
    ImportReferralDialog #error { color: $error; height: auto; margin-top: 1; }
    ImportReferralDialog #help { color: $text-muted; margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Import a referral", classes="title")
            yield Static("The path of a referral JSON file, or of a folder holding "
                         "referral.json and the documents to attach. Everything is checked "
                         "first: all of it is recorded, or nothing. Enter imports; Escape "
                         "cancels.", id="help")
            yield Input(placeholder="/path/to/referral.json or /path/to/folder", id="path")
            yield Label("", id="error")

    @on(Input.Submitted, "#path")
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.show_error("Give the path of a file or folder.")
            return
        self.query_one("#error", Label).update("Importing…")
        self.run_import(Path(text).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run_import(self, path: Path) -> None:
        app = cast("CrmApp", self.app)
        if not path.exists():
            deliver(self, self.show_error, f"{path}: no such file or folder")
            return
        try:
            with session():
                summary = import_referral(app.actor, path)
        except DomainError as exc:
            deliver(self, self.show_error, str(exc))
            return
        deliver(self, self.dismiss, summary.reference)

    def show_error(self, message: str) -> None:
        self.query_one("#error", Label).update(literal(message, wrap=True))
        self.query_one("#path", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
