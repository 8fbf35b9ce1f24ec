"""The triage keys, shared by the inbox and the case file: each acts on the case the screen
has in hand and runs its service in a thread worker."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding
from textual.message import Message

from crm_tui.domain.errors import DomainError, PermissionDenied, StaleEdit
from crm_tui.domain.lifecycle import Action, role_refusal
from crm_tui.domain.permissions import Capability, require
from crm_tui.domain.roles import Actor
from crm_tui.domain.states import CaseState as S
from crm_tui.services.core.database import session
from crm_tui.services.intake import triage_version
from crm_tui.services.intake.triage import NoteKind
from crm_tui.services.intake.triage_readiness import TriageStep, refusal
from crm_tui.ui.delivery import deliver
from crm_tui.ui.forms import Check
from crm_tui.ui.text import said

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

# The steps' services and forms (casework, with the letters and restrictions it reads) load
# at the first step taken, not with the inbox at start (issue 17).


# The states in which each triage key applies; elsewhere the key is hidden from the footer.
_OPEN = frozenset({S.LOCAL_RESOLUTION, S.NEW, S.UNDER_CONSIDERATION, S.AWAITING_CONSULTATION})
TRIAGE_STATES: dict[str, frozenset[S]] = {
    "triage_consider": frozenset({S.NEW}),
    "triage_assign": _OPEN,
    "triage_request": _OPEN,
    "triage_enquiry": _OPEN,
    "triage_close": frozenset({S.NEW, S.UNDER_CONSIDERATION, S.AWAITING_CONSULTATION}),
    "triage_return": frozenset({S.NEW, S.UNDER_CONSIDERATION}),
}


# What each triage step is, and when it applies, in the user's words: said at once when the
# key is pressed on a case in another state (the key did nothing, silently).
_WHEN = {
    "triage_consider": "only a new referral is moved to consideration",
    "triage_assign": "a case is assigned while its referral is open (from local resolution "
                     "until the decision)",
    "triage_request": "further information is requested while a referral is being considered",
    "triage_enquiry": "a further enquiry is recorded while a referral is being considered",
    "triage_close": "a referral is closed with no action before any decision on it (new, "
                    "under consideration or awaiting the Head of Service's view)",
    "triage_return": "a referral is returned to the service area while it is new or under "
                     "consideration",
}


def triage_refusal(action: str, reference: str | None, state: S | None) -> str:
    """Why the triage key cannot apply to the case in its state ("" if it can)."""
    states = TRIAGE_STATES.get(action)
    if states is None or (state is not None and state in states):
        return ""
    if reference is None or state is None:
        return "No case is highlighted."
    return f"{reference} {state.in_words}: {_WHEN[action]}."


# Who may take each step: the lifecycle's step, or the team's capability for the notes.
_STEPS = {"triage_consider": Action.BEGIN_CONSIDERATION, "triage_close": Action.CLOSE_NO_ACTION,
          "triage_return": Action.RETURN_TO_SERVICE_AREA}
_NOTES = {"triage_assign": "", "triage_request": NoteKind.INFORMATION_REQUESTED.doing,
          "triage_enquiry": NoteKind.ENQUIRY.doing}


def triage_role_refusal(actor: Actor, action: str) -> str:
    """Why this person's role may not take the triage step at all ("" if it may)."""
    if action in _STEPS:
        return role_refusal(actor, _STEPS[action])
    if action in _NOTES:
        try:
            require(actor, Capability.ASSIGN_CASES, _NOTES[action])
        except PermissionDenied as exc:
            return str(exc)
    return ""


