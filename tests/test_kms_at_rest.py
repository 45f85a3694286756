"""Values live only as ciphertext: nothing reachable from the mock's state holds a
plaintext value, and a tampered ciphertext answers DecryptionFailure, never garbage."""

from __future__ import annotations

import dataclasses
import gc
import types
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import aws_error

DECRYPT = "Secrets Manager can't decrypt the protected secret text using the secret's current KMS key."
_OPAQUE = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
           types.CodeType, types.FrameType)


def _reachable(root: Any) -> Iterator[Any]:
    """Every object reachable from ``root`` (through gc referents: dicts, slots, closures),
    without wandering into modules, classes or functions' globals."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _OPAQUE):
            continue
        seen.add(id(obj))
        yield obj
        stack.extend(gc.get_referents(obj))


def _holders(state: Any, needle: str) -> list[Any]:
    raw = needle.encode()
    return [
        obj for obj in _reachable(state)
        if (isinstance(obj, str) and needle in obj)
        or (isinstance(obj, (bytes, bytearray, memoryview)) and raw in bytes(obj))
    ]


def test_walk_finds_a_planted_value(mocksm: Any) -> None:
    """The walk itself must be able to fail: a value planted in the state is found."""
    planted = f"planted-{uuid.uuid4()}"
    mocksm._state.rotation_functions["x"] = {"deep": [(planted.encode(),)]}
    assert _holders(mocksm._state, planted)


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
    walked = {id(obj) for obj in _reachable(mocksm._state)}
    assert ciphertexts <= walked  # the walk does reach where values are kept
    for marker in markers:
        assert _holders(mocksm._state, marker) == [], marker
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
