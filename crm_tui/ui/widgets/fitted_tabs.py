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
        yield Static("…", id="tabs-before", classes="tabs-more")
        yield Static("…", id="tabs-after", classes="tabs-more")
        yield from super().compose()

    @property
    def every_tab(self) -> list[Tab]:
        return list(self.query("#tabs-list > Tab").results(Tab))

    @property
    def _potentially_active_tabs(self) -> list[Tab]:
        # Tabs left out of the window for want of room can still be made active (Textual
        # skips tabs that are not displayed).
        return [tab for tab in self.every_tab if not tab.disabled or tab is self.active_tab]

    def watch_active(self, previously_active: str, active: str) -> None:
        super().watch_active(previously_active, active)
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the tabs that fit whole, around the active one. Call after changing labels."""
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
        self.query_one("#tabs-before").set_class(lo > 0, "-shown")
        self.query_one("#tabs-after").set_class(hi < len(tabs) - 1, "-shown")
        self.call_after_refresh(self._highlight_active, False)
