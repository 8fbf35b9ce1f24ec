"""A text field takes no more than its limit as it is typed or pasted, and says so at the
field (found when tried: a 220,000-character paste typed in as keys pinned the app at full CPU
past 2 GB; the limit was only checked at save)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from crm_tui.ui.dialogs.log_contact import LogContactDialog
from crm_tui.ui.dialogs.reasons import ReasonsDialog
from tests.ui.keys import settle
from tests.ui.test_every_problem_ui import Host, text_of

SIZE = (100, 30)


async def test_the_contact_summary_takes_no_more_than_its_limit() -> None:
    dialog = LogContactDialog("UPV-2026-0001", ("Housing Services",))
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        summary = dialog.query_one("#summary", Input)
        assert summary.max_length == 5_000
        summary.focus()
        await settle(pilot)
        summary.value = "Rang about the repair " * 227  # 4,994 characters
        summary.action_end()
        await pilot.press(*"abcdefghij")  # a paste typed in as keys, past the limit
        await settle(pilot)
        assert len(summary.value) == 5_000
        assert summary.value.endswith("abcdef")
        assert "At most 5000 characters: no more is taken here" in text_of(app,
                                                                            "#summary-error")
        await pilot.press("backspace")  # room again: the words go
        await settle(pilot)
        assert "At most" not in text_of(app, "#summary-error")


async def test_a_multi_line_field_takes_no_more_than_its_limit_typed_or_pasted() -> None:
    dialog = ReasonsDialog("Lift", "Why", lambda *_: None, confirm="Lift")
    app = Host(dialog)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        told = dialog.query_one("#customer_reason", TextArea)
        told.text = "You phoned every day. " * 227  # 4,994 characters
        told.focus()
        told.move_cursor(told.document.end)
        await pilot.press(*"abc")
        await settle(pilot)
        assert len(told.text) == 4_997
        assert "At most" not in text_of(app, "#customer_reason-error")
        told.post_message(events.Paste("You wrote " * 500))  # bracketed: cut at the limit
        await settle(pilot)
        assert len(told.text) == 5_000 and told.text.endswith("abcYou")
        assert "At most 5000 characters: no more is taken here" in text_of(
            app, "#customer_reason-error")
        await pilot.press(*"xyz")  # refused, key by key
        await settle(pilot)
        assert len(told.text) == 5_000 and told.text.endswith("abcYou")
        reason = dialog.query_one("#reason", TextArea)
        assert reason.max_length == 20_000  # the services' longest text
