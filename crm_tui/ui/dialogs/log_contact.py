"""Log a contact in a few keystrokes, top down: when (now unless changed), channel, direction,
service area, officer, minutes, summary and the behaviour it shows. The cursor starts on When,
so typing down the form fills each field in turn; the officer, the minutes and the summary must
be given. The same form corrects a logged contact, with the reason for the correction (the entry
as it was goes into the audit trail)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, cast

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from crm_tui import clock
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.compliance import Verdict
from crm_tui.domain.contact import Channel, Direction, officer_name_problem, read_minutes
from crm_tui.domain.errors import DomainError
from crm_tui.domain.typed_dates import parse_time
from crm_tui.services.core.database import session
from crm_tui.services.evidence import contacts
from crm_tui.services.evidence.contact_input import MAX_OFFICER, MAX_SUMMARY
from crm_tui.services.evidence.contacts import ContactInput
from crm_tui.services.evidence.log_sheet import ContactRow
from crm_tui.services.restrictions import compliance
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.base import FormDialog, save_binding
from crm_tui.ui.forms import (
    Check,
    a_reason,
    a_time,
    field,
    minutes,
    required,
)
from crm_tui.ui.guide import EXAMPLES, LOCAL_RESOLUTION, Guide
from crm_tui.ui.keys_after_refusal import not_a_refusal
from crm_tui.ui.text import choices, literal, ticks
from crm_tui.ui.widgets.tick_marks import SelectionList

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp



class RecordedContact(NamedTuple):
    """What the dialog hands back: the contact logged (or corrected) and when it was."""

    contact_id: int
    at: datetime
    corrected: bool


CHECKS: dict[str, Check] = {
    "when": a_time,
    "officer": a_reason("Name the officer who dealt with the contact", officer_name_problem),
    "minutes": minutes,
    "summary": required("Say what the contact was about, in a sentence or two"),
}


class LogContactDialog(FormDialog):
    DEFAULT_CSS = """
    LogContactDialog { align: center middle; }
    LogContactDialog > VerticalScroll {
        width: 90; height: 90%; border: thick $accent; background: $surface; padding: 0 2;
    }
    LogContactDialog .field-error { color: $error; }
    LogContactDialog .-problem { border: tall $error; }
    /* Every option (the dialog scrolls: a list of 8 lines drew its own scrollbar beside it). */
    LogContactDialog SelectionList { height: auto; }
    LogContactDialog #form-error { color: $error; }
    """
    GUIDE = Guide("Log a contact",
                  "One contact with the customer for the log sheet: when, channel, direction, "
                  "officer, minutes, summary and the behaviour it shows.",
                  (LOCAL_RESOLUTION, EXAMPLES))
    BINDINGS = [save_binding("Log the contact", tooltip="Add this contact to the case's log sheet")]
    FIELD_IDS = {"service_area": "area", "duration_minutes": "minutes"}
    # The contacts service's limits: a field takes no more as it is typed.
    FIELD_LIMITS = {"officer": MAX_OFFICER, "summary": MAX_SUMMARY}
    DISCARD = "the contact you typed"

    def __init__(self, reference: str, areas: tuple[str, ...],
                 existing: ContactRow | None = None, *, area: str = "") -> None:
        super().__init__()
        self.reference = reference
        self.existing = existing
        # A contact logged against an area since removed from the configuration keeps it;
        # a new one starts at the case's own area (`area`), not the first configured.
        keep = existing.service_area if existing is not None else area
        self.areas = areas if not keep or keep in areas else (*areas, keep)
        self.area = keep or self.areas[0]
        if existing is not None:  # the save key says what it does here (v16b: "Log the contact")
            self.name_save("Correct the contact")

    def compose(self) -> ComposeResult:
        old = self.existing
        with VerticalScroll():
            yield Static(literal(f"{'Correct' if old else 'Log'} a contact · {self.reference}"),
                         classes="title")
            yield Static("", id="form-error")
            if old is not None:
                yield from field("Reason for the correction (kept in the audit trail)",
                                  Input(id="reason"))
            yield from field("When (dd/mm/yyyy hh:mm)", Input(
                (old.at if old else clock.now()).strftime("%d/%m/%Y %H:%M"), id="when"))
            yield from field("Channel", Select[str](
                choices((c.label, c.value) for c in Channel),
                value=(old.channel if old else Channel.TELEPHONE).value,
                allow_blank=False, id="channel"))
            yield from field("Direction", Select[str](
                choices((d.label, d.value) for d in Direction),
                value=(old.direction if old else Direction.INBOUND).value,
                allow_blank=False, id="direction"))
            yield from field("Service area", Select[str](
                choices((a, a) for a in self.areas), value=self.area,
                allow_blank=False, id="area"))
            yield from field("Officer", Input(old.officer if old else "", id="officer"))
            yield from field("Minutes it took", Input(str(old.duration_minutes) if old else "",
                                                       id="minutes"))
            yield from field("Summary", Input(old.summary if old else "", id="summary"))
            yield from field("Behaviour shown (space ticks)", SelectionList[str](
                *ticks((c.label, c.name, bool(old and c in old.categories))
                        for c in BehaviourCategory), id="categories"))

    def checks(self) -> dict[str, Check]:
        if self.existing is None:
            return CHECKS
        return {"reason": required("Say why the entry is corrected"), **CHECKS}

    def _gather(self) -> ContactInput:
        """The contact as typed; call only once the checks pass."""
        return ContactInput(
            at=parse_time(self.query_one("#when", Input).value),
            channel=Channel(str(self.query_one("#channel", Select).value)),
            direction=Direction(str(self.query_one("#direction", Select).value)),
            service_area=str(self.query_one("#area", Select).value),
            officer_name=self.query_one("#officer", Input).value,
            summary=self.query_one("#summary", Input).value,
            duration_minutes=read_minutes(self.query_one("#minutes", Input).value),
            categories=tuple(BehaviourCategory[n] for n in
                             self.query_one("#categories", SelectionList).selected))

    def action_save(self) -> None:
        if not self.checked():
            return
        entry = self._gather()
        reason = self.query_one("#reason", Input).value if self.existing else ""
        self.save(entry, reason)

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-contact")
    def save(self, entry: ContactInput, reason: str) -> None:
        app = cast("CrmApp", self.app)
        try:
            with session():
                if self.existing is not None:
                    contacts.correct_contact(app.actor, self.reference, self.existing.id,
                                             entry, reason, read_version=self.existing.version)
                    contact_id = self.existing.id
                else:
                    contact_id = contacts.log_contact(app.actor, self.reference, entry)
                verdict = compliance.verdict_for(app.actor, self.reference, contact_id)
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        deliver(self, self._done, RecordedContact(contact_id, entry.at,
                                                  self.existing is not None), verdict)

    def _done(self, recorded: RecordedContact, verdict: Verdict) -> None:
        # Said at once: whether the customer kept to their restrictions with this contact.
        if verdict.breaches:
            with not_a_refusal(self.app):  # the contact is saved: the keys after it act
                self.app.notify("\n".join(f"{b.kind.label}: {b.reason}\n→ {b.what_to_do()}"
                                          for b in verdict.breaches),
                                title="Breach of restrictions recorded", severity="warning",
                                markup=False, timeout=12)
        elif verdict.notes:
            self.app.notify("\n".join(verdict.notes), title="Check this contact",
                            markup=False, timeout=12)
        self.dismiss(recorded)
