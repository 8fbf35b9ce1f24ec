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
