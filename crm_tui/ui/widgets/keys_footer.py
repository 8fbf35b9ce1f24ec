"""The footer every screen shows: Textual's, compact, with Enter's action first and `? Help`
kept in sight at its right edge beside the command palette's key.

Textual lists the focused widget's keys, then the screen's, then the app's, and a narrow
terminal cuts the end of the list off ("u Switch us…" was all that was left of the app's keys
at 100 columns, "…x No action b" in the inbox). Enter's action leads, and help is docked right
with the palette's key, so that however many keys the screen has, what Enter does and where to
find the rest stay on screen. Every other key is shown whole or not at all: in that order,
while it fits beside the keys docked right (`FitsKeys`, which dialogs' own footers share), and
none after the first that does not fit.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

# The key widget Textual's footer itself yields (not re-exported from textual.widgets), so
# that this key looks, highlights and clicks like every other key in the footer.
from textual.widgets._footer import FooterKey

from crm_tui.ui.watchers import forget_closed_watchers

FIRST_KEYS = ("enter",)
RIGHT_KEYS = "right-keys"


def key_width(widget: Widget) -> int:
    """The columns a key (or a group of keys) takes in the footer, margins included: worked
    out from its text and styles, so that it can be known for a key that is hidden."""
    styles = widget.styles
    outside = styles.margin.width + styles.gutter.width
    if isinstance(widget, FooterKey):
        return outside + widget.get_content_width(Size(0, 1), Size(0, 1))
    if widget.children:
        return outside + sum(key_width(child) for child in widget.children)
    return outside + widget.get_content_width(Size(0, 1), Size(0, 1))


class FitsKeys(Footer):
    """A footer that shows each key whole or not at all, in the order composed, while it
    fits beside what is docked at its right edge (never a key cut in the middle). The keys in
    KEEP are given room first, wherever they stand: the way out of a dialog is never the key
    left off. After them, the keys shown are always the first ones, none after one dropped."""

    KEEP: tuple[str, ...] = ()
    _stale = False  # the keys changed since the footer was last composed
    _shown: tuple[object, ...] | None = None  # what the keys composed last stood for

    def keys_on_offer(self) -> tuple[object, ...]:
        """What the footer's keys stand for now: every key it shows (its key, how it is
        written, what it does and says, whether it can be pressed now, its tooltip), the keys
        the screen puts first, and whether the palette's key shows. The same after a change of
        the screen's keys (focus moved, a row read), the footer is not composed again."""
        screen = self.screen
        leads = getattr(screen, "footer_leads", None)
        return (
            tuple((binding.key, self.app.get_key_display(binding), binding.description,
                   binding.action, enabled, tooltip, binding.tooltip, binding.group)
                  for (_, binding, enabled, tooltip) in screen.active_bindings.values()
                  if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING),
            leads() if callable(leads) else (),
            self.show_command_palette, self.compact)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Recomposed once per refresh, and only on the screen on top. Textual recomposed the
        footer for every change of the keys, and also the footer of a screen a dialog had
        just covered: 0.2 s on a loaded machine spent before "Discard…?" was drawn. A covered
        screen's keys are shown again when it is back on top (its keys are refreshed then).

        Every change asks for a redraw of its own (those after the first find nothing left to
        do). Textual hands a redraw asked for "after the refresh" to the screen on top when the
        footer reads the request, and a dialog closed before it was first drawn (`s y` typed at
        once: the question) drops it: with one request at a time, the footer waited for ever
        on the lost one and showed the keys of before the letter was signed (round 11)."""
        self._bindings_ready = True
        if not self.is_attached or screen is not self.screen:
            return
        self._stale = True
        if screen.app.app_focus:  # else once the app has the focus again (below)
            self.call_after_refresh(self._recompose_keys)

    def on_mount(self) -> None:
        # Textual asks again when the terminal says it has the focus back, not when a key
        # brings it back (the app's own keys go their way without it); a change made
        # meanwhile (a letter signed while the user looked away) was never shown.
        self.watch(self.app, "app_focus", self._focus_back, init=False)

    def _focus_back(self, focus: bool) -> None:
        if focus and self._stale:
            self.call_after_refresh(self._recompose_keys)

    async def _recompose_keys(self) -> None:
        if self._stale and self.is_attached and self.screen is self.app.screen:
            self._stale = False
            # A screen's keys change several times as it is first shown (its focus given, its
            # rows read, shown on top, looked at again once idle): the footer was composed
            # three times before the inbox's first paint, each time the same keys (issue 17).
            if self.keys_on_offer() == self._shown:
                return
            await self.recompose()

    async def recompose(self) -> None:
        self._shown = self.keys_on_offer() if self._bindings_ready else None
        await super().recompose()
        # The keys just removed stay bound to this footer's `compact` until it changes (never):
        # every recompose kept the last keys alive (t15 #1).
        forget_closed_watchers(self)
        self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        width = self.size.width
        if width <= 0:
            return
        keys = [child for child in self.children if child.id != RIGHT_KEYS]
        docked = [child for child in self.children if child.id == RIGHT_KEYS]
        available = width - sum(key_width(child) for child in docked)
        # Once a key is dropped every later one is too, though a shorter one would fit in the
        # gap: what shows is always a prefix of the keys in priority order, so a key of lower
        # priority never shows where a higher one does not (`x` without `s` in the calendar).
        used = 0
        fitting = True
        # In KEEP's own order (v20 AW3: Enter's step, composed first, took the room and the
        # Post today dialog's `esc Cancel` was left off).
        kept = sorted((key for key in keys if getattr(key, "key", None) in self.KEEP),
                      key=lambda key: self.KEEP.index(getattr(key, "key", "")))
        for key in kept + [key for key in keys if key not in kept]:
            need = key_width(key)
            fitting = fitting and used + need <= available
            key.display = fitting
            if fitting:
                used += need


class KeysFooter(FitsKeys):
    # Two keys docked to the same edge would overlap: the palette's key and help's share one
    # group docked at the right.
    DEFAULT_CSS = """
    KeysFooter #right-keys {
        dock: right;
        width: auto;
        height: 1;
        FooterKey { padding-right: 1; border-left: vkey $foreground 20%; }
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        palette: FooterKey | None = None
        keys: list[Widget] = []
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The class each key gives itself as it mounts (FooterKey.compact, bound to
                # the footer's), given now: each key was styled again for it, one by one,
                # before the first paint (issue 17).
                widget.set_class(self.compact, "-compact", update=False)
            if isinstance(widget, FooterKey) and widget.has_class("-command-palette"):
                palette = widget
                palette.remove_class("-command-palette", update=False)
                continue
            keys.append(widget)
        # Enter's action first, then the screen's way forward (a screen may name the keys
        # that lead: the builder's D when the next action is to decide, which a narrow
        # footer dropped); the rest in Textual's order (a stable sort).
        leads = getattr(self.screen, "footer_leads", None)
        lead: tuple[str, ...] = leads() if callable(leads) and self.is_attached else ()

        def rank(widget: Widget) -> int:
            key = getattr(widget, "key", "")
            return 0 if key in FIRST_KEYS else 1 if key in lead else 2

        yield from sorted(keys, key=rank)
        if not self._bindings_ready:
            return
        with HorizontalGroup(id=RIGHT_KEYS):
            if palette is not None:
                yield palette
            # The app's priority `?` (and F1) opens help on any screen, dialogs included.
            yield FooterKey("question_mark", "?", "Help", "app.help",
                            tooltip="Help for this screen: its keys and the policy step it serves",
                            classes="-compact")
