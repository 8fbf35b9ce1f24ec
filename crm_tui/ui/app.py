"""The App: areas as modes, the acting user, the command palette, and the error modal."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import cast

from textual import events, work
from textual._context import active_app
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, Provider
from textual.filter import LineFilter
from textual.screen import Screen
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from crm_tui.config import Config
from crm_tui.db.connection import open_database
from crm_tui.domain.errors import DatabaseBusy, DomainError
from crm_tui.domain.lifecycle import Action
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core import (
    audit,
    case_steps,
    configured_areas,
    grants,
    leftovers,
    next_step,
    outside_changes,
    scope,
    settings,
    users,
)
from crm_tui.services.core.database import session
from crm_tui.services.core.database_facts import demo_user
from crm_tui.services.core.results import UserInfo
from crm_tui.ui.areas import AREAS
from crm_tui.ui.broken_screens import broken_screen
from crm_tui.ui.changes import CaseChanged, FollowsChanges, follow_services
from crm_tui.ui.closing import close_blanked, is_closed, shown_case
from crm_tui.ui.collector import collect_seldom
from crm_tui.ui.controls_shown import ControlsShown
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.dialogs.access_ended import AccessEndedDialog
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.dialogs.help import HelpScreen
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog
from crm_tui.ui.idle_collect import CollectsWhenIdle
from crm_tui.ui.keys_wait import KeysAwaitOpening
from crm_tui.ui.new_day import FollowsTheDay
from crm_tui.ui.refused_keys import key_answer
from crm_tui.ui.screens.base import AreaScreen
from crm_tui.ui.screens.inbox import FirstRead, InboxScreen
from crm_tui.ui.standing_keys import StandingBeforeKeys
from crm_tui.ui.styles_kept import forget_gone_styles
from crm_tui.ui.timer_guard import install as guard_timers
from crm_tui.ui.toasts import ScreenToasts
from crm_tui.ui.watchers import forget_closed_watchers


def lazy_area(module: str, name: str) -> Callable[[], Screen[None]]:
    """A screen factory that imports the screen's module when the area is first opened."""
    def make() -> Screen[None]:
        screens = importlib.import_module(f"crm_tui.ui.screens.{module}")
        return cast(Screen[None], getattr(screens, name)())
    return make


def first_inbox() -> Screen[None]:
    """The inbox, the app's first screen, taken as styled by the app's stylesheet as it stands.

    Textual counts a mode's first screen as styled before any change of the app's CSS, and
    so refreshes the whole CSS for it: every style sheet parsed again, what it had parsed
    forgotten (parsed a third time as the inbox's widgets mount) and the app restyled, some
    100 rule sets and 10 ms before the first paint (issue 17). At start nothing has changed
    (the theme's variables are the stylesheet's own, set as the app was made); a change of
    theme later refreshes the CSS of every screen shown, as Textual does for any app.

    What that refresh did and is still needed: the app's own styles, which Textual gives it
    only once its first screen is composed; the colours every widget inherits come from them
    (without them the inbox's "Assigned to me" was drawn in its background's colour).

    Nor is it styled again whole as it is shown, just after its widgets were styled as they
    mounted (AreaScreen.styled_as_mounted)."""
    app = active_app.get()
    app.stylesheet.apply(app)
    screen = InboxScreen()
    screen._css_update_count = app._css_update_count
    screen.styled_as_mounted = True
    screen.hold_first_paint = True
    return screen


def actions_provider() -> type[Provider]:
    """The command palette's provider of the app's actions (ui/commands.py), imported when the
    palette first asks for it."""
    from crm_tui.ui.commands import ActionsProvider

    return ActionsProvider


# Before any widget starts a timer: a toast's timer could otherwise freeze the app.
guard_timers()


