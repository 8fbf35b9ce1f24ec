"""Textual offers no public way to do a few things this app needs; where the app reaches into
Textual's private names, this test fails loudly, naming the name, when a Textual upgrade changes
its shape (rather than the app misbehaving quietly).

- `crm_tui/ui/toasts.py`: Textual has `notify` and `clear_notifications` but nothing to list the
  notifications on show or take one down alone: it uses `App._notifications` (a
  `Notifications`: add, iterate, `in`), `App._unnotify(notification, refresh=False)`,
  `App._refresh_notifications()`, `App._on_notify` (the handler it stands in front of) and
  `Toast._notification` and `ToastHolder` (`textual.widgets._toast`); it stands in front of
  `App._unnotify` too, as `Toast._expire` calls it (`refresh=False`) when a toast runs out.
- `crm_tui/ui/widgets/fitted_tabs.py`: `Tabs._highlight_active(animate)` redraws the bar under
  the active tab once tabs are shown or hidden (Textual does it only on its own resize).
- `crm_tui/ui/widgets/keys_footer.py`: `Footer._bindings_ready` and `FooterKey`
  (`textual.widgets._footer`, the key Textual's footer yields).
- `crm_tui/ui/widgets/app_header.py`: `HeaderIcon`, `HeaderTitle`, `HeaderClock` and
  `HeaderClockSpace` (`textual.widgets._header`, the parts Textual's header composes, so that
  its title alone is replaced), `Header._show_clock`, and `Header.screen_title` /
  `Header.screen_sub_title`.
- `crm_tui/ui/painted.py`: whether a change is still on its way to the terminal:
  `Screen._layout_required`, `_repaint_required`, `_scroll_required`, `_dirty_widgets` and
  `Widget._layout_required`, `_repaint_required` (Textual has `call_after_refresh`, which may
  run before a change just made has reached the screen).
- `crm_tui/ui/watchers.py`: the watchers of an object's reactives are a private attribute,
  `__watchers` (name to a list of (node, callback)); Textual drops an entry only when the value
  changes, and the app drops those of widgets that have gone (`_closing` / `_closed`) sooner.
- `crm_tui/ui/styles_kept.py`: `StylesCache.get_inner_outer` (`textual._styles_cache`) is an
  `lru_cache` keyed by every widget's styles cache it drew with (textual#6665); the app empties
  it (`cache_clear`) at each change of screen. When upstream stops caching that way, this test
  fails and the app's hook can go.
- `crm_tui/ui/new_screens.py`: a screen made while the app runs finds it by Textual's
  `active_app` (`textual._context`).
- `crm_tui/ui/app.py` (`first_inbox`): the app's first screen is marked styled by the app's
  stylesheet as it stands, by `Screen._css_update_count` = `App._css_update_count` (Textual
  compares the two as it shows a screen and refreshes the whole CSS when they differ).
- `crm_tui/ui/screens/base.py` (`AreaScreen._on_screen_resume`): the inbox at start is shown
  without styling it again whole, by `ScreenResume.refresh_styles` set to False before
  Textual's own handler, `Screen._on_screen_resume(event)`, reads it (Textual calls each
  class's own handler in turn, the subclass's first: `MessagePump._get_dispatch_methods`).
- `crm_tui/ui/field_keys.py`: TextArea is recognised by its module,
  `textual.widgets._text_area`, without loading it.
- `crm_tui/ui/broken_screens.py` and `CrmApp._handle_exception`: Textual hands a failure in a
  `compose` (caught in `Widget._compose`) to `App._handle_exception(error)`, which ends the app;
  the app closes the screen that could not be built instead.
- `CrmApp._on_resize`: a size told again unchanged is dropped before Textual's own
  `App._on_resize(event)`, which keeps it as `App._resize_event` and sends it to the screen
  once idle; it reads `App._size` and `App._resize_timer` (a change pending).
- `crm_tui/ui/screens/base.py` (`AreaScreen._compositor_refresh`): the app's first screen is
  first drawn once settled by holding Textual's `Screen._compositor_refresh()` (the drawing
  after each layout and repaint), the widgets it would have drawn cleared from
  `Screen._dirty_widgets` as Textual does, until the screen is idle.
- `crm_tui/ui/widgets/select_on_demand.py`: the Select whose list of choices is made when first
  opened composes `SelectCurrent` alone and mounts `SelectOverlay` (`textual.widgets._select`)
  later, bound to its `compact` under `active_message_pump` (`textual._context`); it stands in
  front of `Select._setup_options_renderables()`, `_watch_value(value)`,
  `_watch_expanded(expanded)` and `_watch_prompt(prompt)`, the only places that reach the list,
  and reads `Select._options`, `_value`, `_type_to_search` and `_allow_blank`.
"""

from __future__ import annotations

import inspect

