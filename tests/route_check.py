"""Strict equality for the differential tests of the two answer routes: same keys in
the same order, same types all the way down (datetimes with equal tzinfo, bytes)."""

from __future__ import annotations

import datetime as _dt
from typing import Any


def assert_same(fast: Any, faithful: Any, path: str = "") -> None:
    where = path or "<top>"
    assert type(fast) is type(faithful), (
        f"{where}: {type(fast).__name__} != {type(faithful).__name__}"
    )
    if isinstance(fast, dict):
        assert list(fast) == list(faithful), f"{where}: keys {list(fast)} != {list(faithful)}"
        for key in fast:
            assert_same(fast[key], faithful[key], f"{path}.{key}")
    elif isinstance(fast, list):
        assert len(fast) == len(faithful), f"{where}: lengths {len(fast)} != {len(faithful)}"
        for i, (a, b) in enumerate(zip(fast, faithful, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(fast, _dt.datetime):
        assert fast == faithful, f"{where}: {fast!r} != {faithful!r}"
        assert repr(fast) == repr(faithful), f"{where}: {fast!r} != {faithful!r}"
        assert fast.tzinfo == faithful.tzinfo, f"{where}: {fast.tzinfo!r} != {faithful.tzinfo!r}"
        assert fast.utcoffset() == faithful.utcoffset(), where
        assert fast.fold == faithful.fold, where
        assert fast.tzname() == faithful.tzname(), where
    else:
        assert fast == faithful, f"{where}: {fast!r} != {faithful!r}"


def cross_check(operation_model: Any, fast: dict[str, Any], faithful: dict[str, Any]) -> None:
    """Installed as ``mocksm._patch.route.cross_check``: every call answered both ways."""
    try:
        assert_same(fast, faithful)
    except AssertionError as exc:
        raise AssertionError(
            f"fast route differs from botocore's parser in {operation_model.name}: {exc}"
        ) from None
