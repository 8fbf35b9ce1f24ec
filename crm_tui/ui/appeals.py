"""Appeals from a case file: record one received (date and grounds; documents go in the
evidence viewer), and decide it — confirm, amend or remove — by someone who took no part in
the decision. Amended restrictions are those set out in the restriction builder, with new
dates; the customer's letter follows from the Letters screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding
from textual.screen import Screen

from crm_tui import clock
from crm_tui.domain.errors import ValidationError
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.states import CaseState
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.restrictions import builder, readiness
from crm_tui.services.restrictions.readiness import DecisionPreview
from crm_tui.services.reviews import appeals
from crm_tui.ui.confirm import confirming
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.decision import DecisionDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.forms import parse_date

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

APPEAL_BINDINGS = [Binding("A", "appeal", "Appeal", id="case-appeal")]


class AppealActions(Screen[None]):
    """Mixed into the case file, which provides what is declared here."""

    reference: str
    if TYPE_CHECKING:
        def current_state(self) -> CaseState | None: ...
        def reload_case(self, result: object) -> None: ...

    def appeal_allowed(self) -> bool:
        return self.current_state() in (CaseState.RESTRICTED, CaseState.UNDER_APPEAL)

    def action_appeal(self) -> None:
        app = cast("CrmApp", self.app)
        actor, ref = app.actor, self.reference
        if self.current_state() is CaseState.RESTRICTED:
            def lodge(values: dict[str, str]) -> Any:
                try:
                    received = parse_date(values["received_on"])
                except ValueError as exc:
                    raise ValidationError("received_on", str(exc)) from None
                return appeals.lodge_appeal(actor, ref, received, values["grounds"])

            self.app.push_screen(FieldsDialog(
                f"Record an appeal against the decision on {ref}",
                "Attach the customer's appeal documents in the evidence viewer (v, then d).",
                [Field("received_on", "Received on", f"{clock.today():%d/%m/%Y}"),
                 Field("grounds", "The customer's grounds")], lodge), self.reload_case)
            return
        self.app.push_screen(ChooseDialog(
            f"Decide the appeal on {ref} (only someone who took no part in the decision)",
            [(o.value, o.value.capitalize() + {"confirmed": ": the decision stands",
                                               "amended": ": the restrictions set out in the "
                                                          "builder replace those in force",
                                               "removed": ": the restrictions end"}[o.value])
             for o in AppealOutcome]), self._outcome)

    def _outcome(self, chosen: str | None) -> None:
        if chosen is None:
            return
        app = cast("CrmApp", self.app)
        actor, ref, outcome = app.actor, self.reference, AppealOutcome(chosen)
        if outcome is AppealOutcome.AMENDED:
            def amend(terms: DecisionTerms, reason: str, _against: str,
                      read: dict[int, int]) -> Any:
                return appeals.decide_appeal(actor, ref, outcome, reason, terms, read)

            def preview(terms: DecisionTerms, reason: str, _against: str) -> DecisionPreview:
                return readiness.preview_amendment(actor, ref, terms, reason)

            self.app.push_screen(DecisionDialog(
                f"Amend on appeal · {ref} (ctrl+s decides)", builder.default_terms(),
                confirming(app, actor, amend), preview), self.reload_case)
            return
        self.app.push_screen(TextPromptDialog(
            f"Appeal {outcome.value} · {ref}", "The reasons (the customer is told them):",
            confirming(app, actor,
                       lambda text, _flag: appeals.decide_appeal(actor, ref, outcome, text))),
            self.reload_case)
