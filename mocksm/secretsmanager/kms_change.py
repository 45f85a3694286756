"""What happens to existing versions when UpdateSecret changes a secret's KMS key
(spec 4.7.3), computed before anything changes so a failure leaves the secret intact.

- ``aws`` mode (default, today's API): versions labelled AWSCURRENT, AWSPENDING or
  AWSPREVIOUS after the update are re-encrypted under the new key; other versions stay
  under their old key and stay readable while that key is usable.
- ``classic`` mode (the founding guide): only the version that is AWSCURRENT when the
  key changes, and only if the same call brings no new value, moves to the new key.
  Every other version is left under the old key, and in this mode a version can only
  be read with the secret's current key, so those become unreadable.
"""

from __future__ import annotations

from mocksm.errors import ServiceError
from mocksm.kms.vault import key_for_encryption
from mocksm.secretsmanager import labels
from mocksm.secretsmanager.labels import CURRENT
from mocksm.secretsmanager.secret import Secret
from mocksm.secretsmanager.store import SecretStore
from mocksm.secretsmanager.values import SealedValue

ROTATION_LABELS = frozenset({CURRENT, "AWSPENDING", "AWSPREVIOUS"})


def rewrap_plan(
    store: SecretStore,
    secret: Secret,
    new_key_ref: str,
    stages_after: labels.Stages,
    new_version_id: str | None,
) -> dict[str, SealedValue]:
    """Version id -> its value sealed under ``new_key_ref``, for the versions that move.

    Raises EncryptionFailure if the new key cannot encrypt and there is a version to
    move. A version whose own key can no longer decrypt it cannot be re-encrypted and
    stays where it is.
    """
    if store.state.config.kms_key_change_mode == "classic":
        current = secret.current()
        targets = [current.version_id] if current is not None and new_version_id is None else []
    else:
        targets = [
            vid for vid, stages in stages_after.items()
            if vid != new_version_id and vid in secret.versions and stages & ROTATION_LABELS
        ]
    out: dict[str, SealedValue] = {}
    if any(secret.versions[vid].sealed is not None for vid in targets):
        # The new key must be able to encrypt even if no version can actually move.
        key_for_encryption(store.state, secret.account, secret.region, new_key_ref)
    for vid in targets:
        sealed = secret.versions[vid].sealed
        if sealed is None:
            continue
        try:
            value = store.vault.unseal(sealed)
        except ServiceError:
            continue
        out[vid] = store.vault.seal(value, new_key_ref)
    return out


def apply_rewrap(secret: Secret, rewrapped: dict[str, SealedValue], key_ids: list[str]) -> None:
    """Commit a ``rewrap_plan``; cannot fail."""
    for vid, sealed in rewrapped.items():
        version = secret.versions.get(vid)
        if version is not None:
            version.sealed = sealed
            version.kms_key_ids = list(key_ids)
