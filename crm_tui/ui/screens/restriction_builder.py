"""The restriction builder: the decision that restricts a member of the public's access to
their council, built so that it stands up to an appeal, the Ombudsman or a court. Restrictions
set out one by one with their reasons and evidence; the customer's circumstances, adjustments
and contact needs beside them, with every clash answered; the Head of Service's view; and,
when nothing stands in the way, the CRM's decision with what the customer will be told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from crm_tui import clock
from crm_tui.domain import lifecycle
from crm_tui.domain.in_force import starts_later
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationMethod, ConsultationView
from crm_tui.domain.permissions import Capability, can
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import IN_FORCE_STATES, CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import consulted
from crm_tui.services.core.database import session
from crm_tui.services.evidence import documents, matters
from crm_tui.services.restrictions import builder, extreme_case, readiness
from crm_tui.services.restrictions.builder import BuilderView, ConsultationInfo, RestrictionView
from crm_tui.services.restrictions.extreme_case import ScopeView
from crm_tui.ui.changes import CaseChanged, FollowsChanges
from crm_tui.ui.delivery import DeliveryMixin, deliver_latest
from crm_tui.ui.dialogs.escalations import safe_working_text
from crm_tui.ui.extreme_case import SCOPE_BINDINGS, ScopeActions
from crm_tui.ui.guide import CONSIDERATION, EXTREME, LETTER, RESTRICTIONS, Guide
from crm_tui.ui.screens.builder_actions import BuilderActions, cannot_decide
from crm_tui.ui.text import literal, said
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


def view_line(c: ConsultationInfo) -> Text:
    """The Head of Service's view in the words every screen uses, and how it was given."""
    text = Text()
    text.append(consulted.in_words(c.view, c.consultee, c.recorded_by, c.consulted_on),
                style="bold red" if c.view is ConsultationView.DISAGREES else "bold")
    if c.method is None:
        text.append(" (how it was given is not recorded)")
    elif c.method is not ConsultationMethod.RECORDED_BY_HEAD:  # said already: "recorded by"
        text.append(f" ({c.method.label[:1].lower()}{c.method.label[1:]})")
    text.append("\n")
    return text


def consultation_text(view: BuilderView) -> Text:
    """The Head of Service's view that a decision would rest on, how it was given, and
    whether it is on the restrictions as they now stand."""
    consult = Text()
    consult.append("Head of Service consultation\n", style="bold")
    if view.summary.state is CaseState.RESTRICTED:
        # D varies the restrictions in force, lighter or shorter only, on no view (the
        # service asks for none): "Not yet consulted" beside "Ready (D)" said two things at
        # once (v15e F12).
        consult.append("A variation (lighter or shorter only) needs no Head of Service's "
                       "view: the CRM decides it.")
        return consult
    c = view.consultation
    if c is None:
        consult.append("Not yet consulted on the restrictions (c records the view).",
                       style="bold red")
        return consult
    consult.append_text(view_line(c))
    now = {d.id: d.version for d in view.drafts}
    if c.about != now:
        # Named: the restriction's own words, or only the evidence under it (t15d F1: "the
        # restrictions changed" read as an edit when a contact was sorted under its matter).
        what = "; ".join(c.changed) or "the restrictions changed"
        consult.append(f"Since this view, {what}: consult again.\n", style="bold red")
    consult.append(c.view_text)
    return consult


# Decisions that end the restrictions, as a sentence says them ("were removed on appeal").
_ENDING = {Action.LIFT_RESTRICTIONS: "were lifted early",
           Action.LIFT_WITHOUT_LETTER: "were lifted early, without a letter to the customer",
           Action.REMOVE_ON_APPEAL: "were removed on appeal"}
# Decisions that rest on the Head of Service's view (an appeal's rests on the appeal).
_CONSULTED = frozenset({Action.IMPOSE_RESTRICTIONS, Action.EXTEND_RESTRICTIONS,
                        Action.VARY_RESTRICTIONS})


def _day(d: date) -> str:
    return in_prose(d)


