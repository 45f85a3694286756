"""Keys and aliases of one (account, region), and how a KeyId string finds a key.

Key material is a random AES-256 key per key, made when the key is created and held
only inside an ``AESGCM`` object (never as bytes on the model). It lives as long as
the mock's state, so it is new for every activation.
"""

from __future__ import annotations

import math
import re
import secrets as _random
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mocksm.clock import SECONDS_PER_DAY
from mocksm.kms import errors
from mocksm.partitions import partition

if TYPE_CHECKING:
    from mocksm._state import MockState

ENABLED = "Enabled"
DISABLED = "Disabled"
PENDING_DELETION = "PendingDeletion"
CUSTOMER = "CUSTOMER"
AWS_MANAGED = "AWS"
SECRETS_MANAGER_ALIAS = "alias/aws/secretsmanager"
SECRETS_MANAGER_KEY_DESCRIPTION = (
    "Default key that protects my Secrets Manager data when no other key is defined"
)

KEY_ID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32}"
)
_ARN = re.compile(r"arn:([^:]+):kms:([^:]*):([^:]*):(key|alias)/(.+)", re.DOTALL)


@dataclass(eq=False)
class Key:
    key_id: str
    arn: str
    account: str
    region: str
    created: float
    description: str
    manager: str
    cipher: AESGCM = field(repr=False)
    state: str = ENABLED
    deletion_date: float | None = None
    multi_region: bool = False
    tags: list[dict[str, str]] = field(default_factory=list)
    # KMS names each key material with 64 hex digits (CurrentKeyMaterialId, and the
    # KeyMaterialId of GenerateDataKey/Decrypt); an identifier, not the material.
    material_id: str = field(default_factory=lambda: _random.token_hex(32))

    def __repr__(self) -> str:
        return f"<Key {self.arn} {self.state}>"

    def require_usable(self) -> None:
        """DisabledException / KMSInvalidStateException for a key that cannot be used."""
        if self.state == DISABLED:
            raise errors.disabled(self.arn)
        if self.state == PENDING_DELETION:
            raise errors.pending_deletion(self.arn)

    @property
    def usable(self) -> bool:
        return self.state == ENABLED

    def metadata(self) -> dict[str, Any]:
        """DescribeKey's KeyMetadata (symmetric encryption keys only)."""
        out: dict[str, Any] = {
            "AWSAccountId": self.account,
            "KeyId": self.key_id,
            "Arn": self.arn,
            "CreationDate": self.created,
            "Enabled": self.state == ENABLED,
            "Description": self.description,
            "KeyUsage": "ENCRYPT_DECRYPT",
            "KeyState": self.state,
        }
        if self.deletion_date is not None:
            out["DeletionDate"] = self.deletion_date
        out.update({
            "Origin": "AWS_KMS",
            "KeyManager": self.manager,
            "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
            "KeySpec": "SYMMETRIC_DEFAULT",
            "EncryptionAlgorithms": ["SYMMETRIC_DEFAULT"],
            "MultiRegion": self.multi_region,
        })
        if self.multi_region:
            out["MultiRegionConfiguration"] = {
                "MultiRegionKeyType": "PRIMARY",
                "PrimaryKey": {"Arn": self.arn, "Region": self.region},
                "ReplicaKeys": [],
            }
        out["CurrentKeyMaterialId"] = self.material_id
        return out


@dataclass(eq=False)
class Alias:
    name: str
    arn: str
    target_key_id: str
    created: float
    updated: float


class KmsStore:
    """The keys and aliases of one account in one region."""

    def __init__(self, state: MockState, account: str, region: str) -> None:
        self.state = state
        self.account = account
        self.region = region
        self.keys: dict[str, Key] = {}
        self.aliases: dict[str, Alias] = {}
        self._next_due = math.inf  # earliest DeletionDate of a key (may be stale-low)
        # Bumped whenever an alias is set, retargeted or deleted, so a vault's remembered
        # resolutions stay exact (a key is purged only after it stopped being usable,
        # which the vault checks on every use).
        self.generation = 0

    def __repr__(self) -> str:
        return f"<KmsStore {self.account} {self.region} keys={len(self.keys)}>"

    def key_arn(self, key_id: str) -> str:
        return f"arn:{partition(self.region)}:kms:{self.region}:{self.account}:key/{key_id}"

    def alias_arn(self, name: str) -> str:
        return f"arn:{partition(self.region)}:kms:{self.region}:{self.account}:{name}"

    def create_key(
        self,
        now: float,
        description: str = "",
        key_id: str | None = None,
        manager: str = CUSTOMER,
        multi_region: bool = False,
        tags: list[dict[str, str]] | None = None,
    ) -> Key:
        if key_id is None:
            key_id = f"mrk-{_random.token_hex(16)}" if multi_region else str(uuid.uuid4())
        key = Key(
            key_id=key_id,
            arn=self.key_arn(key_id),
            account=self.account,
            region=self.region,
            created=now,
            description=description,
            manager=manager,
            cipher=AESGCM(AESGCM.generate_key(bit_length=256)),
            multi_region=multi_region or key_id.startswith("mrk-"),
            tags=list(tags or []),
        )
        self.keys[key_id] = key
        return key

    def set_alias(self, name: str, key: Key, now: float) -> Alias:
        self.generation += 1
        alias = self.aliases.get(name)
        if alias is None:
            alias = self.aliases[name] = Alias(name, self.alias_arn(name), key.key_id, now, now)
        else:
            alias.target_key_id = key.key_id
            alias.updated = now
        return alias

    def managed_key(self, now: float) -> Key:
        """The AWS managed key ``aws/secretsmanager``, created on first use."""
        alias = self.aliases.get(SECRETS_MANAGER_ALIAS)
        if alias is not None and alias.target_key_id in self.keys:
            return self.keys[alias.target_key_id]
        key = self.create_key(now, SECRETS_MANAGER_KEY_DESCRIPTION, manager=AWS_MANAGED)
        self.set_alias(SECRETS_MANAGER_ALIAS, key, now)
        return key

    def purge_due(self, now: float) -> None:
        """Forget keys whose deletion waiting period has ended (and their aliases).

        Every key lookup calls this, so it returns at once unless a deletion is due.
        """
        if now < self._next_due:
            return
        due = [k for k in self.keys.values() if k.deletion_date is not None and k.deletion_date <= now]
        for key in due:
            del self.keys[key.key_id]
            for name in [n for n, a in self.aliases.items() if a.target_key_id == key.key_id]:
                del self.aliases[name]
        self._next_due = min(
            (k.deletion_date for k in self.keys.values() if k.deletion_date is not None),
            default=math.inf,
        )

    def deletion_scheduled(self, when: float) -> None:
        """Note a key's DeletionDate, so ``purge_due`` acts once the clock reaches it."""
        self._next_due = min(self._next_due, when)

    def delete_alias(self, name: str) -> None:
        self.generation += 1
        del self.aliases[name]

    def aliases_of(self, key_id: str) -> list[Alias]:
        return [a for a in self.aliases.values() if a.target_key_id == key_id]


