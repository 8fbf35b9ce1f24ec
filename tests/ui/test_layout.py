"""Layout (issue 15): tables fit the width they have, the customer and the state first, and
work the layout out again when the terminal is resized; Enter's action is in the footer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets.data_table import ColumnKey

from crm_tui.ui.app import create_app
from crm_tui.ui.widgets.fitted_table import Col, FittedTable, fit_columns
from tests.ui.keys import settle

COLUMNS = (Col("ref", "Reference", priority=0, min_width=13),
           Col("name", "Customer", priority=0, min_width=19),
           Col("area", "Service area", priority=6, min_width=10),
           Col("state", "State", priority=1, min_width=18),
           Col("notes", "Behaviour", priority=7, min_width=10, max_width=20))
NATURAL = {"ref": 13, "name": 26, "area": 24, "state": 37, "notes": 65}


def test_every_column_gets_its_content_when_there_is_room() -> None:
    widths = fit_columns(COLUMNS, NATURAL, 200)
    assert widths == {"ref": 13, "name": 26, "area": 24, "state": 37, "notes": 65}
    assert list(widths) == ["ref", "name", "area", "state", "notes"]  # the columns' order


def test_a_capped_column_stops_at_its_cap_until_room_is_left_over() -> None:
    widths = fit_columns(COLUMNS, NATURAL, 120)
    assert widths["name"] == 26 and widths["state"] == 37 and widths["area"] == 24
    assert widths["notes"] == 120 - sum(w + 2 for k, w in widths.items() if k != "notes") - 2


def test_narrow_hides_the_least_important_and_narrows_from_the_bottom() -> None:
    widths = fit_columns(COLUMNS, NATURAL, 70)
    assert list(widths) == ["ref", "name", "area", "state"]  # behaviour hidden
    # The less important are at their narrowest before the customer's name gives way.
    assert widths["area"] == 10 and widths["state"] == 18 and widths["name"] == 21
    assert sum(w + 2 for w in widths.values()) == 70
    widths = fit_columns(COLUMNS, NATURAL, 60)
    assert list(widths) == ["ref", "name", "state"]
    assert widths["state"] == 18 and widths["name"] == 23  # the state at its floor first


def test_short_content_needs_no_more_than_itself() -> None:
    widths = fit_columns(COLUMNS, {**NATURAL, "state": 10}, 60)
    assert widths["state"] == 10


def test_the_most_important_column_is_always_shown() -> None:
    assert list(fit_columns(COLUMNS, NATURAL, 5)) == ["ref"]


def test_an_extra_or_empty_column_never_costs_the_name_its_letters() -> None:
    columns = (Col("ref", "Reference", priority=0, min_width=13),
               Col("name", "Customer", priority=0, min_width=19),
               Col("wait", "Wait", priority=3, min_width=4, extra=True),
               Col("state", "State", priority=1, min_width=10))
    natural = {"ref": 13, "name": 26, "wait": 4, "state": 17}
    assert fit_columns(columns, natural, 68) == {"ref": 13, "name": 26, "wait": 4, "state": 17}
    assert fit_columns(columns, natural, 66) == {"ref": 13, "name": 26, "state": 17}
    # Without the flag, the wait would be shown and the state cut to make room for it.
    plain = (*columns[:2], Col("wait", "Wait", priority=3, min_width=4), columns[3])
    assert fit_columns(plain, natural, 66)["state"] == 15
    # A column nobody has filled in is left out, even with room to spare (b15b 9: empty
    # Behaviour and Found columns beside a cut Type).
    assert "wait" not in fit_columns(plain, natural, 66, empty=frozenset({"wait"}))
    assert "wait" not in fit_columns(plain, natural, 200, empty=frozenset({"wait"}))


def cells(table: FittedTable[Any], row: int) -> str:
    return " ".join(str(c) for c in table.get_row_at(row))


async def test_the_inbox_fits_100_and_200_columns_and_follows_a_resize(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cases", FittedTable)
        # "Assigned to" (priority 9, shown whole or not at all) is shown only where every
        # other column has its whole width beside it: not at 200 columns beside the longest
        # state and behaviour (the line under the list names who has the case).
        assert table.shown_columns == ["reference", "customer", "service_area", "received",
                                       "days_waiting", "state", "categories", "contacts",
                                       "next_action", "due"]
        # Whole names and states at 200 columns (they were cut at 16 and 14 even at 160).
        assert table.columns[ColumnKey("customer")].width >= len("Mrs Philippa Gorringe-Hale")
        assert table.columns[ColumnKey("state")].width >= len("Closed, no action")
        reference = table.get_row_at(table.cursor_row)[0]

        # Given room for it beside every other column whole, it is shown, whole, after the
        # state; and it goes again at 200 columns, as it was not there before.
        await pilot.resize_terminal(240, 50)
        await settle(pilot)
        assert table.shown_columns == ["reference", "customer", "service_area", "received",
                                       "days_waiting", "state", "assigned_to", "categories",
                                       "contacts", "next_action", "due"]
        assert not table.cuts("assigned_to")
        assert table.columns[ColumnKey("assigned_to")].width >= len("Tomasz Nowak")
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert "assigned_to" not in table.shown_columns

        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert table.shown_columns == ["reference", "customer", "state", "next_action", "due"]
        width = sum(table.columns[ColumnKey(k)].get_render_width(table)
                    for k in table.shown_columns)
        assert width <= table.content_region.width
        assert table.get_row_at(table.cursor_row)[0] == reference  # the cursor stayed
        # "Under consideration" whole: the name and the state get room before the next action.
        assert table.columns[ColumnKey("state")].width >= len("Under consideration")
        assert table.columns[ColumnKey("customer")].width >= 19

        # At 80x24 the next action and when it is due stay; the state (the tab says it) goes.
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert table.shown_columns == ["reference", "customer", "next_action", "due"]

        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert "categories" in table.shown_columns


async def test_the_inbox_gives_the_service_area_whole_at_200(db: Path) -> None:
    """b15c F6: at 200x60 the service area was cut ("Council Tax and Benefi…") to give the
    behaviour a few more letters, cut anyway: the area is whole now, the behaviour shown."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cases", FittedTable)
        assert "categories" in table.shown_columns
        areas = [str(table.get_row_at(row)[2]) for row in range(table.row_count)]
        assert "Council Tax and Benefits" in areas
        assert table.columns[ColumnKey("service_area")].width >= len("Council Tax and Benefits")
        # The name and the state keep their room first.
        assert table.columns[ColumnKey("state")].width >= len("Closed, no action")
        assert table.columns[ColumnKey("customer")].width >= len("Mrs Philippa Gorringe-Hale")


