"""An audit of the embedded KMS API against real AWS KMS: each test pins one place
where mocksm answered differently from AWS (evidence in docs/decisions.md,
"Audit (KMS API)")."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.helpers import aws_error

ACCOUNT = "123456789012"


@pytest.fixture
def kms(mocksm: Any) -> Any:
    return mocksm.client("kms")


@pytest.mark.parametrize("days", [1, 6, 31, 365])
def test_schedule_key_deletion_window_outside_7_to_30_uses_kms_text(kms: Any, days: int) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with aws_error("ValidationException", "PendingWindowInDays must be between 7 and 30"):
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=days)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_symmetric_keys_report_their_current_key_material_id(kms: Any) -> None:
    """KeyMetadata.CurrentKeyMaterialId "is present for symmetric encryption keys with
    AWS_KMS ... origin" (API_KeyMetadata); GenerateDataKey and Decrypt name the material
    they used in KeyMaterialId (API_GenerateDataKey, API_Decrypt). Encrypt does not."""
    meta = kms.create_key()["KeyMetadata"]
    material = meta["CurrentKeyMaterialId"]
    assert re.fullmatch(r"[0-9a-f]{64}", material)
    assert kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"]["CurrentKeyMaterialId"] == material
    other = kms.create_key()["KeyMetadata"]["CurrentKeyMaterialId"]
    assert other != material
    managed = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]
    assert re.fullmatch(r"[0-9a-f]{64}", managed["CurrentKeyMaterialId"])

    data_key = kms.generate_data_key(KeyId=meta["KeyId"], NumberOfBytes=32)
    assert data_key["KeyMaterialId"] == material
    encrypted = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"x")
    assert "KeyMaterialId" not in encrypted
    decrypted = kms.decrypt(CiphertextBlob=encrypted["CiphertextBlob"])
    assert decrypted["KeyMaterialId"] == material
    assert kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])["KeyMaterialId"] == material


def _denied(action: str, arn: str) -> str:
    return (
        f"User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: kms:{action} on "
        f"resource: {arn} because no resource-based policy allows the kms:{action} action"
    )


def test_an_alias_cannot_be_pointed_at_an_aws_managed_key(kms: Any) -> None:
    """Aliases go with customer managed keys only (API_CreateAlias: "any customer managed
    key"; API_UpdateAlias: "You don't have permission to associate an alias with an Amazon
    Web Services managed key"); both need kms:CreateAlias/UpdateAlias in the key's policy,
    which an AWS managed key's policy never grants."""
    managed = kms.describe_key(KeyId="alias/aws/secretsmanager")["KeyMetadata"]
    with aws_error("AccessDeniedException", _denied("CreateAlias", managed["Arn"])):
        kms.create_alias(AliasName="alias/mine", TargetKeyId=managed["KeyId"])
    own = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/mine", TargetKeyId=own)
    with aws_error("AccessDeniedException", _denied("UpdateAlias", managed["Arn"])):
        kms.update_alias(AliasName="alias/mine", TargetKeyId=managed["Arn"])
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases()["Aliases"]}
    assert aliases == {"alias/aws/secretsmanager": managed["KeyId"], "alias/mine": own}


def test_another_accounts_key_cannot_be_managed_by_its_arn(mocksm: Any, kms: Any) -> None:
    """Enable/Disable/ScheduleKeyDeletion/CancelKeyDeletion, tagging and ListResourceTags
    are "Cross-account use: No" in the API reference, and a new key's default policy
    trusts only its own account: another account is denied, and the key is untouched."""
    meta = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "a"}])["KeyMetadata"]
    arn = meta["Arn"]
    other_account = "210987654321"
    other = mocksm.client("kms", aws_access_key_id=other_account, aws_secret_access_key="x")

    def denied(action: str) -> str:
        return (
            f"User: arn:aws:iam::{other_account}:root is not authorized to perform: "
            f"kms:{action} on resource: {arn} because no resource-based policy allows the "
            f"kms:{action} action"
        )

    calls = {
        "DisableKey": lambda: other.disable_key(KeyId=arn),
        "EnableKey": lambda: other.enable_key(KeyId=arn),
        "ScheduleKeyDeletion": lambda: other.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7),
        "CancelKeyDeletion": lambda: other.cancel_key_deletion(KeyId=arn),
        "TagResource": lambda: other.tag_resource(KeyId=arn, Tags=[{"TagKey": "team", "TagValue": "b"}]),
        "UntagResource": lambda: other.untag_resource(KeyId=arn, TagKeys=["team"]),
        "ListResourceTags": lambda: other.list_resource_tags(KeyId=arn),
    }
    for action, call in calls.items():
        with aws_error("AccessDeniedException", denied(action)):
            call()
    after = kms.describe_key(KeyId=arn)["KeyMetadata"]
    assert (after["KeyState"], after["Enabled"], "DeletionDate" in after) == ("Enabled", True, False)
    assert kms.list_resource_tags(KeyId=arn)["Tags"] == [{"TagKey": "team", "TagValue": "a"}]


