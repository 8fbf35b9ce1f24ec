"""The evidence on a case, where it is gathered, read and weighed: documents read in the
terminal, the customer's log sheet, what it shows over a period (each figure opening the
contacts behind it) and the matters the customer has raised."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane
from textual.worker import WorkerCancelled, WorkerFailed

from crm_tui.domain.counting import counted
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.evidence import analysis, documents, log_sheet, matters
from crm_tui.services.evidence.analysis import Analysis, Period
from crm_tui.services.evidence.document_text import DocumentText
from crm_tui.services.evidence.documents import DocumentInfo, SearchHit, SearchResult
from crm_tui.services.evidence.log_sheet import ContactFilter, ContactPage
from crm_tui.services.evidence.matters import MatterInfo
from crm_tui.ui.changes import CaseChanged, FollowsChanges
from crm_tui.ui.delivery import DeliveryMixin, deliver, deliver_latest
from crm_tui.ui.guide import EXAMPLES, LOCAL_RESOLUTION, REFERRAL, RETENTION, Guide
from crm_tui.ui.screens.evidence_actions import EvidenceActions
from crm_tui.ui.text import links_in_short, literal
from crm_tui.ui.widgets.analysis_panel import AnalysisPanel
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.fitted_input import FittedInput
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.keys_footer import KeysFooter
from crm_tui.ui.widgets.list_over_reader import ListOverReader
from crm_tui.ui.widgets.log_sheet_table import LogSheetTable

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

TABS = ("documents-tab", "log-tab", "analysis-tab", "matters-tab")


@dataclass(frozen=True)
class EvidenceData:
    """Everything the screen shows first, read in one go: the analysis's figures are read
    when its tab is first shown (read_figures), they took most of the open's read."""

    documents: list[DocumentInfo]
    period: Period
    matters: list[MatterInfo]
    first_page: ContactPage
    service_area: str  # the case's own: where a contact logged starts
    read_only: str = ""  # why the file takes no change (archived), "" if it does


def read_evidence(actor: Actor, reference: str, period: Period | None) -> EvidenceData:
    """Call inside a session, in a thread worker."""
    shown = analysis.period_of(actor, reference, period)
    return EvidenceData(documents.list_documents(actor, reference), shown,
                        matters.list_matters(actor, reference),
                        log_sheet.page(actor, reference, ContactFilter(shown.start, shown.end)),
                        log_sheet.case_service_area(actor, reference),
                        log_sheet.case_read_only(actor, reference))


def _reading(doc: DocumentText) -> Text:
    text = Text()
    for name, value in doc.headers:
        text.append(f"{name}: ", style="bold")
        text.append(f"{value}\n")
    if doc.headers:
        text.append("\n")
    for note in doc.notes:
        text.append(f"{note}\n\n", style="italic yellow")
    text.append(doc.body)  # customer-supplied: appended as plain text, never markup
    if doc.attachments:
        text.append("\n\nAttachments: ", style="bold")
        text.append(", ".join(doc.attachments))
    return text


# Actions shown in the footer only on the tabs they concern (they work on every tab).
SHOWN_ON = {"period": ("log-tab", "analysis-tab"), "export_bundle": ("analysis-tab",),
            "import_log_sheet": ("log-tab", "analysis-tab")}
# The keys that change the file: on an archived one each is left out of the footer and says
# why at once, opening no form (b16a F4: each opened its form and refused only at save).
WRITES = {"l": "log_contact", "e": "correct_contact", "b": "tag", "k": "link",
          "m": "set_matter", "n": "new_matter", "c": "close_matter", "o": "reopen_matter",
          "d": "attach_document", "L": "import_log_sheet"}


