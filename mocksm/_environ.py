"""Putting process environment variables back as they were (the mock's fake credentials
and Region, and the Lambda environment a rotation function runs in)."""

from __future__ import annotations

import os
from collections.abc import Mapping


def restore(saved: Mapping[str, str | None]) -> None:
    """Set each variable in ``saved`` back to its value; ``None`` means it was unset."""
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
