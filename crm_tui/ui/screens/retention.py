"""The Retention area: the files due for archive (restrictions ended; held while a letter is
owed or post unread) and those due for destruction (end + the configured retention years),
each with why. Files that owe nothing are archived by the team's housekeeping (`A` runs it
now); the CRM destroys a file with `D`, after a question that names who acts, which file and
that it cannot be undone, confirmed with their passphrase."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from crm_tui import clock
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import Destroyed, DomainError
from crm_tui.domain.lifecycle import Action, may, role_refusal
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import audit, case_steps, grants
from crm_tui.services.core.database import session
from crm_tui.services.core.erasure import after_destruction, before_destruction
from crm_tui.services.core.restore_copies import still_holding
from crm_tui.services.retention import archive, schedule
from crm_tui.services.retention.schedule import DueFile, RetentionDue
from crm_tui.ui.changes import FollowsChanges
from crm_tui.ui.confirm import acting_as, confirmed
from crm_tui.ui.delivery import DeliveryMixin, deliver, deliver_latest
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.guide import RETENTION, Guide
from crm_tui.ui.refused_keys import key_answer
from crm_tui.ui.text import literal, said
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

ARCHIVE, DESTROY = "Archive", "Destruction"  # under "Due for"


def _day(row: DueFile) -> str:
    when = row.destroy_after if row.state.value == "archived" else row.ended_on
    return f"{when:%d %b %Y}" if when is not None else ""


class RetentionScreen(FollowsChanges, DeliveryMixin, Screen[None]):
    CSS_PATH = "retention.tcss"
    AUTO_FOCUS = "#retention"
    GUIDE = Guide("Retention",
                  "Files due for archive (restrictions ended, nothing still owed: the team's "
                  "check at start archives them) and due for destruction (the end of "
                  "restrictions plus the retention years), each with why. Nothing is "
                  "destroyed while the customer's restrictions last. The copies a "
                  "destruction leaves to delete by hand stay listed on its entry in the "
                  "audit trail.",
                  (RETENTION,))
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="retention-back",
                tooltip="Back to where you came from"),
        Binding("D", "destroy", "Destroy file", id="retention-destroy",
                tooltip="Destroy the highlighted file, due for destruction: everything but its "
                        "tombstone goes, for good (the CRM, with their passphrase)"),
        Binding("A", "archive_due", "Archive due files", id="retention-archive",
                tooltip="Archive now every file whose restrictions ended and that owes "
                        "nothing (as the check at start does)"),
        # With no file to archive, the same key says why (check_action): "A Archive due
        # files" stood in the footer beside "Due for archive: 0 files" (b15b F7).
        Binding("A", "why_no_archive", show=False,
                tooltip="Says why there is nothing to archive now"),
        # For a role that may not destroy or archive: out of the footer, and the key says
        # why (found when tried: the Head of Service was offered D and A, and told "the
        # check at start does it too" when her start archived nothing).
        Binding("D", "destroy_refused", "Destroy file", show=False,
                tooltip="Says who may destroy a file: your role may not"),
        Binding("A", "archive_refused", "Archive due files", show=False,
                tooltip="Says who may archive files: your role may not"),
        Binding("enter", "open_case", "Open case", show=False,
                tooltip="Open the highlighted file's case"),
        Binding("f5", "reload", "Refresh", show=False,
                tooltip="Read the lists again from the database"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, DueFile]] = []
        # Why the person acting cannot act at all (grants.standing: their user record edited
        # in the database, say): said up front, and D and A say it rather than act.
        self.cannot_act = ""
        # The app's clock ahead of the computer's (audit.clocks_apart), said above the list.
        self.ahead = ""

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="retention-body"):
            yield Static(id="retention-title")
            yield FittedTable(Col("due", "Due for", priority=0, min_width=8),
                              Col("case", "Case", priority=0, min_width=13),
                              Col("customer", "Customer", priority=2, min_width=16,
                                  max_width=28),
                              Col("on", "Since", priority=1, min_width=11),
                              Col("why", "Why", priority=1, min_width=24, max_width=70),
                              id="retention", cursor_type="row", zebra_stripes=True)
            yield Static(id="retention-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_data()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A role that may not archive is told so by A; one that may, with nothing to
        # archive, is told that instead (each out of the footer).
        actor = self.crm_app.actor
        # With the app's clock ahead nothing is archived or destroyed either: D and A leave
        # the footer, and pressed still say why (found when tried, v16h: both were offered).
        if (self.cannot_act or self.ahead) and action in (
                "destroy", "archive_due", "why_no_archive", "destroy_refused",
                "archive_refused"):
            return action.endswith("_refused")
        may_archive = may(actor, Action.ARCHIVE)
        if action == "archive_refused":
            return not may_archive
        if action in ("archive_due", "why_no_archive") and not may_archive:
            return False  # A is archive_refused's
        answer = key_answer(action,
                            ("destroy", "destroy_refused", lambda: may(actor, Action.DESTROY)),
                            ("archive_due", "why_no_archive", self._archivable))
        return True if answer is None else answer

    def action_destroy_refused(self) -> None:
        if self.cannot_act:
            self.tell(f"{self.cannot_act}.", "warning")
            return
        self.action_destroy()  # says why, by the service's rule

    def action_archive_refused(self) -> None:
        if self.cannot_act:
            self.tell(f"{self.cannot_act}.", "warning")
            return
        self.action_archive_due()

    def action_reload(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        self.load()

    def show_again(self) -> None:
        # A change to any case may move a file on or off the lists (another terminal's
        # `crm-tui retention run` destroying one, say): read them again.
        self.refresh_data()

    @work(thread=True, exclusive=True, exit_on_error=False, group="retention")
    def load(self) -> None:
        # The role's refusal and the person's standing are the services' to say: asked here
        # with the lists, in the worker's session, not on the UI thread when they are shown.
        actor = self.crm_app.actor
        with session():
            due = schedule.due(actor)
            refusal = schedule.run_refusal(actor)
            cannot = grants.standing(actor).why
        deliver_latest(self, self.show, due, refusal, cannot)

    def show(self, due: RetentionDue, refusal: str, cannot: str = "") -> None:
        was = self._highlighted_reference  # before the rows it indexes are replaced
        self.rows = ([(ARCHIVE, row) for row in due.archive]
                     + [(DESTROY, row) for row in due.destroy])
        self.cannot_act = cannot
        held = sum(1 for _, row in self.rows if row.held or row.outside)
        if refusal and not self.rows:
            # The user administrator sees no case: an empty list would read as nothing due
            # (b16e F1). Said instead, with who does it.
            self.query_one("#retention-title", Static).update(literal(
                f"{refusal[:1].upper()}{refusal[1:]}: the Complaints Resolution Team archives "
                "files (the check at start, or the scheduled crm-tui retention run) and the "
                "Complaints Resolution Manager destroys them.", wrap=True))
            self.query_one(DataTable).clear()
            self.query_one("#retention-detail", Static).update(literal(
                "Nothing here is for this role to do.", wrap=True))
            self.refresh_bindings()
            return
        # Files due by a date the computer's clock has not reached are not due now: said
        # above the list, not left to `D` (found when tried, v16g G9: at 2033 the area listed
        # "due for destruction: 4 files" and "D destroys it", one due only in 2029).
        self.ahead = audit.clocks_apart()
        self.query_one("#retention-title", Static).update(literal(
            (f"{self.ahead[:1].upper()}{self.ahead[1:]}: what is due below is counted from "
             f"the app's date ({in_prose(clock.today())}), not from the computer's, and "
             "nothing is archived or destroyed while it is ahead. " if self.ahead else "")
            + (f"{cannot}: no file is archived or destroyed here in their name. " if cannot
               else "")
            + f"Due for archive: {counted(len(due.archive), 'file')} · due for destruction: "
            f"{counted(len(due.destroy), 'file')}" + (f" · {held} held" if held else "")
            + f". Files are kept for the restrictions' duration plus "
            f"{due.retention_years} years" + (f" ({due.years_said})" if due.years_said else "")
            + ".", wrap=True))
        table = self.query_one(DataTable)
        # The cursor stays on the file it was on when the lists are read again (a change told
        # from elsewhere re-reads them): it went back to the first row, and a D pressed next
        # was "Highlight a file due for destruction first" (found when the suite ran loaded).
        table.clear()
        for index, (due_for, row) in enumerate(self.rows):
            table.add_row(literal(due_for), literal(row.reference), literal(row.customer_name),
                          literal(_day(row)),
                          literal(f"Changed outside the app: not destroyed; {row.why}"
                                  if due_for == DESTROY and row.outside else row.why),
                          key=str(index))
        at = next((i for i, (due_for, row) in enumerate(self.rows)
                   if (due_for, row.reference) == was), None)
        if at is not None:
            table.move_cursor(row=at)
        self.show_detail()
        self.refresh_bindings()  # A follows what is due

    def _archivable(self) -> bool:
        """Whether A has a file to archive: one due and not held (what archive_due takes)."""
        return any(due_for == ARCHIVE and not row.held for due_for, row in self.rows)

    def no_archive_words(self) -> str:
        held = sum(1 for due_for, row in self.rows if due_for == ARCHIVE and row.held)
        return (f"Nothing to archive: {counted(held, 'file')} due for archive, held (see "
                "why under the list)." if held else
                "Nothing to archive: no file is due for archive.")

    def action_why_no_archive(self) -> None:
        self.tell(self.no_archive_words(), "warning")

    def key_refusal(self, action: str) -> str:
        """Why a key that cannot work now cannot, where the screen knows it in words (the
        palette says it: fixBB BB5); "" where only the service's rule, asked, says why."""
        if action not in ("destroy", "archive_due"):
            return ""
        if self.cannot_act:
            return f"{self.cannot_act}."
        actor = self.crm_app.actor
        refusal = role_refusal(actor, Action.DESTROY if action == "destroy" else Action.ARCHIVE)
        if refusal:
            return refusal  # as the key says it first
        if action == "archive_due" and not self._archivable():
            return self.no_archive_words()
        return ""

    @property
    def _highlighted_reference(self) -> tuple[str, str] | None:
        found = self.highlighted()
        return None if found is None else (found[0], found[1].reference)

    def highlighted(self) -> tuple[str, DueFile] | None:
        table = self.query_one(DataTable)
        if not table.row_count or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        found = self.highlighted()
        detail = self.query_one("#retention-detail", Static)
        if found is None:
            detail.update(literal("Nothing is due: no file waits to be archived, and "
                                  "none is past its retention period."))
            return
        due_for, row = found
        lines = [f"{row.reference} · {row.customer_name} · {row.service_area}",
                 f"Due for {due_for.lower()}: {row.why}."]
        actor = self.crm_app.actor
        if self.cannot_act:
            lines.append("Not for you to archive or destroy now: see why above.")
        elif self.ahead:
            lines.append("Not archived or destroyed while the app's clock is ahead of the "
                         "computer's: see above.")
        elif due_for == DESTROY and row.outside:
            lines.append(f"{row.outside[:1].upper()}{row.outside[1:]}.")
        elif row.held:
            lines.append(f"Held: {row.held}.")
        elif due_for == DESTROY and may(actor, Action.DESTROY):
            lines.append("D destroys it: everything but its tombstone (reference, dates, "
                         "outcome, who destroyed it and when) goes, for good.")
        elif due_for == DESTROY:
            lines.append("The Complaints Resolution Manager destroys it (D in this area, or "
                         "the scheduled crm-tui retention run): everything but its tombstone "
                         "goes, for good.")
        elif may(actor, Action.ARCHIVE):
            lines.append("A archives it now (the check at start does it too).")
        else:
            # Only the team archives: a start by another role archives nothing.
            lines.append("The Complaints Resolution Team archives it: the check at the start "
                         "of the CRM's or an officer's app, the scheduled crm-tui retention "
                         "run, or A in this area.")
        detail.update(literal("\n".join(lines), wrap=True))

    @on(DataTable.RowSelected)
    def action_open_case(self) -> None:
        from crm_tui.ui.screens.case_file import CaseFileScreen

        found = self.highlighted()
        if found is not None:
            self.app.push_screen(CaseFileScreen(found[1].reference))

    def action_archive_due(self) -> None:
        refusal = role_refusal(self.crm_app.actor, Action.ARCHIVE)
        if refusal:
            self.tell(refusal, "warning")
            return
        self.run_archive()

    @work(thread=True, exclusive=True, exit_on_error=False, group="retention-archive")
    def run_archive(self) -> None:
        with session():
            report = schedule.archive_run(self.crm_app.actor, job="the Retention area")
        done = report.archived
        deliver(self, self.tell, f"Archived (read-only): {schedule.archived_said(done)}" if done
                else "No file is due for archive with nothing owed.", "information")
        # A file changed outside the app is skipped, not archived over the change: said.
        if report.refused:
            deliver(self, self.tell, "Not archived: " + "; ".join(
                f"{row.reference}: {why}" for row, why in report.refused), "warning")
        deliver(self, self.refresh_data)

    def action_destroy(self) -> None:
        actor = self.crm_app.actor
        found = self.highlighted()
        refusal = role_refusal(actor, Action.DESTROY)
        if refusal:
            self.tell(refusal, "warning")
            return
        if found is None or found[0] != DESTROY:
            self.tell("Highlight a file due for destruction first.", "warning")
            return
        if found[1].outside:
            self.tell(f"{found[1].reference}: {found[1].outside}.", "warning")
            return
        if found[1].held:
            self.tell(f"{found[1].reference} is held: {found[1].held}.", "warning")
            return
        self.ask_destroy(found[1].reference)

    @work(thread=True, exclusive=True, exit_on_error=False, group="retention-ask")
    def ask_destroy(self, reference: str) -> None:
        """The question is built from the database as it is now: an export made meanwhile
        (another terminal's `crm-tui sar`) is named, a file destroyed meanwhile said."""
        try:
            with session():
                now = schedule.destruction_due(self.crm_app.actor, reference)
        except DomainError as exc:
            deliver(self, self.tell, said(str(exc)), "warning")
            deliver(self, self.refresh_data)
            return
        deliver(self, self.ask, now)

    def ask(self, now: RetentionDue) -> None:
        actor = self.crm_app.actor
        if not now.destroy:
            self.tell("That file is no longer due for destruction (changed meanwhile).",
                      "warning")
            self.refresh_data()
            return
        row = now.destroy[0]
        if row.outside:
            self.tell(f"{row.reference}: {row.outside}.", "warning")
            self.refresh_data()
            return
        if row.held:
            self.tell(f"{row.reference} is held: {row.held}.", "warning")
            return
        question = (f"Destroy {row.reference} ({row.customer_name}, {row.service_area}) as "
                    f"{acting_as(actor)}?")
        detail = (f"{row.why}. Every record of the file, its documents, letters and search "
                  "entries are erased; only its tombstone is kept (reference, dates, outcome, "
                  "who destroyed it and when). This cannot be undone."
                  + before_destruction(row.exports) + still_holding(now.kept_copies))

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_destroy(row.reference, question)

        self.app.push_screen(AskDialog(question, yes="Destroy", no="Keep it", detail=detail),
                             answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="retention-destroy")
    def run_destroy(self, reference: str, question: str) -> None:
        actor = self.crm_app.actor
        try:
            with session():
                done = confirmed(self.app, actor, lambda: archive.destroy(actor, reference),
                                 what=question)
                # Who destroyed it and when, from its tombstone and audit entry: said in this
                # screen's own words and the exports dialog's head. The app's notice saying
                # it went with the screen it was shown on when the dialog opened over it.
                told = case_steps.destroyed(reference) if done else ""
        except Destroyed as exc:
            # Destroyed meanwhile elsewhere: said as it happened, and the list put right.
            deliver(self, self.tell, said(str(exc)), "warning")
            deliver(self, self.refresh_data)
            return
        except DomainError as exc:
            deliver(self, self.tell, f"{reference} was not destroyed: {exc}", "error")
            return
        removed = f" {done.removed.said}." if done and done.removed else ""
        head = (told or f"{reference} destroyed: only its tombstone remains") + "." + removed
        left = [export for export in done.exports if not export.deleted] if done else []
        if not left:
            deliver(self, self.tell, head + (after_destruction(done.exports) if done else ""),
                    "information")
        else:
            # The copies to delete by hand, one a line, in a dialog that scrolls: in a toast
            # several ran off the top of an 80x24 screen, taking what was destroyed with
            # them (found when tried, b16e F10).
            gone = len(done.exports) - len(left) if done else 0
            deliver(self, self.tell, head, "information")
            deliver(self, self.app.push_screen, DetailDialog(
                head + (f" {counted(gone, 'export')} of it deleted from the app's folders."
                        if gone else ""),
                "These exports were made of this file: delete them by hand or confirm they "
                "were sent:\n" + "\n".join(f"• {export.said}" for export in left)
                + "\n\nThe list stays on the destruction's entry in the audit trail."))
        deliver(self, self.refresh_data)

    def tell(self, message: str, severity: str) -> None:
        self.notify(message, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]
