"""Finding plaintext: unique markers, and a walk over everything an object keeps alive.

The walk follows what the garbage collector sees (dicts, slots, containers, exception
args and chains) and, for a traceback an exception keeps, the local variables of its
frames: a kept exception keeps its frames' variables alive, and ``--showlocals`` or a
debugger would print them. It does not wander into modules, classes, functions (their
globals and closures are code, not state) or live frames.
"""

from __future__ import annotations

import gc
import sys
import types
import uuid
from collections.abc import Iterator
from typing import Any

_OPAQUE = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
           types.CodeType, types.FrameType)


def marker(tag: str = "plaintext") -> str:
    """A string no test writes anywhere else."""
    return f"{tag}-{uuid.uuid4().hex}"


def reachable(*roots: Any) -> Iterator[Any]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _OPAQUE):
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, types.TracebackType):
            stack.append(obj.tb_next)
            stack.append(dict(obj.tb_frame.f_locals))
            continue
        stack.extend(gc.get_referents(obj))


def holders(needle: str | bytes, *roots: Any) -> list[Any]:
    """Every object reachable from ``roots`` that contains ``needle`` (text or bytes)."""
    raw = needle.encode() if isinstance(needle, str) else needle
    text = needle if isinstance(needle, str) else None
    return [
        obj for obj in reachable(*roots)
        if (text is not None and isinstance(obj, str) and text in obj)
        or (isinstance(obj, (bytes, bytearray, memoryview)) and raw in bytes(obj))
    ]


def mocksm_globals() -> list[dict[str, Any]]:
    """The namespaces of every loaded mocksm module: its caches live there."""
    return [vars(module) for name, module in list(sys.modules.items())
            if name == "mocksm" or name.startswith("mocksm.")]
