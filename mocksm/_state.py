"""Everything one activation of the mock holds: config, clock, and a backend per
(account, region). Wiped at the outermost stop and by ``handle.reset()``."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from mocksm._config import Config
from mocksm.clock import Clock

if TYPE_CHECKING:
    from mocksm.kms.model import KmsStore
    from mocksm.secretsmanager.store import SecretStore


class MockState:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.clock = Clock()
        # Re-entrant: a rotation function called while serving RotateSecret calls back in.
        self.lock = threading.RLock()
        self.backends: dict[tuple[str, str], SecretStore] = {}
        self.rotation_functions: dict[str, Any] = {}  # kept by reset(): it is test setup
        self.rotation_log: dict[str, list[Any]] = {}  # secret ARN -> RotationAttempts
        self.rotation_heap: list[Any] = []  # (due, tie, secret): earliest due rotation first
        self.rotation_parked: list[Any] = []  # due while scheduled for deletion
        self.kms_stores: dict[tuple[str, str], KmsStore] = {}
        # Primaries with replicas, by ARN: mirrored after every successful call.
        self.replicated: dict[str, Any] = {}
        self.last_internal_error: BaseException | None = None
        # Rotation functions running now (on any thread): the outermost stop waits for them;
        # once it has (``closed``), one prepared but not yet started is not run.
        self.rotations_running = 0
        self.rotations_idle = threading.Condition(self.lock)
        self.closed = False

    def backend(self, account: str, region: str) -> SecretStore:
        """The Secrets Manager store of (account, region), created on first use."""
        key = (account, region)
        store = self.backends.get(key)
        if store is None:
            from mocksm.secretsmanager.store import SecretStore

            store = self.backends[key] = SecretStore(self, account, region)
        return store

    def kms(self, account: str, region: str) -> KmsStore:
        """The embedded KMS of (account, region): keys and aliases, created on first use."""
        key = (account, region)
        store = self.kms_stores.get(key)
        if store is None:
            from mocksm.kms.model import KmsStore

            store = self.kms_stores[key] = KmsStore(self, account, region)
        return store

    def wait_for_rotations(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds until no rotation function is running."""
        with self.lock:
            return self.rotations_idle.wait_for(lambda: self.rotations_running == 0, timeout)

    def reset(self) -> None:
        with self.lock:
            self.backends.clear()
            self.kms_stores.clear()
            self.replicated.clear()
            self.clock.reset()
            self.rotation_log.clear()
            self.rotation_heap.clear()
            self.rotation_parked.clear()
            self.last_internal_error = None
