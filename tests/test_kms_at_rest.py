"""Values live only as ciphertext: nothing reachable from the mock's state holds a
plaintext value, and a tampered ciphertext answers DecryptionFailure, never garbage."""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any

import pytest

from tests.helpers import aws_error
from tests.secrecy_support import holders, marker, mocksm_globals, reachable

DECRYPT = "Secrets Manager can't decrypt the protected secret text using the secret's current KMS key."


def test_walk_finds_a_planted_value(mocksm: Any) -> None:
    """The walk itself must be able to fail: a value planted in the state is found."""
    planted = f"planted-{uuid.uuid4()}"
    mocksm._state.rotation_functions["x"] = {"deep": [(planted.encode(),)]}
    assert holders(planted, mocksm._state)


def test_no_plaintext_anywhere_in_the_state(mocksm: Any) -> None:
    sm, kms = mocksm.client("secretsmanager"), mocksm.client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    markers = [f"plaintext-{uuid.uuid4()}-{i}" for i in range(6)]
    sm.create_secret(Name="a", SecretString=markers[0])
    sm.put_secret_value(SecretId="a", SecretString=markers[1])
    sm.create_secret(Name="b", SecretBinary=markers[2].encode(), KmsKeyId=key)
    sm.update_secret(SecretId="b", SecretString=markers[3])
    sm.update_secret(SecretId="a", KmsKeyId=key)  # re-encryption must not leave copies
    sm.put_secret_value(SecretId="a", SecretString=markers[4], VersionStages=["AWSPENDING"])
    sm.create_secret(Name="c", SecretString="x" * 4000 + markers[5])
    for name in ("a", "b", "c"):
        sm.get_secret_value(SecretId=name)
    with aws_error("ResourceExistsException"):  # idempotency compare decrypts too
        sm.put_secret_value(SecretId="a", SecretString="other",
                            ClientRequestToken=sm.describe_secret(SecretId="a")["VersionIdsToStages"].popitem()[0])
    ciphertexts = {id(v.sealed.ciphertext) for s in mocksm._state.backend(mocksm.account_id, mocksm.region)
                   .by_name.values() for v in s.versions.values()}
    walked = {id(obj) for obj in reachable(mocksm._state)}
    assert ciphertexts <= walked  # the walk does reach where values are kept
    for needle in markers:
        assert holders(needle, mocksm._state) == [], needle
    assert sm.get_secret_value(SecretId="c")["SecretString"].endswith(markers[5])


def _only_version(mocksm: Any, name: str) -> Any:
    secret = mocksm._state.backend(mocksm.account_id, mocksm.region).by_name[name]
    (version,) = secret.versions.values()
    return version


