"""A review session: every review due (or overdue) up to a date, one case after another,
without leaving the screen. For each: what happened since the last decision, and the outcome
— continue unchanged, lift (with a letter, or not writing after consulting the Head of
Service), propose an extension (the customer is invited to comment by a date), or change the
review period with one of the policy's reasons. Escape pauses; the session resumes where it
was left."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from crm_tui import clock
from crm_tui.domain.counting import counted
from crm_tui.domain.dates import ReviewPeriodReason, add_months
from crm_tui.domain.errors import DomainError, ValidationError, raise_all
from crm_tui.domain.grounds import comments_problem
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.outcomes import ConsultationView
from crm_tui.domain.proposal import invitation_dates_problems
from crm_tui.domain.states import CaseState
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core import comments_in, deadlines, settings
from crm_tui.services.core.database import session
from crm_tui.services.core.results import CaseSummary
from crm_tui.services.reviews import review_session, review_steps
from crm_tui.services.reviews.review_session import ReviewFacts, SessionInfo
from crm_tui.ui.changes import CaseChanged, FollowsChanges
from crm_tui.ui.confirm import acting_as, confirming
from crm_tui.ui.delivery import DeliveryMixin, deliver, deliver_latest
from crm_tui.ui.dialogs.choose import ChooseDialog
from crm_tui.ui.dialogs.fields import Field, FieldsDialog
from crm_tui.ui.dialogs.reasons import ReasonsDialog
from crm_tui.ui.dialogs.text_prompt import TextPromptDialog
from crm_tui.ui.forms import a_date, a_reason, parse_date, required
from crm_tui.ui.guide import REVIEW, REVIEW_OUTCOME, Guide
from crm_tui.ui.text import literal, said
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.charts import WeekChart, busiest_words
from crm_tui.ui.widgets.keys_footer import KeysFooter
from crm_tui.ui.widgets.more_panel import MorePanel

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


def _date(values: dict[str, str], key: str) -> date:
    try:
        return parse_date(values[key])
    except ValueError as exc:
        raise ValidationError(key, str(exc)) from None


def _invitation_dates(values: dict[str, str]) -> None:
    """The service's rule on the two days (domain.proposal), asked as either changes."""
    raise_all([ValidationError(*problem) for problem in invitation_dates_problems(
        _date(values, "reply_by"), _date(values, "ends_on"), clock.today())])


def short_period_note(typed: str, earliest: date | None) -> str:
    """Under "Comments by": a date shorter than the reply-by period from today is not what
    the customer is told; the letter carries the later date the rule gives (found when tried:
    a two-day date was accepted without a word and the letter told the customer it)."""
    try:
        given = parse_date(typed)
    except ValueError:
        return ""  # the field's own check says what is wrong with it
    if earliest is None or given >= earliest:
        return ""
    return (f"Shorter than the reply-by period ({comments_in.period_words()} from today): "
            f"the invitation, signed today, gives the customer until "
            f"{in_prose(earliest, full_month=True)}, and that is the date its letter carries "
            "(signed later, the period from the day it is signed).")


def restrictions_line(s: CaseSummary) -> str:
    """The restrictions, when the review is due and when they end; ended ones (lifted, removed
    on appeal since the session began) say so (v15i L2: the line read "; they end 28 Nov
    2026" under "Restrictions ended", its first half left out with no review due)."""
    kinds = ", ".join(k.label for k in s.restriction_kinds)
    end = s.restrictions_end
    if s.state is CaseState.ENDED or (end is not None and end < clock.today()):
        return (f"Restrictions: {kinds or 'none in force'}; they ended"
                + (f" {in_prose(end)}" if end is not None else ""))
    if s.starting_kinds and s.starts_on is not None:
        # Decided to start on a later day: named, and when (v15k V1: "Restrictions: none;
        # … they end 18 Nov 2027" left them out).
        starting = ", ".join(k.label for k in s.starting_kinds)
        line = (f"Restrictions: none in force yet; decided: {starting}, from "
                f"{in_prose(s.starts_on)} (not yet in force)")
    else:
        line = f"Restrictions: {kinds or 'none'}"
    if s.review_due is not None:
        line += f"; review due {in_prose(s.review_due)}"
    if end is not None:
        line += f"; they end {in_prose(end)}"
    return line


