"""The header every screen shows: the council's name and who is acting, whatever the width.

Textual's header centres "title — sub-title" and cuts the end off: the acting person's role
("Complaints Resolution Manager") is long, and a narrow terminal lost the person or the
council. Here the title is fitted to the width it has: the role is shortened first (to the
policy's short words, then dropped), then "DEMO DATA" to "DEMO"; the council's name and the
person stay, and the council's name is the last thing cut (with "…").
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


def fit_title(title: str, sub_title: str, width: int) -> tuple[str, str]:
    """(title, sub-title) shortened to fit `width` columns together with " — " between them.
    The sub-title is "person · role"; the title "council[ — DEMO DATA]"."""
    person, _, role = sub_title.partition(" · ")
    council, demo = (title.removesuffix(DEMO), DEMO) if title.endswith(DEMO) else (title, "")
    demo_short = DEMO_SHORT if demo else ""
    short = SHORT_ROLES.get(role, role)
    roles = [f"{person} · {role}", f"{person} · {short}"] if role else [person]
    candidates = [(council + demo, who) for who in roles]
    candidates += [(council + demo_short, who) for who in roles[1:]] + [
        (council + demo_short, person)]
    for head, tail in candidates:
        if cell_len(head) + (3 + cell_len(tail) if tail else 0) <= width:
            return head, tail
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