@pytest.mark.parametrize("field", ["ciphertext", "nonce", "wrapped_key"])
def test_tampered_ciphertext_is_a_decryption_failure(mocksm: Any, field: str) -> None:
    sm = mocksm.client("secretsmanager")
    sm.create_secret(Name="s", SecretString="top secret value")
    version = _only_version(mocksm, "s")
    original = version.sealed
    data = bytearray(getattr(original, field))
    data[len(data) // 2] ^= 0x01
    version.sealed = dataclasses.replace(original, **{field: bytes(data)})
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    version.sealed = original
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "top secret value"


def test_value_moved_to_another_key_record_is_refused(mocksm: Any) -> None:
    """The wrapping key's ARN is bound into the ciphertext: relabelling it fails."""
    sm, kms = mocksm.client("secretsmanager"), mocksm.client("kms")
    other = kms.create_key()["KeyMetadata"]["Arn"]
    sm.create_secret(Name="s", SecretString="v")
    version = _only_version(mocksm, "s")
    version.sealed = dataclasses.replace(version.sealed, key_ref=other)
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")


def test_sealed_value_repr_shows_no_value(mocksm: Any) -> None:
    sm = mocksm.client("secretsmanager")
    sm.create_secret(Name="s", SecretString="do-not-print-me")
    version = _only_version(mocksm, "s")
    assert "do-not-print-me" not in repr(version.sealed)
    assert "do-not-print-me" not in repr(mocksm._state.kms(mocksm.account_id, mocksm.region).keys)


def test_tampered_value_type_is_a_decryption_failure(mocksm: Any) -> None:
    """A binary value relabelled as text does not decode: that is a DecryptionFailure too,
    not a 500 whose exception would carry the plaintext bytes it failed on."""
    sm = mocksm.client("secretsmanager")
    value = b"\xff" + marker("binary").encode()
    sm.create_secret(Name="s", SecretBinary=value)
    version = _only_version(mocksm, "s")
    version.sealed = dataclasses.replace(version.sealed, is_binary=False)
    with aws_error("DecryptionFailure", DECRYPT):
        sm.get_secret_value(SecretId="s")
    assert holders(value[1:], mocksm._state) == []


def _keep_failure(value: str) -> BaseException:
    try:
        raise RuntimeError("kept")
    except RuntimeError as exc:
        return exc


def test_walk_looks_into_the_frames_of_kept_exceptions(mocksm: Any) -> None:
    """A kept exception keeps its frames' variables alive: the walk must see them."""
    planted = marker("planted")
    mocksm._state.rotation_functions["x"] = _keep_failure(planted)
    assert holders(planted, mocksm._state)


def _failing_rotation(event: dict[str, Any], context: Any) -> None:
    raise RuntimeError("the database is down")


@pytest.mark.mocksm(rotation_functions={"rotator": "builtin", "broken": _failing_rotation})
def test_no_plaintext_kept_by_replicas_rotations_batches_or_kms_results(mocksm: Any) -> None:
    sm, kms, west = mocksm.client(), mocksm.client("kms"), mocksm.client(region="us-west-2")
    first, second, third = marker("first"), marker("second"), marker("third")
    sm.create_secret(Name="db", SecretString=json.dumps({"password": first}),
                     AddReplicaRegions=[{"Region": "us-west-2"}])
    sm.put_secret_value(SecretId="db", SecretString=json.dumps({"password": second}))
    sm.rotate_secret(SecretId="db", RotationLambdaARN="rotator",
                     RotationRules={"AutomaticallyAfterDays": 1})
    rotated = json.loads(sm.get_secret_value(SecretId="db")["SecretString"])["password"]
    assert json.loads(west.get_secret_value(SecretId="db")["SecretString"])["password"] == rotated
    sm.rotate_secret(SecretId="db", RotateImmediately=False)  # testSecret on a temporary copy
    sm.create_secret(Name="half", SecretString=third)
    sm.rotate_secret(SecretId="half", RotationLambdaARN="broken")  # leaves a placeholder
    assert mocksm.secret("half").version_with("AWSPENDING") is not None
    by_id = sm.batch_get_secret_value(SecretIdList=["db", "half"])["SecretValues"]
    by_filter = sm.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["db", "half"]}])
    assert len(by_id) == len(by_filter["SecretValues"]) == 2
    password = sm.get_random_password(PasswordLength=64)["RandomPassword"]
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms_value = marker("kms").encode()
    blob = kms.encrypt(KeyId=key, Plaintext=kms_value)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == kms_value
    data_key = kms.generate_data_key(KeyId=key, KeySpec="AES_256")["Plaintext"]
    roots = (mocksm._state, mocksm, *mocksm_globals(), sm, kms, west)
    for needle in (first, second, third, rotated, password, kms_value, data_key):
        assert holders(needle, *roots) == [], needle


def test_data_keys_are_held_only_inside_ciphers(mocksm: Any) -> None:
    """Data keys made ahead in batches, and those of sealed and recently read versions,
    exist as bytes only wrapped; unwrapped, they live inside AESGCM objects only."""
    sm = mocksm.client("secretsmanager")
    for i in range(5):
        sm.create_secret(Name=f"s{i}", SecretString=f"v{i}")
        sm.get_secret_value(SecretId=f"s{i}")  # fills the data-key cache
    store = mocksm._state.backend(mocksm.account_id, mocksm.region)
    wrapped = [v.sealed.wrapped_key for s in store.by_name.values() for v in s.versions.values()]
    ahead = [w for _, ready, _ in store.vault._data_keys.values() for _, w, _ in ready]
    assert len(ahead) == 2  # batches of 1, 2, 4 for five values: two made ahead
    key = mocksm._state.kms(mocksm.account_id, mocksm.region).managed_key(0)
    data_keys = [key.cipher.decrypt(w[:12], w[12:], key.arn.encode()) for w in wrapped + ahead]
    assert all(len(k) == 32 for k in data_keys)
    for data_key in data_keys:
        assert holders(data_key, mocksm._state, *mocksm_globals()) == []