def ended_words(view: BuilderView) -> str:
    """How the restrictions ended, when the latest decision ended them ("the restrictions
    were removed on appeal on 4 Dec 2026"); "" otherwise."""
    d = view.decided
    if d is None or d.action not in _ENDING:
        return ""
    return f"the restrictions {_ENDING[d.action]} on {_day(d.decided_on)}"


def _in_force_words(view: BuilderView, n: int) -> str:
    """"are in force", or, decided to start on a later day, "start on 7 Dec 2026" (t15 F6:
    the one rule, domain.in_force); `n`: how many, for the verb."""
    starts = min((r.starts_on for r in view.in_force if r.starts_on is not None), default=None)
    if starts is not None and starts_later(starts, clock.today()):
        return f"start{'' if n != 1 else 's'} on {_day(starts)}"
    return f"{'are' if n != 1 else 'is'} in force"


def in_force_heading(view: BuilderView, today: date) -> str:
    """The heading over the builder's restrictions put in force: "In force now" only over
    ones that apply today (v15j P3: headed so over a single row "From 18 Jun 2027, not yet in
    force"; the one rule, domain.in_force)."""
    later = [r for r in view.in_force if starts_later(r.starts_on, today)]
    if not later or not view.in_force:
        return "In force now"
    if len(later) == len(view.in_force):
        return "Decided, not yet in force"
    return "In force now, and decided to start later"


def decided_text(view: BuilderView) -> Text:
    """Once a decision stands: what was decided, by whom and when, its dates, and the Head of
    Service's view it rested on."""
    text = Text()
    d = view.decided
    if d is None:
        text.append(f"The case {view.summary.state.in_words}: no decision on restrictions "
                    "was made.", style="bold")
        return text
    text.append("Decided\n", style="bold")
    ended = ended_words(view)
    if ended:
        text.append(f"{ended[:1].upper()}{ended[1:]}, by {d.decided_by}.\n")
        return text
    text.append(f"{d.action.label} — by {d.decided_by} on {_day(d.decided_on)}\n")
    # Under an appeal lodged once they had ended, none is in force: say "were".
    in_force = view.summary.state in IN_FORCE_STATES and (bool(view.in_force)
                                                          or not view.under_appeal)
    # The case's review date as it stands: a review since may have moved the decision's.
    review = view.summary.review_due if in_force and view.summary.review_due else d.review_due
    dates = [f"from {_day(d.starts_on)}" if d.starts_on else "",
             f"until {_day(d.ends_on)}" if d.ends_on else "",
             f"review due {_day(review)}" if review else ""]
    if any(dates):
        # Restrictions that ran to their end date are no longer in force; decided to start on
        # a later day, not yet (t15 F6: the one rule, domain.in_force).
        now = ("Decided, not yet in force: " if in_force and starts_later(d.starts_on,
                                                                         clock.today())
               else "In force " if in_force else "Were in force ")
        text.append(now + ", ".join(x for x in dates if x) + "\n")
    if d.view is not None:
        text.append_text(view_line(d.view))
        text.append(f"{d.view.view_text}\n")
    elif d.action in _CONSULTED:
        text.append("The decision rested on no Head of Service's view.\n", style="italic")
    if d.against_view_reason:
        text.append("Decided against that view, because: ", style="bold red")
        text.append(f"{d.against_view_reason}\n")
    if d.since:
        text.append("Since the decision\n", style="bold")
    for step in d.since:
        text.append(f"{step.what} — by {step.by} on {_day(step.on)}")
        if step.next_review is not None:
            text.append(f"; next review by {_day(step.next_review)}")
        text.append("\n")
    return text


