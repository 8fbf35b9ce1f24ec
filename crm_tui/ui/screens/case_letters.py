"""A case's letters: each the policy calls for that the record can produce, read before it is
signed (with anything the checker finds missing), prepared for signing, or signed and exported
to the letters folder and registered."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from crm_tui.domain.errors import DomainError
from crm_tui.domain.letters import LetterKind, may_sign
from crm_tui.services.core.database import session
from crm_tui.services.letters import accessible, issuing
from crm_tui.services.letters.issuing import IssuedLetter, LetterInfo
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.signing_flow import SigningFlow
from crm_tui.ui.text import literal

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


class CaseLettersScreen(SigningFlow, DeliveryMixin):
    CSS_PATH = "case_letters.tcss"
    AUTO_FOCUS = "#kinds"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="letters-back"),
        Binding("p", "prepare", "Prepare for signing", id="letters-prepare"),
        Binding("s", "sign", "Sign and export", id="letters-sign"),
        Binding("e", "edit_letter", "Edit before signing", id="letters-edit",
                tooltip="Reword the prepared letter's free-text paragraphs; the checker runs "
                        "again"),
        Binding("c", "accessible_copy", "Accessible copy",
                tooltip="The issued letter as plain text and HTML, beside its PDF",
                id="letters-accessible"),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.kinds: list[LetterKind] = []
        self.entries: list[LetterInfo] = []
        # Who decided the case's appeal: the only person who signs its outcome letter.
        self.appeal_signer: tuple[int, str] | None = None

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(literal(f"Letters · {self.reference}"), id="letters-title")
        with Horizontal(id="letters-body"):
            with Vertical(id="letters-left"):
                yield Static("Letters this case can produce", classes="panel-title")
                yield DataTable(id="kinds", cursor_type="row", zebra_stripes=True)
                yield Static("Register", classes="panel-title")
                yield DataTable(id="register", cursor_type="row")
            with VerticalScroll(id="letter-preview"):
                yield Static(id="letter-text")
        yield Footer()

    def on_mount(self) -> None:
        kinds = self.query_one("#kinds", DataTable)
        kinds.add_column("Letter", key="kind", width=44)
        kinds.add_column("Status", key="status", width=18)
        register = self.query_one("#register", DataTable)
        for label, key, width in (("Letter", "kind", 22), ("Status", "status", 9),
                                  ("Signed", "signed", 28)):
            register.add_column(label, key=key, width=width)
        self.load()

    def reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-letters")
    def load(self) -> None:
        actor = self.crm_app.actor
        with session():
            kinds = issuing.kinds_for(actor, self.reference)
            entries = issuing.register(actor, self.reference)
            signer = issuing.appeal_signer(actor, self.reference)
        deliver(self, self.show, kinds, entries, signer)

    def show(self, kinds: list[LetterKind], entries: list[LetterInfo],
             signer: tuple[int, str] | None = None) -> None:
        self.kinds, self.entries, self.appeal_signer = kinds, entries, signer
        table = self.query_one("#kinds", DataTable)
        row = table.cursor_row
        table.clear()
        for kind in kinds:
            latest = next((e for e in entries if e.kind is kind), None)
            status = "not yet written"
            if latest is not None:
                status = {"draft": "waiting to be signed", "not_sent": "not sent (decided)"}.get(
                    latest.status, f"issued {latest.signed_at:%d %b %Y}"
                    if latest.signed_at else "issued")
            table.add_row(literal(kind.label), literal(status), key=kind.value)
        if not kinds:
            table.add_row(literal("Nothing to write yet at this stage", "italic"), "")
        elif table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        register = self.query_one("#register", DataTable)
        register.clear()
        for e in entries:
            signed = f"{e.signed_by}, {e.signed_at:%d %b %Y %H:%M}" if e.signed_at else e.note
            register.add_row(literal(e.kind.label), literal(e.status.replace("_", " ")),
                             literal(signed))
        self.kind_chosen()

    @property
    def highlighted(self) -> LetterKind | None:
        table = self.query_one("#kinds", DataTable)
        if not self.kinds or not table.row_count:
            return None
        return self.kinds[table.cursor_row]

    @on(DataTable.RowHighlighted, "#kinds")
    def kind_chosen(self) -> None:
        kind = self.highlighted
        if kind is None:
            self.query_one("#letter-text", Static).update("")
            return
        self.read(kind)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-preview")
    def read(self, kind: LetterKind) -> None:
        try:
            with session():
                body, missing = issuing.preview(self.crm_app.actor, self.reference, kind)
        except DomainError as exc:
            body, missing = "", [str(exc)]
        deliver(self, self.show_text, body, missing)

    def show_text(self, body: str, missing: list[str]) -> None:
        text = Text()
        if missing:
            text.append("This letter cannot be sent yet. It does not say:\n", style="bold red")
            for item in missing:
                text.append(f"• {item}\n", style="red")
            text.append("\n")
        text.append(body)  # customer details included: shown literally
        self.query_one("#letter-text", Static).update(text)
        self.query_one("#letter-preview", VerticalScroll).scroll_home(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        kind = self.highlighted
        if action == "accessible_copy":
            return kind is not None and any(e.kind is kind and e.status == "issued"
                                            for e in self.entries)
        if action in ("prepare", "sign"):
            if kind is None:
                return False
            if action == "sign" and kind is LetterKind.APPEAL_OUTCOME:
                signer = self.appeal_signer
                return signer is not None and signer[0] == self.crm_app.actor.user_id
            if action == "sign":
                return may_sign(self.crm_app.actor, kind)
        return True

    def action_prepare(self) -> None:
        kind = self.highlighted
        if kind is not None:
            self.run_prepare(kind)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-prepare")
    def run_prepare(self, kind: LetterKind) -> None:
        try:
            with session():
                issuing.prepare(self.crm_app.actor, self.reference, kind)
        except DomainError as exc:
            deliver(self, self._refused, str(exc))
            return
        deliver(self, self._done, "Prepared: waiting to be signed (Letters area, l)")

    def action_edit_letter(self) -> None:
        kind = self.highlighted
        if kind is not None:
            self.find_draft(kind)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-edit-open")
    def find_draft(self, kind: LetterKind) -> None:
        from crm_tui.services.letters import editing

        with session():
            letter_id = editing.draft_for(self.crm_app.actor, self.reference, kind)
        if letter_id is None:
            deliver(self, self._refused, "Prepare the letter first (p): only a prepared "
                                         "letter waiting to be signed can be edited")
            return
        deliver(self, self._open_editor, letter_id)

    def _open_editor(self, letter_id: int) -> None:
        from crm_tui.ui.dialogs.letter_edit import LetterEditDialog

        self.app.push_screen(LetterEditDialog(self.crm_app.actor, letter_id),
                             lambda _: self.reload())

    def action_sign(self) -> None:
        kind = self.highlighted
        if kind is None:
            return
        actor, reference = self.crm_app.actor, self.reference
        folder = self.crm_app.config.letters_path()
        self.notify("Signing…", title=reference)
        self.sign_with(lambda secret: issuing.sign_and_export(actor, reference, kind, folder,
                                                              secret), self._signed)

    def action_accessible_copy(self) -> None:
        kind = self.highlighted
        if kind is not None:
            self.run_accessible_copy(kind)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-accessible")
    def run_accessible_copy(self, kind: LetterKind) -> None:
        try:
            with session():
                copies = accessible.export(self.crm_app.actor, self.reference, kind,
                                           self.crm_app.config.letters_path())
        except DomainError as exc:
            deliver(self, self._not_copied, str(exc))
            return
        deliver(self, self._done, f"Accessible copy written: {copies.text} and "
                                  f"{copies.html.name}")

    def _not_copied(self, message: str) -> None:
        self.notify(message, title="No accessible copy", severity="error", markup=False,
                    timeout=12)

    def _signed(self, issued: IssuedLetter) -> None:
        self._done(f"Signed, registered and exported to {issued.path}")

    def _done(self, message: str) -> None:
        self.notify(message, title=self.reference, markup=False, timeout=10)
        self.load()
