"""The policy's Scope from a case file or the restriction builder: escalation records (`E`),
the warning given during local resolution (`w`), and the CRM's decision to restrict without a
prior warning, resting on an escalation record (`U`, confirmed with the CRM's passphrase)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding
from textual.screen import Screen

from crm_tui import clock
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.permissions import Capability, can
from crm_tui.domain.roles import Actor
from crm_tui.domain.scope import read_only_why
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import typed_days
from crm_tui.services.core.database import session
from crm_tui.services.core.inputs import EscalationInput
from crm_tui.services.intake import escalations, prior_warnings
from crm_tui.services.restrictions import extreme_case
from crm_tui.services.restrictions.extreme_case import ScopeView
from crm_tui.ui.confirm import acting_as, confirming
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.escalations import EscalationsDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.forms import DateCheck, a_date, as_typed, parse_date, required

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

# The policy's extreme cases are rare: their keys are in the palette and help, not the footer,
# which keeps its room at 100 columns for the steps every case takes.
SCOPE_BINDINGS = [
    Binding("E", "escalations", "Escalations", id="scope-escalations",
            show=False,
            tooltip="The case's escalation records (police involvement, legal action, a risk to "
                    "staff) and recording a new one"),
    Binding("w", "warning", "Warning given", id="scope-warning",
            show=False,
            tooltip="Record a separate warning letter sent to the customer during local "
                    "resolution, before any decision"),
    Binding("U", "without_warning", "No prior warning", id="scope-no-warning",
            show=False,
            tooltip="Record the CRM's decision to restrict without a prior warning, naming the "
                    "escalation that justifies it"),
]
SCOPE_ACTIONS = frozenset({"escalations", "warning", "without_warning"})
WARNING_STATES = prior_warnings.BEFORE_DECISION
WITHOUT_WARNING_STATES = extreme_case.BEFORE_DECISION


def _date(field: str, text: str) -> Any:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationError(field, str(exc)) from None


class ScopeActions(Screen[None]):
    """Mixed into the case file and the restriction builder, which provide what is declared
    here."""

    reference: str
    if TYPE_CHECKING:
        def scope_state(self) -> CaseState | None: ...
        def scope_changed(self, said: str) -> None: ...

    @property
    def _scope_actor(self) -> Actor:
        return cast("CrmApp", self.app).actor

    def scope_allowed(self, action: str) -> bool | None:
        """Whether a Scope key shows here (None: not one of them)."""
        state, actor = self.scope_state(), self._scope_actor
        if action == "escalations":
            return True
        if action == "warning":
            return can(actor, Capability.RECORD_WARNINGS) and state in WARNING_STATES
        if action == "without_warning":
            return (can(actor, Capability.RESTRICT_WITHOUT_WARNING)
                    and state in WITHOUT_WARNING_STATES)
        return None

    def _after(self, said: str) -> Callable[[object], None]:
        """The callback of a step: the toast says what was done (round 12: "Recorded")."""
        def after(result: object) -> None:
            if result:
                self.scope_changed(said)
        return after

    # -- escalations ----------------------------------------------------------------------
    def action_escalations(self) -> None:
        actor, ref = self._scope_actor, self.reference
        dialog: EscalationsDialog | None = None

        def record() -> None:
            assert dialog is not None
            self._choose_kind(dialog)

        dialog = EscalationsDialog(ref, lambda: extreme_case.scope_view(actor, ref),
                                   record if can(actor, Capability.RECORD_ESCALATIONS) else None,
                                   read_only_why(ref, self.scope_state()))
        self.app.push_screen(dialog, self._after("Escalation recorded"))

    def _choose_kind(self, dialog: EscalationsDialog) -> None:
        self.app.push_screen(ChooseDialog(
            f"Which escalation on {self.reference}?",
            [(k.value, k.label) for k in EscalationKind]),
            lambda kind: self._escalation_form(dialog, kind))

    def _escalation_form(self, dialog: EscalationsDialog, chosen: str | None) -> None:
        if chosen is None:
            return
        kind = EscalationKind(chosen)
        actor, ref = self._scope_actor, self.reference

        def submit(values: dict[str, str]) -> Any:
            return escalations.record_escalation(actor, ref, EscalationInput(
                kind=kind, occurred_on=_date("occurred_on", values["occurred_on"]),
                reference=values["reference"], note=values["note"]))

        optional = "" if kind.needs_reference else " (if there is one yet)"
        self.app.push_screen(FieldsDialog(
            f"{kind.label} · {ref}",
            "When it happened, its reference and what happened. Where staff are at risk the "
            "council's safe-working procedure applies.",
            [Field("occurred_on", "When it happened", f"{clock.today():%d/%m/%Y}",
                   a_date("Type the day it happened, like 28/11/2026", past=True)),
             Field("reference", f"The {kind.reference_label}{optional}"),
             Field("note", "What happened", check=required("Say what happened"))], submit,
            discard="the escalation you typed", save="Record what happened"), dialog.recorded)

    # -- the warning ----------------------------------------------------------------------
    def action_warning(self) -> None:
        """The case's earliest days for a warning are read first, so that the form says a
        date's problem with the text's at the first save (b15d F3); the keys typed meanwhile
        wait for the form."""
        actor, ref = self._scope_actor, self.reference
        app = cast("CrmApp", self.app)
        held = app.hold_keys()

        def read() -> None:
            try:
                with session():
                    days: prior_warnings.WarningDays | None = prior_warnings.warning_days(
                        actor, ref)
            except DomainError:
                days = None  # the step itself says why, at save
            deliver(self, self._warning_form, days, held)

        self.run_worker(read, thread=True, exclusive=True, group="warning-days",
                        exit_on_error=False)

    def _warning_form(self, days: prior_warnings.WarningDays | None, held: int) -> None:
        actor, ref = self._scope_actor, self.reference
        app = cast("CrmApp", self.app)

        def submit(values: dict[str, str]) -> Any:
            return prior_warnings.record_warning(
                actor, ref, _date("given_on", values["given_on"]), values["summary"])

        typed_day = a_date("Type the day the letter was sent, like 28/11/2026", past=True)

        def given_on(text: str) -> str | None:
            problem = typed_day(text)
            if problem is None and days is not None:
                late = days.problem(parse_date(text))
                # Quoted as typed ("3/1/2001"), as the date field's own problems are.
                problem = as_typed(late, typed_days([text])) if late else None
            return problem

        self.app.push_screen(FieldsDialog(
            f"A warning given to the customer · {ref}",
            "A separate letter, sent during local resolution, telling the customer that "
            "continuing may lead to restrictions. (A local-resolution letter that warned them "
            "is recorded with the local resolution.) Attach the letter in the evidence viewer.",
            [Field("given_on", "Sent on", f"{clock.today():%d/%m/%Y}", DateCheck(given_on)),
             Field("summary", "What it said",
                   check=required("Say what the letter said, in a sentence or two"))], submit,
            discard="the warning you typed", save="Record the warning"),
            self._after("Warning recorded"))
        self.call_after_refresh(app.let_go_keys, held)

    # -- restricting without prior warning ------------------------------------------------
    def action_without_warning(self) -> None:
        actor, ref = self._scope_actor, self.reference
        self.run_worker(lambda: self._read_escalations(actor, ref), thread=True,
                        exclusive=True, group="scope", exit_on_error=False)

    def _read_escalations(self, actor: Actor, ref: str) -> None:
        with session():
            view = extreme_case.scope_view(actor, ref)
        deliver(self, self._choose_escalation, view)

    def _choose_escalation(self, view: ScopeView) -> None:
        if not view.escalations:
            self.notify("Restricting without prior warning rests on an escalation record "
                        "(police involvement, legal action or a risk to staff): record it "
                        "first (E)", title=self.reference, severity="error", markup=False)
            return
        self.app.push_screen(ChooseDialog(
            f"Restrict {self.reference} without prior warning, on which escalation?",
            [(str(e.id), e.label) for e in view.escalations]), self._reasons)

    def _reasons(self, chosen: str | None) -> None:
        if chosen is None:
            return
        actor, ref = self._scope_actor, self.reference
        question = (f"Decide to restrict contact on {ref} without prior warning, as "
                    f"{acting_as(actor)}?")
        self.app.push_screen(TextPromptDialog(
            f"Restrict without prior warning · {ref}",
            "The policy: where behaviour is so extreme that it threatens the immediate health, "
            "safety and welfare of staff, the council may not give the customer prior warning. "
            "Why could this customer not be warned first?",
            confirming(self.app, actor, lambda text, _flag: extreme_case.restrict_without_warning(
                actor, ref, int(chosen), text), what=question), confirm="Decide",
            needed="Say why this customer could not be warned first", question=question),
            self._after("Decided: contact restricted without prior warning"))