from textual.app import App
from textual.notifications import Notification, Notifications
from textual.widgets import Footer, Tabs


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_the_private_notification_api_the_toasts_use_keeps_its_shape() -> None:
    from textual.widgets._toast import Toast, ToastHolder

    app: App[None] = App()
    shown = app._notifications
    assert isinstance(shown, Notifications), "App._notifications is no longer a Notifications"
    note = Notification("words", "title", timeout=60)
    shown.add(note)
    assert note in shown and list(shown) == [note], "Notifications: add / in / iterate"
    assert parameters(App._unnotify) == ["self", "notification", "refresh"], \
        "App._unnotify(notification, refresh=...) changed"
    app._unnotify(note, refresh=False)
    assert note not in shown
    assert parameters(App._refresh_notifications) == ["self"], "App._refresh_notifications()"
    assert parameters(App._on_notify) == ["self", "event"], "App._on_notify(event) changed"
    assert Toast(note)._notification is note, "Toast._notification is gone"
    assert "_unnotify(self._notification, refresh=False)" in inspect.getsource(
        Toast._expire), "Toast._expire no longer takes its notification down by _unnotify"
    assert isinstance(ToastHolder(Toast(note)), object), "ToastHolder(toast) changed"


def test_the_private_tabs_and_footer_names_keep_their_shape() -> None:
    from textual.widgets._footer import FooterKey

    assert parameters(Tabs._highlight_active) == ["self", "animate"], \
        "Tabs._highlight_active(animate) changed"
    assert "_bindings_ready" in vars(Footer), "Footer._bindings_ready is gone"
    assert parameters(FooterKey.__init__)[:5] == ["self", "key", "key_display", "description",
                                                  "action"], "FooterKey(key, key_display, "\
                                                             "description, action) changed"


def test_the_private_header_parts_keep_their_shape() -> None:
    from textual.widgets import Header, Static
    from textual.widgets._header import HeaderClock, HeaderClockSpace, HeaderIcon, HeaderTitle

    assert issubclass(HeaderTitle, Static), "HeaderTitle is no longer a Static"
    assert issubclass(HeaderClock, HeaderClockSpace), "HeaderClock(HeaderClockSpace) changed"
    assert "icon" in vars(Header) and "time_format" in vars(Header), \
        "Header.icon / Header.time_format (data-bound by the header's parts) are gone"
    assert "icon" in vars(HeaderIcon) and "time_format" in vars(HeaderClock), \
        "HeaderIcon.icon / HeaderClock.time_format are gone"
    assert Header(show_clock=True)._show_clock is True, "Header._show_clock is gone"
    for name in ("screen_title", "screen_sub_title"):
        assert isinstance(vars(Header).get(name), property), f"Header.{name} is gone"
    composed = inspect.getsource(Header.compose)
    for part in ("HeaderIcon", "HeaderTitle", "HeaderClock", "HeaderClockSpace"):
        assert part in composed, f"Header.compose no longer yields {part}"


def test_a_failure_in_compose_still_reaches_the_apps_handler() -> None:
    from textual.widget import Widget

    assert parameters(App._handle_exception) == ["self", "error"], \
        "App._handle_exception(error) changed"
    assert "self.app._handle_exception(error)" in inspect.getsource(Widget._compose), \
        "Widget._compose no longer hands a failure to App._handle_exception"


def test_the_private_flags_of_a_change_not_yet_painted_keep_their_shape() -> None:
    from textual.screen import Screen
    from textual.widget import Widget

    screen: Screen[None] = Screen()
    for name in ("_layout_required", "_repaint_required", "_scroll_required"):
        assert isinstance(getattr(screen, name, None), bool), f"Screen.{name} is gone"
    assert isinstance(getattr(screen, "_dirty_widgets", None), set), \
        "Screen._dirty_widgets is gone"
    widget = Widget()
    for name in ("_layout_required", "_repaint_required"):
        assert isinstance(getattr(widget, name, None), bool), f"Widget.{name} is gone"


async def test_the_private_watcher_lists_keep_their_shape() -> None:
    """ui/watchers.py: a widget watching the app is entered in `app.__watchers[name]` as
    (node, callback), and a removed widget is `_closing`."""
    from textual.widget import Widget

    from crm_tui.ui.watchers import WATCHERS, forget_closed_watchers

    class Watching(Widget):
        def on_mount(self) -> None:
            self.watch(self.app, "app_focus", self.focus_changed, init=False)

        def focus_changed(self, focus: bool) -> None:
            """Nothing: only its entry is looked at."""

    app: App[None] = App()
    async with app.run_test() as pilot:
        watching = Watching()
        await app.screen.mount(watching)
        entries = getattr(app, WATCHERS)["app_focus"]
        assert any(node is watching for node, _ in entries), \
            "App.__watchers no longer lists (node, callback) by the reactive's name"
        await watching.remove()
        await pilot.pause()
        assert watching._closing, "a removed widget is no longer _closing"
        forget_closed_watchers(app)
        assert not any(node is watching for node, _ in getattr(app, WATCHERS)["app_focus"])


