"""What every form does the same way, dialog or full screen:

- its keys (save, next field, cancel) shown in a footer inside it;
- the cursor on its first field when it opens;
- every problem shown at once, each at its field, in the user's words and with dates as they
  were typed; a problem stays until the field is put right and goes as soon as it is (checked
  on every change, and when the cursor leaves a field that was changed); a service's refusal,
  which no check here can answer, stays until its field is changed;
- Escape asks before throwing away what was typed, and just closes when nothing was;
- a step that acts in someone's name asks first, naming who acts and what goes out.

A form lists its checks (`checks()`), gathers its values and calls `send(...)`, and
maps a service's refusal to a field with `FIELD_IDS`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from crm_tui.domain.counting import counted
from crm_tui.domain.errors import DomainError, Problems, ValidationError
from crm_tui.domain.typed_dates import typed_days
from crm_tui.domain.wording import CUSTOMER_TEXT_LIMIT
from crm_tui.services.core.database import atomic, session
from crm_tui.services.core.rehearsal import Rehearsed, rehearsal
from crm_tui.services.core.validation import MAX_TEXT
from crm_tui.ui.delivery import DeliveryMixin, deliver
from crm_tui.ui.dialogs.ask import AskDialog
from crm_tui.ui.dialogs.error import ErrorDialog
from crm_tui.ui.dialogs.keys import DialogKeys
from crm_tui.ui.forms import (
    DATE_LENGTH,
    Check,
    DateCheck,
    as_typed,
    clear_field_error,
    clear_field_errors,
)
from crm_tui.ui.forms import show_field_error as _show_at
from crm_tui.ui.text import literal
from crm_tui.ui.widgets.bounded_text import BoundedTextArea

FIELD_WIDGETS = "Input, TextArea, Select, SelectionList, RadioSet, Checkbox"
_FIELD_TYPES = (Input, TextArea, Select, SelectionList, RadioSet, Checkbox)
SAVE_KEY = "ctrl+s"
# The most a one-line field takes, unless its form says (FIELD_LIMITS): longer text belongs in
# a multi-line field, and each key in a one-line field costs more the longer it is.
ONE_LINE_LIMIT = 2_000


def save_binding(description: str = "Save", action: str = "save", *,
                 tooltip: str = "") -> Binding:
    return Binding(SAVE_KEY, action, description, key_display=SAVE_KEY,
                   tooltip=tooltip or "Check every field, then record it")


def value_of(widget: Widget) -> str:
    """What a field holds, as text: what the checks read and what "typed" compares."""
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return "" if widget.value is Select.NULL else str(widget.value)
    if isinstance(widget, SelectionList):
        return ",".join(str(v) for v in widget.selected)
    if isinstance(widget, Checkbox):
        return "ticked" if widget.value else ""
    if isinstance(widget, RadioSet):
        return str(widget.pressed_index) if widget.pressed_index >= 0 else ""
    return ""


class FormBehaviour(DeliveryMixin, Screen[Any]):
    """Mixed into a form's screen (a ModalScreen for dialogs)."""

    # A field's label and its problem wrap at words within the form, never cut at its edge.
    DEFAULT_CSS = """
    FormBehaviour Label { width: 100%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        save_binding(),
        # Priority: the app runs these as the key arrives, before the keys after it are
        # handed to a field. Otherwise Tab reaches the form only after bubbling up from the
        # field being left, and text typed (or pasted) just after it lands in that field.
        Binding("tab", "next_field", "Next field", key_display="tab", priority=True,
                tooltip="Move to the next field of the form (shift+tab: the one before; "
                        "Enter in a one-line field moves on too)"),
        Binding("shift+tab", "previous_field", "Field before", show=False, priority=True,
                tooltip="Move to the field before this one"),
        Binding("escape", "cancel", "Cancel", key_display="esc",
                tooltip="Close the form; if you typed anything, you are asked before it is "
                        "thrown away")]
    HOLDS_KEYS = True
    # Finishes "Discard … ?" when Escape is pressed on a form with something typed in it.
    DISCARD = "what you typed"
    # Widget id -> the most characters its field takes (the service's limit for it), where
    # that is not the default (cap_text_fields).
    FIELD_LIMITS: ClassVar[dict[str, int]] = {"customer_reason": CUSTOMER_TEXT_LIMIT}
    # A service's field name -> the widget it was typed in (when they differ).
    FIELD_IDS: ClassVar[dict[str, str]] = {}
    # Whether DialogKeys is added to the first container (a full screen has its own Footer).
    KEYS_INSIDE = True

    _pristine: dict[str, str] | None = None
    # The fields changed since then (their Changed came): what "typed" compares, without
    # looking through the whole form when Escape is pressed.
    _touched: dict[str, Widget] | None = None
    # Where the cursor is going: focus() lands a moment later, and a second Tab (or Enter)
    # pressed meanwhile must count from there, not from the field being left.
    _aim: Widget | None = None
    # Widget id -> what it held when a service refused it (see refused_at).
    _refused: dict[str, str] | None = None

    # -- what a form declares ---------------------------------------------------------------
    def checks(self) -> dict[str, Check]:
        """Widget id -> its check. Only fields shown are checked."""
        return {}

    def first_field(self) -> Widget | None:
        """Where the cursor starts: the first field, top down."""
        for widget in self.query(FIELD_WIDGETS):
            if widget.focusable:
                return widget
        return None

    def name_save(self, description: str) -> None:
        """What the save key says in this dialog ("Lift", "Record view")."""
        self._bindings.key_to_bindings[SAVE_KEY] = [save_binding(description)]

    # -- opening ------------------------------------------------------------------------------
    @on(events.Mount)
    def _form_opened(self) -> None:
        # Into the dialog's own box: not a toast rack or tooltip Textual keeps on the screen.
        boxes = [c for c in self.children if not c.has_class("-textual-system")]
        if self.KEYS_INSIDE and boxes and not self.query(DialogKeys):
            boxes[0].mount(DialogKeys())
        for label in self.query("Label.field-error").results(Label):
            label.display = bool(str(label.render()).strip())
        self.cap_date_fields()
        self.cap_text_fields()
        self.call_after_refresh(self._settled)

    def cap_date_fields(self) -> None:
        """A field for a day takes no more than a day needs (a paste of a letter into one
        was taken whole and quoted whole in its problem)."""
        for widget_id, check in self.checks().items():
            if isinstance(check, DateCheck):
                for box in self.query(f"#{widget_id}").results(Input):
                    box.max_length = DATE_LENGTH

    def cap_text_fields(self) -> None:
        """Every text field takes no more than its limit as it is typed (found when tried: a
        long paste typed in as keys pinned the app at full CPU past 2 GB, the limit checked
        only at save). A form names a field's own limit in FIELD_LIMITS; a one-line field
        takes at most ONE_LINE_LIMIT, a multi-line one the services' longest text."""
        for box in self.query(Input):
            if not box.max_length:
                box.max_length = self.FIELD_LIMITS.get(box.id or "", ONE_LINE_LIMIT)
        for area in self.query(BoundedTextArea):
            if not area.max_length:
                area.max_length = self.FIELD_LIMITS.get(area.id or "", MAX_TEXT)

    def _said_full(self, widget: Widget) -> None:
        """Say at a field that has reached its limit that no more is taken (its own problem,
        if it has one, is said first: checked on the same change)."""
        limit = getattr(widget, "max_length", 0)
        if not (limit and widget.id and len(value_of(widget)) >= limit) \
                or widget.has_class("-problem"):
            return
        if self.query(f"#{widget.id}-error"):
            _show_at(self, widget.id, f"At most {counted(limit, 'character')}: no more is "
                     "taken here", focus=False)
            self._refused = {**(self._refused or {}), widget.id: value_of(widget)}

    def _settled(self) -> None:
        first = self.first_field()
        if first is not None and self._aim is None:
            self.aim_at(first)
        self.mark_pristine()
        self.refresh_bindings()  # the keys inside were mounted after the screen listed them

    # -- moving between fields ------------------------------------------------------------
    def aim_at(self, widget: Widget) -> None:
        """Put the cursor on `widget`, counting the next move from it at once."""
        self._aim = widget
        # At once, not widget.focus() (which lands later): the next key goes to `widget`.
        self.set_focus(widget)

    def aim_at_problem(self, widget: Widget) -> None:
        """Put the cursor on a refused field with its text selected, so that typing replaces
        it: a field already holding the cursor (saved with Enter in it) gets no focus event,
        and a date typed again was added to the refused one ("10/12/20264/12/2026")."""
        # The problem under the field too, once it is laid out: at 100x30 the decision form's
        # last field had its border turn red while the words saying why stayed out of sight;
        # scrolled up to the words alone, the log-contact form's When was above the visible
        # part and a key typed replaced its text unseen (round 8). Both, the field first: one
        # scroll of our own, not the focus's own scroll racing it.
        labels = list(self.query(f"#{widget.id}-error")) if widget.id else []
        self._aim = widget
        self.set_focus(widget, scroll_visible=not labels)
        if isinstance(widget, Input):
            widget.select_all()
        if labels:
            self.call_after_refresh(_field_and_words_in_sight, widget, labels)

    def _step(self, direction: int) -> None:
        chain = self.focus_chain
        if not chain:
            return
        start = self._aim if self._aim in chain else self.focused
        index = chain.index(start) if start in chain else -direction
        self.aim_at(chain[(index + direction) % len(chain)])

    def action_next_field(self) -> None:
        self._step(1)

    def action_previous_field(self) -> None:
        self._step(-1)

    @on(events.DescendantFocus)
    def _landed(self, event: events.DescendantFocus) -> None:
        if event.widget is self._aim:
            self._aim = None

    @on(Input.Submitted)
    def _enter_moves_on(self, event: Input.Submitted) -> None:
        """Enter in a one-line field goes to the next field; the save key saves."""
        event.stop()
        self.action_next_field()

    def mark_pristine(self) -> None:
        """What the form holds now counts as untouched (after loading what it edits)."""
        self._pristine = self._values()
        self._touched = {}

    def _values(self) -> dict[str, str]:
        return {w.id: value_of(w) for w in self.query(FIELD_WIDGETS) if w.id}

    def typed_days(self, at: str = "") -> dict[date, str]:
        """Each day typed in the form's one-line fields -> the text it was typed as, so that a
        service's message quotes "3/12/2026" as typed, not "03/12/2026". `at`: the field a
        message is shown under, whose own text comes first (round 12: the monitoring period's
        end typed 01/09/2026 was quoted as "1/9/2026", as the same day was typed elsewhere)."""
        inputs = list(self.query(Input))
        return typed_days([w.value for w in inputs if at and w.id == at]
                          + [w.value for w in inputs])

    @property
    def typed(self) -> bool:
        """Whether a field holds other than it did when the form opened: asked of the fields
        changed since, and of the one being typed in (its last key's Changed may still be on
        its way), not of the whole form (a query of every field took 0.1 s on a loaded
        machine, before "Discard…?" could be asked)."""
        if self._pristine is None:
            return False
        fields = list((self._touched or {}).values())
        if isinstance(self.focused, _FIELD_TYPES):
            fields.append(self.focused)
        return any(w.id and value_of(w) != self._pristine.get(w.id) for w in fields)

    # -- problems -------------------------------------------------------------------------
    def _visible(self, widget_id: str) -> bool:
        found = self.query(f"#{widget_id}")
        return bool(found) and found.first().display and all(
            a.display for a in found.first().ancestors if isinstance(a, Widget))

    def rule_problems(self) -> dict[str, str]:
        """Widget id -> its problem by a rule of the domain that reads several fields (a
        restriction's parameters, how a view was given): asked with the fields' own checks so
        that one save shows every problem, not the service's first refusal after the rest."""
        return {}

    def problems(self) -> dict[str, str]:
        """Every field's problem, top down, for the fields on show."""
        found: dict[str, str] = {}
        for widget_id, check in self.checks().items():
            if not self._visible(widget_id):
                continue
            problem = check(value_of(self.query_one(f"#{widget_id}")))
            if problem:
                found[widget_id] = problem
        for widget_id, problem in self.rule_problems().items():
            if widget_id not in found and (not self.query(f"#{widget_id}")
                                           or self._visible(widget_id)):
                found[widget_id] = problem
        order = [w.id for w in self.query(FIELD_WIDGETS)]
        return dict(sorted(found.items(), key=lambda item: order.index(item[0])
                           if item[0] in order else -1))

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each at its field; the cursor goes to the first."""
        for index, (widget_id, message) in enumerate(problems.items()):
            if self.query(f"#{widget_id}-error"):
                _show_at(self, widget_id, message, focus=False, typed=self.typed_days(widget_id))
                if index == 0:
                    self.aim_at_problem(self.query_one(f"#{widget_id}"))
            else:
                # Brought into sight only when it is the first problem: the cursor's field
                # is scrolled to otherwise.
                self.form_error(message, in_sight=index == 0)

    def checked(self) -> bool:
        """Clear what was shown, check every field, show all the problems; True if none."""
        self.clear_problems()
        self.form_error("")
        problems = self.problems()
        self.show_problems(problems)
        return not problems

    def form_error(self, message: str, *, in_sight: bool = True) -> None:
        """A problem that belongs to no one field, above the form; scrolled into sight
        (`in_sight`), since the form is scrolled to the field being typed in: at 100x30 a
        stale edit's refusal of a restriction stayed above the part on show, and ctrl+s
        seemed to do nothing (found when tried, b16d F3)."""
        for target in self.query("#form-error").results(Static):
            target.update(literal(as_typed(message, self.typed_days()) if message else "",
                                  wrap=True))
            if message and in_sight:
                self.call_after_refresh(_words_in_sight, target)

    def show_error(self, error: DomainError) -> None:
        """A service's refusal: at its field if it names one, else above the form; several
        (Problems) each at its own, the cursor at the first. After a yes to the question
        naming who acts, in a message to close first as well (refused_after_yes)."""
        self.refused_after_yes(error)
        if isinstance(error, Problems):
            elsewhere: list[str] = []
            for index, one in enumerate(error.found):
                widget_id = self.FIELD_IDS.get(one.field, one.field)
                if self.query(f"#{widget_id}-error"):
                    self.refused_at(widget_id, self._said(widget_id, one.message),
                                    aim=index == 0)
                else:
                    elsewhere.append(one.message)
            # In sight unless the cursor went to a field's own problem (the first one).
            first = self.FIELD_IDS.get(error.found[0].field, error.found[0].field) \
                if error.found else ""
            self.form_error("\n".join(elsewhere),
                            in_sight=not (first and self.query(f"#{first}-error")))
            return
        if isinstance(error, ValidationError):
            widget_id = self.FIELD_IDS.get(error.field, error.field)
            if self.query(f"#{widget_id}-error"):
                self.refused_at(widget_id, self._said(widget_id, error.message))
                return
            self.form_error(error.message)
            return
        self.form_error(str(error))

    def _said(self, widget_id: str, message: str) -> str:
        """A service's "is required" said as the field's own check says it."""
        if message.startswith("is required"):
            check = self.checks().get(widget_id)
            return (check("") if check else None) or "Write it here: it cannot be left blank"
        return message

    def refused_at(self, widget_id: str, message: str, *, aim: bool = True) -> None:
        """A service's refusal at its field. No check here can tell when it is put right, so
        it stays until the field is changed, or the form is checked again at save. (A rule the
        form can ask itself belongs in rule_problems, which clears as soon as it is met.)"""
        _show_at(self, widget_id, message, focus=False, typed=self.typed_days(widget_id))
        widget = self.query_one(f"#{widget_id}")
        if self._refused is None:
            self._refused = {}
        self._refused[widget_id] = value_of(widget)
        if aim:
            self.aim_at_problem(widget)

    def clear_problems(self) -> None:
        """Take every problem shown off the form (it is about to be checked again)."""
        clear_field_errors(self)
        self._refused = None

    def _recheck(self, widget: Widget | None, *, on_leave: bool = False) -> None:
        if widget is None or not widget.id:
            return
        widget_id = widget.id
        marked = widget.has_class("-problem")
        if not marked and not on_leave:
            return
        value = value_of(widget)
        refused = self._refused or {}
        if widget_id in refused and refused[widget_id] != value:
            del refused[widget_id]  # changed since the refusal: the checks say the rest
        check = self.checks().get(widget_id)
        problem = check(value) if check and self._visible(widget_id) else None
        if problem is None and marked:
            problem = self.rule_problems().get(widget_id)
        if problem is None and widget_id in refused:
            return  # the service's refusal stands: the field is as it was refused
        if problem is None:
            if marked:
                clear_field_error(self, widget_id)
                refused.pop(widget_id, None)
            return
        changed = (self._pristine or {}).get(widget_id) != value
        if marked or changed:
            _show_at(self, widget_id, problem, focus=False, typed=self.typed_days(widget_id))

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    def _field_changed(self, event: Any) -> None:
        if event.control.id:
            if self._touched is None:
                self._touched = {}
            self._touched[event.control.id] = event.control
        self._recheck(event.control)
        self._said_full(event.control)
        # A problem across fields (an end before its start) goes when either is put right.
        others = [w for w in self.query(".-problem") if w is not event.control]
        if others:
            known = {**self.checks(), **self.rule_problems()}.keys() | (self._refused or {})
            for other in others:
                if other.id in known:
                    self._recheck(other)

    @on(events.DescendantBlur)
    def _field_left(self, event: events.DescendantBlur) -> None:
        if not (self.is_attached and self.is_current and event.widget.id):
            return  # a dialog over this one took the focus, or this one is closing
        try:
            if event.widget.id in self.checks():
                self._recheck(event.widget, on_leave=True)
        except NoMatches:  # the form is being taken down
            return

    # -- asking first ----------------------------------------------------------------------
    # Set from the "yes" to a question naming who acts until the step's answer comes back.
    _acting = False

    def confirm_then(self, question: str, rehearse: Callable[[], Any],
                     go: Callable[[], Any], *, yes: str = "Yes", no: str = "No") -> None:
        """A step of consequence: rehearse it first (the service makes every check it will
        make on what was typed, and stops before confirming, writing nothing); any problem is
        shown at its field and nothing is asked. Only then ask `question` (who acts, what goes
        out); on yes, `go` runs the step, the form holding no keys meanwhile."""
        self._rehearse(question, rehearse, go, yes, no)

    @work(thread=True, exclusive=True, exit_on_error=False, group="rehearsal")
    def _rehearse(self, question: str, rehearse: Callable[[], Any], go: Callable[[], Any],
                  yes: str, no: str) -> None:
        try:
            # One transaction holds the whole rehearsal, rolled back at its end: a step made
            # of several (a review opened, then its outcome) is rehearsed to its last check,
            # not stopped at the end of its first (t15d F3: "n/a" as the reason to continue
            # unchanged was refused only after the question had been answered).
            with session(), rehearsal(), atomic():
                rehearse()
        except Rehearsed:
            pass
        except DomainError as exc:
            deliver(self, self.show_error, exc)
            return
        except ValueError as exc:  # a value a form's own parsing refused
            deliver(self, self.form_error, str(exc))
            return
        deliver(self, lambda: self.ask_then(question, lambda: self._act(go), yes=yes, no=no))

    def _act(self, go: Callable[[], Any]) -> None:
        # The person said yes and may now type their passphrase: until the step answers, no
        # field takes keys (a passphrase typed before its prompt opens lands nowhere).
        self._acting = True
        self._hold_keys(True)
        go()

    def _hold_keys(self, hold: bool) -> None:
        for box in self.children:
            if not box.has_class("-textual-system"):
                box.disabled = hold
        if hold:
            self.set_focus(None)

    def refused_after_yes(self, error: DomainError) -> bool:
        """A refusal of a step already confirmed (the case changed meanwhile, a passphrase
        that did not open the key): the form takes keys again, and the refusal is shown in a
        message that must be closed, so that nothing typed next goes into a field unseen.
        False when the step was not one asked about."""
        if not self._acting:
            return False
        self._acting = False
        self._hold_keys(False)
        message = error.message if isinstance(error, ValidationError) else str(error)
        self.app.push_screen(ErrorDialog("Not done: nothing was changed",
                                         as_typed(message, self.typed_days())))
        return True

    def ask_then(self, question: str, then: Callable[[], Any], *, yes: str = "Yes",
                 no: str = "No", detail: str = "") -> None:
        self.app.push_screen(AskDialog(question, yes=yes, no=no, detail=detail),
                             lambda answer: then() if answer else None)

    def action_cancel(self) -> None:
        if self.typed:
            self.ask_then(f"Discard {self.DISCARD}?", self.close_form, yes="Discard",
                          no="Keep editing")
            return
        self.close_form()

    def close_form(self) -> None:
        self.dismiss(None)

    def leave_for(self, then: Callable[[], Any]) -> None:
        """Close the form for `then`, which leaves it (an area or a user chosen in the
        palette): what was typed is asked about first, as `esc` asks (v15b S3: the palette's
        "Go to Letters" threw away a request typed in its dialog, unasked). Closed even with
        nothing typed: a form opened as one person must not save as the next."""
        def leave() -> None:
            self.close_form()
            self.app.call_later(then)  # once the form has gone

        if self.typed:
            self.ask_then(f"Discard {self.DISCARD}?", leave, yes="Discard", no="Keep editing")
            return
        leave()


class FormDialog(FormBehaviour, ModalScreen[Any]):
    """A form in a dialog over the screen it was opened from."""


def _words_in_sight(words: Widget) -> None:
    """Scroll the form so that a problem above it shows, from its first line (the cursor's
    field may go out of sight: what was refused is what needs reading first)."""
    form = next((a for a in words.ancestors if isinstance(a, Widget) and a.is_scrollable
                 and a.allow_vertical_scroll), None)
    if form is None or not words.display:
        return
    view = form.content_region
    if words.region.y < view.y or words.region.bottom > view.bottom:
        form.scroll_to(y=form.scroll_y + words.region.y - view.y, animate=False,
                       immediate=True)


def _field_and_words_in_sight(widget: Widget, labels: list[Widget]) -> None:
    """Scroll the form so that the field and the words under it show; where both do not fit,
    the field's top (what the cursor is on) wins."""
    form = next((a for a in widget.ancestors if isinstance(a, Widget) and a.is_scrollable
                 and a.allow_vertical_scroll), None)
    if form is None:
        return
    # What shows of the form: its content less what is docked over it (a dialog's footer
    # of keys docks at the bottom of the box that scrolls, and covered the words under the
    # log-contact form's Officer at 80x24: in the region, out of sight).
    view = form.content_region
    docked = [c.region for c in form.children if c.display and c.styles.dock in ("top", "bottom")]
    view_top = max([view.y, *(r.bottom for r in docked if r.y <= view.y)])
    view_bottom = min([view.bottom, *(r.y for r in docked if r.y > view.y)])
    top = widget.region.y
    bottom = max([widget.region.bottom, *(label.region.bottom for label in labels
                                          if label.display)])
    if bottom - top > view_bottom - view_top or top < view_top:
        shift = top - view_top
    elif bottom > view_bottom:
        shift = bottom - view_bottom
    else:
        return
    form.scroll_to(y=form.scroll_y + shift, animate=False, immediate=True)