def facts_text(f: ReviewFacts) -> Text:
    s = f.summary
    text = Text()
    text.append(f"{s.customer_name} ({s.customer_reference}) · {s.state.label}\n", style="bold")
    text.append(restrictions_line(s) + "\n\n")
    text.append(f"Since the last decision ({in_prose(f.since)}): ", style="bold")
    text.append(f"{counted(f.contacts, 'contact')}, {f.from_customer} from the customer\n")
    text.append("Breaches of the restrictions since then: ", style="bold")
    text.append(f"{f.breaches}\n", style="bold red" if f.breaches else "green")
    for reason, n in f.breach_reasons:
        text.append(f"  {n:>4}  {reason}\n")
    text.append("Behaviour seen: ", style="bold")
    text.append(", ".join(f"{label} ({n})" for label, n in f.behaviour) or "none tagged")
    text.append("\nLetters signed: ", style="bold")
    text.append("; ".join(f.letters) or "none")
    text.append("\nThe customer's comments: ", style="bold")
    if f.comments:
        for day, comment in f.comments:
            text.append(f"\n  {in_prose(day)}: ")
            text.append(comment)  # the customer's words, literally
    else:
        # m records them only while a proposal invites them.
        text.append("none recorded" + (" (m records them)" if f.reply_by is not None else ""))
    if f.reply_by is not None and f.issued_on is None:
        # The proposal alone tells the customer nothing (v15e F13).
        text.append(f"\nComments by {in_prose(f.reply_by)} proposed: the invitation to comment "
                    "is not signed yet (W on the case file), so the customer is not yet told.",
                    style="yellow")
    elif f.reply_by is not None:
        # Issued too late to leave the reply-by period, the invitation gives them that period
        # from its issue (comments_in.comments_by): the date every screen counts by.
        later = (f" (issued {in_prose(f.issued_on)}: they have until {in_prose(f.comments_by)})"
                 if f.comments_by is not None and f.comments_by != f.reply_by
                 and f.issued_on is not None else "")
        text.append(f"\nInvited to comment by {in_prose(f.reply_by)}{later}.", style="yellow")
    return text


# The session's outcomes as its panel lists them, by the step's name (review_session.STEPS).
_OUTCOMES = (
    ("continue", " c  continue unchanged until the next review"),
    ("lift", " l  lift the restrictions (tick 'do not write' only after consulting the Head "
             "of Service)"),
    ("not_writing", " h  record the Head of Service's view on not writing (before lifting "
                    "without a letter)"),
    ("extend", " e  propose an extension or new restrictions: the customer is invited to "
               "comment"),
    ("period", " r  change the review period (one of the policy's reasons)"),
    ("comments", " m  record the customer's comments on a proposal, as received"),
)


NOT_WRITING_LABEL = ("Do not write: writing could incite the behaviour again (needs the Head "
                     "of Service's view on not writing)")

