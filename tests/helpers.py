"""Small assertions the test modules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.exceptions import ClientError


@contextmanager
def aws_error(code: str, message: str | None = None, status: int = 400) -> Iterator[None]:
    """Expect a ClientError with exactly this code, message (if given) and HTTP status."""
    with pytest.raises(ClientError) as caught:
        yield
    error = caught.value.response["Error"]
    assert error["Code"] == code, error
    if message is not None:
        assert error["Message"] == message, error
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def unchanged(snapshot: Callable[[], Any]) -> Any:
    """Take a snapshot now; call the returned checker after a failing call."""
    before = snapshot()

    def check() -> None:
        assert snapshot() == before

    return check