class TriageMixin:
    """Needs `current_reference()`, `current_state()`, `after_triage()` and `crm_app`."""

    def triage_allowed(self, action: str, parameters: tuple[object, ...] = ()) -> bool:
        if action == "triage_why":
            # The unlisted twin of a triage key: live exactly when the key itself is not.
            return bool(parameters) and not self.triage_allowed(str(parameters[0]))
        states = TRIAGE_STATES.get(action)
        if states is None:
            return True
        # Not offered to a role that may not take the step (the Head of Service was offered
        # Consider, Assign and Enquiry after a switch of user).
        if triage_role_refusal(self._actor(), action):
            return False
        state = self.current_state()
        return state is not None and state in states

    def action_triage_why(self, action: str) -> None:
        by_role = triage_role_refusal(self._actor(), action)
        why = by_role or triage_refusal(action, self.current_reference(), self.current_state())
        if why:
            self.notify(why, title="Not a step your role takes" if by_role else
                        "Not a step for this case now", severity="warning", markup=False,
                        timeout=10)

    TRIAGE_BINDINGS = [
        Binding("c", "triage_consider", "Consider", id="triage-consider",
                tooltip="Move this new referral to consideration by the Complaints Resolution "
                        "Manager"),
        Binding("o", "triage_assign", "Assign", id="triage-assign",
                tooltip="Assign the case to a member of the Complaints Resolution Team"),
        Binding("r", "triage_request", "Request info", id="triage-request",
                tooltip="Record a request to the service area for further information about the "
                        "referral"),
        Binding("e", "triage_enquiry", "Enquiry", id="triage-enquiry",
                tooltip="Record a further enquiry made about the referral and what it found"),
        Binding("x", "triage_close", "No action", id="triage-close",
                tooltip="Close the referral with no action, giving the reason (and whether the "
                        "customer has genuine ongoing or multiple problems)"),
        Binding("b", "triage_return", "Return", id="triage-return",
                tooltip="Return the referral to the service area for further local resolution, "
                        "giving the reason"),
        # Each key, on a case in a state where its step does not apply, says why at once.
        *(Binding(key, f"triage_why('{action}')", show=False) for key, action in (
            ("c", "triage_consider"), ("o", "triage_assign"), ("r", "triage_request"),
            ("e", "triage_enquiry"), ("x", "triage_close"), ("b", "triage_return"))),
    ]

    if TYPE_CHECKING:
        @property
        def crm_app(self) -> CrmApp: ...

        def current_reference(self) -> str | None: ...
        def current_state(self) -> S | None: ...
        def shown_version(self) -> int | None: ...
        def post_message(self, message: Message) -> bool: ...
        def after_triage(self) -> None: ...
        def notify(self, message: str, *, title: str = "", severity: Any = "information",
                   timeout: float | None = None, markup: bool = True) -> None: ...

    def _actor(self) -> Actor:
        return self.crm_app.actor

    def changed_meanwhile(self) -> str:
        """Why the triage keys are refused just now ("" if they are not): the inbox refuses
        them for a few seconds after another app changed the case under the cursor."""
        return ""

    def _held_by_change(self) -> bool:
        why = self.changed_meanwhile()
        if why:
            self.notify(why, title="Not done: changed elsewhere", severity="warning",
                        markup=False, timeout=10)
        return bool(why)

    def _prompt(self, what: TriageStep, title: str, prompt: str,
                submit: Callable[[str, bool, int], Any], *, checkbox: str | None = None,
                confirm: str, needed: str = "", decides: str = "",
                rule: Check | None = None) -> None:
        """`needed`: what to write, said before anything is sent; `decides`: the decision
        ("Close {ref} with no action"), asked about first, naming who decides; `rule`: the
        service's rule on what is written (a placeholder refused), said at the field."""
        reference = self.current_reference()
        if not reference or self._held_by_change():
            return
        # A step this person cannot take on this case now is refused at the key, saying why,
        # by the rule its service would refuse with at save; the form opens otherwise.
        self._check_then(what, reference, partial(self._open_prompt, reference, title, prompt,
                                                  submit, checkbox, confirm, needed, decides,
                                                  rule))

    @work(thread=True, exclusive=True, exit_on_error=False, group="triage-check")
    def _check_then(self, what: TriageStep, reference: str,
                    then: Callable[[int], Any]) -> None:
        with session():
            why = refusal(self._actor(), reference, what)
            # The version the form opens on: its save is refused if someone assigns the case
            # or moves it on meanwhile (b16e F8).
            seen = triage_version.opened(reference)
        if why:
            deliver(self, partial(self.notify, said(why), title=reference,
                                  severity="warning", markup=False, timeout=10))
            return
        deliver(self, then, seen)

    def _open_prompt(self, reference: str, title: str, prompt: str,
                     submit: Callable[[str, bool, int], Any], checkbox: str | None,
                     confirm: str, needed: str, decides: str, rule: Check | None,
                     seen: int) -> None:
        # With the prompt, not with the inbox: the passphrase's dialog and the confirming
        # that ui.confirm brings are not imported on the way to the painted inbox (issue 17).
        from crm_tui.ui.confirm import acting_as
        from crm_tui.ui.dialogs.text_prompt import TextPromptDialog

        question = (f"{decides.format(ref=reference)}, as {acting_as(self._actor())}?"
                    if decides else "")
        self.crm_app.push_screen(
            TextPromptDialog(f"{title}: {reference}", prompt,
                             lambda text, flag: submit(text, flag, seen), checkbox=checkbox,
                             confirm=confirm, needed=needed, question=question, rule=rule),
            lambda result: self._done(result, title))

    def _done(self, result: Any, title: str) -> None:
        if result is not None:
            self.notify(f"{title}: recorded", title=getattr(result, "reference", ""))
            self.after_triage()

    def action_triage_consider(self) -> None:
        reference = self.current_reference()
        if reference and not self._held_by_change():
            # The version the screen showed: an assignment or a step taken meanwhile in
            # another app refuses the move, saying who and when (as o/x/b/r/e's forms do).
            seen = self.shown_version()
            from crm_tui.services.intake import casework

            self._run(lambda: casework.begin_consideration(self._actor(), reference, seen),
                      "Moved to consideration", reference)

    def action_triage_request(self) -> None:
        from crm_tui.services.intake import triage

        actor = self._actor()
        self._prompt(TriageStep.REQUEST, "Request further information",
                     "What does the service area need to send? This is recorded on the case "
                     "and in the audit trail.",
                     lambda text, _, seen: triage.record_note(
                         actor, str(self.current_reference()), NoteKind.INFORMATION_REQUESTED,
                         text, seen), confirm="Record the request",
                     needed="Say what the service area needs to send",
                     rule=NoteKind.INFORMATION_REQUESTED.problem)

    def action_triage_enquiry(self) -> None:
        from crm_tui.services.intake import triage

        actor = self._actor()
        self._prompt(TriageStep.ENQUIRY, "Further enquiry",
                     "What enquiry was made, of whom, and what it found.",
                     lambda text, _, seen: triage.record_note(
                         actor, str(self.current_reference()), NoteKind.ENQUIRY, text, seen),
                     confirm="Record the enquiry",
                     needed="Say what enquiry was made, of whom, and what it found",
                     rule=NoteKind.ENQUIRY.problem)

    def action_triage_close(self) -> None:
        from crm_tui.services.intake import casework

        actor = self._actor()
        self._prompt(TriageStep.CLOSE, "Close with no action",
                     "Why no action is taken. If the customer has genuine ongoing or multiple "
                     "problems, tick the box: it is recorded on the customer.",
                     lambda text, flag, seen: casework.close_no_action(
                         actor, str(self.current_reference()), text, flag, seen),
                     checkbox="The customer has genuine ongoing or multiple problems",
                     confirm="Close the case",
                     needed="Say why no action is taken: the reason for the record",
                     decides="Close {ref} with no action")

    def action_triage_return(self) -> None:
        from crm_tui.services.intake import casework

        actor = self._actor()
        self._prompt(TriageStep.RETURN, "Return to the service area",
                     "What further local resolution the service area should try, and why.",
                     lambda text, _, seen: casework.return_to_service_area(
                         actor, str(self.current_reference()), text, seen),
                     confirm="Return the referral",
                     needed="Say what the service area should try, and why",
                     decides="Return {ref} to the service area for further local resolution")

    def action_triage_assign(self) -> None:
        reference = self.current_reference()
        if reference and not self._held_by_change():
            self._load_officers(reference)

    @work(thread=True, exclusive=True, exit_on_error=False, group="triage")
    def _load_officers(self, reference: str) -> None:
        from crm_tui.services.intake import case_file
        from crm_tui.ui.dialogs.choose import ChooseDialog

        with session():
            why = refusal(self._actor(), reference, TriageStep.ASSIGN)
            people = [] if why else case_file.officers()
            seen = triage_version.opened(reference)  # as for a form (_check_then)
        if why:
            deliver(self, partial(self.notify, why, title=f"Cannot assign {reference}",
                                  severity="warning", markup=False, timeout=10))
            return
        deliver(self,
            self.crm_app.push_screen, ChooseDialog(f"Assign {reference} to", people),
            lambda login: self._assign(reference, login, dict(people).get(login or "", ""),
                                       seen))

    def _assign(self, reference: str, login: str | None, name: str = "",
                seen: int | None = None) -> None:
        if login:
            from crm_tui.services.intake import casework

            actor = self._actor()
            # The person's name, as the list showed it (round 12: "Assigned to tomasz.nowak").
            self._run(lambda: casework.assign(actor, reference, login, seen),
                      f"Assigned to {name or login}", reference)

    def _run(self, step: Callable[[], Any], done: str, reference: str) -> None:
        """`reference`: the case the step was taken on, the toast's title, as every other
        step's toast is titled (v22 C5: "Moved to consideration" named no case)."""
        # A step that writes holds the keys after it until it has run, and runs in a group
        # of its own: `c o` sent in one burst on a new referral lost the consider, cancelled
        # before its thread started by the read of the team `o` began in the same exclusive
        # group (round 12). The next key now acts on the case as the step left it.
        self._run_step(step, done, reference, self.crm_app.hold_keys())

    @work(thread=True, exit_on_error=False, group="triage-step")
    def _run_step(self, step: Callable[[], Any], done: str, reference: str,
                  held: int) -> None:
        try:
            with session():
                step()
        except DomainError as exc:
            deliver(self, partial(self.notify, str(exc), title="Not done", severity="error",
                                  markup=False))
            if isinstance(exc, StaleEdit):
                deliver(self, self.after_triage)  # the case as it now stands, to decide again
            return
        finally:
            deliver(self.crm_app, self.crm_app.let_go_keys, held)
        deliver(self, partial(self.notify, done, title=reference, markup=False))
        deliver(self, self.after_triage)
