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
worker waits on (its step is refused by the service, which asks again as it writes)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

from textual.actions import ActionParseResult, parse
from textual.app import App, ScreenStackError
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen

from crm_tui.domain.roles import Actor
from crm_tui.services.core import grants
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

    async def run_action(self, action: str | ActionParseResult,
                         default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        name = parse(action)[1] if isinstance(action, str) else action[1]
        try:
            top: Screen[object] | None = self.screen
        except ScreenStackError:
            top = None
        if asks_first(name, default_namespace, top):
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
