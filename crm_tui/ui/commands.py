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
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from crm_tui.ui.areas import AREAS
from crm_tui.ui.keys_help import keys_of

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


@dataclass(frozen=True)
class Elsewhere:
    """An action of another screen that the palette offers from anywhere."""

    mode: str        # the area whose screen has it
    module: str      # that screen's module, imported when the palette opens
    screen: str      # and its class
    binding_id: str  # the binding whose words describe it


ELSEWHERE = (
    Elsewhere("inbox", "inbox", "InboxScreen", "inbox-new"),
    Elsewhere("inbox", "inbox", "InboxScreen", "inbox-import"),
    Elsewhere("home", "home", "HomeScreen", "home-screening"),
    Elsewhere("audit", "audit_trail", "AuditTrailScreen", "audit-verify"),
    Elsewhere("letters", "letters_area", "LettersScreen", "letters-sign-all"),
)


@dataclass(frozen=True)
class InACase:
    """An action of one case, offered where no case is open: choosing it says where it is."""

    module: str
    screen: str
    binding_id: str
    route: str  # how to get there: "{key}" stands for the action's own key


_CASE_FILE = "Open the case file (Enter on a case in the inbox), then press {key}."
_LETTERS = "Open the case file (Enter in the inbox), press W for its letters, then {key}."
_BUILDER = ("Open the case file (Enter in the inbox), press R for the restriction builder, "
            "then {key}.")
_EVIDENCE = "Open the case file (Enter in the inbox), press v for its evidence, then {key}."
IN_A_CASE = (
    InACase("case_file", "CaseFileScreen", "case-appeal", _CASE_FILE),
    InACase("case_file", "CaseFileScreen", "case-evidence", _CASE_FILE),
    InACase("case_file", "CaseFileScreen", "case-restrictions", _CASE_FILE),
    InACase("case_file", "CaseFileScreen", "case-letters", _CASE_FILE),
    InACase("case_file", "CaseFileScreen", "scope-escalations", _CASE_FILE),
    InACase("case_file", "CaseFileScreen", "scope-warning", _CASE_FILE),
    InACase("case_letters", "CaseLettersScreen", "letters-prepare", _LETTERS),
    InACase("case_letters", "CaseLettersScreen", "letters-sign", _LETTERS),
    InACase("restriction_builder", "RestrictionBuilderScreen", "builder-add", _BUILDER),
    InACase("restriction_builder", "RestrictionBuilderScreen", "builder-consult", _BUILDER),
    InACase("restriction_builder", "RestrictionBuilderScreen", "builder-preview", _BUILDER),
    InACase("restriction_builder", "RestrictionBuilderScreen", "builder-decide", _BUILDER),
    InACase("evidence", "EvidenceScreen", "evidence-log", _EVIDENCE),
    InACase("evidence", "EvidenceScreen", "evidence-attach", _EVIDENCE),
    InACase("evidence", "EvidenceScreen", "evidence-import", _EVIDENCE),
    InACase("evidence", "EvidenceScreen", "evidence-bundle", _EVIDENCE),
)

# Textual's own commands that the app's keys already give: "Keys" is the help (`?`), "Quit" `q`.
REPLACED = frozenset({"keys", "quit"})


def _norm(title: str) -> str:
    return re.sub(r"\s*\([^)]*\)$", "", title).strip().casefold()


def _binding(found: Elsewhere | InACase) -> tuple[type[Screen[object]], Binding]:
    module = importlib.import_module(f"crm_tui.ui.screens.{found.module}")
    screen_type: type[Screen[object]] = getattr(module, found.screen)
    for klass in screen_type.__mro__:
        for item in klass.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding) and item.id == found.binding_id:
                return screen_type, item
    raise LookupError(f"{found.screen} has no binding {found.binding_id}")


def palette_commands(app: CrmApp, screen: Screen[object]) -> list[SystemCommand]:
    """Every command the palette offers on `screen`, each once (by its name)."""
    commands: dict[str, SystemCommand] = {}

    def add(title: str, help_text: str, callback: Callable[[], object]) -> None:
        commands.setdefault(_norm(title), SystemCommand(title, help_text, callback))

    for entry in keys_of(screen):
        if entry.works_now:
            add(f"{entry.title} ({entry.key_text})", entry.explains,
                partial(app.run_action, entry.action, entry.namespace))
    for area in AREAS:  # an area's key may be taken by the screen in hand (l in the evidence)
        add(f"Go to {area.title}", area.help, partial(app.open_area, area.mode))
    for found in ELSEWHERE:
        screen_type, binding = _binding(found)
        if isinstance(screen, screen_type):
            continue  # then its key is listed above when it works now
        key = app.get_key_display(binding)
        where = next(a.title for a in AREAS if a.mode == found.mode)
        add(binding.description, f"{binding.tooltip} ({key} in the {where})",
            partial(app.run_on_area, found.mode, screen_type, binding.action))
    for case_action in IN_A_CASE:
        screen_type, binding = _binding(case_action)
        if isinstance(screen, screen_type):
            continue
        route = case_action.route.format(key=app.get_key_display(binding))
        add(binding.description, f"{binding.tooltip}. {route}",
            partial(app.notify, route, title=binding.description, timeout=10))
    if app.demo:
        for user in app.known_users:
            add(f"Switch user: {user.name}", f"Act as {user.name}, {user.role.label}",
                partial(app.switch_user, user.login))
    for command in app.textual_commands(screen):
        if _norm(command.title) not in REPLACED:
            add(command.title, command.help, command.callback)
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

    def _commands(self) -> Iterator[SystemCommand]:
        yield from self.app.get_system_commands(self.screen)

    async def discover(self) -> Hits:
        for command in sorted(self._commands(), key=lambda c: c.title):
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback,
                          text=command.title, help=command.help)
            elif described(query, f"{command.title} {command.help}"):
                # Below every match on a name: a description names many actions in passing.
                yield Hit(0.01, command.title, command.callback, text=command.title,
                          help=command.help)
