"""The rotation function mocksm runs where no real one is registered: managed secrets,
managed external secrets, and ``unregistered_rotation_lambda="simulate"``. It works on the
model directly (a new value by the built-in function's rules, then AWSCURRENT moved)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mocksm.rotation import RotationHandler, new_value
from mocksm.secretsmanager import labels, messages, versioning
from mocksm.secretsmanager.labels import CURRENT, PENDING

if TYPE_CHECKING:
    from mocksm._state import MockState
    from mocksm.secretsmanager.secret import Secret, Version


def simulated_rotation(state: MockState) -> RotationHandler:
    """A rotation function that works on the model directly (spec: simulated rotation)."""

    def handler(event: dict[str, Any], context: Any) -> None:
        with state.lock:
            secret = _find(state, event["SecretId"])
            token = event["ClientRequestToken"]
            version = secret.versions.get(token)
            if version is None:
                raise ValueError(f"version {token} of {secret.arn} does not exist")
            if event["Step"] == "createSecret" and version.sealed is None:
                _simulated_create(state, secret, version)
            elif event["Step"] == "finishSecret" and CURRENT not in version.stages:
                now = state.clock.now()
                old = secret.current()
                planned = labels.move(secret.stages(), CURRENT, token,
                                      old.version_id if old is not None else None)
                planned[token].discard(PENDING)
                secret.apply_stages(planned)
                secret.touch(now)

    return handler


def _find(state: MockState, arn: str) -> Secret:
    parts = arn.split(":")
    store = state.backends.get((parts[4], parts[3])) if len(parts) > 4 else None
    secret: Secret | None = store.by_arn.get(arn) if store is not None else None
    if secret is None:
        raise messages.not_found()
    return secret


def _simulated_create(state: MockState, secret: Secret, version: Version) -> None:
    store = state.backend(secret.account, secret.region)
    current = secret.current()
    old = None
    if current is not None and current.sealed is not None:
        old = store.vault.unseal(current.sealed)
    version.sealed = versioning.seal(store, secret, new_value(old))
    version.kms_key_ids = versioning.reported_key_ids(secret)
    secret.touch(state.clock.now())
