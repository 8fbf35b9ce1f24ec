"""Pick a user to act as (demo databases only: the real acting user comes from the login)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crm_tui.domain.typed_dates import quoted
from crm_tui.services.core.results import UserInfo
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.guide import ONLY_CRM, Guide


class SwitchUserDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    SwitchUserDialog { align: center middle; }
    SwitchUserDialog > Vertical {
        width: 80; height: auto; max-height: 80%; border: thick $accent;
        background: $surface; padding: 1 2 0 2;
    }
    SwitchUserDialog OptionList { height: auto; max-height: 16; }
    """
    GUIDE = Guide("Switch user",
                  'Act as another person of the demo, to see the app as their role does.',
                  (ONLY_CRM,))
    BINDINGS = [Binding("enter", "choose", "Act as them", key_display="enter", priority=True,
                        tooltip="Act as the highlighted person of the demo"),
                Binding("escape", "cancel", "Cancel", key_display="esc",
                        tooltip="Keep acting as the person you are now")]

    def __init__(self, users: list[UserInfo], current: str,
                 opening: int | None = None) -> None:
        """`opening`: the app's hold on the keys typed since `u`, let go once the list is
        ready for them (round 11: `u Down Enter` in a burst once chose before the person
        acting was highlighted, and switched to the first of the list)."""
        super().__init__()
        self.opening = opening
        self.users = users
        self.current = current
        # Answered once: a second Enter pressed before the dialog has gone (rapid switches)
        # would dismiss it again, a screen no longer on the stack ("Can't pop screen").
        self.answered = False
        # The keys pressed once a person is chosen wait for the switch to land (the app lets
        # them go): a next `u` would list the people from the one acting before it.
        self.hold: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Act as which demo user? (Enter to choose, Escape to cancel)")
            yield OptionList(*[Option(_said(u), id=u.login) for u in self.users],
                             markup=False)
            yield DialogKeys()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        logins = [u.login for u in self.users]
        options.highlighted = logins.index(self.current) if self.current in logins else 0
        options.focus()
        if self.opening is not None:
            let_go = getattr(self.app, "let_go_keys", None)
            if callable(let_go):
                self.call_after_refresh(let_go, self.opening)

    def action_choose(self) -> None:
        if not self.answered and self.query_one(OptionList).highlighted is not None:
            hold = getattr(self.app, "hold_keys", None)
            if callable(hold) and self.hold is None:
                self.hold = hold()
            self.query_one(OptionList).action_select()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._answer(event.option.id)

    def action_cancel(self) -> None:
        self._answer(None)

    def _answer(self, login: str | None) -> None:
        if self.answered or not self.is_current:
            return
        self.answered = True
        self.dismiss(login)


def person(user: UserInfo) -> str:
    """A person named as the trail recorded them: one whose record's name was edited in the
    database, with "their record's name now reads …" as the dialog says it (v16h H4: the
    picker printed the edited name as theirs)."""
    if not user.record_edited or user.trail_name == user.name:
        return f"{user.name} ({user.login})"
    now = f"their record's name now reads {quoted(user.name)}"
    if user.trail_name is None:
        return f"{user.login} ({now})"
    return f"{user.trail_name} ({user.login}; {now})"


def _said(user: UserInfo) -> str:
    """A person as the picker lists them: one whose record was edited in the database is
    marked so, with the name and role the trail gave them, never the edited ones (v15d N5,
    v16h H4)."""
    if user.record_edited:
        given = f"; the trail's role: {user.trail_role.label}" if user.trail_role else ""
        return f"{person(user)} — record changed outside the app{given}"
    return (f"{user.name} ({user.login}) — {user.role.label}"
            + (f" ({user.service_area})" if user.service_area else ""))
