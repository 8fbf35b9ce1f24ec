"""Wrap a function of a module so that each call's time adds to a named total: how the
start-up profile and the destruction benchmark find where their time goes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def time_calls(owner: Any, name: str, took: dict[str, float], step: str | None = None, *,
               scale: float = 1.0) -> None:
    """Replace `owner.name` by a wrapper adding each call's seconds times `scale` to
    `took[step]` (`step` defaults to the function's name)."""
    real: Callable[..., Any] = getattr(owner, name)
    key = step or name

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            took[key] = took.get(key, 0.0) + (time.perf_counter() - started) * scale

    setattr(owner, name, timed)
