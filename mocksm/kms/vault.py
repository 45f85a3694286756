"""The vault a Secrets Manager store seals values with: envelope encryption under
keys of the embedded KMS, with the key-state checks Secrets Manager applies.

Each version gets a fresh AES-256 data key; the value is sealed with AES-GCM under it
and the data key is wrapped by the KMS key (``values.fresh_data_keys``). The sealed value
records the wrapping key's ARN, as a KMS ciphertext blob names its key, so reading
uses the key that wrapped the version, whatever the secret's key is now.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mocksm.errors import ServiceError
from mocksm.kms import model
from mocksm.kms.errors import KmsError
from mocksm.secretsmanager.values import (
    DataKey,
    SealedValue,
    SecretValue,
    decrypt_value,
    decryption_failure,
    fresh_data_keys,
    open_data_key,
    seal_with,
)

if TYPE_CHECKING:
    from mocksm._state import MockState


def encryption_failure_not_enabled() -> ServiceError:
    return ServiceError(
        "EncryptionFailure",
        "Secrets Manager can't encrypt the secret value with the specified KMS key because the "
        "key is not enabled.",
    )


def encryption_failure_from_kms(error: KmsError) -> ServiceError:
    """How Secrets Manager relays the KMS error behind a failed encryption (see
    docs/decisions.md, "Unknown KMS key")."""
    return ServiceError(
        "EncryptionFailure",
        f"Secrets Manager can't encrypt the secret value: {error.message} (Service: AWSKMS; "
        f"Status Code: 400; Error Code: {error.code}; Request ID: {uuid.uuid4()}; Proxy: null)",
    )


def key_for_encryption(state: MockState, account: str, region: str, key_ref: str) -> model.Key:
    """The enabled key new values under ``key_ref`` are wrapped with, or EncryptionFailure.

    With ``kms_unknown_keys="create"`` a key or alias that does not exist is created.
    """
    now = state.clock.now()
    try:
        key = model.resolve(state, account, region, key_ref, now)
    except KmsError as error:
        if error.code != "NotFoundException":
            raise encryption_failure_from_kms(error) from None
        if state.config.kms_unknown_keys != "create":
            raise encryption_failure_from_kms(error) from None
        key = model.create_named(state, account, region, key_ref, now)
    if not key.usable:
        raise encryption_failure_not_enabled()
    return key


def ensure_key(state: MockState, account: str, region: str, key_ref: str) -> None:
    """Create the key a KmsKeyId names if it is unknown and the mock is lenient.

    Called when CreateSecret/UpdateSecret accept a KmsKeyId, so the key exists (and
    ``DescribeKey`` finds it) even before a value is encrypted under it.
    """
    if state.config.kms_unknown_keys != "create":
        return
    now = state.clock.now()
    try:
        model.resolve(state, account, region, key_ref, now)
    except KmsError as error:
        if error.code == "NotFoundException":
            model.create_named(state, account, region, key_ref, now)


# A vault's recently read values, as a KMS data-key cache: a read decrypts once instead of
# unwrapping the data key first, and finds the wrapping key without parsing its ARN; the
# key's state is still checked on every read. Bounded (each cipher holds an OpenSSL
# context of a few KiB); an entry keeps its sealed value alive, so its id stays unique.
OPENED_MAX = 256
Opened = dict[int, tuple[SealedValue, model.Key, AESGCM]]

# Data keys are made ahead in batches per KMS key: one for a key's first value, then twice
# as many each time up to this many, so a key that seals one value makes one data key.
DATA_KEY_BATCH = 16

# Key ARNs that wrapped values, parsed once: every read looks its wrapping key up.
_parsed_key_arns: dict[str, tuple[str, str, str, str]] = {}


class KmsVault:
    """Seals and unseals the values of one Secrets Manager store (account, region)."""

    def __init__(self, state: MockState, account: str, region: str) -> None:
        self._state = state
        self._account = account
        self._region = region
        self._opened: Opened = {}  # recently read values: their wrapping key and data-key cipher
        # What each key reference resolved to, with the generation of the KMS store that
        # holds the key: valid while that store's aliases stay as they were and the key
        # stays enabled (a purged key was PendingDeletion first).
        self._resolved: dict[str, tuple[model.KmsStore, int, model.Key]] = {}
        # Unused fresh data keys per wrapping key (by ARN; the Key object is checked), and
        # the size of that key's next batch.
        self._data_keys: dict[str, tuple[model.Key, list[DataKey], int]] = {}

    def __repr__(self) -> str:
        return f"<KmsVault {self._account} {self._region}>"

    def seal(self, value: SecretValue, key_ref: str) -> SealedValue:
        """Encrypt under the key ``key_ref`` names now; EncryptionFailure if unusable."""
        key = self._sealing_key(key_ref)
        ready = self._data_keys.get(key.arn)
        if ready is None or ready[0] is not key:
            ready = (key, [], 1)
        if not ready[1]:
            batch = ready[2]
            ready = self._data_keys[key.arn] = (
                key, fresh_data_keys(key.cipher, key.arn, batch), min(batch * 2, DATA_KEY_BATCH)
            )
        return seal_with(ready[1].pop(), value, key.arn)

    def _sealing_key(self, key_ref: str) -> model.Key:
        """``key_for_encryption``, remembered per reference while the KMS store holding
        the key keeps its generation and the key stays enabled (anything else, errors
        included, goes the full way)."""
        known = self._resolved.get(key_ref)
        if known is not None and known[0].generation == known[1] and known[2].usable:
            return known[2]
        key = key_for_encryption(self._state, self._account, self._region, key_ref)
        holder = self._state.kms(key.account, key.region)
        if len(self._resolved) >= 64:
            self._resolved.clear()
        self._resolved[key_ref] = (holder, holder.generation, key)
        return key

    def wrapping_key(self, sealed: SealedValue) -> model.Key | None:
        """The key that wrapped ``sealed``, or None once it has been deleted."""
        parsed = _parsed_key_arns.get(sealed.key_ref)
        if parsed is None:
            parsed = model.parse_arn(sealed.key_ref)
            if parsed is None:
                return None
            if len(_parsed_key_arns) >= 4096:
                _parsed_key_arns.clear()
            _parsed_key_arns[sealed.key_ref] = parsed
        region, account, _, key_id = parsed
        store = self._state.kms_stores.get((account, region))
        key = store.keys.get(key_id) if store is not None else None
        if key is not None and key.deletion_date is not None:
            now = self._state.clock.now()
            if key.deletion_date <= now:
                store.purge_due(now)  # type: ignore[union-attr]
                return None
        return key

    def unseal(self, sealed: SealedValue, current_key_ref: str | None = None) -> SecretValue:
        """Decrypt with the key that wrapped the value; DecryptionFailure if that key is
        disabled, pending deletion or gone, or the ciphertext was tampered with.

        ``current_key_ref`` (the secret's key now) matters in ``classic`` key-change
        mode only: a version wrapped by any other key cannot be read there.
        """
        entry = self._opened.get(id(sealed))
        if entry is not None and entry[0] is sealed:
            key: model.Key | None = entry[1]
            cipher: AESGCM | None = entry[2]
        else:
            key, cipher = self.wrapping_key(sealed), None
        if key is None or not key.usable:
            raise decryption_failure()
        if current_key_ref is not None and self._state.config.kms_key_change_mode == "classic":
            try:
                current = model.resolve(
                    self._state, self._account, self._region, current_key_ref, self._state.clock.now()
                )
            except KmsError:
                raise decryption_failure() from None
            if current is not key:
                raise decryption_failure()
        if cipher is None:
            cipher = open_data_key(key.cipher, sealed)
            if len(self._opened) >= OPENED_MAX:
                self._opened.pop(next(iter(self._opened)), None)
            self._opened[id(sealed)] = (sealed, key, cipher)
        return decrypt_value(cipher, sealed)
