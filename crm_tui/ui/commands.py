"""The command palette (ctrl+p): every action once, described in the user's words, found by
words in its name or in its description.

Built in one place, `palette_commands`: the keys of the screen in hand (from its real bindings,
`keys_of`), then the actions that can be reached from anywhere, each taken from the binding
that does it on its own screen — so its words are the ones that screen's help shows — and
left out when already listed. Textual's own provider matches on the title only, so a search
for "sign" or "appeal" found nothing unless a title began that way; `ActionsProvider` also
matches every word typed against the words of the description.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from crm_tui.db import dialect
from crm_tui.domain.lifecycle import Action, role_refusal
from crm_tui.domain.roles import Actor, Role
from crm_tui.ui.areas import AREAS
from crm_tui.ui.closing import shown_case
from crm_tui.ui.dialogs import switch_user
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.keys_help import KeyHelp, declared, keys_of
from crm_tui.ui.text import literal
from crm_tui.ui.toasts import IN_FULL

if TYPE_CHECKING:
    from textual.fuzzy import Matcher

    from crm_tui.ui.app import CrmApp


@dataclass(frozen=True)
class Elsewhere:
    """An action of another screen that the palette offers from anywhere."""

    mode: str        # the area whose screen has it
    module: str      # that screen's module, imported when the palette opens
    screen: str      # and its class
    binding_id: str  # the binding whose words describe it
    # The step it takes: not offered to a person whose role may not take it (its key says
    # why on its screen; the palette offers only what can be done).
    takes: Action | None = None
    # The same, for a step that is not a case's: (actor) -> why the person may not ("").
    refused: Callable[[Actor], str] | None = None
    # A function of that screen's module, (actor) -> str | None, that its footer also asks:
    # why it cannot be done now ("" if it can; None: never, for this person's role). One that
    # cannot be done now is still found, saying why ("Sign all" with nothing waiting: b15b
    # F5 searched "sign" for it in vain), and choosing it says why.
    why_not: str | None = None
    # Not offered from a screen of a case, whose own key for it (in the case's letters) is
    # offered there instead, for that case.
    not_in_a_case: bool = False


def _session_refused(actor: Actor) -> str:
    """Why `actor` may not hold a review session: the session's services load when asked."""
    from crm_tui.services.reviews import review_session

    return review_session.refused(actor)


ELSEWHERE = (
    Elsewhere("inbox", "inbox", "InboxScreen", "inbox-new", Action.RECORD_REFERRAL),
    Elsewhere("inbox", "inbox", "InboxScreen", "inbox-import", Action.RECORD_REFERRAL),
    Elsewhere("home", "home", "HomeScreen", "home-screening"),
    Elsewhere("home", "home", "HomeScreen", "home-retention"),
    Elsewhere("audit", "audit_trail", "AuditTrailScreen", "audit-verify"),
    Elsewhere("letters", "letters_area", "LettersScreen", "letters-sign-all",
              why_not="why_not_sign_all"),
    Elsewhere("letters", "letters_area", "LettersScreen", "letters-verify"),
    # v20 AW1: "post" from the inbox found no *Post today*.
    Elsewhere("letters", "letters_area", "LettersScreen", "letters-post-today",
              why_not="why_not_post_today", not_in_a_case=True),
    Elsewhere("calendar", "calendar", "CalendarScreen", "cal-export"),
    # From any screen: the calendar opens and the session starts (or resumes) there.
    Elsewhere("calendar", "calendar", "CalendarScreen", "cal-session",
              refused=_session_refused),
    Elsewhere("register", "register", "RegisterScreen", "register-print"),
    Elsewhere("team", "team", "TeamScreen", "team-nominations"),
)


@dataclass(frozen=True)
class Opened:
    """A screen that a key of an area's screen opens (a review session from the calendar,
    the appeal nominations from the Team screen): its actions are offered from everywhere,
    saying where their key lives and how to get there."""

    name: str         # "a review session"
    mode: str         # the area whose screen opens it
    opener: tuple[str, str, str]  # (module, screen, binding id) of the key that opens it
    module: str       # the screen opened
    screen: str
    verb: str = "opens it"
    # Why the person may not use it at all ("" if they may), asked of the actor.
    refused: Callable[[Actor], str] | None = None


SESSION = Opened("the review session", "calendar", ("calendar", "CalendarScreen", "cal-session"),
                 "review_session", "ReviewSessionScreen", "starts or resumes it",
                 _session_refused)