@pytest.mark.parametrize("tag_key", ["aws:team", "AWS:team", "Aws:x"])
def test_tag_keys_with_the_reserved_aws_prefix_are_refused(kms: Any, tag_key: str) -> None:
    with aws_error("TagException", "Tags beginning with aws: are reserved"):
        kms.create_key(Tags=[{"TagKey": tag_key, "TagValue": "v"}])
    assert kms.list_keys()["Keys"] == []
    key_id = kms.create_key(Tags=[{"TagKey": "team", "TagValue": "a"}])["KeyMetadata"]["KeyId"]
    with aws_error("TagException", "Tags beginning with aws: are reserved"):
        kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "x", "TagValue": "1"}, {"TagKey": tag_key, "TagValue": "v"}])
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "team", "TagValue": "a"}]


def test_duplicate_tag_keys_and_more_than_50_tags_in_a_request_are_refused(kms: Any) -> None:
    duplicate = [{"TagKey": "team", "TagValue": "a"}, {"TagKey": "team", "TagValue": "b"}]
    too_many = [{"TagKey": f"k{i}", "TagValue": "v"} for i in range(51)]
    with aws_error("TagException", "Duplicate tag keys"):
        kms.create_key(Tags=duplicate)
    with aws_error("TagException", "Too many tags"):
        kms.create_key(Tags=too_many)
    assert kms.list_keys()["Keys"] == []
    key_id = kms.create_key(Tags=too_many[:50])["KeyMetadata"]["KeyId"]
    with aws_error("TagException", "Duplicate tag keys"):
        kms.tag_resource(KeyId=key_id, Tags=duplicate)
    with aws_error("TagException", "Too many tags"):
        kms.tag_resource(KeyId=key_id, Tags=too_many)
    tags = kms.list_resource_tags(KeyId=key_id)["Tags"]
    assert tags == too_many[:50]


UNKNOWN_CIPHERTEXT_KEY = (
    "The ciphertext refers to a customer master key that does not exist, does not exist in "
    "this region, or you are not allowed to access."
)


def test_decrypt_of_ciphertext_whose_key_is_gone_or_elsewhere_is_access_denied(mocksm: Any, kms: Any) -> None:
    """Real KMS answers 400 AccessDeniedException with this text when a ciphertext's key
    does not exist, is in another region or may not be used (quoted from AWS in
    Droplr/aws-env#29 with its status and code, aws-encryption-sdk-javascript#1005 and
    others); a blob that cannot be read at all stays InvalidCiphertextException."""
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"hello")["CiphertextBlob"]
    west = mocksm.client("kms", region="eu-west-1")
    with aws_error("AccessDeniedException", UNKNOWN_CIPHERTEXT_KEY):
        west.decrypt(CiphertextBlob=blob)
    kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    mocksm.clock.advance(days=8)
    assert kms.list_keys()["Keys"] == []
    with aws_error("AccessDeniedException", UNKNOWN_CIPHERTEXT_KEY):
        kms.decrypt(CiphertextBlob=blob)
    with aws_error("InvalidCiphertextException", ""):
        kms.decrypt(CiphertextBlob=b"not a kms blob")


@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"])
def test_asymmetric_algorithm_on_a_symmetric_key_is_invalid_key_usage(kms: Any, algorithm: str) -> None:
    """Every key is a symmetric encryption key; KMS refuses an algorithm the key spec
    cannot do with InvalidKeyUsageException (was a 501 NotImplemented)."""
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"data")["CiphertextBlob"]
    message = f"Algorithm {algorithm} is incompatible with key spec SYMMETRIC_DEFAULT."
    with aws_error("InvalidKeyUsageException", message):
        kms.encrypt(KeyId=key_id, Plaintext=b"data", EncryptionAlgorithm=algorithm)
    with aws_error("InvalidKeyUsageException", message):
        kms.decrypt(CiphertextBlob=blob, EncryptionAlgorithm=algorithm)
    with aws_error("NotFoundException", f"Key 'arn:aws:kms:us-east-1:{ACCOUNT}:key/"
                   "00000000-0000-0000-0000-000000000000' does not exist"):
        kms.encrypt(KeyId="00000000-0000-0000-0000-000000000000", Plaintext=b"data",
                    EncryptionAlgorithm=algorithm)
