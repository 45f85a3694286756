"""Where a rotation function runs: the thread-local "a function is running here" mark
(due rotations do not start inside one, and the mock's outermost stop waits for running
ones) and the process environment Lambda would give it."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from mocksm import _environ

if TYPE_CHECKING:
    from mocksm._state import MockState

_local = threading.local()


@contextmanager
def running_function(state: MockState) -> Iterator[bool]:
    """While a rotation function runs on this thread, due rotations are not started, and
    the mock's outermost stop waits for it (its calls back in must not reach AWS). Yields
    False once that stop has begun: the function must not run at all then."""
    previous = getattr(_local, "busy", False)
    _local.busy = True
    with state.lock:
        live = not state.closed
        if live:
            state.rotations_running += 1
    try:
        yield live
    finally:
        _local.busy = previous
        if live:
            with state.lock:
                state.rotations_running -= 1
                state.rotations_idle.notify_all()


def running_here() -> bool:
    """Whether this thread is running a rotation function (it cannot wait for itself)."""
    return bool(getattr(_local, "busy", False))


# The environment is the process's: functions running at once on several threads share
# it. The first one in saves what was there, the last one out puts it back (each saving
# and restoring its own would leave a value behind when they finish out of order).
_env_lock = threading.Lock()
_env_saved: dict[str, str | None] = {}
_env_running: list[dict[str, str]] = []  # the Lambda environment of each running function


@contextmanager
def lambda_environment(region: str, name: str) -> Iterator[None]:
    """The environment Lambda gives a function: its region and name (restored after)."""
    values = {"AWS_REGION": region, "AWS_DEFAULT_REGION": region,
              "AWS_LAMBDA_FUNCTION_NAME": name}
    with _env_lock:
        if not _env_running:
            _env_saved.update({key: os.environ.get(key) for key in values})
        _env_running.append(values)
        os.environ.update(values)
    try:
        yield
    finally:
        with _env_lock:
            _env_running.remove(values)
            if _env_running:
                os.environ.update(_env_running[-1])
            else:
                _environ.restore(_env_saved)
                _env_saved.clear()