def restriction_text(r: RestrictionView) -> Text:
    text = Text()
    text.append(f"{r.kind.label}\n", style="bold")
    text.append(f"{r.description}\n\n")
    text.append("The policy's behaviours it answers: ", style="bold")
    text.append(f"{answers(r)}\n", style="" if r.behaviours else "bold red")
    for label, value in (("Behaviour it answers", r.reason),
                         # The words the letter prints beside it (t15c F1: not shown, so no
                         # one saw here the sentence the letter refused).
                         ("Why, as the customer is told it (printed in the letter)",
                          r.customer_reason),
                         ("Why it is proportionate", r.proportionality),
                         ("Less restrictive options considered", r.less_restrictive_considered),
                         # Staff only (b15e F4): say so where it is read, as in its form.
                         ("How the customer can still reach the council (for staff, not "
                          "printed in the letter)", r.still_reachable),
                         ("Evidence notes", r.evidence_note)):
        if value:
            text.append(f"{label}: ", style="bold")
            text.append(f"{value}\n")
    text.append(f"Evidence linked: {r.evidence} item{'s' if r.evidence != 1 else ''}\n",
                style="" if r.evidence else "bold red")
    text.append(f"Version {r.version} (any change raises it: a view or a preview of an "
                "earlier version no longer counts)\n", style="dim")
    for clash in r.clashes:
        text.append("Equality clash: ", style="bold red" if r.unjustified else "bold yellow")
        text.append(f"the customer {clash.explanation}.\n")
    if r.equality_note:
        text.append("Justified: ", style="bold")
        text.append(f"{r.equality_note}\n")
    return text


# The keys that set out, consult on and decide restrictions: not offered once a decision
# stands and nothing is drafted (r sets what is in force out again first).
NO_DRAFT_TO_CONSULT_ON = ("No restriction is set out yet: the Head of Service is consulted on "
                          "the restrictions proposed (a sets one out). Nothing was recorded.")
DRAFTING = frozenset({"add", "edit", "discard", "rest_on_evidence", "justify", "consult",
                      "preview", "decide"})

# Who may use each key, by the rule its service applies, and the words said to anyone else.
_TEAM_DRAFTS = ("Only the Complaints Resolution Manager or a Complaints Resolution Team "
                "officer (or the Service Director, amending on appeal) sets out restrictions.")
ROLE_RULES: dict[str, tuple[Callable[[Actor], bool], str]] = {
    "add": (lambda a: can(a, Capability.DRAFT_RESTRICTIONS), _TEAM_DRAFTS),
    "edit": (lambda a: can(a, Capability.DRAFT_RESTRICTIONS), _TEAM_DRAFTS),
    "discard": (lambda a: can(a, Capability.DRAFT_RESTRICTIONS), _TEAM_DRAFTS),
    "justify": (lambda a: can(a, Capability.DRAFT_RESTRICTIONS), _TEAM_DRAFTS),
    "needs": (lambda a: can(a, Capability.DRAFT_RESTRICTIONS),
              "Only the Complaints Resolution Manager or a Complaints Resolution Team officer "
              "records the customer's contact needs."),
    "redraft": (lambda a: can(a, Capability.DRAFT_RESTRICTIONS), _TEAM_DRAFTS),
    "rest_on_evidence": (lambda a: can(a, Capability.WEIGH_EVIDENCE),
                         "Only the Complaints Resolution Manager or a Complaints Resolution "
                         "Team officer links evidence to a restriction."),
    "consult": (lambda a: lifecycle.may(a, Action.RECORD_CONSULTATION),
                "Only the Complaints Resolution Manager or the Head of Service records the "
                "Head of Service's view."),
    "preview": (lambda a: a.role in (Role.CRM, Role.OFFICER),
                "Only the Complaints Resolution Manager or a Complaints Resolution Team officer "
                "previews the decision letter: the decision is the CRM's."),
    "decide": (lambda a: lifecycle.may(a, Action.IMPOSE_RESTRICTIONS),
               "Only the Complaints Resolution Manager decides on restrictions."),
    "lift": (lambda a: lifecycle.may(a, Action.LIFT_RESTRICTIONS),
             "Only the Complaints Resolution Manager lifts restrictions."),
}


# The keys that do nothing while an appeal is decided, and why (t15 F4: c, offered under
# appeal, asked for a view no appeal rests on; L lifted nothing the appeal decides).
_APPEAL_DECIDED = ("The case is under appeal: the appeal is decided from the case file (A) by "
                   "the Service Director or the person they nominate")
