""""Post today" (P in the Letters area): the letters signed and not yet posted, the class of
post (and each letter's recorded-delivery number when sent recorded), then — in a worker —
the print pack for the print room and the posting recorded. A refusal is shown at its field
(a recorded-delivery number under its letter), every one at once, and nothing is made or
stored."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, RadioSet, Static

from crm_tui import clock
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.posting import PostClass
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.letters import posting
from crm_tui.services.letters.posting import PostedToday, UnpostedLetter
from crm_tui.ui.changes import CaseChanged, FollowsChanges
from crm_tui.ui.confirm import acting_as
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog, save_binding
from crm_tui.ui.dialogs.base import _field_and_words_in_sight as in_sight
from crm_tui.ui.dialogs.posting_question import posting_question
from crm_tui.ui.forms import Check, a_date, clear_field_error, field, parse_date
from crm_tui.ui.guide import LETTER, Guide
from crm_tui.ui.text import literal, said
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.tick_marks import RadioButton

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

CLASSES = tuple(PostClass)
# The dialog's own width around its list: its border (2), padding (4) and a scrollbar (2); and
# the least it is made, for the post classes side by side and the posting date.
FRAME = 8
LEAST_WIDTH = 84
SAVE_WORDS = "Record posting, make pack"
ENTER_WORDS = "Leave out / put back"
# The keys of its own footer, as drawn (" key words " each), and the box around it: the
# dialog is never narrower than they need while the screen has room (fixBB BB4: with one
# short letter listed it took its least width, and `tab Next field` was left off).
FOOTER_KEYS = (("\u23ce", ENTER_WORDS), ("tab", "Next field"), ("ctrl+s", SAVE_WORDS),
               ("esc", "Cancel"))
KEYS_WIDTH = sum(len(key) + len(words) + 3 for key, words in FOOTER_KEYS) + 6
POST_TODAY_BINDING = Binding("P", "post_today", "Post today", id="letters-post-today",
                             tooltip="Record today's posting of the signed letters (class and "
                                     "tracking number) and make their print pack")


class PostTodayDialog(FollowsChanges, FormDialog):
    DEFAULT_CSS = """
    PostTodayDialog { align: center middle; }
    PostTodayDialog > VerticalScroll {
        width: 84; max-width: 100%; height: auto; max-height: 95%; border: thick $accent;
        background: $surface; padding: 0 2;
    }
    PostTodayDialog .title { text-style: bold; margin-top: 1; }
    PostTodayDialog #post-letters { height: auto; max-height: 10; margin-top: 1; }
    PostTodayDialog #not-kept { color: $warning; height: auto; }
    PostTodayDialog #cannot-go { color: $warning; height: auto; }
    PostTodayDialog #superseded, PostTodayDialog #superseded-past { color: $warning; height: auto; }
    PostTodayDialog #relisted { color: $warning; height: auto; text-style: bold; }
    PostTodayDialog RadioSet { width: 100%; margin-top: 1; layout: horizontal; }
    PostTodayDialog #recorded { height: auto; max-height: 12; display: none; }
    PostTodayDialog #recorded.-shown { display: block; }
    PostTodayDialog .number { height: 3; }
    PostTodayDialog .number Label { width: 1fr; padding: 1 1 0 0; }
    PostTodayDialog .number Input { width: 24; }
    PostTodayDialog #posted_on { width: 24; }
    PostTodayDialog .field-error { color: $error; }
    PostTodayDialog .-problem { border: tall $error; }
    PostTodayDialog #form-error { color: $error; height: auto; }
    PostTodayDialog #working { color: $text-muted; height: auto; }
    PostTodayDialog #keys { color: $text-muted; margin-bottom: 1; }
    """
    GUIDE = Guide("Post today",
                  "Make the posting pack for signed letters and record their posting: date, class "
                  "and tracking number.",
                  (LETTER,))
    # Short, beside Enter's and esc in the dialog's own footer at its narrowest (v20 AW3: at
    # 84 columns "esc Cancel" was the key left off).
    BINDINGS = [save_binding(SAVE_WORDS, action="post",
                             tooltip="Make the print pack and record that the letters ticked "
                                     "are posted today")]
    DISCARD = "what you chose and typed for today's post"

    def __init__(self, waiting: list[UnpostedLetter], scope: str | None = None) -> None:
        super().__init__()
        self.going = [u for u in waiting if u.has_pdf]
        self.not_kept = [u for u in waiting if not u.has_pdf]
        # Letters not going today (Enter on the list); those that cannot go out today (a date
        # they give has passed) start left out, and say why.
        # A decision's letter overtaken by an appeal since starts left out too: posting it
        # beside the outcome is the team's choice (Enter puts it back).
        self.left_out: set[int] = {u.id for u in self.going if u.cannot_go or u.superseded}
        self.busy = False
        self.scope = scope  # the case whose letters it posts (None: every case one may see)
        self.changes: list[str] = []  # what changed while it was open, each with why

    def compose(self) -> ComposeResult:
        # Scrolls: at 80x24 the problem under Posted on was below the box's edge, out of
        # reach (found when tried); the cursor's field and its problem are scrolled to.
        with VerticalScroll(id="post-form"):
            yield Static(self._title(), classes="title", id="post-title")
            yield FittedTable(Col("Goes", "Goes", priority=0, min_width=4),
                              Col("No.", "No.", priority=1, min_width=3),
                              Col("Case", "Case", priority=0, min_width=13),
                              Col("Letter", "Letter", priority=0, min_width=20),
                              Col("Dated", "Dated", priority=1, min_width=11),
                              Col("Appeal by", "Appeal by", priority=2, min_width=11),
                              id="post-letters", cursor_type="row", zebra_stripes=True,
                              enter=ENTER_WORDS)
            # What changed while the dialog was open (another window, the command line, a
            # colleague), said until it closes (fixAL AL1).
            yield Static("", id="relisted")
            yield Static("", id="cannot-go")
            yield Static("", id="superseded-past")
            yield Static("", id="superseded")
            yield Static("", id="not-kept")
            with RadioSet(id="post-class"):
                for klass in CLASSES:
                    yield RadioButton(klass.label.capitalize(), id=f"class-{klass.value}",
                                      value=klass is PostClass.FIRST)
            with VerticalScroll(id="recorded"):
                yield Label("Each letter's recorded-delivery number, from the post office's "
                            "receipt:")
                for u in self.going:
                    yield from self._number_field(u)
            yield from field("Posted on", Input(f"{clock.today():%d/%m/%Y}", id="posted_on"))
            yield Static("", id="form-error")
            yield Static("", id="working")
            yield Static("Enter on a letter leaves it out (or puts it back) · ←→ and space "
                         "choose the class", id="keys")

    @staticmethod
    def _number_field(u: UnpostedLetter) -> list[Widget]:
        """A letter's recorded-delivery number and the line for its problem. A letter left
        out takes no number: its field is hidden while it is (v15i M3: it was shown, and a
        number typed there was never checked)."""
        # Named as the service names its field: its refusal lands here.
        number = Horizontal(Label(literal(f"Letter {u.id} · {u.reference} · {u.kind.label}")),
                            Input(id=f"tracking_{u.id}", placeholder="from the receipt"),
                            classes="number", id=f"number-{u.id}")
        error = Label("", id=f"tracking_{u.id}-error", classes="field-error")
        error.display = False
        return [number, error]

    def on_mount(self) -> None:
        table = self.query_one("#post-letters", DataTable)
        for u in self.going:
            table.add_row(*self._cells(u), key=str(u.id))
            self._number_shown(u.id)
        self._notes()
        self._fit_width()

    def first_field(self) -> Widget | None:
        """The cursor starts on the list of letters, the first thing to choose (fixAR AR2: it
        started on the post classes, below the list it is about)."""
        if self.going:
            return self.query_one("#post-letters", DataTable)
        return super().first_field()

    def on_resize(self) -> None:
        self._fit_width()

    def _fit_width(self) -> None:
        """As wide as its list wants, whole, but never wider than the screen (fixAR AR1: 110
        columns fixed, it ran off a 100-column screen, cutting the reasons mid-word, and cut
        the letter's name at 200 columns with room to spare); the words under it wrap."""
        table = self.query_one("#post-letters", FittedTable)
        want = max(LEAST_WIDTH, KEYS_WIDTH, table.natural_width() + FRAME)
        self.query_one("#post-form", VerticalScroll).styles.width = min(want, self.size.width)

    def _title(self) -> str:
        """How many letters wait, and how many are ticked to go today: kept true as the
        ticks change (fixAR AR2: it counted the letters listed, whatever was ticked). The
        same words for one letter as for many (fixBB BB4: one read "· ticked to go", with
        no count before "ticked")."""
        ticked = sum(1 for u in self.going if u.id not in self.left_out)
        if not self.going:
            return f"Post today: {counted(0, 'signed letter')} not yet posted"
        over = sum(1 for u in self.going if u.superseded)
        # Superseded ones counted apart: they are not for posting (issue 15 AZ Z2).
        return (f"Post today: {counted(len(self.going) - over, 'signed letter')} to post; "
                + (f"{over} superseded; " if over else "") + f"{ticked} ticked")

    def _cells(self, u: UnpostedLetter) -> tuple[str | Text, ...]:
        return ("—" if u.id in self.left_out else "✓", str(u.id), literal(u.reference),
                literal(u.kind.label + (f" (copy of letter {u.duplicate_of})" if u.duplicate_of
                                        else "") + (" — superseded (below)" if u.superseded
                                                    else " — cannot go (below)"
                                                    if u.cannot_go else "")),
                # No appeal date: nothing, so that the column goes when no letter listed has
                # one, and the letter's name has its room (fixAR AR1).
                f"{u.dated:%d %b %Y}", f"{u.appeal_by:%d %b %Y}" if u.appeal_by else "")

    def _notes(self) -> None:
        """The words under the list: what cannot go and why, what is superseded, what is not
        in the pack, and what changed since the dialog opened; each shown only when it has
        something to say."""
        self.query_one("#post-title", Static).update(self._title())
        stale = [u for u in self.going if u.cannot_go and not u.superseded]
        said = ""
        if stale:  # in full: the list's column is too narrow for the reason
            who = "; ".join(dict.fromkeys(u.write_again for u in stale))
            said = ("Cannot go out today: " + "; ".join(
                f"letter {u.id} ({u.reference}): {u.cannot_go}" for u in stale) + ". "
                + who[:1].upper() + who[1:] + ".")
        self._note("#cannot-go", said)
        # Superseded first, whatever its dates (issue 15 AZ Z1): one past its dates as well
        # cannot go in any case, and nothing is written again for it.
        past = [u for u in self.going if u.superseded and u.cannot_go]
        self._note("#superseded-past", "Superseded, and cannot go in any case: " + "; ".join(
            f"letter {u.id} ({u.reference}, {u.kind.label}, dated {in_prose(u.dated)}) "
            f"{u.left_out_why[3:]}" for u in past) + "." if past else "")
        overtaken = [u for u in self.going if u.superseded and not u.cannot_go]
        them = "it" if len(overtaken) == 1 else "them"
        self._note("#superseded", f"Left out unless you put {them} back (Enter): " + "; ".join(
            f"letter {u.id} ({u.reference}, {u.kind.label}, dated "
            f"{in_prose(u.dated)}) is superseded: {u.superseded}" for u in overtaken)
            + (". It was signed and issued and stays on the record; post it too only if the "
               "customer should have it." if len(overtaken) == 1 else
               ". They were signed and issued and stay on the record; post any of them too only "
               "if the customer should have it.") if overtaken else "")
        self._note("#not-kept", "Not in the pack (issued before signed copies were kept; "
                   "print them from the letters folder and record them with crm-tui letters "
                   "post --no-pack --letter N): " + ", ".join(
                       f"letter {u.id} ({u.reference})" for u in self.not_kept)
                   if self.not_kept else "")
        self._note("#relisted", " ".join(self.changes))

    def _note(self, selector: str, words: str) -> None:
        note = self.query_one(selector, Static)
        note.update(literal(words, wrap=True) if words else "")
        note.display = bool(words)

    # Read again when a letter it lists changes elsewhere (fixAL AL1: an address changed in
    # another window left a letter that could no longer go ticked, and saving refused it).

    def concerns(self, change: CaseChanged) -> bool:
        return self.scope is None or change.reference == self.scope

    def show_again(self) -> None:
        if self.busy:  # its own posting under way: read again if that is refused
            self.outdated = True
            return
        self._read_again()

    @work(thread=True, exclusive=True, exit_on_error=False, group="post-today-again")
    def _read_again(self) -> None:
        app = cast("CrmApp", self.app)
        with session():
            waiting = posting.unposted(app.actor, self.scope)
            listed = {u.id for u in self.going} | {u.id for u in self.not_kept}
            gone = posting.why_gone(app.actor, listed - {u.id for u in waiting})
        deliver(self, self.relist, waiting, gone)

    def relist(self, waiting: list[UnpostedLetter], gone: dict[int, str]) -> None:
        """The letters waiting now, in place of those listed: the ticks kept on letters still
        listed; a letter that can no longer go (the customer moved, a date it gives passed)
        or is superseded since left out; each change said, with why."""
        if self.busy:
            self.outdated = True
            return
        before = {u.id: u for u in [*self.going, *self.not_kept]}
        going = [u for u in waiting if u.has_pdf]
        said: list[str] = []
        for letter_id, why in gone.items():
            u = before[letter_id]
            said.append(f"Letter {u.id} ({u.reference}, {u.kind.label}) has left the list: "
                        f"{why}.")
        for u in going:
            was = before.get(u.id)
            if was is None:
                said.append(f"Letter {u.id} ({u.reference}, {u.kind.label}) was signed since "
                            "and is added" + (": it starts left out (below)."
                                              if u.cannot_go or u.superseded else "."))
                if u.cannot_go or u.superseded:
                    self.left_out.add(u.id)
            elif u.cannot_go and not was.cannot_go:
                said.append(f"Letter {u.id} ({u.reference}, {u.kind.label}) can no longer go "
                            f"and is left out: {u.cannot_go}.")
                self.left_out.add(u.id)
            elif u.superseded and not was.superseded:
                said.append(f"Letter {u.id} ({u.reference}, {u.kind.label}) is left out: it "
                            f"is superseded since: {u.superseded}.")
                self.left_out.add(u.id)
        if not said and [u.id for u in going] == [u.id for u in self.going]:
            if going != self.going:  # the same letters, read again: their words kept true
                self.going = going
                self._notes()
            return
        self.changes = [*self.changes, *said] if said else self.changes
        ids = {u.id for u in going}
        self.left_out &= ids
        table = self.query_one("#post-letters", DataTable)
        for u in self.going:
            if u.id not in ids:
                table.remove_row(str(u.id))
                self.query_one(f"#number-{u.id}").remove()
                self.query_one(f"#tracking_{u.id}-error").remove()
                if self._refused:
                    self._refused.pop(f"tracking_{u.id}", None)
        kept = {u.id for u in self.going}
        numbers = self.query_one("#recorded", VerticalScroll)
        for u in going:
            if u.id in kept:
                for column, cell in zip(("Goes", "No.", "Case", "Letter", "Dated",
                                         "Appeal by"), self._cells(u), strict=True):
                    table.update_cell(str(u.id), column, cell)
            else:
                table.add_row(*self._cells(u), key=str(u.id))
                numbers.mount_all(self._number_field(u))
        self.going = going
        self.not_kept = [u for u in waiting if not u.has_pdf]
        self.call_after_refresh(self._numbers_shown)
        self._notes()
        self._fit_width()
        if said:
            self.notify(" ".join(said), title="Post today: the list changed",
                        severity="warning", markup=False)

    def _numbers_shown(self) -> None:
        for u in self.going:
            self._number_shown(u.id)

    def _number_shown(self, letter_id: int) -> None:
        """A letter's recorded-delivery number field, shown only while the letter goes; left
        out, its problem shown under it goes too."""
        going = letter_id not in self.left_out
        self.query_one(f"#number-{letter_id}").display = going
        if not going:
            clear_field_error(self, f"tracking_{letter_id}")
            if self._refused:
                self._refused.pop(f"tracking_{letter_id}", None)

    def checks(self) -> dict[str, Check]:
        return {"posted_on": a_date("Type the day the letters are posted, like 28/11/2026",
                                     past=True)}

    @property
    def chosen(self) -> PostClass:
        pressed = self.query_one(RadioSet).pressed_index
        return CLASSES[pressed] if pressed >= 0 else PostClass.FIRST

    @on(RadioSet.Changed)
    def show_numbers(self) -> None:
        self.query_one("#recorded").set_class(self.chosen is PostClass.RECORDED, "-shown")

    @on(DataTable.RowSelected, "#post-letters")
    def leave_out(self, event: DataTable.RowSelected) -> None:
        """Enter on a letter leaves it out of today's post (or puts it back). A letter that
        cannot go out today is not put back: Enter says why at once (fixAR AR2: it was ticked
        again, and refused only at the second ctrl+s)."""
        letter_id = int(str(event.row_key.value))
        letter = next((u for u in self.going if u.id == letter_id), None)
        if letter is not None and letter.cannot_go and letter_id in self.left_out:
            words = [said(f"letter {letter.id} ({letter.reference}, {letter.kind.label}): "
                          f"{letter.left_out_why}"), "It stays left out."] if letter.superseded \
                else [said(f"letter {letter.id} ({letter.reference}, {letter.kind.label}) "
                          f"cannot go out today: {letter.cannot_go}"),
                     said(letter.write_again), "It stays left out."]
            self.notify(" ".join(w for w in words if w), title="Not put back",
                        severity="warning", markup=False)
            return
        self.left_out ^= {letter_id}
        event.data_table.update_cell(event.row_key, "Goes",
                                     "—" if letter_id in self.left_out else "✓")
        self._number_shown(letter_id)
        self.query_one("#post-title", Static).update(self._title())

    def action_post(self) -> None:
        if self.busy:
            return
        chosen = [u.id for u in self.going if u.id not in self.left_out]
        numbers = ({i: self.query_one(f"#tracking_{i}", Input).value for i in chosen}
                   if self.chosen is PostClass.RECORDED else {})
        klass = self.chosen
        if not self.checked():
            # The date the form refuses itself (unreadable, still to come) stops the whole
            # posting being checked: the numbers' problems are shown beside it all the same,
            # every one at once (fixG G4: a number already recorded for another letter was
            # told only at the next save, once the date was put right).
            if chosen and klass is PostClass.RECORDED:
                self.numbers_too(chosen, klass, numbers)
            return
        day = parse_date(self.query_one("#posted_on", Input).value)
        if not chosen:
            self.form_error("Every letter is left out: Enter on a letter puts it back.")
            return
        going = [u for u in self.going if u.id in chosen]
        question = posting_question(going, day, klass, numbers,
                                    acting_as(cast("CrmApp", self.app).actor))
        actor = cast("CrmApp", self.app).actor
        self.confirm_then(question, lambda: posting.check_posting(actor, chosen, day, klass,
                                                                  numbers),
                          lambda: self._start(chosen, day, klass, numbers),
                          yes="Record the posting", no="Not yet")

    @work(thread=True, exclusive=True, exit_on_error=False, group="post-numbers")
    def numbers_too(self, chosen: list[int], klass: PostClass, numbers: dict[int, str]) -> None:
        """The recorded-delivery numbers checked while the date is refused by the form."""
        app = cast("CrmApp", self.app)
        try:
            with session():
                found = posting.number_problems(app.actor, chosen, klass, numbers)
        except DomainError as exc:  # a refusal by the rules: said as at any save
            deliver(self, self.form_error, str(exc))
            return
        if found:
            deliver(self, self.numbers_refused, found)

    def numbers_refused(self, found: list[ValidationError]) -> None:
        """Each number's problem at its letter, beside the date's (the cursor stays at the
        first problem the form found)."""
        for one in found:
            if self.query(f"#{one.field}-error"):
                self.refused_at(one.field, one.message, aim=False)
            else:
                self.form_error(one.message)

    def _start(self, chosen: list[int], day: date, klass: PostClass,
               numbers: dict[int, str]) -> None:
        self.busy = True
        self.query_one("#working", Static).update("Making the print pack…")
        self.post(chosen, day, klass, numbers)

    @work(thread=True, exclusive=True, exit_on_error=False, group="post-today")
    def post(self, ids: list[int], day: date, klass: PostClass,
             numbers: dict[int, str]) -> None:
        app = cast("CrmApp", self.app)
        try:
            with session():
                done = posting.post_today(app.actor, ids, day, klass, numbers)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self.dismiss, done)

    def show_error(self, error: DomainError) -> None:
        """Every problem the service found, each at its field (a letter's recorded-delivery
        number under that letter, the date under Posted on), as every form shows them; the
        list read again if a letter changed meanwhile."""
        self.busy = False
        self.query_one("#working", Static).update("")
        super().show_error(error)
        if self.outdated:
            self.catch_up_now()

    def aim_at_problem(self, widget: Widget) -> None:
        """As every form does; then once more when the words under the field have been laid
        out: at 80x24 they were what made the form overflow, and were still below its edge
        when it first scrolled (found when tried)."""
        super().aim_at_problem(widget)
        labels = list(self.query(f"#{widget.id}-error")) if widget.id else []
        if labels:
            self.set_timer(0.05, lambda: in_sight(widget, labels))

    def action_cancel(self) -> None:
        if not self.busy:
            super().action_cancel()


def posted_notice(result: PostedToday) -> str:
    """What the Letters area says when the posting is recorded: where the pack is."""
    pack = result.pack
    lines = [f"Print pack for the print room: {pack.path}",
             f"{counted(pack.pages, 'page')}, {counted(len(pack.letters), 'letter')}.",
             f"Recorded as posted: {counted(len(result.posted), 'letter')}"
             + (f", {result.posted[0].post_class.label}" if result.posted else "") + "."]
    lines += [f"Not in the pack: letter {u.id} ({u.reference}): no signed copy kept."
              for u in pack.without_pdf]
    return "\n".join(lines)
