"""Letters across all cases: those prepared and waiting to be signed — signed one at a time
or all in one go, with a progress bar — and the register of every letter issued (or, where the
policy's decision not to write was recorded, not sent), with the date each bears and its
appeal-by date. An issued letter can be exported again (the very same file) or re-sent as a
marked duplicate. `v` checks a PDF file against the register."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import DescendantFocus
from textual.widgets import DataTable, ProgressBar, Static

from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, PermissionDenied
from crm_tui.domain.letters import LetterKind, may_sign, require_signer
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import leftovers
from crm_tui.services.core.database import session
from crm_tui.services.letters import issuing, posting, verification
from crm_tui.services.letters.issuing import AsRead, LetterInfo
from crm_tui.services.letters.posting import UnpostedLetter
from crm_tui.services.letters.verification import Verification
from crm_tui.ui.delivery import deliver, deliver_latest
from crm_tui.ui.dialogs.path_prompt import PathDialog
from crm_tui.ui.guide import APPEAL, LETTER, Guide
from crm_tui.ui.letter_copies import LetterCopies, appeal_by, dated
from crm_tui.ui.posting import POST_TODAY_BINDING, PostTodayActions, none_to_post, poster_refusal
from crm_tui.ui.refused_keys import key_answer
from crm_tui.ui.screens.base import AreaScreen
from crm_tui.ui.screens.case_letters import (
    SHORT_DATES_BELOW,
    WHOLE,
    short_date,
    short_status,
)
from crm_tui.ui.signing_flow import signing_question
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.fitted_table import Col, FittedTable

REGISTER_ROWS = 500  # the latest; `crm-tui letters list` prints the whole register
NOTHING_WAITING = "Nothing is waiting to be signed."
NONE_YOURS = "None of the letters waiting is yours to sign."
CHANGED_SINCE_LISTED = ("Its words changed after this list first showed it: s and A refuse it "
                        "here, where no words are shown; Enter opens its case, where its "
                        "letters (W) show it as it now is and s there signs it as shown.")
# The list shows no words: a letter changed since it was listed is signed only where its words
# are shown, the case's letters, which sign what they showed (found when tried: after one
# refusal the next `s` or `A` signed the changed words unread, v16h H2; and opening the case
# cleared the mark though the case file shows no letter, and `s` back here signed them, v16i V3).
READ_IT_FIRST = ("not signed: its words changed after this list first showed it, and the list "
                 "shows no words: read and sign it in its case's letters (Enter opens its "
                 "case, then W). Nothing was signed.")



# The case and the letter first; then its status and date, its number and the date the
# customer may appeal by; who prepared or signed it (said in the detail under the list) goes
# first. Each column is shown whole or not at all, as W's register (fixAH, fixAK): below
# SHORT_DATES_BELOW the letter is named short ("Decision to restrict"), its dates are short
# ("15 Nov 26") and its status too ("posted"; the line under the list gives it in full). At
# 100x30 the status was cut to "posted …", the letter to "Decision to restrict c…" (fixAL AL2).
LETTER_COLUMNS = (Col("id", "No.", priority=2, min_width=WHOLE),
    Col("case", "Case", priority=0, min_width=WHOLE),
    Col("kind", "Letter", priority=0, min_width=WHOLE),
    Col("dated", "Dated", priority=1, min_width=WHOLE),
    Col("appeal", "Appeal by", priority=3, min_width=WHOLE),
    Col("status", "Status", priority=1, min_width=WHOLE),
    Col("who", "Prepared / signed", priority=4, min_width=14, max_width=40),
)
# The columns the line under a list gives in full when the list leaves any out.
ROW_COLUMNS = ("id", "kind", "dated", "appeal", "status")


def why_not_signer(actor: Actor, e: LetterInfo) -> str | None:
    """Why `actor` may not sign the waiting letter `e` (who signs it); None if they may. An
    appeal outcome letter only by the person who decided the appeal, whatever their role."""
    try:
        require_signer(actor, e.kind, e.appeal_decider)
    except PermissionDenied as exc:
        return str(exc)
    return None


def signs_any(actor: Actor, waiting: list[LetterInfo]) -> bool:
    """Whether `actor` may sign any of the letters `waiting`: "Sign all" is offered only then."""
    return any(why_not_signer(actor, e) is None for e in waiting)


def cautions(actor: Actor, letters: list[LetterInfo]) -> list[str]:
    """What is said before signing these letters (issuing.format_caution), read as they are
    signed (issue 15 BA2: LetterInfo.caution, read with the list, was said of adjustments
    changed since, until the area was read again): as it is for one; for several, each case's
    once, named by its reference."""
    now: dict[str, str] = {}
    with session():
        for e in letters:
            if e.reference not in now:
                try:
                    now[e.reference] = issuing.format_caution(actor, e.reference)
                except DomainError:  # the signing itself refuses it, saying why
                    now[e.reference] = e.caution
    if len(letters) == 1:
        return [now[letters[0].reference]] if now[letters[0].reference] else []
    said: dict[str, str] = {}
    for e in letters:
        if now[e.reference] and e.reference not in said:
            said[e.reference] = (f"{e.reference} ({e.customer_name or 'the customer'}): "
                                 f"{now[e.reference]}")
    return list(said.values())


def why_not_sign_all(actor: Actor) -> str | None:
    """Why "Sign all" cannot be done now, asked of the database (the palette, from any
    screen): "" if it can; None if the person's role signs no letter at all (it is then not
    offered to them, as its key is not)."""
    if not any(may_sign(actor, kind) for kind in LetterKind):
        return None
    with session():
        waiting = issuing.drafts(actor)
    if signs_any(actor, waiting):
        return ""
    return NONE_YOURS if waiting else NOTHING_WAITING


def why_not_post_today(actor: Actor) -> str | None:
    """Why "Post today" (P here) cannot work now, for the palette from any screen ("" if it
    can; None for a role that does not post, to whom its key is not offered)."""
    if poster_refusal(actor):
        return None
    with session():
        waiting = posting.unposted(actor)
    if any(u.has_pdf for u in waiting):
        return ""
    return none_to_post(list(waiting))


class LettersScreen(PostTodayActions, LetterCopies, AreaScreen):
    MODE = "letters"
    AUTO_FOCUS = "#drafts"
    CSS_PATH = "letters_area.tcss"
    GUIDE = Guide("Letters",
                  "Letters waiting to be signed, and the register of every letter issued with its "
                  "signature and hash.",
                  (LETTER, APPEAL))
    BINDINGS = [
        Binding("s", "sign_one", "Sign this", id="letters-sign-one",
                tooltip="Sign and issue the highlighted letter to the customer as a signed PDF"),
        Binding("A", "sign_all", "Sign all", id="letters-sign-all",
                tooltip="Sign every letter waiting, in one go (your passphrase is asked for once)"),
        Binding("v", "verify", "Verify a PDF", id="letters-verify",
                tooltip="Check a PDF file against the register of letters, to prove a copy "
                        "genuine"),
        Binding("x", "export_copy", "Export a copy", id="letters-area-export-copy",
                tooltip="Save a copy of the issued letter's PDF (the same file; the register is "
                        "unchanged)"),
        Binding("r", "resend", "Re-send as duplicate", id="letters-area-resend",
                tooltip="Send a lost letter again, signed anew and marked as a duplicate"),
        Binding("r", "resend_refused", show=False),
        POST_TODAY_BINDING,
        # s, A and P are offered only when they can act (the letter highlighted theirs to
        # sign, a letter waiting theirs to sign, letters to post); otherwise the same key
        # says why (see check_action). v15c F2: `s Sign this` was offered to the Service
        # Director over a letter only the CRM signs, and refused when pressed.
        Binding("A", "sign_all_refused", show=False),
        Binding("s", "sign_one_refused", show=False),
        Binding("P", "post_today_refused", show=False),
        Binding("enter", "open_case", "Open case", show=False,
                tooltip="Open the case file of the highlighted letter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.waiting: list[LetterInfo] = []
        self.issued: list[LetterInfo] = []
        # Issued letters not yet posted: P is offered only when one has its signed copy
        # to print (b15d m5: offered with nothing to post).
        self.unposted: list[UnpostedLetter] = []
        # Each draft as this list first showed it (register number: its version and words):
        # a re-listing after an edit elsewhere does not move it, so that `s` signs only the
        # words that were there to be read, or refuses saying who changed them (v16g G7: the
        # list was re-read silently and the edited words signed).
        self.listed: dict[int, AsRead] = {}
        self._skipped_unread = ""  # the refusals of letters `A` left out as unread

    def compose_body(self) -> ComposeResult:
        yield Static("Waiting to be signed", classes="panel-title")
        # Enter opens the case of a letter waiting as of one in the register (v15d: it did
        # nothing on a waiting row, the list focused on entry, and was offered only after Tab).
        yield FittedTable(*LETTER_COLUMNS, id="drafts", cursor_type="row", zebra_stripes=True,
                          enter="Open case",
                          enter_offered=lambda: self.highlighted_waiting is not None)
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(id="progress-note")
        yield Static("Register of letters", classes="panel-title")
        # A signed letter an interrupted export left outside the register, where it is and
        # what to do (shown only then).
        yield Static(id="letters-leftover")
        # An empty register opens no case: Enter is offered only on a row (found when tried:
        # "⏎ Open case" stood over an empty register).
        yield FittedTable(*LETTER_COLUMNS, id="issued", cursor_type="row", zebra_stripes=True,
                          enter="Open case", enter_offered=lambda: self.entry is not None)
        yield Static(id="letters-detail")

    def on_mount(self) -> None:
        self.query_one("#progress", ProgressBar).display = False
        self.query_one("#letters-leftover", Static).display = False
        self.refresh_data()

    def refresh_data(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # Back from a case, where a changed draft may have been signed: its line follows.
        if self.is_mounted:
            self.detail()

    @work(thread=True, exclusive=True, exit_on_error=False, group="letters-area")
    def load(self) -> None:
        with session():
            waiting = issuing.drafts(self.crm_app.actor)
            latest = issuing.register(self.crm_app.actor, limit=REGISTER_ROWS)
            unposted = posting.unposted(self.crm_app.actor)
            left = [leftovers.unregistered_line(path)
                    for path in leftovers.unregistered_letters()]
        deliver_latest(self, self.show, waiting, latest, unposted, left)

    def show(self, waiting: list[LetterInfo], latest: list[LetterInfo],
             unposted: tuple[UnpostedLetter, ...] | list[UnpostedLetter] = (),
             left: list[str] | None = None) -> None:
        self.waiting, self.unposted = waiting, list(unposted)
        self._shown = (waiting, latest)
        leftover = self.query_one("#letters-leftover", Static)
        leftover.update(literal("\n".join(left or []), wrap=True))
        leftover.display = bool(left)
        self.listed = {e.id: self.listed.get(e.id, e.as_listed) for e in waiting}
        # A draft superseded since it was prepared is not waiting: the register lists it,
        # as superseded (v15n AC3).
        self.issued = [e for e in latest if e.status != "draft" or e.superseded]
        for table_id, rows in (("#drafts", self.waiting), ("#issued", self.issued)):
            table = self.query_one(table_id, DataTable)
            table.clear()
            short = self._short
            for e in rows:
                who = (f"{e.signed_by}, {e.signed_at:%d %b %Y}" if e.signed_at
                       else f"{e.prepared_by}, {e.created_at:%d %b %Y}")
                table.add_row(str(e.id), literal(e.reference),
                              literal(e.short if short else e.kind.label),
                              short_date(e.written_on) if short else dated(e),
                              short_date(e.appeal_by) if short else appeal_by(e),
                              literal(short_status(e) if short else e.shown_status),
                              literal(who), key=str(e.id))
        self.detail()

    _short = False  # the letters named short, their dates and status short (narrow)
    _shown: tuple[list[LetterInfo], list[LetterInfo]] | None = None

    def on_resize(self) -> None:
        short = self.size.width < SHORT_DATES_BELOW
        if short != self._short:
            self._short = short
            if self._shown is not None:
                self.show(*self._shown, self.unposted)

    @on(DataTable.RowHighlighted)
    @on(DescendantFocus)
    @on(FittedTable.Fitted)
    def detail(self) -> None:
        """The highlighted letter of the list in hand, in full."""
        in_register = self.focused is self.query_one("#issued", DataTable)
        table = self.query_one("#issued" if in_register else "#drafts", DataTable)
        rows = self.issued if in_register else self.waiting
        self.refresh_bindings()
        if not rows or not table.row_count:
            self.query_one("#letters-detail", Static).update(
                "" if in_register else f"{NOTHING_WAITING} Tab moves to the register.")
            return
        e = rows[min(table.cursor_row, len(rows) - 1)]
        first = [f"{e.id}. {e.kind.label}", e.reference]
        if self._short or (isinstance(table, FittedTable) and table.cuts(*ROW_COLUMNS)):
            # What the list leaves out or shortens, in full (as W's line under its register).
            if e.written_on:
                first.append(f"dated {dated(e)}")
            if e.appeal_by:
                first.append(f"appeal by {appeal_by(e)}")
        lines = [" · ".join([*first, e.shown_status])]
        if e.file_name:
            lines.append(f"File {e.file_name}")
        if e.signed_at:
            lines.append(f"Signed by {e.signed_by} on {in_prose(e.signed_at)} {e.signed_at:%H:%M}")
        else:  # the list leaves out who prepared it first, in a narrow terminal
            lines.append(f"Prepared by {e.prepared_by} on {in_prose(e.created_at)}")
            if self.listed.get(e.id, e.as_listed) != e.as_listed:
                lines.append(CHANGED_SINCE_LISTED)
        if e.sha256:
            lines.append(f"SHA-256 {e.sha256}")
            lines.append(f"Certificate {e.cert_fingerprint}")
        if e.note:
            lines.append(e.note)
        if e.superseded:  # why, as `letters list` says it (v15n AC4)
            lines.append(f"Superseded: {e.superseded}.")
        elif e.gone:  # why, and what comes of it, as W and `letters list` say it (fixAU2)
            lines.append(f"{issuing.never_sent(e.gone, e.gone_then)}.")
        self.query_one("#letters-detail", Static).update(literal("\n".join(lines), wrap=True))

    @property
    def in_register(self) -> bool:
        return self.focused is self.query_one("#issued", DataTable)

    @property
    def entry(self) -> LetterInfo | None:
        table = self.query_one("#issued", DataTable)
        if not self.issued or not table.row_count:
            return None
        return self.issued[min(table.cursor_row, len(self.issued) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("resend", "resend_refused"):
            now = self.may_resend_now(self.entry)
            return self.in_register and now is not None and now == (action == "resend")
        if action == "export_copy":
            return self.in_register and self.may_copy(self.entry, action)
        # Keys this person's role cannot use are not offered (they only refused): the same
        # rules the signing and posting apply.
        actor = self.crm_app.actor
        answer = key_answer(action,
                            ("sign_one", "sign_one_refused",
                             lambda: self.highlighted_waiting is not None
                             and why_not_signer(actor, self.highlighted_waiting) is None),
                            ("sign_all", "sign_all_refused",
                             lambda: signs_any(actor, self.waiting)),
                            ("post_today", "post_today_refused",
                             lambda: self.may_post() and self._to_print()))
        return True if answer is None else answer

    @property
    def highlighted_waiting(self) -> LetterInfo | None:
        """The letter highlighted in the list of those waiting to be signed."""
        table = self.query_one("#drafts", DataTable)
        if not self.waiting or not table.row_count:
            return None
        return self.waiting[min(table.cursor_row, len(self.waiting) - 1)]

    def action_sign_one_refused(self) -> None:
        e = self.highlighted_waiting
        why = why_not_signer(self.crm_app.actor, e) if e is not None else None
        if e is None or why is None:
            self.notify(NOTHING_WAITING, severity="warning")
            return
        also = "" if signs_any(self.crm_app.actor, self.waiting) else f" {NONE_YOURS}"
        self.notify(f"{e.reference}: {why}.{also}", severity="warning", markup=False)

    def action_sign_all_refused(self) -> None:
        self.notify(NONE_YOURS if self.waiting else NOTHING_WAITING, severity="warning")

    def _to_print(self) -> bool:
        return any(u.has_pdf for u in self.unposted)

    def key_refusal(self, action: str) -> str:
        """Why a key that cannot work now cannot, in the words the key itself says (the
        palette finds it all the same, saying why: v20 AW1, "post" found no *Post today*)."""
        actor = self.crm_app.actor
        if action == "post_today":
            return poster_refusal(actor) or self.nothing_said(self.unposted)
        if action == "sign_all":
            return NONE_YOURS if self.waiting else NOTHING_WAITING
        if action == "sign_one":
            e = self.highlighted_waiting
            why = why_not_signer(actor, e) if e is not None else None
            return NOTHING_WAITING if e is None or why is None else f"{e.reference}: {why}."
        if action == "resend" and self.entry is not None:
            return self.resend_refusal(self.entry)  # as `r` says it (fixBB BB5)
        return ""

    def action_post_today_refused(self) -> None:
        if self.may_post():
            self._open_post_today(self.unposted)  # nothing to post: says so at once
        else:
            self.action_post_today()  # says why, by the posting rule

    def action_export_copy(self) -> None:
        if self.entry is not None:
            self.export_copy_of(self.entry)

    def action_resend(self) -> None:
        if self.entry is not None:
            self.resend_of(self.entry)

    def action_resend_refused(self) -> None:
        self.resend_refused(self.entry)

    def copies_done(self, message: str, not_to_send: bool = False) -> None:
        if not_to_send:
            self.notify(message, title="Not to be sent", severity="warning", markup=False,
                        timeout=20)
        else:
            self.notify(message, title="Letters", markup=False, timeout=10)
        self.load()

    def _folder(self) -> Path:
        return self.crm_app.config.letters_path()

    def action_sign_one(self) -> None:
        e = self.highlighted_waiting
        if e is not None:
            self._sign([e])

    def action_sign_all(self) -> None:
        self._sign(list(self.waiting))

    def _changed_since_listed(self, e: LetterInfo) -> bool:
        return self.listed.get(e.id, e.as_listed) != e.as_listed

    def _sign(self, chosen: list[LetterInfo]) -> None:
        actor = self.crm_app.actor
        mine = [e for e in chosen if why_not_signer(actor, e) is None]
        if not mine:
            self.notify(NONE_YOURS, severity="warning")
            return
        # Refused at once, with no question or passphrase: the change is already known; and
        # a letter superseded since it was prepared (v15m: refused only after the passphrase).
        gone = [e for e in mine if e.superseded]
        mine = [e for e in mine if not e.superseded]
        unread = [e for e in mine if self._changed_since_listed(e)]
        mine = [e for e in mine if not self._changed_since_listed(e)]
        skipped = "".join(f"\n{e.reference}: {READ_IT_FIRST}" for e in unread) + "".join(
            f"\n{e.reference}: letter {e.id} ({e.kind.short.lower()}) is superseded and not "
            f"signed: {e.superseded}." for e in gone)
        unread += gone
        if not mine:
            self.notify(f"0 signed, {len(unread)} not signed{skipped}", title="Letters",
                        severity="warning", markup=False, timeout=12)
            return
        self._skipped_unread = skipped
        bar = self.query_one("#progress", ProgressBar)
        bar.display = True
        bar.update(total=len(mine), progress=0)
        folder, ids = self._folder(), [e.id for e in mine]
        # Each as first listed: one changed since (edited in another copy of the app, or its
        # case's record) is not signed, and said why; it is listed anew once said.
        listed = {e.id: self.listed.get(e.id, e.as_listed) for e in mine}

        def step(secret: str | None) -> list[tuple[str, str]]:
            # Open the key first: a missing passphrase is asked for once, before any signing.
            from crm_tui.services.letters import signing_keys

            signing_keys.open_signer(actor.login, secret)
            return issuing.sign_many(actor, ids, folder, secret, self._progress,
                                     listed=listed)

        if len(mine) == 1:
            what = f"the letter \"{mine[0].kind.label}\" ({mine[0].reference})"
            question = signing_question(actor, what, mine[0].customer_name)
        else:
            question = signing_question(actor, f"{counted(len(mine), 'letter')} (" + ", ".join(
                f"{e.reference} to {e.customer_name or 'the customer'}" for e in mine[:6])
                + (", …" if len(mine) > 6 else "") + ")", "")
        # Said first, as the case's letters say it (issue 15 AX2): a customer's adjustments
        # recorded and their letter in standard print. `n` (Not now) signs none of them.
        question = " ".join(filter(None, (*cautions(actor, mine), question)))
        self.sign_with(step, lambda results: self._all_signed(results, ids),
                       question=question)

    def _progress(self, done: int, total: int, reference: str) -> None:
        deliver(self, self._advance, done, total, reference)

    def _advance(self, done: int, total: int, reference: str) -> None:
        self.query_one("#progress", ProgressBar).update(progress=done)
        self.query_one("#progress-note", Static).update(literal(
            f"Signed {done} of {total} (last: {reference})"))

    def _all_signed(self, results: list[tuple[str, str]], ids: list[int]) -> None:
        failed = [r for r in results if r[1].startswith("not signed")]
        # Those refused as changed keep their mark until read (Enter): saying so is not
        # reading them, and the list shows no words (found when tried: the mark was cleared
        # here, and the next `s` signed the changed words unread).
        skipped, self._skipped_unread = self._skipped_unread, ""
        unread = skipped.count("\n")
        self.notify(f"{len(results) - len(failed)} signed, {len(failed) + unread} not signed"
                    + ("".join(f"\n{ref}: {why}" for ref, why in failed)) + skipped,
                    title="Letters", markup=False, timeout=12,
                    severity="warning" if failed else "information")
        self.load()

    def action_verify(self) -> None:
        self.app.push_screen(PathDialog(
            "Verify a letter", "The PDF's signature is checked, and that it matches a letter "
            "in the register, unchanged.", verification.verify, go="Verify the letter"),
            self._verified)

    def _verified(self, result: Verification | None) -> None:
        if result is None:
            return
        registered = result.letter is not None
        mark = ("\nSelf-signed certificate: made by its signer, not issued by the council's "
                "certificate authority." if result.self_signed and registered else "")
        if result.genuine:  # (of a file since destroyed too: said in its line)
            self.notify(result.said + mark,
                        title="Genuine", markup=False, timeout=12)
        else:
            self.notify(result.said + mark, title="Not genuine",
                        severity="error", markup=False, timeout=15)

    @on(DataTable.RowSelected, "#issued")
    @on(DataTable.RowSelected, "#drafts")
    def row_chosen(self) -> None:
        # The table takes Enter before the screen's binding: the row's selection opens it.
        self.action_open_case()

    def action_open_case(self) -> None:
        from crm_tui.ui.screens.case_file import CaseFileScreen

        e = self.entry if self.in_register else self.highlighted_waiting
        if e is not None:
            # The mark stays: the case file shows no letter, and the case's letters sign only
            # what they showed (a draft signed there leaves this list).
            self.app.push_screen(CaseFileScreen(e.reference))