NOMINATIONS = Opened("the Appeal nominations", "team", ("team", "TeamScreen", "team-nominations"),
                     "nominations", "NominationsScreen",
                     refused=lambda actor: "" if actor.role is Role.SERVICE_DIRECTOR
                     else "Service Director only")

IN_AN_OPENED = (
    (SESSION, "session-continue"),
    (SESSION, "session-lift"),
    (SESSION, "session-extend"),
    (SESSION, "session-period"),
    (SESSION, "session-not-writing"),
    (NOMINATIONS, "nominations-add"),
    (NOMINATIONS, "nominations-revoke"),
)


@dataclass(frozen=True)
class Place:
    """A screen of one case, as the palette names it when one of its keys is offered from
    another screen."""

    module: str
    screen: str
    name: str                   # "the restriction builder"
    any_case: str = "a case file"  # where no case is open: "a case's restriction builder"
    opener: str | None = None   # the case file's binding that opens it (None: the case file)
    # Other screens of a case with their own key to it: (module, screen, binding id).
    shortcuts: tuple[tuple[str, str, str], ...] = ()


CASE_FILE = Place("case_file", "CaseFileScreen", "the case file")
CASE_LETTERS = Place("case_letters", "CaseLettersScreen", "the case's letters",
                     "a case's letters", "case-letters")
BUILDER = Place("restriction_builder", "RestrictionBuilderScreen", "the restriction builder",
                "a case's restriction builder", "case-restrictions")
EVIDENCE = Place("evidence", "EvidenceScreen", "the evidence viewer", "a case's evidence viewer",
                 "case-evidence",
                 (("restriction_builder", "RestrictionBuilderScreen", "builder-viewer"),))


@dataclass(frozen=True)
class InACase:
    """An action of one case's screen, offered from every other screen: its words say which
    screen its key lives on and how to get there from the screen in hand, so that a key of
    another screen is never read as this screen's own (`D` decides in the builder, but sets
    how we write on the case file)."""

    place: Place
    binding_id: str
    opens: Place | None = None  # the screen the action opens: not offered on that screen
    # Offered only from a screen of a case (its words are about the case in hand): "Post
    # today" elsewhere is the Letters area's, for every case.
    in_a_case_only: bool = False


IN_A_CASE = (
    InACase(CASE_FILE, "case-appeal"),
    InACase(CASE_FILE, "case-evidence", EVIDENCE),
    InACase(CASE_FILE, "case-restrictions", BUILDER),
    InACase(CASE_FILE, "case-letters", CASE_LETTERS),
    InACase(CASE_FILE, "scope-escalations"),
    InACase(CASE_FILE, "scope-warning"),
    InACase(CASE_FILE, "case-subject-access"),
    InACase(CASE_LETTERS, "letters-prepare"),
    InACase(CASE_LETTERS, "letters-sign"),
    # The case's next action can be "Post the … letter" (t15c #3: "post" found no Post today
    # from the case file or its letters).
    InACase(CASE_LETTERS, "case-letters-post-today", in_a_case_only=True),
    # An issued letter's copy (v15h: "export" on the case file found no Export a copy);
    # elsewhere it is the Letters area's, from its register.
    InACase(CASE_LETTERS, "letters-export-copy", in_a_case_only=True),
    InACase(BUILDER, "builder-add"),
    InACase(BUILDER, "builder-consult"),
    InACase(BUILDER, "builder-preview"),
    InACase(BUILDER, "builder-decide"),
    InACase(BUILDER, "builder-lift"),
    InACase(BUILDER, "builder-redraft"),
    InACase(BUILDER, "builder-needs"),
    InACase(EVIDENCE, "evidence-log"),
    InACase(EVIDENCE, "evidence-attach"),
    InACase(EVIDENCE, "evidence-import"),
    InACase(EVIDENCE, "evidence-bundle"),
)


BACKUP = ("Backup (on the command line)",
          "Back up the database, the evidence and the letters: not from the app but on the "
          "command line, where it can run nightly: crm-tui backup DEST (DEST a new folder, "
          "best on another disk), which prints the manifest's SHA-256 to keep; crm-tui "
          "restore SRC puts a backup back, once every copy of the app is closed")
