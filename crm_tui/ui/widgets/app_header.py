"""The header every screen shows: the council's name and who is acting, whatever the width.

Textual's header centres "title — sub-title" and cuts the end off: the acting person's role
("Complaints Resolution Manager") is long, and a narrow terminal lost the person or the
council. Here the title is fitted to the width it has: the role is shortened first (to the
policy's short words), then "DEMO DATA" to "DEMO"; a long name is cut (with "…") to keep the
role, which is dropped only where even that leaves too little of the name; the council's name
is the last thing cut (with "…").
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header
from textual.widgets._header import HeaderClock, HeaderClockSpace, HeaderIcon, HeaderTitle

from crm_tui.domain.roles import Role

DEMO, DEMO_SHORT = " — DEMO DATA", " — DEMO"
SHORT_ROLES = {role.label: role.short_label for role in Role}
NAME_AT_LEAST = 10  # cells of a cut name, "…" included: fewer names no one


def cut(text: str, room: int) -> str:
    """`text` cut to `room` cells, ending in "…"."""
    kept = ""
    for char in text:
        if cell_len(kept + char) > room - 1:
            break
        kept += char
    return kept.rstrip() + "…"


def fit_title(title: str, sub_title: str, width: int) -> tuple[str, str]:
    """(title, sub-title) shortened to fit `width` columns together with " — " between them.
    The sub-title is "person · role"; the title "council[ — DEMO DATA]"."""
    person, _, role = sub_title.partition(" · ")
    council, demo = (title.removesuffix(DEMO), DEMO) if title.endswith(DEMO) else (title, "")
    demo_short = DEMO_SHORT if demo else ""
    short = SHORT_ROLES.get(role, role)
    roles = [f"{person} · {role}", f"{person} · {short}"] if role else [person]
    candidates = [(council + demo, who) for who in roles]
    candidates += [(council + demo_short, who) for who in roles[1:]]
    for head, tail in candidates:
        if cell_len(head) + (3 + cell_len(tail) if tail else 0) <= width:
            return head, tail
    # A long name is cut (with "…") before the role is dropped: who is acting, and as what,
    # both stay in view (found when tried: a long name pushed the role out, with no "…").
    if role:
        # "DEMO DATA" gives way to "DEMO" before the name is cut to a stub.
        for head, least in ((council + demo, 2 * NAME_AT_LEAST),
                            (council + demo_short, NAME_AT_LEAST)):
            room = width - cell_len(head) - 3 - cell_len(f" · {short}")
            if room >= least and cell_len(person) > room:
                return head, f"{cut(person, room)} · {short}"
    if cell_len(council + demo_short) + (3 + cell_len(person) if person else 0) <= width:
        return council + demo_short, person
    # Not even the council and the person whole: the council's name is cut, the person kept.
    room = width - cell_len(demo_short) - (3 + cell_len(person) if person else 0) - 1
    if room >= 4:
        return council[:room].rstrip() + "…" + demo_short, person
    whole = council + demo_short + (" — " + person if person else "")
    return (whole[:max(width - 1, 0)] + "…", "") if cell_len(whole) > width else (whole, "")


class FittedTitle(HeaderTitle):
    """The header's title, worked out afresh for the width it has at each render."""

    def render(self) -> Text:
        header = self.parent
        if not isinstance(header, Header):
            return Text("")
        title, sub_title = fit_title(header.screen_title, header.screen_sub_title,
                                     self.content_region.width)
        text = Text(title, no_wrap=True, overflow="ellipsis")
        if sub_title:
            text.append(" — ", "dim")
            text.append(sub_title, "dim")
        return text


class AppHeader(Header):
    """Textual's header with the title fitted to the width (see the module's docstring)."""

    def compose(self) -> ComposeResult:
        yield HeaderIcon().data_bind(Header.icon)
        yield FittedTitle()
        yield (HeaderClock().data_bind(Header.time_format) if self._show_clock
               else HeaderClockSpace())
