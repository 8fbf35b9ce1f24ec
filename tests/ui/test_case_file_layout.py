"""The case file at 100x30 and 80x24 (issue 15): its panels fit at 100x30; where they cannot
(80x24), they wrap at words, say there is more, and scroll by keys; the timeline keeps rows."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Static

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle


def shown_text(widget: Static) -> str:
    """Every line the widget draws, joined: what a reader can see by scrolling."""
    lines = ["".join(s.text for s in widget.render_line(y)) for y in range(widget.size.height)]
    return " ".join(" ".join(lines).split())


async def test_the_panels_fit_at_100x30_and_scroll_by_keys_at_80x24(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(CaseFileScreen("UPV-2026-0002"))  # restricted, long notes
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseFileScreen) and screen.data is not None
        boxes = list(screen.query(".panel").results(VerticalScroll))
        assert [b.id for b in boxes] == ["customer-box", "in-force-box"]
        assert all(box.max_scroll_y == 0 and not box.border_subtitle for box in boxes)
        assert screen.query_one("#timeline").size.height >= 7
        # The restriction wraps at words: every word of it is on screen.
        in_force = screen.query_one("#in-force", Static)
        for restriction in screen.data.in_force:
            assert " ".join(restriction.description.split()) in shown_text(in_force)

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.pause()
        customer = boxes[0]
        assert customer.max_scroll_y > 0 and "more" in str(customer.border_subtitle)
        assert screen.query_one("#timeline").size.height >= 6
        for _ in range(4):  # Tab reaches the panel; the keys scroll it to its end
            if app.focused is customer:
                break
            await pilot.press("tab")
            await pilot.pause()
        assert app.focused is customer
        await pilot.press("end")
        await pilot.pause()
        assert customer.scroll_y == customer.max_scroll_y


async def test_the_builders_side_panel_stays_on_screen_at_80x24(db: Path) -> None:
    from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(RestrictionBuilderScreen("UPV-2025-0003"))
        await settle(pilot)
        screen = app.screen
        for part in ("#builder-left", "#builder-right", "#draft-scroll", "#in-force"):
            assert screen.query_one(part).region.right <= 80, part
        assert screen.query_one("#builder-right").region.width >= 28


async def test_the_referral_forms_fields_fit_80_columns(db: Path) -> None:
    from textual.widgets import Input, Select

    from crm_tui.ui.screens.referral_form import ReferralFormScreen

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(ReferralFormScreen())
        await settle(pilot)
        fields = [*app.screen.query(Input), *app.screen.query(Select)]
        assert fields
        for field in fields:
            if field.display and field.region.width:
                assert field.region.right <= 80, field


async def test_the_restrictions_panel_says_there_is_more_whenever_it_holds_more(
        db: Path) -> None:
    """At 100x30, on the case under appeal, the RESTRICTIONS IN FORCE panel grew when the case
    was read again and was cut with no sign (the sign was worked out before the panel was laid
    out again); shrunk, it kept a sign with nothing more to read. The sign follows the panel:
    more below while there is, more above at its end, none when all of it shows."""
    from dataclasses import replace

    from crm_tui.ui.widgets.more_panel import MORE_ABOVE, MORE_BELOW

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(CaseFileScreen("UPV-2026-0004"))  # under appeal
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseFileScreen) and screen.data is not None
        box = screen.query_one("#in-force-box", VerticalScroll)
        data = screen.data
        assert data.in_force and box.max_scroll_y == 0 and not box.border_subtitle
        # Read again with more in force than the panel holds (as after a variation).
        screen.show(replace(data, in_force=list(data.in_force) * 8))
        await settle(pilot)
        assert box.max_scroll_y > 0 and box.border_subtitle == MORE_BELOW
        box.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert box.border_subtitle == MORE_ABOVE
        screen.show(data)  # and back: all of it shows, no sign
        await settle(pilot)
        await pilot.pause()
        assert box.max_scroll_y == 0 and not box.border_subtitle
        in_force = screen.query_one("#in-force", Static)
        assert "awaiting its decision" in shown_text(in_force)


async def test_the_restrictions_panel_is_as_tall_as_its_text_at_100x30(db: Path) -> None:
    """Textual measured the panel's text at its whole width (the scrollbar's column included)
    and added a horizontal scrollbar's line: at 100x30 the case under appeal's restrictions
    were cut after "Mon, Wed," above a blank line, with no sign. The panel is now exactly as
    tall as its wrapped text, whatever is in force, so the last line of the last restriction
    shows."""
    from dataclasses import replace

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(CaseFileScreen("UPV-2026-0004"))  # under appeal
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseFileScreen) and screen.data is not None
        box = screen.query_one("#in-force-box", VerticalScroll)
        in_force = screen.query_one("#in-force", Static)
        data = screen.data
        last = data.in_force[-1]
        letter = replace(last, description="Contact accepted only by letter")
        for shown in (data, replace(data, appeal_deadline=None),
                      replace(data, in_force=[*data.in_force, letter]),
                      replace(data, appeal_deadline=None, in_force=[letter])):
            screen.show(shown)
            await settle(pilot)
            await pilot.pause()
            assert box.max_scroll_y == 0 and not box.border_subtitle
            assert box.size.height == in_force.size.height  # no blank line, none cut
            ends = f"{shown.in_force[-1].ends_on:%d %b %Y}".split()[-1]
            last_line = "".join(s.text for s in in_force.render_line(in_force.size.height - 1))
            assert last_line.strip() and ends in shown_text(in_force)


async def test_the_builder_shows_the_equality_column_and_the_detail_at_80x24(
        db: Path) -> None:
    """At 80x24 the builder dropped the Equality column and its detail of the highlighted
    restriction was an empty box under half-empty tables."""
    from textual.widgets import DataTable

    from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(RestrictionBuilderScreen("UPV-2026-0005"))  # two drafts
        await settle(pilot)
        await pilot.pause()
        screen = app.screen
        drafts = screen.query_one("#drafts", DataTable)
        assert "Equality" in [str(c.label) for c in drafts.columns.values()]
        assert screen.query_one("#draft-scroll").scrollable_content_region.height >= 5
        detail = screen.query_one("#draft-detail", Static)
        assert "Named officer only" in shown_text(detail)


async def test_the_timeline_shows_rows_at_80x24_under_a_case_with_escalations(db: Path) -> None:
    # Gareth Bell's case: the warning, escalations and safe-working lines above the timeline
    # took every line it had at 80x24 (issue 15, round 10).
    from textual.widgets import DataTable

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(CaseFileScreen("UPV-2025-0007"))
        await settle(pilot)
        await pilot.pause()
        screen = app.screen
        timeline = screen.query_one("#timeline", DataTable)
        footer_top = 24 - screen.query_one("KeysFooter").outer_size.height
        assert timeline.region.height >= 7 and timeline.region.bottom <= footer_top - 1
        shown = [timeline.render_line(y).text for y in range(timeline.region.height)]
        assert "Entry" in shown[0] and sum("Jan 2026" in line for line in shown[1:]) >= 6
        # The warning lines cut short say so, and Tab then the arrows reach the rest.
        scope = screen.query_one("#scope-box")
        assert scope.max_scroll_y > 0 and "more below" in str(scope.border_subtitle)
        assert scope.region.bottom <= timeline.region.y


async def test_a_fit_that_comes_due_while_the_case_file_is_taken_apart_does_nothing(
        db: Path) -> None:
    """Found when tried: `i` pressed just after a resize, with the builder over the case file,
    closed the case file while its fit (asked for by the resize) was still to come; the fit
    found no header and the app ended (exit 1)."""
    from crm_tui.ui.widgets.app_header import AppHeader

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseFileScreen)
        await screen.query_one(AppHeader).remove()  # as the closing takes it apart
        screen.fit_panels()
        await pilot.press("i")
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, CaseFileScreen)