_NOT_UNDER_APPEAL = {
    "consult": f"{_APPEAL_DECIDED}, on no Head of Service's view.",
    "preview": f"{_APPEAL_DECIDED}; its outcome letter is prepared once it is decided, and no "
               "decision letter is made here.",
    "lift": f"{_APPEAL_DECIDED}: removing the restrictions is one of its outcomes, and they "
            "are not lifted early meanwhile.",
}


def answers(r: RestrictionView) -> str:
    return ", ".join(c.label for c in r.behaviours) or "not said"


# The key that takes each step before the decision, as the case's next action names it
# (domain.next_action): the footer gives it room first.
STEP_KEYS: tuple[tuple[str, str, str, tuple[object, ...]], ...] = (
    ("Set out restrictions", "a", "add", ()),
    ("Link evidence", "k", "rest_on_evidence", ()),
    ("Consult Head of Service", "c", "consult", ()),
)



def not_decided_here(state: CaseState) -> str:
    """Why D decides nothing on a case at this stage ("" where it may): D said nothing at all
    on a case under appeal, while the panel said "Ready for the CRM's decision". The palette
    says it too, from the case's other screens."""
    if readiness.action_for(state) is not None:
        return ""
    if state is CaseState.UNDER_APPEAL:
        return ("The case is under appeal: the appeal is decided from the case file (A) "
                "by the Service Director or the person they nominate. Restrictions set out "
                "here are what an amendment on appeal would put in place.")
    return f"No decision on restrictions is made now: the case {state.in_words}."

