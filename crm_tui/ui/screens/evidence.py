"""The evidence on a case: its documents, read in the terminal, and what the log sheets show
over the monitoring period (counted in the database)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Sparkline, Static

from crm_tui.domain.categories import BehaviourCategory
from crm_tui.services import analysis, contacts, evidence
from crm_tui.services.analysis import Analysis
from crm_tui.services.database import session
from crm_tui.services.document_text import DocumentText
from crm_tui.services.evidence import DocumentInfo, SearchHit
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.dialogs.path_prompt import PathDialog
from crm_tui.ui.text import literal

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


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


def _figures(result: Analysis) -> Text:
    text = Text()
    p = result.period
    text.append(f"{p.label.capitalize()}: {p.start:%d %b %Y} to {p.end:%d %b %Y}\n",
                style="bold")
    text.append(f"{result.total} contacts ({result.inbound} from the customer); "
                f"{result.unusual_hours} outside 08:00-18:00, {result.weekends} at weekends\n\n")
    for title, rows in (("By channel", [(c.label, n) for c, n in result.by_channel]),
                        ("By service area", result.by_service_area),
                        ("By officer", result.by_officer[:8])):
        text.append(f"{title} ({len(rows)})\n", style="bold")
        for label, n in rows:
            text.append(f"  {n:>5}  {label}\n")
        text.append("\n")
    if result.matrix_months:
        text.append("Behaviour by month\n", style="bold")
        text.append(" " * 34 + "".join(f"{m[2:]:>7}" for m in result.matrix_months) + "\n")
        for category in BehaviourCategory:
            counts = result.matrix[category]
            if any(counts):
                text.append(f"  {category.label[:32]:<32}" +
                            "".join(f"{n:>7}" for n in counts) + "\n")
    return text


class EvidenceScreen(DeliveryMixin, Screen[None]):
    CSS_PATH = "evidence.tcss"
    AUTO_FOCUS = "#documents"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="evidence-back"),
        Binding("l", "log_contact", "Log contact", id="evidence-log"),
        Binding("d", "attach_document", "Attach document", id="evidence-attach"),
        Binding("L", "import_log_sheet", "Import log sheet", id="evidence-import"),
        Binding("slash", "search", "Search evidence", id="evidence-search"),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.documents: list[DocumentInfo] = []
        self.terms: list[str] = []
        self.hits: dict[int, SearchHit] = {}

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(literal(f"Evidence · {self.reference}"), id="evidence-title")
        with Horizontal(id="evidence-body"):
            with Vertical(id="left"):
                yield Input(placeholder="Words to find in every document of the case "
                                        "(Enter searches; empty clears)", id="find")
                yield Static(id="find-status")
                yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="reader"):
                    yield Static(id="reading")
            with Vertical(id="right"):
                yield Static("Contacts per week", classes="panel-title")
                yield Sparkline([], id="per-week")
                with VerticalScroll(id="figures-scroll"):
                    yield Static(id="figures")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#documents", DataTable)
        for label, key, width in (("Document", "name", 24), ("Type", "type", 14),
                                  ("Added", "added", 15), ("By", "by", 12),
                                  ("Found", "found", 5)):
            table.add_column(label, key=key, width=width)
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence")
    def load(self) -> None:
        actor = self.crm_app.actor
        with session():
            documents = evidence.list_documents(actor, self.reference)
            figures = analysis.analyse(actor, self.reference)
        deliver(self, self.show, documents, figures)

    def show(self, documents: list[DocumentInfo], figures: Analysis) -> None:
        self.documents = documents
        self.fill_documents()
        self.query_one("#per-week", Sparkline).data = [n for _, n in figures.per_week] or [0]
        self.query_one("#figures", Static).update(_figures(figures))
        if not documents:
            self.query_one("#reading", Static).update("No documents are attached to this case.")

    def fill_documents(self) -> None:
        table = self.query_one("#documents", DataTable)
        table.clear()
        for doc in self.documents:
            hit = self.hits.get(doc.id)
            table.add_row(literal(doc.original_name), literal(doc.media_type),
                          literal(doc.added_at), literal(doc.added_by),
                          literal(hit.matches if hit else "", "bold"), key=str(doc.id))

    def action_search(self) -> None:
        self.query_one("#find", Input).focus()

    @on(Input.Submitted, "#find")
    def find(self, event: Input.Submitted) -> None:
        self.terms = [w for w in event.value.split() if w]
        self.run_search(event.value)
        self.query_one("#documents", DataTable).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-search")
    def run_search(self, words: str) -> None:
        with session():
            hits = evidence.search(self.crm_app.actor, self.reference, words)
        deliver(self, self.show_hits, hits)

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.hits = {h.document_id: h for h in hits}
        status = self.query_one("#find-status", Static)
        if self.terms:
            status.update(literal(f"Found in {len(hits)} of {len(self.documents)} documents: "
                                  + "; ".join(f"{h.original_name} ({h.matches})"
                                              for h in hits)))
        else:
            status.update("")
        self.fill_documents()

    def action_log_contact(self) -> None:
        from crm_tui.ui.dialogs.log_contact import LogContactDialog

        self.app.push_screen(LogContactDialog(self.reference,
                                              self.crm_app.config.service_areas),
                             self._changed)

    def action_attach_document(self) -> None:
        actor, reference = self.crm_app.actor, self.reference
        self.app.push_screen(PathDialog(
            f"Attach a document to {reference}",
            "The file is copied into the evidence store under its SHA-256 and can no longer "
            "change unnoticed. Emails (.eml, .msg), PDFs, text, images and office files.",
            lambda path: evidence.attach_document(actor, reference, path)), self._changed)

    def action_import_log_sheet(self) -> None:
        actor, reference = self.crm_app.actor, self.reference
        self.app.push_screen(PathDialog(
            f"Import a log sheet onto {reference}",
            "A UTF-8 CSV with the columns when, channel, direction, service_area, officer, "
            "duration_minutes, summary, categories (see the README). Every line is checked "
            "first: all of them are recorded, or none.",
            lambda path: contacts.import_log_sheet(actor, reference, path)), self._changed)

    def _changed(self, result: object) -> None:
        if result is not None:
            self.notify("Recorded", title=self.reference, markup=False)
            self.load()

    @on(DataTable.RowHighlighted, "#documents")
    def document_chosen(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.read(int(event.row_key.value))

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-read")
    def read(self, document_id: int) -> None:
        with session():
            doc = evidence.read(self.crm_app.actor, self.reference, document_id)
        deliver(self, self.show_document, doc)

    def show_document(self, doc: DocumentText) -> None:
        text = _reading(doc)
        if self.terms:
            text.highlight_words(self.terms, style="black on yellow", case_sensitive=False)
        self.query_one("#reading", Static).update(text)
        self.query_one("#reader", VerticalScroll).scroll_home(animate=False)
