"""Helpers the catalogue tests share (ListSecrets, BatchGetSecretValue)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from mocksm.clock import SECONDS_PER_DAY


def names(response: dict[str, Any]) -> list[str]:
    return [entry["Name"] for entry in response["SecretList"]]


def store_of(handle: Any, region: str | None = None) -> Any:
    return handle._state.backend(handle.account_id, region or handle.region)


def model(handle: Any, name: str) -> Any:
    """The model object of secret ``name``, for attributes no API sets yet."""
    return store_of(handle).by_name[name]


def schedule_deletion(handle: Any, client: Any, name: str, days: int = 7) -> None:
    """DeleteSecret with a recovery window (or, until that operation is merged, the same
    change made on the model)."""
    try:
        client.delete_secret(SecretId=name, RecoveryWindowInDays=days)
        return
    except ClientError as error:
        if error.response["Error"]["Code"] != "NotImplemented":
            raise
    store = store_of(handle)
    secret = store.by_name[name]
    now = handle.clock.now()
    secret.deleted_date = now
    secret.deletion_date = now + days * SECONDS_PER_DAY
    store.scheduled[secret.arn] = secret


def force_delete(handle: Any, client: Any, name: str) -> None:
    """DeleteSecret without recovery (or its model-level equivalent until merged)."""
    try:
        client.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
        return
    except ClientError as error:
        if error.response["Error"]["Code"] != "NotImplemented":
            raise
    store = store_of(handle)
    store.remove(store.by_name[name])