# On PostgreSQL `crm-tui backup` refuses (it copies an SQLite file): the server's backups.
SERVER_BACKUP = (BACKUP[0],
                 "Back up the database, the evidence and the letters: not from the app. This "
                 "database is on a PostgreSQL server, backed up by the server's own backups "
                 "(pg_dump, or those its administrator keeps); copy the evidence and letters "
                 "folders at the same time")


def backup_note() -> tuple[str, str]:
    """How a backup of the database in use is taken, for the palette."""
    return BACKUP if dialect.is_sqlite() else SERVER_BACKUP

# Textual's own commands that the app's keys already give: "Keys" is the help (`?`), "Quit" `q`.
REPLACED = frozenset({"keys", "quit"})
# Textual's other commands, said in the user's words (round 8: "Save an SVG 'screenshot' of
# the current screen"). Textual saves a picture in the Downloads folder.
TEXTUAL_WORDS = {
    "screenshot": ("Picture of the screen",
                   "Save a picture of this screen as a file in your Downloads folder (it opens "
                   "in a web browser); it shows whatever the screen shows, personal details "
                   "included: keep it as you keep the case file"),
    "theme": ("Theme", "Change the app's colours"),
    "maximize": ("Maximize", "Fill the screen with the list or box you are in"),
    "minimize": ("Minimize", "Put the list or box that fills the screen back in its place"),
}


def _norm(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)$", "", title).strip().casefold()


def _screen_type(module_name: str, screen: str) -> type[Screen[object]]:
    module = importlib.import_module(f"crm_tui.ui.screens.{module_name}")
    screen_type: type[Screen[object]] = getattr(module, screen)
    return screen_type


def _find(module: str, screen: str, binding_id: str) -> tuple[type[Screen[object]], Binding]:
    screen_type = _screen_type(module, screen)
    for klass in screen_type.__mro__:
        for item in klass.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding) and item.id == binding_id:
                return screen_type, item
    raise LookupError(f"{screen} has no binding {binding_id}")


def _binding(found: Elsewhere | InACase) -> tuple[type[Screen[object]], Binding]:
    if isinstance(found, InACase):
        return _find(found.place.module, found.place.screen, found.binding_id)
    return _find(found.module, found.screen, found.binding_id)


def beneath(screen: Screen[object]) -> Screen[object]:
    """The screen a dialog lies over (the nearest below it that is not a dialog itself), or
    `screen` where it is no dialog: the palette opened inside a dialog says the way to
    another screen's key from there (v15h: inside the evidence viewer's Import log sheet
    dialog, *Export bundle* was sent to the inbox, the evidence viewer beneath it)."""
    if not screen.is_modal:
        return screen
    stack = screen.app.screen_stack
    if screen not in stack:
        return screen
    return next((below for below in reversed(stack[:stack.index(screen)])
                 if not below.is_modal), screen)


def _on_screen(screen: Screen[object]) -> str:
    """Where a key of `screen` is pressed, in a sentence: "on the case file", "in the
    restriction builder", "in the Referral inbox" ("on the screen beneath it" unnamed)."""
    for place in (CASE_FILE, CASE_LETTERS, BUILDER, EVIDENCE):
        if isinstance(screen, _screen_type(place.module, place.screen)):
            return f"{'on' if place.opener is None else 'in'} {place.name}"
    for found in ELSEWHERE:
        if isinstance(screen, _screen_type(found.module, found.screen)):
            return f"in {next(a.place for a in AREAS if a.mode == found.mode)}"
    return "on the screen beneath it"


def after_the_dialog(route: str) -> str:
    """`route`, taken from the screen beneath the dialog in hand, once the dialog is closed."""
    return f"Once this dialog is closed: {route[:1].lower()}{route[1:]}"


def case_route(app: CrmApp, screen: Screen[object], place: Place, key: str) -> str:
    """Where `key` lives and how to get there from `screen`, in the words of the screen in
    hand: "Press D in the restriction builder (R here opens it)."."""
    in_a_case = shown_case(screen) is not None
    if place.opener is None:
        if in_a_case:
            return f"Press {key} on the case file (Esc goes back to it)."
        return (f"Press {key} on {place.any_case} (Enter on a case in the Referral inbox opens "
                f"it).")
    for module, name, binding_id in place.shortcuts:
        shortcut_type, shortcut = _find(module, name, binding_id)
        if isinstance(screen, shortcut_type):
            return f"Press {key} in {place.name} ({app.get_key_display(shortcut)} here opens it)."
    case_file_type, opener = _find(CASE_FILE.module, CASE_FILE.screen, place.opener)
    opens = app.get_key_display(opener)
    if isinstance(screen, case_file_type):
        return f"Press {key} in {place.name} ({opens} here opens it)."
    if in_a_case:
        return (f"Press {key} in {place.name} ({opens} on the case file opens it; Esc goes "
                f"back to the case file).")
    return (f"Press {key} in {place.any_case} (open the case file with Enter on a case in the "
            f"Referral inbox, then press {opens} there).")


