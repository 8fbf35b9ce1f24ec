"""Rendered lines Textual keeps of widgets that have gone.

Textual 8.2's `StylesCache.get_inner_outer` is an `lru_cache(1024)` on an instance method
(textual/_styles_cache.py; upstream Textualize/textual#6665): each widget's `StylesCache` it has
drawn with is a key, kept with every line that widget rendered, after the widget has gone. Up
to 1024 closed widgets were kept that way (~10 MB at 100x30, more in a wider terminal or with
long tables). The app empties it at each change of screen, when the widgets of a closed screen
have just gone: what it costs is two styles computed again per pair of backgrounds drawn.
tests/ui/test_textual_private.py fails when the cache stops being one (fixed upstream, and then
this can go).
"""

from __future__ import annotations

from textual._styles_cache import StylesCache


def forget_gone_styles() -> None:
    """Let go of the style caches of widgets drawn before (those still on show fill it again
    at their next paint)."""
    StylesCache.get_inner_outer.cache_clear()
