"""Issue 15 BA1 in the Letters area: `v` (verify) of a letter signed, never posted and
superseded said "GENUINE" alone, as `letters verify` did. It says too that the letter is
superseded, by which letter and why, and is not to be sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from crm_tui.db.models import Letter
from crm_tui.services.core.users import resolve_actor
from crm_tui.services.letters import copies
from crm_tui.ui.app import create_app
from tests.demo_outcome_unposted import varied_after_outcome
from tests.ui.keys import settle


@pytest.fixture
def superseded(db: Path, tmp_path: Path) -> tuple[Path, int, str]:
    """The outcome letter superseded by the variation's, both signed (outside the test's
    event loop): its file, its number and the notice its copies carry."""
    outcome, _ = varied_after_outcome(tmp_path, db)
    notice = copies.copy_notice(resolve_actor("ceri.hughes"), outcome).said
    return tmp_path / "outcome" / Letter.get_by_id(outcome).file_name, outcome, notice


async def test_v_says_a_genuine_letter_is_superseded(
        db: Path, superseded: tuple[Path, int, str]) -> None:
    pdf, outcome, notice = superseded
    assert notice.startswith(f"Letter {outcome} is superseded by letter ")
    app = create_app(str(db), "ceri.hughes")
    said: list[str] = []
    real_notify = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        real_notify(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        app.screen.query_one(Input).value = str(pdf)
        await pilot.press("enter")
        await settle(pilot)
    [verdict] = [one for one in said if "GENUINE" in one]
    assert verdict.startswith(f"GENUINE: letter {outcome}, "), verdict
    assert notice in verdict, verdict