class ReviewSessionScreen(FollowsChanges, DeliveryMixin, Screen[None]):
    CSS_PATH = "review_session.tcss"
    GUIDE = Guide("Review session",
                  "Every review due by a date, one case after another: the contacts and breaches "
                  "since the last decision, then an outcome for each.",
                  (REVIEW, REVIEW_OUTCOME))
    BINDINGS = [
        Binding("escape", "pause", "Pause", id="session-pause",
                tooltip="Pause the session; it resumes where you left it"),
        # Once the session is finished there is nothing to pause: the same key goes back.
        Binding("escape", "done", "Back to the calendar", id="session-done",
                tooltip="The session is finished: back to the calendar"),
        # The way through the session, in the footer at every width (found when tried: only
        # `?` named → and ←, and passing over a case, which the tally counts, was guessed).
        Binding("right,n", "step(1)", "Next case", id="session-next", key_display="→",
                tooltip="Go to the next case of the session (this one is counted as skipped)"),
        Binding("left,b", "step(-1)", "Previous", id="session-back", key_display="←",
                tooltip="Go back to the previous case of the session"),
        # Once the session is finished with nothing to go to, the same keys say so (t15 10:
        # `→ Next case` was still offered there, and did nothing).
        Binding("right,n", "why_no_step(1)", show=False),
        Binding("left,b", "why_no_step(-1)", show=False),
        Binding("c", "continue", "Continue unchanged", id="session-continue",
                tooltip="Continue the restrictions unchanged until the next review"),
        Binding("l", "lift", "Lift", id="session-lift",
                tooltip="Lift the restrictions, with a letter or (with the Head of Service's "
                        "view) without writing"),
        Binding("e", "extend", "Propose extension", id="session-extend",
                tooltip="Propose an extension or new restrictions: the customer is told why and "
                        "invited to comment"),
        Binding("r", "period", "Review period", id="session-period",
                tooltip="Change the review period, for one of the policy's four reasons"),
        # Shown where they work (found when tried: neither was in the footer, so recording
        # the customer's comments or opening the case had to be guessed).
        Binding("m", "comments", "Customer's comments", id="session-comments",
                tooltip="Record the customer's comments on a proposal as received"),
        Binding("h", "not_writing", "HoS view on not writing", id="session-not-writing",
                tooltip="Record the Head of Service's view on not writing to the customer after "
                        "the review"),
        Binding("o", "open_case", "Open case", id="session-open",
                tooltip="Open this case's file; the session waits"),
        # A step that cannot be taken on this case is not offered; its key says why instead.
        *[Binding(key, f"why_not('{name}')", show=False) for key, name in (
            ("c", "continue"), ("l", "lift"), ("e", "extend"), ("r", "period"),
            ("m", "comments"), ("h", "not_writing"))],
    ]
    # The keys that act on the session's current case (none once the session is finished).
    CASE_KEYS = frozenset({"continue", "lift", "extend", "period", "comments", "not_writing",
                           "open_case"})

    def __init__(self) -> None:
        super().__init__()
        self.info: SessionInfo | None = None
        # Where the last ← or → asked to go, while the move is on its way: eight → in a
        # burst each counted from the position shown, so they moved one case, not eight.
        self._going_to: int | None = None
        # Each move asked for is numbered; the moves run one at a time, and one overtaken by
        # a later request writes nothing: two ← in a burst ran in two threads, the first
        # wrote its place after the second, and the session stayed (and resumed) one case
        # off (a clean run caught it, one run in two).
        self._move_asked = 0
        self._moving = threading.Lock()
        self.default_reply_by: date | None = None
        self.invited_on: date | None = None
        self.proposed_end: date | None = None
        self.restrictions_end: date | None = None
        self.customer_name = ""  # the current case's customer, as its facts were read
        # The day its restrictions start, decided and none in force yet (else None).
        self.starts_on: date | None = None
        # Why each step cannot be taken on the current case, by action name (see
        # review_session.refusals): read with the case's facts.
        self.refused: dict[str, str] = {}

    @property
    def crm_app(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static("Review session", id="session-title")
        yield ProgressBar(id="session-progress", show_eta=False)
        with Horizontal(id="session-body"):
            # Says on its border when the letters sent and the customer's comments are below.
            with MorePanel(id="session-facts"):
                yield Static(id="facts")
            with VerticalScroll(id="session-side"):
                # The chart's own title names its bars ("Contacts per 4 weeks"): in a narrow
                # panel weeks are grouped, and a heading saying "per week" was wrong.
                yield Static("Since the last decision", classes="panel-title")
                # Drawn as the evidence analysis's chart is: dated weeks, a count axis, each
                # bar's count (an unlabelled sparkline said neither when nor how many).
                yield WeekChart(id="weeks")
                yield Static(id="weeks-line")
                yield Static("No contacts were logged since the last decision.",
                             id="weeks-none")
                yield Static(id="outcomes")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "why_not":
            return self._ref() is not None and str(parameters[0]) in self.refused
        if action in self.CASE_KEYS:
            return self._ref() is not None and action not in self.refused
        if action in ("step", "why_no_step") and parameters:
            return (action == "step") == self._can_step(int(str(parameters[0])))
        if action in ("pause", "done"):
            finished = self.info is not None and self.info.current is None
            return finished if action == "done" else not finished
        return True

    def _can_step(self, step: int) -> bool:
        info = self.info
        if info is None:
            return step > 0  # not read yet: → waits for it, as before
        if info.current is None:  # finished: only ← to a case skipped
            return step < 0 and info.last_skipped() is not None
        # Nothing before the first case.
        return step > 0 or info.position > 0

    def action_why_no_step(self, step: int) -> None:
        if self.info is None or self.info.current is not None:
            return  # before the first case: nothing to say, ← is simply not offered
        why = ("The session is finished: no case is left to go to"
               if step > 0 else "The session is finished and no case was skipped: none to go "
                                "back to")
        self.notify(f"{why}. Escape returns to the calendar.", title="Review session",
                    severity="warning", markup=False)

    def action_why_not(self, name: str) -> None:
        ref = self._ref()
        if ref is not None and name in self.refused:
            self._refused(ref, self.refused[name])

    def on_mount(self) -> None:
        self.show_outcomes()
        self.begin()

    def show_outcomes(self) -> None:
        """The outcomes this person may record on this case: after a switch to the Head of
        Service the panel kept offering the CRM's, and left out their own (h)."""
        open_to = [line for name, line in _OUTCOMES if name not in self.refused]
        text = "Outcomes\n" + ("\n".join(open_to) if open_to else
                               " None you can record on this case: " +
                               next(iter(self.refused.values()), ""))
        if any(name in ("continue", "lift", "extend", "period") and name not in self.refused
               for name, _ in _OUTCOMES):
            text += ("\n\n Each outcome is recorded with its reasons; the next review date "
                     "follows from it.")
        text += "\n\n → / n  next case (this one is skipped) · ← previous case"
        self.query_one("#outcomes", Static).update(literal(text))

    @work(thread=True, exclusive=True, exit_on_error=False, group="session")
    def begin(self) -> None:
        with session():
            open_one = review_session.unfinished(self.crm_app.actor)
        deliver(self, self._offer, open_one)

    def _offer(self, open_one: SessionInfo | None) -> None:
        if open_one is not None and open_one.current is not None:
            self.app.push_screen(ChooseDialog(
                "A review session is in progress", [
                    ("resume", f"Resume: case {open_one.position + 1} of "
                               f"{len(open_one.references)} (reviews due by "
                               f"{in_prose(open_one.until)}; {open_one.tally()})"),
                    ("new", "Start a new session")],
                # It comes up of itself, in place of the form the keys typed after `s`
                # were meant for: they do not answer it (question_keys.py).
                question=True),
                lambda answer: self._answered(open_one, answer))
        else:
            self._ask_period()

    def _answered(self, open_one: SessionInfo, answer: str | None) -> None:
        if answer == "resume":
            self.show_session(open_one)
        elif answer == "new":
            self._ask_period()
        else:
            self.app.pop_screen()

    def _ask_period(self) -> None:
        actor = self.crm_app.actor
        until = review_session.default_until()
        self.app.push_screen(FieldsDialog(
            "Start a review session", "Every review due, or overdue, up to this date.",
            [Field("until", "Reviews due by", f"{until:%d/%m/%Y}",
                   check=a_date("Type the day the reviews are due by, like 28/12/2026"))],
            lambda values: review_session.start(actor, _date(values, "until")),
            save="Start the session"), self._started)

    def _started(self, info: SessionInfo | None) -> None:
        if info is None:
            self.app.pop_screen()
            return
        self.show_session(info)

    def show_session(self, info: SessionInfo) -> None:
        going_to = self._going_to
        if going_to is not None and info.position != going_to \
                and 0 <= going_to <= len(info.references):
            # An earlier move landed after the last one asked (their threads overlap): go
            # where the last press asked, rather than show, and stay at, the earlier place.
            self._move(going_to)
            return
        self.info = info
        self._going_to = None
        bar = self.query_one("#session-progress", ProgressBar)
        bar.update(total=len(info.references), progress=info.position)
        ref = info.current
        # A finished session shows its tally only: no case's facts, chart or keys.
        self.query_one("#session-body").display = ref is not None
        self.refresh_bindings()
        if ref is None:
            self.refused = {}
            self.query_one("#session-title", Static).update(literal(
                f"Review session finished: {info.tally()}"
                + (" (← goes back to those skipped)" if info.skipped else "")
                + ". Escape returns to the calendar.",
                "bold green" if not info.skipped else "bold yellow"))
            self.query_one("#facts", Static).update("")
            return
        self.query_one("#session-title", Static).update(literal(
            f"Review session · case {info.position + 1} of {len(info.references)} · {ref} · "
            f"{info.tally()}", "bold"))
        self.load_facts(ref)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session-facts")
    def load_facts(self, reference: str) -> None:
        with session():
            found = review_session.facts(self.crm_app.actor, reference)
            refused = review_session.refusals(self.crm_app.actor, reference)
        # Counted here, off the event loop: working days need the bank holidays loaded.
        reply_by = deadlines.due("reply_by", clock.today(), settings.current().reply_by_days)
        deliver_latest(self, self.show_facts, found, reply_by, refused)

    def show_facts(self, found: ReviewFacts, reply_by: date | None = None,
                   refused: dict[str, str] | None = None) -> None:
        if found.summary.reference != self._ref():
            return  # read for a case the session has since moved on from
        self.refused = refused or {}
        self.refresh_bindings()
        self.show_outcomes()
        self.default_reply_by = reply_by
        self.invited_on = found.invited_on
        end = self.restrictions_end = found.summary.restrictions_end
        self.customer_name = found.summary.customer_name
        self.starts_on = found.summary.starts_on
        # By default a year longer than now: the CRM changes it to what is proposed.
        self.proposed_end = add_months(end, 12) if end is not None else None
        self.query_one("#facts", Static).update(facts_text(found))
        counts = [n for _, n in found.per_week]
        # Bars of nothing once drew as solid blocks: an empty period says so in words.
        self.query_one("#weeks", WeekChart).plot(found.per_week)
        self.query_one("#weeks", WeekChart).display = any(counts)
        # The chart's ends in words: a narrow chart has room for few of its dates.
        line = ""
        if any(counts):
            first, last = found.per_week[0][0], found.per_week[-1][0]
            line = (f"Weeks of {first:%d/%m/%Y} to {last:%d/%m/%Y}: "
                    f"{counted(sum(counts), 'contact')}; {busiest_words(found.per_week)}")
        self.query_one("#weeks-line", Static).update(literal(line, wrap=True))
        self.query_one("#weeks-line", Static).display = any(counts)
        self.query_one("#weeks-none", Static).display = not any(counts)

    # -- moving through the session -----------------------------------------------------
    def action_step(self, step: int) -> None:
        if self.info is not None:
            start = self.info.position if self._going_to is None else self._going_to
            end = len(self.info.references)
            if step < 0 and start >= end:
                # From the end, ← goes back to the cases skipped (the last of them), never to
                # one already reviewed: its outcome is recorded once.
                back = self.info.last_skipped()
                if back is None:
                    return
                self._going_to = back
            else:
                self._going_to = max(0, min(start + step, end))
            self._move(self._going_to)

    def _move(self, position: int) -> None:
        self._move_asked += 1
        self.go(position, self._move_asked)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session-move")
    def go(self, position: int, asked: int) -> None:
        if self.info is None:
            return
        with self._moving:
            if asked != self._move_asked:
                return  # a later move was asked for: it writes the place
            with session():
                info = review_session.move_to(self.crm_app.actor, self.info.id, position)
            # Delivered in turn too, so that an earlier place is never shown after a later.
            deliver(self, self.show_session, info)

    def action_done(self) -> None:
        self.app.pop_screen()

    def action_pause(self) -> None:
        self.app.pop_screen()
        if self.info is not None and self.info.current is not None:
            self.app.notify(f"Review session paused at case {self.info.position + 1} of "
                            f"{len(self.info.references)} ({self.info.tally()}); s in the "
                            "calendar resumes it.", markup=False)

    def _said(self, what: str) -> Callable[[object], None]:
        """The callback of an outcome whose toast says what was done ("Restrictions
        continued unchanged"), not only "Recorded" (round 10)."""
        return lambda result: self._recorded(result, what)

    def _recorded(self, result: object, what: str) -> None:
        if result is not None and self.info is not None:
            self.notify(what, title=self.info.current or "", markup=False)
            # On to the next case not yet reviewed (past those reviewed since).
            self._going_to = self.info.next_open(self.info.current or "")
            self._move(self._going_to)

    # -- outcomes -------------------------------------------------------------------------
    def _ref(self) -> str | None:
        return self.info.current if self.info is not None else None

    # -- a step that cannot be taken says why at the key, not after its form --------------
    def _when_allowed(self, action: Action, then: Any) -> None:
        ref = self._ref()
        if ref is not None:
            self._check_step(ref, action, then)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session-check")
    def _check_step(self, ref: str, action: Action, then: Any) -> None:
        with session():
            why = review_session.refusal(self.crm_app.actor, ref, action)
        if why:
            deliver(self, self._refused, ref, why)
        else:
            deliver(self, then)

    def _refused(self, ref: str, why: str) -> None:
        self.notify(said(why), title=ref, severity="warning", markup=False,
                    timeout=10)

    def action_continue(self) -> None:
        self._when_allowed(Action.CONTINUE_UNCHANGED, self._continue)

    def _continue(self) -> None:
        ref = self._ref()
        if ref is None:
            return
        actor = self.crm_app.actor
        ends = self.restrictions_end
        customer = self.customer_name or "the customer"
        # Asked like every other outcome of a review (t15c F7: lifting asked, continuing was
        # recorded at once): who decides, the case, what it decides, and what goes out.
        until = in_prose(ends, full_month=True) if ends else "they end"
        # Decided to start on a later day, they are not in force to continue: they stand as
        # decided (v15k V1: "They continue as they are" of restrictions not yet begun).
        stand = (f"They stand as decided: none is in force until they start on "
                 f"{in_prose(self.starts_on, full_month=True)}, then they apply until {until}"
                 if self.starts_on is not None else f"They continue as they are until {until}")
        next_review = review_steps.next_review_due(ends, None, None, "",
                                                   starts_on=self.starts_on)
        question = (
            f"Continue the restrictions on {customer} ({ref}) unchanged, as "
            f"{acting_as(actor)}? {stand}, next reviewed by "
            f"{in_prose(next_review, full_month=True)}. "
            "No letter goes to the customer: what they must keep to does not change.")
        self.app.push_screen(TextPromptDialog(
            f"Continue the restrictions on {ref} unchanged",
            "Why they are still needed (the next review follows the yearly period):",
            lambda text, _flag: review_session.continue_unchanged(actor, ref, text),
            needed="Say why the restrictions are still needed",
            confirm="Continue them unchanged", question=question),
            self._said("Restrictions continued unchanged"))

    def action_lift(self) -> None:
        ref = self._ref()
        if ref is not None:
            self._lift_with_view(ref)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session-check")
    def _lift_with_view(self, ref: str) -> None:
        with session():
            view = review_session.not_writing_view(self.crm_app.actor, ref)
        deliver(self, self._lift, ref, view)

    def _lift(self, ref: str, view: tuple[str, str] | None) -> None:
        actor = self.crm_app.actor
        # Not writing is the CRM's decision in consultation with the Head of Service, with
        # its reasons recorded: a view against it is said, in their words, and going ahead
        # needs the CRM's reasons (v15e F1: it went through as if they had agreed).
        against = view is not None and view[0] == ConsultationView.DISAGREES.value
        their_words = view[1].strip() if view is not None else ""
        # Lifting is open here, so what stands in the way of not writing is the Head of
        # Service's view on it (the lifecycle's LIFT_WITHOUT_LETTER requirement).
        no_letter = ("Lifting without a letter needs the Head of Service's view on not "
                     "writing first: record it with h, or untick this to lift with a letter"
                     if "lift_without_letter" in self.refused else "")

        def question(not_writing: bool) -> str:
            # What goes out, by what was chosen: "Unless you chose not to write…" left the
            # person to work out which they had chosen (v15c m3).
            goes_out = ("No letter is sent: you chose not to write to the customer."
                        if not_writing else "The customer is then sent a letter saying so, "
                        "once you sign it.")
            if not_writing and against:
                goes_out += (" The Head of Service does not agree with not writing: "
                             f"\u201c{their_words}\u201d. Your reasons for deciding otherwise "
                             "are kept with the decision.")
            return (f"Lift the restrictions on {ref} after the review, as {acting_as(actor)}? "
                    f"{goes_out}")

        self.app.push_screen(ReasonsDialog(
            f"Lift the restrictions on {ref}",
            "Why the behaviour has subsided and is not likely to recur: the internal record",
            # The passphrase prompt asks the question answered, not "Confirming as …".
            confirming(self.app, actor,
                       lambda text, told, flag, why="": review_session.lift(
                           actor, ref, text, flag, customer_reason=told,
                           against_view_reason=why),
                       what=lambda _text, _told, flag, _why="": question(flag)),
            checkbox=NOT_WRITING_LABEL, confirm="Lift", checkbox_problem=no_letter,
            question=question,
            against=(f"The Head of Service does not agree with not writing: \u201c{their_words}"
                     "\u201d. Why do you decide not to write all the same? (the internal "
                     "record, kept with the decision)") if against else ""),
            self._said("Restrictions lifted"))

    def action_extend(self) -> None:
        self._when_allowed(Action.PROPOSE_EXTENSION, self._extend)

    def _extend(self) -> None:
        ref = self._ref()
        if ref is None:
            return
        actor = self.crm_app.actor
        reply_by = self.default_reply_by
        ends = self.proposed_end

        def propose(values: dict[str, str]) -> Any:
            return review_session.propose_extension(
                actor, ref, values["reason"], _date(values, "reply_by"),
                _date(values, "ends_on"), customer_reason=values["customer_reason"])

        self.app.push_screen(FieldsDialog(
            f"Propose an extension or new restrictions on {ref}",
            "The customer is told the reasons and invited to comment by the date given on the "
            "restrictions set out in the builder (R from the case; r there redrafts those in "
            "force) and the end proposed. The decision comes after that date, after the Head "
            "of Service is consulted on the proposal, and may be lighter, never stricter.",
            [Field("reason", "The reasons: the internal record",
                   check=required("Say why more is proposed: the reasons for the record")),
             Field("customer_reason", "Why, as the customer is told it: write to them "
                   "(\"You…\"), plain English, whole sentences",
                   check=required("Say why, as the customer is told it: \"You…\"")),
             Field("reply_by", "Comments by", f"{reply_by:%d/%m/%Y}" if reply_by else "",
                   a_date("Type the day comments are due by, like 28/12/2026", to_come=True),
                   note=lambda typed: short_period_note(
                       typed, comments_in.period_from(clock.today()))),
             Field("ends_on", "The restrictions would end on",
                   f"{ends:%d/%m/%Y}" if ends else "",
                   a_date("Type the end proposed, like 28/11/2027"))],
            propose, discard="the proposal you typed",
            save="Propose it to the customer", across=_invitation_dates,
            # It fixes what the customer is told and by when: asked first, as every step
            # that writes to the customer (v15e F13: it was saved with no question).
            confirm=(f"Propose an extension on {ref}, as {acting_as(actor)}? The customer is "
                     "then sent an invitation to comment by the date given, once you sign it "
                     "(W on the case file): their comments are awaited only from then.")),
            self._said("Extension proposed: sign the invitation to comment (W on the case "
                       "file) to send it to the customer"))

    def action_period(self) -> None:
        # Its own outcome: the restrictions continue, reviewed on the day chosen.
        self._when_allowed(Action.CHANGE_REVIEW_PERIOD, self._period)

    def _period(self) -> None:
        ref = self._ref()
        if ref is None:
            return
        self.app.push_screen(ChooseDialog(
            "Why does the review period change? (the policy's reasons)",
            [(r.value, r.label) for r in ReviewPeriodReason]),
            lambda why: self._period_reason(ref, why))

    def _period_reason(self, ref: str, why: str | None) -> None:
        if why is None:
            return
        actor, reason = self.crm_app.actor, ReviewPeriodReason(why)
        ends = self.restrictions_end

        def across(values: dict[str, str]) -> None:
            # The rule the step settles the next review by: a day other than the yearly one
            # needs a note, said at the note with the other fields' problems (round 12).
            review_steps.next_review_due(ends, _date(values, "next_review"), reason,
                                         values["note"], starts_on=starts)

        starts = self.starts_on
        yearly = review_steps.next_review_due(ends, None, None, "", starts_on=starts)

        def submit(values: dict[str, str]) -> Any:
            return review_session.change_review_period(
                actor, ref, values["reason"], _date(values, "next_review"), reason,
                values["note"])

        self.app.push_screen(FieldsDialog(
            f"Change the review period for {ref}", reason.label,
            [Field("next_review", "Next review by",
                   check=a_date("Type the day of the next review, like 28/05/2027",
                                to_come=True)),
             # Said before a day is typed: any day but the yearly one needs the note (found
             # when tried: the form could say so only once a day was typed).
             Field("note", f"Note on the change (needed unless the next review is the "
                           f"yearly one, {yearly:%d/%m/%Y})"),
             Field("reason", "The review's outcome: why the restrictions continue",
                   check=required("Say why the restrictions continue"))],
            submit, save="Change the review period", across=across,
            field_ids={"review_due": "next_review", "review_period_note": "note"}),
            self._said("Review period changed"))

    def action_comments(self) -> None:
        ref = self._ref()
        if ref is None:
            return
        actor = self.crm_app.actor
        today = clock.today()
        # The day the invitation was made, as the facts on screen were read: a day before it
        # is said with the text's problem at the first save (b15d F8).
        invited = self.invited_on
        self.app.push_screen(FieldsDialog(
            f"The customer's comments · {ref}", "As received (letter, email, call).",
            [Field("received_on", "Received on", f"{today:%d/%m/%Y}",
                   a_date("Type the day they were received, like 28/11/2026", past=True,
                          earliest=invited, earliest_is=review_session.INVITED_IS)),
             Field("text", "What they said",
                   check=a_reason("Write what the customer said, or a summary of it",
                                  comments_problem))],
            lambda values: review_session.record_comments(
                actor, ref, values["text"], _date(values, "received_on")),
                save="Record the comments"),
            lambda result: self._commented(ref, result))

    def _commented(self, ref: str, result: object) -> None:
        if result is not None:
            self.load_facts(ref)

    def action_not_writing(self) -> None:
        """The Head of Service's view on lifting without writing to the customer."""
        from crm_tui.domain.outcomes import ConsultationSubject
        from crm_tui.domain.roles import Role
        from crm_tui.services.intake import casework
        from crm_tui.ui.dialogs.consultation import ConsultationDialog, GivenView, recording_view

        ref = self._ref()
        if ref is None:
            return
        actor = self.crm_app.actor
        heads = None if actor.role is Role.HEAD_OF_SERVICE else [
            (u.login, u.name) for u in self.crm_app.known_users
            if u.role is Role.HEAD_OF_SERVICE and u.active]
        def record(given: GivenView) -> Any:
            # The review opened first, with the view: every case of a session is restricted
            # until then, and the view is given at a review.
            return casework.record_consultation(
                actor, ref, view=given.view, view_text=given.text, consultee=given.consultee,
                consulted_on=given.consulted_on, subject=ConsultationSubject.NO_COMMUNICATION,
                method=given.method, evidence_document=given.evidence_document,
                opening=lambda: review_session.open_for_view(actor, ref))

        said = recording_view(ref, ConsultationSubject.NO_COMMUNICATION.label,
                              acting_as(actor), actor.name, heads)
        self.app.push_screen(ConsultationDialog(
            ref, heads, confirming(self.app, actor, record, what=said),
            subject=ConsultationSubject.NO_COMMUNICATION.label),
            lambda result: self._view_recorded(ref, result))

    def _view_recorded(self, ref: str, result: object) -> None:
        if result:
            self.notify("The Head of Service's view on not writing is recorded", markup=False)
            # Read again: lifting without a letter is now open (l's tick box says so).
            self.load_facts(ref)

    def action_open_case(self) -> None:
        from crm_tui.ui.screens.case_file import CaseFileScreen

        ref = self._ref()
        if ref is not None:
            self.app.push_screen(CaseFileScreen(ref))

    def refresh_data(self) -> None:
        """Read the case again (after a switch of user: the keys follow who acts)."""
        ref = self._ref()
        if ref is not None:
            self.load_facts(ref)

    # A change to any case of the session, wherever made (an appeal lodged from the command
    # line, a step on its case file, an invitation signed in another app), reads the session
    # again: its tally, and the case on view — its state, facts and the keys it offers
    # (v15i L1: it went on saying "Restricted" and offering c after an appeal was lodged;
    # v16 3: the tally, finished or not, went on counting an invitation signed elsewhere as
    # "to sign").
    def concerns(self, change: CaseChanged) -> bool:
        return self.info is not None and change.reference in self.info.references

    def show_again(self) -> None:
        if self.info is None:
            return
        self.read_again(self.info.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="session-read")
    def read_again(self, session_id: int) -> None:
        try:
            with session():
                info = review_session.read(self.crm_app.actor, session_id)
        except DomainError:
            # Not the acting person's session (switched to another user, who holds none):
            # the case on view is read again as before, the tally left as it was.
            deliver(self, self.refresh_data)
            return
        deliver(self, self._read_again, info)

    def _read_again(self, info: SessionInfo) -> None:
        # A move under way shows the session as it lands, read then: not overtaken here.
        if self._going_to is not None or self.info is None or self.info.id != info.id \
                or info.position != self.info.position:
            return
        self.show_session(info)

    def on_screen_resume(self) -> None:
        ref = self._ref()
        if ref is not None:
            self.load_facts(ref)

