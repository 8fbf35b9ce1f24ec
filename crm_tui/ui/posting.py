""""Post today" from a screen (the Letters area): read the letters waiting to be posted in a
worker, open the dialog with them, and say where the print pack is once the posting is
recorded. Kept apart from the screen, which only adds the key and the mixin."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import work
from textual.screen import Screen

from crm_tui.domain.errors import DomainError
from crm_tui.domain.posting import require_poster
from crm_tui.services.core.database import session
from crm_tui.services.letters import posting
from crm_tui.services.letters.posting import PostedToday, UnpostedLetter
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.post_today import POST_TODAY_BINDING, PostTodayDialog, posted_notice

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

__all__ = ["POST_TODAY_BINDING", "PostTodayActions"]


class PostTodayActions(Screen[None]):
    def may_post(self) -> bool:
        """Whether the person signed in may post letters (P is offered only then)."""
        try:
            require_poster(cast("CrmApp", self.app).actor)
        except DomainError:
            return False
        return True

    def action_post_today(self) -> None:
        app = cast("CrmApp", self.app)
        try:
            require_poster(app.actor)
        except DomainError as exc:
            self.notify(str(exc), title="Post today", severity="warning", markup=False)
            return
        self._read_unposted()

    @work(thread=True, exclusive=True, exit_on_error=False, group="post-today-read")
    def _read_unposted(self) -> None:
        with session():
            waiting = posting.unposted(cast("CrmApp", self.app).actor)
        deliver(self, self._open_post_today, waiting)

    def _open_post_today(self, waiting: list[UnpostedLetter]) -> None:
        if not any(u.has_pdf for u in waiting):
            self.notify("No signed letters are waiting to be posted."
                        + (f" {len(waiting)} issued before signed copies were kept: print "
                           "them from the letters folder and record them with crm-tui "
                           "letters post --no-pack." if waiting else ""),
                        title="Post today", markup=False)
            return
        self.app.push_screen(PostTodayDialog(waiting), self._posted)

    def _posted(self, result: PostedToday | None) -> None:
        if result is None:
            return
        self.notify(posted_notice(result), title="Posted", markup=False, timeout=20,
                    severity="warning" if result.pack.without_pdf else "information")
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload the screen's lists (the screen's own)."""
