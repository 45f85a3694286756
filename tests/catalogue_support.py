"""Helpers the catalogue tests share (ListSecrets, BatchGetSecretValue)."""

from __future__ import annotations

from typing import Any


def names(response: dict[str, Any]) -> list[str]:
    return [entry["Name"] for entry in response["SecretList"]]


def store_of(handle: Any, region: str | None = None) -> Any:
    return handle._state.backend(handle.account_id, region or handle.region)


def model(handle: Any, name: str) -> Any:
    """The model object of secret ``name``, for attributes no API sets."""
    return store_of(handle).by_name[name]


def schedule_deletion(handle: Any, client: Any, name: str, days: int = 7) -> None:
    client.delete_secret(SecretId=name, RecoveryWindowInDays=days)


def force_delete(handle: Any, client: Any, name: str) -> None:
    client.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
