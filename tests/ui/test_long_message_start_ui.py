"""t15d F5: at 80x24 one message longer than the whole strip (the builder's `D` refusal)
showed only its end: the strip keeps its newest lines in view, and the start of the message
(what was refused, on which case) was cut. A message too long for the strip now keeps its
start, is cut with "…" saying where it is whole, and is whole in the palette's "Messages in
full"; the strip keeps its third of the screen and its newest message in view."""

from __future__ import annotations

import math
from pathlib import Path

from textual.widgets._toast import Toast, ToastRack

from crm_tui.ui.app import create_app
from crm_tui.ui.dialogs.detail import DetailDialog
from crm_tui.ui.toasts import CUT_SAID, STRIP_SHARE
from tests.ui.keys import press_settled, settle

# The refusal t15d saw cut (builder, UPV-2026-0006, `D` at 80x24).
REFUSED = ("Cannot decide yet: the New issues only restriction rests on no evidence of the "
           "behaviour it answers (Repeat complaints, Refusing a decision after appeals): a "
           "contact shows a refusal to accept a decision after all appeal options have been "
           "exhausted only when it is about a matter that is closed. Raising legitimate "
           "queries or criticisms of the council, or challenging a decision, is not in itself "
           "unreasonably persistent or vexatious behaviour. In the builder, k links a contact "
           "or document that shows it; in the evidence viewer (v), b tags a contact or "
           "document with the behaviour it shows, m puts a contact under its matter and k "
           "links it.")
SIZE = (80, 24)


def _shown(toast: Toast) -> str:
    return str(toast.render())


async def test_a_long_message_keeps_its_start_and_is_whole_in_the_palette(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        app.notify(REFUSED, title="UPV-2026-0006", severity="warning", timeout=60)
        await settle(pilot)
        await pilot.pause(0.2)
        rack = screen.query_one(ToastRack)
        (toast,) = screen.query(Toast)
        said = _shown(toast)
        assert said.startswith("UPV-2026-0006\nCannot decide yet: the New issues only"), said
        assert said.endswith(CUT_SAID), said
        # All of it in view: the strip within its third of the screen, nothing scrolled off.
        assert rack.region.height <= math.floor(SIZE[1] * STRIP_SHARE)
        assert rack.region.contains_region(toast.region), (rack.region, toast.region)
        # Several messages: the newest still the one in view.
        app.notify("Restriction drafted", title="Drafted", timeout=60)
        await settle(pilot)
        await pilot.pause(0.2)
        newest = next(t for t in screen.query(Toast) if t._notification.title == "Drafted")
        assert rack.region.contains_region(newest.region)
        # The whole message, from the palette.
        await press_settled(pilot, "ctrl+p")
        await pilot.press(*"messages in full")
        await settle(pilot)
        await press_settled(pilot, "enter")
        assert isinstance(app.screen, DetailDialog), type(app.screen).__name__
        body = " ".join(str(app.screen.query_one("#detail-body").render()).split())
        assert "UPV-2026-0006" in body and " ".join(REFUSED.split()) in body


async def test_a_message_that_fits_is_not_cut(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.notify("Referral recorded as UPV-2026-0011", title="Recorded", timeout=60)
        await settle(pilot)
        (toast,) = app.screen.query(Toast)
        assert _shown(toast) == "Recorded\nReferral recorded as UPV-2026-0011"
        assert not app.told_in_full
