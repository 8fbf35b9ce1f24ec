"""The referral inbox: every referral and case, by state, filtered, searched and sorted,
paged from the database as the cursor moves down."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static, Tab, Tabs

from crm_tui import clock
from crm_tui.domain.lifecycle import Action, role_refusal
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.intake import inbox, triage_version
from crm_tui.services.intake.inbox import InboxFilter, InboxRow, Page, SortKey, TabCounts
from crm_tui.services.intake.triage_version import ChangedSince
from crm_tui.ui.changes import CaseChanged
from crm_tui.ui.delivery import deliver
from crm_tui.ui.guide import CONSIDERATION, GENUINE_PROBLEMS, REFERRAL, Guide
from crm_tui.ui.screens.base import AreaScreen
from crm_tui.ui.text import choices, literal
from crm_tui.ui.triage import TriageMixin
from crm_tui.ui.widgets.fitted_input import FittedInput
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.fitted_tabs import FittedTabs
from crm_tui.ui.widgets.select_on_demand import SelectOnDemand
from crm_tui.ui.widgets.tick_marks import Checkbox

if TYPE_CHECKING:
    from crm_tui.domain.errors import DomainError
    from crm_tui.domain.roles import Actor
    from crm_tui.ui.dialogs.path_prompt import PathDialog

LOAD_AHEAD = 15
# After a step, the cursor stays on the case, or goes to the first of those that followed it
# still in the list.
KEEP_CANDIDATES = 30
DEBOUNCE_SECONDS = 0.15
# The customer and the state are given room first. In a narrow terminal the columns of least
# use in choosing what to do next (behaviour, service area, received, 30-day count, wait) go
# first, then the state (the tab says it), before the next action and when it is due.
COLUMNS: tuple[tuple[SortKey, Col], ...] = (
    (SortKey.REFERENCE, Col("reference", "Reference", priority=0, min_width=13)),
    # Capped: one 79-letter name left out Service area, Received and Behaviour for every row
    # at 200 columns. Room left over goes back to it; the line under the list gives it whole.
    (SortKey.CUSTOMER, Col("customer", "Customer", priority=0, min_width=19, max_width=34)),
    # Uncapped: the areas' names are few and short, and one cut to 22 ("Council Tax and
    # Benefi…") at 200 columns gave its room to the behaviour, cut anyway (b15c F6). Shown
    # whole or not at all (fitted_table: an uncapped extra column), before the contacts and
    # the date received: beside a 30-letter name, the longest state and the longest next
    # action at 200x60 the area was cut to keep the date (v15e F7); the date goes instead.
    (SortKey.SERVICE_AREA, Col("service_area", "Service area", priority=5, min_width=10,
                               extra=True)),
    (SortKey.RECEIVED, Col("received", "Received", priority=6, min_width=9, extra=True)),
    (SortKey.DAYS_WAITING, Col("days_waiting", "Wait", priority=4, min_width=4, extra=True)),
    # "Under consideration" whole: no state is shorter in the policy's words. Not capped:
    # the state is given room first (issue 15); a cap of 24 cut "Awaiting Head of Servic…"
    # while the behaviour took 28 columns.
    (SortKey.STATE, Col("state", "State", priority=3, min_width=19, room=1)),
    # Who has the case, where the width leaves room after every other column; the line under
    # the list names them otherwise (v16g G10: at 100 or 200 columns no one could see that a
    # case had just been assigned to someone else).
    # Uncapped, so shown whole or not at all: a name cut short could be taken for another's.
    (SortKey.ASSIGNED_TO, Col("assigned_to", "Assigned to", priority=9, min_width=11,
                              extra=True)),
    (SortKey.CATEGORIES, Col("categories", "Behaviour", priority=8, min_width=10,
                             max_width=30, extra=True)),
    (SortKey.CONTACTS, Col("contacts", "30d", priority=5, min_width=3, extra=True)),
    # Capped at the longest stored next action ("⚠ Sign the letter lifting the restrictions"):
    # "Before deciding: …" says the reason in full, and took the row's width from Received,
    # Wait, 30d and Due (fixG G3); the line under the list says it uncut.
    (SortKey.NEXT_ACTION, Col("next_action", "Next action", priority=1, min_width=14,
                              max_width=42, room=2)),
    (SortKey.DUE, Col("due", "Due", priority=1, min_width=9, room=2)),
)
ALL_AREAS = "__all__"


def _day(value: date | None) -> str:
    return value.strftime("%d %b %y") if value else ""


def row_in_full(row: InboxRow) -> Text:
    """The line under the list: the highlighted case as the columns would show it uncut."""
    line = Text.assemble((row.customer_name, "bold"), " · ", row.state.label, " · ",
                         f"assigned to {row.assigned_to}" if row.assigned_to
                         else "not assigned")
    if row.next_action:
        due = row.next_action_due
        line.append(" · ")
        line.append(("⚠ " if row.overdue else "") + row.next_action,
                    "bold red" if row.overdue else "")
        if due is not None:
            # "Review due 6 Jun 2027", not "Review due, due 6 Jun 2027".
            said = " " if row.next_action.endswith(" due") else ", due "
            line.append(f"{said}{in_prose(due)}", "bold red" if row.overdue else "")
    return line


Read = tuple[int | None, Page, TabCounts]  # the version read at, the page, the tab counts


def read_first(actor: Actor) -> Read:
    """What the inbox shows first: the top page under no filter and the tabs' counts, as its
    worker reads them (InboxScreen.load)."""
    spec = InboxFilter()
    with session():
        version = triage_version.read_before()
        return version, inbox.page_through(actor, spec, None, 0), inbox.tab_counts(actor, spec)


class FirstRead:
    """The inbox's first page and counts, read on a thread of their own from the moment the
    app starts (CrmApp.on_load), while Textual composes and styles the screen: the screen
    shows them as it mounts, so that it is laid out and painted once, with its rows and its
    counts (issue 17: the read went to a worker only once the screen was mounted, and the
    rows came after the first layout, which was done again for them). Nothing is shown
    before it is read: a screen mounted before the read is done waits for it in its worker,
    and a read that failed is done again there, where its failure is shown."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.found: Read | None = None
        self._done = threading.Event()
        threading.Thread(target=self._read, name="inbox-first-read", daemon=True).start()

    def _read(self) -> None:
        try:
            self.found = read_first(self.actor)
        except Exception:  # read again by the worker, which says what failed
            self.found = None
        finally:
            self._done.set()

    def ready(self) -> Read | None:
        """The read, if it is done and succeeded (never waits)."""
        return self.found if self._done.is_set() else None

    def wait(self) -> Read | None:
        """The read, once done (None: it failed)."""
        self._done.wait()
        return self.found


