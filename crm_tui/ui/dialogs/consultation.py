"""The Head of Service's view: recorded by the Head of Service signed in as themselves, or by
the CRM naming the Head of Service who gave it and how (in person, by telephone, or by email
with the email attached as evidence). The dialog lists what the view is about — the
restrictions as they stand and the end proposed — because a decision rests on it only while
they stay so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from crm_tui import clock
from crm_tui.domain.errors import DomainError
from crm_tui.domain.outcomes import ConsultationMethod, ConsultationView, how_given_problems
from crm_tui.domain.proposal import proposed_end_problem
from crm_tui.services.core.database import session
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog, save_binding
from crm_tui.ui.forms import (
    Check,
    a_date,
    a_reason,
    parse_date,
    required,
)
from crm_tui.ui.guide import CONSIDERATION, Guide
from crm_tui.ui.text import choices, literal
from crm_tui.ui.widgets.bounded_text import BoundedTextArea


@dataclass(frozen=True)
class GivenView:
    """What the form gives the service."""

    view: ConsultationView
    text: str
    consultee: str | None
    consulted_on: date
    method: ConsultationMethod | None
    evidence_document: int | None
    proposed_end: date | None


Record = Callable[[GivenView], Any]


def recording_view(reference: str, subject: str, acting: str, own_name: str,
                   heads: list[tuple[str, str]] | None) -> Callable[[GivenView], str]:
    """What the passphrase confirms when a view is recorded: whose view, on which case and
    decision, what it is, and who records it. `heads`: None when the Head of Service records
    their own view (`own_name`); else (login, name) of those the CRM may name."""
    def what(given: GivenView) -> str:
        head = own_name if heads is None else dict(heads).get(given.consultee or "",
                                                              given.consultee or "")
        how = f", {given.method.label[:1].lower()}{given.method.label[1:]}" \
            if given.method is not None else ""
        return (f"Record {head}'s view on {reference}, on {subject}: "
                f"\"{given.view.label}\", given on {given.consulted_on.day} "
                f"{given.consulted_on:%b %Y}{how}. Recorded by {acting}.")
    return what


# The step refuses a view that is no view ("n/a") as its "reason": said at the view's field.
IDS = {"view_text": "view_text", "reason": "view_text", "consulted_on": "consulted_on",
       "consultee": "consultee", "method": "method", "evidence_document": "evidence_document",
       "proposed_end": "proposed_end"}
CRM_METHODS = (ConsultationMethod.MEETING, ConsultationMethod.TELEPHONE,
               ConsultationMethod.EMAIL)
CHECKS: dict[str, Check] = {
    "consultee": required("Choose the Head of Service who gave the view"),
    # "n/a" refused here by the rule the step refuses it with (grounds.reason_problem), with
    # the other fields' problems at once, not after them above the form (round 11).
    "view_text": a_reason("Write the view as the Head of Service gave it"),
    "consulted_on": a_date("Type the day they were consulted, like 28/11/2026", past=True),
    "proposed_end": a_date("Type the end put to them, like 28/11/2027"),
}


class ConsultationDialog(FormDialog):
    DEFAULT_CSS = """
    ConsultationDialog { align: center middle; }
    ConsultationDialog > VerticalScroll {
        width: 90; height: auto; max-height: 92%; border: thick $accent; background: $surface;
        padding: 1 2;
    }
    ConsultationDialog .title { text-style: bold; }
    ConsultationDialog #about { color: $text-muted; margin-bottom: 1; }
    ConsultationDialog TextArea { height: 6; }
    ConsultationDialog .field-error { color: $error; }
    ConsultationDialog .-problem { border: tall $error; }
    ConsultationDialog #form-error { color: $error; height: auto; }
    """
    GUIDE = Guide("Head of Service consultation",
                  "Record the view the Head of Service, Legal Services Partnership, gave on the "
                  "case.",
                  (CONSIDERATION,))
    BINDINGS = [save_binding("Record the view",
                             tooltip="Record the Head of Service's view on the case as given")]
    FIELD_IDS = IDS
    DISCARD = "the view you typed"

    def __init__(self, reference: str, heads: list[tuple[str, str]] | None, record: Record, *,
                 subject: str = "", about: list[str] | None = None,
                 proposed_end: date | None = None,
                 documents: list[tuple[int, str]] | None = None) -> None:
        """`heads`: (login, name) of Heads of Service to choose from when the CRM records a
        view given to them; None when the Head of Service records their own. `about`: the
        restrictions the view is on, as the screen read them; `proposed_end`: the end put to
        the Head of Service (None: the view is not on restrictions); `documents`: the case's
        documents, one of which is the email a view by email came in."""
        super().__init__()
        self.reference, self.heads, self._record = reference, heads, record
        self.subject, self.about = subject, about or []
        self.proposed_end, self.documents = proposed_end, documents or []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(literal(f"Head of Service consultation · {self.reference}"
                                 + (f" · on {self.subject}" if self.subject else "")),
                         classes="title")
            if self.about:
                yield Static(literal("The view is on the restrictions as they stand:\n"
                                     + "\n".join(f"• {line}" for line in self.about)
                                     + "\nA change to any of them after the view means "
                                       "consulting again.", wrap=True), id="about")
            yield Static("", id="form-error")
            if self.heads is not None:
                yield Label("Head of Service consulted")
                only = self.heads[0][0] if len(self.heads) == 1 else Select.NULL
                yield Select[str](choices((name, login) for login, name in self.heads), value=only,
                                  id="consultee")
                yield Label("", id="consultee-error", classes="field-error")
                yield Label("How they gave their view")
                yield Select[str](choices((m.label, m.value) for m in CRM_METHODS), id="method")
                yield Label("", id="method-error", classes="field-error")
                yield Label("Their email, attached to the case (for a view by email)")
                yield Select[str](choices((name, str(i)) for i, name in self.documents),
                                  id="evidence_document")
                yield Label("", id="evidence_document-error", classes="field-error")
            yield Label("View")
            yield Select[str](choices((v.label, v.value) for v in ConsultationView),
                              value=ConsultationView.AGREES.value, allow_blank=False, id="view")
            yield Label("The view, in the Head of Service's words")
            yield BoundedTextArea(id="view_text")
            yield Label("", id="view_text-error", classes="field-error")
            yield Label("Consulted on")
            yield Input(f"{clock.today():%d/%m/%Y}", id="consulted_on")
            yield Label("", id="consulted_on-error", classes="field-error")
            if self.proposed_end is not None:
                yield Label("The restrictions proposed to end on")
                yield Input(f"{self.proposed_end:%d/%m/%Y}", id="proposed_end")
                yield Label("", id="proposed_end-error", classes="field-error")

    def checks(self) -> dict[str, Check]:
        return CHECKS

    def rule_problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.query("#proposed_end"):
            # The step's rule on the end put to them, told with the other fields' problems
            # in one save, not on the next (round 12).
            try:
                ends = parse_date(self.query_one("#proposed_end", Input).value)
            except ValueError:
                pass  # its own check says so
            else:
                problem = proposed_end_problem(ends, clock.today())
                if problem:
                    found["proposed_end"] = problem
        if self.heads is None:
            return found
        chosen = self._chosen("method")
        picked = self._chosen("evidence_document")
        return {**how_given_problems(ConsultationMethod(chosen) if chosen else None,
                                     int(picked) if picked else None), **found}

    def _chosen(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else str(value)

    def action_save(self) -> None:
        if not self.checked():
            return
        dates: dict[str, date | None] = {"consulted_on": None, "proposed_end": None}
        for widget_id in dates:
            if self.query(f"#{widget_id}"):
                dates[widget_id] = parse_date(self.query_one(f"#{widget_id}", Input).value)
        consultee = method = document = None
        if self.heads is not None:
            consultee = self._chosen("consultee")
            chosen = self._chosen("method")
            method = ConsultationMethod(chosen) if chosen else None
            picked = self._chosen("evidence_document")
            document = int(picked) if picked else None
        given = GivenView(ConsultationView(str(self.query_one("#view", Select).value)),
                          self.query_one("#view_text", TextArea).text, consultee,
                          dates["consulted_on"] or clock.today(), method, document,
                          dates["proposed_end"])
        self.run_step(given)

    @work(thread=True, exclusive=True, exit_on_error=False, group="consultation")
    def run_step(self, given: GivenView) -> None:
        try:
            with session():
                result = self._record(given)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result if result is not None else True)

