"""Waiting for the app to repaint, for the in-app timings."""

from __future__ import annotations

import asyncio
import time
from typing import Any


async def repainted(app: Any) -> float:
    """The moment the refresh after everything queued so far has been painted."""
    done = asyncio.Event()
    stamp: list[float] = []

    def mark() -> None:
        stamp.append(time.perf_counter())
        done.set()

    app.call_after_refresh(mark)
    await done.wait()
    return stamp[0]
