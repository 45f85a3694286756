"""How a secret is shown in outputs: which fields, and when each one is present."""

from __future__ import annotations

from typing import Any

from mocksm.secretsmanager.secret import Secret, Version


def _labelled(secret: Secret) -> dict[str, list[str]]:
    return {vid: sorted(v.stages) for vid, v in secret.versions.items() if v.stages}


def _common(secret: Secret) -> dict[str, Any]:
    out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
    if secret.description:
        out["Description"] = secret.description
    if secret.kms_key_id:
        out["KmsKeyId"] = secret.kms_key_id
    rotation = secret.rotation
    if rotation is not None:
        out["RotationEnabled"] = rotation.enabled
        if rotation.lambda_arn:
            out["RotationLambdaARN"] = rotation.lambda_arn
        if rotation.rules:
            out["RotationRules"] = dict(rotation.rules)
        if rotation.enabled and rotation.last_rotated is not None:
            out["LastRotatedDate"] = rotation.last_rotated
        if rotation.enabled and secret.extra.get("next_rotation") is not None:
            out["NextRotationDate"] = secret.extra["next_rotation"]
        if rotation.external_metadata is not None:
            out["ExternalSecretRotationMetadata"] = rotation.external_metadata
        if rotation.external_role_arn:
            out["ExternalSecretRotationRoleArn"] = rotation.external_role_arn
    if secret.type:
        out["Type"] = secret.type
    out["LastChangedDate"] = secret.last_changed
    if secret.last_accessed is not None:
        out["LastAccessedDate"] = secret.last_accessed
    if secret.deleted_date is not None:
        out["DeletedDate"] = secret.deleted_date
    if secret.tags_ever_set:
        out["Tags"] = [dict(tag) for tag in secret.tags]
    if secret.owning_service:
        out["OwningService"] = secret.owning_service
    out["CreatedDate"] = secret.created
    if secret.primary_region:
        out["PrimaryRegion"] = secret.primary_region
    return out


def describe(secret: Secret) -> dict[str, Any]:
    out = _common(secret)
    stages = _labelled(secret)
    if stages:
        out["VersionIdsToStages"] = stages
    if secret.replicas:
        out["ReplicationStatus"] = [link.entry() for link in secret.replicas]
    primary_link = secret.extra.get("xacct_primary")
    if primary_link is not None:
        out["CrossAccountPrimary"] = primary_link.primary_entry()
    replica_links = secret.extra.get("xacct_replicas")
    if replica_links:
        out["CrossAccountReplicas"] = [link.replica_entry() for link in replica_links]
    return out


def list_entry(secret: Secret) -> dict[str, Any]:
    out = _common(secret)
    stages = _labelled(secret)
    if stages:
        out["SecretVersionsToStages"] = stages
    return out


def version_entry(version: Version) -> dict[str, Any]:
    out: dict[str, Any] = {"VersionId": version.version_id}
    if version.stages:
        out["VersionStages"] = sorted(version.stages)
    if version.last_accessed is not None:
        out["LastAccessedDate"] = version.last_accessed
    out["CreatedDate"] = version.created
    out["KmsKeyIds"] = list(version.kms_key_ids)
    return out
