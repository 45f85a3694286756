"""UpdateSecret with a new KmsKeyId (spec 4.7.3) in both key-change modes, including
the founding guide's scenario (spec section 7, golden scenario 13)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from mocksm import mock_secretsmanager
from tests.core_support import labels_by_version
from tests.helpers import aws_error, unchanged

DECRYPT = "Secrets Manager can't decrypt the protected secret text using the secret's current KMS key."
NOT_ENABLED = (
    "Secrets Manager can't encrypt the secret value with the specified KMS key because the key "
    "is not enabled."
)


def _clients(handle: Any) -> tuple[Any, Any]:
    return handle.client("secretsmanager"), handle.client("kms")


def _key_ids(sm: Any, name: str) -> dict[str, list[str]]:
    listed = sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"]
    return {v["VersionId"]: v["KmsKeyIds"] for v in listed}


def _value(sm: Any, name: str, **selector: str) -> str:
    value: str = sm.get_secret_value(SecretId=name, **selector)["SecretString"]
    return value


def _seed_history(sm: Any, k1: str) -> tuple[str, str, str]:
    """v0 (deprecated), v1 (AWSPREVIOUS), v2 (AWSCURRENT), all under ``k1``."""
    v0 = sm.create_secret(Name="app", SecretString="zero", KmsKeyId=k1)["VersionId"]
    v1 = sm.update_secret(SecretId="app", SecretString="one")["VersionId"]
    v2 = sm.update_secret(SecretId="app", SecretString="two")["VersionId"]
    return v0, v1, v2


def test_golden_scenario_13_aws_mode() -> None:
    with mock_secretsmanager() as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key(Description="K1")["KeyMetadata"]["Arn"]
        k2 = kms.create_key(Description="K2")["KeyMetadata"]["Arn"]
        v0, v1, v2 = _seed_history(sm, k1)
        sm.update_secret(SecretId="app", KmsKeyId=k2)

        assert sm.describe_secret(SecretId="app")["KmsKeyId"] == k2
        assert _value(sm, "app") == "two"
        assert _value(sm, "app", VersionStage="AWSPREVIOUS") == "one"
        assert _value(sm, "app", VersionId=v0) == "zero"
        assert _key_ids(sm, "app") == {v0: [k1], v1: [k2], v2: [k2]}

        kms.disable_key(KeyId=k1)  # only the unlabelled version still depends on K1
        assert _value(sm, "app") == "two"
        assert _value(sm, "app", VersionStage="AWSPREVIOUS") == "one"
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app", VersionId=v0)
        kms.enable_key(KeyId=k1)
        assert _value(sm, "app", VersionId=v0) == "zero"
        kms.schedule_key_deletion(KeyId=k1, PendingWindowInDays=7)
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app", VersionId=v0)
        assert _value(sm, "app", VersionStage="AWSPREVIOUS") == "one"


def test_golden_scenario_13_classic_mode() -> None:
    with mock_secretsmanager(kms_key_change_mode="classic") as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key(Description="K1")["KeyMetadata"]["Arn"]
        k2 = kms.create_key(Description="K2")["KeyMetadata"]["Arn"]
        v0, v1, v2 = _seed_history(sm, k1)
        sm.update_secret(SecretId="app", KmsKeyId=k2)

        assert _value(sm, "app") == "two"
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app", VersionStage="AWSPREVIOUS")
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app", VersionId=v0)
        assert _key_ids(sm, "app") == {v0: [k1], v1: [k1], v2: [k2]}
        assert kms.describe_key(KeyId=k1)["KeyMetadata"]["KeyState"] == "Enabled"

        # The old key itself could still decrypt them: switching back makes them readable.
        sm.update_secret(SecretId="app", KmsKeyId=k1)
        assert _value(sm, "app", VersionStage="AWSPREVIOUS") == "one"
        assert _value(sm, "app") == "two"


@pytest.mark.parametrize("mode", ["aws", "classic"])
def test_new_versions_after_a_key_change_use_the_new_key(mode: str) -> None:
    with mock_secretsmanager(kms_key_change_mode=mode) as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        k2 = kms.create_key()["KeyMetadata"]["KeyId"]
        sm.create_secret(Name="app", SecretString="one", KmsKeyId=k1)
        sm.update_secret(SecretId="app", KmsKeyId=k2)
        v3 = sm.put_secret_value(SecretId="app", SecretString="three")["VersionId"]
        assert _key_ids(sm, "app")[v3] == [k2]
        kms.disable_key(KeyId=k1)
        assert _value(sm, "app") == "three"


def test_key_and_value_in_one_call_aws_mode_reencrypts_the_previous_version() -> None:
    with mock_secretsmanager() as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        k2 = kms.create_key()["KeyMetadata"]["KeyId"]
        v1 = sm.create_secret(Name="app", SecretString="one", KmsKeyId=k1)["VersionId"]
        v2 = sm.update_secret(SecretId="app", SecretString="two", KmsKeyId=k2)["VersionId"]
        assert _key_ids(sm, "app") == {v1: [k2], v2: [k2]}
        kms.disable_key(KeyId=k1)
        assert _value(sm, "app", VersionStage="AWSPREVIOUS") == "one"


def test_key_and_value_in_one_call_classic_mode_leaves_previous_unreadable() -> None:
    with mock_secretsmanager(kms_key_change_mode="classic") as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        k2 = kms.create_key()["KeyMetadata"]["KeyId"]
        v1 = sm.create_secret(Name="app", SecretString="one", KmsKeyId=k1)["VersionId"]
        v2 = sm.update_secret(SecretId="app", SecretString="two", KmsKeyId=k2)["VersionId"]
        assert _key_ids(sm, "app") == {v1: [k1], v2: [k2]}
        assert _value(sm, "app") == "two"
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app", VersionStage="AWSPREVIOUS")


@pytest.mark.parametrize("mode", ["aws", "classic"])
def test_empty_kms_key_id_resets_to_the_default_key(mode: str) -> None:
    with mock_secretsmanager(kms_key_change_mode=mode) as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        v1 = sm.create_secret(Name="app", SecretString="one", KmsKeyId=k1)["VersionId"]
        sm.update_secret(SecretId="app", KmsKeyId="")
        assert "KmsKeyId" not in sm.describe_secret(SecretId="app")
        assert _key_ids(sm, "app") == {v1: ["DefaultEncryptionKey"]}
        kms.disable_key(KeyId=k1)
        assert _value(sm, "app") == "one"


def test_pending_version_is_reencrypted_in_aws_mode() -> None:
    with mock_secretsmanager() as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        k2 = kms.create_key()["KeyMetadata"]["KeyId"]
        sm.create_secret(Name="app", SecretString="one", KmsKeyId=k1)
        pending = sm.put_secret_value(SecretId="app", SecretString="next", VersionStages=["AWSPENDING"])
        custom = sm.put_secret_value(SecretId="app", SecretString="custom", VersionStages=["MINE"])
        sm.update_secret(SecretId="app", KmsKeyId=k2)
        ids = _key_ids(sm, "app")
        assert ids[pending["VersionId"]] == [k2]
        assert ids[custom["VersionId"]] == [k1]
        kms.disable_key(KeyId=k1)
        assert _value(sm, "app", VersionStage="AWSPENDING") == "next"
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app", VersionStage="MINE")



def test_key_and_value_in_one_call_reencrypts_every_rotation_label_after_it() -> None:
    """The versions labelled AWSCURRENT, AWSPENDING or AWSPREVIOUS once the call is done
    move to the new key, the ones its label move leaves alone (AWSPENDING here) as well as
    the ones it changes; the version that loses AWSPREVIOUS and a custom label stay."""
    with mock_secretsmanager() as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        k2 = kms.create_key()["KeyMetadata"]["KeyId"]
        v1 = sm.create_secret(Name="app", SecretString="one", KmsKeyId=k1)["VersionId"]
        v2 = sm.put_secret_value(SecretId="app", SecretString="two")["VersionId"]
        pending = sm.put_secret_value(SecretId="app", SecretString="next",
                                      VersionStages=["AWSPENDING"])["VersionId"]
        custom = sm.put_secret_value(SecretId="app", SecretString="mine", VersionStages=["MINE"])["VersionId"]
        v3 = sm.update_secret(SecretId="app", SecretString="three", KmsKeyId=k2)["VersionId"]
        assert labels_by_version(sm, "app") == {
            v1: None, v2: ["AWSPREVIOUS"], pending: ["AWSPENDING"], custom: ["MINE"], v3: ["AWSCURRENT"]}
        assert _key_ids(sm, "app") == {v1: [k1], v2: [k2], pending: [k2], custom: [k1], v3: [k2]}
        kms.disable_key(KeyId=k1)
        assert _value(sm, "app", VersionStage="AWSPENDING") == "next"
        assert _value(sm, "app", VersionStage="AWSPREVIOUS") == "two"
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app", VersionId=v1)

@pytest.mark.parametrize("mode", ["aws", "classic"])
def test_failed_key_change_changes_nothing(mode: str) -> None:
    with mock_secretsmanager(kms_key_change_mode=mode) as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        k2 = kms.create_key()["KeyMetadata"]["KeyId"]
        sm.create_secret(Name="app", SecretString="one", KmsKeyId=k1, Description="d")
        sm.update_secret(SecretId="app", SecretString="two")
        kms.disable_key(KeyId=k2)
        check = unchanged(lambda: (
            {k: v for k, v in sm.describe_secret(SecretId="app").items() if k != "ResponseMetadata"},
            _key_ids(sm, "app"),
        ))
        with aws_error("EncryptionFailure", NOT_ENABLED):
            sm.update_secret(SecretId="app", KmsKeyId=k2, Description="changed")
        with aws_error("EncryptionFailure", NOT_ENABLED):
            sm.update_secret(SecretId="app", KmsKeyId=k2, SecretString="three")
        with aws_error("EncryptionFailure"):
            sm.update_secret(SecretId="app", KmsKeyId="alias/does-not-exist")
        check()
        assert _value(sm, "app") == "two"
        assert _value(sm, "app", VersionStage="AWSPREVIOUS") == "one"


def test_version_whose_old_key_is_unusable_stays_under_it() -> None:
    with mock_secretsmanager() as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        k2 = kms.create_key()["KeyMetadata"]["KeyId"]
        v1 = sm.create_secret(Name="app", SecretString="one", KmsKeyId=k1)["VersionId"]
        kms.disable_key(KeyId=k1)
        sm.update_secret(SecretId="app", KmsKeyId=k2)
        assert _key_ids(sm, "app") == {v1: [k1]}
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app")
        kms.enable_key(KeyId=k1)
        assert _value(sm, "app") == "one"


def test_alias_retarget_affects_new_versions_only() -> None:
    with mock_secretsmanager() as handle:
        sm, kms = _clients(handle)
        k1 = kms.create_key()["KeyMetadata"]["KeyId"]
        k2 = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/app", TargetKeyId=k1)
        sm.create_secret(Name="app", SecretString="one", KmsKeyId="alias/app")
        kms.update_alias(AliasName="alias/app", TargetKeyId=k2)
        sm.put_secret_value(SecretId="app", SecretString="two")
        kms.disable_key(KeyId=k1)
        assert _value(sm, "app") == "two"  # wrapped by K2 through the alias
        with aws_error("DecryptionFailure", DECRYPT):
            sm.get_secret_value(SecretId="app", VersionStage="AWSPREVIOUS")


def test_a_deleted_alias_stops_new_versions_at_once() -> None:
    """The key an alias named is remembered between writes; deleting the alias must
    still refuse the very next write."""
    with mock_secretsmanager() as handle:
        sm, kms = _clients(handle)
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/app", TargetKeyId=key)
        sm.create_secret(Name="app", SecretString="one", KmsKeyId="alias/app")
        sm.put_secret_value(SecretId="app", SecretString="two")
        kms.delete_alias(AliasName="alias/app")
        check = unchanged(lambda: _key_ids(sm, "app"))
        with pytest.raises(ClientError) as caught:
            sm.put_secret_value(SecretId="app", SecretString="three")
        error = caught.value.response["Error"]
        assert error["Code"] == "EncryptionFailure"
        assert "Alias arn:aws:kms:us-east-1:123456789012:alias/app is not found." in error["Message"]
        check()
        assert _value(sm, "app") == "two"
        kms.create_alias(AliasName="alias/app", TargetKeyId=key)
        sm.put_secret_value(SecretId="app", SecretString="four")
        assert _value(sm, "app") == "four"


def test_a_purged_key_is_not_used_after_its_alias_points_elsewhere() -> None:
    """A key whose deletion window passed is gone; an alias re-created under the same
    name then seals under its new key, never the purged one."""
    with mock_secretsmanager() as handle:
        sm, kms = _clients(handle)
        old = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/app", TargetKeyId=old)
        sm.create_secret(Name="app", SecretString="one", KmsKeyId="alias/app")
        kms.schedule_key_deletion(KeyId=old, PendingWindowInDays=7)
        handle.clock.advance(days=8)
        new = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/app", TargetKeyId=new)
        vid = sm.put_secret_value(SecretId="app", SecretString="two")["VersionId"]
        assert _value(sm, "app") == "two"
        assert _key_ids(sm, "app")[vid] == ["alias/app"]


def test_a_key_made_again_under_a_purged_keys_id_seals_with_its_own_material() -> None:
    """Data keys made ahead for a key were wrapped by that key's material; a new key that
    takes the id (and so the ARN) of a purged one must not seal with them, or the value
    it just accepted could never be read."""
    key_id = "0c2a75b5-1e5f-4b5d-9d4e-6f1a2b3c4d5e"
    with mock_secretsmanager() as handle:
        sm = handle.client("secretsmanager")
        handle.kms.create_key(key_id=key_id)
        sm.create_secret(Name="app", SecretString="one", KmsKeyId=key_id)
        sm.put_secret_value(SecretId="app", SecretString="two")  # leaves a data key ready
        handle.kms.delete_key(key_id, pending_window_in_days=7)
        handle.clock.advance(days=8)
        assert handle.kms.list_keys() == []  # purged
        handle.kms.create_key(key_id=key_id)
        sm.put_secret_value(SecretId="app", SecretString="three")
        sm.put_secret_value(SecretId="app", SecretString="four")
        assert _value(sm, "app") == "four"
        assert _value(sm, "app", VersionStage="AWSPREVIOUS") == "three"


def test_every_version_has_its_own_data_key() -> None:
    """Data keys are made ahead in batches; none is ever used for two values, also across
    a batch boundary and for the same plaintext written twice."""
    with mock_secretsmanager() as handle:
        sm = handle.client("secretsmanager")
        sm.create_secret(Name="app", SecretString="same")
        for _ in range(40):
            sm.put_secret_value(SecretId="app", SecretString="same")
        state = handle._state  # the sealed form is what this test is about
        sealed = [v.sealed for v in state.backend("123456789012", "us-east-1").by_name["app"].versions.values()]
        assert len(sealed) == 41
        assert len({s.wrapped_key for s in sealed}) == 41
        assert len({s.nonce for s in sealed}) == 41
        assert len({s.ciphertext for s in sealed}) == 41
        assert all(b"same" not in s.ciphertext for s in sealed)