class CrmApp(ScreenToasts, DeliveryMixin, KeysAwaitOpening, StandingBeforeKeys, CollectsWhenIdle,
             FollowsTheDay, App[None]):
    # The inbox's own styles with the app's, read and parsed once at start: a screen's own
    # CSS_PATH is read as the screen is first shown, and every source parsed again then
    # (issue 17: some 15 ms before the inbox's first paint). Its rules name InboxScreen.
    CSS_PATH = ["app.tcss", "screens/inbox.tcss"]
    TITLE = "crm-tui"
    # Classes on every screen by the terminal's size, for the .tcss files to lay out narrow
    # (100 columns) and short (30 lines) terminals differently from wide ones.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]
    # The inbox is built at start; the other areas' modules load when first opened, so that
    # start-up does not pay for screens the user may not visit.
    MODES = {"inbox": first_inbox, "home": lazy_area("home", "HomeScreen"),
             "calendar": lazy_area("calendar", "CalendarScreen"),
             "register": lazy_area("register", "RegisterScreen"),
             "letters": lazy_area("letters_area", "LettersScreen"),
             "audit": lazy_area("audit_trail", "AuditTrailScreen"),
             "team": lazy_area("team", "TeamScreen")}
    # The inbox is where the CRM starts every working day: the app's first screen, composed
    # as the app is (not an empty screen first, then a switch to the inbox: the inbox laid out
    # and styled twice before its first paint, issue 17).
    DEFAULT_MODE = "inbox"
    BINDINGS = [
        # Shown at the right of every footer (widgets/keys_footer.py), in sight however many
        # keys the screen has. A priority binding, so that it reaches into dialogs too
        # (Textual stops ordinary app keys at a modal screen); a text field still takes `?`
        # as a character, F1 not.
        Binding("question_mark,f1", "help", "Help", id="help", priority=True,
                show=False,
                tooltip="Help for this screen: its keys, what they do and the step of the "
                        "policy it serves"),
        # The area list beside every area shows these keys, and ctrl+p lists them; left out of
        # the footer, which Textual rebuilds whenever the keys on offer change.
        *[Binding(a.key, f"open_area('{a.mode}')", f"Go to {a.title}", tooltip=a.help,
                  id=f"area-{a.mode}", show=False) for a in AREAS],
        Binding("q", "quit", "Quit", id="quit", tooltip="Close crm-tui; everything is saved"),
        # Demo only; the footer's last key, shown where the width leaves room after every
        # other (the footer drops keys from the end): never guessed where there is room (b15e).
        Binding("u", "switch_user", "Switch user", id="switch-user",
                tooltip="Act as another person of the demo, to see the case as their role does"),
        # Off the demo the same key says why there is no switching (see check_action).
        Binding("u", "why_no_switch", show=False),
    ]
    # The palette's own commands, loaded when the palette first opens (Textual calls a
    # provider given as a function then): its module and the dialogs it opens are not
    # imported on the way to the painted inbox (issue 17).
    COMMANDS = {actions_provider}
    # How often another program's changes to the database are looked for (seconds).
    OUTSIDE_CHANGES_EVERY = outside_changes.EVERY_SECONDS
    USERS_AFTER = 2.0  # seconds: the people are read by then, the inbox shown or not

    def __init__(self, actor: Actor, config: Config, *, demo: bool = False) -> None:
        super().__init__()
        self.actor = actor
        self.config = config
        self.demo = demo
        self.known_users: list[UserInfo] = []
        self.title = config.council.name + (" — DEMO DATA" if demo else "")
        # Every screen showing cases subscribes (ui/changes.py): told of each committed change.
        self.case_changed: Signal[CaseChanged] = Signal(self, "case_changed")
        self._unfollow: Callable[[], None] | None = None
        self._outside: outside_changes.OutsideChanges | None = None
        self.swept = ""  # what the start cleaned up after an interrupted run (create_app)
        self._users_asked = False  # the people read after the inbox's first page (on_mount)
        self._controls_shown = ControlsShown()
        self._first_read: FirstRead | None = None

    def on_load(self) -> None:
        """Before anything is composed: the inbox's first page is read from now, beside
        Textual's start (screens/inbox.py, FirstRead)."""
        self._first_read = FirstRead(self.actor)

    def take_first_read(self) -> FirstRead | None:
        """The read begun at start, for the inbox's first showing only."""
        first, self._first_read = self._first_read, None
        return first

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's own (no colour, dimmed behind a dialog) and, on every line of every
        widget, control characters written out instead of sent to the terminal (t16 F0)."""
        return [self._controls_shown, *super().get_line_filters()]

    def on_mount(self) -> None:
        collect_seldom()  # set already by crm-tui; an app made by a test sets it here
        self._toasts_init()
        # Each footer and header watches the app (its focus, its title): one entry per widget
        # ever mounted, kept after it has gone (ui/watchers.py), dropped at each change of screen.
        self.screen_change_signal.subscribe(self, lambda _: forget_closed_watchers(self))
        # Textual's styles cache keeps the lines of up to 1024 gone widgets (ui/styles_kept.py).
        self.screen_change_signal.subscribe(self, lambda _: forget_gone_styles())
        # What a closed screen held is given back once the person pauses (ui/idle_collect.py).
        self.screen_change_signal.subscribe(self, lambda _: self.collect_when_idle())
        self._unfollow = follow_services(self)
        # Changes another program commits reach the screens too (on a thread of its own).
        self._outside = outside_changes.OutsideChanges.for_open_database(
            self.OUTSIDE_CHANGES_EVERY)
        if self._outside is not None:
            self._outside.start()
        self.show_actor()
        # The people (the demo's switcher, the palette's "act as", the builder's lists) are
        # read once the inbox shows its first page, not beside its read (issue 17: some 20
        # statements on a thread of their own before the first paint); at the latest after
        # USERS_AFTER seconds, should the inbox show none.
        self.set_timer(self.USERS_AFTER, self.inbox_shown)
        # Said at once, not at the first step refused: a person whose own user record was
        # edited in the database (a role raised) records nothing (v15c F0). Once, off the
        # paint, on a thread.
        self.check_access()
        # With the app's clock ahead of the computer's nothing can be recorded: said at once,
        # not at the end of the first step (v16g G9). Read from the clocks alone: no database.
        ahead = audit.clocks_apart()
        if ahead:
            self.push_screen(ErrorDialog("The app's clock is ahead of the computer's",
                                         clock_ahead_said(ahead)))
        # Housekeeping waits until the inbox is on screen: it is not what the user opened for.
        self.set_timer(2.0, self.expire_ended)
        # Left open overnight, the app does what a start does when the day turns (new_day.py).
        self.follow_the_day()
        if self.swept:
            self.notify(self.swept, title="Cleaned up", markup=False, timeout=12)

    async def _on_resize(self, event: events.Resize) -> None:
        """The terminal's size told again, unchanged: nothing to do. Textual keeps such an
        event and, once idle, sends it on to the screen, which lays itself out again for it
        (issue 17: at start the terminal's size comes twice, as the app starts and from the
        terminal, and the inbox was laid out a time more before its first paint). A size
        that changes goes Textual's way (App._on_resize, next in line)."""
        if self.size == event.size and self._resize_timer is None and self._size is not None:
            event.stop()
            event.prevent_default()

    def on_unmount(self) -> None:
        if self._outside is not None:
            self._outside.stop()
        if self._unfollow is not None:
            self._unfollow()

    def on_case_changed(self, message: CaseChanged) -> None:
        if message.what in grants.ACCESS_CHANGES:
            # Someone's access or role changed elsewhere: perhaps the person acting here. Who
            # `u` and the palette offer, and the Team screen, are read again (found when
            # tried: read once at start, they offered people deactivated since).
            self.check_access()
            self.load_users()
            for screen in self._every_screen():
                refresh = getattr(screen, "refresh_users", None)
                if callable(refresh) and not is_closed(screen):
                    refresh()
            return
        if message.what == Action.DESTROY.value:
            # Destroyed here or by another program: nothing of the file stays in view.
            self._close_destroyed(message.reference)
        self.case_changed.publish(message)

    def _close_destroyed(self, reference: str) -> None:
        """Blank every screen showing a case just destroyed (the case file, the evidence, the
        builder, the case's letters, a form opened on it) and close it with whatever was open
        over it, as for a case the person may no longer see; the lists read themselves again
        without it. Who destroyed it is said once read."""
        closed = False
        for screen in self._every_screen():
            if shown_case(screen) == reference and not is_closed(screen):
                close_blanked(screen, f"{reference} was destroyed")
                self.workers.cancel_node(screen)
                closed = True
        self._pop_closed()
        if closed:
            self._say_destroyed(reference)

    @work(thread=True, exit_on_error=False, group="destroyed")
    def _say_destroyed(self, reference: str) -> None:
        with session():
            said = case_steps.destroyed(reference)
        deliver(self, self._destroyed_notice, reference,
                said or f"{reference} was destroyed: only its tombstone remains")

    def _destroyed_notice(self, reference: str, said: str) -> None:
        self.notify(f"{said}. Its screens were closed: nothing of the file is kept to show.",
                    title=f"{reference} closed", markup=False, timeout=12)

    @work(thread=True, exclusive=True, exit_on_error=False, group="expiry")
    def expire_ended(self) -> None:
        """Restrictions whose end date has come, with no extension, end by themselves; files
        whose restrictions have ended and that owe nothing are archived. Checked whenever
        the team opens the app."""
        if self.actor.role not in (Role.CRM, Role.OFFICER) or audit.clocks_apart():
            return  # another role's start archives nothing; a clock ahead, said at start
        # Imported here, in the worker: the decisions' services are not needed to paint the
        # inbox, and cost start-up about 100 ms.
        from crm_tui.services.restrictions import decisions
        from crm_tui.services.retention import schedule

        job = "the app's check at start-up"
        with session():
            expiry = decisions.run_expiry(self.actor, job=job)
        if expiry.ended:
            deliver(self, self._expired, expiry.ended)
        # Files whose restrictions ended and that owe nothing are archived without anyone
        # having to remember: by the person whose session ran the check.
        with session():
            archiving = schedule.archive_run(self.actor, job=job)
        if archiving.archived:
            deliver(self, self._archived, schedule.archived_said(archiving.archived))
        # A file changed outside the app is left alone (never sealed over) and said.
        left = [*expiry.skipped, *(f"{row.reference}: {why}" for row, why in archiving.refused)]
        if left:
            deliver(self, self._left_alone, left)

    def _expired(self, ended: list[str]) -> None:
        self.notify("Restrictions reached their end date and have ended: " + ", ".join(ended),
                    title="Restrictions ended", markup=False, timeout=12)

    def _left_alone(self, left: list[str]) -> None:
        self.notify("Left as they are by the check at start-up: " + " ".join(left),
                    title="Files not ended or archived", severity="warning", markup=False,
                    timeout=20)

    def _archived(self, archived: str) -> None:
        self.notify("Nothing is owed: archived (read-only): " + archived,
                    title="Files archived", markup=False, timeout=12)

    # -- the acting user -------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="access")
    def check_access(self) -> None:
        """Whether the person acting can still act (grants): if not, they are told at once;
        the services refuse their steps whatever happens here."""
        actor = self.actor
        with session():
            standing = grants.standing(actor)
        if standing.why:
            deliver(self, self.access_ended, actor, standing)

    def access_ended(self, actor: Actor, standing: grants.Standing) -> None:
        """The dialog shown at start: at start, at a switch, and at a key that would open a
        form or record something (standing_keys)."""
        if actor != self.actor or isinstance(self.screen, AccessEndedDialog):
            return  # switched meanwhile, or already said
        self.push_screen(AccessEndedDialog(standing.why, demo=self.demo,
                                           edited=standing.record_edited,
                                           name=standing.person or actor.name),
                         self._after_access_ended)

    def clock_ahead(self, why: str) -> None:
        """A key that would record refused, before its form, picker or prompt opens
        (standing_keys): the app's clock is ahead of the computer's."""
        self.drop_keys_after_refusal()
        self.notify(f"{why[:1].upper()}{why[1:]}.", title="Not done: the clock is ahead",
                    severity="error", markup=False, timeout=12)

    def _after_access_ended(self, answer: str | None) -> None:
        if answer == "switch":
            self.action_switch_user()
        else:
            self.exit()

    def show_actor(self) -> None:
        self.sub_title = f"{self.actor.name} · {self.actor.role.label}"

    def inbox_shown(self) -> None:
        """The inbox's first page is shown (or USERS_AFTER has passed): the people are read
        once it is painted, once."""
        if not self._users_asked:
            self._users_asked = True
            self.call_after_refresh(self.load_users)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-list")
    def load_users(self) -> None:
        with session():
            self.known_users = users.list_users()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A form being filled in keeps the keyboard: no leaving it by a stray letter.
        if action == "help":
            return True
        if action == "command_palette" and isinstance(self.screen, AccessEndedDialog):
            return False  # its areas and steps would lead away from the dialog to record
        if getattr(self.screen, "HOLDS_KEYS", False) and action in (
                "open_area", "switch_user", "why_no_switch", "quit"):
            return False
        answer = key_answer(action, ("switch_user", "why_no_switch", lambda: self.demo))
        return True if answer is None else answer

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()  # the same key closes it again
        elif not isinstance(self.screen, CommandPalette):  # F1 while typing a search there
            self.push_screen(HelpScreen(self.screen, self.screen_stack[:-1]))

    def action_why_no_switch(self) -> None:
        self.notify(f"Switching user works only on a demo database. On this one you act as "
                    f"yourself: {self.actor.name}, the user bound to the account you are "
                    f"logged in as.", title="No switching user", markup=False, timeout=8)

    def switchable_users(self) -> list[UserInfo]:
        """The people `u` and the palette offer to act as: those who can still use the app
        (found when tried: a person deactivated was offered, then refused as "not a user")."""
        return [user for user in self.known_users if user.active]

    def action_switch_user(self) -> None:
        # The people are read again as the picker opens (the keys typed meanwhile wait for
        # it): a record edited in the database while the app ran was listed unmarked, under
        # its edited role, until a restart (v15e F6).
        self._open_picker(self.hold_keys())

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-list")
    def _open_picker(self, opening: int) -> None:
        try:
            with session():
                self.known_users = users.list_users()
        finally:  # read or not, the picker opens (on the list read before, if need be)
            deliver(self, self._picker_read, opening)

    def _picker_read(self, opening: int) -> None:
        dialog = SwitchUserDialog(self.switchable_users(), self.actor.login, opening)
        self.push_screen(dialog, lambda login: self._switched(login, dialog.hold))

    def _switched(self, login: str | None, held: int | None = None) -> None:
        if login and login == self.actor.login:
            # The person acting, chosen again (the picker opens on them): nothing changes,
            # and nothing is read again or re-drawn (v15h: "Switched user · Now acting as
            # Priya Raman" for no change at all).
            self.notify(f"Still acting as {self.actor.name}, {self.actor.role.label}: nothing "
                        f"changed", title="Same user", markup=False)
            self.check_access()  # as when the picker closes with no one chosen
            if held is not None:
                self.let_go_keys(held)
        elif login:
            shown = {ref for screen in self._every_screen() if (ref := shown_case(screen))}
            self.switch_user(login, shown, held)
        else:
            # The picker closed with no one chosen: the person acting may be one who cannot
            # act (the dialog saying so offered `u`): said again, not left to the first step.
            self.check_access()
            if held is not None:
                self.let_go_keys(held)

    # Not in the list's group: reading the list again (a `u` typed next) cancelled a switch
    # not yet started, which then never let go of the keys it held.
    @work(thread=True, exclusive=True, exit_on_error=False, group="user-switch")
    def switch_user(self, login: str, shown: set[str] | None = None,
                    held: int | None = None) -> None:
        """`held`: the keys pressed meanwhile wait for the switch to land (hold_keys)."""
        try:
            if not self.demo:
                return
            with session():
                actor = users.resolve_actor(login)
                # The cases on screen the new person may not see: their screens close first.
                unseen = scope.unseen(actor, shown or ())
            deliver(self, self._became, actor, unseen, held)
            held = None
        finally:
            if held is not None:
                deliver(self, self.let_go_keys, held)

    def _became(self, actor: Actor, unseen: dict[str, str] | None = None,
                held: int | None = None) -> None:
        self.actor = actor
        self.show_actor()
        self.notify(f"Now acting as {actor.name}, {actor.role.label}", title="Switched user")
        self.check_access()  # the person switched to may be one who can record nothing
        if unseen:
            self._close_unseen(unseen)
        # What every screen offers depends on who acts (a case file open under the CRM must
        # not keep the CRM's keys and refusals for the Service Director): each screen that
        # shows cases reads itself again, at once if on view, else when it comes back.
        for screen in self._every_screen():
            if isinstance(screen, FollowsChanges) and not is_closed(screen):
                screen.outdated = True
        current = self.screen
        if isinstance(current, FollowsChanges):
            current.catch_up_now()
        else:
            refresh = getattr(current, "refresh_data", None)  # the screening queue
            if callable(refresh):
                refresh()
        current.refresh_bindings()
        if held is not None:
            self.let_go_keys(held)

    def _close_unseen(self, unseen: dict[str, str]) -> None:
        """Blank every screen showing a case the person now acting may not see, and close
        it (with whatever was opened over it): at once in this area, on return in another."""
        for screen in self._every_screen():
            ref = shown_case(screen)
            if ref in unseen:
                close_blanked(screen, unseen[ref])
                self.workers.cancel_node(screen)
        self._pop_closed()
        for ref, why in unseen.items():
            self.notify(f"{ref} closed: {why}.", title="Not yours to see", markup=False)

    def _pop_closed(self) -> None:
        """Pop this area's stack down to below its lowest closed screen."""
        stack = self.screen_stack
        lowest = next((i for i, screen in enumerate(stack) if is_closed(screen)), None)
        if lowest is None or lowest == 0:
            return
        for _ in range(len(stack) - lowest):
            self.pop_screen()

    def _every_screen(self) -> list[Screen[object]]:
        """The screens of every area opened so far, and those stacked on them."""
        stacks = getattr(self, "_screen_stacks", {})  # Textual keeps one stack per mode
        return [screen for stack in stacks.values() for screen in stack]

    # -- areas -----------------------------------------------------------------------------
    def action_open_area(self, mode: str) -> None:
        self.open_area(mode)

    def leave_then(self, then: Callable[[], object]) -> None:
        """Run `then`, which leaves the screen on top (an area opened, a user switched: from
        the palette, even inside a dialog): a form there is closed first, asking before it
        throws away what was typed (FormBehaviour.leave_for)."""
        leave_for = getattr(self.screen, "leave_for", None)
        if callable(leave_for):
            leave_for(then)
            return
        then()

    def open_area(self, mode: str) -> None:
        """Show the area's own screen: its key goes to the area (the inbox's list, Home…), from
        anywhere, leaving the case files and viewers opened over it in that area."""
        self.leave_then(partial(self._open_area, mode))

    def _open_area(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)
        for _ in range(len(self.screen_stack) - 1):
            self.pop_screen()
        if isinstance(self.screen, AreaScreen) and self.screen.is_mounted:
            # Read again at once, while the switch paints: an area opened shows today's data
            # (and a change it was told of meanwhile need not be read twice on resuming).
            self.screen.outdated = False
            self.screen.refresh_data()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from crm_tui.ui.commands import palette_commands

        return palette_commands(self, screen)

    def textual_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, screenshot, maximise…)."""
        return super().get_system_commands(screen)

    def open_screening(self, case_reference: str = "") -> None:
        from crm_tui.ui.screens.screening import ScreeningScreen

        if not isinstance(self.screen, ScreeningScreen):
            self.push_screen(ScreeningScreen(case_reference))

    def run_on_area(self, mode: str, screen_type: type[Screen[object]], action: str) -> None:
        """Open an area and run one of its screen's actions there (from the palette)."""
        def run() -> None:
            self._open_area(mode)
            self.call_after_refresh(self._run_on, screen_type, action)

        self.leave_then(run)

    async def _run_on(self, screen_type: type[Screen[object]], action: str) -> None:
        # The area's screen may lie under another (the inbox under a case file opened from
        # it): the action runs on it all the same, and what it opens comes on top.
        target = next((s for s in reversed(self.screen_stack) if isinstance(s, screen_type)),
                      None)
        if target is not None:
            await self.run_action(action, target)

    # -- failures --------------------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """A screen that could not be built is closed and the failure shown (broken_screens);
        any other failure Textual was not told how to handle ends the app, as before."""
        try:
            screen, first = broken_screen(error, list(self.screen_stack))
        except LookupError:
            super()._handle_exception(error)
            return
        if first:
            self.call_later(self._close_broken, screen, error)

    def _close_broken(self, screen: Screen[object], error: Exception) -> None:
        stack = self.screen_stack
        if screen in stack[1:]:
            # What went on top of it meanwhile (help asked for over a dialog never drawn) too.
            for _ in range(len(stack) - stack.index(screen)):
                self.pop_screen()
        guide = getattr(screen, "GUIDE", None)
        what = getattr(guide, "title", "") or type(screen).__name__
        self.push_screen(ErrorDialog("Something failed", f"{quoted(what)} could not be shown "
                                     f"and was closed; nothing was recorded. {error}"))

    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker of the app or of any screen or widget changed state (told by
        DeliveryMixin): a failure is shown, unless what ran it has been closed since."""
        if is_closed(event.worker.node):
            return  # a read for a screen closed since (a case the new person may not see)
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            title = ("Not saved: the database is busy" if isinstance(error, DatabaseBusy)
                     else "That was not allowed" if isinstance(error, DomainError)
                     else "Something failed")
            # Keys typed after the key whose work failed were for what did not open: dropped
            # here, as the failure is told, not only once the hold looks again (a read that
            # failed before the hold first looked was never seen by it, and the keys went to
            # the screen below: found in a clean run under load).
            self.drop_keys_after_refusal()
            self.push_screen(ErrorDialog(title, str(error)))


