"""A case's letters. Above, the letters the case calls for now (each written once, from the
event it is about): read before it is signed (with anything the checker finds missing),
prepared for signing, or signed and issued. Below, the register: each letter with the date it
bears, its appeal-by date and status; an issued letter reads as it was issued, and can be
exported again (the very same file) or re-sent as a marked duplicate."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.widgets import DataTable, Static

from crm_tui.domain.errors import DomainError, PermissionDenied
from crm_tui.domain.letters import LetterKind, named_as, require_signer
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core.database import session
from crm_tui.services.letters import accessible, copies, issuing, posting
from crm_tui.services.letters.issuing import AsRead, IssuedLetter, LetterInfo
from crm_tui.services.letters.posting import UnpostedLetter
from crm_tui.services.letters.preparation import Prepared
from crm_tui.ui.changes import CaseChanged, FollowsChanges
from crm_tui.ui.delivery import DeliveryMixin, deliver, deliver_latest
from crm_tui.ui.guide import APPEAL, LETTER, REVIEW_OUTCOME, Guide
from crm_tui.ui.keys_wait import IN_BACKGROUND
from crm_tui.ui.letter_copies import LetterCopies, appeal_by, dated
from crm_tui.ui.posting import PostTodayActions, nothing_to_post, poster_refusal
from crm_tui.ui.refused_keys import key_answer
from crm_tui.ui.signing_flow import signing_question
from crm_tui.ui.text import literal, path_lines
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

ON_KINDS = ("prepare", "sign")
# Below this width the register's five columns and a readable letter do not fit side by side:
# the lists take the width, and the letter (v) takes their place until Esc.
ONE_PANEL_BELOW = 100
# Below this width (the app's -narrow) the register's dates are short ("15 Nov 26"), as the
# inbox's are, so that its number and appeal-by date stay whole at 100 columns.
SHORT_DATES_BELOW = 130


def short_date(day: date | None) -> str:
    return f"{day:%d %b %y}" if day else ""


def short_status(entry: LetterInfo) -> str:
    """The letter's status where the register is narrow: "posted", "signed" (signed, not
    posted yet; the Letters area and `letters list` say when: shown_status). As short as
    "posted": every letter is "signed" once `s` has signed it, and at 100x30 the longer "not
    posted" pushed W's "No." column out of the register as it was signed (issue 15 BA4)."""
    if (entry.status == "issued" and entry.duplicate_of is None and not entry.superseded
            and not entry.gone):
        return "posted" if entry.posted_on is not None else "signed"
    if entry.gone:
        # A re-sent copy too ("can no longer go (copy of 12)" in full: fixAU3 U2). As short
        # as "not posted", so a narrow register keeps its "Appeal by" (fixAU2 made any kind
        # of letter past its dates read so; at 100x30 the longer words pushed that column out).
        return "cannot go"
    return entry.shown_status
ON_REGISTER = ("export_copy", "resend")
# The keys that say why, with no letter in hand, by what they would do (why_nothing_in_hand).
_DOING = {"sign": "sign", "prepare": "prepare", "edit_letter": "edit", "resend": "re-send",
          "export_copy": "export", "accessible_copy": "copy", "read_letter": "read"}
# Those that say, with an issued letter in hand, that it never changes (issued_in_hand).
ON_KINDS_KEYS = {"sign": "sign", "prepare": "prepare", "edit_letter": "edit"}
# A column's least width, more than any of its cells: it is shown whole or not at all.
WHOLE = 60
REGISTER_COLUMNS = ("id", "kind", "dated", "appeal", "status")
CHANGED_WHILE_READ = ("This letter changed while you were reading it: it now reads as below. "
                      "Read it again before signing.")
NOT_YET_SHOWN = ("The letter is still being read: s signs it once it is shown, as it is "
                 "shown. Nothing was signed.")
# In one panel (narrow) the letter is laid out off-screen until v shows it (found when tried:
# at 80x24 `s` signed a letter whose words were never on screen).
NOT_READ_HERE = ("At this width the letter is not on screen beside the lists: press v to read "
                 "it first; s then signs it as shown. Nothing was signed.")


