"""A tab strip that shows whole tabs only: when they do not all fit, a window of them around
the active tab, with "…" at the side where tabs are left out.

Textual's Tabs scroll sideways, so a strip wider than the terminal showed a tab cut in half
at its edge ("2  New 2 …" at 100 columns in the inbox) and nothing to say more were there.
Every tab can still be reached: `[` `]` and the arrows move through all of them (the window
follows), and the command palette and help name them.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Size
from textual.widgets import Static, Tab, Tabs

MARKERS = 4  # "… " before, " …" after


class FittedTabs(Tabs):
    DEFAULT_CSS = """
    FittedTabs .tabs-more { width: 2; height: 1; display: none; color: $text-muted; }
    FittedTabs .tabs-more.-shown { display: block; }
    FittedTabs #tabs-before { dock: left; }
    FittedTabs #tabs-after { dock: right; content-align: right top; }
    """

    def compose(self) -> ComposeResult:
        # The "…" at either side is mounted when first wanted (fit): where every tab fits, as
        # at the usual widths, it never shows (issue 17: two hidden widgets fewer at start).
        yield from super().compose()

    @property
    def every_tab(self) -> list[Tab]:
        return list(self.query("#tabs-list > Tab").results(Tab))

    # Textual's own next/previous skip the tabs that are not displayed: these move through
    # every enabled tab, those left out of the window for want of room included (the public
    # actions are replaced, rather than the private list of tabs Textual moves through).
    def action_next_tab(self) -> None:
        self._step(+1)

    def action_previous_tab(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        tabs = [tab for tab in self.every_tab if not tab.disabled or tab is self.active_tab]
        if not tabs:
            return
        active = self.active_tab
        if active is None or active not in tabs:
            self.active = tabs[0 if direction == 1 else -1].id or ""
            return
        self.active = tabs[(tabs.index(active) + direction) % len(tabs)].id or ""

    def watch_active(self, previously_active: str, active: str) -> None:
        super().watch_active(previously_active, active)
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the tabs that fit whole, around the active one. Call after changing labels."""
        # A resize or a tab change can still be queued while the app quits (or the screen
        # closes): nothing may be mounted then (Textual's MountError), and nothing shows.
        if not self.is_attached:
            return
        tabs = self.every_tab
        width = self.size.width
        if not tabs or width <= 0:
            return
        widths = [tab.get_content_width(Size(0, 1), Size(0, 1)) + tab.styles.gutter.width
                  + tab.styles.margin.width for tab in tabs]
        lo, hi = 0, len(tabs) - 1
        if sum(widths) > width:
            room = width - MARKERS
            active = next((i for i, t in enumerate(tabs) if t is self.active_tab), 0)
            lo = hi = active
            used = widths[active]
            grew = True
            while grew:
                grew = False
                if hi + 1 < len(tabs) and used + widths[hi + 1] <= room:
                    hi += 1
                    used += widths[hi]
                    grew = True
                if lo > 0 and used + widths[lo - 1] <= room:
                    lo -= 1
                    used += widths[lo]
                    grew = True
        for index, tab in enumerate(tabs):
            tab.display = lo <= index <= hi
        more = lo > 0 or hi < len(tabs) - 1
        if more and not self.query(".tabs-more"):
            self.mount(Static("…", id="tabs-before", classes="tabs-more"),
                       Static("…", id="tabs-after", classes="tabs-more"), before=0)
        if more or self.query(".tabs-more"):
            self.query_one("#tabs-before").set_class(lo > 0, "-shown")
            self.query_one("#tabs-after").set_class(hi < len(tabs) - 1, "-shown")
        # Private (Textual redraws the bar under the active tab only on its own resize), held
        # by tests/ui/test_textual_private.py.
        self.call_after_refresh(self._highlight_active, False)
