"""Deciding an appeal: first, what the decider must read — the customer's grounds, the
decision appealed against, where the case returns — and who may decide it (the Service
Director, and the officers nominated for the case or the day); then the outcome."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.reviews.appeals import AppealView
from crm_tui.ui.dialogs.choose import ListChoice
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import APPEAL, Guide
from crm_tui.ui.text import literal

# Each outcome by its one label (as the timeline and the case file say it), and what it does.
OUTCOMES = {
    AppealOutcome.CONFIRMED: f"{AppealOutcome.CONFIRMED.label} (it stands as it was)",
    AppealOutcome.AMENDED: f"{AppealOutcome.AMENDED.label} (those set out in the builder "
                           "replace those in force: lighter or shorter only)",
    AppealOutcome.REMOVED: f"{AppealOutcome.REMOVED.label} (any still in force end today)",
}
RETURNS = {CaseState.RESTRICTED: "restricted", CaseState.UNDER_REVIEW: "the review under way",
           CaseState.ENDED: "ended (the restrictions had already ended)"}


def who_may_decide(view: AppealView) -> str:
    lines = ["Who may decide: the Service Director — " + (", ".join(view.service_directors)
                                                          or "none is a user")]
    for n in view.nominations:
        lines.append(f"  or, nominated: {n.line}")
    lines.append("— and only someone who took no part in the decision appealed against.")
    return "\n".join(lines)


class AppealDialog(ListChoice):
    DEFAULT_CSS = """
    AppealDialog { align: center middle; }
    AppealDialog > Vertical {
        width: 96; height: auto; max-height: 90%; border: thick $accent;
        background: $surface; padding: 1 2 0 2;
    }
    AppealDialog #appeal-title { text-style: bold; }
    AppealDialog .label { color: $text-muted; margin-top: 1; }
    AppealDialog #appeal-grounds-box { height: auto; max-height: 8;
                                       border: round $primary-darken-1; padding: 0 1; }
    AppealDialog OptionList { height: auto; margin-top: 1; }
    """
    GUIDE = Guide("Decide an appeal",
                  "The customer's grounds, the decision appealed against and who may decide; then "
                  "the outcome: confirm, amend or remove.",
                  (APPEAL,))
    BINDINGS = [Binding("enter", "choose", "Choose the outcome", key_display="enter",
                        priority=True,
                        tooltip="Choose the highlighted outcome: confirmed, amended or removed"),
                Binding("escape", "cancel", "Cancel", key_display="esc",
                        tooltip="Close without deciding the appeal; nothing is changed")]

    def __init__(self, view: AppealView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        a = self.view.open
        assert a is not None
        back = RETURNS.get(a.lodged_from, a.lodged_from.label.lower())
        with Vertical():
            yield Static(literal(f"Decide the appeal on {self.view.reference} (Enter chooses "
                                 "the outcome, Escape cancels)"), id="appeal-title")
            yield Static(literal(
                f"Received {in_prose(a.received_on, full_month=True)}"
                + (f" (late: after the appeal deadline of "
                   f"{in_prose(a.late_after, full_month=True)})" if a.late_after else "")
                + f", recorded by {a.recorded_by}; decision due "
                f"by {in_prose(a.due_on, full_month=True)}.\nAgainst the decision of "
                f"{in_prose(a.decision_on, full_month=True)} by "
                f"{a.decision_by}: {a.decision_reason}\n"
                # What one choice does, said as such: read above the choices whichever is
                # highlighted, it said "Confirmed, …" as if that were decided (BF2).
                f"If the appeal is not upheld (decision confirmed), the case returns to "
                f"{back}.",
                wrap=True), id="appeal-facts")
            yield Static("The customer's grounds", classes="label")
            with VerticalScroll(id="appeal-grounds-box"):
                yield Static(literal(a.grounds, wrap=True), id="appeal-grounds")
            yield Static(literal(who_may_decide(self.view), wrap=True), id="appeal-deciders",
                         classes="label")
            options = [Option(label, id=o.value) for o, label in OUTCOMES.items()
                       if not (o is AppealOutcome.AMENDED and a.lodged_from is CaseState.ENDED)]
            yield OptionList(*options, markup=False)
            yield DialogKeys()
