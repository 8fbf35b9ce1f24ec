"""Issue 16: the Retention area, reached from Home by `r`: the files due for archive and for
destruction with why; the CRM destroys one after a question naming who acts, which file and
that it cannot be undone; another role is told why not, and nothing changes."""

from __future__ import annotations

import threading
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Footer, Static
from textual.widgets._footer import FooterKey

from crm_tui import clock
from crm_tui.db.models import AuditEntry, Case, Decision, Letter, Tombstone, database_proxy
from crm_tui.domain.roles import Actor
from crm_tui.services.core import next_step, settings
from crm_tui.services.core.database import atomic
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.evidence.bundle import export_bundle
from crm_tui.services.letters.posting import record_posting
from crm_tui.services.retention import schedule
from crm_tui.ui.app import CrmApp, create_app
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.help import HelpScreen
from crm_tui.ui.screens.retention import DESTROY, RetentionScreen
from crm_tui.ui.widgets.more_panel import MORE_ABOVE, MORE_BELOW, MorePanel
from tests import builders
from tests.ui.keys import settle

SIZE = (120, 40)
# The app's check at start, as the app has it (the Pilot tests otherwise leave it out).
CHECK_AT_START = CrmApp.expire_ended


def _due_for_destruction() -> str:
    """One of the demo's archived files, past its retention period (a setup shortcut)."""
    case = Case.select().where(Case.state == "archived").order_by(Case.reference).first()
    with builders.as_the_app(str(case.reference)):
        Case.update(ended_on=date(2020, 11, 1), destroy_after=date(2026, 11, 1)).where(
            Case.id == case.id).execute()
    return str(case.reference)


async def _open_retention(app: object, pilot: object, reference: str) -> RetentionScreen:
    await pilot.press("h")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("r")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, RetentionScreen)
    at = next(i for i, (due, row) in enumerate(screen.rows)
              if due == DESTROY and row.reference == reference)
    for _ in range(at):
        await pilot.press("down")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    return screen


async def test_the_crm_destroys_a_file_due_after_saying_yes(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reference = _due_for_destruction()
        # An evidence bundle of it, in the exports folder: listed, and deleted with the file.
        bundle = export_bundle(resolve_actor("ceri.hughes"), reference,
                               settings.current().exports_path(), "Northmere City Council")
        # What a restore kept of what it replaced holds the file too: named, with its day.
        kept = db.with_name(f"{db.name}.before-restore-20261120-100000-7")
        kept.write_bytes(b"the database before a restore")
        screen = await _open_retention(app, pilot, reference)
        detail = str(screen.query_one("#retention-detail", Static).render())
        assert "kept 6 years to 1 Nov 2026" in detail
        assert "Due for destruction:" in detail and "Due for destroy" not in detail
        table = screen.query_one(DataTable)
        # Under "Due for": not "Destroy" ("Due for Destroy", found when tried).
        assert str(table.get_row_at(table.cursor_row)[0]) == "Destruction"
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog)
        question = app.screen.question + " " + app.screen.detail
        assert f"Destroy {reference}" in question and "Ceri Hughes" in question
        assert "This cannot be undone" in question
        # The demo's letter too: this copy of the database has its letters folder elsewhere
        # (the shared demo's), so the letter file there is one to delete by hand (round 10).
        assert "Exports were made of this file (2)" in question
        assert "Letter of 28 Nov 2019 by ceri.hughes: " in question
        assert f"Evidence bundle of 28 Nov 2026 by ceri.hughes: {bundle} (deleted with the " \
            "file)" in question
        assert "a restore kept of what it replaced still hold the file's data" in question
        assert f"{kept} (deleted by the first retention run on or after 20 Dec 2026)" in question
        await pilot.press("n")  # kept: nothing changes
        await settle(pilot)
        assert Case.get(Case.reference == reference).state == "archived"
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("y")  # the demo's passphrase is in the keyring: confirmed
        await settle(pilot)
        assert not Case.select().where(Case.reference == reference).exists()
        assert Tombstone.get(Tombstone.case_reference == reference).destroyed_by == "ceri.hughes"
        assert reference not in {row.reference for _, row in screen.rows}
        assert not bundle.exists()