def opened_route(app: CrmApp, screen: Screen[object], opened: Opened, key: str) -> str:
    """Where `key` lives and how to get there: "Press l in the review session (s in the Review
    calendar starts or resumes it)."."""
    area_type, opener = _find(*opened.opener)
    opens = app.get_key_display(opener)
    where = "here" if isinstance(screen, area_type) else (
        f"in {next(a.place for a in AREAS if a.mode == opened.mode)}")
    return f"Press {key} in {opened.name} ({opens} {where} {opened.verb})."


def role_allows(actor: Actor, found: InACase, binding: Binding) -> bool:
    """Whether the person's role may take a case screen's action at all, by the rule its key
    asks on its own screen (round 12: a service area manager was offered the builder's and the
    letters' keys whatever her role; an officer "Sign and issue"): the palette offers only
    what the person may do."""
    from crm_tui.domain.letters import PREPARERS, LetterKind, may_sign
    from crm_tui.domain.permissions import Capability, can
    from crm_tui.domain.posting import POSTERS
    from crm_tui.ui.screens.restriction_builder import ROLE_RULES

    if found.place is BUILDER:
        rule = ROLE_RULES.get(binding.action)
        return rule is None or rule[0](actor)
    if found.place is CASE_LETTERS:
        if binding.action == "sign":  # a letter of some kind this role signs
            return any(may_sign(actor, kind) for kind in LetterKind)
        if binding.action == "prepare":
            return actor.role in PREPARERS
        if binding.action == "post_today":
            return actor.role in POSTERS
    if found.binding_id == "scope-warning":
        return can(actor, Capability.RECORD_WARNINGS)
    if found.binding_id == "case-subject-access":
        return can(actor, Capability.SUBJECT_ACCESS)
    return True


def _key_refusal(screen: Screen[object], action: str) -> str:
    """Why the screen's own key for `action` cannot work now, as the key says it ("" where the
    screen knows no reason): a screen that refuses keys with reasons has `key_refusal`."""
    refusal = getattr(screen, "key_refusal", None)
    if refusal is None:
        return ""
    return str(refusal(parse(action)[1]) or "")


def _case_refusal(screen: Screen[object], found: InACase, binding: Binding) -> str:
    """Why an action of another screen of the case in hand cannot work at the case's stage,
    as its key would say there ("" where it may): D in the builder decides nothing on a case
    under appeal, nor at any stage with no decision on restrictions (t15 #5: on the case
    file "decide" found *Decide* with no "Not now")."""
    from crm_tui.ui.screens.restriction_builder import not_decided_here

    reference = shown_case(screen)
    if reference is None:
        return ""
    if found.binding_id == "case-appeal":
        return _appeal_refusal(screen, reference)
    if found.place is CASE_LETTERS and binding.action == "post_today":
        from crm_tui.ui.posting import case_post_refusal

        return case_post_refusal(cast("CrmApp", screen.app).actor, reference)
    if found.place is not BUILDER or binding.action != "decide":
        return ""
    state = getattr(screen, "current_state", None) or getattr(screen, "scope_state", None)
    shown = state() if state is not None else None
    return not_decided_here(shown) if shown is not None else ""


def _appeal_refusal(screen: Screen[object], reference: str) -> str:
    """Why the case file's A can do nothing on the case in hand, asked of the database as
    the case file asks it (its key says the same words there)."""
    from crm_tui.domain.errors import DomainError
    from crm_tui.services.core.database import session
    from crm_tui.services.reviews import appeals
    from crm_tui.ui.appeals import appeal_refusal

    try:
        with session():
            view = appeals.view(cast("CrmApp", screen.app).actor, reference)
    except DomainError:
        return ""  # the case file, opened, says what is wrong with the case itself
    return appeal_refusal(view)