def every_next_action() -> list[str]:
    """Every next action the app can produce, longest first: the one rule (domain.next_action)
    run over every state and every fact it reads, with every letter the services name."""
    from datetime import date
    from itertools import product

    from crm_tui.domain.next_action import CaseDates, CaseProgress, next_action
    from crm_tui.domain.states import CaseState
    from crm_tui.services.core.next_step import LETTERS_TO_POST, LETTERS_TO_SIGN

    day, later = date(2026, 11, 1), date(2027, 1, 1)
    found: set[str] = set()
    for (state, drafts, bare, consulted, postal, comments, to_sign, to_post, window, reply,
         ends) in product(CaseState, (0, 1), (0, 1), (False, True), (False, True),
                          (False, True), ("", *LETTERS_TO_SIGN),
                          ("", *LETTERS_TO_POST.values()), (None, day), (None, day),
                          (None, day)):
        label, _ = next_action(state, CaseDates(day, review_due=later, restrictions_end=ends,
                                                reply_by=reply),
                               CaseProgress(drafts=drafts, drafts_without_evidence=bare,
                                            consulted=consulted, postal_address=postal,
                                            comments_received=comments, letter_to_sign=to_sign,
                                            letter_to_post=to_post, appeal_open_until=window))
        found.add(label)
    found.discard("")
    return sorted(found, key=lambda label: (-len(label), label))