# -- key state changes (shared by the KMS API and the mock handle) ----------------------

def enable(key: Key) -> None:
    if key.state == PENDING_DELETION:
        raise errors.pending_deletion(key.arn)
    key.state = ENABLED


def disable(key: Key) -> None:
    if key.state == PENDING_DELETION:
        raise errors.pending_deletion(key.arn)
    key.state = DISABLED


def schedule_deletion(store: KmsStore, key: Key, days: int, now: float) -> float:
    """Put ``key`` (held by ``store``) in PendingDeletion; returns its DeletionDate."""
    if key.state == PENDING_DELETION:
        raise errors.pending_deletion(key.arn)
    key.state = PENDING_DELETION
    key.deletion_date = round(now + days * SECONDS_PER_DAY, 3)
    store.deletion_scheduled(key.deletion_date)
    return key.deletion_date


def cancel_deletion(key: Key) -> None:
    """A key whose deletion is cancelled comes back Disabled, as in KMS."""
    if key.state != PENDING_DELETION:
        raise errors.not_pending_deletion(key.arn)
    key.state = DISABLED
    key.deletion_date = None


# -- resolution -------------------------------------------------------------------------

@lru_cache(maxsize=1024)  # every read of a sealed value parses its key's ARN
def parse_arn(arn: str) -> tuple[str, str, str, str] | None:
    """(region, account, 'key'|'alias', id-or-alias-name) of a KMS ARN, or None."""
    match = _ARN.fullmatch(arn)
    if match is None:
        return None
    kind, rest = match.group(4), match.group(5)
    return match.group(2), match.group(3), kind, rest if kind == "key" else f"alias/{rest}"


def resolve(
    state: MockState,
    account: str,
    region: str,
    key_ref: str,
    now: float,
    allow_alias: bool = True,
) -> Key:
    """The key ``key_ref`` (key id, key ARN, alias name, alias ARN) names, or KMS's error.

    ``alias/aws/secretsmanager`` creates the AWS managed key on first use, as KMS does.
    """
    if key_ref.startswith("arn:"):
        parsed = parse_arn(key_ref)
        if parsed is None:
            raise errors.invalid_key_id(key_ref)
        arn_region, arn_account, kind, ident = parsed
        if arn_region != region:
            raise errors.invalid_arn_region(arn_region)
        if kind == "alias" and not allow_alias:
            raise errors.invalid_key_id(key_ref)
        store = state.kms(arn_account, region)
        store.purge_due(now)
        if kind == "key":
            key = store.keys.get(ident)
            if key is None:
                raise errors.key_not_found(key_ref)
            return key
        return _by_alias(store, ident, now, key_ref)
    store = state.kms(account, region)
    store.purge_due(now)
    if key_ref.startswith("alias/"):
        if not allow_alias:
            raise errors.invalid_key_id(key_ref)
        return _by_alias(store, key_ref, now)
    if not KEY_ID.fullmatch(key_ref):
        raise errors.invalid_key_id(key_ref)
    key = store.keys.get(key_ref)
    if key is None:
        raise errors.key_not_found(store.key_arn(key_ref))
    return key


def _by_alias(store: KmsStore, name: str, now: float, shown: str | None = None) -> Key:
    """The key alias ``name`` points to; the error names ``shown`` (default: the alias
    ARN, built only then: every seal under the default key comes through here)."""
    if name == SECRETS_MANAGER_ALIAS:
        return store.managed_key(now)
    alias = store.aliases.get(name)
    key = store.keys.get(alias.target_key_id) if alias is not None else None
    if key is None:
        raise errors.alias_not_found(shown if shown is not None else store.alias_arn(name))
    return key


def create_named(state: MockState, account: str, region: str, key_ref: str, now: float) -> Key:
    """Create the key ``key_ref`` names (for ``kms_unknown_keys="create"``)."""
    target_account, ident = account, key_ref
    if key_ref.startswith("arn:"):
        parsed = parse_arn(key_ref)
        if parsed is None:
            raise errors.invalid_key_id(key_ref)
        _, target_account, _, ident = parsed
    store = state.kms(target_account, region)
    if ident.startswith("alias/"):
        key = store.create_key(now, "Created by mocksm on first use")
        store.set_alias(ident, key, now)
        return key
    if not KEY_ID.fullmatch(ident):
        raise errors.invalid_key_id(key_ref)
    return store.create_key(now, "Created by mocksm on first use", key_id=ident)
