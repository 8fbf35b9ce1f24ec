"""A failure no screen expected, in a worker run by a screen, a dialog or a widget, is shown:
Textual tells it only to what ran the worker, and the app's handler never heard of it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.dom import DOMNode

import crm_tui.ui
from crm_tui.services.intake import case_file
from crm_tui.ui.app import create_app
from crm_tui.ui.delivery import DeliveryMixin
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.screens.case_file import CaseFileScreen
from tests.ui.keys import settle


def _runs_workers(cls: type) -> bool:
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return False
    return "@work" in source or "run_worker(" in source


def test_everything_that_runs_a_worker_passes_its_failure_on() -> None:
    without = []
    # Every module first: a mixin's screens are found among its subclasses.
    modules = [importlib.import_module(m.name)
               for m in pkgutil.walk_packages(crm_tui.ui.__path__, "crm_tui.ui.")]
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (cls.__module__ == module.__name__ and issubclass(cls, DOMNode)
                    and _runs_workers(cls)):
                # A mixin of screens (SigningFlow…) is checked in the screens it is part of.
                users = _concrete(cls) or [cls]
                without += [c.__qualname__ for c in users if not issubclass(c, DeliveryMixin)]
    assert not without, without


def _concrete(mixin: type) -> list[type]:
    """The screens a mixin ends up in: the leaves of its subclasses."""
    found: list[type] = []
    for sub in mixin.__subclasses__():
        found += _concrete(sub) or [sub]
    return found


async def test_a_failure_in_a_screens_read_is_shown(db: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(case_file, "case_file", broken)
        app.push_screen(CaseFileScreen("UPV-2026-0004"))
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert "the disk went away" in " ".join(
            str(w.render()) for w in app.screen.query("Static"))
