"""While a step confirmed with a passphrase runs, its prompt says so, offers neither Confirm nor
Cancel, takes the keys typed meanwhile, and closes once the step has answered (found when
tried: an appeal's decision took 4 to 5 s behind a prompt that looked idle; Esc then closed the
case file, and letters typed switched areas once it had gone)."""

from __future__ import annotations

import asyncio
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

from crm_tui.domain.roles import Actor, Role
from crm_tui.services.core.passphrases import PassphraseNeeded
from crm_tui.ui.app import create_app
from crm_tui.ui.confirm import confirmed
from crm_tui.ui.delivery import DeliveryMixin
from crm_tui.ui.dialogs.passphrase import PassphraseDialog
from crm_tui.ui.signing_flow import SigningFlow
from tests.ui.keys import asked, key_event, settle

SIZE = (100, 30)
WHAT = "Decide to restrict on UPV-2026-0001, as Ceri Hughes, Complaints Resolution Manager?"


class Deciding(App[None]):
    """A bare app running one confirmed step, with an area key of its own ('g')."""

    BINDINGS = [Binding("g", "area", "An area")]

    def __init__(self) -> None:
        super().__init__()
        self.given: list[str] = []
        self.areas = 0
        self.answered: list[str] = []
        self.release = threading.Event()

    def action_area(self) -> None:
        self.areas += 1

    def step(self) -> str:
        from crm_tui.services.core import confirmation

        secret = confirmation._given.get()
        if secret is None:
            raise PassphraseNeeded("your passphrase confirms the decision")
        self.given.append(secret)
        self.release.wait(10)  # the decision being recorded (slow, as an appeal's is)
        return "decided"

    def on_mount(self) -> None:
        actor = Actor(1, "gareth.bell", "Gareth Bell", Role.SERVICE_DIRECTOR)
        self.run_worker(lambda: self.answered.append(confirmed(self, actor, self.step, WHAT)),
                        thread=True, exit_on_error=False)


async def test_the_prompt_stays_working_and_takes_the_keys_until_the_step_answers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crm_tui.ui.confirm.demo_user", lambda: None)  # no database here
    app = Deciding()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, PassphraseDialog):
                break
        prompt = app.screen
        assert isinstance(prompt, PassphraseDialog)
        await pilot.press(*"northmere-demo", "enter")
        await pilot.pause(0.3)  # not settle: the step's worker is meant to be running
        assert app.given == ["northmere-demo"]
        assert app.screen is prompt  # still there while the step runs, and says so
        said = " ".join(str(prompt.query_one("#pass-help").render()).split())
        assert "recording it now" in said
        assert not prompt.query_one(Input).display
        offered = {key for key, active in prompt.active_bindings.items()
                   if active.binding.show and active.enabled}
        assert not offered & {"escape", "enter"}, offered
        await pilot.press("escape", "g", "h", "enter")  # typed while it runs: for nothing
        await pilot.pause(0.3)
        assert app.screen is prompt and app.areas == 0 and not app.answered
        app.release.set()
        for _ in range(50):
            await pilot.pause(0.05)
            if app.answered:
                break
        await settle(pilot)
        assert app.answered == ["decided"]
        assert not isinstance(app.screen, PassphraseDialog)
        assert app.areas == 0
        assert app.given == ["northmere-demo"]  # asked once, recorded once


