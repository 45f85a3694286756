"""Decorated generators (pytest yield fixtures) keep the mock active while they run."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import botocore.client
import pytest

from mocksm import mock_secretsmanager

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

ORIGINAL_MAKE_REQUEST = botocore.client.BaseClient._make_request


def _client() -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1")


def test_decorated_generator_is_mocked_while_it_runs() -> None:
    @mock_secretsmanager
    def made() -> Iterator[Any]:
        client = _client()
        client.create_secret(Name="g", SecretString="v")
        yield client
        yield client.get_secret_value(SecretId="g")["SecretString"]

    steps = made()
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST
    client = next(steps)
    assert client.get_secret_value(SecretId="g")["SecretString"] == "v"
    assert next(steps) == "v"
    steps.close()
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def test_decorated_async_generator_is_mocked_while_it_runs() -> None:
    @mock_secretsmanager
    async def made() -> AsyncIterator[str]:
        client = _client()
        client.create_secret(Name="g", SecretString="v")
        await asyncio.sleep(0)
        yield client.get_secret_value(SecretId="g")["SecretString"]
        yield "second"

    async def main() -> list[Any]:
        steps = made()
        first = await steps.__anext__()
        active = botocore.client.BaseClient._make_request is not ORIGINAL_MAKE_REQUEST
        await steps.aclose()
        return [first, active]

    assert asyncio.run(main()) == ["v", True]
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def test_decorated_yield_fixture_in_a_user_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import botocore.client
        import pytest
        from mocksm import mock_secretsmanager

        ORIGINAL = botocore.client.BaseClient._make_request

        @pytest.fixture
        @mock_secretsmanager
        def client():
            client = boto3.client("secretsmanager", region_name="us-east-1")
            client.create_secret(Name="from-fixture", SecretString="v")
            yield client

        def test_uses_fixture(client):
            assert client.get_secret_value(SecretId="from-fixture")["SecretString"] == "v"

        def test_nothing_left_active():
            assert botocore.client.BaseClient._make_request is ORIGINAL
        """
    )
    result = pytester.runpytest("-q", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2)