def test_the_private_styles_cache_still_keeps_what_the_app_empties() -> None:
    from textual._styles_cache import StylesCache

    cached = inspect.getattr_static(StylesCache, "get_inner_outer")
    assert callable(getattr(cached, "cache_clear", None)), \
        "StylesCache.get_inner_outer is no longer an lru_cache: ui/styles_kept.py can go"
    assert "self.get_inner_outer(" in inspect.getsource(StylesCache.render_line), \
        "StylesCache no longer looks backgrounds up through get_inner_outer"


def test_the_private_names_of_a_new_screen_and_a_text_area_keep_their_shape() -> None:
    from textual._context import active_app

    app: App[None] = App()
    with app._context():
        assert active_app.get() is app, "textual._context.active_app no longer holds the app"
    import textual.widgets

    assert textual.widgets.TextArea.__module__ == "textual.widgets._text_area", \
        "TextArea moved from textual.widgets._text_area"


def test_the_count_of_css_updates_a_first_screen_is_marked_with_keeps_its_shape() -> None:
    from textual.screen import Screen

    app: App[None] = App()
    assert isinstance(app._css_update_count, int), "App._css_update_count is gone"
    assert Screen()._css_update_count == -1, "Screen._css_update_count no longer starts at -1"
    shown = inspect.getsource(App)
    assert "screen._css_update_count != self._css_update_count" in shown, \
        "App no longer compares a screen's CSS update count with its own when showing it"


def test_the_private_handler_of_a_screen_shown_keeps_its_shape() -> None:
    from textual import events
    from textual.screen import Screen

    assert parameters(Screen._on_screen_resume) == ["self", "event"], \
        "Screen._on_screen_resume(event) changed its shape"
    assert "if event.refresh_styles:" in inspect.getsource(Screen._on_screen_resume), \
        "Screen._on_screen_resume no longer reads ScreenResume.refresh_styles"
    assert events.ScreenResume().refresh_styles is True, "ScreenResume.refresh_styles is gone"
    from textual.message_pump import MessagePump

    assert 'cls.__dict__.get(f"_{method_name}")' in inspect.getsource(
        MessagePump._get_dispatch_methods), \
        "Textual no longer calls each class's own handler in turn, walking the classes"


def test_the_private_handler_of_the_terminals_size_keeps_its_shape() -> None:
    app: App[None] = App()
    assert parameters(App._on_resize) == ["self", "event"], "App._on_resize(event) changed"
    assert app._size is None and app._resize_timer is None, \
        "App._size or App._resize_timer is gone"
    handler = inspect.getsource(App._on_resize)
    assert "self._resize_event = event" in handler and "self._size == event.size" in handler, \
        "App._on_resize no longer keeps an unchanged size to send on"


def test_the_private_drawing_of_a_screen_keeps_its_shape() -> None:
    from textual.screen import Screen

    assert parameters(Screen._compositor_refresh) == ["self"], \
        "Screen._compositor_refresh() changed its shape"
    drawing = inspect.getsource(Screen._compositor_refresh)
    assert "render_update" in drawing and "self._dirty_widgets.clear()" in drawing, \
        "Screen._compositor_refresh no longer draws the screen and clears its dirty widgets"
    assert "self._compositor_refresh()" in inspect.getsource(Screen._on_timer_update), \
        "Textual no longer draws a screen through Screen._compositor_refresh"


def test_the_private_parts_of_a_select_keep_their_shape() -> None:
    from textual._context import active_message_pump  # noqa: F401  still there
    from textual.widgets import Select
    from textual.widgets._select import SelectCurrent, SelectOverlay  # noqa: F401

    compose = inspect.getsource(Select.compose)
    assert "SelectCurrent(self.prompt)" in compose and "SelectOverlay(" in compose, \
        "Select no longer composes SelectCurrent and SelectOverlay"
    for name, shape in (("_setup_options_renderables", ["self"]),
                        ("_watch_value", ["self", "value"]),
                        ("_watch_expanded", ["self", "expanded"]),
                        ("_watch_prompt", ["self", "prompt"])):
        assert parameters(getattr(Select, name)) == shape, f"Select.{name} changed its shape"
    # The list of choices is reached in these (and action_show_overlay) alone: a new place
    # would find no list before it is first opened.
    reaching = [name for name, member in vars(Select).items() if callable(member)
                and "SelectOverlay)" in inspect.getsource(member)]
    assert sorted(reaching) == sorted(["_setup_options_renderables", "_watch_value",
                                       "_watch_expanded", "action_show_overlay",
                                       "_watch_prompt"]), reaching
    select = Select[str]([("a", "a")], allow_blank=False)
    for name in ("_options", "_value", "_type_to_search", "_allow_blank"):
        assert hasattr(select, name), f"Select.{name} is gone"
