"""The Secrets Manager operation table: one handler per API operation.

A handler takes the call context and the validated request parameters and returns
the output as a plain dict (timestamps as epoch floats, blobs as bytes). Modules
register their handlers with ``@operation``; ``table()`` imports them on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from mocksm.secretsmanager.call import Call

Handler = Callable[[Call, dict[str, Any]], dict[str, Any]]

_OPERATIONS: dict[str, Handler] = {}
_MODULES = (
    "secrets",
    "versions",
    "rotation",
    "replication",
    "lifecycle",
    "tagging",
    "password",
    "policies",
    "listing",
)


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _OPERATIONS[name] = handler
        return handler

    return register


_loaded = False


def table() -> dict[str, Handler]:
    """Every registered handler; the modules are imported once, on first use (a module
    imported earlier on its own must not make the table look complete)."""
    global _loaded
    if not _loaded:
        for module in _MODULES:
            importlib.import_module(f"{__name__}.{module}")
        _loaded = True
    return _OPERATIONS
