"""Record a referral from a service area manager: everything the policy asks a referral to
contain, checked field by field — every problem shown at once, at its field — and nothing is
stored until all of it is acceptable. Escape asks before throwing away what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from crm_tui import clock
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.equality import ContactNeed
from crm_tui.domain.errors import DomainError, Problems, RequirementMissing, ValidationError
from crm_tui.domain.escalations import EscalationKind
from crm_tui.domain.grounds import other_behaviour_problem
from crm_tui.domain.roles import Role
from crm_tui.domain.scope import referrer_problem
from crm_tui.domain.typed_dates import quoted
from crm_tui.domain.wording import ContactFrequency, postal_address
from crm_tui.services.core.database import session
from crm_tui.services.core.inputs import (
    CustomerInput,
    EscalationInput,
    LocalResolutionInput,
    ReferralInput,
)
from crm_tui.services.intake.contact_rules import contact_problems
from crm_tui.services.intake.customer_matches import LikelyMatch, LikelyMatches
from crm_tui.services.intake.referrals import (
    FormOptions,
    ReferralSubmission,
    form_options,
    submit_referral,
)
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormBehaviour
from crm_tui.ui.dialogs.which_person import NOT_SAID, as_said, which_person
from crm_tui.ui.forms import (
    Check,
    DateCheck,
    a_date,
    parse_date,
    required,
    show_field_error,
)
from crm_tui.ui.guide import REFERRAL, Guide
from crm_tui.ui.keys_after_refusal import not_a_refusal
from crm_tui.ui.text import choices, literal, ticks
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.bounded_text import BoundedTextArea
from crm_tui.ui.widgets.keys_footer import KeysFooter
from crm_tui.ui.widgets.tick_marks import Checkbox, SelectionList

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

NEW_CUSTOMER = "__new__"
# Service-layer field names to the widgets where they are typed.
FIELD_WIDGETS = {
    "customer name": "name", "customer": "name", "name": "name", "address": "address",
    "postcode": "postcode", "email": "email", "telephone": "telephone",
    "personal circumstances": "circumstances", "reasonable adjustments": "adjustments",
    "contact needs": "contact-needs",
    "referred_by": "referred-by", "service_area": "service-area", "received_on": "received-on",
    "behaviour_details": "details", "other_departments": "other-departments",
    "written_on": "written-on", "written_summary": "written-summary", "spoc_name": "spoc",
    "spoc": "spoc", "customer_summary": "customer-summary",
    "contact_frequency": "frequency", "communication_style": "style",
    "monitoring_start": "monitoring-start", "monitoring_end": "monitoring-end",
    "no_local_resolution_reason": "no-lr-reason", "evidence": "evidence",
    "categories": "categories", "other_behaviour": "other-behaviour",
    "kind": "esc-kind", "occurred_on": "esc-on", "reference": "esc-reference",
    "note": "esc-note",
}
NO_ESCALATION = "__none__"
NO_SPOC = "__none__"
CHECKS: dict[str, Check] = {
    "name": required("Give the customer's name, as their letters are addressed"),
    "referred-by": required("Choose the manager who referred the case"),
    "service-area": required("Choose the service area the referral comes from"),
    "received-on": a_date("Type the day the referral was received, like 28/11/2026",
                          past=True),
    "details": required("Describe the behaviour: what the customer did, when, and its effect"),
    "categories": required("Tick at least one of the policy's examples (space ticks)"),
    "written-on": a_date("Type the day the customer was written to, like 28/11/2026",
                         past=True),
    "written-summary": required("Say what the written communication said"),
    "customer-summary": required("Say what the customer was told of our concerns: \"You "
                                 "have…\""),
    "monitoring-start": a_date("Type the day the monitoring period started"),
    "monitoring-end": a_date("Type the day the monitoring period ended"),
    "no-lr-reason": required("Say why local resolution was not attempted"),
}


def _field(label: str, widget: Widget, hint: str = "") -> Iterator[Widget]:
    yield Label(label, classes="field-label")
    if hint:
        yield Static(hint, classes="hint")
    yield widget
    error = Label("", id=f"{widget.id}-error", classes="field-error")
    error.display = False
    yield error


class ReferralFormScreen(FormBehaviour):
    CSS_PATH = "referral_form.tcss"
    GUIDE = Guide("New referral",
                  "Record a referral from a service area manager: the customer, the behaviour, "
                  "the attempts at local resolution, the evidence and the other departments "
                  "affected.",
                  (REFERRAL,))
    KEYS_INSIDE = False  # a full screen: its own Footer shows the keys
    FIELD_IDS = FIELD_WIDGETS
    DISCARD = "the referral you typed"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save referral", id="form-save", key_display="ctrl+s",
                tooltip="Save the referral; it arrives in the inbox as a new referral"),
        Binding("escape", "cancel", "Cancel", id="form-cancel", key_display="esc",
                tooltip="Leave the form without saving the referral"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.options: FormOptions | None = None

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll(id="form"):
            yield Static("New referral to the Complaints Resolution Manager", id="form-title")
            yield Static("", id="form-error")
            yield Static("Who and what", classes="section")
            yield from _field("Referral for", Select[str]([("A new customer", NEW_CUSTOMER)],
                                                          value=NEW_CUSTOMER, allow_blank=False,
                                                          id="for-case"),
                              "A customer already in local resolution, or a new customer")
            with Vertical(id="customer-section"):
                yield from _field("Customer's name", Input(id="name"))
                yield from _field("Postal address (one line each)",
                                  BoundedTextArea(id="address", soft_wrap=True))
                yield from _field("Postcode", Input(id="postcode"))
                yield from _field("Email", Input(id="email"))
                yield from _field("Telephone", Input(id="telephone"))
                yield from _field("Personal circumstances", BoundedTextArea(
                    id="circumstances", soft_wrap=True))
                yield from _field("Reasonable adjustments", BoundedTextArea(
                    id="adjustments", soft_wrap=True))
                # Issue 15 AX2: "Prefers letters in large print" typed above reached nothing;
                # ticked here, the equality check, the case file and the letters read it.
                yield from _field("Contact needs", SelectionList[str](
                    *ticks((n.label, n.value, False) for n in ContactNeed), id="contact-needs"),
                    "The adjustments the letters and the equality check follow: space ticks "
                    "each one the customer needs")
            yield from _field("Referring manager", Select[str]([], id="referred-by",
                                                               prompt="Choose the manager"))
            yield from _field("Service area", Select[str]([], id="service-area",
                                                          prompt="Choose the service area"))
            yield from _field("Received on", Input(id="received-on"), "e.g. 28/11/2026")
            yield Static("The behaviour", classes="section")
            yield from _field("Details of the behaviour",
                              BoundedTextArea(id="details", soft_wrap=True))
            yield from _field("Behaviour categories", SelectionList[str](
                *ticks((c.label, c.name, False) for c in BehaviourCategory), id="categories"),
                "The policy's examples: space ticks each one shown (at least one)")
            yield from _field("If Other: what the customer did", Input(id="other-behaviour"))
            yield from _field("Other departments or areas known to be affected",
                              Input(id="other-departments"))
            with Vertical(id="lr-section"):
                yield Static("Local resolution attempts", classes="section")
                yield Checkbox("Local resolution was attempted and confirmed in writing",
                               value=True, id="lr-attempted")
                with Vertical(id="lr-fields"):
                    yield from _field("Written to the customer on", Input(id="written-on"))
                    yield from _field("What the written communication said: the internal "
                                      "record",
                                      BoundedTextArea(id="written-summary", soft_wrap=True))
                    yield from _field("Our concerns, as the customer is told them",
                                      BoundedTextArea(id="customer-summary", soft_wrap=True),
                                      "Written to the customer (\"You have…\"), in plain "
                                      "English and whole sentences: the local-resolution "
                                      "letter prints it as it stands")
                    yield from _field("Single point of contact offered", Select[str](
                        [("No single point of contact", NO_SPOC)], value=NO_SPOC,
                        allow_blank=False, id="spoc"),
                        "A person from the users: the letter gives their direct telephone "
                        "and email (recorded on the team screen)")
                    yield from _field("How often they will be in touch", Select[str](
                        choices([*[(f.label, f.value) for f in ContactFrequency],
                                 ("No fixed contact", "")]), value="", allow_blank=False,
                        id="frequency"))
                    yield from _field("Communication style proposed", Input(id="style"))
                    yield from _field("Monitoring period started", Input(id="monitoring-start"))
                    yield from _field("Monitoring period ended", Input(id="monitoring-end"))
                    # Short enough to stand whole in the form at 80 columns (a tick box
                    # is one line: the longer words ran off its edge at 100).
                    yield Checkbox("Warned in writing that continuing may lead to "
                                   "restrictions", value=False, id="lr-warned")
                with Vertical(id="no-lr"):
                    yield Static(id="no-lr-flag")
                    yield from _field("Why local resolution was not attempted",
                                      BoundedTextArea(id="no-lr-reason", soft_wrap=True),
                                      "With an escalation below, say why it ruled local "
                                      "resolution out; without one, explain in full "
                                      "(at least 15 words)")
                    yield from _field("Escalation (the policy's extreme cases)", Select[str](
                        choices([("No escalation", NO_ESCALATION),
                                 *[(k.label, k.value) for k in EscalationKind]]),
                        value=NO_ESCALATION, allow_blank=False, id="esc-kind"))
                    yield from _field("When it happened", Input(id="esc-on"))
                    yield from _field("Crime, incident or legal reference",
                                      Input(id="esc-reference"))
                    yield from _field("What happened",
                                      BoundedTextArea(id="esc-note", soft_wrap=True))
            yield Static("Evidence", classes="section")
            yield from _field("Documents and log sheets to attach (one path per line)",
                              BoundedTextArea(id="evidence", soft_wrap=False),
                              "Each file is copied into the evidence store under its SHA-256")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#received-on", Input).value = clock.today().strftime("%d/%m/%Y")
        self.query_one("#no-lr").display = False
        self.query_one("#no-lr-flag", Static).update(literal(
            "⚠ No recorded local resolution or monitoring period. Accepting the referral "
            "anyway needs a real reason: an extreme case (police involvement, legal action, a "
            "risk to staff — record it below; the council's "
            f"{self.crm_app.config.safe_working_procedure} applies), or a full explanation.",
            wrap=True))
        self.load_options()

    @work(thread=True, exclusive=True, exit_on_error=False, group="referral-form")
    def load_options(self) -> None:
        with session():
            options = form_options(self.crm_app.actor)
        deliver(self, self.show_options, options)

    def show_options(self, options: FormOptions) -> None:
        self.options = options
        # Customers' and officers' names as written, never read as markup.
        self.query_one("#for-case", Select).set_options(choices(
            [("A new customer", NEW_CUSTOMER), *[(label, ref) for ref, label in
                                                  options.in_local_resolution]]))
        self.query_one("#referred-by", Select).set_options(
            choices((label, login) for login, label in options.managers))
        self.query_one("#service-area", Select).set_options(
            choices((a, a) for a in options.service_areas))
        self.query_one("#spoc", Select).set_options(choices(
            [("No single point of contact", NO_SPOC), *[(label, login) for login, label in
                                                        options.contacts]]))
        actor = self.crm_app.actor
        if actor.service_area_id is not None and len(options.managers) == 1:
            self.query_one("#referred-by", Select).value = options.managers[0][0]
            self._area_of_manager(options.managers[0][0])
        self.call_after_refresh(self.mark_pristine)  # the choices loaded are not "typed"

    def first_field(self) -> Widget | None:
        """The customer's name: typed top-down, the name goes into its field (a space typed
        on the choice above it would open that and lose the name). A new customer is the
        default; the choice of a customer in local resolution is a shift+tab away."""
        name = self.query_one("#name", Input)
        return name if name.focusable else super().first_field()

    def checks(self) -> dict[str, Check]:
        def escalation_day(text: str) -> str | None:
            if self._select_or_none("esc-kind") in (None, NO_ESCALATION):
                return None
            return a_date("Type the day it happened, like 28/11/2026", past=True)(text)

        return {**CHECKS, "esc-on": DateCheck(escalation_day)}

    def rule_problems(self) -> dict[str, str]:
        """The rules the service refuses with after the fields' own checks: a referring
        manager of the area chosen, Other described (and ticked), and a monitoring period that
        does not run backwards."""
        found: dict[str, str] = {}
        referrer = self.options.referrers.get(self._select_or_none("referred-by") or "") \
            if self.options else None
        area = self._select_or_none("service-area")
        if referrer is not None and area is not None:
            problem = referrer_problem(*referrer, area)
            if problem:
                found["referred-by"] = problem
        ticked = BehaviourCategory.OTHER.name in self.query_one("#categories",
                                                                 SelectionList).selected
        other = other_behaviour_problem(ticked, self._text("other-behaviour"))
        if other:
            found["other-behaviour"] = other
        # The service's one rule for them, told with the rest at the first save (t15c F2: an
        # email "X" was saved, though H refuses it).
        for refused in contact_problems(self._text("email"), self._text("telephone")):
            found[FIELD_WIDGETS[refused.field]] = refused.message
        # The address's and postcode's one rule (domain.wording.postal_address), with the rest
        # at the first save (v15k V3: "?" as the address was said only at a second ctrl+s).
        if self._select_or_none("for-case") == NEW_CUSTOMER:
            try:
                postal_address(tuple(self._text("address").splitlines()),
                               self._text("postcode"))
            except ValidationError as exc:
                for one in exc.found if isinstance(exc, Problems) else [exc]:
                    found[FIELD_WIDGETS[one.field]] = one.message
        try:
            start = parse_date(self._text("monitoring-start"))
            end = parse_date(self._text("monitoring-end"))
        except ValueError:
            return found  # said by the dates' own checks
        if end < start:
            found["monitoring-end"] = (f"{quoted(self._text('monitoring-end').strip())} is "
                                       "before the monitoring period started "
                                       f"({self._text('monitoring-start').strip()})")
        return found

    def _select_or_none(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else str(value)

    @on(Select.Changed, "#referred-by")
    def manager_chosen(self, event: Select.Changed) -> None:
        self._area_of_manager(None if event.value is Select.NULL else str(event.value))

    # The area the form filled in from the referring manager, while the user has not chosen
    # one by hand: it follows the manager (v15c m2: it stayed on the first manager's area).
    _area_filled: str | None = None

    def _area_of_manager(self, login: str | None) -> None:
        """A service area manager refers from the area they manage (b15c F5: it had to be
        chosen again by hand): filled in while no area is chosen, or the one there was filled
        in so; one the user chose that is not theirs is said at once, at the manager, and
        left for the user to put right. A manager with no area (or none) takes away the area
        the form filled in for the one before (v15d N3: the previous manager's area stayed,
        chosen by no one)."""
        referrer = (self.options.referrers.get(login) if self.options and login else None)
        area = self.query_one("#service-area", Select)
        if referrer is None or referrer[1] is not Role.SERVICE_AREA_MANAGER or not referrer[2]:
            if self._area_filled is not None and area.value == self._area_filled:
                self._area_filled = None
                area.clear()
            return
        if area.value is Select.NULL or area.value == self._area_filled:
            self._area_filled = referrer[2]
            area.value = referrer[2]
            return
        problem = referrer_problem(*referrer, str(area.value))
        if problem:
            show_field_error(self, "referred-by", f"{problem}: choose that area below, or "
                             "another manager", focus=False)

    @on(Select.Changed, "#service-area")
    def area_chosen(self, event: Select.Changed) -> None:
        """An area other than the one filled in is the user's: it stays, whoever refers. (A
        change told late, after the form filled in another, is not the user's: the value
        has moved on from it.)"""
        if event.value == event.select.value and event.value != self._area_filled:
            self._area_filled = None

    @on(Select.Changed, "#for-case")
    def case_chosen(self, event: Select.Changed) -> None:
        new = event.value == NEW_CUSTOMER
        self.query_one("#customer-section").display = new
        self.query_one("#lr-section").display = new

    @on(Checkbox.Changed, "#lr-attempted")
    def lr_toggled(self, event: Checkbox.Changed) -> None:
        self.query_one("#lr-fields").display = event.value
        self.query_one("#no-lr").display = not event.value

    # -- saving -----------------------------------------------------------------------------
    def _text(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        return cast(Input, widget).value

    def _date(self, widget_id: str) -> object:
        try:
            return parse_date(self._text(widget_id))
        except ValueError as exc:
            raise ValidationError(widget_id, str(exc)) from None

    def _select(self, widget_id: str) -> str:
        value = self.query_one(f"#{widget_id}", Select).value
        if value is Select.NULL:
            raise ValidationError(widget_id, "choose one")
        return str(value)

    def gather(self) -> ReferralSubmission:
        """What was typed, as a submission; dates and choices are checked here, the rest by
        the service."""
        case_reference = self._select("for-case")
        new = case_reference == NEW_CUSTOMER
        categories = tuple(BehaviourCategory[name] for name in
                           self.query_one("#categories", SelectionList).selected)
        attempted = self.query_one("#lr-attempted", Checkbox).value
        escalation = self._escalation() if new and not attempted else None
        referral = ReferralInput(
            referred_by=self._select("referred-by"),
            received_on=self._date("received-on"),  # type: ignore[arg-type]
            behaviour_details=self._text("details"), categories=categories,
            other_departments=self._text("other-departments"),
            no_local_resolution_reason=self._text("no-lr-reason") if new and not attempted
            else "", other_behaviour=self._text("other-behaviour"), escalation=escalation)
        lr = None
        if new and attempted:
            lr = LocalResolutionInput(
                written_on=self._date("written-on"),  # type: ignore[arg-type]
                written_summary=self._text("written-summary"),
                monitoring_start=self._date("monitoring-start"),  # type: ignore[arg-type]
                monitoring_end=self._date("monitoring-end"),  # type: ignore[arg-type]
                customer_summary=self._text("customer-summary"),
                spoc="" if (spoc := self._select("spoc")) == NO_SPOC else spoc,
                contact_frequency=self._select("frequency"),
                communication_style=self._text("style"),
                warned=self.query_one("#lr-warned", Checkbox).value)
        customer = CustomerInput(
            name=self._text("name"),
            address=tuple(line for line in self._text("address").splitlines() if line.strip()),
            postcode=self._text("postcode"), email=self._text("email"),
            telephone=self._text("telephone"),
            personal_circumstances=self._text("circumstances"),
            reasonable_adjustments=self._text("adjustments"),
            contact_needs=tuple(ContactNeed(v) for v in
                                self.query_one("#contact-needs", SelectionList).selected)
        ) if new else None
        evidence = tuple(Path(line.strip()).expanduser()
                         for line in self._text("evidence").splitlines() if line.strip())
        return ReferralSubmission(service_area=self._select("service-area"), referral=referral,
                                  customer=customer,
                                  case_reference="" if new else case_reference,
                                  local_resolution=lr, evidence=evidence)

    def _escalation(self) -> EscalationInput | None:
        kind = self._select("esc-kind")
        if kind == NO_ESCALATION:
            return None
        return EscalationInput(kind=EscalationKind(kind),
                               occurred_on=self._date("esc-on"),  # type: ignore[arg-type]
                               reference=self._text("esc-reference"),
                               note=self._text("esc-note"))

    def action_save(self) -> None:
        if not self.checked():
            return
        try:
            submission = self.gather()
        except ValidationError as exc:
            self.show_error(exc)
            return
        self.save(submission)

    @work(thread=True, exclusive=True, exit_on_error=False, group="referral-save")
    def save(self, submission: ReferralSubmission) -> None:
        try:
            with session():
                summary = submit_referral(self.crm_app.actor, submission)
        except LikelyMatches as exc:
            deliver(self, self.ask_which_person, submission, exc.matches)
            return
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        no_address = submission.customer is not None and not submission.customer.address
        deliver(self, self.saved, summary.reference, no_address)

    def ask_which_person(self, submission: ReferralSubmission,
                         matches: list[LikelyMatch]) -> None:
        """The customer typed may be one on record (b16f F6: a second record split what is
        held about one person): nothing is saved until the user says which."""
        typed = submission.customer
        if typed is None:
            return
        self.app.push_screen(
            which_person(typed.name, matches),
            lambda chosen: self.which_person_said(submission, chosen))

    def which_person_said(self, submission: ReferralSubmission, chosen: str | None) -> None:
        typed = submission.customer
        if typed is None:
            return
        if chosen is None:
            self.form_error(f"Not saved: {NOT_SAID} (ctrl+s asks again)")
            self.query_one("#form").scroll_home()
            return
        customer = as_said(typed, chosen)
        self.save(replace(submission, customer=customer))

    def saved(self, reference: str, no_address: bool) -> None:
        # Closed first: the warning belongs to the inbox it is read on. Given while the form
        # was still on view, it went with the form when it closed (a toast goes when the
        # screen it was given on is left: crm_tui/ui/toasts.py), when the app happened to
        # handle it before the form closed (found under load in a clean run).
        self.dismiss(reference)
        if no_address:
            with not_a_refusal(self.app):  # saved: the keys typed after it act
                self.warn_no_address(reference)

    def warn_no_address(self, reference: str) -> None:
        """Saved, but letters are posted: said at once, not refused (the address may follow)."""
        self.app.notify(f"{reference} has no postal address: letters are posted, and no "
                        "decision letter can go without it. Record it on the case file (H).",
                        title="No postal address", severity="warning", timeout=10)

    def show_error(self, error: DomainError) -> None:
        if isinstance(error, ValidationError):
            names = {p.name for p in self._evidence_paths()}
            widget = "evidence" if error.field in names else FIELD_WIDGETS.get(
                error.field, error.field)
            message = f"{error.field} {error.message}" if widget == "evidence" else error.message
            if self.query(f"#{widget}-error"):
                super().show_error(ValidationError(widget, message))
                return
        if isinstance(error, RequirementMissing) and "local resolution" in str(error):
            self.refused_at("no-lr-reason", str(error))
            return
        self.form_error(error.message if isinstance(error, ValidationError) else str(error))
        self.query_one("#form").scroll_home()

    def _evidence_paths(self) -> list[Path]:
        return [Path(line.strip()) for line in self._text("evidence").splitlines()
                if line.strip()]
