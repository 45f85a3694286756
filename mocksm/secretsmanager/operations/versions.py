"""PutSecretValue, GetSecretValue, UpdateSecretVersionStage and ListSecretVersionIds."""

from __future__ import annotations

from typing import Any

from mocksm.clock import start_of_day
from mocksm.errors import ServiceError
from mocksm.secretsmanager import labels, messages, pagination, rotation_engine, versioning, views
from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.labels import CURRENT
from mocksm.secretsmanager.operations import operation
from mocksm.secretsmanager.operations.common import one_value, require_token
from mocksm.secretsmanager.secret import Secret, Version
from mocksm.secretsmanager.store import check_secret_id


@operation("PutSecretValue")
def put_secret_value(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    token = require_token(p)
    secret_id = p["SecretId"]
    check_secret_id(secret_id)
    value = one_value(p)
    store, secret = call.locate(secret_id)
    call.require_writable(secret, own_key=True)
    stages = list(p.get("VersionStages") or [CURRENT])
    if token in secret.versions:
        replay = versioning.find_token(store, secret, token, value)
        if replay is not None and replay.sealed is not None:
            return _put_output(secret, replay)
    rotating = secret.rotation is not None
    before = secret.current() if rotating else None
    version = versioning.add_version(store, secret, token, value, stages, call.now)
    if rotating and versioning.moved_current(before, secret):
        rotation_engine.value_written(call.state, secret, call.now)
    return _put_output(secret, version)


def _put_output(secret: Secret, version: Version) -> dict[str, Any]:
    out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name, "VersionId": version.version_id}
    if version.stages:  # a replayed token may name a deprecated version
        out["VersionStages"] = sorted(version.stages)
    return out


@operation("GetSecretValue")
def get_secret_value(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = call.resolve(p["SecretId"])
    call.require_same_account_or_own_key(secret)
    call.require_not_deleted(secret)
    version = select_version(secret, p.get("VersionId"), p.get("VersionStage"))
    if secret.account != call.account and not (secret.kms_key_id or "").startswith("arn:"):
        # A key id or alias name is looked up in the caller's account, where it names
        # nothing usable: KMS refuses the decrypt (only the ARN form works cross-account).
        raise ServiceError("AccessDeniedException", "Access to KMS is not allowed")
    return read_version(call, secret, version)


def select_version(secret: Secret, version_id: str | None, stage: str | None) -> Version:
    """The version GetSecretValue reads, or the ResourceNotFound AWS answers."""
    if version_id is None:
        label = stage or CURRENT
        version = secret.version_with(label)
        if version is None or version.sealed is None:
            raise messages.no_value_for_stage(label)
        return version
    version = secret.versions.get(version_id)
    if version is None and versioning.was_deleted(secret, version_id):
        raise version_deleted(version_id)
    if version is None or version.sealed is None:
        raise messages.no_value_for_version(version_id)
    if stage is not None and stage not in version.stages:
        raise messages.invalid_request(
            "You provided a VersionStage that is not associated to the provided VersionId."
        )
    return version


def version_deleted(version_id: str) -> ServiceError:
    """What GetSecretValue answers for a version AWS's retention removed (quoted from AWS
    in terraform-provider-aws issue #36607)."""
    return messages.invalid_request(
        f"You can't perform this operation on secret version {version_id} because it was "
        "deleted."
    )


def read_version(call: Call, secret: Secret, version: Version) -> dict[str, Any]:
    """Decrypt ``version`` and record the access (LastAccessedDate is a day)."""
    assert version.sealed is not None
    value = call.store_of(secret).vault.unseal(version.sealed, versioning.key_ref(secret))
    day = start_of_day(call.now)
    secret.last_accessed = version.last_accessed = day
    out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name, "VersionId": version.version_id}
    out["SecretBinary" if isinstance(value, bytes) else "SecretString"] = value
    if version.stages:
        out["VersionStages"] = sorted(version.stages)
    out["CreatedDate"] = version.created
    return out


@operation("UpdateSecretVersionStage")
def update_secret_version_stage(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = call.resolve(p["SecretId"])
    call.require_writable(secret)
    label = p["VersionStage"]
    move_to, remove_from = p.get("MoveToVersionId"), p.get("RemoveFromVersionId")
    if move_to is None and remove_from is None:
        raise messages.invalid_parameter("You must specify MoveToVersionId or RemoveFromVersionId.")
    for vid in (move_to, remove_from):
        if vid is not None and vid not in secret.versions:
            raise messages.invalid_parameter(
                f"Secrets Manager can't find the specified secret version: {vid}"
            )
    stages = secret.stages()
    held_by = labels.holder(stages, label)
    if remove_from is not None and remove_from != held_by:
        raise messages.invalid_parameter(
            f"The staging label {label} is not attached to version {remove_from}."
        )
    if move_to is not None and held_by is not None and held_by != move_to and remove_from is None:
        raise messages.invalid_parameter(
            f"The parameter RemoveFromVersionId can't be empty. Staging label {label} is "
            f"currently attached to version {held_by}, so you must explicitly reference that "
            "version in RemoveFromVersionId."
        )
    if label == CURRENT and move_to is None:
        raise messages.invalid_parameter(
            "You can only move staging label AWSCURRENT to a different secret version. It can't "
            "be completely removed."
        )
    out = {"ARN": secret.arn, "Name": secret.name}
    if move_to is not None and move_to == held_by:
        return out
    planned = labels.move(stages, label, move_to, remove_from)
    if labels.label_count(planned) > versioning.MAX_LABELS:
        raise messages.too_many_labels()
    before = secret.current()
    secret.apply_stages(planned)
    secret.touch(call.now)
    if versioning.moved_current(before, secret):
        rotation_engine.manual_change(call.state, secret, call.now)
    return out


@operation("ListSecretVersionIds")
def list_secret_version_ids(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = call.resolve(p["SecretId"])
    call.require_not_deleted(secret)
    include_deprecated = bool(p.get("IncludeDeprecated"))
    limit = p.get("MaxResults") or 100
    query = pagination.digest([secret.arn, include_deprecated])
    after: tuple[float, int] | None = None
    if p.get("NextToken"):
        after = _cursor(pagination.decode(p["NextToken"], "ListSecretVersionIds", query))
    # Oldest first by CreatedDate; creation order breaks ties (and survives clock jumps).
    listed = [
        v for v in sorted(secret.versions.values(), key=_created_order)
        if v.sealed is not None and (v.stages or include_deprecated)
        and (after is None or _created_order(v) > after)
    ]
    page = listed[:limit]
    out: dict[str, Any] = {"Versions": [views.version_entry(v) for v in page]}
    if len(listed) > limit:
        out["NextToken"] = pagination.encode(
            "ListSecretVersionIds", query, list(_created_order(page[-1]))
        )
    out["ARN"] = secret.arn
    out["Name"] = secret.name
    return out


def _created_order(version: Version) -> tuple[float, int]:
    return (version.created, version.seq)


def _cursor(position: Any) -> tuple[float, int]:
    """The (CreatedDate, sequence) a NextToken resumes after."""
    if (
        not isinstance(position, list)
        or len(position) != 2
        or not isinstance(position[0], (int, float))
        or not isinstance(position[1], int)
        or isinstance(position[0], bool)
        or isinstance(position[1], bool)
    ):
        raise pagination.invalid_token()
    return (float(position[0]), position[1])
