"""The case file: the customer, what is in force, and the timeline of everything that
happened; Enter on an entry opens it in full."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from crm_tui.domain.counting import counted
from crm_tui.domain.next_action import POST_THE, SIGN_THE
from crm_tui.domain.permissions import Capability, can
from crm_tui.domain.scope import ReadOnlyFile, check_change
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.intake import case_file, triage_version
from crm_tui.services.intake.case_file import CaseFile, TimelineEntry
from crm_tui.services.intake.next_shown import BEFORE_DECIDING, DECIDE
from crm_tui.services.restrictions import extreme_case
from crm_tui.services.restrictions.extreme_case import ScopeView
from crm_tui.services.reviews import appeals
from crm_tui.services.reviews.appeals import AppealView
from crm_tui.ui.appeals import APPEAL_BINDINGS, AppealActions, amend_refusal
from crm_tui.ui.changes import CaseChanged, FollowsChanges
from crm_tui.ui.delivery import DeliveryMixin, deliver, deliver_latest
from crm_tui.ui.dialogs.customer_details import (
    customer_contact_dialog,
    customer_details_dialog,
    customer_details_line,
)
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.dialogs.escalations import safe_working_text
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.extreme_case import SCOPE_BINDINGS, ScopeActions
from crm_tui.ui.guide import CONSIDERATION, EXTREME, GENUINE_PROBLEMS, Guide
from crm_tui.ui.refused_keys import key_answer
from crm_tui.ui.text import literal
from crm_tui.ui.triage import TriageMixin
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.keys_footer import KeysFooter
from crm_tui.ui.widgets.more_panel import MorePanel

if TYPE_CHECKING:
    from crm_tui.services.retention.subject_access import SubjectAccessExport
    from crm_tui.ui.app import CrmApp
    from crm_tui.ui.screens.evidence import EvidenceData


# The timeline keeps its heading and six rows; the panels, then the warning and escalations
# above it, give up lines for them (each scrolling within what it has, saying there is more).
TIMELINE_LINES = 7
PANEL_LINES_MIN, PANEL_LINES_MAX = 5, 20
SCOPE_LINES_MIN = 3
FIT_ROUNDS = 4  # fits after a load or a resize, until the measures hold
OPEN_WAIT = 0.5  # seconds the first frame waits for the case file's read (on_mount)
# What the case file's read returns: the file, its scope, its appeal, the version read at.
Read = tuple[CaseFile, "ScopeView | None", "AppealView | None", "int | None"]


def _needs(box: Static) -> int:
    """The lines a text needs at its panel's full width: measured from the text, not from
    the layout, whose scroll bar (shown once a panel is cut) narrows it and would keep it cut
    (one run whole, the next cut: found by a clean run)."""
    parent = box.parent
    if not isinstance(parent, Widget) or parent.size.width <= 0:
        return box.outer_size.height
    width = max(1, parent.size.width - parent.styles.gutter.width - box.styles.gutter.width)
    return box.get_content_height(parent.size, parent.size, width) + box.styles.gutter.height


# The next actions (domain.next_action) taken in the restriction builder (R).
WORKED_IN_THE_BUILDER = ("Set out restrictions", "Link evidence", "Consult Head of Service",
                         "Decide")


class CaseBody(Vertical):
    """The case file between its header and its keys: the screen's panels are fitted again
    whenever its height changes, as when a message's strip takes lines at the foot (ui/app.tcss)
    or gives them back."""

    def on_resize(self) -> None:
        screen = self.screen
        if isinstance(screen, CaseFileScreen):
            screen.on_resize()


class CaseFileScreen(FollowsChanges, DeliveryMixin, TriageMixin, AppealActions, ScopeActions):
    CSS_PATH = "case_file.tcss"
    AUTO_FOCUS = "#timeline"
    GUIDE = Guide("Case file",
                  "One customer's case: their details and reasonable adjustments, the "
                  "restrictions in force, and the timeline of everything that happened. The "
                  "case's steps start here.",
                  (GENUINE_PROBLEMS, CONSIDERATION, EXTREME))
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="case-back",
                tooltip="Back to where you opened the case from"),
        Binding("enter", "open_entry", "Open entry", show=False,
                tooltip="Read the highlighted timeline entry in full"),
        # The footer shows the way forward first: the evidence and the restriction builder
        # (where a referral under consideration is taken to its decision), then the steps
        # open to the case in its state (triage, appeal), then the case's other screens;
        # what does not fit at 100 columns is in help.
        Binding("v", "evidence", "Evidence", id="case-evidence",
                tooltip="The case's evidence: documents, log sheet of contacts, analysis and "
                        "matters"),
        Binding("R", "restrictions", "Restrictions", id="case-restrictions",
                tooltip="The restriction builder: set out restrictions, consult the Head of "
                        "Service, preview the letter and decide"),
        *TriageMixin.TRIAGE_BINDINGS,
        *APPEAL_BINDINGS,
        Binding("W", "letters", "Letters", id="case-letters",
                tooltip="The case's letters: read, prepare, sign and issue them"),
        Binding("D", "customer_details", "How we write", id="case-customer-details",
                tooltip="How we write to this customer: form of address, language and print "
                        "size of letters", show=False),
        Binding("H", "customer_contact", "Address", id="case-customer-contact",
                tooltip="The customer's postal address, postcode, email and telephone: "
                        "letters are posted to the address", show=False),
        *SCOPE_BINDINGS,
        Binding("S", "subject_access", "Subject access", id="case-subject-access",
                show=False, tooltip="Answer a subject access request: everything held about "
                                    "the customer as a PDF and a JSON copy, with the names to "
                                    "review for redaction"),
        # The key for a role that may not: says who does it (out of the footer and help).
        Binding("S", "why_no_subject_access", show=False),
        Binding("f", "toggle_contacts", "Contacts on/off", id="case-contacts",
                show=False, tooltip="Show or hide the logged contacts in the timeline"),
        Binding("f5", "reload", "Refresh", show=False,
                tooltip="Read the case file again from the database"),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.entries: list[TimelineEntry] = []
        self.all_entries: list[TimelineEntry] = []
        self.show_contacts = True
        self.data: CaseFile | None = None
        self.read_at: int | None = None  # the version `c` carries (triage_version)
        self._fitted: tuple[int, ...] = ()
        self._fits_left = FIT_ROUNDS

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with CaseBody(id="case"):
            yield Static(id="case-title")
            # Each panel scrolls within its height (Tab reaches it, the arrows scroll it): a
            # long restriction or long notes were cut off at 100x30 with no way to read them.
            with Horizontal(id="panels"):
                with MorePanel(id="customer-box", classes="panel"):
                    yield Static(id="customer")
                with MorePanel(id="in-force-box", classes="panel"):
                    yield Static(id="in-force")
            # The warning, escalations and safe-working lines scroll within what the timeline
            # leaves them (a case with all three took every line of it at 80x24).
            with MorePanel(id="scope-box"):
                yield Static(id="scope")
            yield FittedTable(Col("at", "When", priority=0, min_width=17),
                              Col("kind", "What", priority=1, min_width=16, max_width=20),
                              Col("title", "Entry", priority=0, min_width=20),
                              # The audit entry that recorded the step, numbered as the
                              # audit trail numbers it (left out first in a narrow terminal:
                              # Enter's detail names it too).
                              Col("seq", "#", priority=2, min_width=5, max_width=7),
                              id="timeline", cursor_type="row", zebra_stripes=True,
                              enter="Open entry")
            yield Static(id="case-status")
        yield KeysFooter()

    async def on_mount(self) -> None:
        # Read before the screen's first layout, and shown at once, so that its first frame
        # is the whole case file (issue 17: an empty frame laid out and painted, then the case
        # file laid out again: five layouts before it was painted). The frame before stays on
        # screen meanwhile. A read that takes longer than OPEN_WAIT is shown when it comes.
        worker = self.load(at_open=True)
        try:
            await asyncio.wait_for(asyncio.shield(worker.wait()), OPEN_WAIT)
        except TimeoutError:
            self.run_worker(self._show_when_read(worker), group="case-file-open")
            return
        except (WorkerCancelled, WorkerFailed):
            return  # a newer read shows the file; a failure is the app's (worker_failed)
        self._show_read(worker)

    async def _show_when_read(self, worker: Worker[Read | None]) -> None:
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await worker.wait()
            self._show_read(worker)

    def _show_read(self, worker: Worker[Read | None]) -> None:
        if worker.is_cancelled or worker.result is None:
            return  # overtaken by a newer read, whose result stands
        self.show(*worker.result)

    def action_reload(self) -> None:
        self.load()

    def concerns(self, change: CaseChanged) -> bool:
        return change.reference == self.reference

    def show_again(self) -> None:
        self.load()

    def after_triage(self) -> None:
        self.load()

    def current_reference(self) -> str | None:
        return self.reference

    def current_state(self) -> CaseState | None:
        return self.data.summary.state if self.data else None

    def shown_version(self) -> int | None:
        return self.read_at

    def footer_leads(self) -> tuple[str, ...]:
        """The key of the step the title names as next leads the footer: W when a letter is
        to be signed or posted, R while the restrictions are worked towards a decision. At
        80 columns the footer showed `A Appeal` but not `W Letters` under "Sign the decision
        letter by …" (v15e F8)."""
        if self.data is None:
            return ()
        next_action = self.data.summary.next_action or ""
        if next_action.startswith((SIGN_THE, POST_THE)):
            return ("W",)
        if next_action in WORKED_IN_THE_BUILDER or next_action.startswith(BEFORE_DECIDING):
            return ("R",)
        return ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        answer = key_answer(action, ("appeal", "why_no_appeal", self.appeal_allowed),
                            ("subject_access", "why_no_subject_access",
                             lambda: can(self.crm_app.actor, Capability.SUBJECT_ACCESS)))
        if answer is not None:
            return answer
        if action == "nominations":
            return self.nominations_shown()
        allowed = self.scope_allowed(action)
        if allowed is not None:
            return allowed
        return self.triage_allowed(action, parameters)

    def scope_state(self) -> CaseState | None:
        return self.current_state()

    def scope_changed(self, said: str) -> None:
        self.reload_case(True, said)

    def reload_case(self, result: object, said: str = "Recorded") -> None:
        if result is not None:
            self.notify(said, title=self.reference, markup=False)
            self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-file")
    def load(self, at_open: bool = False) -> Read | None:
        """Read the case file and show it; `at_open`: returned instead, for on_mount."""
        # One read: the people and the service areas its parts name read once for all four.
        with session(), case_file.read_once():
            version = triage_version.read_before()
            data = case_file.case_file(self.crm_app.actor, self.reference)
            extreme = extreme_case.scope_view(self.crm_app.actor, self.reference)
            appeal = appeals.view(self.crm_app.actor, self.reference)
        if at_open:
            return data, extreme, appeal, version
        deliver_latest(self, self.show, data, extreme, appeal, version)
        return None

    def show(self, data: CaseFile, extreme: ScopeView | None = None,
             appeal: AppealView | None = None, version: int | None = None) -> None:
        if version is not None:
            self.read_at = version  # what `c` carries (triage_version.read_before)
        if appeal is not None:  # the keys on offer follow it (refresh_bindings below)
            self.appeal_view = appeal
        s = data.summary
        assigned = f" · assigned to {s.assigned_to}" if s.assigned_to else ""
        due = f" · {s.next_action}" + (f" by {in_prose(s.next_action_due)}"
                                        if s.next_action_due else "")
        # Where it is done: D here is How we write; the decision is the builder's D (G3).
        if s.next_action == DECIDE:
            due += " in the restriction builder (R, then D)"
        elif s.next_action.startswith(BEFORE_DECIDING):
            due += " (in the restriction builder: R)"
        self.query_one("#case-title", Static).update(literal(
            f"{s.reference} · {s.customer_name} ({s.customer_reference}) · {s.service_area} · "
            f"{s.state.label}{assigned}{due}", wrap=True))
        self.query_one("#customer", Static).update(self._customer_text(data))
        in_force = self.query_one("#in-force", Static)
        self.query_one("#in-force-box").set_class(bool(data.in_force), "-restricted")
        if data.in_force:
            # The dates first: the panel has a height limit, and a long list of restrictions
            # must not push the review and appeal dates out of sight (found when tried).
            # Decided to start on a later day: not in force yet (t15 F6: "IN FORCE" the day
            # before, read by staff who would apply it).
            lines = [f"RESTRICTIONS FROM {in_prose(data.starts_on)} (decided, not yet "
                     "in force)" if data.starts_on else "RESTRICTIONS IN FORCE"]
            if s.review_due:
                lines.append(f"Review due {in_prose(s.review_due)}")
            if data.appeal_deadline:
                lines.append(data.appeal_deadline)
            if data.against_view:
                lines.append(data.against_view.upper().split(".")[0] + ".")
            for r in data.in_force:
                until = f" until {in_prose(r.ends_on)}" if r.ends_on else ""
                lines.append(f"• {r.description}{until}")
            in_force.update(literal("\n".join(lines), wrap=True))
        else:
            in_force.update(literal("No restrictions in force."
                                    + (f"\n{data.appeal_deadline}" if data.appeal_deadline
                                       else ""), wrap=True))
        if extreme is not None:
            self.query_one("#scope", Static).update(self._scope_text(extreme))
        self.data = data
        self.fill_timeline()
        self.refresh_bindings()
        self._fits_left = FIT_ROUNDS
        self.call_after_refresh(self.fit_panels)

    def on_resize(self) -> None:
        self._fits_left = FIT_ROUNDS
        self.call_after_refresh(self.fit_panels)

    def fit_panels(self) -> None:
        try:
            self._fit_panels()
        except NoMatches:
            # Being taken apart (closed by a key) when a fit asked for by a resize came due:
            # nothing to fit (found when tried: `i` just after a resize ended the app).
            return

    def _fit_panels(self) -> None:
        """The panels and the warning lines take what the timeline can spare: at 30 lines
        every demo case's details show whole, and the timeline keeps six rows at 24.
        Measured from the laid-out screen, which a new text or size changes a refresh later:
        fitted again until the measures hold (a clean run caught a fit made from a layout
        not yet redone, the panels cut to their least on one run and whole on the next)."""
        # The title and the status line measured from their text too: the title wraps to a
        # second line at 80 columns once its words arrive, a layout after the last fit, and
        # the timeline lost a row one run in two (a clean run of the branch caught it).
        # Measured inside the body, under the header and above the keys and any message's
        # strip (b15e F7: measured from the screen's height, the timeline kept its rows while
        # a toast showed and pushed the line under it out of sight).
        height = self.query_one(CaseBody).size.height
        fixed = sum(_needs(self.query_one(part, Static))
                    for part in ("#case-title", "#case-status"))
        room = height - fixed - TIMELINE_LINES
        scope_needs = _needs(self.query_one("#scope", Static))
        panels_need = min(PANEL_LINES_MAX, 2 + max(
            _needs(box) for box in self.query(".panel Static").results(Static)))
        # The panels first give up lines, down to three of text; then the warning lines.
        panels = max(PANEL_LINES_MIN, min(panels_need, room - scope_needs))
        scope = max(SCOPE_LINES_MIN, room - panels)
        for box in self.query(".panel"):
            box.styles.max_height = panels
        scope_box = self.query_one("#scope-box", MorePanel)
        scope_box.styles.max_height = scope
        scope_box.can_focus = scope_needs > scope  # Tab reaches it only to scroll it
        fitted = (height, fixed, scope_needs, panels_need)
        if fitted != self._fitted and self._fits_left > 0:
            self._fits_left -= 1
            self.call_after_refresh(self.fit_panels)
        self._fitted = fitted

    def fill_timeline(self) -> None:
        data = self.data
        if data is None:
            return
        table = self.query_one("#timeline", FittedTable)
        # Read again after a change, the cursor stays on the entry it was on (new entries
        # arrive above it); at the top, it stays at the top, on the newest.
        was = (self.entries[table.cursor_row] if table.row_count
               and 0 < table.cursor_row < len(self.entries) else None)
        self.entries = [e for e in data.timeline if self.show_contacts or e.kind != "contact"]
        # In one go: the columns fitted to the rows first, the table built once (issue 17).
        rows = (((literal(f"{entry.at:%d %b %Y %H:%M}"), literal(entry.kind),
                  literal(entry.title.replace("\n", " ")),
                  literal(f"#{entry.seq}" if entry.seq else "")), str(index))
                for index, entry in enumerate(self.entries))
        # Shown before the screen's first layout at an open: built once it is laid out.
        table.set_rows(rows, wait_for_width=True)
        if was is not None and was in self.entries:
            table.move_cursor(row=self.entries.index(was))
        more = data.contacts_total - data.contacts_shown
        note = f" ({more} older not listed)" if more > 0 else ""
        shown = "shown" if self.show_contacts else "hidden: f shows them"
        self.query_one("#case-status", Static).update(
            f"{counted(len(self.entries), 'entry')} · {counted(data.contacts_total, 'contact')} "
            f"logged{note}, "
            f"{shown} · Enter opens an entry · Esc goes back")

    def action_evidence(self) -> None:
        self.open_evidence()

    def action_letters(self) -> None:
        from crm_tui.ui.screens.case_letters import CaseLettersScreen

        self.app.push_screen(CaseLettersScreen(self.reference))

    def action_restrictions(self) -> None:
        from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen

        self.app.push_screen(RestrictionBuilderScreen(self.reference))

    @work(thread=True, exclusive=True, exit_on_error=False, group="open-evidence")
    def open_evidence(self) -> None:
        from crm_tui.ui.screens.evidence import read_evidence

        # Read first, then push: the screen opens with its figures and first page at once,
        # and the reading does not compete with the screen's first paint.
        with session():
            data = read_evidence(self.crm_app.actor, self.reference, None)
        deliver(self, self._push_evidence, data)

    def _push_evidence(self, data: EvidenceData) -> None:
        from crm_tui.ui.screens.evidence import EvidenceScreen

        self.app.push_screen(EvidenceScreen(self.reference, data))

    def _read_only(self, action: str) -> bool:
        """Whether the file is archived (or destroyed): then the key says so and opens no
        form, by the rule the service keeps (issue 16: H opened the form on an archived
        file and refused only at ctrl+s)."""
        try:
            check_change(self.reference, self.current_state(), action)
        except ReadOnlyFile as exc:
            self.notify(str(exc), title="Not a step for this case now", severity="warning",
                        markup=False, timeout=10)
            return True
        return False

    def action_customer_details(self) -> None:
        c = self.data.customer if self.data is not None else None
        if c is None or self._read_only("set_customer_details"):
            return
        self.app.push_screen(customer_details_dialog(self.crm_app.actor, self.reference, c),
                             lambda done: self.reload_case(done, "How we write to the "
                                                                 "customer recorded"))

    def action_customer_contact(self) -> None:
        c = self.data.customer if self.data is not None else None
        if c is None or self._read_only("set_customer_contact"):
            return
        self.app.push_screen(customer_contact_dialog(self.crm_app.actor, self.reference, c),
                             lambda done: self.reload_case(done, "The customer's address and "
                                                                 "contact details recorded"
                                                           + _superseded(done)))

    def action_subject_access(self) -> None:
        from crm_tui.services.retention.subject_access import export_subject_access

        actor, config, reference = self.crm_app.actor, self.crm_app.config, self.reference
        who = (f"{self.data.summary.customer_name} ({self.data.summary.customer_reference})"
               if self.data is not None else f"the customer of {reference}")
        self.app.push_screen(TextPromptDialog(
            f"Subject access request · {who}",
            f"Everything held about {who}, on every case, is exported to "
            f"{config.exports_path()}: a PDF for them and a complete JSON copy, and, "
            "separately, a list of the staff and other people named in it, to review for "
            "redaction before release. The "
            "request's reference, or why it is answered (recorded on the audit trail):",
            lambda text, _flag: export_subject_access(actor, reference, text,
                                                      config.exports_path(),
                                                      config.council.name),
            confirm="Export", needed="Give the request's reference, or why it is answered"),
            self._subject_access_done)

    def action_why_no_subject_access(self) -> None:
        from crm_tui.services.retention.subject_access import refusal

        self.notify(refusal(self.crm_app.actor), title="Subject access request",
                    severity="warning", markup=False, timeout=12)

    def key_refusal(self, action: str) -> str:
        """Why a key that cannot work now cannot, in the words the key itself says: the
        palette finds the action all the same, saying why (t15 #5: "appeal" found no
        *Appeal* on a case under consideration or under appeal). "" where none is known."""
        from crm_tui.services.retention.subject_access import refusal

        if action == "appeal":
            return self.appeal_key_refusal()
        if action == "subject_access" and not can(self.crm_app.actor,
                                                  Capability.SUBJECT_ACCESS):
            return refusal(self.crm_app.actor)
        return ""

    def key_note(self, action: str) -> str:
        """What part of a key that works cannot work yet ("" if none): the palette says it
        beside the key (A on appeal: "upheld in part" refused as choosing it says, v22 C1)."""
        if action == "appeal" and self.appeal_view is not None:
            return amend_refusal(self.appeal_view)
        return ""

    def _subject_access_done(self, done: SubjectAccessExport | None) -> None:
        if done is None:
            return
        copies = f", with {counted(done.documents, 'document')} in documents/" \
            if done.documents else ""
        self.notify(f"Written to {done.folder}: {done.pdf.name} and {done.json.name} for the "
                    f"person{copies}; {done.review.name} to review first (not for release).",
                    title="Subject access request", markup=False, timeout=15)

    def action_toggle_contacts(self) -> None:
        self.show_contacts = not self.show_contacts
        self.fill_timeline()

    def _customer_text(self, data: CaseFile) -> Text:
        c = data.customer
        if c is None:
            return literal("No customer details")
        # The address on one line, and the contact points on another: the panels fit 100x30.
        lines = [c.name, ", ".join(part for part in (*c.address, c.postcode) if part)
                 or "No postal address: letters cannot be posted (H records it)"]
        lines.append(" · ".join(point for point in (
            f"Email: {c.email}" if c.email else "",
            f"Telephone: {c.telephone}" if c.telephone else "") if point))
        lines.append(f"Personal circumstances: {c.personal_circumstances or 'none recorded'}")
        lines.append(f"Reasonable adjustments: {c.reasonable_adjustments or 'none recorded'}")
        if c.contact_needs:
            lines.append(f"Contact needs: {c.contact_needs}")
        # How letters are written to them (D changes it).
        lines.append(f"Letters: {customer_details_line(c)}")
        if c.genuine_ongoing_problems:
            lines.append("Has genuine ongoing or multiple problems")
        return literal("\n".join(line for line in lines if line), wrap=True)

    def _scope_text(self, view: ScopeView) -> Text:
        """The warning before restrictions, escalations and the safe-working pointer."""
        text = Text()
        text.append("Warning before restrictions: ", style="bold")
        text.append(view.warning_line, style="" if view.warnings or view.without_warning
                    else "yellow")
        if view.escalations:
            text.append("\nEscalations (E): ", style="bold")
            text.append("; ".join(e.label for e in view.escalations))
        if view.safe_working:
            text.append("\n")
            text.append_text(safe_working_text(view.safe_working))
        return text

    @on(DataTable.RowSelected, "#timeline")
    def action_open_entry(self) -> None:
        table = self.query_one("#timeline", DataTable)
        if table.row_count:
            entry = self.entries[table.cursor_row]
            self.app.push_screen(DetailDialog(
                f"{entry.title} — {in_prose(entry.at)} {entry.at:%H:%M}", entry.detail))


def _superseded(saved: object) -> str:
    """What a change of address superseded, after the notice's first words (v16 finding 9:
    letter 26, signed and not posted, went unmentioned)."""
    said = str(getattr(saved, "superseded", "") or "")
    return f". {said}" if said else ""