def every_next_action_on_the_cases() -> list[str]:
    """Each case of the working list given one of every next action the app can produce, all
    overdue (so shown after "⚠ "), the longest on the most; returns them. Called once the app
    has opened the database (opening, it works out again the next actions to sign or post a
    letter)."""
    from datetime import date

    from crm_tui.db.models import Case

    labels = every_next_action()
    cases = list(Case.select().where(Case.state.not_in(["archived", "destroyed"]))
                 .order_by(Case.id))
    # More next actions than cases: the rest on copies of the first (another reference).
    for number, _ in enumerate(labels[len(cases):], start=1):
        data = {k: v for k, v in cases[0].__data__.items() if k != "id"}
        cases.append(Case.create(**{**data, "reference": f"UPV-2026-09{number:02d}"}))
    for index, case in enumerate(cases):
        Case.update(next_action=labels[index % len(labels)],
                    next_action_due=date(2026, 11, 2)).where(Case.id == case.id).execute()
    return labels


async def test_the_service_area_stays_whole_at_200_beside_the_longest_next_actions(
        db: Path) -> None:
    """v15c F1: once a case's next action read "Comments received: decide review" the inbox
    at 200x60 cut the service area ("Council Tax and Benef…") to keep the behaviour, its
    least important column, at ten letters. Tried with every next action the app can
    produce, the longest ("⚠ Sign the letter lifting the restrictions") among them."""
    app = create_app(str(db), "ceri.hughes")
    labels = every_next_action_on_the_cases()
    assert "Comments received: decide review" in labels
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cases", FittedTable)
        # The next action's cells: the tenth column since Assigned to came after the state.
        actions = {str(table.row_cells(row)[9]) for row in range(table.row_count)}
        # "Decide" is shown only where the decision can be made; on these cases (their next
        # action set by hand) what stands in the way is said instead, cut to the column
        # (fixG: the whole of it is said under the list).
        before = {a for a in actions if a.startswith("⚠ Before deciding: ")}
        assert before, actions
        actions -= before
        assert {f"⚠ {label}" for label in labels if label != "Decide"} <= actions
        widths = {str(k.value): c.width for k, c in table.columns.items()}
        areas = {str(table.row_cells(row)[2]) for row in range(table.row_count)}
        assert "Council Tax and Benefits" in areas
        assert widths["service_area"] >= max(map(len, areas)), widths
        # The columns more important than the area whole beside it: the next action, the
        # state, the customer, when received, the days waiting and the contacts.
        assert widths["next_action"] >= max(map(len, actions)), widths
        for key in ("customer", "state", "received", "days_waiting", "contacts"):
            assert key in widths, widths
        shown = " ".join(str(c) for c in table.get_row_at(0))
        assert "…" not in shown.replace(str(table.row_cells(0)[7]), ""), shown
        # Narrower, the less important columns go first, as before.
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert table.shown_columns == ["reference", "customer", "state", "next_action", "due"]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert table.shown_columns == ["reference", "customer", "next_action", "due"]


async def test_the_service_area_stays_whole_at_200_beside_the_longest_state_and_name(
        db: Path) -> None:
    """v15e F7: at 200x60 "Council Tax and Benef…" was cut on every row while the State
    column took 37 columns for one case "Awaiting Head of Service consultation", beside a
    30-letter name and the longest next action. Tried with every next action the app can
    write and every state the inbox lists: the area stays whole, and so do the received
    date, the days waiting and the contacts (the behaviour, least important, may be cut)."""
    from crm_tui.db.models import Case, Customer
    from crm_tui.domain.states import CaseState
    from crm_tui.ui.screens.inbox import COLUMNS

    app = create_app(str(db), "ceri.hughes")
    every_next_action_on_the_cases()
    listed = [s for s in CaseState if s not in (CaseState.ARCHIVED, CaseState.DESTROYED)]
    cases = list(Case.select().where(Case.state.not_in(["archived", "destroyed"]))
                 .order_by(Case.id))
    for case, state in zip(cases, listed, strict=False):
        Case.update(state=state.value).where(Case.id == case.id).execute()
    Customer.update(name="Mr Ignatius Pemberton-Ffoulkes").where(
        Customer.id == cases[0].customer_id).execute()
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cases", FittedTable)
        cells = [[str(c) for c in table.row_cells(row)] for row in range(table.row_count)]
        assert {CaseState(s).label for s in listed} <= {row[5] for row in cells}
        assert "Mr Ignatius Pemberton-Ffoulkes" in {row[1] for row in cells}
        widths = {str(k.value): c.width for k, c in table.columns.items()}
        areas = {row[2] for row in cells}
        assert "Council Tax and Benefits" in areas
        assert widths.get("service_area", 0) >= max(map(len, areas)), widths
        for index, (_, col) in enumerate(COLUMNS):
            if col.extra and col.key in widths and col.key != "categories":
                natural = max(len(row[index]) for row in cells)
                cap = natural if col.max_width is None else min(natural, col.max_width)
                assert widths[col.key] >= cap, (col.key, widths)


