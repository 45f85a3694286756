"""``handle.kms``: the embedded KMS's key actions as shortcuts for tests.

They act on the same state the boto3 ``kms`` client changes, so a key disabled here
is disabled for ``DescribeKey`` too, and a secret wrapped by it becomes unreadable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mocksm.errors import MocksmError, ServiceError
from mocksm.kms import model

if TYPE_CHECKING:
    from mocksm._state import MockState


@dataclass(frozen=True)
class KeyView:
    """A read-only snapshot of a KMS key (never its material)."""

    key_id: str
    arn: str
    account: str
    region: str
    state: str
    manager: str
    description: str
    aliases: tuple[str, ...]
    deletion_date: float | None


class KmsHandle:
    """Create, inspect, disable, enable and delete keys of the embedded KMS.

    ``key_ref`` is anything KMS accepts as a KeyId: key id, key ARN, alias name
    (``alias/...``) or alias ARN. ``region``/``account`` default to the mock's.
    """

    def __init__(self, state: MockState) -> None:
        self._state = state

    def __repr__(self) -> str:
        return f"<KmsHandle stores={len(self._state.kms_stores)}>"

    def _where(self, region: str | None, account: str | None) -> tuple[str, str]:
        return account or self._state.config.account_id, region or self._state.config.region

    def _key(self, key_ref: str, region: str | None, account: str | None) -> model.Key:
        account, region = self._where(region, account)
        try:
            return model.resolve(self._state, account, region, key_ref, self._state.clock.now())
        except ServiceError as error:
            raise MocksmError(f"no such KMS key {key_ref!r}: {error.message}") from None

    def _view(self, key: model.Key) -> KeyView:
        store = self._state.kms(key.account, key.region)
        aliases = tuple(a.name for a in store.aliases_of(key.key_id))
        return KeyView(key.key_id, key.arn, key.account, key.region, key.state, key.manager,
                       key.description, aliases, key.deletion_date)

    def create_key(
        self,
        description: str = "",
        alias: str | None = None,
        key_id: str | None = None,
        region: str | None = None,
        account: str | None = None,
    ) -> KeyView:
        """A new enabled symmetric customer key, optionally with an ``alias/...`` name."""
        account, region = self._where(region, account)
        if alias is not None and not alias.startswith("alias/"):
            raise MocksmError(f"alias must start with 'alias/', not {alias!r}")
        if key_id is not None and not model.KEY_ID.fullmatch(key_id):
            raise MocksmError(f"key_id must be a UUID or mrk- id, not {key_id!r}")
        with self._state.lock:
            store = self._state.kms(account, region)
            now = self._state.clock.now()
            if key_id is not None and key_id in store.keys:
                raise MocksmError(f"KMS key {key_id!r} already exists")
            if alias is not None and alias in store.aliases:
                raise MocksmError(f"KMS alias {alias!r} already exists")
            key = store.create_key(now, description, key_id=key_id)
            if alias is not None:
                store.set_alias(alias, key, now)
            return self._view(key)

    def describe_key(self, key_ref: str, region: str | None = None,
                     account: str | None = None) -> KeyView:
        """A snapshot of one key; ``MocksmError`` if it does not exist."""
        with self._state.lock:
            return self._view(self._key(key_ref, region, account))

    def list_keys(self, region: str | None = None, account: str | None = None) -> list[KeyView]:
        """Snapshots of every key of one account and region (the AWS managed key too, once created)."""
        account, region = self._where(region, account)
        with self._state.lock:
            store = self._state.kms(account, region)
            store.purge_due(self._state.clock.now())
            return [self._view(k) for k in store.keys.values()]

    def default_key(self, region: str | None = None, account: str | None = None) -> KeyView:
        """The AWS managed key ``aws/secretsmanager`` (created if it does not exist yet)."""
        return self.describe_key(model.SECRETS_MANAGER_ALIAS, region, account)

    def disable_key(self, key_ref: str, region: str | None = None, account: str | None = None) -> None:
        """Disable a key (the AWS managed key too, to test what a secret does then)."""
        with self._state.lock:
            self._change(model.disable, key_ref, region, account)

    def enable_key(self, key_ref: str, region: str | None = None, account: str | None = None) -> None:
        """Enable a disabled key: what it wrapped is readable again."""
        with self._state.lock:
            self._change(model.enable, key_ref, region, account)

    def delete_key(self, key_ref: str, pending_window_in_days: int = 30, region: str | None = None,
                   account: str | None = None) -> float:
        """Schedule deletion (the key becomes PendingDeletion); returns the deletion date.
        Advance ``handle.clock`` past it and the key is gone for good."""
        with self._state.lock:
            key = self._key(key_ref, region, account)
            try:
                store = self._state.kms(key.account, key.region)
                return model.schedule_deletion(
                    store, key, pending_window_in_days, self._state.clock.now()
                )
            except ServiceError as error:
                raise MocksmError(error.message) from None

    def cancel_key_deletion(self, key_ref: str, region: str | None = None,
                            account: str | None = None) -> None:
        """Cancel a scheduled deletion; the key comes back Disabled, as in KMS."""
        with self._state.lock:
            self._change(model.cancel_deletion, key_ref, region, account)

    def _change(
        self, action: Callable[[model.Key], None], key_ref: str, region: str | None, account: str | None
    ) -> None:
        key = self._key(key_ref, region, account)
        try:
            action(key)
        except ServiceError as error:
            raise MocksmError(error.message) from None