class Painting(Deciding):
    """Keeps the text of every update sent to the terminal, and what had been painted by the
    time the step was given the passphrase."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[str] = []
        self.painted_before_step: list[str] | None = None

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        if isinstance(renderable, CompositorUpdate):
            text = renderable.render_segments(self.console)
            self.painted.append(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text))
        super()._display(screen, renderable)

    def step(self) -> str:
        from crm_tui.services.core import confirmation

        if confirmation._given.get() is not None and self.painted_before_step is None:
            self.painted_before_step = list(self.painted)
        return super().step()


async def test_the_working_prompt_is_painted_before_the_step_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Painted, not only set: the step's work holds the interpreter, and a prompt set to
    "recording" but not yet painted looked idle (field empty, `esc Cancel`) for 1 to 2.5 s in
    a real terminal (found when tried in tmux)."""
    monkeypatch.setattr("crm_tui.ui.confirm.demo_user", lambda: None)
    app = Painting()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, PassphraseDialog):
                break
        assert isinstance(app.screen, PassphraseDialog)
        await pilot.press(*"northmere-demo", "enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if app.given:
                break
        painted = app.painted_before_step
        assert painted is not None, "the step was never given the passphrase"
        working = [i for i, text in enumerate(painted) if "Passphrase taken:" in text]
        assert working, "the step ran before the prompt was painted saying it records"
        after = " ".join(painted[working[0]:])
        assert "esc Cancel" not in after and "enter Confirm" not in after, after
        app.release.set()
        await settle(pilot)
        assert app.answered == ["decided"]


async def test_escape_before_the_passphrase_still_cancels(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crm_tui.ui.confirm.demo_user", lambda: None)
    app = Deciding()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, PassphraseDialog):
                break
        assert isinstance(app.screen, PassphraseDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, PassphraseDialog)
        assert app.given == [] and app.answered == []
        worker: Any = next(iter(app.workers), None)
        assert worker is None or worker.error is not None  # not confirmed: nothing done


class SlowSigning(DeliveryMixin, SigningFlow):
    """Letters signed from a screen, the signing slow (as a batch's is)."""

    def __init__(self) -> None:
        super().__init__()
        self.given: list[str] = []
        self.release = threading.Event()

    def compose(self) -> ComposeResult:
        yield Static("signing")

    def start(self) -> None:
        self.sign_with(self.step, self.given.append)

    def step(self, passphrase: str | None) -> str:
        if passphrase is None:
            raise PassphraseNeeded("your signing key's passphrase is needed")
        self.release.wait(10)
        return passphrase


async def test_signing_keeps_its_prompt_working_too(db: Path) -> None:
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = SlowSigning()
        app.push_screen(screen)
        await settle(pilot)
        screen.start()
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, PassphraseDialog):
                break
        prompt = app.screen
        assert isinstance(prompt, PassphraseDialog)
        await pilot.press(*"northmere-demo", "enter")
        await pilot.pause(0.3)
        assert app.screen is prompt and prompt.busy
        await pilot.press("escape", "t", "c")  # area keys, typed while the letters are signed
        await pilot.pause(0.3)
        assert app.screen is prompt
        screen.release.set()
        await settle(pilot)
        assert screen.given == ["northmere-demo"]
        assert app.screen is screen, type(app.screen).__name__


class DecidingScreen(Screen[None]):
    """A decision confirmed with a passphrase from a key of the real app, whose prompt is on
    top before the key's action has settled (as after `y`, the decision's step at once asking
    for the passphrase)."""

    BINDINGS = [Binding("d", "decide", "Decide")]

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.given: list[str] = []
        self.answered: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("deciding")

    def step(self) -> str:
        from crm_tui.services.core import confirmation

        secret = confirmation._given.get()
        if secret is None:
            raise PassphraseNeeded("your passphrase confirms the decision")
        self.given.append(secret)
        return "decided"

    async def action_decide(self) -> None:
        self.run_worker(lambda: self.answered.append(
            confirmed(self.app, self.actor, self.step, WHAT)), thread=True, exit_on_error=False)
        for _ in range(100):
            if isinstance(self.app.screen, PassphraseDialog):
                return
            await asyncio.sleep(0.02)


async def test_the_passphrase_typed_at_once_reaches_the_prompt_a_step_waits_on(
        db: Path) -> None:
    """Found when tried in tmux: `y`, then the passphrase typed as soon as the prompt showed:
    the field stayed empty for 2 s, the keys held after `y` until the hold ran out (5 s), as
    the work they waited for was the step waiting on this very prompt."""
    app = create_app(str(db), "ceri.hughes")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = DecidingScreen(app.actor)
        app.push_screen(screen)
        await settle(pilot)
        await pilot.press("d")
        prompt = app.screen
        assert isinstance(prompt, PassphraseDialog)
        for key in "northmere-demo":
            app.post_message(key_event(key))
        field = prompt.query_one(Input)
        for _ in range(50):  # a second at most: the keys are the prompt's
            await pilot.pause(0.02)
            if field.value == "northmere-demo":
                break
        assert field.value == "northmere-demo", f"{len(field.value)} of 14 typed reached it"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.given == ["northmere-demo"] and screen.answered == ["decided"]
        assert app.screen is screen, type(app.screen).__name__


async def test_settle_fails_at_once_naming_a_prompt_a_worker_waits_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that settles while a worker waits on the passphrase prompt fails within a
    moment, naming it (five signing tests sat out settle's whole wait, up to 107 s each), and
    the worker waiting on it is left running: the prompt can still be answered."""
    monkeypatch.setattr("crm_tui.ui.confirm.demo_user", lambda: None)
    app = Deciding()
    async with app.run_test(size=SIZE) as pilot:
        prompt = await asked(pilot)
        assert isinstance(prompt, PassphraseDialog)
        started = time.monotonic()
        with pytest.raises(AssertionError, match="PassphraseDialog waits for an answer"):
            await settle(pilot)
        assert time.monotonic() - started < 2
        await pilot.press(*"northmere-demo", "enter")
        app.release.set()
        await settle(pilot)
        assert app.answered == ["decided"] and app.given == ["northmere-demo"]
