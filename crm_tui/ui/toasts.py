"""Messages (Textual's notifications) that belong where they were given.

- A toast belongs to the screen on view when it was given, and goes when that screen is left:
  a refusal on one screen no longer follows the user to the next, or over a dialog.
- A repeated message (the same title, or the same words when untitled) replaces the one on
  show instead of stacking: five quick switches of user show one "Switched user".
- While a dialog is open, a message goes to a notice line inside it, clear of its fields and
  its keys, instead of a toast over them.
- No toast outlives its time by more than a second, whatever becomes of its own timer.
- When the last toast goes, its strip goes with it and the screen has its lines back.
- The strip takes a third of the screen at most, the newest messages in view (ui/app.tcss).
- One message longer than the whole strip keeps its start (its title and first lines, what
  was refused and why) and is cut with "…", saying where it is whole: the palette's
  "Messages in full" (t15d F5: at 80x24 the strip kept the end of the builder's "Cannot
  decide yet: …" in view, and its start, what was refused, was never seen).

The decision is taken when Textual handles the notification (`Notify`), not when `notify` is
called: a dialog's result callback runs before the dialog is popped, and the "Recorded" it
gives belongs to the screen beneath, on view by then.

Textual offers `notify` and `clear_notifications`, but no public way to list the notifications
on show or take one down alone: this module uses Textual's private `App._notifications`,
`App._unnotify`, `App._refresh_notifications`, `App._on_notify` and `Toast._notification`
(`ToastHolder` is the box Textual wraps each toast in).
tests/ui/test_textual_private.py fails loudly, naming the one, if an upgrade changes their shape.
"""

from __future__ import annotations

import math
import textwrap
import weakref
from collections import deque
from typing import Any

from rich.text import Text
from textual.app import App
from textual.command import CommandPalette
from textual.notifications import Notification, Notify
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.widgets._toast import Toast, ToastHolder

NOTICE_ID = "dialog-notice"
KEYRING_NOT_USED = "Keyring not used"  # the title of the notice saying why
STYLES = {"information": "bold", "warning": "bold yellow", "error": "bold red"}


class DialogNotice(Static):
    """The notice line inside a dialog: what a toast would have said."""

    DEFAULT_CSS = """
    DialogNotice { width: 100%; height: auto; margin: 1 0 0 0; }
    """


def notice_text(title: str, message: str, severity: str) -> Text:
    """A notice line's words: the title in the severity's style, the message never read as
    markup."""
    text = Text()
    if title:
        text.append(f"{title}: ", style=STYLES.get(severity, "bold"))
    text.append(message)
    return text


# A toast's width is the screen's (ui/app.tcss: messages stand in a strip across its foot), less
# its padding and its coloured left border: the longest line it shows whole (found when tried:
# the border was left out, and at 80 columns a file's name one cell too long was cut mid-word by
# the toast's own wrapping).
TOAST_PADDING = 3
_BREAKS = "/-"


def broken_at_words(message: str, width: int) -> str:
    """`message` with each word longer than `width` (a path, a file's name) broken after a
    "/" or "-", so that the toast does not cut it mid-word (b15b 12:
    ".../evidence-bundle-UPV-2025" / "-0006-…pdf"). Shorter words are left to the toast's
    own wrapping, at spaces; a long word with no "/" or "-" is left whole."""
    def pieces(word: str) -> list[str]:
        out = []
        while len(word) > width:
            at = max(word.rfind(mark, 0, width) for mark in _BREAKS)
            if at <= 0:
                break
            out.append(word[:at + 1])
            word = word[at + 1:]
        return [*out, word]

    lines = []
    for line in message.split("\n"):
        words = line.split(" ")
        if all(len(word) <= width for word in words):
            lines.append(line)
            continue
        said = ""
        for word in words:
            parts = pieces(word)
            said += ("" if not said or said.endswith("\n") else " ") + "\n".join(parts)
            if len(parts) > 1:
                said += "\n"
        lines.append(said.rstrip("\n"))
    return "\n".join(lines)


# The strip's height: a third of the screen's at most (ui/app.tcss, ToastRack max-height).
STRIP_SHARE = 0.33
# Where a message cut short is whole (ui/commands.py offers it while there is one).
IN_FULL = "Messages in full"
CUT_SAID = f"\u2026 (cut: the whole message is in ctrl+p, \u201c{IN_FULL}\u201d)"
# How many messages cut short are kept whole, newest first.
KEPT_IN_FULL = 10


def _wrapped(text: str, width: int) -> list[str]:
    """`text` as the toast wraps it at `width` (at spaces; its lines kept)."""
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(textwrap.wrap(line, width, break_on_hyphens=False) or [""])
    return lines


def cut_to_fit(message: str, width: int, lines: int) -> str | None:
    """`message` cut to `lines` lines of `width`, its start kept and CUT_SAID last, or None
    when it fits whole."""
    wrapped = _wrapped(message, width)
    if len(wrapped) <= lines:
        return None
    keep = max(1, lines - len(_wrapped(CUT_SAID, width)))
    return "\n".join(wrapped[:keep]) + "\n" + CUT_SAID


