"""A short form of one-line fields (a period's dates; a matter's closing date and outcome),
then the step it is for, run in a thread worker. A refusal is shown at its field, or above
the form, and the dialog stays open: nothing is half-stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from crm_tui.domain.errors import DomainError, Problems, ValidationError
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog
from crm_tui.ui.forms import Check, field
from crm_tui.ui.guide import Guide
from crm_tui.ui.text import literal


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    value: str = ""
    check: Check | None = None  # made as the user types and before the step runs
    # A word of warning on the value as typed that does not stop the step ("" or None: none),
    # shown under the field as it changes: an appeal received after its deadline (v15b S8).
    note: Callable[[str], str | None] | None = None


class FieldsDialog(FormDialog):
    DEFAULT_CSS = """
    FieldsDialog { align: center middle; }
    FieldsDialog > VerticalScroll {
        width: 84; height: auto; max-height: 95%; border: thick $accent; background: $surface;
        padding: 1 2 0 2;
    }
    FieldsDialog #fields-title { text-style: bold; }
    FieldsDialog #fields-help { color: $text-muted; margin-bottom: 1; }
    FieldsDialog .field-error { color: $error; }
    FieldsDialog .field-note { color: $warning; height: auto; }
    FieldsDialog .-problem { border: tall $error; }
    FieldsDialog #form-error { color: $error; height: auto; }
    """
    GUIDE = Guide("A short form",
                  'The few fields this step needs.')

    def __init__(self, title: str, help_text: str, fields: list[Field],
                 submit: Callable[[dict[str, str]], Any], *, save: str, confirm: str = "",
                 discard: str = "what you typed",
                 across: Callable[[dict[str, str]], object] | None = None,
                 field_ids: dict[str, str] | None = None) -> None:
        """`save`: what the save key does, as its footer says it ("Record the appeal");
        `confirm`: a question asked before the step runs (who acts, what goes out);
        `across`: the service's own rule across fields (a period's two days), raising a
        ValidationError (or Problems): asked again as either field changes, so that its
        problem goes as soon as either is put right, not only the field it is shown at;
        `field_ids`: a service's field name -> the field here it was typed in."""
        super().__init__()
        self._field_ids = field_ids or {}
        self._across = across
        self._title, self._help, self._fields, self._submit = title, help_text, fields, submit
        self._confirm, self.DISCARD = confirm, discard
        # The fields the person has typed in (an edit made with the field focused), even
        # back to the value they opened with: a form may ask whether one was touched.
        self.typed_in: set[str] = set()
        self.GUIDE = Guide(title, help_text)
        self.name_save(save)

    def compose(self) -> ComposeResult:
        # Not a stop of its own for Tab or Enter: each field, scrolled into sight as the
        # cursor lands on it, is what Tab reaches (round 12).
        with VerticalScroll(can_focus=False):
            yield Static(literal(self._title), id="fields-title")
            yield Static(literal(self._help, wrap=True), id="fields-help")
            yield Static("", id="form-error")
            for f in self._fields:
                yield from field(f.label, Input(f.value, id=f.id))
                if f.note is not None:
                    note = Static(id=f"{f.id}-note", classes="field-note")
                    self._say_note(note, f.note(f.value))
                    yield note

    @staticmethod
    def _say_note(note: Static, said: str | None) -> None:
        note.update(literal(said or "", wrap=True))
        note.display = bool(said)

    @on(Input.Changed)
    def _note_follows(self, event: Input.Changed) -> None:
        if event.input.has_focus and event.input.id:
            self.typed_in.add(event.input.id)
        for f in self._fields:
            if f.id == event.input.id and f.note is not None:
                self._say_note(self.query_one(f"#{f.id}-note", Static), f.note(event.value))

    def checks(self) -> dict[str, Check]:
        return {f.id: f.check for f in self._fields if f.check is not None}

    def rule_problems(self) -> dict[str, str]:
        if self._across is None:
            return {}
        # Asked whatever the other fields' own problems (a blank reason): told with them in
        # one save (round 12). A field's own problem is shown rather than this rule's, and a
        # day that is no date stops the rule (its reader refuses it at that field).
        values = {i.id or "": i.value for i in self.query(Input)}
        try:
            self._across(values)
        except ValidationError as exc:
            found = self._renamed(exc.found if isinstance(exc, Problems) else [exc])
            return {one.field: one.message for one in found
                    if one.field in {f.id for f in self._fields}}
        except (DomainError, ValueError):
            return {}
        return {}

    def action_save(self) -> None:
        if not self.checked():
            return
        values = {i.id or "": i.value for i in self.query(Input)}
        if self._confirm:
            self.confirm_then(self._confirm, lambda: self._submit(values),
                              lambda: self.run_step(values))
        else:
            self.run_step(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="fields-step")
    def run_step(self, values: dict[str, str]) -> None:
        try:
            with session():
                result = self._submit(values)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        except ValueError as exc:
            deliver(self, self.show_error, ValidationError("form", str(exc)))
            return
        deliver(self, self.dismiss, result if result is not None else True)

    def _renamed(self, found: list[ValidationError]) -> list[ValidationError]:
        return [ValidationError(self._field_ids.get(one.field, one.field), one.message)
                for one in found]

    def show_error(self, error: DomainError) -> None:
        if self._field_ids and isinstance(error, ValidationError):
            renamed = self._renamed(error.found if isinstance(error, Problems) else [error])
            error = renamed[0] if len(renamed) == 1 else Problems(renamed)
        if (isinstance(error, ValidationError) and not isinstance(error, Problems)
                and error.field not in {f.id for f in self._fields}):
            self.refused_after_yes(error)
            self.form_error(str(error.message))
            return
        super().show_error(error)