async def test_enter_is_shown_in_the_footer_and_opens_the_case(db: Path) -> None:
    from crm_tui.ui.screens.case_file import CaseFileScreen

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = {b.key: b.description for _, b, _, _ in app.screen.active_bindings.values()
                 if b.show}
        assert shown.get("enter") == "Open"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseFileScreen)


async def test_the_footer_shows_enter_then_help_before_the_screens_other_keys() -> None:
    from textual.app import App, ComposeResult
    from textual.binding import Binding

    from crm_tui.ui.widgets.keys_footer import KeysFooter

    class Keys(App[None]):
        # Help is the app's key, listed by Textual after every key of the screen.
        BINDINGS = [*(Binding(k, f"notify('{k}')", f"Action {k}") for k in "abcdefghij"),
                    Binding("question_mark", "notify('help')", "Help")]

        def compose(self) -> ComposeResult:
            yield FittedTable(Col("name", "Name"))
            yield KeysFooter()

    app = Keys()
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one(FittedTable).focus()
        await pilot.pause()
        await pilot.pause()
        footer = app.query_one(KeysFooter)
        keys = [getattr(w, "key", "") for w in footer.children]
        assert keys[:2] == ["enter", "a"]
        # Help is docked at the right edge, beside the palette's key, whatever the width.
        right = [getattr(w, "key", "") for w in footer.query_one("#right-keys").children]
        assert "question_mark" in right


async def test_a_fitted_table_takes_its_places_width_and_cut_headings_end_in_an_ellipsis(
) -> None:
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.containers import Vertical

    class Tables(App[None]):
        def compose(self) -> ComposeResult:
            with Vertical():
                yield FittedTable(Col("a", "Short", priority=0, min_width=5, max_width=5),
                                  Col("b", "Prepared / signed", priority=1, min_width=6,
                                      max_width=8), id="t")

    app = Tables()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one("#t", FittedTable)
        table.add_row(Text("x"), Text("y"))
        await pilot.pause()
        await pilot.pause()
        assert table.region.width == 60  # not just as wide as its columns
        await pilot.resize_terminal(20, 10)
        await pilot.pause()
        await pilot.pause()
        heading = "".join(s.text for s in table.render_line(0))
        assert "…" in heading and "Prepared / signed" not in heading


