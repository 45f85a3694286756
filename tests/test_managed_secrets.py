"""Secrets owned by another AWS service, made with handle.create_managed_secret (spec 4.13)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mocksm import ServiceError
from tests.helpers import aws_error

MANAGED = "This secret is managed by an AWS service, and you must use that service to update it."
NAME = "rds!cluster-3f1e2d4c-aaaa-bbbb-cccc-0123456789ab"


@pytest.fixture
def sm(mocksm: Any) -> Any:
    return mocksm.client("secretsmanager")


def test_managed_secret_is_described_and_readable(mocksm: Any, sm: Any) -> None:
    out = mocksm.create_managed_secret("rds", NAME, SecretString='{"password": "p"}', Description="db")
    assert set(out) == {"ARN", "Name", "VersionId"}
    described = sm.describe_secret(SecretId=NAME)
    assert described["OwningService"] == "rds"
    assert described["Tags"] == [{"Key": "aws:secretsmanager:owningService", "Value": "rds"}]
    assert described["Description"] == "db"
    assert json.loads(sm.get_secret_value(SecretId=out["ARN"])["SecretString"]) == {"password": "p"}


def test_user_writes_are_refused_and_change_nothing(mocksm: Any, sm: Any) -> None:
    out = mocksm.create_managed_secret("rds", NAME, SecretString="v")
    arn, version = out["ARN"], out["VersionId"]

    def snapshot() -> dict[str, Any]:
        described = sm.describe_secret(SecretId=arn)
        described.pop("ResponseMetadata")
        return described

    before = snapshot()
    writes = [
        lambda: sm.update_secret(SecretId=arn, Description="x"),
        lambda: sm.put_secret_value(SecretId=arn, SecretString="x"),
        lambda: sm.update_secret_version_stage(SecretId=arn, VersionStage="X", MoveToVersionId=version),
        lambda: sm.delete_secret(SecretId=arn),
        lambda: sm.put_resource_policy(SecretId=arn, ResourcePolicy="{}"),
    ]
    for write in writes:
        with aws_error("InvalidRequestException", MANAGED):
            write()
    assert snapshot() == before
    assert sm.get_secret_value(SecretId=arn)["SecretString"] == "v"


def test_names_users_cannot_create_and_bad_input(mocksm: Any, sm: Any) -> None:
    with aws_error("ValidationException"):
        sm.create_secret(Name=NAME, SecretString="v")
    with pytest.raises(ServiceError) as caught:
        mocksm.create_managed_secret("rds", "bad name", SecretString="v")
    assert caught.value.code == "ValidationException"
    with pytest.raises(ServiceError) as caught:
        mocksm.create_managed_secret("rds", NAME, SecretString="v", Tags=[{"Key": "aws:x", "Value": "y"}])
    assert caught.value.code == "InvalidParameterException"
    assert mocksm.secrets() == []


def test_managed_secret_binary_and_region(mocksm: Any) -> None:
    out = mocksm.create_managed_secret("redshift", "redshift!x", region="eu-west-1", SecretBinary=b"\x00\x01")
    assert ":eu-west-1:" in out["ARN"]
    west = mocksm.client("secretsmanager", region="eu-west-1")
    assert west.get_secret_value(SecretId="redshift!x")["SecretBinary"] == b"\x00\x01"
