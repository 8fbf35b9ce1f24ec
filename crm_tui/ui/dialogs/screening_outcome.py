"""Give one item of screened post its outcome: the contact as logged is shown first (as plain
text), then the three outcomes — nothing new, a new matter (its title), or an emergency or
safeguarding concern passed to a named person (who, and how). Nothing is chosen for the reader:
filing is a decision too. A refusal is shown at its field, or above the form, and nothing is
stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, RadioSet, Static

from crm_tui.domain.errors import DomainError
from crm_tui.domain.screening import ScreeningOutcome
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.evidence import screening
from crm_tui.services.evidence.screening import ScreeningDecision, ScreeningRow
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog, save_binding
from crm_tui.ui.forms import Check, field, required
from crm_tui.ui.guide import RESTRICTIONS, Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.tick_marks import RadioButton

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

OUTCOMES = tuple(ScreeningOutcome)
FIELDS = ("title", "passed_to", "passed_how", "note")
CHOOSE = ("Choose the outcome: nothing new, a new matter, or an emergency or safeguarding "
          "concern passed on.")
CHECKS: dict[str, Check] = {
    # Under the choices, as every form's problem is under its field.
    "outcome": lambda value: None if value else CHOOSE,
    "title": required("Give the new matter a title, in a few words"),
    "passed_to": required("Name the person it was passed to"),
    "passed_how": required("Say how and when it was passed on"),
}


class ScreeningOutcomeDialog(FormDialog):
    DEFAULT_CSS = """
    ScreeningOutcomeDialog { align: center middle; }
    ScreeningOutcomeDialog > VerticalScroll {
        width: 96; height: auto; max-height: 95%; border: thick $accent; background: $surface;
        padding: 0 2;
    }
    ScreeningOutcomeDialog .title { text-style: bold; margin-top: 1; }
    ScreeningOutcomeDialog #contact { border: round $primary-darken-1; padding: 0 1;
                                      height: auto; max-height: 12; }
    ScreeningOutcomeDialog RadioSet { width: 100%; margin-top: 1; }
    ScreeningOutcomeDialog .for-outcome { height: auto; display: none; }
    ScreeningOutcomeDialog .for-outcome.-shown { display: block; }
    ScreeningOutcomeDialog .field-error { color: $error; }
    ScreeningOutcomeDialog .-problem { border: tall $error; }
    ScreeningOutcomeDialog #form-error { color: $error; height: auto; }
    ScreeningOutcomeDialog #keys { color: $text-muted; margin-bottom: 1; }
    """
    GUIDE = Guide("Screening outcome",
                  "What reading this post found: nothing new, a new matter, or an emergency "
                  "passed on.",
                  (RESTRICTIONS,))
    BINDINGS = [save_binding("Record the outcome",
                             tooltip="Record what reading this post found, by you, today")]
    DISCARD = "the outcome you gave"
    # The service's refusals named "outcome" are about the item (screened already, archived),
    # not the choice: above the form, not under the choices.
    FIELD_IDS = {"outcome": "item"}

    def __init__(self, item: ScreeningRow) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        with VerticalScroll():
            yield Static(literal(f"Screen this contact · {item.case_reference} · "
                                 f"{item.customer_name}"), classes="title")
            yield Static(_contact_text(item), id="contact")
            yield Static("", id="form-error")
            with RadioSet(id="outcome"):
                for outcome in OUTCOMES:
                    yield RadioButton(outcome.label, id=f"outcome-{outcome.value}")
            problem = Label("", id="outcome-error", classes="field-error")
            problem.display = False
            yield problem
            with Vertical(id="for-new_matter", classes="for-outcome"):
                yield from field("The new matter, in a few words (it is opened on the case)",
                                 Input(id="title"))
            with Vertical(id="for-passed_on", classes="for-outcome"):
                yield from field("Passed to: the person's name (and role or team)",
                                 Input(id="passed_to"))
                yield from field("How and when: telephone, email or in person, and the time",
                                 Input(id="passed_how"))
            yield from field("Note (optional): what it says, or why nothing follows",
                             Input(id="note"))
            yield Static("↑↓ and space choose the outcome", id="keys")

    def checks(self) -> dict[str, Check]:
        return CHECKS

    @property
    def chosen(self) -> ScreeningOutcome | None:
        pressed = self.query_one(RadioSet).pressed_index
        return OUTCOMES[pressed] if pressed >= 0 else None

    @on(RadioSet.Changed)
    def show_fields(self) -> None:
        chosen = self.chosen
        for outcome in (ScreeningOutcome.NEW_MATTER, ScreeningOutcome.PASSED_ON):
            self.query_one(f"#for-{outcome.value}").set_class(chosen is outcome, "-shown")

    def action_save(self) -> None:
        chosen = self.chosen
        if not self.checked() or chosen is None:  # the checks ask for an outcome
            return
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        self.record(ScreeningDecision(chosen, note=values["note"], title=values["title"],
                                      passed_to=values["passed_to"],
                                      passed_how=values["passed_how"]))

    @work(thread=True, exclusive=True, exit_on_error=False, group="screening-outcome")
    def record(self, decision: ScreeningDecision) -> None:
        app = cast("CrmApp", self.app)
        try:
            with session():
                row = screening.record_outcome(app.actor, self.item.id, decision)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, row)



def _contact_text(item: ScreeningRow) -> Text:
    """The contact as logged; the customer's words are never read as markup."""
    about = f" · about {item.matter}" if item.matter else ""
    text = Text(f"Arrived {item.arrived_at:%A} {in_prose(item.arrived_at, full_month=True)} "
                f"{item.arrived_at:%H:%M} by {item.channel.label.lower()}"
                f"{about}\n", style="bold")
    text.append(item.summary)
    for reason in item.reasons:
        text.append(f"\nQueued because: {reason}", style="yellow")
    return text