class InboxScreen(TriageMixin, AreaScreen):
    MODE = "inbox"
    # inbox.tcss is read with the app's own (CrmApp.CSS_PATH), at start.
    AUTO_FOCUS = "#cases"
    GUIDE = Guide("Referral inbox",
                  "Every referral and case, a tab per state: find a case, open its file, and take "
                  "the first steps with a new referral: consider it, assign it, ask for more "
                  "information, close it or return it.",
                  (REFERRAL, CONSIDERATION, GENUINE_PROBLEMS))
    BINDINGS = [
        Binding("enter", "open_case", "Open case", id="inbox-open",
                tooltip="Open the highlighted case's file"),
        # Offered only when the list is empty and the search (or filter) matches cases under
        # other tabs: the status line says where, and this key goes there.
        Binding("w", "show_matches", "Show the matches", id="inbox-matches",
                tooltip="Go to the tab holding the cases this search matches"),
        Binding("n", "new_referral", "New referral", id="inbox-new",
                tooltip="Record a new referral from a service area manager"),
        Binding("I", "import_referral", "Import", id="inbox-import",
                show=False, tooltip="Import a referral from a JSON file or a folder of documents"),
        Binding("slash", "focus_search", "Search", id="inbox-search",
                tooltip="Search by customer, reference, or words in referrals and contact "
                        "summaries"),
        Binding("right_square_bracket", "next_tab", "Next tab", id="inbox-next-tab",
                show=False, tooltip="Show the next tab of states"),
        Binding("left_square_bracket", "previous_tab", "Prev tab", show=False,
                tooltip="Show the previous tab of states"),
        Binding("s", "cycle_sort", "Sort", id="inbox-sort",
                show=False, tooltip="Sort the list by the next column"),
        Binding("S", "reverse_sort", "Reverse", show=False,
                tooltip="Reverse the order of the list"),
        Binding("m", "toggle_mine", "Mine", id="inbox-mine",
                show=False, tooltip="Show only the cases assigned to you, or every case again"),
        Binding("f5", "reload", "Refresh", show=False,
                tooltip="Read the list again from the database"),
        Binding("escape", "to_list", "Back to the list", show=False,
                tooltip="From the search, the service area or the tick box, back to the list"),
        *TriageMixin.TRIAGE_BINDINGS,
        # n and I to a role that may not record referrals: not offered, and pressed, say why.
        Binding("n", "not_yours('new_referral')", show=False),
        Binding("I", "not_yours('import_referral')", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.spec = InboxFilter()
        self.after: tuple[object, int] | None = None
        self.has_more = False
        self.fetching = False
        self.rows: dict[str, InboxRow] = {}
        # The version each row was read at (triage_version.read_before): `c` carries it.
        self.read_at: dict[str, int] = {}
        self._debounce: Timer | None = None
        self._generation = 0
        # The cases another app (another person, or this one elsewhere) changed since the
        # list was last read: the next read says so if one is the case under the cursor.
        # Each with the actions told (the audit's: "assign", "amend_on_appeal").
        self._told_outside: dict[str, set[str]] = {}
        # Such a change, said: the case, what changed, and when it was said (time.monotonic).
        self.changed: tuple[str, ChangedSince, float] | None = None

    # -- layout -----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield FittedTabs(*[Tab(t.label, id=f"tab-{t.value}") for t in inbox.Tab], id="tabs",
                         active=f"tab-{inbox.Tab.ALL.value}")
        with Horizontal(id="filters"):
            yield FittedInput(placeholder="Search: customer, reference, words in referrals and "
                                    "contacts", id="search")
            yield SelectOnDemand[str]([("All service areas", ALL_AREAS)], value=ALL_AREAS,
                                      allow_blank=False, id="area")
            yield Checkbox("Assigned to me", id="mine")
        yield FittedTable(*(col for _, col in COLUMNS), id="cases", cursor_type="row",
                          zebra_stripes=True)
        # The highlighted case in full, while the table leaves columns out or cuts text.
        yield Static(id="inbox-row")
        yield Static(id="inbox-status")

    def on_mount(self) -> None:
        areas = [(a, a) for a in self.crm_app.config.service_areas]
        self.query_one("#area", Select).set_options(
            choices([("All service areas", ALL_AREAS), *areas]))
        self.show_sort()
        first = self.crm_app.take_first_read()
        found = first.ready() if first is not None and first.actor == self.crm_app.actor \
            else None
        if found is not None:  # read as the app started: shown before the first layout
            self._generation += 1
            self.after, self.has_more, self.fetching = None, False, True
            self.show_page(self._generation, True, found[1], found[2], found[0])
            return
        self.reload(first=first)

    # -- loading ----------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self, *, keep: bool = True, first: FirstRead | None = None) -> None:
        """Read the list again from the top under the current filters. With `keep` (after a
        change), the cursor stays on the case it was on, by reference, or moves to the one
        that followed it if the case has left the list; a new filter starts at the top."""
        self._generation += 1
        self.after, self.has_more, self.fetching = None, False, True
        table = self.query_one("#cases", DataTable)
        self._keep = self._rows_from_cursor(table) if keep else []
        self._keep_index = table.cursor_row if keep else 0
        # The case under the cursor, as the screen showed it: if another app changed it, the
        # read says so (v16g G10: it was shown anew without a word, and `c` moved on a case
        # just assigned to someone else).
        here = self.current_reference()
        seen = self.read_at.get(here) if here else None
        watch = (here, seen, frozenset(self._told_outside.get(here, ()))) \
            if here is not None and seen is not None else None
        self._told_outside.clear()
        self.load(self._generation, None, with_counts=True,
                  at_least=table.row_count if keep else 0, watch=watch, first=first)

    def _case_changed(self, change: CaseChanged) -> None:
        if change.outside and change.reference:
            self._told_outside.setdefault(change.reference, set()).add(change.what)
        super()._case_changed(change)

    def _rows_from_cursor(self, table: DataTable[object]) -> list[str]:
        """The reference under the cursor and those after it, in the order shown."""
        if not table.row_count:
            return []
        start = table.cursor_row
        return [str(row.key.value)
                for row in table.ordered_rows[start:start + KEEP_CANDIDATES]]

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox")
    def load(self, generation: int, after: tuple[object, int] | None, *,
             with_counts: bool, at_least: int = 0,
             watch: tuple[str, int, frozenset[str]] | None = None,
             first: FirstRead | None = None) -> None:
        """`watch`: the case under the cursor, the version the screen showed it at, and
        what another program was told to have done to it (audit actions). `first`: the read
        begun as the app started, still going as the screen mounted."""
        actor, spec = self.crm_app.actor, self.spec
        begun = first.wait() if first is not None and first.actor == actor \
            and spec == InboxFilter() and after is None and watch is None else None
        if begun is not None:
            deliver(self, self.show_page, generation, True, begun[1], begun[2], begun[0], None)
            return
        keep = self._arrive_at or (self._keep[0] if after is None and self._keep else None)
        changed: ChangedSince | None = None
        with session():
            version = triage_version.read_before()
            if after is None:
                result = inbox.page_through(actor, spec, keep, at_least)
            else:
                result = inbox.page(actor, spec, after)
            counts = inbox.tab_counts(actor, spec) if with_counts else None
            if watch is not None:
                found = triage_version.changed_since(watch[0], watch[1])
                # Another app's, or another person's: a step taken here is no news to its user.
                if found is not None and triage_version.news_to(found, actor.login, watch[2]):
                    changed = found
        deliver(self, self.show_page, generation, after is None, result, counts, version,
                (watch[0], changed) if watch is not None and changed is not None else None)

    # How long after a change to the case under the cursor is said its keys are refused
    # (seconds): a key pressed as the screen changes was meant for the case as it was.
    HOLD_AFTER_CHANGE = 5.0

    def show_page(self, generation: int, first: bool, result: Page,
                  counts: TabCounts | None, version: int | None = None,
                  changed: tuple[str, ChangedSince] | None = None) -> None:
        if generation != self._generation:
            return  # a newer filter has been asked for since
        table = self.query_one("#cases", FittedTable)
        if first:
            self.rows.clear()
            self.read_at.clear()
        today = clock.today()
        for row in result.rows:
            self.rows[row.reference] = row
            if version is not None:
                self.read_at[row.reference] = version
        cells = ((self._cells(row, today), row.reference) for row in result.rows)
        if first:  # the columns fitted to the page first: the table built once (issue 17)
            table.set_rows(cells)
        else:
            for shown, key in cells:
                table.add_row(*shown, key=key)
        self.after, self.has_more, self.fetching = result.after, result.has_more, False
        if first:
            self._place_cursor(table)
            if changed is not None:
                self._say_changed(*changed)
            # The case in hand may have changed state where the cursor stayed: its keys too.
            self._keys_state = self.current_state()
            self.refresh_bindings()
        if counts is not None:
            for tab in inbox.Tab:
                self.query_one(f"#tab-{tab.value}", Tab).label = \
                    f"{tab.label} {counts.counts[tab]}"
            self.total = counts.counts[self.spec.tab]
            self.query_one("#tabs", FittedTabs).fit()  # the counts change the tabs' widths
            had, self._counts = bool(self.elsewhere()), counts
            if had or self.elsewhere():
                self.refresh_bindings()  # `w` offered, or no longer
        self.show_status()
        self.show_row()
        if first:
            self.crm_app.inbox_shown()  # the app reads the people now (CrmApp.on_mount)

    total = 0
    _counts: TabCounts | None = None
    _keep: list[str] = []
    _keep_index = 0
    # A referral just recorded: the cursor goes to it, through however many reloads follow
    # (the change itself reloads the list too), once it is on the list.
    _arrive_at: str | None = None

    def _say_changed(self, reference: str, changed: ChangedSince) -> None:
        """Another app changed the case that was under the cursor: said on the line under
        the list while the cursor stays on it, or in a toast if it has left the list."""
        self.changed = (reference, changed, time.monotonic())
        if self.current_reference() != reference:
            self.notify(f"{reference} was {changed.said}; it has left this list.",
                        title="Changed elsewhere", severity="warning", markup=False,
                        timeout=10)

    def changed_meanwhile(self) -> str:
        """Why a triage key is refused now ("" if it is not): pressed within a few seconds of
        the case under the cursor being changed by another app."""
        if self.changed is None:
            return ""
        reference, changed, at = self.changed
        # Only the case changed: a key on another case (the cursor moved, or a tab left
        # without it) acts (found when the suite ran: `c` on the next new referral was
        # refused naming the case assigned elsewhere a moment before).
        if (time.monotonic() - at > self.HOLD_AFTER_CHANGE
                or self.current_reference() != reference):
            return ""
        return (f"{reference} was {changed.said}, as your screen was showing it. Nothing "
                "was done: look at the case as it now stands, then press the key again.")

    def _place_cursor(self, table: DataTable[object]) -> None:
        if not table.row_count:
            return
        if self._arrive_at in self.rows:
            table.move_cursor(row=table.get_row_index(self._arrive_at))
            self._arrive_at = None
            return
        for reference in self._keep:
            if reference in self.rows:
                table.move_cursor(row=table.get_row_index(reference))
                return
        # Nothing kept (a new filter), or every case after it has left too: the same place.
        table.move_cursor(row=min(self._keep_index, table.row_count - 1))

    def _cells(self, row: InboxRow, today: date) -> list[Text]:
        due_style = "bold red" if row.overdue else ""
        waiting = "" if row.days_waiting is None else f"{row.days_waiting}d"
        categories = ", ".join(c.label for c in row.categories)
        return [
            literal(row.reference, "bold" if row.overdue else ""),
            literal(row.customer_name),
            literal(row.service_area),
            literal(_day(row.received_on)),
            literal(waiting, "bold red" if (row.days_waiting or 0) > 14 else ""),
            literal(row.state.label),
            literal(row.assigned_to),
            literal(categories),
            literal(row.contacts_30_days or ""),
            literal(("⚠ " if row.overdue else "") + row.next_action, due_style),
            literal(_day(row.next_action_due), due_style),
        ]

    def elsewhere(self) -> list[tuple[inbox.Tab, int]]:
        """When a search finds nothing under this tab: the other tabs where it finds cases
        (All aside, which holds them all), with how many each."""
        if self.total or self._counts is None or not self.spec.search:
            return []
        return [(tab, n) for tab, n in self._counts.counts.items()
                if n and tab is not inbox.Tab.ALL and tab is not self.spec.tab]

    def show_status(self) -> None:
        shown = self.query_one("#cases", DataTable).row_count
        more = " · more below" if self.has_more else ""
        status = Text(f"{shown} of {self.total} shown{more} · sorted by {self.sort_label()}")
        elsewhere = self.elsewhere()
        if elsewhere:
            found = sum(n for _, n in elsewhere)
            matches = f"{found} match" if found == 1 else f"{found} matches"
            if len(elsewhere) == 1:
                where = f"{matches} under {elsewhere[0][0].label}"
            else:
                where = f"{matches}: " + ", ".join(f"{n} under {tab.label}"
                                                   for tab, n in elsewhere)
            status = Text.assemble(f"No match under {self.spec.tab.label} · ", (where, "bold"),
                                   " · press ", ("w", "bold"),
                                   " to see it" if found == 1 else " to see them")
        self.query_one("#inbox-status", Static).update(status)

    def action_show_matches(self) -> None:
        elsewhere = self.elsewhere()
        if elsewhere:
            # One tab holds them: that one; several: All, which holds them all.
            target = elsewhere[0][0] if len(elsewhere) == 1 else inbox.Tab.ALL
            self.query_one("#tabs", Tabs).active = f"tab-{target.value}"

    @on(DataTable.RowHighlighted, "#cases")
    @on(FittedTable.Fitted, "#cases")
    def show_row(self) -> None:
        table = self.query_one("#cases", FittedTable)
        reference = self.current_reference()
        row = self.rows.get(reference) if reference else None
        line = self.query_one("#inbox-row", Static)
        if self.changed is not None and self.changed[0] != reference \
                and self.changed[0] in self.rows:
            self.changed = None  # said until the cursor moves off the case
        changed = self.changed[1] if self.changed is not None \
            and self.changed[0] == reference else None
        # Shown while the row leaves out or cuts what matters, the person who has the case
        # among it, or while a change made elsewhere is said.
        line.display = row is not None and (
            changed is not None or table.cuts("customer", "state", "next_action")
            or (bool(row.assigned_to) and table.cuts("assigned_to")))
        shown = row_in_full(row) if row is not None else Text()
        if changed is not None:
            shown = Text.assemble(("⚠ " + changed.said[0].upper() + changed.said[1:],
                                   "bold yellow"), "\n", shown)
        line.update(shown)

    @on(DataTable.RowHighlighted, "#cases")
    def maybe_load_more(self, event: DataTable.RowHighlighted) -> None:
        if (self.has_more and not self.fetching
                and event.cursor_row >= event.data_table.row_count - LOAD_AHEAD):
            self.fetching = True
            self.load(self._generation, self.after, with_counts=False)

    # -- filters ----------------------------------------------------------------------------
    def _set(self, **changes: object) -> None:
        self.spec = InboxFilter(**{**self.spec.__dict__, **changes})
        self.reload(keep=False)

    @on(Tabs.TabActivated, "#tabs")
    def tab_chosen(self, event: Tabs.TabActivated) -> None:
        if event.tab.id:
            tab = inbox.Tab(event.tab.id.removeprefix("tab-"))
            if tab is not self.spec.tab:
                self._set(tab=tab)

    def action_next_tab(self) -> None:
        self.query_one("#tabs", Tabs).action_next_tab()

    def action_previous_tab(self) -> None:
        self.query_one("#tabs", Tabs).action_previous_tab()

    @on(Input.Changed, "#search")
    def search_typed(self, event: Input.Changed) -> None:
        # Wait for a pause in typing before asking the database.
        if self._debounce is not None:
            self._debounce.stop()
        text = event.value
        if text == self.spec.search:
            return  # emptied by the app to show a referral just recorded, or typed back
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, lambda: self._set(search=text))

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.query_one("#cases", DataTable).focus()

    def action_to_list(self) -> None:
        # Escape in a field above the list: back to the list (a Select's open list closes
        # itself first, by its own Escape).
        focused = self.focused
        if focused is not None and focused is not self.query_one("#cases") and \
                self.query_one("#filters") in focused.ancestors:
            self.query_one("#cases", DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Select.Changed, "#area")
    def area_chosen(self, event: Select.Changed) -> None:
        value = event.value if event.value != ALL_AREAS else None
        if value != self.spec.service_area:
            self._set(service_area=value)

    @on(Checkbox.Changed, "#mine")
    def mine_toggled(self, event: Checkbox.Changed) -> None:
        if event.value != self.spec.assigned_to_me:
            self._set(assigned_to_me=event.value)

    def action_toggle_mine(self) -> None:
        box = self.query_one("#mine", Checkbox)
        box.value = not box.value

    def sort_label(self) -> str:
        label = next(col.label for key, col in COLUMNS if key is self.spec.sort)
        return f"{label} {'↓' if self.spec.descending else '↑'}"

    def show_sort(self) -> None:
        table = self.query_one("#cases", FittedTable)
        for key, col in COLUMNS:
            mark = (" ↓" if self.spec.descending else " ↑") if key is self.spec.sort else ""
            table.set_label(col.key, Text(col.label + mark))

    def action_cycle_sort(self) -> None:
        keys = [key for key, _ in COLUMNS]
        following = keys[(keys.index(self.spec.sort) + 1) % len(keys)]
        self._set(sort=following, descending=False)
        self.show_sort()

    def action_reverse_sort(self) -> None:
        self._set(descending=not self.spec.descending)
        self.show_sort()

    @on(DataTable.HeaderSelected, "#cases")
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = SortKey(str(event.column_key.value))
        if key is self.spec.sort:
            self._set(descending=not self.spec.descending)
        else:
            self._set(sort=key, descending=False)
        self.show_sort()

    # -- the highlighted case ----------------------------------------------------------------
    def current_reference(self) -> str | None:
        table = self.query_one("#cases", DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def current_state(self) -> CaseState | None:
        reference = self.current_reference()
        row = self.rows.get(reference) if reference else None
        return row.state if row else None

    def shown_version(self) -> int | None:
        reference = self.current_reference()
        return self.read_at.get(reference) if reference else None

    def _referral_refused(self) -> str:
        return role_refusal(self.crm_app.actor, Action.RECORD_REFERRAL)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_referral", "import_referral"):
            return not self._referral_refused()
        if action == "not_yours":
            return bool(self._referral_refused())
        if action == "show_matches":
            return bool(self.elsewhere())
        return self.triage_allowed(action, parameters)

    def action_not_yours(self, action: str) -> None:
        why = self._referral_refused()
        if why:
            self.notify(why, title="Not a step your role takes", severity="warning",
                        markup=False, timeout=10)

    @on(DataTable.RowHighlighted, "#cases")
    def keys_for_row(self) -> None:
        # Textual rebuilds the footer on every refresh of the keys (~25 ms with a full footer):
        # refresh only when the row's state changes the keys, and once the cursor rests, so
        # that moving through the list stays instant.
        state = self.current_state()
        first = not hasattr(self, "_keys_state")
        if not first and state == getattr(self, "_keys_state", None):
            return
        self._keys_state = state
        if first:  # the list has just been shown: its keys at once
            self.refresh_bindings()
            return
        timer = getattr(self, "_keys_timer", None)
        if timer is not None:
            timer.stop()
        self._keys_timer = self.set_timer(0.2, self.refresh_bindings)

    def action_open_case(self) -> None:
        reference = self.current_reference()
        if reference:
            from crm_tui.ui.screens.case_file import CaseFileScreen

            self.app.push_screen(CaseFileScreen(reference))

    @on(DataTable.RowSelected, "#cases")
    def row_chosen(self) -> None:
        self.action_open_case()

    def action_new_referral(self) -> None:
        from crm_tui.ui.screens.referral_form import ReferralFormScreen

        self.app.push_screen(ReferralFormScreen(), self._after_referral)

    def action_import_referral(self) -> None:
        from crm_tui.services.intake.referral_import import import_referral
        from crm_tui.ui.dialogs.path_prompt import PathDialog

        actor = self.crm_app.actor
        self.app.push_screen(PathDialog(
            "Import a referral",
            "The path of a referral JSON file, or of a folder holding referral.json and the "
            "documents to attach. Everything is checked first: all of it is recorded, or "
            "nothing. Enter imports; Escape cancels.",
            lambda path: import_referral(actor, path).reference, go="Import the referral",
            ask=self._import_asks_which), self._after_referral)

    def _import_asks_which(self, dialog: PathDialog, path: Path, exc: DomainError) -> bool:
        """The file's customer may be one on record and the file does not say which: asked
        as the referral form (`n`) asks, rather than refused (v16g: only a message)."""
        from crm_tui.services.intake.referral_import import ImportProblem
        from crm_tui.ui.dialogs.which_person import which_person

        if not (isinstance(exc, ImportProblem) and exc.asks_which and exc.matches):
            return False
        self.app.push_screen(which_person(exc.customer_name, exc.matches),
                             lambda chosen: self._import_as_said(dialog, path, chosen))
        return True

    def _import_as_said(self, dialog: PathDialog, path: Path, chosen: str | None) -> None:
        from crm_tui.services.intake.referral_import import import_referral
        from crm_tui.ui.dialogs.which_person import DIFFERENT_PERSON, NOT_SAID, SAME_PERSON

        if chosen is None:
            dialog.show_error(f"Not imported: {NOT_SAID} (Enter asks again).")
            return
        actor = self.crm_app.actor
        same_as = "" if chosen == DIFFERENT_PERSON else chosen.removeprefix(SAME_PERSON)
        dialog.query_one("#error", Static).update("Working…")
        dialog.run_step(path, lambda p: import_referral(
            actor, p, same_as=same_as, new_person=not same_as).reference)

    def _after_referral(self, reference: str | None) -> None:
        if reference:
            self._arrive_at = reference
            self._show_recorded(reference)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox-recorded")
    def _show_recorded(self, reference: str) -> None:
        # A search or a tab chosen before the referral existed would hide it (v15d N6).
        with session():
            shown, let_go = inbox.showing(self.crm_app.actor, self.spec, reference)
        deliver(self, self._arrive, reference, shown, let_go)

    def _arrive(self, reference: str, shown: InboxFilter, let_go: list[str]) -> None:
        said = f"Referral recorded as {reference}"
        if let_go:
            words = let_go[0] if len(let_go) == 1 else \
                ", ".join(let_go[:-1]) + " and " + let_go[-1]
            said += f": {words} to show it"
        self.notify(said, title="Referral", markup=False)
        if shown != self.spec:
            self.spec = shown
            # The filters' own change messages find the spec already as they say: no reload.
            self.query_one("#search", Input).value = shown.search
            self.query_one("#area", Select).value = shown.service_area or ALL_AREAS
            self.query_one("#mine", Checkbox).value = shown.assigned_to_me
            self.query_one("#tabs", Tabs).active = f"tab-{shown.tab.value}"
        self.reload()

    def after_triage(self) -> None:
        self.reload()
