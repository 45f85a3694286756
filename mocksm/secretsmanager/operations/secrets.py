"""CreateSecret, UpdateSecret and DescribeSecret."""

from __future__ import annotations

from typing import Any

from mocksm.kms.vault import ensure_key
from mocksm.secretsmanager import (
    kms_change,
    messages,
    replication,
    rotation_engine,
    tags,
    versioning,
    views,
)
from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.kms_keys import check_key_syntax, is_default_key
from mocksm.secretsmanager.labels import CURRENT
from mocksm.secretsmanager.operations import operation
from mocksm.secretsmanager.operations.common import (
    check_one_value,
    has_value,
    require_token,
    value_of,
)
from mocksm.secretsmanager.secret import Secret
from mocksm.secretsmanager.store import check_name, check_secret_id, secret_arn


@operation("CreateSecret")
def create_secret(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    token = require_token(p) if has_value(p) else p.get("ClientRequestToken")
    name = p["Name"]
    if call.managed_by is None:
        check_name(name)
    else:  # service-managed names may contain "!" (rds!cluster-...)
        check_secret_id(name)
    check_one_value(p)
    new_tags = p.get("Tags") or []
    tags.check_reserved(tags.keys_of(new_tags))
    tag_list = tags.merged([], new_tags)
    kms_key_id = p.get("KmsKeyId")
    if kms_key_id:
        check_key_syntax(kms_key_id, call.region)
    cross_account_primary = p.get("CrossAccountPrimaryARN")
    if cross_account_primary:
        replication.check_cross_account_create(p, call.account, call.region)
    store = call.store
    store.purge_due(call.now)
    value = value_of(p)
    existing = store.by_name.get(name)
    if existing is not None:
        if existing.scheduled_for_deletion:
            raise messages.invalid_request(
                "You can't create this secret because a secret with this name is already "
                "scheduled for deletion."
            )
        if token is not None and value is not None:
            replay = versioning.find_token(store, existing, token, value)
            if replay is not None and replay.sealed is not None:
                return {"ARN": existing.arn, "Name": existing.name, "VersionId": token}
        raise messages.secret_exists(name)
    replica_requests = p.get("AddReplicaRegions") or []
    replication.check_regions(call.region, replica_requests)
    if kms_key_id and not is_default_key(kms_key_id):
        ensure_key(call.state, call.account, call.region, kms_key_id)
    secret = Secret(
        name=name,
        arn=secret_arn(call.region, call.account, name),
        account=call.account,
        region=call.region,
        created=call.now,
        last_changed=call.now,
        seq=store.next_seq(),
        description=p.get("Description") or None,
        kms_key_id=None if not kms_key_id or is_default_key(kms_key_id) else kms_key_id,
        type=p.get("Type") or None,
        tags=tag_list,
        tags_ever_set=bool(tag_list),
    )
    if call.managed_by is not None:
        secret.owning_service = call.managed_by
        secret.tags.insert(0, {"Key": tags.OWNING_SERVICE_KEY, "Value": call.managed_by})
        secret.tags_ever_set = True
    out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
    if value is not None and token is not None:
        versioning.add_version(store, secret, token, value, [CURRENT], call.now)
        secret.last_changed = call.now
        out["VersionId"] = token
    if cross_account_primary:
        replication.start_cross_account(secret, cross_account_primary)
    store.add(secret)
    if replica_requests:
        force = bool(p.get("ForceOverwriteReplicaSecret"))
        out["ReplicationStatus"] = replication.add_replicas(
            call.state, secret, replica_requests, force, call.now
        )
        secret.last_changed = call.now
    return out


@operation("UpdateSecret")
def update_secret(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    value = value_of(p)
    token = require_token(p) if value is not None else None
    check_secret_id(p["SecretId"])
    check_one_value(p)
    secret = call.resolve(p["SecretId"])
    kms_key_id = p.get("KmsKeyId")
    if secret.extra.get("replica_of"):
        raise messages.replica_write()
    if value is not None or kms_key_id is not None:
        _require_usable_key(call, secret, kms_key_id)
    call.require_writable(secret)
    if kms_key_id:
        check_key_syntax(kms_key_id, call.region)
    store = call.store_of(secret)
    out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
    plan = sealed = None
    new_key = secret.kms_key_id
    if kms_key_id is not None:
        new_key = None if is_default_key(kms_key_id) else kms_key_id
    if value is not None and token is not None:
        replay = versioning.find_token(store, secret, token, value)
        if replay is None or replay.sealed is None:
            plan = versioning.plan_version(store, secret, token, [CURRENT], call.now)
            if new_key:
                ensure_key(call.state, secret.account, secret.region, new_key)
            sealed = store.vault.seal(value, new_key or versioning.DEFAULT_KEY_ALIAS)
        out["VersionId"] = token
    rewrapped = {}
    if new_key != secret.kms_key_id:
        if new_key:
            ensure_key(call.state, secret.account, secret.region, new_key)
        stages_after = versioning.stages_after(secret, plan) if plan is not None else secret.stages()
        new_version = token if plan is not None else None
        rewrapped = kms_change.rewrap_plan(
            store, secret, new_key or versioning.DEFAULT_KEY_ALIAS, stages_after, new_version
        )
    # Everything that can fail has been checked: apply.
    if "Description" in p:
        secret.description = p["Description"] or None
    if "Type" in p:
        secret.type = p["Type"] or None
    secret.kms_key_id = new_key
    if plan is not None and sealed is not None and token is not None:
        before = secret.current()
        versioning.commit_version(store, secret, token, sealed, plan, call.now)
        if versioning.moved_current(before, secret):
            rotation_engine.value_written(call.state, secret, call.now)
    elif any(k in p for k in ("Description", "Type", "KmsKeyId")):
        secret.touch(call.now)
    kms_change.apply_rewrap(secret, rewrapped, versioning.reported_key_ids(secret))
    return out


def _require_usable_key(call: Call, secret: Secret, kms_key_id: str | None) -> None:
    """Another account can only write under a customer key: the AWS managed key of the
    owner is not usable with its credentials (AWS UpdateSecret reference, KmsKeyId)."""
    if secret.account == call.account:
        return
    key = secret.kms_key_id if kms_key_id is None else kms_key_id
    if not key or is_default_key(key):
        raise messages.cross_account_default_key()


@operation("DescribeSecret")
def describe_secret(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    return views.describe(call.resolve(p["SecretId"]))
