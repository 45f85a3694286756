"""How a version's value is kept: sealed, never as plaintext.

Operations only see the ``Vault`` protocol: ``seal`` a plaintext under a key
reference, ``unseal`` it back while a request is served. The embedded KMS provides
the vault (``mocksm.kms.vault.KmsVault``, which every store uses).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mocksm.errors import ServiceError

SecretValue = str | bytes


@dataclass(slots=True, repr=False, eq=False)
class SealedValue:
    """A value encrypted with its own data key; the data key is wrapped by ``key_ref``.

    Never changed once made (a new value is a new object); not declared frozen only
    because a frozen dataclass costs four times as much to build, on every write."""

    is_binary: bool
    key_ref: str
    wrapped_key: bytes
    nonce: bytes
    ciphertext: bytes

    def __repr__(self) -> str:
        kind = "binary" if self.is_binary else "string"
        return f"<SealedValue {kind} under {self.key_ref!r}, {len(self.ciphertext)} bytes>"


class Vault(Protocol):
    def seal(self, value: SecretValue, key_ref: str) -> SealedValue: ...

    def unseal(self, sealed: SealedValue, current_key_ref: str | None = None) -> SecretValue: ...


def decryption_failure() -> ServiceError:
    return ServiceError(
        "DecryptionFailure",
        "Secrets Manager can't decrypt the protected secret text using the secret's current "
        "KMS key.",
    )


# A data key ready for one value: its cipher, itself wrapped by a KMS key, and the nonce
# the value is sealed with.
DataKey = tuple[AESGCM, bytes, bytes]
_DATA_KEY_BYTES = 56  # a 256-bit data key and two 96-bit nonces


def fresh_data_keys(master: AESGCM, key_ref: str, count: int) -> list[DataKey]:
    """``count`` new random data keys wrapped by ``master`` (with ``key_ref`` bound in as
    associated data). Each is for one value only; made in batches because a batch costs
    less than making them one at a time between requests."""
    fresh = os.urandom(_DATA_KEY_BYTES * count)  # one read for the whole batch
    aad = key_ref.encode()
    made: list[DataKey] = []
    for start in range(0, len(fresh), _DATA_KEY_BYTES):
        data_key = fresh[start : start + 32]
        key_nonce = fresh[start + 32 : start + 44]
        wrapped = key_nonce + master.encrypt(key_nonce, data_key, aad)
        made.append((AESGCM(data_key), wrapped, fresh[start + 44 : start + _DATA_KEY_BYTES]))
    return made


def seal_with(data_key: DataKey, value: SecretValue, key_ref: str) -> SealedValue:
    """Encrypt ``value`` under a fresh ``data_key`` wrapped by the key ``key_ref`` names."""
    cipher, wrapped, nonce = data_key
    if isinstance(value, bytes):
        return SealedValue(True, key_ref, wrapped, nonce, cipher.encrypt(nonce, value, None))
    return SealedValue(False, key_ref, wrapped, nonce, cipher.encrypt(nonce, value.encode("utf-8"), None))


def open_data_key(master: AESGCM, sealed: SealedValue) -> AESGCM:
    """Unwrap ``sealed``'s data key with ``master``: the cipher that decrypts the value."""
    try:
        wrapped = sealed.wrapped_key
        return AESGCM(master.decrypt(wrapped[:12], wrapped[12:], sealed.key_ref.encode()))
    except Exception as exc:  # InvalidTag, wrong lengths: all mean "cannot decrypt"
        raise decryption_failure() from exc


def decrypt_value(cipher: AESGCM, sealed: SealedValue) -> SecretValue:
    """The plaintext of ``sealed`` under its data-key cipher; tampering is a DecryptionFailure."""
    try:
        plaintext = cipher.decrypt(sealed.nonce, sealed.ciphertext, None)
    except Exception as exc:
        raise decryption_failure() from exc
    if sealed.is_binary:
        return plaintext
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError:  # only a tampered record; its error would hold the plaintext
        pass
    raise decryption_failure()