# The app's keys that leave the screen in hand, which a form holds (CrmApp.check_action).
LEAVING = frozenset({"open_area", "switch_user", "quit"})


def _leaving(app: CrmApp, action: str) -> Callable[[], object]:
    """An app key chosen in the palette (an area, Switch user, Quit): run once the form in
    hand is closed, asking first if anything was typed (app.leave_then). Run as it was, the
    key reached the form, which holds such keys, and nothing happened (v15c m4: "Switch user"
    in the New referral form); and where the form was closed first, the picker never came."""
    return partial(app.leave_then, partial(app.call_later, app.run_action, action, app))


def _leaving_said(screen: Screen[object], leave: Binding) -> str:
    """What an app key that leaves the form in hand does: Quit's "everything is saved" was
    said over a form with typed text, which is not saved (v15e F9); it asks first."""
    said = leave.tooltip or leave.description
    if getattr(screen, "typed", False) and leave.id == "quit":
        what = getattr(screen, "DISCARD", "what you typed")
        return f"Close crm-tui; {what} is not saved: you are asked first whether to discard it"
    return said


# A key of the screen in hand that does not work now, where the screen has no reason in words.
NOT_NOW = "it does not work for what is highlighted, at this stage or for your role"


def _said_why(app: CrmApp, screen: Screen[object], entry: KeyHelp) -> Callable[[], object]:
    """What choosing a key that does not work now does: the action its key answers with now
    (the silent binding of the same key that says why: `P` in the Letters area with nothing to
    post says "No signed letters are waiting to be posted."), else a line saying not now."""
    for binding, keys in declared(type(screen)):
        if binding.description or not set(keys) & set(entry.raw_keys):
            continue
        if _works(screen, binding.action):
            return partial(app.run_action, binding.action, screen)
    return partial(app.notify, f"Not now: {NOT_NOW[:1].upper()}{NOT_NOW[1:]}.",
                   title=entry.title, markup=False, severity="warning", timeout=10)


def _with_note(screen: Screen[object], entry: KeyHelp) -> str:
    """A key that works, as the palette explains it, with what part of it cannot work yet
    where its screen knows (`key_note`): the appeal's "upheld in part" before the evidence
    of an amendment is linked (v22 C1)."""
    note = getattr(screen, "key_note", None) if entry.namespace is screen else None
    said = str(note(parse(entry.action)[1]) or "") if note is not None else ""
    return f"{entry.explains}. {said}" if said else entry.explains


def _works(screen: Screen[object], action: str) -> bool:
    _, name, parameters = parse(action)
    return bool(screen.check_action(name, parameters))


