"""A key that would open a form or record something first asks whether the person acting can
still act (services.core.grants.standing, the check made at start and at a switch of user).

The app asks at start and at `u`; meanwhile the person's own user record may be edited in the
database (sqlite3, not the app), and another program's change to it writes no audit entry for
the app to notice. They were told only when a save was refused, after the reasons had been
typed, or at the next switch of user (issue 15). Now each such key asks first, on a thread of
its own while the key waits, and if they cannot act the dialog shown at start comes at once
instead of what the key would open: the key's action does not run.

Keys that only move about (a cursor, a tab, a search, another area, help) are not asked: they
record nothing, and asking at each would read the database at every cursor key. Nor are the
dialogs that are the way out (the one this opens, the user picker) nor a prompt a step's
worker waits on (its step is refused by the service, which asks again as it writes).

The clocks are asked first, and without the database: while the app's clock is ahead of the
computer's (CRM_TUI_NOW), nothing can be recorded, and such a key says so at once, naming both
clocks, instead of opening its form, picker or passphrase prompt (found when tried, v16g G9:
the refusal came only after the pick, or after the passphrase was typed). Keys that only open
a view (an area, the evidence, a letter to read) still open it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

from textual.actions import ActionParseResult, parse
from textual.app import App, ScreenStackError
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen

from crm_tui.domain.roles import Actor
from crm_tui.services.core import audit, grants
from crm_tui.services.core.database import session
from crm_tui.ui.dialogs.access_ended import AccessEndedDialog
from crm_tui.ui.dialogs.help import HelpScreen
from crm_tui.ui.dialogs.switch_user import SwitchUserDialog

# Screen actions that open nothing and record nothing: moving about, reading again, leaving.
MOVING_ABOUT = frozenset({
    "all_cases", "back", "cancel", "clear_filter", "cycle_sort", "dismiss", "focus_search",
    "go", "help", "month", "next_field", "next_tab", "open_case", "pop_screen",
    "previous_field", "previous_tab", "quit", "quit_app", "refresh_data", "reload",
    "reverse_sort", "search", "select", "select_cursor", "show_matches", "switch",
    "switch_to_selected", "switch_user", "tab", "to_list", "today", "toggle_contacts",
    "toggle_mine", "why_no_switch"})
# Screen actions that open a view to read, and record nothing: let through while the clocks
# disagree (the standing is still asked). Any other key that asks first is refused then.
VIEWING = frozenset({
    "evidence", "letters", "nominations", "open_entry", "preview", "read_letter",
    "restrictions", "retention", "screening", "verify"})
# Screen actions that ask the clocks themselves before any question, in words of their own:
# `D` in Retention says what is not destroyed (retention/destruction_clock).
CLOCKS_OWN = frozenset({"destroy"})
# Where every key is the way out of, or into, acting as someone.
_WAYS_OUT = (AccessEndedDialog, SwitchUserDialog, HelpScreen, CommandPalette)


def asks_first(action: str, namespace: DOMNode | None, top: Screen[object] | None) -> bool:
    """Whether the key's `action`, bound on `namespace`, asks for the person's standing."""
    if not isinstance(namespace, Screen) or top is None or isinstance(top, _WAYS_OUT):
        return False  # a widget's own key (a cursor, a field), or the app's (areas, quit)
    if getattr(top, "awaits_answer", False):
        return False
    name = action.rsplit(".", 1)[-1]
    return name not in MOVING_ABOUT


def refused_on_the_clocks(action: str) -> str:
    """Why the key's `action` (one that asks first) is refused now on the clocks ('' if it
    is not): its form, picker or prompt would end in a step the audit trail refuses."""
    name = action.rsplit(".", 1)[-1]
    if name in VIEWING or name in CLOCKS_OWN or name.startswith(("why_", "not_")) \
            or name.endswith("_refused"):
        return ""
    return audit.dated_ahead("nothing can be recorded while it is; nothing was opened")


class StandingBeforeKeys(App[None]):
    """Needs `actor` and `access_ended(actor, standing)` (the app's)."""

    actor: Actor
    # Standing checks on their way: the key's action waits on one (a test's settle waits for
    # it as for a worker: the key has not landed yet).
    _asking_standing = 0

    def keys_waiting(self) -> bool:
        return self._asking_standing > 0

    # The app's (CrmApp.access_ended): the dialog shown at start, shown here at the key.
    access_ended: Callable[[Actor, grants.Standing], None]
    # The app's (CrmApp.clock_ahead): a key refused while its clock is ahead.
    clock_ahead: Callable[[str], None]

    async def run_action(self, action: str | ActionParseResult,
                         default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        name = parse(action)[1] if isinstance(action, str) else action[1]
        try:
            top: Screen[object] | None = self.screen
        except ScreenStackError:
            top = None
        if asks_first(name, default_namespace, top):
            ahead = refused_on_the_clocks(name)
            if ahead:
                self.clock_ahead(ahead)
                return True  # answered: the key's form or prompt never opens
            actor = self.actor
            self._asking_standing += 1
            try:
                standing = await asyncio.to_thread(_standing, actor)
            finally:
                self._asking_standing -= 1
            if standing.why:
                self.access_ended(actor, standing)
                return True  # the key was answered: by the dialog, not by its action
        return await super().run_action(action, default_namespace, namespaces)


def _standing(actor: Actor) -> grants.Standing:
    with session():
        return grants.standing(actor)
