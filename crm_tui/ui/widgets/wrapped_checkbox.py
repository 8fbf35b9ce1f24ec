"""A checkbox whose label wraps at words: Textual's is one line, cut with an ellipsis, and a
label that says what ticking it means ("Do not write: … (needs the Head of Service's view on
not writing)") was cut at 100x30 where it mattered most (found when tried)."""

from __future__ import annotations

from textual.geometry import Size

from crm_tui.ui.widgets.tick_marks import Checkbox


class WrappedCheckbox(Checkbox):
    DEFAULT_CSS = """
    WrappedCheckbox {
        width: auto; max-width: 100%; height: auto; text-wrap: wrap; text-overflow: fold;
    }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.render().wrap(width)))