def palette_commands(app: CrmApp, screen: Screen[object]) -> list[SystemCommand]:
    """Every command the palette offers on `screen`, each once (by its name)."""
    commands: dict[str, SystemCommand] = {}

    def add(title: str, help_text: str, callback: Callable[[], object]) -> None:
        commands.setdefault(_norm(title), SystemCommand(title, help_text, callback))

    own = keys_of(screen)
    for entry in own:
        if entry.works_now:
            add(f"{entry.title} ({entry.key_text})", _with_note(screen, entry),
                _leaving(app, entry.action) if entry.namespace is app
                and parse(entry.action)[1] in LEAVING
                else partial(app.run_action, entry.action, entry.namespace))
            continue
        if entry.namespace is not screen:
            continue
        why = _key_refusal(screen, entry.action)
        if why:
            # Found all the same, saying why, in the words its key says (t15 #5: "appeal"
            # found no *Appeal* on a case file where A could not work).
            add(f"{entry.title} ({entry.key_text})", f"{entry.explains}. Not now: {why}",
                partial(app.notify, f"Not now: {why}", title=entry.title, markup=False,
                        severity="warning", timeout=10))
            continue
        # Found too where the screen knows no reason in words (v20 AW1: "post" found no *Post
        # today* in the Letters area, "consider" no *Consider* on a case no longer new, though
        # the help lists them as not now): choosing it presses the key, whose answer now says
        # why, or says it is not for now.
        add(f"{entry.title} ({entry.key_text})", f"{entry.explains}. Not now: {NOT_NOW}",
            _said_why(app, screen, entry))
    # Above a dialog the app's keys are not listed (it holds them), but the picker and Quit
    # are wanted from there too: each closes the dialog first, as from a full-screen form
    # (v15d N9: "quit" found nothing inside a dialog, Quit (q) inside New referral).
    for binding_id in ("switch-user", "quit") if app.demo else ("quit",):
        leave = next(b for b in type(app).BINDINGS
                     if isinstance(b, Binding) and b.id == binding_id)
        add(f"{leave.description} ({app.get_key_display(leave)})",
            _leaving_said(screen, leave), _leaving(app, leave.action))
    for area in AREAS:  # an area's key may be taken by the screen in hand (l in the evidence)
        here = next((e.title for e in own if e.namespace is screen and area.key in e.keys),
                    None)
        taken = f" ({area.key} on other screens; here {area.key} is {here})" if here else ""
        add(f"Go to {area.title}", f"{area.help}{taken}", partial(app.open_area, area.mode))
    for found in ELSEWHERE:
        if found.takes is not None and role_refusal(app.actor, found.takes):
            continue
        if found.refused is not None and found.refused(app.actor):
            continue
        if found.not_in_a_case and shown_case(beneath(screen)) is not None:
            continue
        screen_type, binding = _binding(found)
        why = "" if found.why_not is None else getattr(
            importlib.import_module(f"crm_tui.ui.screens.{found.module}"),
            found.why_not)(app.actor)
        if why is None:
            continue  # never for this person's role: its key is not offered them either
        if isinstance(screen, screen_type) and not why:
            continue  # then its key is listed above, as it works now
        key = app.get_key_display(binding)
        where = next(a.place for a in AREAS if a.mode == found.mode)
        if why:
            # Found all the same, saying why it cannot be done now; choosing it says so.
            add(binding.description, f"{binding.tooltip} ({key} in {where}). Not now: {why}",
                partial(app.notify, f"Not now: {why}", title=binding.description,
                        severity="warning", timeout=10))
            continue
        add(binding.description, f"{binding.tooltip} ({key} in {where})",
            partial(app.run_on_area, found.mode, screen_type, binding.action))
    # Inside a dialog, another screen's key is reached from the screen beneath it, once the
    # dialog is closed; that screen's own keys among them too.
    under = beneath(screen)
    for case_action in IN_A_CASE:
        screen_type, binding = _binding(case_action)
        if isinstance(screen, screen_type):
            continue  # its key is listed above when it works now
        if not role_allows(app.actor, case_action, binding):
            continue  # their key says why on its screen; the palette offers what can be done
        if case_action.in_a_case_only and shown_case(under) is None:
            continue
        opens = case_action.opens
        if opens is not None and isinstance(under, _screen_type(opens.module, opens.screen)):
            continue  # the screen in hand
        key = app.get_key_display(binding)
        if isinstance(under, screen_type):  # the screen beneath the dialog in hand
            on = "on" if case_action.place.opener is None else "in"
            route = f"Press {key} {on} {case_action.place.name} once this dialog is closed."
        else:
            route = case_route(app, under, case_action.place, key)
            if under is not screen:
                route = after_the_dialog(route)
        why = _case_refusal(under, case_action, binding)
        if why:
            route = f"{route} Not now: {why}"
        add(binding.description, f"{binding.tooltip}. {route}",
            partial(app.notify, route, title=binding.description, markup=False, timeout=10))
    for opened, binding_id in IN_AN_OPENED:
        if opened.refused is not None and opened.refused(app.actor):
            continue
        screen_type, binding = _find(opened.module, opened.screen, binding_id)
        if isinstance(screen, screen_type):
            continue  # its key is listed above when it works now
        key = app.get_key_display(binding)
        if isinstance(under, screen_type):  # the screen beneath the dialog in hand
            route = f"Press {key} in {opened.name} once this dialog is closed."
        else:
            route = opened_route(app, under, opened, key)
            if under is not screen:
                route = after_the_dialog(route)
        add(binding.description, f"{binding.tooltip}. {route}",
            partial(app.notify, route, title=binding.description, timeout=10))
    if under is not screen:
        # The screen beneath's own keys, after the ways above (v15i N1: inside a dialog on
        # the case file, "address" found no *Address (H)*).
        for entry in keys_of(under):
            if entry.namespace is not under:
                continue  # the app's keys: the areas, switching user and quitting, above
            why = "" if entry.works_now else _key_refusal(under, entry.action)
            if not entry.works_now and not why:
                continue  # not listed on that screen either
            route = (f"Press {entry.key_text} {_on_screen(under)} once this dialog is "
                     f"closed.")
            if why:
                route = f"{route} Not now: {why}"
            add(entry.title, f"{entry.explains}. {route}",
                partial(app.notify, route, title=entry.title, markup=False, timeout=10))
    # Backups are taken on the command line (by whoever looks after the computer, nightly):
    # the palette says how rather than finding nothing (b15b F5: "backup", "No matches").
    backup = backup_note()
    add(*backup, partial(app.notify, backup[1], title=backup[0], markup=False, timeout=15))
    if app.told_in_full:
        # A message too long for its strip showed its start, cut with "…" (toasts.py).
        add(IN_FULL, "The messages cut short at the foot of the screen, whole, newest first",
            partial(app.push_screen, DetailDialog(
                f"{IN_FULL} (cut short on screen; newest first)",
                "\n\n".join(f"{title}\n{message}" if title else message
                             for title, message in app.told_in_full))))
    if app.demo:
        for user in app.switchable_users():
            if user.login == app.actor.login:
                continue  # chosen, it changed nothing but closed the form: taken for the picker
            # Never the role an edited record claims (v15d N5), as in the picker.
            role = ("record changed outside the app" if user.record_edited
                    else user.role.label)
            # Named as the trail recorded them, as in the picker (v16h H4).
            named = (switch_user.person(user)
                     if user.record_edited and user.trail_name != user.name else user.name)
            add(f"Switch user: {named}", f"Act as {named}, {role}",
                partial(app.leave_then, partial(app.switch_user, user.login)))
    for command in app.textual_commands(screen):
        if _norm(command.title) not in REPLACED:
            title, says = TEXTUAL_WORDS.get(_norm(command.title), (command.title, command.help))
            add(title, says, command.callback)
    return list(commands.values())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def described(query: str, text: str) -> bool:
    """Every word typed begins a word of `text` ("sign" finds "Signs", "consult" finds
    "consultation")."""
    wanted = _words(query)
    have = _words(text)
    return bool(wanted) and all(any(w.startswith(q) for w in have) for q in wanted)