def _key(notification: Notification) -> str:
    return notification.title or notification.message


def _notice_in(screen: Screen[Any], notification: Notification) -> bool:
    """Show `notification` on the dialog's notice line (added at the foot of its box, above
    its keys, the first time); False when the screen has no box to hold one."""
    found = screen.query(f"#{NOTICE_ID}")
    if found:
        notice = found.first(DialogNotice)
    else:
        boxes = [c for c in screen.children if not c.has_class("-textual-system")]
        if not boxes:
            return False
        notice = DialogNotice(id=NOTICE_ID)
        boxes[0].mount(notice)
    notice.update(notice_text(notification.title, notification.message,
                              notification.severity))
    notice.display = True
    return True


class ScreenToasts:
    """Mixed into the App (before App): who owns each notification, and the rules above."""

    told_in_full: deque[tuple[str, str]]

    def _toasts_init(self: Any) -> None:
        self._toast_owner: dict[str, weakref.ref[Screen[Any]]] = {}
        # Messages cut short in their toast, whole, newest first: (title, message).
        self.told_in_full: deque[tuple[str, str]] = deque(maxlen=KEPT_IN_FULL)
        self.screen_change_signal.subscribe(self, self._left_screen)
        self.set_interval(1.0, self._reap_toasts)

    def _on_notify(self: Any, event: Notify) -> None:
        # Textual calls the handler of every class in the App's MRO: App's own is not wanted
        # after this one.
        event.prevent_default()
        notification = event.notification
        # Never read as markup: messages name customers, officers and files (switching to a
        # person whose name held "[link=" broke the toast saying so).
        notification.markup = False
        try:
            screen = self.screen
        except Exception:  # no screen yet (the app is starting or closing)
            return App._on_notify(self, event)
        if (isinstance(screen, ModalScreen) and not isinstance(screen, CommandPalette)
                and _notice_in(screen, notification)):
            return None
        width = screen.size.width - TOAST_PADDING
        if width > 0:
            whole = notification.message
            notification.message = broken_at_words(whole, width)
            room = math.floor(screen.size.height * STRIP_SHARE) - (1 if notification.title
                                                                    else 0)
            cut = cut_to_fit(notification.message, width, room) if room > 0 else None
            if cut is not None:
                self.told_in_full.appendleft((notification.title, whole))
                notification.message = cut
        for shown in list(self._notifications):
            if _key(shown) == _key(notification):
                self._unnotify(shown, refresh=False)
        self._toast_owner[notification.identity] = weakref.ref(screen)
        self._notifications.add(notification)
        self._refresh_notifications()
        return None

    def _unnotify(self: Any, notification: Notification, refresh: bool = True) -> None:
        App._unnotify(self, notification, refresh=refresh)
        if not refresh:
            # A toast that runs out takes itself down (Toast._expire) and asks for no
            # refresh: the strip it stood in stayed shown, empty, keeping its line (and its
            # place in the layout) until the next message; at 80x24 the evidence's reader
            # stayed lines short after three toasts had gone (v16g G8). Refreshed once it
            # is down, the strip is hidden when it holds none and the screen laid out again.
            self.call_later(self._refresh_notifications)

    def _refresh_notifications(self: Any) -> None:
        App._refresh_notifications(self)
        try:
            screen = self.screen
        except Exception:
            return
        # Textual takes down a replaced toast but not the box it stood in: gone with it.
        for holder in list(screen.query(ToastHolder)):
            if not any(t._notification in self._notifications for t in holder.query(Toast)):
                holder.remove()
        # The strip the toasts stand in (ui/app.tcss) takes lines from the screen or gives
        # them back, laid out in a pass that tells none of the widgets made shorter or taller
        # (found when tried: the case file, fitting its panels to its height, kept them and
        # the line under its timeline went out of sight): laid out again in full once the
        # toasts are in, telling each the size it now has.
        self.call_later(screen.call_after_refresh, screen.refresh, layout=True)

    def _left_screen(self: Any, screen: Screen[Any]) -> None:
        """Another screen is on view: the toasts given on the others go."""
        gone = False
        for shown in list(self._notifications):
            owner = self._toast_owner.get(shown.identity)
            if owner is None or owner() is not screen:
                self._unnotify(shown, refresh=False)
                gone = True
        if gone:
            self._toast_owner = {n.identity: self._toast_owner[n.identity]
                                 for n in self._notifications
                                 if n.identity in self._toast_owner}
            self._refresh_notifications()

    def _reap_toasts(self: Any) -> None:
        """A toast shown past its time (its timer lost with a screen switched away from and
        back) is taken down."""
        try:
            toasts = list(self.screen.query(Toast))
        except Exception:
            return
        if any(t._notification not in self._notifications or t._notification.has_expired
               for t in toasts):
            self._refresh_notifications()
