"""Home: today's counts from the database, scoped to what the acting user may see."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Static

from crm_tui import clock
from crm_tui.domain.scope import case_scope
from crm_tui.services.core import users
from crm_tui.services.core.database import session
from crm_tui.services.core.results import DashboardCounts
from crm_tui.services.intake import queries
from crm_tui.ui.delivery import deliver_latest
from crm_tui.ui.guide import WHOLE_POLICY, Guide
from crm_tui.ui.screens.base import AreaScreen
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.count_card import CountCard

# (field of DashboardCounts, label, the label for a count of 1 ("" if the same), stands out
# when non-zero): "1 Appeal awaiting a decision", never "1 Appeals …" (round 8).
CARDS = (
    ("awaiting_consideration", "New referrals awaiting consideration",
     "New referral awaiting consideration", False),
    # The inbox's Considering tab: no longer among the new referrals (fixAW), counted here
    # (fixBB BB3: Home counted them nowhere).
    ("under_consideration", "Referrals under consideration", "Referral under consideration",
     False),
    ("awaiting_consultation", "Awaiting Head of Service consultation", "", False),
    ("in_local_resolution", "In local resolution (monitoring)", "", False),
    ("restrictions_in_force", "Customers with restrictions in force",
     "Customer with restrictions in force", False),
    ("reviews_due_30_days", "Reviews due in the next 30 days", "Review due in the next 30 days",
     False),
    ("reviews_overdue", "Reviews overdue", "Review overdue", True),
    ("appeals_pending", "Appeals awaiting a decision", "Appeal awaiting a decision", True),
    ("replies_due", "Invited to comment: replies awaited", "Invited to comment: reply awaited",
     False),
    ("due_for_archive", "Files due for archive", "File due for archive", False),
    ("due_for_destruction", "Files due for destruction", "File due for destruction", True),
    # The inbox's "Sign the …": owed by a decision or a proposed extension's invitation to
    # comment, prepared or not (the prepared letters waiting in the Letters area, some owed
    # by neither, are the line below).
    ("letters_owed", "Letters owed, not yet signed", "Letter owed, not yet signed", True),
    ("breaches_last_30_days", "Breaches of restrictions, last 30 days",
     "Breach of restrictions, last 30 days", False),
)


# Lines: the counts without gaps between their rows (home.tcss). Up to 30 lines since the
# thirteenth count (fixBB BB3, under consideration): at 100x30 its row pushed the notices
# under the counts off the screen.
CRAMPED_BELOW = 31


class HomeScreen(AreaScreen):
    MODE = "home"
    CSS_PATH = "home.tcss"
    GUIDE = Guide("Home",
                  "Today's counts of what needs doing (referrals to consider, reviews and appeals "
                  "due, letters to sign, post to screen); those needing action stand out.",
                  (WHOLE_POLICY,))
    BINDINGS = [Binding("f5", "reload", "Refresh", tooltip="Count again from the database"),
                Binding("s", "screening", "Screen post", id="home-screening",
                        tooltip="The screening queue: post filed without reply, to be read"),
                Binding("r", "retention", "Retention", id="home-retention",
                        tooltip="The Retention area: files due for archive and for "
                                "destruction, with why; the CRM destroys them there"),
                # Should the notices under the counts not all fit (a small terminal, many of
                # them), these reach them (v15n AD1: no key did).
                Binding("pagedown", "body_page(1)", "Page down", show=False,
                        tooltip="Further down Home: the notices under the counts"),
                Binding("pageup", "body_page(-1)", "Page up", show=False,
                        tooltip="Back up Home, towards the counts"),
                Binding("end", "body_end(1)", "End", show=False,
                        tooltip="The foot of Home: the last notice and what the counts cover"),
                Binding("home", "body_end(-1)", "Top", show=False,
                        tooltip="The top of Home: the greeting and the counts")]

    def compose_body(self) -> ComposeResult:
        yield Static(id="greeting")
        with Grid(id="cards"):
            for field, label, one, alert in CARDS:
                yield CountCard(label, one=one, alert_when_nonzero=alert, id=f"card-{field}")
        yield Static(id="notices")
        yield Static(id="against-view")
        yield Static(id="screening-notice")
        yield Static(id="prepared-notice")
        yield Static(id="starting-notice")
        yield Static(id="status")

    def on_mount(self) -> None:
        self.refresh_data()

    def on_resize(self) -> None:
        self.set_class(self.size.height < CRAMPED_BELOW, "-cramped")

    def action_reload(self) -> None:
        self.refresh_data()

    def show_post(self, unread: int, late: int) -> None:
        """Post filed without reply still to be read: a line rather than two more cards, so
        that the counts still fit a small terminal; red when some is past its read-by date."""
        notice = self.query_one("#screening-notice", Static)
        notice.set_class(bool(unread), "shown")
        notice.set_class(bool(late), "-late")
        days = self.crm_app.config.screening_working_days
        notice.update(literal(
            f"Post filed without reply: {unread} to read, {late} past the read-by date "
            f"({days} working days after arriving). s opens the screening queue.", wrap=True)
            if unread else "")

    def action_body_page(self, direction: int) -> None:
        body = self.query_one("#body")
        (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)

    def action_body_end(self, direction: int) -> None:
        body = self.query_one("#body")
        (body.scroll_end if direction > 0 else body.scroll_home)(animate=False)

    def action_screening(self) -> None:
        self.crm_app.open_screening()

    def action_retention(self) -> None:
        from crm_tui.ui.screens.retention import RetentionScreen

        if not isinstance(self.app.screen, RetentionScreen):
            self.app.push_screen(RetentionScreen())

    def refresh_data(self) -> None:
        actor = self.crm_app.actor
        day = clock.today().strftime("%A %-d %B %Y")
        self.query_one("#greeting", Static).update(literal(
            f"{day}  ·  signed in as {actor.name}, {actor.role.label}"))
        for card in self.query(CountCard):
            card.count = None
        self.load_counts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="home")
    def load_counts(self) -> None:
        actor = self.crm_app.actor
        with session():
            counts = queries.dashboard(actor)
            notices = users.decision_role_notices(actor)
            against = queries.against_view(actor)
        deliver_latest(self, self.show_counts, counts, notices, against)

    def show_counts(self, counts: DashboardCounts, notices: list[str],
                    against: list[str] | None = None) -> None:
        # Restrictions in force that the CRM decided against the Head of Service's view.
        marked = self.query_one("#against-view", Static)
        marked.set_class(bool(against), "shown")
        marked.update(literal("Restrictions in force decided against the Head of Service's "
                              "view (the CRM's reasons are on the case file):\n" + "\n".join(
                                  f"  • {line}" for line in against or [])) if against else "")
        # New holders of the decision roles, for the other holders to confirm they should be.
        box = self.query_one("#notices", Static)
        box.set_class(bool(notices), "shown")
        box.update(literal("New holders of decision roles (last 90 days):\n" + "\n".join(
            f"  • {n}" for n in notices)) if notices else "")
        for field, *_ in CARDS:
            self.query_one(f"#card-{field}", CountCard).count = getattr(counts, field)
        self.show_post(counts.post_to_screen, counts.post_overdue)
        prepared = self.query_one("#prepared-notice", Static)
        prepared.set_class(bool(counts.letters_to_sign), "shown")
        prepared.update(literal(
            f"Letters prepared, waiting to be signed: {counts.letters_to_sign}. l opens the "
            "Letters area, where they are signed.", wrap=True) if counts.letters_to_sign else "")
        # Decided to start on a later day: not among those in force today (t15 F6).
        starting = self.query_one("#starting-notice", Static)
        starting.set_class(bool(counts.restrictions_starting), "shown")
        n = counts.restrictions_starting
        starting.update(literal(
            f"Restrictions decided, not yet in force: {n} customer{'s' if n != 1 else ''} "
            "(they start on a later day: the case file says from when).", wrap=True)
            if n else "")
        seen = case_scope(self.crm_app.actor)
        scope = ("all cases" if seen.everything else "your service area's cases"
                 if seen.service_area_id is not None else "no case (you read none)")
        self.query_one("#status", Static).update(f"Counts cover {scope}. F5 counts again.")