async def test_an_officer_is_told_only_the_crm_destroys(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reference = _due_for_destruction()
        await _open_retention(app, pilot, reference)
        # (The check at start may archive a file meanwhile: only destructions are counted.)
        destroyed = AuditEntry.select().where(AuditEntry.action == "destroy").count()
        await pilot.press("D")
        await settle(pilot)
        assert not isinstance(app.screen, AskDialog)
        told = [n.message for n in app._notifications]
        assert any("only the Complaints Resolution Manager may" in m for m in told), told
        assert Case.get(Case.reference == reference).state == "archived"
        assert AuditEntry.select().where(AuditEntry.action == "destroy").count() == destroyed
        await pilot.press("question_mark")  # the screen's help: its keys and the policy
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and app.screen.guide.title == "Retention"
        assert "Destroy file" in {e.title for e in app.screen.entries}


async def test_the_check_at_start_archives_what_owes_nothing(db: Path) -> None:
    app = create_app(str(db), "tomasz.nowak")  # an officer's session runs it
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cases = {c.reference: c.state for c in Case.select().where(
            Case.state.in_(["ended", "closed_no_action"])
            & (Case.next_action == "Archive file"))}
        due = list(cases)
        # Tester v16 N6: each said with what ended it (a file closed with no action never
        # had restrictions to end).
        assert "closed_no_action" in cases.values()
        CHECK_AT_START(app)
        await settle(pilot)
        for reference in due:
            assert Case.get(Case.reference == reference).state == "archived"
            entry = (AuditEntry.select().where((AuditEntry.case_reference == reference)
                                               & (AuditEntry.action == "archive")).get())
            assert entry.actor_login == "tomasz.nowak"
            assert "the app's check at start-up" in entry.payload
        told = [n.message for n in app._notifications]
        [said] = [m for m in told if m.startswith("Nothing is owed: archived (read-only): ")]
        for reference, state in cases.items():
            how = ("closed with no action on" if state == "closed_no_action"
                   else "restrictions ended on")
            assert f"{reference} ({how} " in said, said


async def test_the_check_at_start_skips_a_file_edited_in_the_database_and_says_so(
        db: Path) -> None:
    """b16c F0: the start-up archive sealed a reason reworded in the database into the trail,
    and `audit verify` passed for good after it. The file is left as it is, the toast says
    so, and the others are archived."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        due = [c.reference for c in Case.select().where(
            (Case.state == "ended") & (Case.next_action == "Archive file"))]
        edited = due[0]
        decision = (Decision.select(Decision.id).join(Case)
                    .where(Case.reference == edited).order_by(Decision.id.desc()).scalar())
        database_proxy.obj.execute_sql("UPDATE decision SET reason = ? WHERE id = ?",
                                       ("Tampered reason", decision))
        CHECK_AT_START(app)
        await settle(pilot)
        assert Case.get(Case.reference == edited).state == "ended"
        for reference in due[1:]:
            assert Case.get(Case.reference == reference).state == "archived"
        told = [n.message for n in app._notifications]
        [said] = [m for m in told if m.startswith("Left as they are by the check at start-up")]
        assert f"{edited}: skipped: decision {decision} of {edited}" in said
        assert "`crm-tui audit verify`" in said


async def test_a_file_destroyed_elsewhere_leaves_the_list_and_is_said_so(db: Path) -> None:
    """Round 9: after `crm-tui retention run` destroyed a file in another terminal, the area
    still listed it, and D → y said "was not destroyed: no case 'UPV-…'"."""
    from crm_tui.services.core.database import session
    from crm_tui.services.retention import archive

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reference = _due_for_destruction()
        screen = await _open_retention(app, pilot, reference)
        with session():  # as `crm-tui retention run` would; its change is told as one
            archive.destroy(app.actor, reference)
        await settle(pilot)
        assert reference not in {row.reference for _, row in screen.rows}
        screen.run_destroy(reference, f"Destroy {reference}?")  # a D pressed on the old row
        await settle(pilot)
        said = str(list(app._notifications)[-1].message)
        assert said.startswith(f"{reference} was destroyed by Ceri Hughes at "), said
        assert "only its tombstone remains" in said and "no case" not in said


async def test_the_question_names_an_export_made_while_the_area_was_open(db: Path) -> None:
    """Round 10: with the area open, an export made from a second shell was missing from the
    question before `D` (it was built from the list read on opening)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reference = _due_for_destruction()
        screen = await _open_retention(app, pilot, reference)
        row = screen.highlighted()
        assert row is not None and not any("Evidence bundle" in e.what for e in row[1].exports)
        bundle = export_bundle(resolve_actor("ceri.hughes"), reference,
                               settings.current().exports_path(), "Northmere City Council")
        # The area reads its lists again on the change the export tells (show_again): D
        # pressed while that read rebuilt the table found no row highlighted, one run in two
        # on a loaded machine. The question is built from the database at D either way.
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, AskDialog), [n.message for n in app._notifications]
        assert f"{bundle} (deleted with the file)" in app.screen.detail
        await pilot.press("n")


