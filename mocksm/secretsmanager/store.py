"""The secrets of one (account, region), and how a SecretId finds one of them."""

from __future__ import annotations

import itertools
import math
import re
import secrets as _random
import string
from typing import TYPE_CHECKING

from mocksm.kms.vault import KmsVault
from mocksm.partitions import partition
from mocksm.secretsmanager import messages
from mocksm.secretsmanager.secret import Secret
from mocksm.secretsmanager.values import Vault

if TYPE_CHECKING:
    from mocksm._state import MockState

_SUFFIX_ALPHABET = string.ascii_letters + string.digits
_ARN = re.compile(r"arn:([^:]+):secretsmanager:([^:]*):([^:]*):secret:(.+)", re.DOTALL)
_FULL_ARN_TAIL = re.compile(r"-[A-Za-z0-9]{6}\Z")


# Random bytes map onto the 62 characters four times over; the 8 values past 4 x 62 = 248
# are dropped, so every character stays equally likely.
_SUFFIX_TABLE = bytes(ord(_SUFFIX_ALPHABET[value % 62]) for value in range(256))
_SUFFIX_UNEVEN = bytes(range(4 * 62, 256))


def random_suffix() -> str:
    """Six characters of [A-Za-z0-9], uniformly at random from the system CSPRNG, in one
    read (a ``secrets.choice`` per character cost 9 µs per ARN)."""
    while True:
        drawn = _random.token_bytes(12).translate(_SUFFIX_TABLE, _SUFFIX_UNEVEN)
        if len(drawn) >= 6:
            return drawn[:6].decode("ascii")


def secret_arn(region: str, account: str, name: str, suffix: str | None = None) -> str:
    if suffix is None:
        suffix = random_suffix()
    return f"arn:{partition(region)}:secretsmanager:{region}:{account}:secret:{name}-{suffix}"


class SecretStore:
    """Secrets by name and by ARN; secrets past their deletion date are purged lazily."""

    def __init__(self, state: MockState, account: str, region: str) -> None:
        self.state = state
        self.account = account
        self.region = region
        self.by_name: dict[str, Secret] = {}
        self.by_arn: dict[str, Secret] = {}
        self.scheduled: dict[str, Secret] = {}
        self.vault: Vault = KmsVault(state, account, region)
        self._seq = itertools.count()
        self._next_due = math.inf  # earliest DeletionDate in ``scheduled`` (may be stale-low)

    def next_seq(self) -> int:
        return next(self._seq)

    def add(self, secret: Secret) -> None:
        self.by_name[secret.name] = secret
        self.by_arn[secret.arn] = secret

    def remove(self, secret: Secret) -> None:
        self.by_name.pop(secret.name, None)
        self.by_arn.pop(secret.arn, None)
        self.scheduled.pop(secret.arn, None)

    def purge_due(self, now: float) -> None:
        """Forget secrets whose recovery window has ended (cheap when none is due)."""
        if not self.scheduled or now < self._next_due:
            return
        for secret in [s for s in self.scheduled.values() if s.deletion_date is not None
                       and s.deletion_date <= now]:
            self.remove(secret)
        self._next_due = min(
            (s.deletion_date for s in self.scheduled.values() if s.deletion_date is not None),
            default=math.inf,
        )

    def schedule_deletion(self, secret: Secret, deleted: float, deletion: float) -> None:
        """Mark ``secret`` deleted at ``deleted``; it is purged once the clock reaches
        ``deletion``."""
        secret.deleted_date = deleted
        secret.deletion_date = deletion
        self.scheduled[secret.arn] = secret
        self._next_due = min(self._next_due, deletion)

    def cancel_deletion(self, secret: Secret) -> None:
        secret.deleted_date = None
        secret.deletion_date = None
        self.scheduled.pop(secret.arn, None)


def parse_arn(secret_id: str) -> tuple[str, str, str, str] | None:
    """``(partition, region, account, rest)`` of a Secrets Manager secret ARN, else None."""
    match = _ARN.fullmatch(secret_id)
    if match is None:
        return None
    return match.group(1), match.group(2), match.group(3), match.group(4)


def looks_like_full_arn_tail(rest: str) -> bool:
    """Whether an ARN's resource part ends like a full ARN (``-`` + 6 characters)."""
    return _FULL_ARN_TAIL.search(rest) is not None


def locate(
    state: MockState, account: str, region: str, secret_id: str, now: float
) -> tuple[SecretStore, Secret]:
    """The secret a SecretId names (name, full ARN or partial ARN) and the store holding
    it, or NF."""
    if not secret_id.startswith("arn:"):
        store: SecretStore = state.backend(account, region)
        if store.scheduled:
            store.purge_due(now)
        secret = store.by_name.get(secret_id)
        if secret is None:
            raise messages.not_found()
        return store, secret
    match = _ARN.fullmatch(secret_id)
    if (
        match is None
        or match.group(1) != partition(region)
        or match.group(2) != region
        or not re.fullmatch(r"\d{12}", match.group(3))
    ):
        raise messages.not_found()
    store = state.backend(match.group(3), region)
    assert isinstance(store, SecretStore)
    store.purge_due(now)
    secret = store.by_arn.get(secret_id)
    if secret is not None:
        return store, secret
    rest = match.group(4)
    if _FULL_ARN_TAIL.search(rest):
        raise messages.not_found()
    secret = store.by_name.get(rest)
    if secret is None:
        raise messages.not_found()
    return store, secret


def check_secret_id(secret_id: str) -> None:
    """The character check AWS applies to a SecretId that is not an ARN."""
    if secret_id in _checked_ids or secret_id.startswith("arn:"):
        return
    if not _SECRET_ID_CHARS.fullmatch(secret_id):
        raise messages.invalid_name()
    if len(_checked_ids) >= 4096:  # ids that passed, remembered: every call checks one
        _checked_ids.clear()
    _checked_ids.add(secret_id)


_checked_ids: set[str] = set()


def check_name(name: str) -> None:
    if not _NAME_CHARS.fullmatch(name):
        raise messages.invalid_name()


_NAME_CHARS = re.compile(r"[A-Za-z0-9/_+=.@-]+")
_SECRET_ID_CHARS = re.compile(r"[A-Za-z0-9/_+=.@!-]+")
