"""Cross-Region replicas: a replica mirrors its primary (versions, values, labels and
metadata) in another Region of the same account, sealed under the replica's own key.

Mirroring is synchronous: after every successful call, primaries whose state changed
since their last sync are copied to their replicas (``sync_changed``). A replica is
marked by ``extra["replica_of"]`` (the primary's ARN), which makes it read-only.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mocksm.errors import ServiceError
from mocksm.partitions import partition
from mocksm.secretsmanager import messages, versioning
from mocksm.secretsmanager.secret import Secret, Version

if TYPE_CHECKING:
    from mocksm._state import MockState

DEFAULT_REPLICA_KEY = "alias/aws/secretsmanager"
SUCCEEDED = "Replication succeeded"
NAME_TAKEN = "Replication failed: Secret with this name already exists in this region."


@dataclass
class ReplicaLink:
    """One entry of a primary's ReplicationStatus, pointing at the replica it describes."""

    region: str
    kms_key_id: str
    status: str
    message: str | None
    replica: Secret | None

    def entry(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Region": self.region, "KmsKeyId": self.kms_key_id, "Status": self.status}
        if self.message:
            out["StatusMessage"] = self.message
        if self.replica is not None and self.replica.last_accessed is not None:
            out["LastAccessedDate"] = self.replica.last_accessed
        return out


def replica_arn(primary_arn: str, region: str) -> str:
    parts = primary_arn.split(":", 5)
    parts[3] = region
    return ":".join(parts)


def is_replica(secret: Secret) -> bool:
    """A Region replica, or a cross-account replica that is still replicating."""
    return bool(secret.extra.get("replica_of"))


def is_any_replica(secret: Secret) -> bool:
    """StopReplicationToReplica accepts Region replicas and cross-account replicas."""
    return is_replica(secret) or "xacct_primary" in secret.extra


def check_regions(primary_region: str, requests: list[dict[str, Any]]) -> None:
    """Every requested Region must be another Region of the primary's partition (checked
    before any change): AWS replicates neither into nor out of the China and GovCloud
    partitions."""
    for request in requests:
        region = request.get("Region")
        if (
            not region
            or region == primary_region
            or not re.fullmatch(r"([a-z]+-)+\d+", region)
            or partition(region) != partition(primary_region)
        ):
            raise messages.invalid_parameter("Invalid replica region.")
        key = request.get("KmsKeyId")
        if key:
            from mocksm.secretsmanager.kms_keys import check_key_syntax

            check_key_syntax(key, region)


def add_replicas(
    state: MockState, primary: Secret, requests: list[dict[str, Any]], force: bool, now: float
) -> list[dict[str, Any]]:
    """Create replicas for ``requests``; return the status entries to report for them."""
    reported: list[dict[str, Any]] = []
    for request in requests:
        region = request["Region"]
        link = next((r for r in primary.replicas if r.region == region), None)
        if link is not None and link.replica is None:  # an earlier attempt failed: retry
            primary.replicas.remove(link)
            link = None
        if link is None:
            link = _create_replica(state, primary, region, request.get("KmsKeyId"), force, now)
            primary.replicas.append(link)
        reported.append(_as_reported(state, link))
    if primary.replicas:
        primary.primary_region = primary.region
        state.replicated[primary.arn] = primary
    primary.touch(now)
    return reported


def _as_reported(state: MockState, link: ReplicaLink) -> dict[str, Any]:
    entry = link.entry()
    if state.config.replication_initial_status == "InProgress" and link.status == "InSync":
        entry["Status"] = "InProgress"
        entry.pop("StatusMessage", None)
    return entry


def _create_replica(
    state: MockState, primary: Secret, region: str, kms_key_id: str | None, force: bool, now: float
) -> ReplicaLink:
    from mocksm.secretsmanager.kms_keys import is_default_key

    store = state.backend(primary.account, region)
    store.purge_due(now)
    reported_key = kms_key_id or DEFAULT_REPLICA_KEY
    existing = store.by_name.get(primary.name)
    if existing is not None and (not force or _in_replication(existing)):
        return ReplicaLink(region, reported_key, "Failed", NAME_TAKEN, None)
    replica = Secret(
        name=primary.name,
        arn=replica_arn(primary.arn, region),
        account=primary.account,
        region=region,
        created=primary.created,
        last_changed=primary.last_changed,
        seq=store.next_seq(),
        kms_key_id=None if not kms_key_id or is_default_key(kms_key_id) else kms_key_id,
        primary_region=primary.region,
    )
    replica.extra["replica_of"] = primary.arn
    link = ReplicaLink(region, reported_key, "InSync", SUCCEEDED, replica)
    _mirror(state, primary, link)
    if link.status == "Failed":  # e.g. the replica's key cannot encrypt: no replica is left
        link.replica = None  # and a secret a forced overwrite would have replaced stays
    else:
        if existing is not None:
            store.remove(existing)
        store.add(replica)
    return link


def _in_replication(secret: Secret) -> bool:
    """Whether ``secret`` belongs to a replication (a replica, or a primary with live
    replicas): ForceOverwriteReplicaSecret replaces only standalone secrets, so no other
    primary is left pointing at a replica that is gone."""
    return (
        is_any_replica(secret)
        or any(link.replica is not None for link in secret.replicas)
        or _has_cross_account_replicas(secret)
    )


def _has_cross_account_replicas(primary: Secret) -> bool:
    """Whether ``primary`` replicates to another account (links not yet detached)."""
    return any(x.status != "Detached" for x in primary.extra.get("xacct_replicas", ()))


def _mirrored_versions(
    source: Any, target: Any, primary: Secret, replica: Secret, origins: dict[str, Any]
) -> dict[str, Version]:
    """The replica's versions after copying the primary's, in the primary's order;
    only values that changed since the last copy are decrypted and sealed again. Every
    value is sealed before any version of the replica changes, so a failure (the
    replica's key cannot encrypt) leaves the replica as it was."""
    sealed_values: list[Any] = []
    for vid, version in primary.versions.items():
        mirrored = replica.versions.get(vid)
        if version.sealed is None:
            sealed_values.append(None)
        elif mirrored is not None and origins.get(vid) is version.sealed:
            sealed_values.append(mirrored.sealed)
        else:
            value = source.vault.unseal(version.sealed)
            sealed_values.append(target.vault.seal(value, versioning.key_ref(replica)))
    versions: dict[str, Version] = {}
    for (vid, version), sealed in zip(primary.versions.items(), sealed_values, strict=True):
        mirrored = replica.versions.get(vid)
        if mirrored is None:
            mirrored = Version(vid, sealed, set(), version.created, target.next_seq(),
                               versioning.reported_key_ids(replica))
        mirrored.sealed = sealed
        mirrored.stages = set(version.stages)
        versions[vid] = mirrored
    return versions


def _mirror(state: MockState, primary: Secret, link: ReplicaLink) -> None:
    """Copy the primary into a Region replica: versions, labels and metadata."""
    replica = link.replica
    if replica is None:
        return
    source = state.backend(primary.account, primary.region)
    target = state.backend(replica.account, replica.region)
    try:
        versions = _mirrored_versions(source, target, primary, replica, replica.extra.get("origins", {}))
    except ServiceError as error:
        link.status, link.message = "Failed", f"Replication failed: {error.message}"
        if not any(v.sealed is not None for v in replica.versions.values()):
            _drop_unusable(target, link, replica)
        return
    replica.versions = versions
    replica.extra["origins"] = {vid: v.sealed for vid, v in primary.versions.items()}
    replica.description = primary.description
    replica.type = primary.type
    replica.tags = [dict(t) for t in primary.tags]
    replica.tags_ever_set = primary.tags_ever_set
    replica.resource_policy = primary.resource_policy
    replica.rotation = copy.deepcopy(primary.rotation)
    if "next_rotation" in primary.extra:
        replica.extra["next_rotation"] = primary.extra["next_rotation"]
    else:
        replica.extra.pop("next_rotation", None)
    replica.last_changed = primary.last_changed
    link.status, link.message = "InSync", SUCCEEDED
    replica.extra["synced"] = _stamp(primary)


def _drop_unusable(target: Any, link: ReplicaLink, replica: Secret) -> None:
    """A failed replication that leaves the replica no usable version removes it from its
    Region (AWS guide, "Troubleshoot replication"); the Failed entry stays on the primary."""
    if target.by_arn.get(replica.arn) is replica:  # not yet added when a new replica fails
        target.remove(replica)
    link.replica = None


def _stamp(primary: Secret) -> tuple[Any, ...]:
    return (primary.last_changed, tuple(primary.versions), primary.resource_policy)


def sync_changed(state: MockState) -> None:
    """Mirror every primary that changed since its replicas were last synced."""
    for primary in list(state.replicated.values()):
        stamp = _stamp(primary)
        for link in primary.replicas:
            if link.replica is not None and link.replica.extra.get("synced") != stamp:
                _mirror(state, primary, link)
        for xlink in primary.extra.get("xacct_replicas", ()):
            if xlink.replica is not None and xlink.replica.extra.get("synced") != stamp:
                _mirror_versions(state, primary, xlink)


def remove_regions(state: MockState, primary: Secret, regions: list[str], now: float) -> None:
    """Delete the replicas in ``regions`` at once; Regions not replicated are ignored."""
    doomed = set(regions)
    for link in [r for r in primary.replicas if r.region in doomed]:
        if link.replica is not None:
            state.backend(link.replica.account, link.region).remove(link.replica)
        primary.replicas.remove(link)
    _forget_if_unreplicated(state, primary)
    primary.touch(now)


def promote(state: MockState, replica: Secret, now: float) -> None:
    """StopReplicationToReplica: the replica becomes a standalone secret in its Region."""
    if "xacct_primary" in replica.extra:
        promote_cross_account(state, replica, now)
        return
    primary_arn = replica.extra.pop("replica_of")
    replica.extra.pop("origins", None)
    replica.extra.pop("synced", None)
    replica.primary_region = None
    primary = state.replicated.get(primary_arn)
    if primary is not None:
        primary.replicas = [r for r in primary.replicas if r.replica is not replica]
        _forget_if_unreplicated(state, primary)
        primary.touch(now)
    replica.touch(now)
    rotation = replica.rotation
    if rotation is not None and rotation.enabled:
        # A replica mirrors its primary's rotation settings but is never rotated itself;
        # standalone now, it rotates on the schedule it reports.
        from mocksm.secretsmanager.rotation_engine import reschedule

        reschedule(state, replica, rotation.base if rotation.base is not None else now)


def _forget_if_unreplicated(state: MockState, primary: Secret) -> None:
    if not primary.replicas:
        primary.primary_region = None
        if not _has_cross_account_replicas(primary):
            state.replicated.pop(primary.arn, None)


def replica_regions(primary: Secret) -> list[str]:
    return [r.region for r in primary.replicas if r.replica is not None]


# -- cross-account replicas --------------------------------------------------------------

INVALID_XACCT_CREATE = "Invalid combination of parameters for a cross-account replica secret."
NOT_CONFIGURED = "The replica secret isn't configured to replicate from this primary secret."
ALREADY_HAS_REPLICA = "The primary secret already has a cross-account replica."
STOP_FIRST = "You must stop cross-account replication before you delete this secret."


@dataclass
class CrossAccountLink:
    """The association of a primary with its one replica in another account. The same
    object hangs off both secrets (``extra["xacct_replicas"]`` / ``extra["xacct_primary"]``)."""

    primary_arn: str
    replica_arn: str
    status: str = "Pending"
    message: str | None = None
    role_arn: str | None = None
    primary: Secret | None = None
    replica: Secret | None = None

    def replica_entry(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ReplicaSecretARN": self.replica_arn}
        if self.role_arn:
            out["ReplicationRoleARN"] = self.role_arn
        out["ReplicationStatus"] = self.status
        if self.message:
            out["StatusMessage"] = self.message
        return out

    def primary_entry(self) -> dict[str, Any]:
        out: dict[str, Any] = {"PrimarySecretARN": self.primary_arn, "ReplicationStatus": self.status}
        if self.message:
            out["StatusMessage"] = self.message
        return out


def check_cross_account_create(params: dict[str, Any], caller_account: str, region: str) -> None:
    """CreateSecret with CrossAccountPrimaryARN: a value-less replica with its own key."""
    from mocksm.secretsmanager.kms_keys import is_default_key

    primary_arn = params["CrossAccountPrimaryARN"]
    parts = primary_arn.split(":")
    forbidden = ("SecretString", "SecretBinary", "Description", "AddReplicaRegions", "Type")
    key = params.get("KmsKeyId")
    if (
        any(params.get(name) not in (None, "", []) for name in forbidden)
        or not key
        or is_default_key(key)
        or len(parts) < 7
        or parts[2] != "secretsmanager"
        or parts[3] != region
        or parts[4] == caller_account
    ):
        raise messages.invalid_parameter(INVALID_XACCT_CREATE)


def start_cross_account(replica: Secret, primary_arn: str) -> None:
    link = CrossAccountLink(primary_arn, replica.arn, replica=replica)
    replica.extra["xacct_primary"] = link
    replica.extra["replica_of"] = primary_arn


def _names_primary(link: CrossAccountLink, primary: Secret) -> bool:
    wanted = link.primary_arn
    return wanted == primary.arn or (primary.arn.startswith(wanted + "-") and len(primary.arn) == len(wanted) + 7)


def associate(state: MockState, primary: Secret, replica_arn: str, role_arn: str | None, now: float) -> None:
    parts = replica_arn.split(":")
    if len(parts) < 7 or parts[2] != "secretsmanager":
        raise messages.not_found()
    store = state.backend(parts[4], parts[3])
    store.purge_due(now)
    replica = store.by_arn.get(replica_arn)
    if replica is None:
        raise messages.not_found()
    link = replica.extra.get("xacct_primary")
    if (
        not isinstance(link, CrossAccountLink)
        or replica.account == primary.account
        or replica.region != primary.region
        or link.status == "Detached"
        or not _names_primary(link, primary)
    ):
        raise messages.invalid_request(NOT_CONFIGURED)
    existing: list[CrossAccountLink] = primary.extra.setdefault("xacct_replicas", [])
    if any(other is not link and other.status != "Detached" for other in existing):
        raise ServiceError("LimitExceededException", ALREADY_HAS_REPLICA)
    existing[:] = [other for other in existing if other.status != "Detached" or other is link]
    if link not in existing:
        existing.append(link)
    link.primary, link.primary_arn, link.role_arn = primary, primary.arn, role_arn or link.role_arn
    link.status, link.message = "InSync", None
    state.replicated[primary.arn] = primary
    _mirror_versions(state, primary, link)
    primary.touch(now)


def disassociate(state: MockState, primary: Secret, replica_arn: str, now: float) -> None:
    links: list[CrossAccountLink] = primary.extra.get("xacct_replicas", [])
    link = next((x for x in links if x.replica_arn == replica_arn and x.status != "Detached"), None)
    if link is None:
        raise messages.not_found()
    links.remove(link)
    _detach(link)
    _forget_if_unreplicated(state, primary)
    primary.touch(now)


def _detach(link: CrossAccountLink) -> None:
    link.status, link.message = "Detached", None
    if link.replica is not None:
        link.replica.extra.pop("replica_of", None)


def promote_cross_account(state: MockState, replica: Secret, now: float) -> None:
    """StopReplicationToReplica on the replica side: standalone replica, primary entry Detached."""
    link: CrossAccountLink = replica.extra.pop("xacct_primary")
    replica.extra.pop("replica_of", None)
    replica.extra.pop("origins", None)
    replica.extra.pop("synced", None)
    link.status, link.message = "Detached", None
    link.replica = None
    replica.touch(now)


def check_deletable(secret: Secret, secret_id: str) -> None:
    """DeleteSecret's replication preconditions (spec 4.10.1 and 4.10.2); the message
    names the secret as the caller did."""
    links = secret.extra.get("xacct_replicas") or []
    replica_side = secret.extra.get("xacct_primary")
    if any(x.status != "Detached" for x in links) or (
        replica_side is not None and replica_side.status != "Detached"
    ):
        raise messages.invalid_request(STOP_FIRST)
    regions = replica_regions(secret)
    if regions:
        raise messages.invalid_parameter(
            f"You can't delete secret {secret_id} that still has replica regions "
            f"[{', '.join(regions)}]."
        )


def _mirror_versions(state: MockState, primary: Secret, link: CrossAccountLink) -> None:
    replica = link.replica
    if replica is None or link.status == "Detached":
        return
    source = state.backend(primary.account, primary.region)
    target = state.backend(replica.account, replica.region)
    try:
        replica.versions = _mirrored_versions(source, target, primary, replica, replica.extra.get("origins", {}))
    except ServiceError as error:
        link.status, link.message = "Failed", f"Replication failed: {error.message}"
        return
    replica.extra["origins"] = {vid: v.sealed for vid, v in primary.versions.items()}
    replica.extra["synced"] = _stamp(primary)