class CaseLettersScreen(PostTodayActions, FollowsChanges, LetterCopies, DeliveryMixin):
    CSS_PATH = "case_letters.tcss"
    AUTO_FOCUS = "#kinds"
    GUIDE = Guide("The case's letters",
                  "Every letter the case's record can produce, exactly as it will be sent: "
                  "prepare, edit, sign and issue, export a copy, or re-send.",
                  (LETTER, REVIEW_OUTCOME, APPEAL))
    BINDINGS = [
        Binding("escape", "back", "Back", id="letters-back",
                tooltip="Back to the case file (from inside the letter: back to the list)"),
        Binding("v", "read_letter", "Read the letter", id="letters-read",
                tooltip="Into the letter, to scroll it to its end (up/down, page up/down, "
                        "home/end); Esc comes back to the list"),
        Binding("p", "prepare", "Prepare for signing", id="letters-prepare",
                tooltip="Prepare the highlighted letter for signing; it then waits in the Letters "
                        "area"),
        Binding("s", "sign", "Sign and issue", id="letters-sign",
                tooltip="Sign and issue the highlighted letter to the customer as a signed PDF"),
        Binding("e", "edit_letter", "Edit before signing", id="letters-edit",
                tooltip="Reword the prepared letter's free-text paragraphs; the checker runs "
                        "again"),
        Binding("x", "export_copy", "Export a copy", id="letters-export-copy",
                tooltip="Save a copy of the issued letter's PDF (the same file; the register is "
                        "unchanged)"),
        Binding("r", "resend", "Re-send as duplicate", id="letters-resend",
                tooltip="Send a lost letter again, signed anew and marked as a duplicate"),
        Binding("r", "resend_refused", show=False),
        Binding("c", "accessible_copy", "Accessible copy",
                tooltip="The issued letter as plain text and HTML, beside its PDF",
                id="letters-accessible"),
        # With no letter in hand, the same key says why (check_action): "v Read the letter"
        # was offered with nothing to write and an empty register (b15b F7).
        Binding("v", "why_nothing_to_read", show=False),
        # A letter prepared already: nothing to prepare, whoever looks at it, and `p` says
        # by whom and for whom at once (v15b S5: it was offered beside "to be signed"; v15c
        # F2: still offered to anyone but its preparer, and it made them its preparer).
        Binding("p", "prepare_refused", show=False),
        # A letter this person may not sign: `s` says who signs it (v15c m1: it said nothing).
        Binding("s", "sign_refused", show=False),
        # Only the letter's signer may edit it: `e` says who signs, at once (v15d N1: it was
        # offered to anyone and refused only at the editor's save).
        Binding("e", "edit_refused", show=False),
        # A letter not prepared yet has no paragraphs to edit: `?` does not list `e` on it, and
        # `e` says so in plain words (fixAH AH4: it was listed, and refused as "Not signed").
        Binding("e", "edit_unprepared", show=False),
        # The case's next action can be "Post the … letter": its signed letter waiting to go
        # is posted from here, by the Letters area's dialog and service (t15c #3: `P` here
        # did nothing, silently, and the palette found "Post today" only in the Letters area).
        Binding("P", "post_today", "Post today", id="case-letters-post-today",
                tooltip="Record today's posting of this case's signed letter (class and "
                        "tracking number) and make its print pack"),
        Binding("P", "post_today_refused", show=False),
        # With no letter in hand, each key `?` lists says why at once, as `v` does (t15c #5:
        # s, p, e, r, x and c did nothing and said nothing).
        *(Binding(key, f"why_nothing_in_hand('{doing}')", show=False)
          for key, doing in (("s", "sign"), ("p", "prepare"), ("e", "edit"), ("r", "re-send"),
                             ("x", "export"), ("c", "copy"))),
        # A letter of the register in hand: it is issued, and never changes (fixBV, left
        # open: s, p and e said nothing there).
        *(Binding(key, f"issued_in_hand('{doing}')", show=False)
          for key, doing in (("s", "sign"), ("p", "prepare"), ("e", "edit"))),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.kinds: list[LetterKind] = []
        self.entries: list[LetterInfo] = []
        # The letters prepared already, waiting to be signed: by whom, and for whom.
        self.prepared: dict[LetterKind, Prepared] = {}
        # Who decided the case's appeal: the only person who signs its outcome letter.
        self.appeal_signer: tuple[int, str] | None = None
        self.customer_name = ""  # whom its letters go to, named when signing is confirmed
        # Said before signing: adjustments recorded, letters in standard print (issue 15 AX2).
        self.format_caution = ""
        # Its signed letters not yet posted: P posts them (only when one can go in a pack).
        self.unposted: list[UnpostedLetter] = []
        # The letter in the preview as read (its words and its draft's version): signing
        # carries it, and is refused if the letter has changed since (b16f F1).
        self.as_read: tuple[LetterKind, AsRead] | None = None
        self._shown_body = ""
        # What the checker found missing in the letter on screen, and of which kind: `s`
        # refuses at once, before the question and the passphrase (v15l W11).
        self._missing: tuple[LetterKind | None, list[str]] = (None, [])
        # The letter the preview shows now (painted), of those the case calls for: `s` signs
        # only that one, carrying the mark of what is on screen (found when tried: `s` before
        # the preview was painted signed the words found at signing, unseen).
        self.on_screen: LetterKind | None = None

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(literal(f"Letters · {self.reference}"), id="letters-title")
        with Horizontal(id="letters-body"):
            with Vertical(id="letters-left"):
                yield Static("Letters this case calls for now", classes="panel-title")
                yield FittedTable(Col("kind", "Letter", priority=0, min_width=16),
                                  Col("status", "Status", priority=1, min_width=12),
                                  id="kinds", cursor_type="row", zebra_stripes=True,
                                  enter=None)
                yield Static("Register (tab): letters issued, drafts, not sent",
                             classes="panel-title")
                # Each column as wide as its content, whole or left out: the letter and its
                # status first, then its date, its number, its appeal-by date (fixAH AH3: at
                # 100 and 140 columns "superse…" and "Decision to restr…" were cut to keep
                # every column). What is left out is in the line under it (register-row).
                yield FittedTable(Col("id", "No.", priority=3, min_width=WHOLE),
                                  Col("kind", "Letter", priority=0, min_width=WHOLE),
                                  Col("dated", "Dated", priority=2, min_width=WHOLE),
                                  Col("appeal", "Appeal by", priority=4, min_width=WHOLE),
                                  Col("status", "Status", priority=1, min_width=WHOLE),
                                  id="register", cursor_type="row", enter=None)
                # The highlighted letter in full while the register cuts or leaves out a
                # column: at 100 columns the appeal-by date, the day the customer must appeal
                # by, had no room beside a letter readable at its side (fixBS).
                yield Static(id="register-row")
            with VerticalScroll(id="letter-preview"):
                yield Static(id="letter-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    def on_resize(self) -> None:
        self.set_class(self.size.width < ONE_PANEL_BELOW, "-one-panel")
        short = self.size.width < SHORT_DATES_BELOW
        if short != self._short_dates:
            self._short_dates = short
            self.fill_register()

    _short_dates = False

    def reload(self) -> None:
        self.load()

    def concerns(self, change: CaseChanged) -> bool:
        return change.reference == self.reference

    def show_again(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="case-letters")
    def load(self) -> None:
        actor = self.crm_app.actor
        with session():
            kinds = issuing.kinds_for(actor, self.reference)
            entries = issuing.register(actor, self.reference)
            signer = issuing.appeal_signer(actor, self.reference)
            self.customer_name = issuing.customer_name(actor, self.reference)
            self.format_caution = issuing.format_caution(actor, self.reference)
            prepared = {k: found for k in kinds
                        if (found := issuing.prepared(actor, self.reference, k)) is not None}
            unposted = posting.unposted(actor, self.reference)
        deliver_latest(self, self.show, kinds, entries, signer, prepared, unposted)

    def show(self, kinds: list[LetterKind], entries: list[LetterInfo],
             signer: tuple[int, str] | None = None,
             prepared: dict[LetterKind, Prepared] | None = None,
             unposted: list[UnpostedLetter] | None = None) -> None:
        self.kinds, self.entries, self.appeal_signer = kinds, entries, signer
        self.prepared = prepared or {}
        self.unposted = unposted or []
        table = self.query_one("#kinds", DataTable)
        row = table.cursor_row
        table.clear()
        for kind in kinds:
            draft = next((e for e in entries if e.kind is kind and e.status == "draft"), None)
            # Short words, so that the kind and its state read whole at 100 columns.
            status = "to be signed" if draft is not None else "not issued"
            table.add_row(literal(kind.short), literal(status), key=kind.value)
        if not kinds:
            table.add_row(literal("Nothing new to write now", "italic"), "")
        elif table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.fill_register()
        signed, self._signed_id = self._signed_id, None
        if not self._opened and not kinds and entries and signed is None:
            # Nothing new to write: the screen opens on the latest letter in the register,
            # shown at once, with its keys (v, x, r). It opened on an empty preview with no
            # key to the issued letters until Tab (v15e F11).
            signed = max(e.id for e in entries)
        self._opened = True
        at = next((i for i, e in enumerate(entries) if e.id == signed), None)
        if at is not None:
            # The letter just signed, in the register, shown at once: the list above has
            # nothing in hand once it is issued, and the preview was an empty frame until
            # Tab (v15d N8).
            register = self.query_one("#register", DataTable)
            register.move_cursor(row=at)
            register.focus()
        if self.focused is self.query_one("#letter-preview", VerticalScroll):
            self.read_again()
        else:
            self.chosen()

    def read_again(self) -> None:
        """The letter being read, read again where the reader is: a change to it made meanwhile
        (here, or in another copy of the app) is shown, and said, not left unseen (b16f F1:
        the preview kept the words another session had since edited, and they were signed)."""
        kind = self.highlighted
        if self._list == "kinds" and kind is not None:
            self.read(kind, again=True)

    def signing_refused(self) -> None:
        # Refused as changed since it was read (or for any reason): the letter as it now reads.
        self.load()

    # The letter just signed, to be shown in the register once the screen has read it again.
    _signed_id: int | None = None
    _opened = False  # shown once: where the focus starts is chosen then, not at each reload

    def fill_register(self) -> None:
        register = self.query_one("#register", DataTable)
        at = register.cursor_row
        register.clear()
        for e in self.entries:
            when, until = ((short_date(e.written_on), short_date(e.appeal_by))
                           if self._short_dates else (dated(e), appeal_by(e)))
            register.add_row(str(e.id), literal(e.short), when, until,
                             literal(short_status(e) if self._short_dates
                                     else e.shown_status), key=str(e.id))
        if register.row_count:
            register.move_cursor(row=min(at, register.row_count - 1))
        self.show_register_row()

    @on(DataTable.RowHighlighted, "#register")
    @on(FittedTable.Fitted, "#register")
    def show_register_row(self) -> None:
        """The line under the register: the highlighted letter's number, kind, date,
        appeal-by date and status, while the register cuts or leaves out any of them."""
        line = self.query_one("#register-row", Static)
        register = self.query_one("#register", FittedTable)
        if not self.in_register:
            # The letter in hand is the one the case calls for, above: the line says what
            # that is, not the register's highlighted letter, out of hand (v18 AT2: the
            # footer offered s/p for the appeal outcome letter not yet issued, the preview
            # showed it, and the line read "Letter 7 · Appeal outcome letter · posted …").
            kind = self.highlighted
            line.display = kind is not None and register.cuts(*REGISTER_COLUMNS)
            line.update(literal(self._in_hand(kind)) if kind is not None else "")
            return
        entry = self.entry
        line.display = entry is not None and register.cuts(*REGISTER_COLUMNS)
        if entry is None:
            line.update("")
            return
        parts = [f"Letter {entry.id}", entry.named]
        if entry.written_on:
            parts.append(f"dated {dated(entry)}")
        if entry.appeal_by:
            parts.append(f"appeal by {appeal_by(entry)}")
        parts.append(entry.shown_status)
        line.update(literal(" · ".join(parts)))

    def _in_hand(self, kind: LetterKind) -> str:
        """The letter the case calls for in a line: "Appeal outcome letter · not issued
        yet, shown as it would be issued today", or, prepared, "· draft 25, to be signed"."""
        words = named_as(kind)
        draft = next((e for e in self.entries if e.kind is kind and e.status == "draft"), None)
        state = (f"draft {draft.id}, to be signed" if draft is not None
                 else "not issued yet, shown as it would be issued today")
        return f"{words[:1].upper()}{words[1:]} · {state}"

    # The list the preview follows ("kinds" or "register"), kept while the letter is read.
    _list = "kinds"

    @property
    def in_register(self) -> bool:
        if self.focused is self.query_one("#letter-preview", VerticalScroll):
            return self._list == "register"
        return self.focused is self.query_one("#register", DataTable)

    # The letter and words `v` last showed: in one panel, only those are signed.
    _read: tuple[LetterKind | None, str] = (None, "")

    def action_read_letter(self) -> None:
        self._read = (self.on_screen, self._shown_body)
        self.add_class("-reading")  # in one panel, the letter in place of the lists
        self.query_one("#letter-preview", VerticalScroll).focus()

    def action_why_nothing_to_read(self) -> None:
        self.action_why_nothing_in_hand("read")

    def nothing_in_hand_words(self, doing: str) -> str:
        return (f"No letter to {doing} here: "
                + ("none has been issued on this case." if self.in_register else
                   "nothing new to write on this case now."))

    def action_why_nothing_in_hand(self, doing: str) -> None:
        self.notify(self.nothing_in_hand_words(doing), title=self.reference,
                    severity="warning", markup=False)

    def issued_in_hand_words(self, doing: str) -> str:
        """Why a key for a letter still to write does nothing to the issued letter in hand
        ("" with none in hand)."""
        entry = self.entry
        if entry is None:
            return ""
        by = f" by letter {entry.replaced_by}" if entry.replaced_by is not None else ""
        if entry.superseded and entry.status != "issued":
            told = (f"letter {entry.id} ({entry.short}) is superseded{by} and will never be "
                    f"signed: {entry.superseded}.")
        elif entry.superseded:
            # v16 finding 7: it offered r, which refuses a superseded letter, as the CLI does.
            told = (f"letter {entry.id} ({entry.short}) is in the register, and a letter once "
                    f"issued never changes. It is superseded{by}: {entry.superseded}. It is "
                    "not sent, and neither is a copy; x exports a copy for the record.")
        elif entry.status == "issued" and entry.posted_on is None:
            told = (f"letter {entry.id} ({entry.short}) is in the register, and a letter once "
                    "issued never changes. It waits for the post: P posts it; x exports a "
                    "copy.")
        else:
            told = (f"letter {entry.id} ({entry.short}) is in the register, and a letter once "
                    "issued never changes. r re-sends it as a duplicate, x exports a copy.")
        return f"Nothing to {doing}: {told}"

    def action_issued_in_hand(self, doing: str) -> None:
        told = self.issued_in_hand_words(doing)
        if told:
            self.notify(told, title=self.reference, severity="warning", markup=False)

    def action_back(self) -> None:
        if self.focused is self.query_one("#letter-preview", VerticalScroll):
            self.remove_class("-reading")
            self.query_one(f"#{self._list}", DataTable).focus()
            return
        self.app.pop_screen()

    @property
    def highlighted(self) -> LetterKind | None:
        table = self.query_one("#kinds", DataTable)
        if not self.kinds or not table.row_count:
            return None
        return self.kinds[min(table.cursor_row, len(self.kinds) - 1)]

    @property
    def entry(self) -> LetterInfo | None:
        table = self.query_one("#register", DataTable)
        if not self.entries or not table.row_count:
            return None
        return self.entries[min(table.cursor_row, len(self.entries) - 1)]

    @on(DataTable.RowHighlighted)
    @on(DescendantFocus)
    def chosen(self) -> None:
        """Preview what is in hand: a letter the case calls for, composed as it would be
        issued today; or a letter in the register, as it was issued."""
        self.refresh_bindings()
        if self.focused is self.query_one("#letter-preview", VerticalScroll):
            return  # reading the letter in hand: it stays, scrolled where the reader is
        self.remove_class("-reading")  # in one panel, the lists are back with the focus
        self._list = "register" if self.in_register else "kinds"
        self.show_register_row()  # the line under the register follows the letter in hand
        if self.in_register:
            entry = self.entry
            if entry is not None:
                self.read_issued(entry.id, entry.superseded, entry.gone, entry.gone_then)
                return
        kind = self.highlighted
        if kind is None or self.in_register:
            self.show_nothing()
            return
        self.read(kind)

    def show_nothing(self) -> None:
        """The preview with no letter in hand says so, and where the letters are (fixAR AR4:
        it was blank beside "Nothing new to write now")."""
        if self.in_register:
            words = "No letter has been issued on this case: the register is empty."
        else:
            words = ("Nothing new to write now: this case calls for no letter at the moment. "
                     + ("Its letters are in the register (Tab)." if self.entries else
                        "No letter has been issued on it yet."))
        self._shown_body = ""
        self.query_one("#letter-text", Static).update(Text(words, style="italic"))
        self.on_screen = None

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-preview")
    def read(self, kind: LetterKind, again: bool = False) -> None:
        as_read: tuple[LetterKind, AsRead] | None = None
        try:
            with session():
                found = issuing.read(self.crm_app.actor, self.reference, kind)
                late = issuing.lateness(self.crm_app.actor, self.reference, kind)
            body, missing, as_read = found.text, found.missing, (kind, found.as_read)
        except DomainError as exc:
            body, missing, late = "", [str(exc)], ""
        # A newer read (the cursor moved, a user switched) has the last word: this one, ended
        # after it, showed the letter before over the one in hand (t15 #1).
        deliver_latest(self, self.show_letter, body, missing, late, as_read, again, kind)

    def show_letter(self, body: str, missing: list[str], late: str,
                    as_read: tuple[LetterKind, AsRead] | None, again: bool,
                    kind: LetterKind | None = None) -> None:
        if again and body == self._shown_body and self.on_screen is kind:
            self.as_read = as_read
            return  # unchanged: the reader stays where they are
        changed = again and bool(self._shown_body)
        self.as_read = as_read
        self._missing = (kind, list(missing))
        self.show_text(body, missing, late, changed=changed)
        self.on_screen = kind
        if changed:
            self.notify(CHANGED_WHILE_READ, title=self.reference, severity="warning",
                        markup=False, timeout=12)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-preview")
    def read_issued(self, letter_id: int, superseded: str = "", gone: str = "",
                    then: str = "") -> None:
        try:
            with session():
                body = copies.issued_text(self.crm_app.actor, letter_id)
        except DomainError as exc:
            body = str(exc)
        deliver_latest(self, self.show_issued, body, superseded, gone, then)

    def show_issued(self, body: str, superseded: str = "", gone: str = "",
                    then: str = "") -> None:
        # A letter superseded (signed and not posted, or only prepared): why, above its
        # words, as `letters list` and the Letters area say it (fixAI AI1). A letter that can
        # no longer go (an invitation to comment, fixAR AR4; any kind the post run refuses,
        # issue 15 fixAU2): why, and what comes of it (LetterInfo.gone_then).
        # Pointed to the list above only where a letter is signed in its place there (not
        # after "nothing is signed in its place: …", issue 15 BA3).
        where = ("" if then == issuing.NOT_OWED_AGAIN or then.startswith("nothing is signed")
                 else " (the letters this case calls for, above)")
        said = (f"Superseded: {superseded}." if superseded else
                f"{issuing.never_sent(gone, then)}{where}."
                if gone else "")
        self.show_text(body, [], said)
        self.on_screen = None  # a letter of the register: none to sign is on screen

    def show_text(self, body: str, missing: list[str], late: str = "", *,
                  changed: bool = False) -> None:
        self._shown_body = body
        text = Text()
        if changed:
            text.append(CHANGED_WHILE_READ + "\n\n", style="bold yellow")
        if late:
            text.append(late + "\n\n", style="bold yellow")
        if missing:
            text.append("This letter cannot be sent yet:\n", style="bold red")
            for item in missing:
                text.append(f"• {item}\n", style="red")
            text.append("\n")
        text.append(body)  # customer details included: shown literally
        self.query_one("#letter-text", Static).update(text)
        self.query_one("#letter-preview", VerticalScroll).scroll_home(animate=False)

    def footer_leads(self) -> tuple[str, ...]:
        """The way forward first: s when the letter highlighted is one this person signs
        (the case file says "Sign the … letter"); at 80 columns the footer dropped it. P
        when a signed letter of the case is waiting to go ("Post the … letter")."""
        post = ("P",) if self.check_action("post_today", ()) else ()
        if not self.kinds:  # nothing to sign (nor, before it is read, a list to ask)
            return post
        return (("s",) if self.check_action("sign", ()) else ()) + post

    # "Post today": this case's letters only, said why at once when none can go.
    def post_scope(self) -> str | None:
        return self.reference

    def post_refusal(self) -> str:
        """Why P posts nothing now ("" if a signed letter of the case is waiting to go)."""
        return (poster_refusal(self.crm_app.actor)
                or nothing_to_post(self.reference, self.entries, self.unposted))

    def nothing_said(self, waiting: list[UnpostedLetter]) -> str:
        return nothing_to_post(self.reference, self.entries, waiting)

    def action_post_today_refused(self) -> None:
        why = self.post_refusal()
        if why:
            self.notify(why, title="Post today", severity="warning", markup=False)

    def key_refusal(self, action: str) -> str:
        """Why a key that cannot work now cannot, in its own words (the palette says it;
        fixBB BB5: every key here that says why, not Post today's alone)."""
        if action == "post_today":
            return self.post_refusal()
        if action in _DOING and self.check_action(action, ()) is False:
            in_hand = self.entry if self.in_register else self.highlighted
            if in_hand is None:
                return self.nothing_in_hand_words(_DOING[action])
            return self.in_hand_refusal(action)
        return ""

    def in_hand_refusal(self, action: str) -> str:
        """Why the key for `action` does nothing to the letter in hand, as its refuser says
        it ("" where none does)."""
        kind = self.highlighted
        if action == "resend" and self.in_register and self.entry is not None:
            return self.resend_refusal(self.entry, self.appeal_signer)
        if action in ON_KINDS_KEYS and self.in_register:
            return self.issued_in_hand_words(ON_KINDS_KEYS[action])
        if kind is None or self.in_register:
            return ""
        why = self.why_not_signer(kind)
        if action == "sign" and why is not None:
            return why[:1].upper() + why[1:]
        if action == "edit_letter" and why is not None:
            return f"{why[:1].upper() + why[1:]}. Only the person who signs it may edit it"
        found = self.prepared.get(kind)
        if action == "prepare" and found is not None:
            return f"{found.refusal} (Letters area, l)"
        return ""

    def refresh_data(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        posts = key_answer(action, ("post_today", "post_today_refused",
                                    lambda: not self.post_refusal()))
        if posts is not None:
            return posts
        if action in ("read_letter", "why_nothing_to_read", "why_nothing_in_hand"):
            # Offered from the lists, not while reading, and only with a letter in hand.
            reading = self.focused is self.query_one("#letter-preview", VerticalScroll)
            in_hand = (self.entry if self.in_register else self.highlighted) is not None
            return (not reading and in_hand) if action == "read_letter" else (
                not reading and not in_hand)
        if action == "issued_in_hand":
            reading = self.focused is self.query_one("#letter-preview", VerticalScroll)
            return not reading and self.in_register and self.entry is not None
        if action in ("edit_letter", "edit_refused", "edit_unprepared"):
            # A letter the case calls for now, before it is issued; exactly one of `e`'s
            # actions answers it, as for `s` (the same rule: only its signer edits it), and
            # only a letter prepared for signing has paragraphs to edit.
            kind = self.highlighted
            if kind is None or self.in_register:
                return False
            signs = self.why_not_signer(kind) is None
            if action == "edit_refused":
                return not signs
            return signs and self.has_draft(kind) == (action == "edit_letter")
        if action == "accessible_copy":
            entry = self.entry
            return self.in_register and entry is not None and entry.status == "issued"
        if action in ("resend", "resend_refused"):
            now = self.may_resend_now(self.entry, self.appeal_signer)
            return self.in_register and now is not None and now == (action == "resend")
        if action in ON_REGISTER:
            return self.in_register and self.may_copy(self.entry, action, self.appeal_signer)
        if action == "prepare_refused":
            kind = self.highlighted
            return kind is not None and not self.in_register and kind in self.prepared
        if action not in (*ON_KINDS, "sign_refused"):
            return True
        kind = self.highlighted
        if kind is None or self.in_register:
            return False
        if action == "prepare":
            return kind not in self.prepared
        # Exactly one of `s`'s two actions answers a letter in hand.
        return (self.why_not_signer(kind) is None) == (action == "sign")

    def why_not_signer(self, kind: LetterKind) -> str | None:
        """Why the acting person may not sign the letter (who signs it); None if they may."""
        try:
            require_signer(self.crm_app.actor, kind, self.appeal_signer)
        except PermissionDenied as exc:
            return str(exc)
        return None

    def action_prepare(self) -> None:
        kind = self.highlighted
        if kind is not None:
            # `p e` typed at once: the edit waits for the letter it edits (else "Prepare the
            # letter first"), as the keys after a user switch wait for the switch.
            self.run_prepare(kind, self.crm_app.hold_keys())

    def action_prepare_refused(self) -> None:
        self._said_in_hand("prepare")

    def action_sign_refused(self) -> None:
        self._said_in_hand("sign")

    def action_edit_refused(self) -> None:
        self._said_in_hand("edit_letter")

    def _said_in_hand(self, action: str) -> None:
        why = self.in_hand_refusal(action)
        if why:
            self.notify(why, title=self.reference, severity="warning", markup=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-prepare")
    def run_prepare(self, kind: LetterKind, held: int | None = None) -> None:
        try:
            with session():
                issuing.prepare(self.crm_app.actor, self.reference, kind)
        except DomainError as exc:
            deliver(self, self._refused, str(exc))
            return
        else:
            deliver(self, self._done, "Prepared: waiting to be signed (Letters area, l)")
        finally:
            if held is not None:
                deliver(self, self.crm_app.let_go_keys, held)

    def has_draft(self, kind: LetterKind) -> bool:
        """Whether the letter is prepared, waiting to be signed (its paragraphs can be edited)."""
        return any(e.kind is kind and e.status == "draft" for e in self.entries)

    def action_edit_letter(self) -> None:
        kind = self.highlighted
        if kind is not None:
            self.find_draft(kind)

    def action_edit_unprepared(self) -> None:
        # Asked of the database too: `p e` typed at once finds the letter `p` has just
        # prepared, before the screen has read it again.
        self.action_edit_letter()

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-edit-open")
    def find_draft(self, kind: LetterKind) -> None:
        from crm_tui.services.letters import editing

        with session():
            letter_id = editing.draft_for(self.crm_app.actor, self.reference, kind)
        if letter_id is None:
            deliver(self, self._not_prepared, kind)
            return
        deliver(self, self._open_editor, letter_id)

    def _not_prepared(self, kind: LetterKind) -> None:
        """Nothing was refused signing: there is nothing to edit yet (AH4: said under the
        heading "Not signed")."""
        self.notify(f"Nothing to edit yet: the letter {quoted(kind.short)} is not "
                    "prepared. Press p to prepare it for signing; its paragraphs can then be "
                    "reworded with e.", title=f"Not prepared · {self.reference}",
                    severity="warning", markup=False)

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
        if self.on_screen is not kind:
            # Not yet on screen: signing now would attest words never shown.
            self.notify(NOT_YET_SHOWN, title=reference, severity="warning", markup=False)
            return
        if self.has_class("-one-panel") and not self.has_class("-reading") \
                and self._read != (kind, self._shown_body):
            self.notify(NOT_READ_HERE, title=reference, severity="warning", markup=False)
            return
        if self._missing[0] is kind and self._missing[1]:
            # It cannot be sent as it stands: said at once, not after "Sign and issue …?"
            # and the passphrase (v15l W11).
            self.notify(self.cannot_sign(kind, self._missing[1]), title=reference,
                        severity="warning", markup=False, timeout=12)
            return
        # As shown now: what the preview holds of this letter (None only when it could not be
        # composed: the service then refuses, saying why).
        as_read = self.as_read[1] if self.as_read and self.as_read[0] is kind else None
        self.sign_with(lambda secret: issuing.sign_and_export(actor, reference, kind, folder,
                                                              secret, as_read=as_read),
                       self._signed,
                       question=" ".join(filter(None, (self.format_caution, signing_question(
                           actor, f"the letter \"{kind.label}\" ({reference})",
                           self.customer_name or "the customer")))))

    def cannot_sign(self, kind: LetterKind, missing: list[str]) -> str:
        """Why `s` signs nothing: what the letter on screen lacks, and where its words are
        changed (a date already past in what was typed for the customer: prepared, e edits
        them; not yet, p prepares it first)."""
        said = "Not signed: the letter cannot be sent: " + "; ".join(missing) + "."
        if not any("already past" in m for m in missing):
            return said
        if kind in self.prepared:
            return said + " To change its words, press e."
        return said + " To change its words, press p to prepare it, then e."

    def action_accessible_copy(self) -> None:
        entry = self.entry
        if entry is not None and entry.status == "issued":
            self.run_accessible_copy(entry)

    @work(thread=True, exclusive=True, exit_on_error=False, group="letter-accessible",
          name=IN_BACKGROUND)
    def run_accessible_copy(self, entry: LetterInfo) -> None:
        # Beside the letter's file in the letters folder (the name it was issued under).
        pdf = self.crm_app.config.letters_path() / (entry.file_name or f"letter-{entry.id}.pdf")
        try:
            with session():
                copies = accessible.export_letter(self.crm_app.actor, entry.id, pdf)
        except DomainError as exc:
            deliver(self, self._not_copied, str(exc))
            return
        # A letter not to be sent says so, as its copies do first (issue 15 AU1, AU2).
        notice = f"{copies.notice}\n" if copies.notice else ""
        deliver(self, self._done, f"{notice}Accessible copy written: {copies.text} and "
                                  f"{copies.html.name}"
                                  + ("; each opens with this notice" if notice else ""),
                bool(notice))

    def _not_copied(self, message: str) -> None:
        self.notify(message, title="No accessible copy", severity="error", markup=False,
                    timeout=12)

    def _signed(self, issued: IssuedLetter) -> None:
        self._signed_id = issued.letter_id
        self._done(f"Signed, issued and registered as letter {issued.letter_id}.\n"
                   + (f"{issued.post_by}\n" if issued.post_by else "")
                   + path_lines(issued.path))

    def action_export_copy(self) -> None:
        entry = self.entry
        if entry is not None:
            self.export_copy_of(entry)

    def action_resend(self) -> None:
        entry = self.entry
        if entry is not None:
            self.resend_of(entry)

    def action_resend_refused(self) -> None:
        self.resend_refused(self.entry, self.appeal_signer)

    def copies_done(self, message: str, not_to_send: bool = False) -> None:
        self._done(message, not_to_send)

    def _done(self, message: str, not_to_send: bool = False) -> None:
        if not_to_send:
            self.notify(message, title=f"{self.reference}: not to be sent", severity="warning",
                        markup=False, timeout=20)
        else:
            self.notify(message, title=self.reference, markup=False, timeout=10)
        self.load()
