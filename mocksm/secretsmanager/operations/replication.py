"""ReplicateSecretToRegions, RemoveRegionsFromReplication and StopReplicationToReplica."""

from __future__ import annotations

from typing import Any

from mocksm.secretsmanager import messages, replication
from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.operations import operation


@operation("ReplicateSecretToRegions")
def replicate_secret_to_regions(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    primary = call.resolve(p["SecretId"])
    call.require_writable(primary)
    requests = p["AddReplicaRegions"]
    replication.check_regions(primary.region, requests)
    replication.add_replicas(
        call.state, primary, requests, bool(p.get("ForceOverwriteReplicaSecret")), call.now
    )
    reported = {r["Region"] for r in requests}
    statuses = [
        replication._as_reported(call.state, link) if link.region in reported else link.entry()
        for link in primary.replicas
    ]
    return {"ARN": primary.arn, "ReplicationStatus": statuses}


@operation("RemoveRegionsFromReplication")
def remove_regions_from_replication(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    primary = call.resolve(p["SecretId"])
    if replication.is_replica(primary):
        raise messages.replica_write()
    call.require_not_deleted(primary)
    replication.remove_regions(call.state, primary, p["RemoveReplicaRegions"], call.now)
    return {"ARN": primary.arn, "ReplicationStatus": [link.entry() for link in primary.replicas]}


@operation("StopReplicationToReplica")
def stop_replication_to_replica(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = call.resolve(p["SecretId"])
    call.require_not_deleted(secret)
    if not replication.is_any_replica(secret):
        raise messages.invalid_request("The secret isn't a replica secret.")
    replication.promote(call.state, secret, call.now)
    return {"ARN": secret.arn}


@operation("AssociateCrossAccountReplica")
def associate_cross_account_replica(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    primary = call.resolve(p["SecretId"])
    call.require_writable(primary)
    replica_arn = p["CrossAccountReplicaARN"]
    replication.associate(call.state, primary, replica_arn, p.get("ReplicationRoleARN"), call.now)
    return {"ARN": primary.arn, "CrossAccountReplicaARN": replica_arn, "ReplicationStatus": "InSync"}


@operation("DisassociateCrossAccountReplica")
def disassociate_cross_account_replica(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    primary = call.resolve(p["SecretId"])
    if replication.is_replica(primary):
        raise messages.replica_write()
    call.require_not_deleted(primary)
    replica_arn = p["CrossAccountReplicaARN"]
    replication.disassociate(call.state, primary, replica_arn, call.now)
    return {"ARN": primary.arn, "CrossAccountReplicaARN": replica_arn}
