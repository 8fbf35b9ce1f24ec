"""Nominated officers: who the Service Director has nominated to decide appeals in their
place — for one case or for a period — by whom, when and why, and which are revoked. The
Service Director records one (`n`) or revokes one (`x`), confirming with their passphrase;
everyone else reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from crm_tui import clock
from crm_tui.domain.errors import ValidationError, raise_all
from crm_tui.domain.nominations import NOT_NOMINABLE, check_period, start_problem
from crm_tui.domain.roles import Role
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.reviews import nominations
from crm_tui.services.reviews.nominations import Candidate, NominationInfo
from crm_tui.ui.confirm import acting_as, confirming
from crm_tui.ui.delivery import DeliveryMixin, deliver, deliver_latest
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.forms import a_date, parse_date
from crm_tui.ui.guide import APPEAL, Guide
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.fitted_table import Col, FittedTable
from crm_tui.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from datetime import date

    from crm_tui.ui.app import CrmApp

WHO = ("Who may be nominated: a person of the Head of Service's standing who took no part in "
       "the decision. Nobody in another role may be: "
       + " ".join(why[0].upper() + why[1:] + "." for why in NOT_NOMINABLE.values()))


def _optional_date(values: dict[str, str], key: str) -> date | None:
    text = values.get(key, "").strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ValidationError(key, str(exc)) from None


def _period_rule(values: dict[str, str]) -> None:
    """The service's rules on a nomination's two days (domain.nominations), asked as either
    changes."""
    if values["case"].strip() or not (values["valid_from"].strip()
                                      and values["valid_until"].strip()):
        return
    start, end = parse_date(values["valid_from"]), parse_date(values["valid_until"])
    raise_all([ValidationError(*problem) for problem in (
        start_problem(start, clock.today()), check_period(start, end, clock.today()))
        if problem])


class NominationsScreen(DeliveryMixin, Screen[None]):
    CSS_PATH = "nominations.tcss"
    AUTO_FOCUS = "#nominations"
    GUIDE = Guide("Appeal nominations",
                  "The officers the Service Director has nominated to decide appeals, for a case "
                  "or a period.",
                  (APPEAL,))
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="nominations-back",
                tooltip="Back to where you came from"),
        Binding("n", "nominate", "Nominate", id="nominations-add",
                tooltip="Nominate an officer to decide appeals, for one case or a period (Service "
                        "Director)"),
        Binding("x", "revoke", "Revoke", id="nominations-revoke",
                tooltip="Revoke the highlighted nomination, giving the reason (Service Director)"),
    ]

    def __init__(self, reference: str | None = None) -> None:
        super().__init__()
        self.reference = reference
        self.rows: list[NominationInfo] = []
        self.names: dict[str, str] = {}

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        where = f" that cover {self.reference}" if self.reference else ""
        yield Static(literal(f"Officers nominated to decide appeals{where}"),
                     id="nominations-title")
        yield Static(literal(WHO, wrap=True), id="nominations-help")
        yield FittedTable(Col("id", "No.", priority=3, min_width=3),
                          Col("nominee", "Nominated officer", priority=0, min_width=18),
                          Col("covers", "For", priority=0, min_width=20, max_width=50),
                          Col("by", "Nominated by", priority=2, min_width=12),
                          Col("on", "On", priority=2, min_width=11),
                          Col("status", "Status", priority=1, min_width=10, max_width=30),
                          id="nominations", cursor_type="row", zebra_stripes=True, enter=None)
        yield Static(id="nomination-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("nominate", "revoke"):
            return self.crm_app.actor.role is Role.SERVICE_DIRECTOR
        return True

    @work(thread=True, exclusive=True, exit_on_error=False, group="nominations")
    def load(self) -> None:
        with session():
            rows = nominations.list_nominations(self.crm_app.actor, self.reference)
        deliver_latest(self, self.show, rows)

    def show(self, rows: list[NominationInfo]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        today = clock.today()
        for n in rows:
            table.add_row(literal(n.id), literal(f"{n.nominee} ({n.nominee_login})"),
                          literal(n.covers), literal(n.nominated_by),
                          literal(f"{n.nominated_at:%d %b %Y}"), literal(n.status(today)),
                          key=str(n.id))
        if not rows:
            self.query_one("#nomination-detail", Static).update(literal(
                "No nominations: appeals are decided by the Service Director."
                + (" n records one." if self.check_action("nominate", ()) else "")))
        self.highlighted()

    @on(DataTable.RowHighlighted)
    def highlighted(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return
        n = self.rows[table.cursor_row]
        revoked = (f"\nRevoked on {in_prose(n.revoked_at, full_month=True)} by {n.revoked_by}: "
                   f"{n.revoke_reason}"
                   if n.revoked_at is not None else "")
        self.query_one("#nomination-detail", Static).update(literal(
            f"{n.line}.\nReason: {n.reason}{revoked}", wrap=True))

    # -- the Service Director's steps --------------------------------------------------------
    def action_nominate(self) -> None:
        self.load_candidates()

    @work(thread=True, exclusive=True, exit_on_error=False, group="nominees")
    def load_candidates(self) -> None:
        with session():
            people = nominations.candidates()
        deliver(self, self._choose, people)

    def _choose(self, people: list[Candidate]) -> None:
        self.names = {p.login: p.name for p in people}
        if not people:
            self.notify("Nobody can be nominated: " + WHO, title="Nominate", markup=False,
                        severity="warning", timeout=12)
            return
        self.app.push_screen(ChooseDialog("Nominate whom to decide appeals?",
                                          [(p.login, p.label) for p in people]),
                             self._details)

    def _details(self, login: str | None) -> None:
        if login is None:
            return
        app = self.crm_app
        actor = app.actor

        def nominate(values: dict[str, str]) -> Any:
            return nominations.nominate(
                actor, login, values["reason"], case_reference=values["case"].strip() or None,
                valid_from=_optional_date(values, "valid_from"),
                valid_until=_optional_date(values, "valid_until"))

        self.app.push_screen(FieldsDialog(
            f"Nominate {self.names.get(login, login)} to decide appeals",
            "For one case: its reference, and no dates. For a period: no case, and the dates "
            "from and to (a year at most). Confirmed with your passphrase.",
            [Field("case", "Case reference", self.reference or ""),
             Field("valid_from", "From (for a period)", check=a_date(None)),
             Field("valid_until", "To (for a period)", check=a_date(None)),
             Field("reason", "Why")],
            confirming(app, actor, nominate,
                       what=f"Nominate {self.names.get(login, login)} to decide appeals, as "
                            f"{acting_as(actor)}"),
            save="Nominate", across=_period_rule),
            lambda done: self._recorded(done, f"{self.names.get(login, login)} nominated to "
                                              "decide appeals"))

    def action_revoke(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return
        chosen = self.rows[table.cursor_row]
        actor = self.crm_app.actor
        self.app.push_screen(TextPromptDialog(
            f"Revoke nomination {chosen.id}: {chosen.nominee}, for {chosen.covers}",
            "Why (recorded in the audit trail). Appeals already decided under it keep their "
            "record.", confirming(self.crm_app, actor, lambda text, _flag: nominations.revoke(
                actor, chosen.id, text), what=f"Revoke nomination {chosen.id} "
                f"({chosen.nominee}, for {chosen.covers}), as {acting_as(actor)}"),
            confirm="Revoke"),
            lambda done: self._recorded(done, f"Nomination {chosen.id} ({chosen.nominee}) "
                                              "revoked"))

    def _recorded(self, result: object, said: str) -> None:
        if result is not None:
            self.notify(said, title="Nominations", markup=False)
            self.load()
