"""A panel that scrolls within its height and says on its bottom border, at every moment,
whether it holds more than it shows.

The case file worked the sign out once, just after showing new facts: before the panel had
been laid out again, so a panel that grew (an appeal recorded, a restriction added) was cut
with no sign, and one that shrank kept a sign with nothing more to see. Here the sign follows
the panel's own size and scroll position (a Resize comes whenever either size changes).
"""

from __future__ import annotations

from textual import events
from textual.containers import VerticalScroll
from textual.geometry import Size

MORE_BELOW = "more below: Tab, ↓"
MORE_ABOVE = "more above: ↑"


class MorePanel(VerticalScroll):
    # Textual (8.2) measures an auto-height scroll panel's content at the panel's whole
    # width, its scrollbar's column included, and adds a horizontal scrollbar's line to it
    # when the gutter is stable: the panel was a line short or a line too tall for its text
    # (the restrictions of the case under appeal cut after "Mon, Wed," above a blank line).
    # The content is measured here at the width the text wraps at; no horizontal bar is kept.
    DEFAULT_CSS = "MorePanel { scrollbar-size-horizontal: 0; }"

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # (Without a stable gutter the bar shows only when the text does not fit: measured at
        # the whole width, text that fits is not taken a line taller than it is.)
        gutter = (self.styles.scrollbar_size_vertical
                  if self.styles.scrollbar_gutter == "stable" else 0)
        return super().get_content_height(container, viewport, max(0, width - gutter))

    def on_resize(self, event: events.Resize) -> None:
        self.mark_more()

    def watch_virtual_size(self, size: Size) -> None:
        # Content grown or shrunk in a panel of fixed height (the review session's facts):
        # no Resize comes then.
        self.call_after_refresh(self.mark_more)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.mark_more()

    def mark_more(self) -> None:
        self.set_class(self.max_scroll_y > 0, "-more")  # for a panel with no border of its own
        if self.max_scroll_y <= 0:
            self.border_subtitle = ""
        elif self.scroll_y < self.max_scroll_y:
            self.border_subtitle = MORE_BELOW
        else:
            self.border_subtitle = MORE_ABOVE
