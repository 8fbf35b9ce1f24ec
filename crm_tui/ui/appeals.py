"""Appeals from a case file: record one received (date and grounds; documents go in the
evidence viewer) while a restriction is in force or within the appeal period, and decide it —
confirm, amend or remove — reading the grounds first, by the Service Director or an officer
they nominated, who took no part in the decision. Amended restrictions are those set out in
the restriction builder, with new dates; the customer's letter follows from the Letters screen,
signed by whoever decided. `N` shows the nominations covering the case (and lets the Service
Director record or revoke one)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, cast

from textual import work
from textual.binding import Binding
from textual.screen import Screen

from crm_tui import clock
from crm_tui.domain.errors import DomainError, ValidationError
from crm_tui.domain.grounds import grounds_problem
from crm_tui.domain.in_force import starts_later
from crm_tui.domain.outcomes import AppealOutcome
from crm_tui.domain.restrictions import set_out_in_words
from crm_tui.domain.roles import Role
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.core.inputs import DecisionTerms
from crm_tui.services.restrictions import builder, readiness
from crm_tui.services.restrictions.readiness import DecisionPreview
from crm_tui.services.reviews import appeals
from crm_tui.services.reviews.appeals import AppealView
from crm_tui.ui.confirm import acting_as, confirming
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.appeal import AppealDialog
from crm_tui.ui.dialogs.decision import DecisionDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.reasons import ReasonsDialog
from crm_tui.ui.forms import a_date, a_reason, parse_date

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

APPEAL_BINDINGS = [Binding("A", "appeal", "Appeal", id="case-appeal",
                           tooltip="Record an appeal received from the customer against the "
                                   "latest decision to restrict; on a case under appeal, decide "
                                   "it: confirm, amend or remove"),
                   # Where no appeal can be recorded or decided now, the footer offers none
                   # and the same key says why (see appeal_refusal).
                   Binding("A", "why_no_appeal", show=False),
                   Binding("N", "nominations", "Nominations", id="case-nominations",
                           show=False,
                           tooltip="The officers the Service Director has nominated to decide "
                                   "appeals, for this case or for a period")]
APPEAL_STATES = (CaseState.RESTRICTED, CaseState.UNDER_REVIEW, CaseState.UNDER_APPEAL,
                 CaseState.ENDED)


def appeal_refusal(view: AppealView) -> str:
    """Why the A key can do nothing on the case now, for the acting person ("" if it can):
    the same rules the services refuse with, said before any form opens."""
    if view.open is not None:
        if view.why_not_decide:
            return (f"The appeal received on {in_prose(view.open.received_on)} awaits the "
                    f"decision of the Service Director or an officer they nominated: "
                    f"{view.why_not_decide}")
        return ""
    if view.not_lodgeable:
        return f"No appeal can be recorded on {view.reference}: {view.not_lodgeable}"
    if not view.may_lodge:
        return ("The Complaints Resolution Team records an appeal received; the Service "
                "Director, or an officer they nominated, decides it.")
    return ""


def amend_refusal(view: AppealView) -> str:
    """Why "upheld in part" cannot be chosen now ("" if it can): the key, the outcome chosen
    and the palette say the same."""
    if view.open is None or view.why_not_decide or not view.why_not_amend:
        return ""
    return (f"\u201cUpheld in part\u201d cannot be decided on {view.reference} yet: "
            f"{view.why_not_amend}.")


def late_note(typed: str, appeal_by: date | None) -> str:
    """Under the date an appeal was received: whether it is after the appeal deadline the
    customer was given. The policy sets no limit that refuses it: it is recorded, as late
    (v15b S8)."""
    try:
        received = parse_date(typed)
    except ValueError:
        return ""  # the field's own check says what is wrong with it
    if appeal_by is None or received <= appeal_by:
        return ""
    return (f"Late: received after the appeal deadline the customer was given "
            f"({in_prose(appeal_by, full_month=True)}). It is recorded as a late appeal, and "
            "whoever decides it is told.")


OUTCOME_WORDS = {AppealOutcome.CONFIRMED: "the decision confirmed",
                 AppealOutcome.AMENDED: "the restrictions amended as set out",
                 AppealOutcome.REMOVED: "the restrictions removed"}


def amended_dates(terms: DecisionTerms, shown: DecisionPreview) -> str:
    """The dates an amendment decides, in the confirmation's words: from, until, reviewed by;
    a start after today says that none are in force until then."""
    later = (" (none in force until then)"
             if starts_later(terms.starts_on, clock.today()) else "")
    review = (f", reviewed by {in_prose(shown.review_due, full_month=True)}"
              if shown.review_due is not None else "")
    return (f"from {in_prose(terms.starts_on, full_month=True)}{later} until "
            f"{in_prose(terms.ends_on, full_month=True)}{review}")


def _grounds(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _amended_terms(view: AppealView) -> DecisionTerms:
    """From today (or the later day those in force were decided to start: a sooner start is
    stricter) to the end of the restrictions in force: an amendment may shorten them."""
    default = builder.default_terms()
    today = clock.today()
    if view.restrictions_end is None or view.restrictions_end <= today:
        return default
    start = view.restrictions_start
    return DecisionTerms(starts_on=start if start is not None and starts_later(start, today)
                         else today, ends_on=view.restrictions_end)


class AppealActions(Screen[None]):
    """Mixed into the case file, which provides what is declared here."""

    reference: str
    # The appeal as the case file last read it (None before the first read).
    appeal_view: AppealView | None = None
    if TYPE_CHECKING:
        def current_state(self) -> CaseState | None: ...
        def reload_case(self, result: object, said: str = "Recorded") -> None: ...

    def appeal_allowed(self) -> bool:
        if self.appeal_view is None:
            return self.current_state() in APPEAL_STATES
        return not appeal_refusal(self.appeal_view)

    def appeal_key_refusal(self) -> str:
        """Why A can do nothing now ("" if it can): what the key says, and the palette."""
        if self.appeal_allowed():
            return ""
        why = appeal_refusal(self.appeal_view) if self.appeal_view is not None else ""
        return why or f"No appeal can be recorded on {self.reference} now."

    def action_why_no_appeal(self) -> None:
        self._not_now(self.appeal_key_refusal() or
                      f"No appeal can be recorded on {self.reference} now.")

    def nominations_shown(self) -> bool:
        actor = cast("CrmApp", self.app).actor
        return (self.current_state() is CaseState.UNDER_APPEAL
                or actor.role is Role.SERVICE_DIRECTOR)

    def action_nominations(self) -> None:
        from crm_tui.ui.screens.nominations import NominationsScreen

        self.app.push_screen(NominationsScreen(self.reference))

    def action_appeal(self) -> None:
        self.load_appeal()

    @work(thread=True, exclusive=True, exit_on_error=False, group="appeal")
    def load_appeal(self) -> None:
        try:
            with session():
                view = appeals.view(cast("CrmApp", self.app).actor, self.reference)
        except DomainError as exc:
            deliver(self, self._not_now, str(exc))
            return
        deliver(self, self._appeal_loaded, view)

    def _not_now(self, message: str) -> None:
        self.notify(message, title="Appeal", severity="warning", markup=False, timeout=12)

    def _appeal_loaded(self, view: AppealView) -> None:
        self.appeal_view = view
        why = appeal_refusal(view)
        if why:
            self._not_now(why)
            self.refresh_bindings()
            return
        if view.open is not None:
            self.app.push_screen(AppealDialog(view),
                                 lambda chosen: self._outcome(chosen, view))
            return
        app = cast("CrmApp", self.app)
        actor, ref = app.actor, self.reference

        def lodge(values: dict[str, str]) -> Any:
            try:
                received = parse_date(values["received_on"])
            except ValueError as exc:
                raise ValidationError("received_on", str(exc)) from None
            return appeals.lodge_appeal(actor, ref, received, values["grounds"])

        self.app.push_screen(FieldsDialog(
            f"Record an appeal against {view.against} on {ref}",
            "Attach the customer's appeal documents in the evidence viewer (v, then d).",
            [Field("received_on", "Received on", f"{clock.today():%d/%m/%Y}",
                   a_date("Type the day the appeal was received, like 28/11/2026",
                          latest=clock.today(), earliest=view.against_on,
                          earliest_is="the decision appealed against"),
                   note=lambda typed: late_note(typed, view.appeal_by)),
             Field("grounds", "The customer's grounds",
                   check=a_reason("Give the customer's grounds, in their words or a "
                                  "summary", grounds_problem))],
            lodge, discard="the appeal you typed", save="Record the appeal"),
            lambda done: self.reload_case(done, "Appeal lodged"))

    def _outcome(self, chosen: str | None, view: AppealView) -> None:
        if chosen is None or view.open is None:
            return
        app = cast("CrmApp", self.app)
        actor, ref, outcome = app.actor, self.reference, AppealOutcome(chosen)
        grounds = _grounds(view.open.grounds)
        customer = view.customer_name or "the customer"
        question = (f"Decide the appeal of {customer} ({ref}): {OUTCOME_WORDS[outcome]}, as "
                    f"{acting_as(actor)}? {customer} is then sent the result in a letter "
                    "you sign.")
        if outcome is AppealOutcome.AMENDED and not view.drafts_set_out:
            # Known before the form: its panel said so only once it was open, in the
            # lifecycle's words (v15e F14).
            self._not_now(f"Nothing is set out to amend the restrictions on {ref} to. Set out "
                          "the restrictions as they should now be in the restriction builder "
                          "(R on the case file, then a), then choose \u201cupheld in part\u201d "
                          "again; to keep those in force as they are, choose \u201cnot "
                          "upheld\u201d.")
            return
        if outcome is AppealOutcome.AMENDED and view.why_not_amend:
            # What the form's panel and save would refuse with whatever the dates, said at
            # once instead of opening it (v22 C1): the decider cannot link evidence.
            self._not_now(amend_refusal(view))
            return
        if outcome is AppealOutcome.AMENDED:
            def amend(terms: DecisionTerms, reason: str, _against: str,
                      read: dict[int, int], told: str) -> Any:
                return appeals.decide_appeal(actor, ref, outcome, reason, terms, read,
                                             customer_reason=told)

            def preview(terms: DecisionTerms | None, reason: str, _against: str,
                        told: str) -> DecisionPreview:
                return readiness.preview_amendment(actor, ref, terms, reason, told)

            asked = [question]

            def amended(terms: DecisionTerms, shown: DecisionPreview) -> str:
                # The dates decided, as the impose confirmation names them (v15k U3): a
                # later start in particular, nothing being in force until then.
                asked[0] = (f"Decide the appeal of {customer} ({ref}): "
                            f"the restrictions amended to {set_out_in_words(view.set_out)}, "
                            f"{amended_dates(terms, shown)}, as "
                            f"{acting_as(actor)}? {customer} is then sent the result in a "
                            "letter you sign.")
                return asked[0]

            self.app.push_screen(DecisionDialog(
                f"Amend on appeal · {ref} (ctrl+s decides) · the customer's grounds: {grounds}",
                _amended_terms(view), confirming(app, actor, amend, what=lambda *_: asked[0]),
                preview, confirm=amended, review_in_force=view.review_due),
                lambda done: self.reload_case(done, "Appeal decided"))
            return
        self.app.push_screen(ReasonsDialog(
            f"{outcome.label} · {ref}",
            f"The customer's grounds: {grounds}\n\nYour reasons: the internal record",
            confirming(app, actor,
                       lambda text, told, _flag: appeals.decide_appeal(
                           actor, ref, outcome, text, customer_reason=told), what=question),
            confirm="Decide", question=question),
            lambda done: self.reload_case(done, "Appeal decided"))
