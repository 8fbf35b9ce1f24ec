"""Every snapshot is taken at the two sizes the app must work at (issue 15): 100x30, the
narrowest a user is expected to work in, and 200x50, where it must use the width it has."""

from __future__ import annotations

import pytest

from tests.snapshots.helpers import SIZES, Size


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def size(request: pytest.FixtureRequest) -> Size:
    """The terminal size of the snapshot (columns, lines)."""
    width, height = request.param
    return width, height


@pytest.fixture(autouse=True)
def no_housekeeping_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot pictures the demo as built. The app's check at start (two seconds in: end
    restrictions due, archive files that owe nothing) would change the run's shared demo
    database under a slow snapshot, and the snapshots after it; it is tested on its own."""
    from crm_tui.ui.app import CrmApp

    monkeypatch.setattr(CrmApp, "expire_ended", lambda self: None)
