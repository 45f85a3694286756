"""Calls made from another account on a secret reached by its ARN (spec 4.3, 4.7.5)."""

from __future__ import annotations

from typing import Any

import pytest
from core_support import unchanged
from helpers import aws_error

OTHER = "210987654321"
DEFAULT_KEY = (
    "You can't access a secret from a different AWS account if you encrypt the secret "
    "with the default KMS service key."
)


@pytest.fixture
def sm(mocksm: Any) -> Any:
    return mocksm.client("secretsmanager")


@pytest.fixture
def other(mocksm: Any) -> Any:
    return mocksm.client(aws_access_key_id=OTHER, aws_secret_access_key="x")


def test_update_secret_value_from_another_account_needs_a_customer_key(
    mocksm: Any, sm: Any, other: Any
) -> None:
    # AWS UpdateSecret reference (KmsKeyId): the AWS managed key can only be used with
    # credentials of the account that owns the secret.
    arn = sm.create_secret(Name="s", SecretString="1")["ARN"]
    with unchanged(mocksm):
        with aws_error("InvalidRequestException", DEFAULT_KEY):
            other.update_secret(SecretId=arn, SecretString="2")
        with aws_error("InvalidRequestException", DEFAULT_KEY):
            other.update_secret(SecretId=arn, SecretBinary=b"2", Description="d")
    # Metadata-only updates touch no key and stay allowed.
    other.update_secret(SecretId=arn, Description="d")
    assert sm.describe_secret(SecretId=arn)["Description"] == "d"
    assert sm.get_secret_value(SecretId=arn)["SecretString"] == "1"


def test_update_secret_from_another_account_cannot_switch_to_the_default_key(
    mocksm: Any, sm: Any, other: Any
) -> None:
    key_arn = mocksm.client("kms").create_key()["KeyMetadata"]["Arn"]
    arn = sm.create_secret(Name="s", SecretString="1", KmsKeyId=key_arn)["ARN"]
    with unchanged(mocksm):
        with aws_error("InvalidRequestException", DEFAULT_KEY):
            other.update_secret(SecretId=arn, KmsKeyId="")
        with aws_error("InvalidRequestException", DEFAULT_KEY):
            other.update_secret(SecretId=arn, KmsKeyId="alias/aws/secretsmanager", SecretString="2")
    # Under the owner's customer key, named by ARN, the other account can write and read.
    out = other.update_secret(SecretId=arn, SecretString="2")
    assert other.get_secret_value(SecretId=arn)["VersionId"] == out["VersionId"]
    assert other.get_secret_value(SecretId=arn)["SecretString"] == "2"
