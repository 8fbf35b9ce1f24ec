"""A toast never hides the inbox's line under the list, the highlighted case in full (b15a F5:
the "Files archived" toast after start-up cut it to "Ms Lavinia Corrigan-Stowe · Local" for
10-30 s)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static
from textual.widgets._toast import Toast

from crm_tui.ui.app import create_app
from crm_tui.ui.screens.inbox import InboxScreen
from tests.ui.keys import settle


async def test_a_toast_stands_clear_of_the_line_under_the_inbox(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    for size in ((100, 30), (80, 24), (200, 60)):
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, InboxScreen)
            app.notify("Restrictions ended and nothing is owed: archived (read-only): "
                       "UPV-2026-0003, UPV-2025-0001", title="Files archived", timeout=30)
            await settle(pilot)
            await pilot.pause(0.2)
            [toast] = app.screen.query(Toast)
            shown = [app.screen.query_one(line, Static).region
                     for line in ("#inbox-row", "#inbox-status")]
            # At 200 columns every column is whole and the case's line is not needed.
            assert shown[0].height or size[0] == 200, size
            for under in shown:
                assert not toast.region.overlaps(under), (size, under)
        app = create_app(str(db), "ceri.hughes")


async def test_a_long_path_in_a_toast_breaks_after_a_dash_or_slash(db: Path) -> None:
    """b15b 12: ".../evidence-bundle-UPV-2025" / "-0006-20261205-213228.pdf" at 100x30. The
    toast is now the screen's width (b15e F7): a name longer than that is broken."""
    name = ("evidence-bundle-UPV-2025-0006-Ms-Imelda-Fairbrother-every-document-contact-"
            "and-letter-of-the-monitoring-period-20261205-213228.pdf")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.notify(f"Folder: /tmp/b15b-data/exports/\nFile: {name}", title="Exported",
                   timeout=30)
        await settle(pilot)
        await pilot.pause(0.2)
        [toast] = app.screen.query(Toast)
        # Read as the toast draws it, line by line.
        drawn = [line.text.lstrip("\u258c ").rstrip()
                 for line in toast.render_lines(toast.region.reset_offset)]
        said = [line for line in drawn if line and line != "Exported"]
        at = next(i for i, line in enumerate(said) if line.startswith("File:"))
        rest = said[at:]
        assert len(rest) > 1, said  # longer than the toast is wide
        # Broken only after a "-" or "/", nothing lost: the name reads whole when joined.
        assert all(line.endswith(("-", "File:")) for line in rest[:-1]), said
        assert "".join(rest).removeprefix("File:").strip() == name, said


async def test_the_signing_toast_breaks_the_file_name_after_a_dash_at_each_size(
        db: Path) -> None:
    """v15 N7: "File:" / "UPV-2026-0005-decision-20261205-225845." / "pdf": the toast's own
    wrapping cut the name, the width worked out for it having left out the toast's border.
    Read as the toast draws it, line by line; at 88 columns the name is one cell wider than
    the toast's inside."""
    name = "UPV-2026-0005-decision-20261205-225845.pdf"
    for size in ((100, 30), (88, 30), (80, 24), (200, 50)):
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            app.notify("Signed, issued and registered as letter 12.\n"
                       f"Folder: /tmp/v15-data/letters/\nFile: {name}", title="UPV-2026-0005",
                       timeout=30)
            await settle(pilot)
            await pilot.pause(0.2)
            [toast] = app.screen.query(Toast)
            drawn = [line.text.lstrip("\u258c ").rstrip()
                     for line in toast.render_lines(toast.region.reset_offset)]
            said = [line for line in drawn if line]
            at = next(i for i, line in enumerate(said) if line.startswith("File:"))
            rest = said[at:]
            joined = "".join(rest).removeprefix("File:").strip()
            assert joined == name, (size, said)
            # Whole, or broken only after a "-": never at the "." nor mid-word.
            assert all(line.endswith(("-", "File:")) for line in rest[:-1]), (size, said)


async def test_a_toast_stands_clear_of_the_lines_under_the_log_sheet_and_the_timeline(
        db: Path) -> None:
    """b15c F4: "Contact … recorded" sat over the right half of the contact's detail under
    the evidence log sheet, and over the case file's line under its timeline."""
    from crm_tui.ui.screens.case_file import CaseFileScreen
    from crm_tui.ui.screens.evidence import EvidenceScreen

    ref = "UPV-2025-0006"  # with contacts logged
    for size in ((100, 30), (80, 24)):
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            for screen, keys, under in ((CaseFileScreen(ref), (), "#case-status"),
                                        (EvidenceScreen(ref), ("2",), "#contact-detail")):
                await app.push_screen(screen)
                await settle(pilot)
                await pilot.press(*keys)
                await settle(pilot)
                app.notify("Contact of 20 Oct 2026 10:00 recorded: it falls in the period "
                           "shown (monitoring period, 1 Sep 2026 to 1 Nov 2026), and the log "
                           "sheet lists it.", timeout=30)
                await settle(pilot)
                await pilot.pause(0.2)
                [toast] = app.screen.query(Toast)
                line = app.screen.query_one(under, Static).region
                assert line.height, (size, under)
                assert not toast.region.overlaps(line), (size, under, toast.region, line)


async def test_the_signing_toast_on_the_cases_letters_keeps_the_file_name_whole(
        db: Path) -> None:
    """v16b S3: on the case's letters, whose toasts are narrower (42 columns), the toast said
    "UPV-2025-0004-lifted-20261206-022538.pd" / "f" at 100x30: the breaking worked to half
    the screen. Read as drawn, at 100x30 and 80x24, with the real name."""
    from crm_tui.ui.screens.case_letters import CaseLettersScreen
    from tests.ui.keys import on_top

    name = "UPV-2025-0004-lifted-20261206-022538.pdf"
    for size in ((100, 30), (80, 24)):
        app = create_app(str(db), "ceri.hughes")
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            await on_top(pilot, CaseLettersScreen("UPV-2025-0004"))
            app.notify("Signed, issued and registered as letter 16.\n"
                       f"Folder: /tmp/v16b-app/demo-letters/\nFile: {name}",
                       title="UPV-2025-0004", timeout=30)
            await settle(pilot)
            await pilot.pause(0.2)
            [toast] = app.screen.query(Toast)
            drawn = [line.text.lstrip("\u258c ").rstrip()
                     for line in toast.render_lines(toast.region.reset_offset)]
            said = [line for line in drawn if line]
            at = next(i for i, line in enumerate(said) if line.startswith("File:"))
            rest = said[at:]
            assert "".join(rest).removeprefix("File:").strip() == name, (size, said)
            assert all(line.endswith(("-", "File:")) for line in rest[:-1]), (size, said)
