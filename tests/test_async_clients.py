"""aiobotocore (and aioboto3, built on it) clients under the mock. Skipped where
aiobotocore is not installed: its releases pin an older botocore than mocksm's floor, so
it runs only in an environment made for it (see docs/decisions.md, "Audit (using mocksm)")."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mocksm import UnmockedServiceError, mock_secretsmanager

aio_session = pytest.importorskip("aiobotocore.session")
aio_client = pytest.importorskip("aiobotocore.client")

ORIGINAL_AIO_MAKE_REQUEST = aio_client.AioBaseClient._make_request


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_aiobotocore_calls_are_served_in_process() -> None:
    async def main() -> list[Any]:
        async with mock_secretsmanager() as handle:
            session = aio_session.get_session()
            async with session.create_client("secretsmanager", region_name="us-east-1") as c:
                first = await c.create_secret(Name="aio/db", SecretString="one")
                await c.put_secret_value(SecretId="aio/db", SecretString="two")
                current = await c.get_secret_value(SecretId="aio/db")
                previous = await c.get_secret_value(SecretId="aio/db", VersionStage="AWSPREVIOUS")
                try:
                    await c.describe_secret(SecretId="aio/missing")
                except c.exceptions.ResourceNotFoundException as error:
                    missing = (error.response["Error"], error.response["ResponseMetadata"]
                               ["HTTPStatusCode"])
                return [first["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:"
                                                "secret:aio/db-"),
                        current["SecretString"], previous["SecretString"],
                        type(current["CreatedDate"]).__name__, missing,
                        [s.name for s in handle.secrets()]]

    assert _run(main()) == [
        True, "two", "one", "datetime",
        ({"Code": "ResourceNotFoundException",
          "Message": "Secrets Manager can't find the specified secret."}, 400),
        ["aio/db"],
    ]
    assert aio_client.AioBaseClient._make_request is ORIGINAL_AIO_MAKE_REQUEST


def test_aiobotocore_other_services_are_refused() -> None:
    async def main() -> None:
        with mock_secretsmanager():
            session = aio_session.get_session()
            async with session.create_client("s3", region_name="us-east-1") as s3:
                await s3.list_buckets()

    with pytest.raises(UnmockedServiceError, match=r"^mocksm refused s3\.ListBuckets: "):
        _run(main())


def test_aiobotocore_validation_error_from_the_server_side() -> None:
    from botocore.config import Config

    async def main() -> Any:
        with mock_secretsmanager():
            session = aio_session.get_session()
            config = Config(parameter_validation=False)
            async with session.create_client(
                "secretsmanager", region_name="us-east-1", config=config
            ) as c:
                try:
                    await c.create_secret(Name="")
                except c.exceptions.ClientError as error:
                    return error.response["Error"]
        return None

    assert _run(main()) == {
        "Code": "ValidationException",
        "Message": "1 validation error detected: Value '' at 'name' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1",
    }


def test_aiobotocore_twelve_digit_access_key_is_the_caller_account() -> None:
    async def main() -> str:
        with mock_secretsmanager():
            session = aio_session.get_session()
            async with session.create_client(
                "secretsmanager", region_name="eu-west-1",
                aws_access_key_id="210987654321", aws_secret_access_key="x",
            ) as c:
                return str((await c.create_secret(Name="other", SecretString="v"))["ARN"])

    assert _run(main()).startswith("arn:aws:secretsmanager:eu-west-1:210987654321:secret:other-")
