"""`crm-tui` sets Python's collector for the app before it imports Textual and the screens
(ui/collector.py): with Python's default it collected some 120 times on the way to the painted
inbox, once every object the imports had made (issue 17), before the app set it as it mounted."""

from __future__ import annotations

import gc
import sys
import types
from types import SimpleNamespace
from typing import Any

import pytest

from crm_tui import cli
from crm_tui.ui.collector import THRESHOLDS


def test_the_collector_is_set_before_the_app_is_imported(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int, int]] = []

    class Opened:
        return_code = 0

        def run(self) -> None:
            pass

    def create_app(*_: Any, **__: Any) -> Opened:
        seen.append(gc.get_threshold())  # as the app's module is imported: nothing since
        return Opened()

    app_module = types.ModuleType("crm_tui.ui.app")
    app_module.create_app = create_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crm_tui.ui.app", app_module)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # Python's own
    try:
        cli._launch(SimpleNamespace(config=None), "demo.sqlite3", "ceri.hughes")  # type: ignore[arg-type]
    finally:
        gc.set_threshold(*before)
    assert seen == [THRESHOLDS]
