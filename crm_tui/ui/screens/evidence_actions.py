"""What the evidence screen lets a user do to the evidence: log, correct, tag, link, sort
contacts under matters, attach and import, choose the period and export the bundle. Each step
runs in a dialog's thread worker; a refusal stays in the dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from textual import work
from textual.screen import Screen
from textual.widgets import DataTable

from crm_tui import clock
from crm_tui.domain.categories import BehaviourCategory
from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.grounds import account_problem, name_problem
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.evidence import analysis, bundle, contacts, documents, matters, tagging
from crm_tui.services.evidence.analysis import Period
from crm_tui.services.evidence.tagging import EvidenceKind
from crm_tui.services.restrictions import view_at_stake
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.path_prompt import PathDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.dialogs.ticks import tag_dialog
from crm_tui.ui.forms import a_date, a_reason, parse_date
from crm_tui.ui.keys_wait import IN_BACKGROUND
from crm_tui.ui.widgets.log_sheet_table import LogSheetTable

if TYPE_CHECKING:
    from crm_tui.services.evidence.analysis import Analysis
    from crm_tui.services.evidence.documents import DocumentInfo
    from crm_tui.services.evidence.matters import MatterInfo
    from crm_tui.ui.app import CrmApp
    from crm_tui.ui.dialogs.log_contact import RecordedContact

NO_MATTER = "none"


def _day(value: date) -> str:
    return in_prose(value)


def contact_recorded(at: datetime, corrected: bool, period: Period | None) -> str:
    """What logging (or correcting) a contact did, and whether the log sheet and the analysis
    on show list it: the period shown may be a monitoring period long past."""
    done = f"Contact of {_day(at)} {at:%H:%M} {'corrected' if corrected else 'recorded'}"
    if period is None:
        return f"{done}."
    shown = f"the period shown ({period.label}, {_day(period.start)} to {_day(period.end)})"
    if period.start <= at.date() <= period.end:
        return f"{done}: it falls in {shown}, and the log sheet lists it."
    return (f"{done}. It falls outside {shown}, so the log sheet and the analysis leave it "
            "out: p chooses a period that includes it.")


def log_sheet_imported(days: tuple[date, ...], period: Period | None) -> str:
    """What an import did, and how many of its contacts the period on show leaves out (as
    logging one by hand says it: round 11)."""
    done = f"Log sheet imported: {counted(len(days), 'contact')}"
    if period is None:
        return done
    outside = sum(1 for day in days if not period.start <= day <= period.end)
    if not outside:
        return done
    shown = f"the period shown ({period.label}, {_day(period.start)} to {_day(period.end)})"
    some = ("It falls" if len(days) == 1 else "All of them fall" if outside == len(days) else
            f"{counted(outside, 'contact')} of them {'falls' if outside == 1 else 'fall'}")
    return (f"{done}. {some} outside {shown}, so the log sheet and the analysis leave "
            f"{'it' if outside == 1 else 'them'} out: p chooses a period that includes "
            f"{'it' if outside == 1 else 'them'}.")


def _dates(values: dict[str, str]) -> Period:
    try:
        start = parse_date(values["start"])
    except ValueError as exc:
        raise ValidationError("start", str(exc)) from None
    try:
        end = parse_date(values["end"])
    except ValueError as exc:
        raise ValidationError("end", str(exc)) from None
    return analysis.check_period(start, end)


class EvidenceActions(Screen[None]):
    reference: str
    documents: list[DocumentInfo]
    matters: list[MatterInfo]
    period: Period | None
    figures: Analysis | None
    shown_period: Period | None
    service_area: str

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    if TYPE_CHECKING:  # provided by the evidence screen this is mixed into
        @property
        def tab(self) -> str: ...
        def reload(self) -> None: ...

    def _changed(self, result: object, said: str = "Recorded") -> None:
        if result is not None:
            self.notify(said, title=self.reference, markup=False)
            self.reload()

    def _said(self, said: str) -> Callable[[object], None]:
        """The callback of a step whose toast says what was done ("Document attached"),
        not only "Recorded" (found when tried)."""
        return lambda result: self._changed(result, said)

    def _contact_recorded(self, done: RecordedContact | None) -> None:
        if done is not None:
            self.notify(contact_recorded(done.at, done.corrected,
                                         self.shown_period),
                        title=self.reference, markup=False, timeout=10)
            self.reload()

    def _tell(self, message: str, severity: str = "information") -> None:
        # Messages can quote customer text or file names: never read as markup.
        self.notify(message, title=self.reference, severity=severity,  # type: ignore[arg-type]
                    markup=False, timeout=10)

    # -- a Head of Service's view the step would void ------------------------------------
    # Each step that changes evidence a draft rests on (e, b, m, and k to or from a draft)
    # voids a view given on the drafts as they stand: asked first, naming whose view and
    # when, as the builder's k asks (t15d F1: m voided it without a word).
    def _ask_first(self, question: str, stake: str, go: Callable[[], None]) -> None:
        if not stake:
            go()
            return
        self.app.push_screen(AskDialog(f"{question} {stake}", yes="Go ahead, and consult again",
                                       no="Not now"),
                             lambda yes: go() if yes else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-weigh")
    def ask_if_view_voided(self, question: str, go: Callable[[], None], what: str, *,
                           contact: int | None = None, restriction: int | None = None,
                           document: int | None = None) -> None:
        try:
            with session():
                stake = view_at_stake.view_voided(
                    self.crm_app.actor, self.reference, contact=contact, document=document,
                    restriction=restriction, what=what)
        except DomainError as exc:
            deliver(self, self._tell, str(exc), "error")
            return
        deliver(self, self._ask_first, question, stake, go)

    # -- what the cursor is on --------------------------------------------------------------
    def _selected(self) -> tuple[EvidenceKind, int, str] | None:
        """The contact or document under the cursor of the tab in view."""
        if self.tab == "log-tab":
            row = self.query_one(LogSheetTable).highlighted
            if row is not None:
                return (EvidenceKind.CONTACT, row.id,
                        f"the contact of {in_prose(row.at)} {row.at:%H:%M}")
        elif self.tab == "documents-tab":
            table = self.query_one("#documents", DataTable)
            if table.row_count:
                doc = self.documents[table.cursor_row]
                return EvidenceKind.DOCUMENT, doc.id, doc.original_name
        self.notify("Put the cursor on a contact or a document first.", severity="warning")
        return None

    def _matter_at_cursor(self) -> MatterInfo | None:
        table = self.query_one("#matters", DataTable)
        if not table.row_count:
            self.notify("No matters are recorded yet: n records one.", severity="warning")
            return None
        return self.matters[table.cursor_row]

    # -- log sheets -------------------------------------------------------------------------
    def action_log_contact(self) -> None:
        from crm_tui.ui.dialogs.log_contact import LogContactDialog

        self.app.push_screen(LogContactDialog(self.reference,
                                              self.crm_app.config.service_areas,
                                              area=self.service_area),
                             self._contact_recorded)

    def action_correct_contact(self) -> None:
        from crm_tui.ui.dialogs.log_contact import LogContactDialog

        row = self.query_one(LogSheetTable).highlighted
        if row is None:
            self.notify("There is no contact here to correct.", severity="warning")
            return
        self.ask_if_view_voided(
            f"Correct the contact of {in_prose(row.at)} {row.at:%H:%M}?",
            lambda: self.app.push_screen(LogContactDialog(
                self.reference, self.crm_app.config.service_areas, existing=row),
                self._contact_recorded), "this contact", contact=row.id)

    def action_import_log_sheet(self) -> None:
        actor, reference = self.crm_app.actor, self.reference
        self.app.push_screen(PathDialog(
            f"Import a log sheet onto {reference}",
            "A UTF-8 CSV with the columns when, channel, direction, service_area, officer, "
            "duration_minutes, summary, categories (see the README): when as 28/11/2026 09:30 "
            "(or 2026-11-28 09:30); channels, directions and behaviours as the screens name "
            "them (Web form, From customer, Repeat complaints) or by code, several behaviours "
            "separated by semicolons. Every line is checked first: all of them are recorded, "
            "or none.",
            lambda path: contacts.import_log_sheet_report(actor, reference, path),
            go="Import the log sheet"), self._imported)

    def _imported(self, done: contacts.LogSheetImport | None) -> None:
        # What to do with each breach, in plain words, not only that there was one.
        if done is not None and done.breaches:
            lines = [f"{in_prose(f.at)} {f.at:%H:%M}: {f.breach.kind.label}: {f.breach.reason}\n"
                     f"→ {f.breach.what_to_do()}" for f in done.breaches[:5]]
            more = len(done.breaches) - len(lines)
            if more > 0:
                lines.append(f"… and {more} more: the log sheet marks each ⚑; the screening "
                             "queue (s on the home screen) lists those to read.")
            self.notify("\n".join(lines), title=f"{counted(len(done.breaches), 'breach')} of the "
                        "restrictions recorded", severity="warning", markup=False, timeout=15)
        if done is not None:
            self.notify(log_sheet_imported(done.days, self.shown_period),
                        title=self.reference, markup=False, timeout=10)
            self.reload()

    # -- documents --------------------------------------------------------------------------
    def action_attach_document(self) -> None:
        actor, reference = self.crm_app.actor, self.reference
        self.app.push_screen(PathDialog(
            f"Attach a document to {reference}",
            "The file is copied into the evidence store under its SHA-256 and can no longer "
            "change unnoticed. Emails (.eml, .msg), PDFs, text, images and office files.",
            lambda path: documents.attach_document(actor, reference, path),
            go="Attach the document"), self._said("Document attached"))

    # -- weighing ---------------------------------------------------------------------------
    def action_tag(self) -> None:
        chosen = self._selected()
        if chosen is not None:
            self.open_tags(*chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-weigh")
    def open_tags(self, kind: EvidenceKind, item_id: int, label: str) -> None:
        actor, reference = self.crm_app.actor, self.reference
        about = ({"contact": item_id} if kind is EvidenceKind.CONTACT
                 else {"document": item_id})
        with session():
            current = tagging.current_tags(actor, reference, kind, item_id)
            stake = view_at_stake.view_voided(actor, reference, what=label, **about)

        def tagged(names: tuple[str, ...] | None) -> None:
            if names is None:
                return
            ticked = [BehaviourCategory[n] for n in names]
            shown = ", ".join(c.label for c in ticked) or "none"
            same = " (unchanged)" if set(ticked) == set(current) else ""
            self._tell(f"Behaviour shown on {label}{same}: {shown}")
            self.reload()

        # Screens are built on the event loop, not in this thread.
        deliver(self, self._ask_first, f"Change the behaviour {label} shows?", stake,
                lambda: self.app.push_screen(tag_dialog(
                    f"Behaviour shown by {label}", current,
                    lambda categories: tagging.tag(actor, reference, kind, item_id,
                                                   categories)),
                    tagged))

    def action_link(self) -> None:
        chosen = self._selected()
        if chosen is not None:
            self.open_links(*chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-weigh")
    def open_links(self, kind: EvidenceKind, item_id: int, label: str) -> None:
        with session():
            targets = tagging.link_targets(self.crm_app.actor, self.reference, kind, item_id)
        if not targets:
            deliver(self, self._tell, "This case has no referral or restriction to link to.")
            return
        # A restriction decided on is marked as fixed, and choosing it says why at once.
        choices = [(t.key, ("✓ linked · " if t.linked else "  ") + t.label
                    + (" — fixed: decided on" if t.fixed else "")) for t in targets]
        fixed = {t.key: t.fixed for t in targets if t.fixed}
        linked = {t.key for t in targets if t.linked}
        # The toast names both ends: "Contact of 28 Nov 2026 09:00 linked to restriction 20:
        # Named officer only (draft)", not a bare "Linked".
        names = {t.key: t.label[:1].lower() + t.label[1:] for t in targets}
        names = {k: f"the {v}" if v.startswith("referral") else v for k, v in names.items()}
        # "the contact of …" opens the sentence as "Contact of …"; a file keeps its name.
        what = label[4:5].upper() + label[5:] if label.startswith("the ") else label
        deliver(self, lambda: self.app.push_screen(
            ChooseDialog(f"Link {label} to (a linked one unlinks)", choices),
            lambda target: self._toggle_link(kind, item_id, target, what,
                                             names.get(target or "", ""),
                                             fixed.get(target or "", ""),
                                             unlinking=target in linked)))

    def _toggle_link(self, kind: EvidenceKind, item_id: int, target: str | None,
                     what: str, to: str, fixed: str = "", *, unlinking: bool = False) -> None:
        if target is None:
            return
        if fixed:
            self._tell(f"{fixed}. Nothing was changed.", "warning")
            return
        kind_of, _, number = target.partition(":")
        if kind_of != "restriction" or not number.isdigit():
            self.run_toggle(kind, item_id, target, what, to)
            return
        # "Contact of …" opened the toast's sentence; inside the question it is "the contact".
        shown = f"the c{what[1:]}" if what.startswith("Contact of") else what
        self.ask_if_view_voided(
            (f"Unlink {shown} from {to}?" if unlinking else f"Link {shown} to {to}?"),
            lambda: self.run_toggle(kind, item_id, target, what, to), what,
            restriction=int(number))

    # A step that writes runs in a group of its own and is never cancelled: in the group of
    # the lookups (k, b), the lookup a key started next cancelled a link chosen just before
    # it, before it ran (round 12 found the same in the inbox: `c o` lost the c).
    @work(thread=True, exit_on_error=False, group="evidence-write")
    def run_toggle(self, kind: EvidenceKind, item_id: int, target: str, what: str,
                   to: str) -> None:
        try:
            with session():
                linked = tagging.toggle_link(self.crm_app.actor, self.reference, kind,
                                             item_id, target)
        except DomainError as exc:
            # Said without the field's name: "target: The … restriction is in force…" (F5).
            message = exc.message if isinstance(exc, ValidationError) else str(exc)
            deliver(self, self._tell, message, "error")
            return
        deliver(self, self._tell,
                f"{what} linked to {to}" if linked else f"{what} unlinked from {to}")
        deliver(self, self.reload)

    def action_set_matter(self) -> None:
        row = self.query_one(LogSheetTable).highlighted
        if row is None:
            return
        if not self.matters:
            self.notify("No matters are recorded yet: 4 then n records one.",
                        severity="warning")
            return
        choices = [(str(m.id), m.label) for m in self.matters]
        choices.append((NO_MATTER, "(not about a recorded matter)"))
        self.ask_if_view_voided(
            f"Put the contact of {in_prose(row.at)} {row.at:%H:%M} under a matter?",
            lambda: self.app.push_screen(ChooseDialog(
                f"Which matter is the contact of {in_prose(row.at)} about?", choices),
                lambda key: self._matter_chosen(row.id, key)), "this contact", contact=row.id)

    def _matter_chosen(self, contact_id: int, key: str | None) -> None:
        if key is not None:
            self.run_set_matter(contact_id, None if key == NO_MATTER else int(key))

    @work(thread=True, exit_on_error=False, group="evidence-write")
    def run_set_matter(self, contact_id: int, matter_id: int | None) -> None:
        try:
            with session():
                tagging.set_matter(self.crm_app.actor, self.reference, contact_id, matter_id)
        except DomainError as exc:
            deliver(self, self._tell, str(exc), "error")
            return
        deliver(self, self.reload)

    # -- matters ----------------------------------------------------------------------------
    def action_new_matter(self) -> None:
        actor, reference = self.crm_app.actor, self.reference
        self.app.push_screen(FieldsDialog(
            "A matter the customer has raised",
            "Name it as the council would (e.g. 'Council tax bill 2025/26').",
            [Field("title", "Matter", check=a_reason("Name the matter, e.g. 'Council tax "
                                                     "bill 2025/26'", rule=name_problem))],
            lambda values: matters.open_matter(actor, reference, values["title"]),
            save="Record the matter"),
            self._said("Matter recorded"))

    def action_close_matter(self) -> None:
        matter = self._matter_at_cursor()
        if matter is None:
            return
        actor, reference = self.crm_app.actor, self.reference
        today = f"{clock.today():%d/%m/%Y}"

        def close(values: dict[str, str]) -> Any:
            try:
                closed_on = parse_date(values["closed_on"])
            except ValueError as exc:
                raise ValidationError("closed_on", str(exc)) from None
            return matters.close_matter(actor, reference, matter.id, closed_on,
                                        values["outcome"])

        self.app.push_screen(FieldsDialog(
            f'Close "{matter.title}"',
            "When the council finished dealing with it, and how (e.g. 'stage 2 answered'). "
            "Contacts about it after that date count as repeats.",
            [Field("closed_on", "Closed on", today,
                   a_date("Type the day it was closed, like 28/11/2026", past=True)),
             Field("outcome", "How it was dealt with",
                   check=a_reason("Say how it was dealt with, e.g. 'stage 2 answered'",
                                  rule=account_problem))],
            close, save="Close the matter"), self._said("Matter closed"))

    def action_reopen_matter(self) -> None:
        matter = self._matter_at_cursor()
        if matter is None:
            return
        actor, reference = self.crm_app.actor, self.reference
        self.app.push_screen(TextPromptDialog(
            f'Reopen "{matter.title}"',
            "Why the closure was wrong (contacts about it stop counting as repeats):",
            lambda text, _flag: matters.reopen_matter(actor, reference, matter.id, text),
            confirm="Reopen the matter"), self._said("Matter reopened"))

    # -- period and bundle ------------------------------------------------------------------
    def action_period(self) -> None:
        current = self.shown_period
        self.app.push_screen(FieldsDialog(
            "The period the analysis covers",
            "The monitoring period is shown first; choose any period up to three years.",
            [Field("start", "From", f"{current.start:%d/%m/%Y}" if current else "",
                   a_date("Type the first day, like 01/09/2026")),
             Field("end", "To", f"{current.end:%d/%m/%Y}" if current else "",
                   a_date("Type the last day, like 30/11/2026"))],
            _dates, save="Show this period", across=_dates), self._period_chosen)

    def _period_chosen(self, period: Period | None) -> None:
        if period is not None:
            self.period = period
            self.reload()

    def action_export_bundle(self) -> None:
        self.notify("Writing the evidence bundle…", title=self.reference)
        self.run_export()

    @work(thread=True, exclusive=True, exit_on_error=False, group="evidence-bundle",
          name=IN_BACKGROUND)
    def run_export(self) -> None:
        config = self.crm_app.config
        try:
            with session():
                path = bundle.export_bundle(self.crm_app.actor, self.reference,
                                            config.exports_path(), config.council.name,
                                            self.period)
        except (DomainError, OSError) as exc:
            deliver(self, self._tell, f"No bundle was written: {exc}", "error")
            return
        deliver(self, self._tell, f"Evidence bundle written to {path}")
