"""Exact field presence of outputs in the secret states the AWS recording does not cover.

Each test walks one secret through a sequence of states and compares whole responses
(minus ResponseMetadata) with ``==``, so a key that appears, disappears or turns empty
where it should not fails here even when no per-field test looks at it. The clock is
frozen and moved by whole seconds between writes, so every timestamp is known. The
evidence for each state is in docs/decisions.md, "Audit (response fields)".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

T0 = datetime(2026, 3, 10, 10, 0, tzinfo=timezone.utc)
MIDNIGHT = datetime(2026, 3, 10, tzinfo=timezone.utc)
V1 = "11111111-1111-4111-8111-111111111111"
V2 = "22222222-2222-4222-8222-222222222222"
FN = "arn:aws:lambda:us-east-1:123456789012:function:rotator"
NO_CURRENT = "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
REPLICATED = {"Region": "eu-west-1", "KmsKeyId": "alias/aws/secretsmanager",
              "Status": "InSync", "StatusMessage": "Replication succeeded"}


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def listed(sm: Any, name: str, **kwargs: Any) -> dict[str, Any]:
    [entry] = sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}], **kwargs)["SecretList"]
    return dict(entry)


def as_list_entry(described: dict[str, Any]) -> dict[str, Any]:
    """The ListSecrets entry of a secret whose DescribeSecret answer is ``described``."""
    entry = {k: v for k, v in described.items() if k != "ReplicationStatus"}
    if "VersionIdsToStages" in entry:
        entry["SecretVersionsToStages"] = entry.pop("VersionIdsToStages")
    return entry


@pytest.fixture
def sm(mocksm: Any) -> Any:
    mocksm.clock.freeze(T0)
    return mocksm.client("secretsmanager", region="us-east-1")


def test_secret_without_value_then_first_value(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="bare")["ARN"]
    described = {"ARN": arn, "Name": "bare", "CreatedDate": at(0), "LastChangedDate": at(0)}
    assert body(sm.describe_secret(SecretId="bare")) == described
    assert listed(sm, "bare") == described
    assert body(sm.list_secret_version_ids(SecretId="bare")) == {
        "ARN": arn, "Name": "bare", "Versions": []}
    assert body(sm.batch_get_secret_value(SecretIdList=["bare"])) == {
        "SecretValues": [],
        "Errors": [{"SecretId": "bare", "ErrorCode": "ResourceNotFoundException",
                    "Message": NO_CURRENT}],
    }
    mocksm.clock.advance(seconds=1)
    assert body(sm.put_secret_value(SecretId="bare", SecretString="v", ClientRequestToken=V1)) == {
        "ARN": arn, "Name": "bare", "VersionId": V1, "VersionStages": ["AWSCURRENT"]}
    assert body(sm.describe_secret(SecretId="bare")) == {
        **described, "LastChangedDate": at(1), "VersionIdsToStages": {V1: ["AWSCURRENT"]}}


def test_description_tags_and_key_set_then_reset(mocksm: Any, sm: Any) -> None:
    key = mocksm.client("kms", region="us-east-1").create_key()["KeyMetadata"]["KeyId"]
    created = sm.create_secret(Name="full", SecretString="v", ClientRequestToken=V1,
                               Description="d", KmsKeyId=key,
                               Tags=[{"Key": "team", "Value": "a"}])
    arn = created["ARN"]
    assert body(created) == {"ARN": arn, "Name": "full", "VersionId": V1}
    base = {"ARN": arn, "Name": "full", "CreatedDate": at(0),
            "VersionIdsToStages": {V1: ["AWSCURRENT"]}}
    described = {**base, "Description": "d", "KmsKeyId": key, "LastChangedDate": at(0),
                 "Tags": [{"Key": "team", "Value": "a"}]}
    assert body(sm.describe_secret(SecretId="full")) == described
    assert listed(sm, "full") == as_list_entry(described)
    assert sm.list_secret_version_ids(SecretId="full")["Versions"] == [
        {"VersionId": V1, "VersionStages": ["AWSCURRENT"], "CreatedDate": at(0),
         "KmsKeyIds": [key]}]

    mocksm.clock.advance(seconds=1)
    assert body(sm.update_secret(SecretId="full", Description="")) == {"ARN": arn, "Name": "full"}
    mocksm.clock.advance(seconds=1)
    assert body(sm.update_secret(SecretId="full", KmsKeyId="")) == {"ARN": arn, "Name": "full"}
    mocksm.clock.advance(seconds=1)
    assert body(sm.untag_resource(SecretId="full", TagKeys=["team"])) == {}
    # Empty Description and KmsKeyId are dropped; a secret that had tags keeps Tags: [].
    reset = {**base, "LastChangedDate": at(3), "Tags": []}
    assert body(sm.describe_secret(SecretId="full")) == reset
    assert listed(sm, "full") == as_list_entry(reset)
    assert sm.list_secret_version_ids(SecretId="full")["Versions"] == [
        {"VersionId": V1, "VersionStages": ["AWSCURRENT"], "CreatedDate": at(0),
         "KmsKeyIds": ["DefaultEncryptionKey"]}]


def test_read_then_scheduled_for_deletion_then_restored(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v", ClientRequestToken=V1)["ARN"]
    value = {"ARN": arn, "Name": "s", "VersionId": V1, "SecretString": "v",
             "VersionStages": ["AWSCURRENT"], "CreatedDate": at(0)}
    assert body(sm.get_secret_value(SecretId="s")) == value
    assert body(sm.batch_get_secret_value(SecretIdList=["s"])) == {
        "SecretValues": [value], "Errors": []}
    read = {"ARN": arn, "Name": "s", "CreatedDate": at(0), "LastChangedDate": at(0),
            "LastAccessedDate": MIDNIGHT, "VersionIdsToStages": {V1: ["AWSCURRENT"]}}
    assert body(sm.describe_secret(SecretId="s")) == read
    assert listed(sm, "s") == as_list_entry(read)
    assert sm.list_secret_version_ids(SecretId="s")["Versions"] == [
        {"VersionId": V1, "VersionStages": ["AWSCURRENT"], "LastAccessedDate": MIDNIGHT,
         "CreatedDate": at(0), "KmsKeyIds": ["DefaultEncryptionKey"]}]

    mocksm.clock.advance(seconds=1)
    assert body(sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)) == {
        "ARN": arn, "Name": "s", "DeletionDate": at(1) + timedelta(days=7)}
    deleted = {**read, "LastChangedDate": at(1), "DeletedDate": at(1)}
    assert body(sm.describe_secret(SecretId="s")) == deleted
    assert listed(sm, "s", IncludePlannedDeletion=True) == as_list_entry(deleted)

    mocksm.clock.advance(seconds=1)
    assert body(sm.restore_secret(SecretId="s")) == {"ARN": arn, "Name": "s"}
    assert body(sm.describe_secret(SecretId="s")) == {**read, "LastChangedDate": at(2)}


def test_rotation_enabled_then_cancelled(mocksm: Any, sm: Any) -> None:
    mocksm.register_rotation_function(FN, "builtin")
    arn = sm.create_secret(Name="r", SecretString="pw", ClientRequestToken=V1)["ARN"]
    mocksm.clock.advance(seconds=1)
    assert body(sm.rotate_secret(SecretId="r", ClientRequestToken=V2, RotationLambdaARN=FN,
                                 RotationRules={"AutomaticallyAfterDays": 3})) == {
        "ARN": arn, "Name": "r", "VersionId": V2}
    described = body(sm.describe_secret(SecretId="r"))
    changed = described["LastChangedDate"]  # the rotation's own writes, a few ms apart
    assert at(1) <= changed < at(2)
    rotated = {"ARN": arn, "Name": "r", "CreatedDate": at(0), "LastChangedDate": changed,
               "LastAccessedDate": MIDNIGHT, "RotationEnabled": True,
               "RotationLambdaARN": FN, "RotationRules": {"AutomaticallyAfterDays": 3},
               "LastRotatedDate": described["LastRotatedDate"],
               "NextRotationDate": datetime(2026, 3, 13, 23, 59, 59, tzinfo=timezone.utc),
               "VersionIdsToStages": {V1: ["AWSPREVIOUS"], V2: ["AWSCURRENT"]}}
    assert described == rotated
    assert at(1) <= rotated["LastRotatedDate"] <= changed
    assert listed(sm, "r") == as_list_entry(rotated)

    mocksm.clock.advance(seconds=1)
    assert body(sm.cancel_rotate_secret(SecretId="r")) == {"ARN": arn, "Name": "r"}
    # Rotation off: RotationEnabled false, function and schedule kept, both dates gone.
    cancelled = {k: v for k, v in rotated.items()
                 if k not in ("LastRotatedDate", "NextRotationDate")}
    cancelled.update(RotationEnabled=False, LastChangedDate=at(2))
    assert body(sm.describe_secret(SecretId="r")) == cancelled
    assert listed(sm, "r") == as_list_entry(cancelled)


def test_failed_rotation_leaves_an_enabled_schedule_and_a_pending_placeholder(
    mocksm: Any, sm: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: dict[str, Any], context: Any) -> None:
        raise RuntimeError("cannot reach the database")

    mocksm.register_rotation_function(FN, broken)
    arn = sm.create_secret(Name="f", SecretString="pw", ClientRequestToken=V1)["ARN"]
    mocksm.clock.advance(seconds=1)
    assert body(sm.rotate_secret(SecretId="f", ClientRequestToken=V2, RotationLambdaARN=FN,
                                 RotationRules={"AutomaticallyAfterDays": 3})) == {
        "ARN": arn, "Name": "f", "VersionId": V2}
    assert body(sm.describe_secret(SecretId="f")) == {
        "ARN": arn, "Name": "f", "CreatedDate": at(0), "LastChangedDate": at(1),
        "RotationEnabled": True, "RotationLambdaARN": FN,
        "RotationRules": {"AutomaticallyAfterDays": 3},
        "NextRotationDate": datetime(2026, 3, 13, 23, 59, 59, tzinfo=timezone.utc),
        "VersionIdsToStages": {V1: ["AWSCURRENT"], V2: ["AWSPENDING"]}}
    # The value-less placeholder is not a listed version.
    assert [v["VersionId"] for v in sm.list_secret_version_ids(SecretId="f")["Versions"]] == [V1]
    mocksm.clock.advance(seconds=1)
    assert body(sm.cancel_rotate_secret(SecretId="f")) == {
        "ARN": arn, "Name": "f", "VersionId": V2}


def test_primary_and_replica(mocksm: Any, sm: Any) -> None:
    replica_sm = mocksm.client("secretsmanager", region="eu-west-1")
    created = sm.create_secret(Name="p", SecretString="v", ClientRequestToken=V1,
                               AddReplicaRegions=[{"Region": "eu-west-1"}])
    arn = created["ARN"]
    assert body(created) == {"ARN": arn, "Name": "p", "VersionId": V1,
                             "ReplicationStatus": [REPLICATED]}
    plain = {"ARN": arn, "Name": "p", "CreatedDate": at(0), "LastChangedDate": at(0),
             "VersionIdsToStages": {V1: ["AWSCURRENT"]}}
    primary = {**plain, "PrimaryRegion": "us-east-1", "ReplicationStatus": [REPLICATED]}
    assert body(sm.describe_secret(SecretId="p")) == primary
    assert listed(sm, "p") == as_list_entry(primary)
    replica_arn = arn.replace(":us-east-1:", ":eu-west-1:")
    replica = {**plain, "ARN": replica_arn, "PrimaryRegion": "us-east-1"}
    assert body(replica_sm.describe_secret(SecretId="p")) == replica
    assert listed(replica_sm, "p") == as_list_entry(replica)

    replica_sm.get_secret_value(SecretId="p")  # read in the replica's Region only
    assert body(replica_sm.describe_secret(SecretId="p")) == {
        **replica, "LastAccessedDate": MIDNIGHT}
    assert body(sm.describe_secret(SecretId="p")) == {
        **primary, "ReplicationStatus": [{**REPLICATED, "LastAccessedDate": MIDNIGHT}]}

    mocksm.clock.advance(seconds=1)
    assert body(sm.remove_regions_from_replication(
        SecretId="p", RemoveReplicaRegions=["eu-west-1"])) == {"ARN": arn, "ReplicationStatus": []}
    assert body(sm.describe_secret(SecretId="p")) == {**plain, "LastChangedDate": at(1)}


def test_managed_secret(mocksm: Any, sm: Any) -> None:
    created = mocksm.create_managed_secret("rds", "rds!db-1", SecretString='{"password":"x"}')
    assert body(sm.describe_secret(SecretId="rds!db-1")) == {
        "ARN": created["ARN"], "Name": "rds!db-1", "CreatedDate": at(0), "LastChangedDate": at(0),
        "Tags": [{"Key": "aws:secretsmanager:owningService", "Value": "rds"}],
        "OwningService": "rds", "VersionIdsToStages": {created["VersionId"]: ["AWSCURRENT"]}}


def test_write_operation_outputs(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="w", SecretString="v", ClientRequestToken=V1)["ARN"]
    named = {"ARN": arn, "Name": "w"}
    assert body(sm.update_secret(SecretId="w", SecretString="v2", ClientRequestToken=V2)) == {
        **named, "VersionId": V2}
    assert body(sm.update_secret_version_stage(SecretId="w", VersionStage="blue",
                                               MoveToVersionId=V1)) == named
    assert body(sm.tag_resource(SecretId="w", Tags=[{"Key": "k", "Value": "v"}])) == {}
    policy = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
              '{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:*",'
              '"Resource":"*"}]}')
    assert body(sm.put_resource_policy(SecretId="w", ResourcePolicy=policy)) == {
        **named, "PolicyName": "default"}
    assert body(sm.replicate_secret_to_regions(
        SecretId="w", AddReplicaRegions=[{"Region": "eu-west-1"}])) == {
        "ARN": arn, "ReplicationStatus": [REPLICATED]}
    sm.remove_regions_from_replication(SecretId="w", RemoveReplicaRegions=["eu-west-1"])
    mocksm.clock.advance(seconds=1)
    assert body(sm.delete_secret(SecretId="w", ForceDeleteWithoutRecovery=True)) == {
        **named, "DeletionDate": at(1)}
