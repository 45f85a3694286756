"""pytest integration: the ``mocksm`` fixture (an active mock, yielding its handle),
``secretsmanager_client``, and the ``mocksm`` marker for options:

    @pytest.mark.mocksm(region="eu-west-1", kms_key_change_mode="classic")
    def test_something(mocksm, secretsmanager_client): ...

The marker also takes ``rotation_functions={name_or_arn: handler}``: each is registered
with ``handle.register_rotation_function`` before the test runs (``"builtin"`` names
mocksm's built-in rotation function).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "mocksm(**options): options for the mocksm fixture (see mock_secretsmanager)"
    )


@pytest.fixture
def mocksm(request: pytest.FixtureRequest) -> Iterator[Any]:
    """An active ``mock_secretsmanager`` for the test; yields its handle."""
    from mocksm import mock_secretsmanager

    options: dict[str, Any] = {}
    for marker in reversed(list(request.node.iter_markers("mocksm"))):
        options.update(marker.kwargs)
    functions = options.pop("rotation_functions", None) or {}
    with mock_secretsmanager(**options) as handle:
        for name_or_arn, handler in functions.items():
            handle.register_rotation_function(name_or_arn, handler)
        yield handle


@pytest.fixture
def secretsmanager_client(mocksm: Any) -> Any:
    """A boto3 Secrets Manager client in the mock's region."""
    return mocksm.client("secretsmanager")
