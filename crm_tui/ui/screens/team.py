"""The team: who uses this database, what each role may do, and each person's direct
telephone and email (T), which letters naming them as the customer's contact give."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from crm_tui.domain.roles import Role
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import direct_details, users
from crm_tui.services.core.database import session
from crm_tui.services.core.results import UserInfo
from crm_tui.ui.delivery import deliver_latest
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.guide import APPEAL, ONLY_CRM, Guide
from crm_tui.ui.screens.base import AreaScreen
from crm_tui.ui.text import KeptEnd, literal
from crm_tui.ui.widgets.fitted_table import Col, FittedTable

ROLE_DUTIES = {
    Role.CRM: "Everything on a case; the only role that imposes, varies, extends or lifts "
              "restrictions and signs decision letters.",
    Role.OFFICER: "Logs contacts, attaches evidence, records referrals, drafts restrictions "
                  "and letters; cannot decide or sign.",
    Role.HEAD_OF_SERVICE: "Gives the consultation view on referrals and on decisions not to "
                          "write; reads everything.",
    Role.SERVICE_DIRECTOR: "Decides appeals (confirm, amend or remove) on decisions they took "
                           "no part in, and records who is nominated to decide them in their "
                           "place (N); reads everything.",
    Role.SERVICE_AREA_MANAGER: "Records local resolution, log sheets and referrals for their "
                               "own service area only.",
    Role.USER_ADMIN: "Manages users and roles, and may revoke someone's signing key with a "
                     "recorded reason (the holder then makes a new one); reads and acts on no "
                     "case.",
}


# The name's narrowest (the role has its room first, the name takes the rest).
NAME_WIDTH = 14
# The name's widest before every other column is whole (room left over goes back to it).
NAME_CAP = 40


class TeamScreen(AreaScreen):
    MODE = "team"
    AUTO_FOCUS = "#users"
    CSS_PATH = "team.tcss"
    GUIDE = Guide("Team and roles",
                  'The users of this database, their roles and what each role may do.',
                  (ONLY_CRM, APPEAL))
    BINDINGS = [Binding("enter", "switch_to_selected", "Act as this user", show=False,
                        tooltip="Act as the highlighted person (demo only)"),
                Binding("N", "nominations", "Appeal nominations", id="team-nominations",
                        tooltip="The officers nominated to decide appeals; the Service Director "
                                "records and revokes them"),
                Binding("T", "direct_details", "Telephone and email",
                        tooltip="The person's direct line and email, given in letters that "
                                "name them as the customer's contact",
                        id="team-direct-details")]

    def compose_body(self) -> ComposeResult:
        # The name, then the role, as wide as they are: every person has a role, while the
        # service area is a service area manager's alone (two rows in the demo). It is shown
        # only with the roles whole beside it (at 100x30 it stood 24 columns wide and mostly
        # empty while the roles were cut to "Head of Service, Legal Services Partn…"; b15b
        # F6). The line under the table gives the highlighted person whole, service area,
        # login and telephone included. The role has its room before the name: one long
        # name took 50 columns and cut every role title to "…" (b15c F7); a name cut still
        # keeps the day its holder left (KeptEnd). The name is capped, room left over going
        # back to it: one long name with its "(left …)" took 62 columns at 200x60 and cut
        # every login and the service area (v15c m5).
        yield FittedTable(Col("login", "Login", priority=3, min_width=12, extra=True),
                          Col("name", "Name", priority=0, min_width=NAME_WIDTH,
                              max_width=NAME_CAP, room=1),
                          Col("role", "Role", priority=1, min_width=29, room=0),
                          Col("area", "Service area", priority=2, min_width=12, extra=True),
                          Col("telephone", "Telephone", priority=4, min_width=13, extra=True),
                          id="users", cursor_type="row", zebra_stripes=True,
                          enter="Act as" if self.crm_app.demo else None,
                          enter_offered=lambda: not self._gone())
        yield Static(id="duties")

    def on_mount(self) -> None:
        self.rows: list[UserInfo] = []
        self.refresh_data()

    def refresh_data(self) -> None:
        self.load_users()

    def refresh_users(self) -> None:
        """Someone was added, deactivated or given another role (by another program)."""
        self.load_users()

    @work(thread=True, exclusive=True, exit_on_error=False, group="team")
    def load_users(self) -> None:
        with session():
            rows = users.list_users()
        deliver_latest(self, self.show_users, rows)

    def show_users(self, rows: list[UserInfo]) -> None:
        table = self.query_one(DataTable)
        # The cursor stays on the person it was on (after Enter acted as them, the list is
        # read again: it went back to the first row, and a second Enter acted as that
        # person; v15b S6).
        was = self.rows[table.cursor_row].login if table.cursor_row < len(self.rows) else None
        table.clear()
        # Who may act now first; a person who has left stays listed (their steps are on
        # record) but marked so, with the day, by their name: the column that has room
        # first (b15d F2: a deactivated CRM was shown as a role holder one could act as).
        rows = sorted(rows, key=lambda u: not u.active)
        # Room for the day a person left and a few letters of their name before it.
        marks = [cell_len(_left_mark(u)) + 4 for u in rows if not u.active]
        fitted = self.query_one(FittedTable)
        fitted.specs = [replace(c, min_width=max([NAME_WIDTH, *marks])) if c.key == "name"
                        else c for c in fitted.specs]
        for u in rows:
            name = KeptEnd(u.name, _left_mark(u)) if not u.active else literal(u.name)
            table.add_row(literal(u.login), name,
                          literal(u.role.label), literal(u.service_area or ""),
                          literal(u.telephone), key=u.login)
        self.rows = rows
        at = next((i for i, u in enumerate(rows) if u.login == was), None)
        if at is not None:
            table.move_cursor(row=at, animate=False)
        self.show_duties()

    def _gone(self) -> bool:
        """Whether the person highlighted has left (no one can act as them)."""
        rows: list[UserInfo] = getattr(self, "rows", [])  # asked by the footer before mount
        table = self.query_one(DataTable)
        person = rows[table.cursor_row] if table.cursor_row < len(rows) else None
        return person is not None and not person.active

    @on(DataTable.RowHighlighted)
    def show_duties(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        role_label = str(self.query_one(FittedTable).row_cells(table.cursor_row)[2])
        role = next(r for r in Role if r.label == role_label)
        person = self.rows[table.cursor_row] if table.cursor_row < len(self.rows) else None
        gone = person is not None and not person.active
        if gone != getattr(self, "_gone_shown", False):
            self._gone_shown = gone
            self.refresh_bindings()  # the footer's "Act as" comes and goes with the row
        hint = ("  Enter: act as this user (demo)." if self.crm_app.demo and not gone else "")
        direct = (f"\nDirect telephone: {person.telephone or 'none'} · email: "
                  f"{person.email or 'none'} (T changes them)") if person else ""
        # The highlighted person whole: the table may cut or leave out any of it.
        who = ""
        if person is not None:
            area = f", {person.service_area}" if person.service_area else ""
            who = f"{person.name} ({person.login}) · "
            role_label = f"{role.label}{area}"
        duties = ROLE_DUTIES[role]
        if person is not None and not person.active:
            since = (f" since {in_prose(person.left_at.date())}"
                     if person.left_at is not None else "")
            role_label = f"inactive{since} (was {role_label})"
            duties = "no longer uses the app, so no one can act as them."
        self.query_one("#duties", Static).update(
            literal(f"{who}{role_label}: {duties}{hint}{direct}", wrap=True))

    def action_direct_details(self) -> None:
        table = self.query_one(DataTable)
        rows = self.rows
        if not rows or table.row_count == 0:
            return
        person = rows[table.cursor_row]
        actor = self.crm_app.actor

        def save(values: dict[str, str]) -> Any:
            return direct_details.set_direct_details(actor, person.login, values["telephone"],
                                                     values["email"])

        self.app.push_screen(FieldsDialog(
            f"Direct telephone and email · {person.name}",
            "Letters that name this person as the customer's single point of contact or "
            "named officer give these. A UK telephone number; an email address. Blank clears "
            "one. The user administrator, or the person themselves.",
            [Field("telephone", "Direct telephone", person.telephone),
             Field("email", "Direct email", person.email)], save,
             save="Keep the details"), lambda done: self._details_saved(done, person.name))

    def _details_saved(self, result: object, name: str) -> None:
        if result is not None:
            self.notify(f"Direct telephone and email kept for {name}", markup=False)
            self.refresh_data()
            self.crm_app.load_users()

    def action_nominations(self) -> None:
        from crm_tui.ui.screens.nominations import NominationsScreen

        self.app.push_screen(NominationsScreen())

    @on(DataTable.RowSelected)
    def action_switch_to_selected(self) -> None:
        table = self.query_one(DataTable)
        if self.crm_app.demo and table.row_count:
            person = (self.rows[table.cursor_row] if table.cursor_row < len(self.rows)
                      else None)
            if person is not None and not person.active:
                # Said here, from what the list shows, rather than tried and refused.
                self.notify(f"{person.name} has left{_left_mark(person, bare=True)}: no one "
                            "can act as them.", severity="warning", markup=False)
                return
            login = str(self.query_one(FittedTable).row_cells(table.cursor_row)[0])
            self.crm_app.switch_user(login)


def _left_mark(person: UserInfo, *, bare: bool = False) -> str:
    """" (left 6 Dec 2026)" by an inactive person's name; "" for one who may act."""
    if person.active:
        return ""
    day = f" {in_prose(person.left_at.date())}" if person.left_at is not None else ""
    if bare:
        return f" (on{day})" if day else ""
    return f" (left{day})"