class ActionsProvider(Provider):
    """The app's commands, matched on their names (fuzzy, as Textual does) and on the words
    of their descriptions."""

    _listed: list[SystemCommand] | None = None

    def _commands(self) -> Iterator[SystemCommand]:
        # Listed once while the palette is open: some are offered only after asking the
        # database whether they can be done now (not at every letter typed).
        if self._listed is None:
            self._listed = list(self.app.get_system_commands(self.screen))
        yield from self._listed

    async def discover(self) -> Hits:
        for command in sorted(self._commands(), key=lambda c: c.title):
            yield DiscoveryHit(literal(command.title), command.callback, text=command.title,
                               help=_plain(command.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            fuzzy = matcher.match(command.title)
            score = ranked(query, fuzzy, command.title, command.help)
            if score > 0:
                title = _highlighted(matcher, command.title) if fuzzy else literal(command.title)
                yield Hit(score, title, command.callback, text=command.title,
                          help=_plain(command.help))


def ranked(query: str, fuzzy: float, title: str, help_text: str) -> float:
    """Where a command comes in the palette's list for `query` (0: not found), given Textual's
    fuzzy score of its name: first those whose name has a word beginning with each word
    typed, then those whose description has (a description names many actions in passing),
    then those that match only fuzzily ("sign" in "Switch user: Morgan Price"), each group
    in the order of the fuzzy score (v20 AW2: that switch came before *Go to Letters*, whose
    description says "sign")."""
    near = min(max(fuzzy, 0.0), 0.99)
    if described(query, title):
        return 2 + near
    if described(query, f"{title} {help_text}"):
        return 1 + near
    return near


def _plain(help_text: str) -> str:
    """Help the palette shows as written: it reads a str as markup (Content.from_markup) and
    takes a Content as it is, so a person's name such as "Ana [/b] Tag" in "Act as …" crashed
    the palette (found when tried). Typed str for Textual's signature; a Content at run time."""
    return cast(str, Content(help_text))


def _highlighted(matcher: Matcher, title: str) -> Content:
    """The title with the letters matched highlighted, as Matcher.highlight does, but from
    the title as written: Matcher.highlight reads it as markup (the same crash as above)."""
    content = Content(title)
    score, offsets = matcher.fuzzy_search.match(matcher.query, title)
    if not score:
        return content
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
