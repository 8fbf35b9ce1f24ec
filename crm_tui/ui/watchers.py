"""Watchers left behind by widgets that have gone.

A widget that watches another object's reactive (`self.watch(self.app, "app_focus", …)`), and a
widget bound to its parent's (`FooterKey(…).data_bind(compact=Footer.compact)`), is entered in
that object's list of watchers; Textual takes the entry out only when the value next changes.
A value that never changes (the app's focus in tmux, a footer's `compact`) kept every widget
ever entered, and all it held: each footer recomposed for a change of keys left its keys behind,
each dialog its footer, and switching user all morning grew the app by megabytes (t15 #1).

Textual keeps the lists in a private attribute, `__watchers` (a dict of the reactive's name to
a list of (node, callback)), and drops an entry when its node is closing: the same rule is
applied here at once. tests/ui/test_textual_private.py fails if that shape changes.
"""

from __future__ import annotations

WATCHERS = "__watchers"


def forget_closed_watchers(watched: object) -> None:
    """Drop the watchers `watched` holds for widgets removed since (closing or closed)."""
    lists: dict[str, list[tuple[object, object]]] = getattr(watched, WATCHERS, {})
    for entries in lists.values():
        entries[:] = [(node, callback) for node, callback in entries
                      if not (getattr(node, "_closing", False) or getattr(node, "_closed", False))]
