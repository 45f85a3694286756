"""Creating versions: token reuse, label moves, quotas and retention, all checked
before anything changes, then committed in one step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mocksm.clock import SECONDS_PER_DAY
from mocksm.secretsmanager import labels, messages
from mocksm.secretsmanager.labels import CURRENT
from mocksm.secretsmanager.secret import Secret, Version
from mocksm.secretsmanager.store import SecretStore
from mocksm.secretsmanager.values import SealedValue, SecretValue

MAX_LABELS = 20
MAX_VERSIONS = 100
DEFAULT_KEY_ALIAS = "alias/aws/secretsmanager"
DEFAULT_KEY_REPORTED = "DefaultEncryptionKey"
DELETED_VERSIONS = "deleted_versions"  # Secret.extra: ids of versions retention removed


def key_ref(secret: Secret) -> str:
    """The key a new version of ``secret`` is sealed under."""
    return secret.kms_key_id or DEFAULT_KEY_ALIAS


def reported_key_ids(secret: Secret) -> list[str]:
    return [secret.kms_key_id] if secret.kms_key_id else [DEFAULT_KEY_REPORTED]


def find_token(store: SecretStore, secret: Secret, token: str, value: SecretValue) -> Version | None:
    """Version ``token`` if reusing it is allowed: same value, or a value-less placeholder.

    A token that names a version with a different value is ResourceExistsException.
    """
    version = secret.versions.get(token)
    if version is None or version.sealed is None:
        return version
    existing = store.vault.unseal(version.sealed)
    if type(existing) is type(value) and existing == value:
        return version
    raise messages.token_in_use(token, secret.arn)


@dataclass(slots=True)
class VersionPlan:
    """New labels for the versions whose labels change (others keep theirs), and the
    versions retention will drop: checked, not applied."""

    changes: labels.Stages
    drop: list[str]


def plan_version(
    store: SecretStore, secret: Secret, version_id: str, stages: list[str], now: float
) -> VersionPlan:
    """Where labels go if ``version_id`` gets ``stages``; raise on any quota breach."""
    adding = version_id not in secret.versions
    if stages == [CURRENT]:  # every plain write: read off the versions, no full copy
        changes, count = labels.current_to(secret.versions, version_id)
    else:
        changes = secret.stages()  # a fresh copy, ours to change
        labels.attach_in_place(changes, version_id, stages)
        count = labels.label_count(changes)
    if count > MAX_LABELS:
        raise messages.too_many_labels()
    if adding and len(secret.versions) >= MAX_VERSIONS:
        excess = len(secret.versions) + 1 - MAX_VERSIONS
        return VersionPlan(changes, _retention_victims(store, secret, changes, now, excess))
    return VersionPlan(changes, [])


def stages_after(secret: Secret, plan: VersionPlan) -> labels.Stages:
    """Every labelled version's labels once ``plan`` is applied (unlabelled ones too, as
    empty sets, where the plan takes their last label)."""
    return {**secret.stages(), **plan.changes}


def _retention_victims(
    store: SecretStore, secret: Secret, changes: labels.Stages, now: float, excess: int
) -> list[str]:
    count_only = store.state.config.version_retention == "count_only"
    victims: list[str] = []
    for version in secret.versions.values():  # insertion order: oldest first
        if not changes.get(version.version_id, version.stages) and (
            count_only or now - version.created >= SECONDS_PER_DAY
        ):
            victims.append(version.version_id)
            if len(victims) == excess:
                return victims
    raise messages.too_many_versions()


def add_version(
    store: SecretStore, secret: Secret, version_id: str, value: SecretValue, stages: list[str],
    now: float,
) -> Version:
    """``plan_version``, ``seal``, then ``commit_version``: a version of ``secret`` holding
    ``value`` with ``stages``. Nothing changes if a quota or the key refuses it.

    Most writes add a new AWSCURRENT version to a secret with room for it; those take
    the same steps inline, with no plan object and no retention to apply."""
    versions = secret.versions
    if stages != [CURRENT] or version_id in versions or len(versions) >= MAX_VERSIONS:
        plan = plan_version(store, secret, version_id, stages, now)
        return commit_version(store, secret, version_id, seal(store, secret, value), plan, now)
    changes, count = labels.current_to(versions, version_id)
    if count > MAX_LABELS:
        raise messages.too_many_labels()
    sealed = store.vault.seal(value, secret.kms_key_id or DEFAULT_KEY_ALIAS)
    version = versions[version_id] = Version(
        version_id, sealed, changes.pop(version_id), now, store.next_seq(), reported_key_ids(secret)
    )
    for vid, held in changes.items():  # the versions AWSCURRENT and AWSPREVIOUS left
        versions[vid].stages = held
    secret.touch(now)
    return version


def seal(store: SecretStore, secret: Secret, value: SecretValue) -> SealedValue:
    """Encrypt ``value`` under the secret's key; may raise EncryptionFailure (before any
    change is made, so callers seal first and commit after)."""
    return store.vault.seal(value, key_ref(secret))


def commit_version(
    store: SecretStore,
    secret: Secret,
    version_id: str,
    sealed: SealedValue,
    plan: VersionPlan,
    now: float,
) -> Version:
    """Apply a checked ``plan`` with an already sealed value; cannot fail."""
    version = secret.versions.get(version_id)
    if version is None:
        version = Version(version_id, sealed, set(), now, store.next_seq(), reported_key_ids(secret))
        secret.versions[version_id] = version
    else:
        version.sealed = sealed
        version.kms_key_ids = reported_key_ids(secret)
    if plan.drop:
        forget_versions(secret, plan.drop)
    secret.apply_stages(plan.changes)
    secret.touch(now)
    return version


def forget_versions(secret: Secret, version_ids: Iterable[str]) -> None:
    """Remove versions retention dropped. AWS remembers their ids: reading one by
    VersionId says it was deleted, not that it never existed."""
    for vid in version_ids:
        del secret.versions[vid]
        secret.extra.setdefault(DELETED_VERSIONS, set()).add(vid)


def was_deleted(secret: Secret, version_id: str) -> bool:
    """Whether retention removed version ``version_id`` of ``secret``."""
    gone = secret.extra.get(DELETED_VERSIONS)
    return gone is not None and version_id in gone


def moved_current(before: Version | None, secret: Secret) -> bool:
    """Whether AWSCURRENT now sits elsewhere than on ``before``, its holder before a change."""
    if before is not None:
        return CURRENT not in before.stages
    return secret.version_with(CURRENT) is not None

