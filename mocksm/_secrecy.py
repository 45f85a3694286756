"""Keeping an exception without keeping the values its frames saw.

mocksm keeps some exceptions long after the call that raised them
(``handle.last_internal_error``, ``RotationAttempt.error``). A traceback holds its frames,
and a frame holds its local variables: the request being served, a value just decrypted,
what a rotation function read and wrote, the rotation token. Kept, they would stay in
memory for the whole activation and show up under ``pytest --showlocals`` or a debugger.
What a printed traceback shows (files, lines, source) does not need them.
"""

from __future__ import annotations

import traceback
from types import TracebackType

# What stands for a sensitive member's value wherever one would be shown (AWS's own
# validation messages and SDKs print the same).
REDACTED = "*** Sensitive Data Redacted ***"


def without_locals(exc: BaseException) -> BaseException:
    """``exc`` (and the exceptions chained to it), their frames' variables cleared.

    Frames still running (the code that caught ``exc``) cannot be cleared; they are left
    out of the traceback, which then starts where the failing call began.
    """
    pending: list[BaseException | None] = [exc]
    seen: set[int] = set()
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        error.__traceback__ = _finished(error.__traceback__)
        traceback.clear_frames(error.__traceback__)
        pending += [error.__cause__, error.__context__]
        inner = getattr(error, "exceptions", ())  # an exception group's members
        if isinstance(inner, tuple):
            pending += [item for item in inner if isinstance(item, BaseException)]
    return exc


def _finished(tb: TracebackType | None) -> TracebackType | None:
    """``tb`` from its first frame that has finished running (the ones before it are the
    callers still on the stack)."""
    while tb is not None:
        try:
            tb.tb_frame.clear()
        except RuntimeError:  # still executing
            tb = tb.tb_next
            continue
        return tb
    return None
