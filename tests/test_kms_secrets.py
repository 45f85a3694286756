"""Secrets Manager with the embedded KMS: KmsKeyId forms, the default key, how keys
are reported, unknown keys, and disabled / pending-deletion keys."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mocksm import MocksmError, mock_secretsmanager
from tests.helpers import aws_error, unchanged

ACCOUNT = "123456789012"
ARN_PREFIX = f"arn:aws:kms:us-east-1:{ACCOUNT}"
DECRYPT = "Secrets Manager can't decrypt the protected secret text using the secret's current KMS key."
NOT_ENABLED = (
    "Secrets Manager can't encrypt the secret value with the specified KMS key because the key "
    "is not enabled."
)
MISSING_ID = "0b1f5f4e-8a4a-4f0e-9a57-4f1e9d1c2b3a"


@pytest.fixture
def sm(mocksm: Any) -> Any:
    return mocksm.client("secretsmanager")


@pytest.fixture
def kms(mocksm: Any) -> Any:
    return mocksm.client("kms")


def _new_key(kms: Any, alias: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = kms.create_key()["KeyMetadata"]
    if alias:
        kms.create_alias(AliasName=alias, TargetKeyId=meta["KeyId"])
    return meta


def _list_entry(mocksm: Any, name: str) -> dict[str, Any]:
    """The SecretListEntry ListSecrets shows for ``name`` (its view function, so this
    does not depend on ListSecrets being served)."""
    from mocksm.secretsmanager import views

    entry: dict[str, Any] = views.list_entry(mocksm._state.backend(ACCOUNT, "us-east-1").by_name[name])
    return entry


def _versions(sm: Any, name: str) -> dict[str, list[str]]:
    listed = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
    return {v["VersionId"]: v["KmsKeyIds"] for v in listed}


def test_default_key_is_created_on_first_use_and_not_reported(sm: Any, kms: Any, mocksm: Any) -> None:
    sm.create_secret(Name="no-value")
    assert kms.list_keys()["Keys"] == []
    sm.create_secret(Name="s", SecretString="v")
    assert "KmsKeyId" not in sm.describe_secret(SecretId="s")
    assert "KmsKeyId" not in _list_entry(mocksm, "s")
    assert list(_versions(sm, "s").values()) == [["DefaultEncryptionKey"]]
    default = mocksm.kms.default_key()
    assert default.manager == "AWS"
    assert default.aliases == ("alias/aws/secretsmanager",)
    assert [k["KeyId"] for k in kms.list_keys()["Keys"]] == [default.key_id]
    sm.create_secret(Name="t", SecretString="w")
    assert len(kms.list_keys()["Keys"]) == 1


@pytest.mark.parametrize("form", ["id", "arn", "alias", "alias_arn"])
def test_kms_key_id_in_every_form_is_echoed_and_used(sm: Any, kms: Any, mocksm: Any, form: str) -> None:
    meta = _new_key(kms, "alias/app")
    ref = {
        "id": meta["KeyId"],
        "arn": meta["Arn"],
        "alias": "alias/app",
        "alias_arn": f"{ARN_PREFIX}:alias/app",
    }[form]
    sm.create_secret(Name="s", SecretString="v", KmsKeyId=ref)
    assert sm.describe_secret(SecretId="s")["KmsKeyId"] == ref
    assert _list_entry(mocksm, "s")["KmsKeyId"] == ref
    assert list(_versions(sm, "s").values()) == [[ref]]
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v"
    kms.disable_key(KeyId=meta["KeyId"])  # the value really is wrapped by this key
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")


def test_default_alias_is_the_default_key(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", KmsKeyId="alias/aws/secretsmanager")
    assert "KmsKeyId" not in sm.describe_secret(SecretId="s")
    assert list(_versions(sm, "s").values()) == [["DefaultEncryptionKey"]]


def test_invalid_key_syntax_is_still_invalid_parameter(sm: Any) -> None:
    with aws_error(
        "InvalidParameterException", "The operation failed because of an invalid KMS key: Invalid keyId"
    ):
        sm.create_secret(Name="s", SecretString="v", KmsKeyId="app")


def test_unknown_key_fails_the_encryption_like_aws(sm: Any, mocksm: Any) -> None:
    with pytest.raises(Exception) as caught:
        sm.create_secret(Name="s", SecretString="v", KmsKeyId=MISSING_ID)
    error = caught.value.response["Error"]  # type: ignore[attr-defined]
    assert error["Code"] == "EncryptionFailure"
    assert re.fullmatch(
        re.escape(
            f"Secrets Manager can't encrypt the secret value: Key '{ARN_PREFIX}:key/{MISSING_ID}' does "
            "not exist (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException; Request ID: "
        ) + r"[0-9a-f-]{36}; Proxy: null\)",
        error["Message"],
    ), error
    assert mocksm.secrets() == []
    with pytest.raises(Exception) as caught:
        sm.create_secret(Name="s", SecretString="v", KmsKeyId="alias/nope")
    message = caught.value.response["Error"]["Message"]  # type: ignore[attr-defined]
    assert message.startswith(
        f"Secrets Manager can't encrypt the secret value: Alias {ARN_PREFIX}:alias/nope is not found. "
        "(Service: AWSKMS; Status Code: 400; Error Code: NotFoundException;"
    )


def test_unknown_key_without_a_value_is_accepted_until_something_is_encrypted(sm: Any) -> None:
    sm.create_secret(Name="s", KmsKeyId="alias/later")
    assert sm.describe_secret(SecretId="s")["KmsKeyId"] == "alias/later"
    with aws_error("EncryptionFailure"):
        sm.put_secret_value(SecretId="s", SecretString="v")
    assert "VersionIdsToStages" not in sm.describe_secret(SecretId="s")


@pytest.mark.mocksm(kms_unknown_keys="create")
def test_lenient_mode_creates_unknown_keys_on_first_use(sm: Any, kms: Any, mocksm: Any) -> None:
    sm.create_secret(Name="a", SecretString="v", KmsKeyId=MISSING_ID)
    assert kms.describe_key(KeyId=MISSING_ID)["KeyMetadata"]["KeyState"] == "Enabled"
    sm.create_secret(Name="b", KmsKeyId="alias/made-up")
    assert mocksm.kms.describe_key("alias/made-up").aliases == ("alias/made-up",)
    sm.update_secret(SecretId="b", KmsKeyId=f"{ARN_PREFIX}:alias/other")
    sm.put_secret_value(SecretId="b", SecretString="w")
    assert sm.get_secret_value(SecretId="b")["SecretString"] == "w"
    assert kms.describe_key(KeyId="alias/other")["KeyMetadata"]["KeyManager"] == "CUSTOMER"
    assert sm.get_secret_value(SecretId="a")["SecretString"] == "v"


def test_disabled_key_blocks_reads_and_writes_until_enabled(sm: Any, kms: Any) -> None:
    meta = _new_key(kms)
    sm.create_secret(Name="s", SecretString="v1", KmsKeyId=meta["Arn"])
    kms.disable_key(KeyId=meta["KeyId"])
    check = unchanged(lambda: sm.describe_secret(SecretId="s")["VersionIdsToStages"])
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    with aws_error("EncryptionFailure", NOT_ENABLED):
        sm.put_secret_value(SecretId="s", SecretString="v2")
    with aws_error("EncryptionFailure", NOT_ENABLED):
        sm.update_secret(SecretId="s", SecretString="v2")
    with aws_error("EncryptionFailure", NOT_ENABLED):
        sm.create_secret(Name="t", SecretString="v", KmsKeyId=meta["Arn"])
    check()
    kms.enable_key(KeyId=meta["KeyId"])
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v1"
    sm.put_secret_value(SecretId="s", SecretString="v2")
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v2"


def test_pending_deletion_round_trip(sm: Any, kms: Any) -> None:
    meta = _new_key(kms)
    sm.create_secret(Name="s", SecretBinary=b"\x00\x01", KmsKeyId=meta["KeyId"])
    kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    with aws_error("EncryptionFailure", NOT_ENABLED):
        sm.put_secret_value(SecretId="s", SecretString="x")
    kms.cancel_key_deletion(KeyId=meta["KeyId"])  # comes back Disabled
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    kms.enable_key(KeyId=meta["KeyId"])
    assert sm.get_secret_value(SecretId="s")["SecretBinary"] == b"\x00\x01"


def test_deleted_key_makes_versions_unreadable_for_good(sm: Any, kms: Any, mocksm: Any) -> None:
    meta = _new_key(kms)
    sm.create_secret(Name="s", SecretString="v", KmsKeyId=meta["KeyId"])
    kms.schedule_key_deletion(KeyId=meta["KeyId"], PendingWindowInDays=7)
    mocksm.clock.advance(days=8)
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    with aws_error("EncryptionFailure"):
        sm.put_secret_value(SecretId="s", SecretString="x")


def test_handle_shortcuts_act_on_the_same_state(sm: Any, kms: Any, mocksm: Any) -> None:
    view = mocksm.kms.create_key(description="from handle", alias="alias/h")
    assert kms.describe_key(KeyId="alias/h")["KeyMetadata"]["Description"] == "from handle"
    sm.create_secret(Name="s", SecretString="v", KmsKeyId="alias/h")
    mocksm.kms.disable_key("alias/h")
    assert kms.describe_key(KeyId=view.key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    mocksm.kms.enable_key(view.arn)
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v"
    date = mocksm.kms.delete_key(view.key_id, pending_window_in_days=7)
    described = kms.describe_key(KeyId=view.key_id)["KeyMetadata"]
    assert described["KeyState"] == "PendingDeletion"
    assert described["DeletionDate"].timestamp() == pytest.approx(date)
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    mocksm.kms.cancel_key_deletion(view.key_id)
    mocksm.kms.enable_key(view.key_id)
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v"
    assert [k.key_id for k in mocksm.kms.list_keys()] == [view.key_id]


def test_handle_can_disable_the_default_key(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    mocksm.kms.disable_key("alias/aws/secretsmanager")
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    mocksm.kms.enable_key("alias/aws/secretsmanager")
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v"


def test_handle_errors_are_mocksm_errors(mocksm: Any) -> None:
    with pytest.raises(MocksmError, match="no such KMS key 'alias/none'"):
        mocksm.kms.disable_key("alias/none")
    key = mocksm.kms.create_key(alias="alias/x")
    with pytest.raises(MocksmError, match="already exists"):
        mocksm.kms.create_key(alias="alias/x")
    with pytest.raises(MocksmError, match="is not pending deletion"):
        mocksm.kms.cancel_key_deletion(key.key_id)
    with pytest.raises(MocksmError, match="must start with 'alias/'"):
        mocksm.kms.create_key(alias="x")


def test_key_material_is_new_per_activation() -> None:
    with mock_secretsmanager() as first:
        first.kms.create_key(key_id=MISSING_ID)
        store = first._state.kms("123456789012", "us-east-1")
        blob = store.keys[MISSING_ID].cipher.encrypt(b"\x00" * 12, b"probe", None)
    with mock_secretsmanager() as second:
        second.kms.create_key(key_id=MISSING_ID)
        store = second._state.kms("123456789012", "us-east-1")
        assert store.keys[MISSING_ID].cipher.encrypt(b"\x00" * 12, b"probe", None) != blob


def test_cross_account_read_with_customer_key_arn(mocksm: Any) -> None:
    owner_kms = mocksm.client("kms")
    meta = owner_kms.create_key()["KeyMetadata"]
    owner = mocksm.client("secretsmanager")
    arn = owner.create_secret(Name="shared", SecretString="v", KmsKeyId=meta["Arn"])["ARN"]
    other = mocksm.client(
        "secretsmanager", aws_access_key_id="210987654321", aws_secret_access_key="x"
    )
    assert other.get_secret_value(SecretId=arn)["SecretString"] == "v"
    owner_kms.disable_key(KeyId=meta["KeyId"])
    with aws_error("DecryptionFailure", DECRYPT):
        other.get_secret_value(SecretId=arn)


def test_replica_values_are_wrapped_by_the_replica_regions_key(mocksm: Any, sm: Any) -> None:
    west_kms = mocksm.client("kms", region="us-west-2")
    west = mocksm.client("secretsmanager", region="us-west-2")
    key = west_kms.create_key()["KeyMetadata"]["Arn"]
    sm.create_secret(Name="r", SecretString="v", AddReplicaRegions=[{"Region": "us-west-2", "KmsKeyId": key}])
    assert west.get_secret_value(SecretId="r")["SecretString"] == "v"
    west_kms.disable_key(KeyId=key)
    with aws_error("DecryptionFailure", DECRYPT):
        west.get_secret_value(SecretId="r")
    assert sm.get_secret_value(SecretId="r")["SecretString"] == "v"  # primary: default key
    created = sm.create_secret(
        Name="r2", SecretString="v", AddReplicaRegions=[{"Region": "us-west-2", "KmsKeyId": "alias/nope"}]
    )
    (status,) = created["ReplicationStatus"]
    assert status["Status"] == "Failed"
    assert status["StatusMessage"].startswith(
        "Replication failed: Secrets Manager can't encrypt the secret value: Alias "
        f"arn:aws:kms:us-west-2:{ACCOUNT}:alias/nope is not found."
    )
