"""What an operation handler receives besides its parameters: who is calling, where, when."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mocksm.secretsmanager import messages
from mocksm.secretsmanager.store import SecretStore, check_secret_id, locate

if TYPE_CHECKING:
    from mocksm._state import MockState
    from mocksm.secretsmanager.secret import Secret


class Call:
    """One request being served (a plain slotted class: one is made per call)."""

    __slots__ = ("account", "after", "managed_by", "now", "region", "state")

    def __init__(
        self, state: MockState, account: str, region: str, now: float, managed_by: str | None = None
    ) -> None:
        self.state = state
        self.account = account
        self.region = region
        self.now = now
        # Work to do once the answer is ready and the state lock is released (rotation
        # functions, which call back into the mock); see ``defer``.
        self.after: list[Callable[[], Any]] | None = None
        # Set when an AWS service (handle.create_managed_secret) is the one creating a secret.
        self.managed_by = managed_by

    def defer(self, action: Callable[[], Any]) -> None:
        """Run ``action`` after the answer is ready, outside the state lock."""
        if self.after is None:
            self.after = []
        self.after.append(action)

    @property
    def store(self) -> SecretStore:
        """The caller's own store (account, region), purged of secrets whose recovery
        window has ended, so no operation ever sees one."""
        store: SecretStore = self.state.backend(self.account, self.region)
        store.purge_due(self.now)
        return store

    def store_of(self, secret: Secret) -> SecretStore:
        store: SecretStore = self.state.backend(secret.account, secret.region)
        return store

    def resolve(self, secret_id: str) -> Secret:
        """Name check, then lookup by name, full ARN or partial ARN (NF if absent)."""
        check_secret_id(secret_id)
        return locate(self.state, self.account, self.region, secret_id, self.now)[1]

    def locate(self, secret_id: str) -> tuple[SecretStore, Secret]:
        """The store and the secret, for a handler that has run the name check itself
        (AWS applies it before other checks of the request)."""
        return locate(self.state, self.account, self.region, secret_id, self.now)

    def require_not_deleted(self, secret: Secret) -> None:
        if secret.scheduled_for_deletion:
            raise messages.marked_for_deletion()

    def require_writable(self, secret: Secret, own_key: bool = False) -> None:
        """Replica, deletion and managed-secret checks, in the order every write applies them;
        ``own_key``: between the first two, PutSecretValue's cross-account key check."""
        if secret.extra.get("replica_of"):
            raise messages.replica_write()
        if own_key:
            self.require_same_account_or_own_key(secret)
        if secret.deletion_date is not None:
            raise messages.marked_for_deletion()
        if secret.owning_service:
            raise messages.managed_secret()

    def require_same_account_or_own_key(self, secret: Secret) -> None:
        if secret.account != self.account and secret.kms_key_id is None:
            raise messages.cross_account_default_key()