def clock_ahead_said(ahead: str) -> str:
    """What the start says of a clock ahead (`ahead`: audit.clocks_apart)."""
    return (f"{ahead[:1].upper()}{ahead[1:]}. Nothing can be recorded while it is: a key "
            "that would record something says so at once, and opens nothing. What the app "
            "shows as due or late is counted from its clock, not from the computer's: in "
            "Retention, files are listed as due for destruction by the app's date. Quit, "
            "and start the app without CRM_TUI_NOW (or with the computer's clock right).")


def create_app(db_target: str, login: str, config: Config | None = None, *,
               demo: bool | None = None, opened: bool = False) -> CrmApp:
    """Open the database and build the app for a user; the CLI and the tests both use this.
    A demo database (unless `demo` says otherwise) lets the user act as any demo user.
    `opened`: the caller (the CLI) has opened the database and done the housekeeping of a
    start (areas checked, next steps, letters owed, leftovers swept) with this configuration:
    not done twice (issue 17: the start read the schema and swept twice)."""
    config = config or Config()
    if not opened:
        settings.configure(config)
        open_database(db_target, busy_timeout=config.busy_timeout_seconds)
        configured_areas.check(config)  # AreasLeftOut: the CLI refuses before it comes here
        users.ensure_service_areas(config.service_areas)
        next_step.recompute_if_marked()
        next_step.refresh_letters_owed()
    is_demo = demo_user() is not None if demo is None else demo
    app = CrmApp(users.resolve_actor(login), config, demo=is_demo)
    if not opened:
        app.swept = _sweep()
    return app


def _sweep() -> str:
    """What a killed run left, cleaned up before the app opens: said once it has."""
    try:
        swept = leftovers.sweep()
    except DomainError:  # the database busy: the next start cleans up instead
        return ""
    return swept.said if swept else ""
