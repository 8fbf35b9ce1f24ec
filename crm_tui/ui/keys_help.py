"""The keys of a screen, read from its real bindings, as its help and the command palette list
them: what each is called and does, and whether it works now.

Read from the `BINDINGS` the app's own classes declare, merged the way Textual merges them (a
subclass's key replaces its base's), and each action asked through the same `check_action` that
the footer asks — so the help cannot list a key the screen does not have, nor miss one it has.
Textual's generic keys (Tab between fields, copying) are left to the help's last lines.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.actions import parse
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class KeyHelp:
    """One key (or keys with one action) of a screen."""

    keys: tuple[str, ...]  # as displayed: ("⏎",), ("pgup", "[")
    title: str             # the binding's description, as the footer shows it
    explains: str          # its tooltip: what it does, in the user's words
    works_now: bool        # False: on this screen, but not for this case or role (yet)
    action: str
    namespace: DOMNode     # where the action runs: the screen or the app
    binding_id: str | None = None
    raw_keys: tuple[str, ...] = ()  # as bound: ("P",), ("pageup", "left_square_bracket")

    @property
    def key_text(self) -> str:
        return " / ".join(self.keys)


def declared(owner: type[DOMNode]) -> list[tuple[Binding, list[str]]]:
    """The app's own bindings on `owner` and its bases, each with the keys still bound to it
    once subclasses have bound some of them again (as Textual's merge does: a class's bindings
    for a key replace its bases' bindings for that key)."""
    key_to: dict[str, list[Binding]] = {}
    originals: list[Binding] = []
    for base in reversed(owner.__mro__):
        if not base.__module__.startswith("crm_tui."):
            continue
        items: list[BindingType] = list(base.__dict__.get("BINDINGS", []))
        here: dict[str, list[Binding]] = {}
        for item in items:
            binding = item if isinstance(item, Binding) else Binding(*item)
            originals.append(binding)
            for key in binding.key.split(","):
                here.setdefault(key.strip(), []).append(binding)
        key_to.update(here)
    result = []
    for binding in originals:
        keys = [k for k, bound in key_to.items() if any(b is binding for b in bound)]
        if keys:
            result.append((binding, keys))
    return result


def _state(app: App[object], action: str, namespace: DOMNode) -> bool | None:
    target_name, name, parameters = parse(action)
    target: DOMNode = app if target_name == "app" else namespace
    return target.check_action(name, parameters)


def _entry(app: App[object], binding: Binding, keys: list[str], namespace: DOMNode,
           state: bool | None) -> KeyHelp:
    shown = tuple(app.get_key_display(replace(binding, key=k, key_display=None)) for k in keys)
    return KeyHelp(shown, binding.description, binding.tooltip or binding.description,
                   bool(state), binding.action, namespace, binding.id, tuple(keys))


def keys_of(screen: Screen[object]) -> list[KeyHelp]:
    """The screen's keys, then the app's keys that reach it (all of them on an ordinary screen,
    only the priority ones — help — above a dialog). A screen's key that does not work now is
    listed, marked; an app key that does not work here (an area key inside a form) is left out.
    Keys without a description are the silent halves of a key that has one (the key that says
    why switching user is not possible off the demo), and are skipped."""
    app = screen.app
    taken: set[str] = set()
    entries: list[KeyHelp] = []
    for binding, keys in declared(type(screen)):
        taken.update(keys)
        if not binding.description:
            continue
        state = _state(app, binding.action, screen)
        entries.append(_entry(app, binding, keys, screen, state))
    for binding, keys in declared(type(app)):
        free = [k for k in keys if k not in taken]
        if not free or not binding.description:
            continue
        if screen.is_modal and not binding.priority:
            continue
        state = _state(app, binding.action, app)
        if state:
            entries.append(_entry(app, binding, free, app, state))
    return entries
