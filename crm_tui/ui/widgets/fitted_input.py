"""An input whose hint (placeholder) fits its width: cut at a word with "…" when the field is
narrower than the hint, never mid-phrase with nothing to say so (b15e F8: the inbox's search
read "Search: customer," at 80 columns)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.widgets import Input


def fitted_hint(hint: str, width: int) -> str:
    """`hint` whole if it fits `width` cells, else as many whole words as fit and "…"."""
    if cell_len(hint) <= width:
        return hint
    words, kept = hint.split(), ""
    for word in words:
        longer = f"{kept} {word}" if kept else word
        # Measured as shown: a comma before the cut is dropped for the "…" (found when
        # tried: "Search: customer, reference," did not fit, and the field said only
        # "Search: customer…" with room for "reference…").
        if cell_len(_cut(longer)) + 1 > width:
            break
        kept = longer
    return f"{_cut(kept)}…" if kept else "…"


def _cut(words: str) -> str:
    return words.rstrip(",;:(")


class FittedInput(Input):
    """An Input whose placeholder is cut at a word, with "…", to the field's width."""

    def __init__(self, *, placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(placeholder=placeholder, **kwargs)
        self.full_hint = placeholder

    def on_resize(self, event: events.Resize) -> None:
        # One cell is the cursor's, at the end of what is shown.
        self.placeholder = fitted_hint(self.full_hint, max(1, self.content_size.width - 1))
