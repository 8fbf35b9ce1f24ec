"""Issue 15 AV4 (v18): in the amend-on-appeal form (A, "upheld in part"), a word of the
reasons typed looked lost after the terminal was resized. The field kept every word; Textual's
display did not: a TextArea rewraps its text when its size changes, but the lines painted at
the new width before the rewrap (the old wrapping, cut at the new edge: "… need no") stayed on
screen when the rewrap left the number of lines the same. Typed with keys, the terminal made
narrower and wider again: the field keeps every word, and every word is on the screen."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import TextArea

from crm_tui.db.connection import open_database
from crm_tui.db.models import database_proxy
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.restrictions import builder
from crm_tui.ui.app import create_app
from tests.ui.deciding import amend_opened
from tests.ui.keys import settle

UNDER_APPEAL = "UPV-2026-0004"  # under appeal, restrictions in force, none drafted
WORDS = ("You have shown us that the restrictions need not last as long as we first "
         "decided, and that letters to the named officer reached us late")


def _shown(area: TextArea) -> list[str]:
    """The words the field draws (its whole height, as painted: the strips it keeps)."""
    strips = area.render_lines(Region(0, 0, *area.region.size))
    return [w for w in " ".join(strip.text for strip in strips).split()
            if w.strip("▊▔▁▎")]


async def test_the_reasons_keep_every_word_after_a_resize(db: Path) -> None:
    open_database(db)
    builder.redraft_in_force(resolve_actor("ceri.hughes"), UNDER_APPEAL)
    database_proxy.close()
    app = create_app(str(db), "gareth.bell")
    async with app.run_test(size=(140, 40)) as pilot:
        dialog = await amend_opened(pilot, UNDER_APPEAL)
        area = dialog.query_one("#customer_reason", TextArea)
        area.focus()
        await pilot.press(*WORDS)
        await settle(pilot)
        # Stacked below 100 columns, beside the letter above: the field narrows and widens,
        # its three lines holding the words at each width.
        for size in ((100, 30), (80, 24), (140, 40), (100, 30)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            await pilot.pause()
            assert area.text == WORDS, (size, area.text)
            assert _shown(area) == WORDS.split(), (size, area.size, _shown(area))
