"""What keeps an object alive: for a test's failure message, when a closed screen is still
alive after a collection (tests/ui/test_closing_keeps_nothing_ui.py failed once in a few full
runs, naming a different screen each time, and never when run alone: the message must say what
held it)."""

from __future__ import annotations

import gc
import sys
import types
from typing import Any

_STEPS = 14        # how far back from the object the chains are followed
_KEPT = 12         # chains given at most
_WIDTH = 300       # objects looked at per step


def _module_globals(holder: Any) -> bool:
    return isinstance(holder, dict) and "__name__" in holder and "__builtins__" in holder


def _described(holder: Any, held: Any) -> str:
    if _module_globals(holder):
        keys = [k for k, v in holder.items() if v is held][:2]
        return f"module {holder['__name__']} {keys!r}"
    if isinstance(holder, dict):
        keys = [k for k, v in holder.items() if v is held][:2]
        return f"dict{keys!r}" if keys else "dict"
    if isinstance(holder, types.FrameType):
        code = holder.f_code
        return f"frame {code.co_name} ({code.co_filename.rsplit('/', 1)[-1]}:{holder.f_lineno})"
    if isinstance(holder, (types.FunctionType, types.MethodType)):
        return f"{type(holder).__name__} {getattr(holder, '__qualname__', '?')}"
    if isinstance(holder, types.CellType):
        return "cell"
    kind = type(holder)
    return f"{kind.__module__}.{kind.__qualname__}"


def _is_root(holder: Any) -> bool:
    # A module's globals stand for the module (every function of it holds them too).
    return isinstance(holder, (types.ModuleType, types.FrameType)) or _module_globals(holder)


def holders(target: Any, ignore: list[Any]) -> list[str]:
    """Chains from what holds `target` back to a module, a running frame or a step limit,
    nearest first; `ignore`: the caller's own containers and frames."""
    skipped = {id(x) for x in ignore}
    here = sys._getframe()
    skipped.update((id(here), id(here.f_back)))
    seen = {id(target)}
    chains: list[str] = []
    # The objects of each step in a list, their paths apart (by id): a tuple of the two
    # would itself be found holding each object.
    paths: dict[int, list[str]] = {id(target): []}
    frontier: list[Any] = [target]
    skipped.update((id(paths), id(frontier), id(chains)))
    for _ in range(_STEPS):
        following: list[Any] = []
        skipped.add(id(following))
        for held in frontier:
            path = paths[id(held)]
            for holder in gc.get_referrers(held):
                if id(holder) in seen or id(holder) in skipped:
                    continue
                seen.add(id(holder))
                step = [*path, _described(holder, held)]
                if _is_root(holder):
                    chains.append(" <- ".join(step))
                else:
                    paths[id(holder)] = step
                    following.append(holder)
                if len(chains) >= _KEPT:
                    return chains
        if not following:
            break
        skipped.add(id(frontier))
        frontier = following[:_WIDTH]
    chains.extend(" <- ".join(paths[id(held)]) + " <- …" for held in frontier[:3])
    return chains


def threads_now() -> list[str]:
    """Each thread running and where it is (the innermost frames)."""
    import threading

    names = {t.ident: t.name for t in threading.enumerate()}
    said = []
    for ident, frame in sys._current_frames().items():
        where = []
        while frame is not None and len(where) < 4:
            where.append(f"{frame.f_code.co_name}:{frame.f_lineno}")
            frame = frame.f_back
        said.append(f"{names.get(ident, ident)}: {' < '.join(where)}")
    return said


def why_kept(objects: list[Any], ignore: list[Any]) -> str:
    """A failure message's account of what keeps each of `objects` alive."""
    lines = []
    for obj in objects:
        lines.append(f"{type(obj).__name__} (attached: {getattr(obj, 'is_attached', '?')}, "
                     f"closed: {getattr(obj, '_closed', '?')}) held by:")
        lines.extend(f"  {chain}" for chain in holders(obj, [*ignore, objects]))
    lines.append("threads:")
    lines.extend(f"  {thread}" for thread in threads_now())
    return "\n".join(lines)
