"""What every area screen shares: the header with the acting user, the area list, the
footer with the keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from crm_tui.ui.changes import FollowsChanges
from crm_tui.ui.delivery import DeliveryMixin
from crm_tui.ui.new_screens import size_classes
from crm_tui.ui.widgets.app_header import AppHeader
from crm_tui.ui.widgets.area_nav import AreaNav
from crm_tui.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp


class AreaScreen(FollowsChanges, DeliveryMixin, Screen[None]):
    """A screen reached from the area list. Subclasses give `MODE` and `compose_body`."""

    MODE = ""
    BINDINGS = [Binding("f5", "refresh_data", "Refresh", show=False,
                        tooltip="Read this screen again from the database")]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        size_classes(self)  # styled once for the terminal's size (new_screens.py)

    @property
    def crm_app(self) -> CrmApp:
        from crm_tui.ui.app import CrmApp

        return cast(CrmApp, self.app)

    # Set on the inbox made at start (ui/app.first_inbox): styled as its widgets mounted a
    # moment before, with nothing changed since, it is not styled again whole as it is first
    # shown. Textual does that for every screen shown (ScreenResume), for what may have
    # changed while it was away: at start, 45 widgets styled twice before the first paint
    # (issue 17: some 60 of 190 style applications). Shown again later, it is, as before.
    styled_as_mounted = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls each class's own handler in turn, this one before Screen's (which
        # is not to be called from here as well: it would run twice).
        if self.styled_as_mounted:
            self.styled_as_mounted = False
            event.refresh_styles = False

    # The app's first screen is first drawn once it has settled (ui/app.py, first_inbox): its
    # first layout gives the tab strip and the footer their widths, and only then do they fit
    # their tabs and keys to them (their keys composed, some tabs left out), which the screen
    # lays out again. Drawn at its first layout, the inbox was drawn twice before the user could
    # read it, most of it the second time over (issue 17: some 45 ms of the CPU). The drawing
    # waits (bounded: FIRST_PAINT_WITHIN seconds) until nothing is left to lay out or redraw.
    hold_first_paint = False
    FIRST_PAINT_WITHIN = 0.3

    def _compositor_refresh(self) -> None:
        if self.hold_first_paint:
            if not self._first_paint_asked:
                self._first_paint_asked = True
                # Once idle (nothing to lay out or redraw): Textual calls back then.
                self.call_after_refresh(self._first_paint)
                self.set_timer(self.FIRST_PAINT_WITHIN, self._first_paint)
            self._dirty_widgets.clear()
            return
        super()._compositor_refresh()

    _first_paint_asked = False

    def _first_paint(self) -> None:
        if self.hold_first_paint:
            self.hold_first_paint = False
            # Drawn now, whole (every widget laid out while held is still marked to draw):
            # not at the next refresh, after what waits for the first paint has run.
            self._compositor_refresh()

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(id="frame"):
            yield AreaNav(self.MODE)
            with Vertical(id="body"):
                yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_area_nav_chosen(self, message: AreaNav.Chosen) -> None:
        self.crm_app.open_area(message.mode)

    def action_refresh_data(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload what the screen shows (after the acting user changes, for instance)."""

    def show_again(self) -> None:
        # An area lists many cases: any change to one may change what it shows.
        self.refresh_data()
