""""Post today" from a screen (the Letters area, and a case's letters for that case's own):
read the letters waiting to be posted in a worker, open the dialog with them, and say where the
print pack is once the posting is recorded. Kept apart from the screen, which only adds the key
and the mixin."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import work
from textual.screen import Screen

from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError
from crm_tui.domain.posting import require_poster
from crm_tui.domain.roles import Actor
from crm_tui.domain.typed_dates import in_prose
from crm_tui.services.core.database import session
from crm_tui.services.letters import issuing, posting
from crm_tui.services.letters.issuing import LetterInfo
from crm_tui.services.letters.posting import PostedToday, UnpostedLetter
from crm_tui.ui.delivery import deliver
from crm_tui.ui.dialogs.post_today import POST_TODAY_BINDING, PostTodayDialog, posted_notice

if TYPE_CHECKING:
    from crm_tui.ui.app import CrmApp

__all__ = ["POST_TODAY_BINDING", "PostTodayActions", "case_post_refusal", "none_to_post",
           "nothing_to_post", "poster_refusal"]


def nothing_to_post(reference: str, entries: list[LetterInfo],
                    waiting: list[UnpostedLetter]) -> str:
    """Why "Post today" in a case's letters has nothing of the case to post ("" when a signed
    letter of it is waiting to go), from the case's register and its letters not yet posted."""
    if any(u.has_pdf and not u.cannot_go for u in waiting):
        return ""
    stale = [u for u in waiting if u.cannot_go]
    if stale:
        # None of them can go today (a date it gives has passed): P would open on nothing to
        # post (v15k S: it was offered for an appeal outcome letter that could no longer go).
        return (f"Nothing of {reference} can be posted today: "
                # Superseded first, and not written again (issue 15 AZ Z1).
                + "; ".join(f"letter {u.id} ({u.kind.label.lower()}) {u.left_out_why[3:]}"
                            for u in stale) + "."
                + ("" if all(u.superseded for u in stale) else
                   " A letter the customer is still owed is written again: the case's next "
                   "action says which."))
    if waiting:
        return (f"Nothing of {reference} can go in a print pack: "
                + ", ".join(f"letter {u.id}" for u in waiting)
                + " was issued before signed copies were kept; print it from the letters "
                "folder and record it with crm-tui letters post --no-pack --letter N.")
    said = f"Nothing of {reference} is waiting to be posted: "
    withdrawn = [e for e in entries if e.superseded and e.posted_on is None]
    if withdrawn:
        # v15l W2: an appeal outcome letter overtaken by the lift was offered to post. The
        # letter posted in their place said too (v16 finding 11: only the superseded were).
        went = [e for e in entries if e.posted_on is not None]
        last = max(went, key=lambda e: (e.posted_on, e.id)) if went else None
        # Only those on the case's current chain (issue 15 AV3: every superseded letter of
        # all time was listed): superseded since the last letter that went, or by that letter
        # itself (v16 finding 11). A letter posted later still answered the older ones; the
        # register lists them.
        since = [e for e in withdrawn if not any(w.id > e.id for w in went)
                 or (last is not None and e.replaced_by == last.id)]
        older = len(withdrawn) - len(since)
        listed = ["; ".join(f"letter {e.id} ({e.kind.label.lower()}) is superseded: "
                            f"{e.superseded}" for e in since)] if since else []
        if older:
            listed.append(f"{counted(older, 'older letter')} superseded before the last letter "
                          f"posted {'is' if older == 1 else 'are'} in the register")
        return (said + "; ".join(listed)
                + (f". The last letter posted, letter {last.id} ({last.kind.label.lower()}), "
                   f"went on {in_prose(last.posted_on)}" if last and last.posted_on else "")
                + ". The case's next action says what is still owed.")
    drafts = [e for e in entries if e.status == "draft"]
    if drafts:
        return (said + f"the {drafts[0].kind.label} letter is not signed yet; it is posted "
                "once it is signed and issued.")
    posted = [e for e in entries if e.posted_on is not None]
    if posted:
        last = max(posted, key=lambda e: (e.posted_on, e.id))
        return (said + "every letter issued on it has been posted (the last, letter "
                f"{last.id}, on {in_prose(last.posted_on)}).") if last.posted_on else said
    if any(e.status == "issued" for e in entries):
        return said + "its file is read-only now."
    return said + "no letter has been signed and issued on it yet."


def none_to_post(waiting: list[UnpostedLetter]) -> str:
    """What the Letters area's "Post today" says when nothing it reads can go in a print pack."""
    return ("No signed letters are waiting to be posted."
            + (f" {len(waiting)} issued before signed copies were kept: print "
               "them from the letters folder and record them with crm-tui "
               "letters post --no-pack." if waiting else ""))


def poster_refusal(actor: Actor) -> str:
    """Why this person does not post letters ("" if they do)."""
    try:
        require_poster(actor)
    except DomainError as exc:
        return str(exc)
    return ""


def case_post_refusal(actor: Actor, reference: str) -> str:
    """Why "Post today" in the case's letters cannot work now ("" if it can), asked of the
    database as that screen reads it: the palette says it from the case file too."""
    refused = poster_refusal(actor)
    if refused:
        return refused
    try:
        with session():
            waiting = posting.unposted(actor, reference)
            entries = issuing.register(actor, reference)
    except DomainError:
        return ""  # the case's letters, opened, say what is wrong with the case itself
    return nothing_to_post(reference, entries, waiting)


class PostTodayActions(Screen[None]):
    def may_post(self) -> bool:
        """Whether the person signed in may post letters (P is offered only then)."""
        return not poster_refusal(cast("CrmApp", self.app).actor)

    def post_scope(self) -> str | None:
        """The case whose letters "Post today" posts (None: every case the person sees)."""
        return None

    def nothing_said(self, waiting: list[UnpostedLetter]) -> str:
        """What "Post today" says when nothing it reads can go in a print pack."""
        return none_to_post(waiting)

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
            waiting = posting.unposted(cast("CrmApp", self.app).actor, self.post_scope())
        deliver(self, self._open_post_today, waiting)

    def _open_post_today(self, waiting: list[UnpostedLetter]) -> None:
        if not any(u.has_pdf for u in waiting):
            self.notify(self.nothing_said(waiting), title="Post today", markup=False)
            return
        self.app.push_screen(PostTodayDialog(waiting, self.post_scope()), self._posted)

    def _posted(self, result: PostedToday | None) -> None:
        if result is None:
            return
        self.notify(posted_notice(result), title="Posted", markup=False, timeout=20,
                    severity="warning" if result.pack.without_pdf else "information")
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload the screen's lists (the screen's own)."""
