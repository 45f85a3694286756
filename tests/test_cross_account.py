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


def test_read_from_another_account_needs_the_key_named_by_arn(
    mocksm: Any, sm: Any, other: Any
) -> None:
    # A key id or alias name without an ARN is looked up in the caller's account, so the
    # other account's read fails in KMS (AWS re:Post "share Secrets Manager secrets between
    # accounts": the secret must name its key by full ARN).
    kms = mocksm.client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/shared", TargetKeyId=key["KeyId"])
    by_id = sm.create_secret(Name="by-id", SecretString="1", KmsKeyId=key["KeyId"])["ARN"]
    by_alias = sm.create_secret(Name="by-alias", SecretString="1", KmsKeyId="alias/shared")["ARN"]
    by_arn = sm.create_secret(Name="by-arn", SecretString="1", KmsKeyId=key["Arn"])["ARN"]
    alias_arn = key["Arn"].replace(f"key/{key['KeyId']}", "alias/shared")
    by_alias_arn = sm.create_secret(Name="by-alias-arn", SecretString="1", KmsKeyId=alias_arn)["ARN"]
    for arn in (by_id, by_alias):
        with unchanged(mocksm), aws_error("AccessDeniedException", "Access to KMS is not allowed"):
            other.get_secret_value(SecretId=arn)
        assert sm.get_secret_value(SecretId=arn)["SecretString"] == "1"  # the owner still reads
    for arn in (by_arn, by_alias_arn):
        assert other.get_secret_value(SecretId=arn)["SecretString"] == "1"
    out = other.batch_get_secret_value(SecretIdList=[by_arn, by_alias])
    assert [v["ARN"] for v in out["SecretValues"]] == [by_arn]
    assert out["Errors"] == [
        {"SecretId": by_alias, "ErrorCode": "AccessDeniedException",
         "Message": "Access to KMS is not allowed"}
    ]


def test_names_resolve_in_the_callers_account_and_batch_mixes_accounts(
    mocksm: Any, sm: Any, other: Any
) -> None:
    key_arn = mocksm.client("kms").create_key()["KeyMetadata"]["Arn"]
    theirs = sm.create_secret(Name="shared", SecretString="owner", KmsKeyId=key_arn)["ARN"]
    plain = sm.create_secret(Name="plain", SecretString="owner")["ARN"]
    mine = other.create_secret(Name="shared", SecretString="mine")["ARN"]
    assert other.get_secret_value(SecretId="shared")["SecretString"] == "mine"
    with aws_error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."):
        other.describe_secret(SecretId="plain")
    assert other.get_secret_value(SecretId=theirs.rsplit("-", 1)[0])["SecretString"] == "owner"
    out = other.batch_get_secret_value(SecretIdList=["shared", theirs, plain])
    assert [(v["ARN"], v["SecretString"]) for v in out["SecretValues"]] == [
        (mine, "mine"), (theirs, "owner")
    ]
    assert out["Errors"] == [
        {"SecretId": plain, "ErrorCode": "InvalidRequestException", "Message": DEFAULT_KEY}
    ]
    assert [s["ARN"] for s in other.list_secrets()["SecretList"]] == [mine]
    other.delete_secret(SecretId=plain)
    other.restore_secret(SecretId=plain)
    assert "DeletedDate" not in sm.describe_secret(SecretId=plain)
