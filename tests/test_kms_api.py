"""The boto3 ``kms`` client against the embedded KMS: keys, aliases, states, tags,
cryptography, and KMS's own error codes and messages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers import aws_error

ACCOUNT = "123456789012"
REGION = "us-east-1"
ARN_PREFIX = f"arn:aws:kms:{REGION}:{ACCOUNT}"


@pytest.fixture
def kms(mocksm: Any) -> Any:
    return mocksm.client("kms")


def _key(kms: Any, **kwargs: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = kms.create_key(**kwargs)["KeyMetadata"]
    return metadata


def test_create_key_metadata_has_the_fields_kms_returns(kms: Any) -> None:
    meta = _key(kms, Description="test key 123")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", meta["KeyId"])
    assert meta["Arn"] == f"{ARN_PREFIX}:key/{meta['KeyId']}"
    created = meta.pop("CreationDate")
    assert created.year >= 2024
    assert meta == {
        "AWSAccountId": ACCOUNT,
        "KeyId": meta["KeyId"],
        "Arn": meta["Arn"],
        "Description": "test key 123",
        "Enabled": True,
        "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
        "KeyManager": "CUSTOMER",
        "KeySpec": "SYMMETRIC_DEFAULT",
        "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
        "KeyState": "Enabled",
        "KeyUsage": "ENCRYPT_DECRYPT",
        "MultiRegion": False,
        "Origin": "AWS_KMS",
        "CurrentKeyMaterialId": meta["CurrentKeyMaterialId"],
    }
    assert re.fullmatch(r"[0-9a-f]{64}", meta["CurrentKeyMaterialId"])


def test_multi_region_key_gets_mrk_id(kms: Any) -> None:
    meta = _key(kms, MultiRegion=True)
    assert re.fullmatch(r"mrk-[0-9a-f]{32}", meta["KeyId"])
    assert meta["MultiRegion"] is True
    assert meta["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"


def test_describe_key_by_every_identifier_form(kms: Any) -> None:
    meta = _key(kms)
    kms.create_alias(AliasName="alias/app", TargetKeyId=meta["KeyId"])
    for ref in (meta["KeyId"], meta["Arn"], "alias/app", f"{ARN_PREFIX}:alias/app"):
        assert kms.describe_key(KeyId=ref)["KeyMetadata"]["KeyId"] == meta["KeyId"]


def test_describe_key_errors_use_kms_words(kms: Any) -> None:
    missing = "0b1f5f4e-8a4a-4f0e-9a57-4f1e9d1c2b3a"
    with aws_error("NotFoundException", f"Key '{ARN_PREFIX}:key/{missing}' does not exist"):
        kms.describe_key(KeyId=missing)
    with aws_error("NotFoundException", f"Key '{ARN_PREFIX}:key/{missing}' does not exist"):
        kms.describe_key(KeyId=f"{ARN_PREFIX}:key/{missing}")
    with aws_error("NotFoundException", "Invalid keyId 'fake-key-id'"):
        kms.describe_key(KeyId="fake-key-id")
    with aws_error("NotFoundException", f"Alias {ARN_PREFIX}:alias/nope is not found."):
        kms.describe_key(KeyId="alias/nope")
    with aws_error("NotFoundException", "Invalid arn eu-west-1"):
        kms.describe_key(KeyId=f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/{missing}")


def test_kms_error_body_carries_modeled_lowercase_message(kms: Any) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as caught:
        kms.describe_key(KeyId="alias/nope")
    assert caught.value.response["message"] == caught.value.response["Error"]["Message"]
    assert isinstance(caught.value, kms.exceptions.NotFoundException)


def test_describing_the_secretsmanager_alias_creates_the_aws_managed_key(kms: Any) -> None:
    assert kms.list_keys()["Keys"] == []
    meta = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]
    assert meta["KeyManager"] == "AWS"
    assert meta["Description"] == (
        "Default key that protects my Secrets Manager data when no other key is defined"
    )
    aliases = kms.list_aliases()["Aliases"]
    assert [(a["AliasName"], a["TargetKeyId"]) for a in aliases] == [
        ("alias/aws/secretsmanager", meta["KeyId"])
    ]


def test_list_keys_paginates_with_marker(kms: Any) -> None:
    ids = [_key(kms)["KeyId"] for _ in range(3)]
    first = kms.list_keys(Limit=2)
    assert [k["KeyId"] for k in first["Keys"]] == ids[:2]
    assert first["Truncated"] is True
    second = kms.list_keys(Limit=2, Marker=first["NextMarker"])
    assert [k["KeyId"] for k in second["Keys"]] == ids[2:]
    assert second["Truncated"] is False and "NextMarker" not in second
    assert second["Keys"][0]["KeyArn"] == f"{ARN_PREFIX}:key/{ids[2]}"
    with aws_error("InvalidMarkerException", "Invalid marker."):
        kms.list_keys(Marker="bogus")
    paginated = [k["KeyId"] for page in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1})
                 for k in page["Keys"]]
    assert paginated == ids


def test_alias_lifecycle(kms: Any) -> None:
    one, two = _key(kms)["KeyId"], _key(kms)["KeyId"]
    kms.create_alias(AliasName="alias/app", TargetKeyId=one)
    with aws_error("AlreadyExistsException", f"An alias with the name {ARN_PREFIX}:alias/app already exists"):
        kms.create_alias(AliasName="alias/app", TargetKeyId=two)
    kms.update_alias(AliasName="alias/app", TargetKeyId=two)
    entry = kms.list_aliases()["Aliases"][0]
    assert entry["AliasName"] == "alias/app"
    assert entry["AliasArn"] == f"{ARN_PREFIX}:alias/app"
    assert entry["TargetKeyId"] == two
    assert kms.list_aliases(KeyId=one)["Aliases"] == []
    assert [a["AliasName"] for a in kms.list_aliases(KeyId=two)["Aliases"]] == ["alias/app"]
    kms.delete_alias(AliasName="alias/app")
    assert kms.list_aliases()["Aliases"] == []
    with aws_error("NotFoundException", f"Alias {ARN_PREFIX}:alias/app is not found."):
        kms.delete_alias(AliasName="alias/app")
    with aws_error("NotFoundException", f"Alias {ARN_PREFIX}:alias/app is not found."):
        kms.update_alias(AliasName="alias/app", TargetKeyId=one)


def test_alias_name_rules(kms: Any) -> None:
    key_id = _key(kms)["KeyId"]
    with aws_error(
        "ValidationException",
        'Alias must start with the prefix "alias/". Please see '
        "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html",
    ):
        kms.create_alias(AliasName="app", TargetKeyId=key_id)
    with aws_error("NotAuthorizedException", ""):
        kms.create_alias(AliasName="alias/aws/mine", TargetKeyId=key_id)
    with aws_error("ValidationException", "Aliases must refer to keys. Not aliases"):
        kms.create_alias(AliasName="alias/two", TargetKeyId="alias/one")
    with aws_error(
        "ValidationException",
        "1 validation error detected: Value 'alias/has space' at 'aliasName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    ):
        kms.create_alias(AliasName="alias/has space", TargetKeyId=key_id)
    missing = "0b1f5f4e-8a4a-4f0e-9a57-4f1e9d1c2b3a"
    with aws_error("NotFoundException", f"Key '{ARN_PREFIX}:key/{missing}' does not exist"):
        kms.create_alias(AliasName="alias/x", TargetKeyId=missing)
    assert kms.list_aliases()["Aliases"] == []


def test_disable_enable_round_trip(kms: Any) -> None:
    meta = _key(kms)
    kms.disable_key(KeyId=meta["KeyId"])
    described = kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]
    assert (described["KeyState"], described["Enabled"]) == ("Disabled", False)
    with aws_error("DisabledException", f"{meta['Arn']} is disabled."):
        kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    with aws_error("DisabledException", f"{meta['Arn']} is disabled."):
        kms.generate_data_key(KeyId=meta["KeyId"], KeySpec="AES_256")
    kms.enable_key(KeyId=meta["KeyId"])
    assert kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")["KeyId"] == meta["Arn"]


def test_schedule_and_cancel_key_deletion(mocksm: Any, kms: Any) -> None:
    meta = _key(kms)
    arn = meta["Arn"]
    with aws_error("KMSInvalidStateException", f"{arn} is not pending deletion."):
        kms.cancel_key_deletion(KeyId=meta["KeyId"])
    with aws_error("ValidationException", "PendingWindowInDays must be between 7 and 30"):
        kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=6)
    out = kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    assert out["KeyId"] == arn
    assert out["KeyState"] == "PendingDeletion"
    assert out["PendingWindowInDays"] == 7
    described = kms.describe_key(KeyId=arn)["KeyMetadata"]
    assert described["KeyState"] == "PendingDeletion"
    assert described["DeletionDate"] == out["DeletionDate"]
    for call in (
        lambda: kms.encrypt(KeyId=arn, Plaintext=b"x"),
        lambda: kms.enable_key(KeyId=arn),
        lambda: kms.disable_key(KeyId=arn),
        lambda: kms.schedule_key_deletion(KeyId=arn),
        lambda: kms.tag_resource(KeyId=arn, Tags=[{"TagKey": "k", "TagValue": "v"}]),
    ):
        with aws_error("KMSInvalidStateException", f"{arn} is pending deletion."):
            call()
    assert kms.cancel_key_deletion(KeyId=meta["KeyId"])["KeyId"] == arn
    described = kms.describe_key(KeyId=arn)["KeyMetadata"]
    assert described["KeyState"] == "Disabled"
    assert "DeletionDate" not in described
    kms.enable_key(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Enabled"


def test_key_is_gone_after_the_waiting_period(mocksm: Any, kms: Any) -> None:
    meta = _key(kms)
    kms.create_alias(AliasName="alias/doomed", TargetKeyId=meta["KeyId"])
    kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    mocksm.clock.advance(days=7, seconds=1)
    with aws_error("NotFoundException", f"Key '{meta['Arn']}' does not exist"):
        kms.describe_key(KeyId=meta["Arn"])
    assert kms.list_keys()["Keys"] == []
    assert kms.list_aliases()["Aliases"] == []


def test_keys_with_different_waiting_periods_go_each_at_its_own_date(mocksm: Any, kms: Any) -> None:
    late, early, cancelled = _key(kms), _key(kms), _key(kms)
    kms.schedule_key_deletion(KeyId=late["KeyId"], PendingWindowInDays=30)
    kms.schedule_key_deletion(KeyId=cancelled["KeyId"], PendingWindowInDays=7)
    kms.cancel_key_deletion(KeyId=cancelled["KeyId"])
    mocksm.clock.advance(days=8)
    assert {k["KeyId"] for k in kms.list_keys()["Keys"]} == {
        late["KeyId"], early["KeyId"], cancelled["KeyId"]
    }
    mocksm.clock.advance(days=-8)  # back in time: a shorter deletion scheduled later
    kms.schedule_key_deletion(KeyId=early["KeyId"], PendingWindowInDays=7)
    mocksm.clock.advance(days=7, seconds=1)
    assert {k["KeyId"] for k in kms.list_keys()["Keys"]} == {late["KeyId"], cancelled["KeyId"]}
    mocksm.clock.advance(days=23)
    assert {k["KeyId"] for k in kms.list_keys()["Keys"]} == {cancelled["KeyId"]}


def test_aws_managed_key_cannot_be_managed_by_the_caller(kms: Any) -> None:
    arn = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]["Arn"]
    with aws_error(
        "AccessDeniedException",
        f"User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: kms:DisableKey on "
        f"resource: {arn} because no resource-based policy allows the kms:DisableKey action",
    ):
        kms.disable_key(KeyId=arn)
    with aws_error("AccessDeniedException"):
        kms.schedule_key_deletion(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Enabled"


def test_tags_round_trip(kms: Any) -> None:
    key_id = _key(kms, Tags=[{"TagKey": "team", "TagValue": "a"}])["KeyId"]
    kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "team", "TagValue": "b"}, {"TagKey": "env", "TagValue": "t"}])
    listed = kms.list_resource_tags(KeyId=key_id)
    assert listed["Tags"] == [{"TagKey": "team", "TagValue": "b"}, {"TagKey": "env", "TagValue": "t"}]
    assert listed["Truncated"] is False
    kms.untag_resource(KeyId=key_id, TagKeys=["team"])
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "env", "TagValue": "t"}]
    with aws_error("NotFoundException", "Invalid keyId 'alias/x'"):
        kms.list_resource_tags(KeyId="alias/x")


def test_encrypt_decrypt_round_trip_with_context(kms: Any) -> None:
    meta = _key(kms)
    kms.create_alias(AliasName="alias/app", TargetKeyId=meta["KeyId"])
    out = kms.encrypt(KeyId="alias/app", Plaintext=b"hello", EncryptionContext={"a": "1"})
    assert out["KeyId"] == meta["Arn"]
    assert out["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert b"hello" not in out["CiphertextBlob"]
    back = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"a": "1"})
    assert (back["Plaintext"], back["KeyId"]) == (b"hello", meta["Arn"])
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"a": "1"},
                       KeyId=meta["KeyId"])["Plaintext"] == b"hello"
    with aws_error("InvalidCiphertextException", ""):
        kms.decrypt(CiphertextBlob=out["CiphertextBlob"])
    other = _key(kms)["KeyId"]
    with aws_error(
        "IncorrectKeyException",
        "The key ID in the request does not identify a CMK that can perform this operation.",
    ):
        kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"a": "1"}, KeyId=other)


def test_decrypt_refuses_tampered_or_foreign_ciphertext(kms: Any) -> None:
    key_id = _key(kms)["KeyId"]
    blob = bytearray(kms.encrypt(KeyId=key_id, Plaintext=b"hello")["CiphertextBlob"])
    blob[-1] ^= 1
    with aws_error("InvalidCiphertextException", ""):
        kms.decrypt(CiphertextBlob=bytes(blob))
    with aws_error("InvalidCiphertextException", ""):
        kms.decrypt(CiphertextBlob=b"not a kms blob")


def test_decrypt_with_disabled_key(kms: Any) -> None:
    meta = _key(kms)
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"hello")["CiphertextBlob"]
    kms.disable_key(KeyId=meta["KeyId"])
    with aws_error("DisabledException", f"{meta['Arn']} is disabled."):
        kms.decrypt(CiphertextBlob=blob)


def test_encrypt_plaintext_limit_is_validated_without_echoing_the_value(kms: Any) -> None:
    key_id = _key(kms)["KeyId"]
    with aws_error(
        "ValidationException",
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
        "Member must have length less than or equal to 4096",
    ):
        kms.encrypt(KeyId=key_id, Plaintext=b"x" * 4097)


def test_generate_data_key(kms: Any) -> None:
    meta = _key(kms)
    out = kms.generate_data_key(KeyId=meta["KeyId"], KeySpec="AES_256")
    assert len(out["Plaintext"]) == 32
    assert out["KeyId"] == meta["Arn"]
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"])["Plaintext"] == out["Plaintext"]
    assert len(kms.generate_data_key(KeyId=meta["KeyId"], KeySpec="AES_128")["Plaintext"]) == 16
    assert len(kms.generate_data_key(KeyId=meta["KeyId"], NumberOfBytes=7)["Plaintext"]) == 7
    with aws_error("ValidationException", "Please specify either number of bytes or key spec."):
        kms.generate_data_key(KeyId=meta["KeyId"])


def test_generate_data_key_refuses_both_key_spec_and_number_of_bytes(kms: Any) -> None:
    """KMS's GenerateDataKey takes KeySpec or NumberOfBytes "but not both"; giving both
    is the same ValidationException as giving neither (before: 32 bytes, no error)."""
    key_id = _key(kms)["KeyId"]
    with aws_error("ValidationException", "Please specify either number of bytes or key spec."):
        kms.generate_data_key(KeyId=key_id, KeySpec="AES_256", NumberOfBytes=16)


def test_dry_run(kms: Any) -> None:
    key_id = _key(kms)["KeyId"]
    with aws_error(
        "DryRunOperationException", "The request would have succeeded, but the DryRun option is set."
    ):
        kms.encrypt(KeyId=key_id, Plaintext=b"x", DryRun=True)


def test_unsupported_key_types_and_operations_say_so(kms: Any) -> None:
    with aws_error("NotImplemented", "mocksm does not implement KMS keys other than symmetric encryption keys yet.",
                   status=501):
        kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    key_id = _key(kms)["KeyId"]
    with aws_error("NotImplemented", "mocksm does not implement kms.EnableKeyRotation yet.", status=501):
        kms.enable_key_rotation(KeyId=key_id)


def test_keys_are_per_account_and_region(mocksm: Any, kms: Any) -> None:
    key_id = _key(kms)["KeyId"]
    west = mocksm.client("kms", region="eu-west-1")
    assert west.list_keys()["Keys"] == []
    with aws_error("NotFoundException", f"Key 'arn:aws:kms:eu-west-1:{ACCOUNT}:key/{key_id}' does not exist"):
        west.describe_key(KeyId=key_id)


def test_reset_forgets_keys(mocksm: Any, kms: Any) -> None:
    _key(kms)
    mocksm.reset()
    assert kms.list_keys()["Keys"] == []


def test_raw_request_uses_trentservice_target(mocksm: Any) -> None:
    response = mocksm.raw_request("TrentService.CreateKey", {"Description": "raw"})
    assert response.status == 200
    key_id = response.json()["KeyMetadata"]["KeyId"]
    missing = mocksm.raw_request("TrentService.DescribeKey", {"KeyId": "alias/none"})
    assert missing.status == 400
    assert missing.json() == {
        "__type": "NotFoundException",
        "message": f"Alias {ARN_PREFIX}:alias/none is not found.",
    }
    assert mocksm.kms.describe_key(key_id).description == "raw"