async def test_the_staff_register_gives_room_to_what_rows_hold_and_shows_a_person_whole(
        db: Path) -> None:
    """The team's register kept 48 columns for the role (blank on all rows but one) and cut
    the service area beside it; then (b15b F6) it cut the role at 100x30 and 80x24 while the
    service area, a service area manager's alone, stood mostly empty. The name and the role
    have room first; what a narrow terminal cuts or leaves out, the line under it gives whole."""
    from textual.widgets import Static

    longest_common = len("Head of Service, Legal Services Partnership")
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(130, 30)) as pilot:
        await settle(pilot)
        app.open_area("team")
        await settle(pilot)
        table = app.screen.query_one(FittedTable)
        widths = {str(k.value): c.width for k, c in table.columns.items()}
        roles = [str(table.row_cells(i)[2]) for i in range(table.row_count)]
        assert widths["role"] >= max(map(len, roles)), widths  # every role whole
        assert widths["area"] >= len("Council Tax and Benefits"), widths
        for size in ((100, 30), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            widths = {str(k.value): c.width for k, c in table.columns.items()}
            # Every role but the Service Director's (68 characters) whole, in a column of
            # its own; the service area is not kept beside it, mostly empty.
            assert widths["role"] >= longest_common, (size, widths)
            assert "area" not in widths and "login" not in widths, (size, widths)
        for _ in range(table.row_count):  # to the Service Director, whose role is long
            if "Director" in str(table.row_cells(table.cursor_row)[2]):
                break
            await pilot.press("down")
        role = str(table.row_cells(table.cursor_row)[2])
        assert widths["role"] < len(role)  # cut here …
        duties = " ".join(str(app.screen.query_one("#duties", Static).render()).split())
        assert f"({table.row_cells(table.cursor_row)[0]}) · {role}:" in duties  # … whole here
        for _ in range(table.row_count):  # a service area manager: the area, under the table
            if str(table.row_cells(table.cursor_row)[3]):
                break
            await pilot.press("up")
        area = str(table.row_cells(table.cursor_row)[3])
        assert area and f"Service area manager, {area}:" in " ".join(
            str(app.screen.query_one("#duties", Static).render()).split())


async def test_the_referral_forms_tick_boxes_stand_whole_at_100_and_80_columns(
        db: Path) -> None:
    """The "warned" tick box of the referral form ran off the form's edge at 100 columns,
    cut with no "…" (a tick box is one line and does not wrap)."""
    from textual.widgets import Checkbox

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        for size in ((100, 30), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            boxes = list(app.screen.query(Checkbox))
            assert any(box.id == "lr-warned" for box in boxes)
            for box in boxes:
                if not box.display or box.parent is None:
                    continue
                room = box.parent.content_region.width  # type: ignore[attr-defined]
                need = box.get_content_width(box.size, box.size) + box.styles.gutter.width
                assert need <= room and box.region.width <= room, (size, box.id, need, room)


def named_at_length(db: Path) -> str:
    """The customer of UPV-2026-0007 named in 79 characters (b15a); returns the name."""
    from crm_tui.db.connection import open_database
    from crm_tui.db.models import Case, Customer

    open_database(db)
    long_name = "Mr Quentin Bartholomew Fothergill-Smythe of the Old Rectory, Lower Netherby"
    Customer.update(name=long_name).where(
        Customer.id == Case.get(Case.reference == "UPV-2026-0007").customer_id).execute()
    return long_name


async def test_one_long_name_does_not_hide_the_inbox_columns_at_200(db: Path) -> None:
    """b15a F8: a customer named in 79 characters took ~90 columns at 200x60, and Service
    area, Received and Behaviour were left out for every row."""
    named_at_length(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        table = app.screen.query_one("#cases", FittedTable)
        assert any("Mr Quentin" in cells(table, row) for row in range(table.row_count))
        assert {"service_area", "received"} <= set(table.shown_columns)
        assert table.columns[ColumnKey("customer")].width >= len("Mrs Philippa Gorringe-Hale")
        # The service area whole beside the name at its cap; the behaviour, the least
        # important, is the column that gives way (v15c F1: it cut the area instead).
        assert table.columns[ColumnKey("service_area")].width >= len("Council Tax and Benefits")


async def test_the_builders_title_is_whole_however_long_the_name(db: Path) -> None:
    """b15a F10: at 80x24 a 79-character name left "… · Restrictions" of "Restrictions
    ended" in the builder's title, cut at two lines with no "…"."""
    from rich.text import Text

    from crm_tui.ui.screens.restriction_builder import RestrictionBuilderScreen

    long_name = named_at_length(db)
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(RestrictionBuilderScreen("UPV-2026-0007"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RestrictionBuilderScreen) and screen.view is not None
        s = screen.view.summary
        title = screen.query_one("#builder-title")
        whole = (f"Restriction builder · {s.reference} · {long_name} ({s.customer_reference})"
                 f" · {s.state.label}")
        lines = Text(whole).wrap(app.console, title.content_region.width)
        assert len(lines) >= 3  # the case: more than the two lines it was cut to
        assert title.content_region.height == len(lines)


async def test_the_staff_register_panel_gives_until_when_and_the_review_at_80x24(
        db: Path) -> None:
    """b15b 10: at 80x24 the register left out Until and Review, and the panel under it
    gave neither: until when and the review date are what the register is read for."""
    from textual.widgets import Static

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_area("register")
        await settle(pilot)
        table = app.screen.query_one(FittedTable)
        assert "until" not in table.shown_columns or "review" not in table.shown_columns
        for _ in range(2):
            until, review = table.row_cells(table.cursor_row)[3:5]
            assert str(until) and str(review)
            detail = " ".join(str(app.screen.query_one("#register-detail", Static).render())
                              .split())
            assert f"In force until {until} · review due {review}" in detail
            await pilot.press("down")
            await settle(pilot)