class EvidenceScreen(FollowsChanges, EvidenceActions, DeliveryMixin, Screen[None]):
    CSS_PATH = "evidence.tcss"
    AUTO_FOCUS = "#documents"
    GUIDE = Guide("Evidence",
                  "The case's documents, log sheet of contacts, analysis and matters: what a "
                  "decision rests on.",
                  (LOCAL_RESOLUTION, REFERRAL, EXAMPLES, RETENTION))
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="evidence-back",
                tooltip="Back to where you opened the evidence from"),
        Binding("1", "tab('documents-tab')", "Documents", id="evidence-tab-documents",
                show=False,
                tooltip="The documents attached to the case, readable where they are text"),
        Binding("2", "tab('log-tab')", "Log sheet", id="evidence-tab-log",
                show=False, tooltip="The log sheet: every contact logged with the customer"),
        Binding("3", "tab('analysis-tab')", "Analysis", id="evidence-tab-analysis",
                show=False,
                tooltip="The analysis: contacts per week, channels and behaviour over the period"),
        Binding("4", "tab('matters-tab')", "Matters", id="evidence-tab-matters",
                show=False, tooltip="The matters the customer raises, open and closed"),
        Binding("slash", "search", "Search documents", id="evidence-search",
                show=False, tooltip="Search the words of the case's documents"),
        Binding("l", "log_contact", "Log contact", id="evidence-log",
                tooltip="Log a contact with the customer: when, channel, officer, minutes, "
                        "summary and behaviour"),
        Binding("e", "correct_contact", "Correct contact", id="evidence-correct",
                tooltip="Correct the highlighted contact; the original stays in the audit trail"),
        Binding("b", "tag", "Behaviour", id="evidence-tag",
                tooltip="Tick the behaviour the highlighted contact or document shows, from the "
                        "policy's examples"),
        Binding("k", "link", "Link", id="evidence-link",
                tooltip="Link the highlighted document or contact as evidence for the referral or "
                        "a restriction"),
        Binding("m", "set_matter", "Matter", id="evidence-matter",
                tooltip="Put the highlighted contact under one of the customer's matters"),
        Binding("x", "clear_filter", "Clear filter", id="evidence-clear",
                tooltip="Show every contact in the period again"),
        Binding("n", "new_matter", "New matter", id="evidence-new-matter",
                tooltip="Record a new matter the customer raises"),
        Binding("c", "close_matter", "Close matter", id="evidence-close-matter",
                tooltip="Close the highlighted matter with its date and outcome"),
        Binding("o", "reopen_matter", "Reopen matter", id="evidence-reopen-matter",
                tooltip="Reopen the highlighted closed matter"),
        Binding("d", "attach_document", "Attach document", id="evidence-attach",
                tooltip="Attach a document from a file; its content hash is kept so any change "
                        "shows"),
        Binding("p", "period", "Period", id="evidence-period",
                show=False,
                tooltip="Choose the period the log sheet and the analysis cover (the monitoring "
                        "period first)"),
        Binding("E", "export_bundle", "Export bundle", id="evidence-bundle",
                show=False,
                tooltip="Export the evidence bundle as a PDF: documents, contacts and analysis"),
        # Last of the screen's keys: in the footer of the log sheet and the analysis when the
        # width leaves room after the others (it was in no footer at any width: b15e).
        Binding("L", "import_log_sheet", "Import log sheet", id="evidence-import",
                show=False,
                tooltip="Import a service area's log sheet of contacts from a CSV file"),
        *(Binding(key, f"why_read_only('{action}')", show=False)
          for key, action in WRITES.items()),
    ]

    def __init__(self, reference: str, data: EvidenceData | None = None) -> None:
        super().__init__()
        self.reference = reference
        # Read before the screen is pushed (see CaseFileScreen): the reading then does not
        # compete with the first paint for the interpreter, and the screen opens complete.
        self._preloaded = data
        self.documents: list[DocumentInfo] = []
        self.matters: list[MatterInfo] = []
        self.terms: list[str] = []
        self.hits: dict[int, SearchHit] = {}
        self.period: Period | None = None  # None: the monitoring period
        self.figures: Analysis | None = None  # read when the analysis is first shown
        self.shown_period: Period | None = None  # once read
        self._bindings_tab: str | None = TABS[0]
        self._narrowed = False
        self.service_area = ""  # the case's own, once read
        self.read_only = ""  # why the file takes no change, once read ("" if it does)
        self._data: EvidenceData | None = None  # the latest read, for a tab built later
        self._built: dict[str, asyncio.Future[None]] = {}

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(literal(f"Evidence · {self.reference}"), id="evidence-title")
        with TabbedContent(id="evidence-tabs"):
            # The table gives up its empty rows, then more, before the reader its last lines.
            with ListOverReader("1 Documents", list_id="documents", reader_id="reader",
                                most_rows=8, reader_lines=3, id="documents-tab"):
                yield FittedInput(placeholder="Words to find in every document of the case "
                                        "(Enter searches; empty clears)", id="find")
                yield Static(id="find-status")
                yield FittedTable(Col("name", "Document", priority=0, min_width=20,
                                      max_width=40),
                                  Col("type", "Type", priority=4, min_width=14),
                                  Col("added", "Added", priority=2, min_width=15),
                                  Col("by", "By", priority=5, min_width=12, extra=True),
                                  Col("behaviour", "Behaviour", priority=1, min_width=14,
                                      max_width=30),
                                  Col("links", "Linked to", priority=3, min_width=9),
                                  Col("found", "Found", priority=1, min_width=5),
                                  id="documents", cursor_type="row", zebra_stripes=True,
                                  enter=None)
                with VerticalScroll(id="reader"):
                    yield Static(id="reading")
            # The other tabs are composed and filled when first shown (_build): building all
            # four at every open cost 63 compose calls and 359 style applications for tabs
            # most opens never show (issue 17).
            yield TabPane("2 Log sheet", id="log-tab")
            yield TabPane("3 Analysis", id="analysis-tab")
            yield TabPane("4 Matters", id="matters-tab")
        yield KeysFooter()

    def _contents(self, tab: str) -> list[Widget]:
        if tab == "log-tab":
            return [Static(id="log-heading"), LogSheetTable(self.reference, id="contacts"),
                    Static(id="contact-detail")]
        if tab == "analysis-tab":
            return [AnalysisPanel(id="analysis")]
        return [Static("The issues the customer has raised. Contacts about a matter after it "
                       "was closed are repeats.", id="matters-help"),
                FittedTable(Col("title", "Matter", priority=0, min_width=24, max_width=50),
                            Col("state", "State", priority=1, min_width=12),
                            Col("outcome", "Outcome", priority=2, min_width=16),
                            Col("contacts", "Contacts", priority=1, min_width=8),
                            id="matters", cursor_type="row", zebra_stripes=True, enter=None)]

    def built(self, tab: str) -> bool:
        """Whether the tab's contents are composed and filled (the documents always are)."""
        task = self._built.get(tab)
        return tab == TABS[0] or (task is not None and task.done())

    async def _build(self, tab: str) -> None:
        """Compose a tab's contents the first time it is shown, and fill them from what the
        screen has read; every caller waits for the one build."""
        if tab == TABS[0]:
            return
        if tab not in self._built:
            self._built[tab] = asyncio.ensure_future(self._mount_and_fill(tab))
        await self._built[tab]

    async def _mount_and_fill(self, tab: str) -> None:
        figures: Analysis | None = None
        if tab == "analysis-tab" and self._data is not None:
            # Read (in a worker) before the tab is shown, so that it shows them at once.
            with suppress(WorkerFailed, WorkerCancelled):  # told by the app's handler
                figures = await self._analyse(self._data.period).wait()
        await self.query_one(f"#{tab}", TabPane).mount(*self._contents(tab))
        if tab == "matters-tab":
            self.fill_matters()
        elif tab == "analysis-tab":
            if figures is not None:
                self.show_figures(figures)
        elif self._data is not None:
            p = self._data.period
            self.query_one(LogSheetTable).show_page(ContactFilter(p.start, p.end),
                                                    self._data.first_page)

    def on_mount(self) -> None:
        if self._preloaded is not None:
            self.show(self._preloaded)
            self._preloaded = None
        else:
            self.load()

    # -- loading ----------------------------------------------------------------------------
    def reload(self) -> None:
        self.load()

    def concerns(self, change: CaseChanged) -> bool:
        return change.reference == self.reference

    def show_again(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence")
    def load(self) -> None:
        with session():
            data = read_evidence(self.crm_app.actor, self.reference, self.period)
        deliver_latest(self, self.show, data)

    def show(self, data: EvidenceData) -> None:
        first = self.shown_period is None
        self._data = data
        documents, p = data.documents, data.period
        self.documents, self.shown_period, self.matters = documents, p, data.matters
        self.service_area = data.service_area
        if data.read_only != self.read_only:  # the keys that change the file follow it
            self.read_only = data.read_only
            self.refresh_bindings()
        self.query_one("#evidence-title", Static).update(literal(
            f"Evidence · {self.reference} · {p.label}: {in_prose(p.start)} to {in_prose(p.end)}"))
        self.fill_documents()
        # A tab not built yet is filled from this read when first shown.
        if self.built("analysis-tab"):
            self.read_figures(p)
        if self.built("matters-tab"):
            self.fill_matters()
        if self.built("log-tab"):
            log = self.query_one(LogSheetTable)
            # A new period starts the log sheet again; a change keeps its narrowing and place.
            same_period = log.filter is not None and (log.filter.start, log.filter.end) == (
                p.start, p.end)
            if same_period and log.filter and log.filter.label:
                log.show(log.filter, keep_cursor=True)
            else:
                log.show_page(ContactFilter(p.start, p.end), data.first_page,
                              keep_cursor=not first)
        if not documents:
            self.query_one("#reading", Static).update("No documents are attached to this case.")

    def _figures(self, period: Period) -> Analysis:
        """The case's figures over the period (in a worker's thread)."""
        with session():
            return analysis.analyse(self.crm_app.actor, self.reference, period)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-figures")
    def _analyse(self, period: Period) -> Analysis:
        return self._figures(period)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-figures")
    def read_figures(self, period: Period) -> None:
        deliver_latest(self, self.show_figures, self._figures(period))

    def show_figures(self, figures: Analysis) -> None:
        self.figures = figures
        self.query_one(AnalysisPanel).show(figures)

    def fill_documents(self) -> None:
        table = self.query_one("#documents", DataTable)
        row = table.cursor_row
        table.clear()
        for doc in self.documents:
            hit = self.hits.get(doc.id)
            table.add_row(literal(doc.original_name), literal(doc.media_type),
                          literal(doc.added_at), literal(doc.added_by),
                          literal(", ".join(c.label for c in doc.categories)),
                          literal(links_in_short(doc.links)),
                          literal(hit.matches if hit else "", "bold"), key=str(doc.id))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.query_one("#documents-tab", ListOverReader).fit()

    def fill_matters(self) -> None:
        table = self.query_one("#matters", DataTable)
        row = table.cursor_row
        table.clear()
        for m in self.matters:
            state = f"closed {m.closed_on:%d %b %Y}" if m.closed_on else "open"
            table.add_row(literal(m.title), literal(state, "" if m.closed_on else "bold"),
                          literal(m.outcome), literal(f"{m.contacts:>8}"), key=str(m.id))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    # -- tabs and what each allows -------------------------------------------------------
    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    async def action_tab(self, tab: str) -> None:
        await self._build(tab)
        self.query_one(TabbedContent).active = tab
        focus = {"documents-tab": "#documents", "log-tab": "#contacts",
                 "analysis-tab": "#figures", "matters-tab": "#matters"}[tab]
        self.query_one(focus).focus()

    @on(TabbedContent.TabActivated)
    async def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        await self._build(event.pane.id or TABS[0])  # a tab clicked: built as it is shown
        # Each refresh rebuilds the footer: only when the keys on offer really change.
        if event.pane.id != self._bindings_tab:
            self._bindings_tab = event.pane.id
            self._show_keys_of(event.pane.id or "")
            self.refresh_bindings()

    def _show_keys_of(self, tab: str) -> None:
        # Keys that work on every tab but belong to some: in the footer on those (the analysis
        # tab did not show `p`, the period it covers, nor `E`, the bundle it goes into).
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(b, show=tab in SHOWN_ON[b.action]) if b.action in SHOWN_ON else b
                for b in bindings]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "why_read_only":  # the unlisted twin of a key that changes the file
            return (bool(self.read_only) and bool(parameters)
                    and self._on_this_tab(str(parameters[0])) is not False)
        if action in WRITES.values() and self.read_only:
            return False
        return self._on_this_tab(action)

    def action_why_read_only(self, action: str) -> None:
        self.notify(self.read_only, title="Not a step for this case now", severity="warning",
                    markup=False, timeout=10)

    def _on_this_tab(self, action: str) -> bool | None:
        tab = self.tab if self.is_mounted else TABS[0]
        log = (self.query(LogSheetTable).first() if self.is_mounted and self.built("log-tab")
               else None)
        if action in ("correct_contact", "set_matter"):
            return tab == "log-tab"
        if action in ("tag", "link"):
            return tab in ("documents-tab", "log-tab")
        if action == "clear_filter":
            return tab == "log-tab" and log is not None and bool(log.filter and
                                                                 log.filter.label)
        if action in ("new_matter", "close_matter", "reopen_matter"):
            return tab == "matters-tab"
        return True

    # -- documents --------------------------------------------------------------------------
    async def action_search(self) -> None:
        await self.action_tab("documents-tab")
        self.query_one("#find", Input).focus()

    @on(Input.Submitted, "#find")
    def find(self, event: Input.Submitted) -> None:
        self.terms = [w for w in event.value.split() if w]
        self.run_search(event.value)
        self.query_one("#documents", DataTable).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-search")
    def run_search(self, words: str) -> None:
        with session():
            found = documents.search(self.crm_app.actor, self.reference, words)
        deliver_latest(self, self.show_hits, found)

    def show_hits(self, found: SearchResult) -> None:
        self.hits = {h.document_id: h for h in found.hits}
        status = self.query_one("#find-status", Static)
        if self.terms:
            # With the documents that could not be searched in full: the words may be there.
            status.update(literal(found.said()))
        else:
            status.update("")
        self.fill_documents()

    @on(DataTable.RowHighlighted, "#documents")
    def document_chosen(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.read(int(event.row_key.value))

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-read")
    def read(self, document_id: int) -> None:
        with session():
            doc = documents.read(self.crm_app.actor, self.reference, document_id)
        deliver(self, self.show_document, doc, document_id)

    def show_document(self, doc: DocumentText, document_id: int | None = None) -> None:
        # What the list's columns cut at 100 columns ("referral…"), whole above the text.
        row = next((d for d in self.documents if d.id == document_id), None)
        text = Text()
        for name, value in (("Linked to", ", ".join(row.links) if row else ""),
                            ("Behaviour", ", ".join(c.label for c in row.categories)
                             if row else "")):
            if value:
                text.append(f"{name}: ", style="bold")
                text.append(f"{value}\n")
        if text:
            text.append("\n")
        text.append_text(_reading(doc))
        if self.terms:
            text.highlight_words(self.terms, style="black on yellow", case_sensitive=False)
        self.query_one("#reading", Static).update(text)
        self.query_one("#reader", VerticalScroll).scroll_home(animate=False)

    # -- log sheet --------------------------------------------------------------------------
    @on(AnalysisPanel.Opened)
    async def open_figure(self, event: AnalysisPanel.Opened) -> None:
        await self._build("log-tab")
        self.query_one(LogSheetTable).show(event.filter)
        await self.action_tab("log-tab")

    def action_clear_filter(self) -> None:
        if (p := self.shown_period) is not None:
            self.query_one(LogSheetTable).show(ContactFilter(p.start, p.end))

    @on(LogSheetTable.Loaded)
    def log_loaded(self) -> None:
        log = self.query_one(LogSheetTable)
        f: ContactFilter | None = log.filter
        what = f"only {f.label}" if f and f.label else "every contact in the period"
        hint = " (x shows them all)" if f and f.label else ""
        self.query_one("#log-heading", Static).update(literal(
            f"Log sheet · {what} · {counted(log.total, 'contact')}, newest first{hint}"))
        narrowed = bool(f and f.label)
        if narrowed != self._narrowed:
            self._narrowed = narrowed
            self.refresh_bindings()
        self.contact_detail()

    @on(DataTable.RowHighlighted, "#contacts")
    def contact_detail(self) -> None:
        row = self.query_one(LogSheetTable).highlighted
        detail = Text()
        if row is not None:
            detail.append(f"{row.at:%A} {in_prose(row.at, full_month=True)} {row.at:%H:%M} · "
                          f"{row.channel.label} · "
                          f"{row.direction.label} · {row.duration_minutes} min\n", style="bold")
            detail.append(row.summary)  # as the officer wrote it, never markup
            facts = [("Behaviour", ", ".join(c.label for c in row.categories)),
                     ("Matter", row.matter), ("Linked to", ", ".join(row.links))]
            shown = [f"{name}: {value}" for name, value in facts if value]
            if shown:
                detail.append("\n" + " · ".join(shown), style="dim")
            for reason in row.breaches:
                detail.append(f"\nBreach of restrictions: {reason}", style="bold red")
            if row.repeat and row.matter_closed_on is not None:
                detail.append(f"\nAbout \"{row.matter}\", closed {in_prose(row.matter_closed_on)}:"
                              " a repeat contact on a closed matter.", style="yellow")
        self.query_one("#contact-detail", Static).update(detail)
