"""Set out one restriction: its own parameters (which of the policy's six kinds decides what
they are), the behaviour it answers (the policy's examples it rests on, ticked; the referral's
to begin with), why it is proportionate, what less was considered and how the customer can
still reach the council. Refusals are shown at their field."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.contact import Channel
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.restrictions import WEEKDAYS, RestrictionKind, parameter_problems
from crm_tui.services.core.database import session
from crm_tui.services.core.inputs import RestrictionDraft
from crm_tui.services.core.results import UserInfo
from crm_tui.services.restrictions.builder import RestrictionView
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog, save_binding
from crm_tui.ui.forms import Check, a_reason, field, required
from crm_tui.ui.guide import RESTRICTIONS, Guide
from crm_tui.ui.text import choices, literal, ticks
from crm_tui.ui.widgets.bounded_text import BoundedTextArea
from crm_tui.ui.widgets.tick_marks import SelectionList

K = RestrictionKind
COMMON = (("reason", "The behaviour it answers (with dates) and why: the internal record"),
          # Where the letter prints it, and what goes elsewhere (t15 F7: with the decision's
          # reasons, both "as the customer is told it", it was printed twice over).
          ("customer_reason", "Why, as the customer is told it: write to them (\"You…\"), "
                              "in plain English and whole sentences; the letter prints it "
                              "with this restriction, under \"What we have decided\" (the "
                              "decision's own reasons go under \"Why\")"),
          ("proportionality", "Why it is proportionate"),
          ("less_restrictive_considered", "Less restrictive options considered, and why not"),
          # For staff (the builder, the staff register), not the letter: the letter gives the
          # ways the restrictions leave open (found when tried: read as words the customer
          # would be told, and they never reached the letter).
          ("still_reachable", "How the customer can still reach the council (emergencies, "
                              "new matters): for staff and the staff register, not printed "
                              "in the letter; the letter gives the ways the restrictions "
                              "leave open"),
          ("evidence_note", "Evidence it rests on (notes; link items with k in the builder)"))
CHECKS: dict[str, Check] = {
    # A reason "n/a" is refused here by the rule the service refuses it with (round 12).
    "reason": a_reason("Say what behaviour it answers, with dates, and why"),
    "customer_reason": required("Say why, as the customer is told it: \"You…\", in plain "
                                "English"),
    "proportionality": a_reason("Say why it is proportionate to the behaviour"),
    "less_restrictive_considered": a_reason("Say what less was considered, and why it would "
                                            "not do"),
    "still_reachable": required("Say how the customer can still reach the council"),
    "why_nothing_less": required("Say why nothing less will do"),
    "definition": required("Say what counts as a significant and serious query"),
}


def _reachable_label(user: UserInfo) -> str:
    details = ", ".join(d for d in (user.telephone, user.email) if d)
    return f"{user.name} ({details or 'no direct telephone or email yet'})"


class RestrictionFormDialog(FormDialog):
    DEFAULT_CSS = """
    RestrictionFormDialog { align: center middle; }
    RestrictionFormDialog > VerticalScroll {
        width: 100; height: 92%; border: thick $accent; background: $surface; padding: 0 2;
    }
    RestrictionFormDialog .title { text-style: bold; }
    RestrictionFormDialog .policy { color: $text-muted; }
    RestrictionFormDialog TextArea { height: 4; }
    /* Every option (the dialog scrolls: at 9 lines at most a list drew its own scrollbar). */
    RestrictionFormDialog SelectionList { height: auto; }
    RestrictionFormDialog .field-error { color: $error; }
    RestrictionFormDialog .-problem { border: tall $error; }
    RestrictionFormDialog #form-error { color: $error; height: auto; }
    """
    GUIDE = Guide("A restriction",
                  "One restriction: which of the policy's options, its terms, reason, evidence, "
                  "proportionality, start, end and review.",
                  (RESTRICTIONS,))
    BINDINGS = [save_binding("Set out the restriction",
                             tooltip="Save this restriction to those set out in the builder (a "
                                     "draft until the decision)")]
    DISCARD = "the restriction you typed"

    def __init__(self, reference: str, kind: RestrictionKind, officers: list[UserInfo],
                 closed_matters: list[str], existing: RestrictionView | None,
                 submit: Callable[[RestrictionDraft], Any], *,
                 behaviours: tuple[BehaviourCategory, ...] = ()) -> None:
        """`behaviours`: ticked to begin with for a new restriction (the referral's)."""
        super().__init__()
        self.reference, self.kind, self.officers = reference, kind, officers
        self.closed_matters, self.existing, self._submit = closed_matters, existing, submit
        self.behaviours = existing.behaviours if existing else behaviours

    def _old(self, key: str, default: Any = "") -> Any:
        return self.existing.parameters.get(key, default) if self.existing else default

    def _kind_fields(self) -> Iterator[Widget]:
        kind = self.kind
        if kind is K.FORM_OF_CONTACT:
            chosen = self._old("channels", [Channel.LETTER.value])
            yield from field("Channels that stay open (space ticks)", SelectionList[str](
                *ticks((c.label, c.value, c.value in chosen) for c in Channel), id="channels"))
            yield from field("Only this email address (optional)",
                              Input(self._old("email_address"), id="email_address"))
        elif kind is K.NAMED_OFFICER:
            # The named officer is a user: the letter gives the customer their direct line
            # and email (set on the team screen).
            named = [(_reachable_label(u), str(u.user_id)) for u in self.officers]
            old_id = str(self._old("officer_id", ""))
            yield from field("Named officer (their direct telephone and email go in the "
                             "letter)", Select[str](
                choices(named), value=old_id if old_id in {v for _, v in named} else Select.NULL,
                id="officer"))
            people = [(u.name, u.name) for u in self.officers]
            yield from field("Deputy in their absence", Select[str](
                choices(people), value=self._old("deputy") or Select.NULL, id="deputy"))
        elif kind is K.TELEPHONE_TIMES:
            days = self._old("days", [])
            yield from field("Days calls are taken (space ticks)", SelectionList[str](
                *ticks((d.capitalize(), d, d in days) for d in WEEKDAYS), id="days"))
            yield from field("Time windows, e.g. 10:00-12:00, 14:00-15:00", Input(
                ", ".join(self._old("windows", [])), id="windows"))
            yield from field("The number the customer rings in these times (the letter gives "
                             "it)", Input(self._old("number"), id="number"))
        elif kind is K.SIGNIFICANT_QUERIES_ONLY:
            yield from field("What counts as significant and serious", BoundedTextArea(
                self._old("definition"), id="definition"))
        elif kind is K.NEW_ISSUES_ONLY:
            old = self._old("closed_issues", [])
            yield from field("Matters dealt with that will not be acknowledged (space ticks)",
                              SelectionList[str](*ticks((m, m, m in old)
                                                       for m in self.closed_matters),
                                                 id="closed_issues"))
            others = [m for m in old if m not in self.closed_matters]
            yield from field("Others, separated by ;", Input("; ".join(others),
                                                               id="other_issues"))
        else:
            yield from field("Why nothing less will do (required for this extreme option)",
                              BoundedTextArea(self._old("why_nothing_less"), id="why_nothing_less"))

    def compose(self) -> ComposeResult:
        old = self.existing
        with VerticalScroll():
            verb = "Change" if old else "Set out"
            yield Static(literal(f"{verb} a restriction · {self.reference} · {self.kind.label}"),
                         classes="title")
            yield Static(literal(f"The policy: {self.kind.policy_words}.", wrap=True),
                         classes="policy")
            yield Static("", id="form-error")
            yield from self._kind_fields()
            yield from field("The policy's behaviours it answers (space ticks; it must rest on "
                             "evidence tagged with one of them)", SelectionList[str](
                *ticks((c.label, c.name, c in self.behaviours) for c in BehaviourCategory),
                id="behaviours"))
            for key, label in COMMON:
                yield from field(label, BoundedTextArea(getattr(old, key) if old else "", id=key))

    def checks(self) -> dict[str, Check]:
        return CHECKS

    def _widget_for(self, field_name: str) -> str:
        if field_name == "closed_issues" and not self.closed_matters:
            return "other_issues"
        return field_name

    def rule_problems(self) -> dict[str, str]:
        return {self._widget_for(name): message
                for name, message in parameter_problems(self.kind, self._params()).items()}

    def _params(self) -> dict[str, Any]:
        kind = self.kind
        if kind is K.FORM_OF_CONTACT:
            return {"channels": list(self.query_one("#channels", SelectionList).selected),
                    "email_address": self.query_one("#email_address", Input).value}
        if kind is K.NAMED_OFFICER:
            def chosen(widget_id: str) -> str:
                value = self.query_one(f"#{widget_id}", Select).value
                return "" if value is Select.NULL else str(value)
            officer_id = chosen("officer")
            name = next((u.name for u in self.officers if str(u.user_id) == officer_id), "")
            return {"officer": name, "officer_id": officer_id or None,
                    "deputy": chosen("deputy")}
        if kind is K.TELEPHONE_TIMES:
            windows = self.query_one("#windows", Input).value
            return {"days": list(self.query_one("#days", SelectionList).selected),
                    "windows": [w.strip() for w in windows.split(",") if w.strip()],
                    "number": self.query_one("#number", Input).value}
        if kind is K.SIGNIFICANT_QUERIES_ONLY:
            return {"definition": self.query_one("#definition", TextArea).text}
        if kind is K.NEW_ISSUES_ONLY:
            others = self.query_one("#other_issues", Input).value.split(";")
            return {"closed_issues": [*self.query_one("#closed_issues", SelectionList).selected,
                                      *[o.strip() for o in others if o.strip()]]}
        return {"why_nothing_less": self.query_one("#why_nothing_less", TextArea).text}

    def action_save(self) -> None:
        if not self.checked():
            return
        texts = {key: self.query_one(f"#{key}", TextArea).text for key, _ in COMMON}
        ticked = set(self.query_one("#behaviours", SelectionList).selected)
        behaviours = tuple(c for c in BehaviourCategory if c.name in ticked)
        self.run_step(RestrictionDraft(kind=self.kind, parameters=self._params(),
                                       behaviours=behaviours, **texts))

    @work(thread=True, exclusive=True, exit_on_error=False, group="restriction-form")
    def run_step(self, draft: RestrictionDraft) -> None:
        try:
            with session():
                result = self._submit(draft)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, result if result is not None else True)

    def show_error(self, error: DomainError) -> None:
        if isinstance(error, ValidationError):
            error = ValidationError(self._widget_for(error.field), error.message)
        super().show_error(error)
