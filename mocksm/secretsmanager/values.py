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


def seal_with(master: AESGCM, value: SecretValue, key_ref: str) -> SealedValue:
    """Envelope-encrypt ``value``: a fresh data key, itself wrapped by ``master``."""
    is_binary = isinstance(value, bytes)
    plaintext = value if isinstance(value, bytes) else value.encode("utf-8")
    fresh = os.urandom(56)  # one read: a 256-bit data key and two 96-bit nonces
    data_key, key_nonce, nonce = fresh[:32], fresh[32:44], fresh[44:]
    wrapped = key_nonce + master.encrypt(key_nonce, data_key, key_ref.encode())
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, None)
    return SealedValue(is_binary, key_ref, wrapped, nonce, ciphertext)


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
    return plaintext if sealed.is_binary else plaintext.decode("utf-8")