async def test_the_check_at_start_keeps_a_file_whose_letter_is_not_yet_posted(
        db: Path) -> None:
    """Found when tried: the check at start archived a file the day its letter was signed,
    and the letter left every post run."""
    app = create_app(str(db), "tomasz.nowak")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reference = "UPV-2025-0001"  # due for archive; its lifting letter taken back from
        lifted = Letter.get((Letter.kind == "lifted")  # the post (a setup shortcut)
                            & (Letter.case == Case.get(Case.reference == reference)))
        Letter.update(posted_on=None, posted_at=None, post_class="").where(
            Letter.id == lifted.id).execute()
        with atomic():
            next_step.store([reference])
        CHECK_AT_START(app)
        await settle(pilot)
        assert Case.get(Case.reference == reference).state == "ended"
        assert Case.get(Case.reference == reference).next_action == (
            "Post the letter lifting the restrictions")
        await pilot.press("h", "r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetentionScreen)
        at = next(i for i, (_, row) in enumerate(screen.rows) if row.reference == reference)
        for _ in range(at):
            await pilot.press("down")
        await settle(pilot)
        detail = str(screen.query_one("#retention-detail", Static).render())
        assert (f"Held: the letter lifting the restrictions (letter {lifted.id}, dated 29 Oct "
                "2026) is signed but not yet posted.") in " ".join(detail.split())
        record_posting(resolve_actor("tomasz.nowak"), [lifted.id], date(2026, 11, 28),
                       "first")
        CHECK_AT_START(app)
        await settle(pilot)
        assert Case.get(Case.reference == reference).state == "archived"


async def test_the_destruction_question_lists_the_copies_to_delete_first_and_scrolls_at_80x24(
        db: Path, tmp_path: Path) -> None:
    """Found when tried: at 80x24 the question showed 3 of 9 exports, all deleted with the
    file, and cut off its buttons; the copies to delete by hand were not seen before `y`."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reference = _due_for_destruction()
        crm = resolve_actor("ceri.hughes")
        going = [export_bundle(crm, reference, settings.current().exports_path(),
                               "Northmere City Council") for _ in range(5)]
        elsewhere = tmp_path / "sent-to-solicitor"
        elsewhere.mkdir()
        by_hand = [export_bundle(crm, reference, elsewhere, "Northmere City Council")
                   for _ in range(2)]
        await _open_retention(app, pilot, reference)
        await pilot.press("D")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AskDialog)
        detail = dialog.detail
        first_going = detail.index("(deleted with the file)")
        for path in by_hand:
            assert detail.index(str(path)) < first_going  # listed first
        for path in going:
            assert f"{path} (deleted with the file)" in detail
        assert "(3, listed first)" in detail  # the demo's letter file is one too
        # The buttons stay in sight; the detail scrolls inside its own box, and says so.
        yes = dialog.query_one("#ask-yes")
        assert yes.region.bottom <= 24 and yes.region.height > 0
        box = dialog.query_one("#ask-detail-box", MorePanel)
        assert box.max_scroll_y > 0 and box.border_subtitle == MORE_BELOW
        await pilot.press("end")
        await settle(pilot)
        assert box.scroll_y == box.max_scroll_y and box.border_subtitle == MORE_ABOVE
        await pilot.press("n")  # nothing destroyed
        await settle(pilot)
        assert Case.get(Case.reference == reference).state == "archived"


async def test_a_role_that_may_not_archive_or_destroy_is_not_offered_it(db: Path) -> None:
    """Found when tried: the Head of Service was offered D and A, and told a file "A archives
    it now (the check at start does it too)" when her start archives nothing."""
    app = create_app(str(db), "priya.raman")  # the Head of Service
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("h", "r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetentionScreen)
        assert screen.rows and screen.rows[0][0] == "Archive"
        shown = {k.key for k in screen.query_one(Footer).query(FooterKey) if k.display}
        assert "D" not in shown and "A" not in shown
        detail = " ".join(str(screen.query_one("#retention-detail", Static).render()).split())
        assert "check at start does it too" not in detail
        assert "The Complaints Resolution Team archives it: the check at the start of the " \
            "CRM's or an officer's app, the scheduled crm-tui retention run" in detail
        first = screen.rows[0][1].reference
        before = Case.get(Case.reference == first).state
        await pilot.press("A")  # the key says why, and nothing changes
        await settle(pilot)
        told = [n.message for n in app._notifications]
        assert any("may not archive; only the Complaints Resolution Manager" in m
                   for m in told), told
        assert Case.get(Case.reference == first).state == before


async def test_d_refuses_a_file_whose_record_was_edited_in_the_database(db: Path) -> None:
    """b16e F0: the demo's restricted UPV-2025-0005, edited in the database to look archived
    years ago, was listed due and `D`, `y`, passphrase destroyed it. It is listed as changed
    outside the app, and `D` refuses, saying so; nothing is asked, nothing destroyed."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reference = "UPV-2025-0005"
        assert Case.get(Case.reference == reference).state == "restricted"
        Case.update(state="archived", restrictions_end=date(2019, 1, 1),
                    ended_on=date(2019, 1, 1), destroy_after=date(2025, 1, 1)).where(
            Case.reference == reference).execute()
        screen = await _open_retention(app, pilot, reference)
        detail = " ".join(str(screen.query_one("#retention-detail", Static).render()).split())
        assert "Changed outside the app: not destroyed — run `crm-tui audit verify`" in detail
        await pilot.press("D")
        await settle(pilot)
        assert not isinstance(app.screen, AskDialog)
        told = [n.message for n in app._notifications]
        assert any(m.startswith(f"{reference}: changed outside the app: not destroyed — run "
                                "`crm-tui audit verify`") for m in told), told
        assert Case.get(Case.reference == reference).state == "archived"
        assert not Tombstone.select().where(Tombstone.case_reference == reference).exists()


async def test_the_user_administrator_is_told_retention_is_not_theirs(db: Path) -> None:
    """b16e F1: the user administrator's Retention area said "Due for archive: 0 files · due
    for destruction: 0 files" while three files were due (the role sees no case)."""
    app = create_app(str(db), "morgan.price")  # the demo's user administrator
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(RetentionScreen())
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetentionScreen)
        title = " ".join(str(screen.query_one("#retention-title", Static).render()).split())
        assert title.startswith("The User administrator does not archive or destroy files: "
                                "run it as the Complaints Resolution Manager"), title
        assert "0 files" not in title


async def test_the_role_s_refusal_is_read_in_the_worker_s_session(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """House style: the service is asked off the UI thread, inside the worker's session
    (found when tried: the refusal was asked on the UI thread as the lists were shown)."""
    asked: list[tuple[bool, bool]] = []
    service = schedule.run_refusal

    def recorded(actor: Actor) -> str:
        asked.append((threading.current_thread() is threading.main_thread(),
                      database_proxy.is_closed()))
        return service(actor)

    monkeypatch.setattr(schedule, "run_refusal", recorded)
    app = create_app(str(db), "morgan.price")  # the demo's user administrator
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(RetentionScreen())
        await settle(pilot)
        assert asked and all(not on_ui and not closed for on_ui, closed in asked), asked


async def test_after_a_destruction_the_copies_left_by_hand_scroll_under_what_was_destroyed(
        db: Path, tmp_path: Path) -> None:
    """b16e F10: at 80x24 the notice after a destruction with several exports left to delete
    by hand was taller than the screen: what was destroyed ran off the top, and could not be
    scrolled to. It opens under its head now, the copies one a line, scrolling."""
    from crm_tui.ui.dialogs.detail import DetailDialog
    from crm_tui.ui.widgets.fitting_scroll import FittingScroll

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reference = _due_for_destruction()
        crm = resolve_actor("ceri.hughes")
        elsewhere = tmp_path / "sent-to-solicitor"
        elsewhere.mkdir()
        by_hand = [export_bundle(crm, reference, elsewhere, "Northmere City Council")
                   for _ in range(6)]
        await _open_retention(app, pilot, reference)
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert not Case.select().where(Case.reference == reference).exists()
        dialog = app.screen
        assert isinstance(dialog, DetailDialog)
        head = dialog.query_one("#detail-title", Static)
        # Who destroyed it and when, in the dialog's own head (v15d: said only by a notice
        # that went with the screen under the dialog when it came first).
        assert str(head.render()).startswith(f"{reference} was destroyed by Ceri Hughes at "
                                             "10:00 on 28 Nov 2026: only its tombstone "
                                             "remains.")
        assert head.region.y >= 0 and head.region.bottom <= 24 and head.region.height > 0
        body = str(dialog.query_one("#detail-body", Static).render())
        for path in by_hand:
            assert str(path) in "".join(body.split())
        box = dialog.query_one(FittingScroll)
        assert box.region.bottom <= 24 and box.max_scroll_y > 0
        await pilot.press("end")
        await settle(pilot)
        assert box.scroll_y == box.max_scroll_y
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RetentionScreen)


async def test_d_refuses_while_the_apps_today_is_ahead_of_the_computers_clock(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """b16f F0: `CRM_TUI_NOW` (a test aid) set ahead made files due years before their date.
    `D` says why at once, before any question or passphrase; nothing is destroyed."""
    monkeypatch.setattr(clock, "computer_now", lambda: datetime(2026, 11, 20, 9, 0))
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")  # the start's word that the clock is ahead (v16g G9)
        reference = _due_for_destruction()
        await _open_retention(app, pilot, reference)
        await pilot.press("D")
        await settle(pilot)
        assert not isinstance(app.screen, AskDialog)
        told = " ".join(n.message for n in app._notifications)
        assert ("The app's clock says 28 Nov 2026 but the computer's clock says 20 Nov 2026: "
                "CRM_TUI_NOW is set; nothing is destroyed") in told, told
        assert Case.get(Case.reference == reference).state == "archived"
        assert not Tombstone.select().where(Tombstone.case_reference == reference).exists()


async def test_the_cursor_stays_on_its_file_when_the_lists_are_read_again(db: Path) -> None:
    """Found when the suite ran loaded: a change told from elsewhere re-read the lists and put
    the cursor back on the first row, so a D pressed next refused "Highlight a file due for
    destruction first" (or, with several due, would have asked about another file)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reference = _due_for_destruction()
        screen = await _open_retention(app, pilot, reference)
        before = screen.highlighted()
        assert before is not None and before[1].reference == reference
        assert screen.query_one(DataTable).cursor_row > 0  # not the first row: a move to keep
        screen.refresh_data()
        await settle(pilot)
        after = screen.highlighted()
        assert after is not None and (after[0], after[1].reference) == (DESTROY, reference)


async def test_an_empty_list_says_nothing_waits_to_be_archived(db: Path) -> None:
    """Files whose restrictions ended but are archived already are not "due": once the CRM has
    destroyed what was due, the empty list says none waits to be archived (it said "no file
    has ended its restrictions", untrue of every archived file; found when walked)."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        CHECK_AT_START(app)  # archives what owes nothing
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetentionScreen)
        assert screen.rows and all(due == DESTROY for due, _ in screen.rows), screen.rows
        for _ in range(len(screen.rows)):
            await pilot.press("D")
            await settle(pilot)
            await pilot.press("y")  # the demo's passphrase is in the keyring: confirmed
            await settle(pilot)
        assert screen.rows == [], screen.rows
        detail = str(screen.query_one("#retention-detail", Static).render())
        assert "Nothing is due: no file waits to be archived" in detail
        assert "ended its restrictions" not in detail
