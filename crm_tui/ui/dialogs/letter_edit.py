"""The signer reads a prepared letter and rewords its free-text paragraphs before signing: the
field chosen on the left, its words below it, the letter as it now reads on the right with what
the checker finds in it. ctrl+s keeps the edit for this letter only (the record it came from
does not change); the checker runs again on the edited letter. Refusals show at the field."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Select, Static, TextArea

from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.roles import Actor
from crm_tui.services.core.database import session
from crm_tui.services.letters import editing
from crm_tui.services.letters.editing import EditingView
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog, save_binding
from crm_tui.ui.guide import LETTER, Guide
from crm_tui.ui.text import choices, literal
from crm_tui.ui.toasts import NOTICE_ID
from crm_tui.ui.widgets.bounded_text import BoundedTextArea

# The picker's value while the paragraphs load (and where the letter has none): no paragraph.
LOADING = "(loading)"


def checked_text(view: EditingView) -> Text:
    text = Text()
    if view.problems:
        text.append("This letter cannot be signed yet. The checker finds:\n", style="bold red")
        for problem in view.problems:
            text.append(f"• {problem}\n", style="red")
    else:
        text.append("The checker finds nothing missing: it can be signed.\n",
                    style="bold green")
    return text


class LetterEditDialog(FormDialog):
    DEFAULT_CSS = """
    LetterEditDialog { align: center middle; }
    LetterEditDialog > Vertical {
        width: 96%; height: 94%; border: thick $accent; background: $surface; padding: 0 1;
    }
    LetterEditDialog .title { text-style: bold; }
    LetterEditDialog .hint { color: $text-muted; }
    LetterEditDialog #edit-body { height: 1fr; }
    LetterEditDialog #edit-form { width: 56; padding-right: 1; }
    LetterEditDialog #edit-text { height: 1fr; min-height: 8; }
    LetterEditDialog #edit-text-error { color: $error; height: auto; width: 100%; }
    LetterEditDialog #edit-error { color: $error; height: auto; width: 100%; }
    LetterEditDialog #edit-preview { width: 1fr; border: round $primary-darken-1; padding: 0 1; }
    """
    GUIDE = Guide("Edit a letter before signing",
                  'Reword the paragraphs written for the customer, for this letter only.',
                  (LETTER,))
    BINDINGS = [save_binding("Keep this edit",
                             tooltip="Keep this wording for this letter only; the record stays as "
                                     "it was")]
    DISCARD = "the words you changed (not yet kept)"

    def __init__(self, actor: Actor, letter_id: int) -> None:
        super().__init__()
        self.actor, self.letter_id = actor, letter_id
        self.view: EditingView | None = None
        self.shown_key: str | None = None  # the paragraph whose words the field holds

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(f"Edit the letter before signing · register number "
                                 f"{self.letter_id}"), classes="title", id="edit-title")
            yield Label("", id="edit-error")
            with Horizontal(id="edit-body"):
                with Vertical(id="edit-form"):
                    yield Static("The paragraph to reword", classes="hint")
                    # Its one choice until the paragraphs are loaded; then gone (v15n AD2:
                    # a blank "Loading…" stayed first in the list, choosable).
                    yield Select[str]([("Loading…", LOADING)], id="edit-field",
                                      allow_blank=False)
                    yield Static("Written to the customer (\"You…\"), plain English, whole "
                                 "sentences. Giving back the recorded words removes the edit.",
                                 classes="hint")
                    yield BoundedTextArea(id="edit-text", soft_wrap=True)
                    yield Label("", id="edit-text-error", classes="field-error")
                with VerticalScroll(id="edit-preview"):
                    yield Static(id="edit-checks")
                    yield Static(id="edit-letter")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-edit")
    def load(self) -> None:
        try:
            with session():
                found = editing.view(self.actor, self.letter_id)
        except DomainError as exc:
            deliver(self, self.show_refusal, exc)
            return
        deliver(self, self.show_view, found)

    def show_view(self, view: EditingView, keep: str | None = None) -> None:
        self.view = view
        select = self.query_one("#edit-field", Select)
        options = choices((("✎ " if f.edited else "") + f.label, f.key) for f in view.fields)
        select.set_options(options or [("No paragraph to reword", LOADING)])
        if view.fields:
            chosen = keep if keep in {f.key for f in view.fields} else view.fields[0].key
            select.value = chosen
            self._fill(chosen)
        else:
            self.query_one("#edit-error", Label).update(
                "This letter has no free-text paragraph to reword.")
        self.query_one("#edit-checks", Static).update(checked_text(view))
        self.query_one("#edit-letter", Static).update(literal(view.body, wrap=True))
        self.call_after_refresh(self.mark_pristine)  # what was loaded is not "typed"

    def _fill(self, key: str) -> None:
        view = self.view
        field = next((f for f in view.fields if f.key == key), None) if view else None
        self.shown_key = key
        self.query_one("#edit-text", TextArea).text = field.text if field else ""

    @on(Select.Changed, "#edit-field")
    def field_chosen(self, event: Select.Changed) -> None:
        # Setting the choice from code (on load, after a save) posts Changed too, later: the
        # paragraph is then already in the field, and words typed since must not be wiped.
        # Loading the choices picks the first before the one kept: a Changed whose value the
        # picker no longer holds is passed over.
        if event.value != event.select.value:
            return
        if event.value not in (Select.NULL, LOADING) and event.value != self.shown_key:
            if self.typed:  # the words changed for the paragraph left: kept for now only
                self.notify("The words changed in the paragraph you left were not kept "
                            "(ctrl+s keeps an edit).", severity="warning", markup=False)
            self._fill(str(event.value))
            self.call_after_refresh(self.mark_pristine)

    def action_save(self) -> None:
        key = self.query_one("#edit-field", Select).value
        if key is Select.NULL or key == LOADING:
            return
        if not self.checked():
            return
        self.query_one("#edit-error", Label).update("")
        self.save(str(key), self.query_one("#edit-text", TextArea).text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-edit-save")
    def save(self, key: str, text: str) -> None:
        try:
            with session():
                found = editing.edit(self.actor, self.letter_id, key, text,
                                     read_version=self.view.version if self.view else None)
        except DomainError as exc:
            deliver(self, self.show_refusal, exc)
            return
        deliver(self, self.show_saved, found, key)

    def show_saved(self, view: EditingView, key: str) -> None:
        self.show_view(view, keep=key)
        self.notify("Edit kept; the checker ran again on the letter", markup=False)

    def show_refusal(self, error: DomainError) -> None:
        # The notice line tells the latest outcome only: an earlier save's "Edit kept" is
        # not true of this one (b16f F2: it stayed under a save refused as signed elsewhere).
        for notice in self.query(f"#{NOTICE_ID}"):
            notice.display = False
        if isinstance(error, ValidationError) and error.field != "field":
            self.refused_at("edit-text", error.message)
            return
        self.query_one("#edit-error", Label).update(literal(str(error), wrap=True))

    def close_form(self) -> None:
        self.dismiss(True)
