"""pytest integration: the ``mocksm`` fixture (an active mock, yielding its handle),
``secretsmanager_client``, and the ``mocksm`` marker for options:

    @pytest.mark.mocksm(region="eu-west-1", kms_key_change_mode="classic")
    def test_something(mocksm, secretsmanager_client): ...

The marker also takes ``rotation_functions={name_or_arn: handler}``: each is registered
with ``handle.register_rotation_function`` before the test runs (``"builtin"`` names
mocksm's built-in rotation function).

An autouse fixture keeps the mock's fake AWS variables from leaking through
``monkeypatch`` into later tests (see ``_mocksm_environment``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "mocksm(**options): options for the mocksm fixture (see mock_secretsmanager)"
    )


@pytest.fixture(autouse=True)
def _mocksm_environment(request: pytest.FixtureRequest) -> None:
    """A test that uses ``monkeypatch`` and the mock (fixture or decorator) has the AWS
    variables the mock manages recorded in monkeypatch first. Otherwise, when the mock
    stops before monkeypatch undoes its changes, monkeypatch puts back the mock's fake
    credentials and region, and they leak into every later test."""
    if "monkeypatch" not in request.fixturenames:
        return
    from mocksm._mock import MANAGED_ENV, is_decorated

    if not (
        "mocksm" in request.fixturenames
        or is_decorated(request.function)
        or (request.cls is not None and is_decorated(request.cls))
    ):
        return
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    for key in MANAGED_ENV:
        value = os.environ.get(key)
        # monkeypatch records nothing for deleting an absent key: set it first, so undo
        # ends by deleting it again.
        monkeypatch.setenv(key, "" if value is None else value)
        if value is None:
            monkeypatch.delenv(key)


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