class RestrictionBuilderScreen(FollowsChanges, BuilderActions, ScopeActions, DeliveryMixin,
                               Screen[None]):
    CSS_PATH = "restriction_builder.tcss"
    AUTO_FOCUS = "#drafts"
    GUIDE = Guide("Restriction builder",
                  "Set out the restrictions for a case (each with its reason, evidence and "
                  "dates), consult the Head of Service, preview the letter and decide.",
                  (RESTRICTIONS, CONSIDERATION, LETTER, EXTREME))
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="builder-back",
                tooltip="Back to the case file"),
        Binding("a", "add", "Add restriction", id="builder-add",
                tooltip="Set out a new restriction: one of the policy's six options, with its "
                        "reason, evidence and dates"),
        Binding("e", "edit", "Change", id="builder-edit",
                tooltip="Change the highlighted restriction before the decision"),
        # In the footer while a restriction rests on no evidence (that blocks the decision);
        # the same key, unlisted, links more at any time.
        Binding("k", "rest_on_evidence", "Link evidence", id="builder-evidence",
                tooltip="Choose which documents and contacts the highlighted restriction rests "
                        "on: the referral's, and the case's from the customer"),
        Binding("k", "rest_on_evidence('more')", show=False),
        Binding("v", "evidence", "Evidence", id="builder-viewer",
                show=False,
                tooltip="The case's evidence: documents, log sheet, analysis and matters"),
        Binding("j", "justify", "Justify clash", id="builder-justify",
                tooltip="Say why the highlighted restriction stands although it clashes with the "
                        "customer's needs"),
        Binding("n", "needs", "Contact needs", id="builder-needs",
                show=False,
                tooltip="The customer's contact needs, from their reasonable adjustments"),
        Binding("r", "redraft", "Redraft those in force", id="builder-redraft",
                tooltip="Set the restrictions in force out again, to propose them for longer at a "
                        "review"),
        Binding("c", "consult", "Consultation", id="builder-consult",
                tooltip="Record the Head of Service's consultation view on the restrictions as "
                        "they stand"),
        Binding("p", "preview", "Preview letter", id="builder-preview",
                tooltip="Read the decision letter exactly as it would be sent, with anything "
                        "missing listed"),
        Binding("D", "decide", "Decide", id="builder-decide",
                tooltip="Decide to restrict (the CRM): impose the restrictions set out here, or "
                        "at a review vary them (lighter or shorter) or extend them as proposed. "
                        "No action (x) and return for local resolution (b) are decided on the "
                        "referral in the Referral inbox"),
        Binding("L", "lift", "Lift early", id="builder-lift",
                tooltip="Lift the restrictions in force before their end date, giving the reasons"),
        # Shown when it can act (a draft highlighted), last: in the footer only where there is
        # room after the keys of the case's next steps (v15j Q3: in the help, never the footer).
        Binding("x", "discard", "Discard", id="builder-discard",
                tooltip="Discard the highlighted draft restriction (asks first)"),
        # A key this person cannot use (by role, or once the decision stands) is not offered
        # in the footer, and says why when pressed.
        *(Binding(key, f"why_not('{action}')", show=False) for key, action in (
            ("a", "add"), ("e", "edit"), ("x", "discard"), ("k", "rest_on_evidence"),
            ("j", "justify"), ("n", "needs"), ("r", "redraft"), ("c", "consult"),
            ("p", "preview"), ("D", "decide"), ("L", "lift"))),
        *SCOPE_BINDINGS,
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.view: BuilderView | None = None
        self.scope: ScopeView | None = None
        self.closed_matters: list[str] = []
        self.documents: list[tuple[int, str]] = []

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(literal(f"Restriction builder · {self.reference}"), id="builder-title")
        with Horizontal(id="builder-body"):
            with Vertical(id="builder-left"):
                yield Static("Restrictions set out (drafts)", classes="panel-title")
                # "#": the draft's place in this list, not its row's number (b15e F10: "15"
                # read as one of the policy's kinds, or as the count of drafts).
                yield FittedTable(Col("place", "#", priority=2, min_width=3),
                                  Col("what", "Restriction", priority=0, min_width=18),
                                  Col("evidence", "Evidence", priority=1, min_width=8),
                                  Col("equality", "Equality", priority=1, min_width=9),
                                  id="drafts", cursor_type="row", zebra_stripes=True,
                                  enter=None)
                with VerticalScroll(id="draft-scroll"):
                    yield Static(id="draft-detail")
                yield Static("In force now", id="in-force-title", classes="panel-title")
                yield FittedTable(Col("what", "Restriction", priority=0, min_width=24),
                                  Col("until", "Until", priority=1, min_width=11),
                                  id="in-force", cursor_type="row", enter=None)
            with VerticalScroll(id="builder-right"):
                yield Static(id="customer-panel")
                yield Static(id="consultation-panel")
                yield Static(id="readiness-panel")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    def concerns(self, change: CaseChanged) -> bool:
        # Evidence linked in the viewer, a view recorded, a decision made anywhere: all show.
        return change.reference == self.reference

    def show_again(self) -> None:
        self.load()

    def reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="builder")
    def load(self) -> None:
        actor = self.crm_app.actor
        with session():
            view = builder.builder_view(actor, self.reference)
            closed = [m.title for m in matters.list_matters(actor, self.reference)
                      if m.closed_on is not None]
            docs = [(d.id, f"{d.original_name} ({d.added_at})")
                    for d in documents.list_documents(actor, self.reference)]
            extreme = extreme_case.scope_view(actor, self.reference)
        deliver_latest(self, self.show, view, closed, docs, extreme)

    def show(self, view: BuilderView, closed: list[str],
             docs: list[tuple[int, str]] | None = None,
             extreme: ScopeView | None = None) -> None:
        self.view, self.closed_matters = view, closed
        self.documents, self.scope = docs or [], extreme
        s = view.summary
        # Wrapped at words, never cut (a long name, as the Head of Service, lost the state).
        self.query_one("#builder-title", Static).update(literal(
            f"Restriction builder · {s.reference} · {s.customer_name} ({s.customer_reference})"
            f" · {s.state.label}", wrap=True))
        drafts = self.query_one("#drafts", DataTable)
        row = drafts.cursor_row
        drafts.clear()
        for place, d in enumerate(view.drafts, start=1):
            equality = ("clash!" if d.unjustified else "justified" if d.clashes else "no clash")
            drafts.add_row(literal(str(place)), literal(d.description),
                           literal(f"{d.evidence:>8}", "" if d.evidence else "bold red"),
                           literal(equality, "bold red" if d.unjustified else ""),
                           key=str(d.id))
        if drafts.row_count:
            drafts.move_cursor(row=min(row, drafts.row_count - 1))
        in_force = self.query_one("#in-force", DataTable)
        in_force.clear()
        today = clock.today()
        self.query_one("#in-force-title", Static).update(in_force_heading(view, today))
        for r in view.in_force:
            later = (f"From {in_prose(r.starts_on)}, not yet in force: "
                     if r.starts_on is not None and starts_later(r.starts_on, today) else "")
            in_force.add_row(literal(f"{later}{r.description} (answers: {answers(r)})"),
                             literal(f"{r.ends_on:%d %b %Y}" if r.ends_on else ""))
        if not view.in_force:
            in_force.add_row(literal("None: no restriction is in force on this case", "italic"),
                             "")
        self.show_panels(view)
        self.draft_chosen()
        self.refresh_bindings()

    def show_panels(self, view: BuilderView) -> None:
        customer = Text()
        customer.append("The customer (equality check)\n", style="bold")
        customer.append("Personal circumstances: ", style="bold")
        customer.append(f"{view.personal_circumstances or 'none recorded'}\n")
        customer.append("Reasonable adjustments: ", style="bold")
        customer.append(f"{view.reasonable_adjustments or 'none recorded'}\n")
        customer.append("Contact needs (n to change): ", style="bold")
        customer.append(", ".join(n.label for n in view.needs) or "none recorded")
        self.query_one("#customer-panel", Static).update(customer)
        self.query_one("#consultation-panel", Static).update(
            decided_text(view) if view.shows_decision else consultation_text(view))
        ready = Text()
        extreme = self.scope
        if extreme is not None and not view.settled:
            ready.append("Warning before restrictions: ", style="bold")
            ready.append(f"{extreme.warning_line}\n")
            if extreme.warning_problems:
                ready.append("w records a warning given; U (the CRM) restricts without prior "
                             "warning, on an escalation record (E)\n", style="italic")
            if extreme.escalations:
                ready.append("Escalations (E): ", style="bold")
                ready.append("; ".join(e.label for e in extreme.escalations) + "\n")
            if extreme.safe_working:
                ready.append_text(safe_working_text(extreme.safe_working))
                ready.append("\n")
            ready.append("\n")
        if view.in_force:
            ready.append(f"Breaches of the restrictions in force: {view.breaches} "
                         "(the evidence viewer lists them)\n\n",
                         style="bold yellow" if view.breaches else "")
        if view.invitation is not None:
            i = view.invitation
            ready.append("Invited to comment ", style="bold")
            ready.append(f"on {in_prose(i.proposed_on)}, by {in_prose(i.reply_by)}: "
                         f"{'; '.join(i.restrictions)}, until {in_prose(i.ends_on)}. The "
                         "decision may be lighter than this, never stricter or longer.\n\n")
        if view.settled:
            ready.append_text(self._settled_keys(view))
        elif view.problems:
            ready.append("Before a decision can be made\n", style="bold red")
            for problem in view.problems:  # each a sentence, as a list item reads
                ready.append(f"• {problem[:1].upper()}{problem[1:]}\n")
            if any(d.evidence == 0 for d in view.drafts) and not self.key_refusal(
                    "rest_on_evidence"):
                ready.append("k links evidence (the referral's, the case's contacts and "
                             "documents) to the highlighted restriction, choosing which.\n",
                             style="italic")
        elif not self._decided_here(view):
            ready.append(self._not_decided_here(view), style="italic")
            if view.under_appeal:
                ready.append("\n\n")
                ready.append_text(self._settled_keys(view))
        elif view.same_as_in_force:
            ready.append("The drafts are the restrictions in force, unchanged: a variation "
                         "can only bring their end or review date sooner (D). Otherwise change "
                         "one (e), or discard them (x).", style="bold")
        else:
            ready.append("Ready for the CRM's decision (D)", style="bold green")
        self.query_one("#readiness-panel", Static).update(ready)

    @property
    def highlighted(self) -> RestrictionView | None:
        table = self.query_one("#drafts", DataTable)
        if self.view is None or not table.row_count:
            return None
        return self.view.drafts[table.cursor_row]

    @on(DataTable.RowHighlighted, "#drafts")
    def draft_chosen(self) -> None:
        draft = self.highlighted
        self.query_one("#draft-detail", Static).update(
            restriction_text(draft) if draft else literal(self._no_drafts(), "italic"))
        self.refresh_bindings()

    def _settled_keys(self, view: BuilderView) -> Text:
        """What can still be done once the decision stands: only the keys this person has."""
        text = Text()
        steps = []
        if view.under_appeal:
            if self.check_action("add", ()):
                steps.append("a sets out what an amendment on appeal would put in place "
                             "(lighter or shorter only)")
            if self.check_action("redraft", ()):
                steps.append("r sets the restrictions in force out again as drafts, to "
                             "amend them on appeal (lighter or shorter only)")
        elif self.check_action("redraft", ()):
            steps.append("r sets the restrictions in force out again as drafts, to vary them "
                         "(lighter or shorter only) or to propose them for longer at a review")
        if self.check_action("lift", ()):
            steps.append("L lifts them early, giving the reasons")
        s = view.summary
        if s.next_action:
            due = f" (by {in_prose(s.next_action_due)})" \
                if s.next_action_due else ""
            where = " in the case file's Letters (W)" if s.next_action.startswith("Sign") else ""
            text.append("Next action: ", style="bold")
            text.append(f"{s.next_action}{due}{where}\n\n")
        if not steps:
            return text
        text.append("What can be done here\n", style="bold")
        for line in steps:
            text.append(f"• {line}\n")
        return text

    def _no_drafts(self) -> str:
        view = self.view
        if view is not None and view.in_force:
            # After a decision the drafts have gone into force: say so, not "nothing yet".
            n = len(view.in_force)
            again = (" r sets them out again to vary them or propose them for longer."
                     if self.check_action("redraft", ()) else "")
            if view.under_appeal:
                again = " while the appeal is decided." + (
                    " a sets out what an amendment on appeal would put in place"
                    + ("; r sets those in force out again to amend them."
                       if self.check_action("redraft", ()) else ".")
                    if self.check_action("add", ()) else "")
            else:
                again = f".{again}"
            return (f"None drafted: the {n} restriction{'s' if n != 1 else ''} decided "
                    f"{_in_force_words(view, n)} (below){again}")
        if view is not None and view.settled:
            ended = ended_words(view)
            if ended:
                return f"None drafted: {ended}, and none is in force."
            return (f"None drafted: the case {view.summary.state.in_words}, and no "
                    "restriction is in force.")
        if self.key_refusal("add"):
            return "No restriction is set out yet."
        return "No restriction is set out yet: a adds one."

    def scope_state(self) -> CaseState | None:
        return self.view.summary.state if self.view else None

    def scope_changed(self, said: str) -> None:
        self.notify(said, title=self.reference, markup=False)
        self.load()

    def key_refusal(self, action: str) -> str:
        """Why this person cannot use the builder's `action` now ("" if they can): by role,
        by the rule the service applies; and, once a decision stands, no drafting key."""
        view = self.view
        if action in DRAFTING and view is not None and view.settled:
            if view.in_force:
                again = (" r sets them out again as drafts to change them."
                         if self.check_action("redraft", ()) else "")
                return (f"The decision stands: the restrictions "
                        f"{_in_force_words(view, 2)}.{again}")
            ended = ended_words(view)
            if ended:
                return f"No restriction is being decided: {ended}."
            return (f"The case {view.summary.state.in_words}: no restriction is being "
                    "decided on it.")
        if view is not None and view.under_appeal and action in _NOT_UNDER_APPEAL:
            return _NOT_UNDER_APPEAL[action]
        allowed = ROLE_RULES.get(action)
        if allowed is not None and not allowed[0](self.crm_app.actor):
            return f"{allowed[1]} You are signed in as {self.crm_app.actor.role.label}."
        if action == "decide" and view is not None and not self._decided_here(view):
            return self._not_decided_here(view)
        if action == "decide" and view is not None and view.problems:
            # What D itself refuses with (readiness.blockers, read with the view): not offered
            # in the footer while anything stands in the way (round 12).
            return cannot_decide(view.problems, view)
        if action == "consult" and view is not None and not view.drafts:
            # Nothing to give a view on: not offered in the footer, and said at once.
            return NO_DRAFT_TO_CONSULT_ON
        if action == "justify" and view is not None:
            return self._nothing_to_justify()
        if action == "redraft" and view is not None:
            return self._why_not_redraft(view)
        return ""

    def _why_not_redraft(self, view: BuilderView) -> str:
        """Why r sets nothing out again, where it is not offered (v15e F9: pressed as the
        Service Director it did nothing and said nothing)."""
        role = self.crm_app.actor.role
        if role not in (Role.CRM, Role.OFFICER):
            amend = (" On an appeal, a sets out what an amendment would put in place."
                     if role is Role.SERVICE_DIRECTOR else "")
            return ("Only the Complaints Resolution Manager or a Complaints Resolution Team "
                    "officer sets the restrictions in force out again, to vary them or propose "
                    f"them for longer at a review.{amend} You are signed in as {role.label}.")
        if not view.in_force:
            return "No restriction is in force: r sets those in force out again as drafts."
        if view.drafts:
            return ("Restrictions are set out as drafts already (above): e changes one, x "
                    "discards one; r sets those in force out again once none is drafted.")
        return ""

    def _nothing_to_justify(self) -> str:
        """Why j has nothing to do on the highlighted draft (it said nothing at all)."""
        draft = self.highlighted
        if draft is None:
            return ("No restriction is set out: j says why a draft restriction stands "
                    "although it clashes with the customer's contact needs.")
        if draft.clashes:
            return ""
        return (f"No clash: {self._draft_name(draft)} does not clash with "
                "the customer's contact needs (n), so there is nothing to justify. j says why "
                "a restriction stands although it clashes with them.")

    @staticmethod
    def _decided_here(view: BuilderView) -> bool:
        return readiness.action_for(view.summary.state) is not None

    @staticmethod
    def _not_decided_here(view: BuilderView) -> str:
        return not_decided_here(view.summary.state)

    def action_why_not(self, action: str) -> None:
        why = self.key_refusal(action)
        if why:
            self.notify(said(why), title=self.reference, severity="warning",
                        markup=False, timeout=10)

    def footer_leads(self) -> tuple[str, ...]:
        """The footer leads with the key of the case's next action when this person may
        press it: D when deciding is next and nothing stands in the way (the list D itself
        refuses with), and a, k or c for the steps before it. At 80 columns the footer had
        no room left for them (v15e F8: after j, `c Consultation` was dropped while the panel
        named the consultation as next)."""
        view = self.view
        if view is None:
            return ()
        next_action = view.summary.next_action or ""
        if next_action.startswith("Decide"):
            if not view.problems and self.check_action("decide", ()):
                return ("D",)
            return ()
        for step, key, action, parameters in STEP_KEYS:
            if next_action.startswith(step) and self.check_action(action, parameters):
                return (key,)
        return ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        role = self.crm_app.actor.role
        view = self.view
        if action == "why_not":
            return bool(parameters) and bool(self.key_refusal(str(parameters[0])))
        if self.key_refusal(action):
            return False
        allowed = self.scope_allowed(action)
        if allowed is not None:
            return allowed
        if action == "rest_on_evidence":
            bare = view is not None and any(d.evidence == 0 for d in view.drafts)
            return self.highlighted is not None and (bare != bool(parameters))
        if action in ("edit", "discard"):
            return self.highlighted is not None
        if action == "justify":
            draft = self.highlighted
            return draft is not None and bool(draft.clashes)
        if action == "consult":
            return role in (Role.CRM, Role.HEAD_OF_SERVICE)
        if action == "decide":
            return (role is Role.CRM and view is not None
                    and readiness.action_for(view.summary.state) is not None)
        if action == "redraft":
            return (role in (Role.CRM, Role.OFFICER) and view is not None
                    and bool(view.in_force) and not view.drafts)
        if action == "lift":
            return role is Role.CRM and view is not None and bool(view.in_force)
        return True
