"""Cross-Region replication: replicas mirror their primary and refuse writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from mocksm import mock_secretsmanager
from tests.helpers import aws_error

REPLICA_WRITE = "Operation not permitted on a replica secret. Call must be made in primary secret's region."


@pytest.fixture
def clients() -> Iterator[tuple[Any, Any, Any]]:
    with mock_secretsmanager() as handle:
        yield (
            handle,
            boto3.client("secretsmanager", region_name="us-east-1"),
            boto3.client("secretsmanager", region_name="eu-west-1"),
        )


def test_create_with_replica_mirrors_value_labels_and_metadata(clients: Any) -> None:
    _, east, west = clients
    created = east.create_secret(
        Name="app/db", SecretString="v1", Description="d", Tags=[{"Key": "k", "Value": "v"}],
        AddReplicaRegions=[{"Region": "eu-west-1"}],
    )
    assert created["ReplicationStatus"] == [
        {"Region": "eu-west-1", "KmsKeyId": "alias/aws/secretsmanager", "Status": "InSync",
         "StatusMessage": "Replication succeeded"}
    ]
    replica = west.describe_secret(SecretId="app/db")
    assert replica["ARN"] == created["ARN"].replace(":us-east-1:", ":eu-west-1:")
    assert replica["PrimaryRegion"] == "us-east-1"
    assert replica["Description"] == "d"
    assert replica["Tags"] == [{"Key": "k", "Value": "v"}]
    assert "ReplicationStatus" not in replica
    assert west.get_secret_value(SecretId=replica["ARN"])["SecretString"] == "v1"
    primary = east.describe_secret(SecretId="app/db")
    assert primary["PrimaryRegion"] == "us-east-1"
    assert [s["Region"] for s in primary["ReplicationStatus"]] == ["eu-west-1"]


def test_changes_on_the_primary_reach_the_replica(clients: Any) -> None:
    _, east, west = clients
    east.create_secret(Name="s", SecretString="v1", AddReplicaRegions=[{"Region": "eu-west-1"}])
    east.update_secret(SecretId="s", SecretString="v2", Description="new")
    staged = east.put_secret_value(SecretId="s", SecretString="v3", VersionStages=["AWSPENDING"])
    assert west.get_secret_value(SecretId="s")["SecretString"] == "v2"
    assert west.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")["SecretString"] == "v1"
    assert west.get_secret_value(SecretId="s", VersionId=staged["VersionId"])["SecretString"] == "v3"
    assert west.describe_secret(SecretId="s")["Description"] == "new"
    assert west.describe_secret(SecretId="s")["VersionIdsToStages"] == (
        east.describe_secret(SecretId="s")["VersionIdsToStages"]
    )


def test_replica_refuses_writes(clients: Any) -> None:
    _, east, west = clients
    east.create_secret(Name="s", SecretString="v1", AddReplicaRegions=[{"Region": "eu-west-1"}])
    with aws_error("InvalidParameterException", REPLICA_WRITE):
        west.put_secret_value(SecretId="s", SecretString="x")
    with aws_error("InvalidParameterException", REPLICA_WRITE):
        west.update_secret(SecretId="s", Description="x")
    with aws_error("InvalidParameterException", REPLICA_WRITE):
        west.replicate_secret_to_regions(SecretId="s", AddReplicaRegions=[{"Region": "us-west-2"}])
    with aws_error("InvalidParameterException", REPLICA_WRITE):
        west.remove_regions_from_replication(SecretId="s", RemoveReplicaRegions=["eu-west-1"])
    assert west.get_secret_value(SecretId="s")["SecretString"] == "v1"


def test_replicate_existing_secret_and_idempotent_region(clients: Any) -> None:
    _, east, west = clients
    arn = east.create_secret(Name="s", SecretString="v")["ARN"]
    assert "ReplicationStatus" not in east.describe_secret(SecretId="s")
    kms_west = boto3.client("kms", region_name="eu-west-1")
    kms_west.create_alias(AliasName="alias/custom", TargetKeyId=kms_west.create_key()["KeyMetadata"]["KeyId"])
    out = east.replicate_secret_to_regions(
        SecretId=arn, AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": "alias/custom"}]
    )
    assert out["ARN"] == arn
    assert out["ReplicationStatus"] == [{"Region": "eu-west-1", "KmsKeyId": "alias/custom",
                                         "Status": "InSync", "StatusMessage": "Replication succeeded"}]
    again = east.replicate_secret_to_regions(SecretId=arn, AddReplicaRegions=[{"Region": "eu-west-1"}])
    assert len(again["ReplicationStatus"]) == 1
    assert west.describe_secret(SecretId="s")["KmsKeyId"] == "alias/custom"
    assert west.get_secret_value(SecretId="s")["SecretString"] == "v"


def test_replica_key_that_does_not_exist_fails_the_region(clients: Any) -> None:
    _, east, _ = clients
    east.create_secret(Name="s", SecretString="v")
    out = east.replicate_secret_to_regions(
        SecretId="s", AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": "alias/missing"}]
    )
    status = out["ReplicationStatus"][0]
    assert status["Status"] == "Failed"
    assert status["StatusMessage"].startswith("Replication failed: Secrets Manager can't encrypt")
    with aws_error("ResourceNotFoundException"):
        boto3.client("secretsmanager", region_name="eu-west-1").describe_secret(SecretId="s")


def test_invalid_replica_region_changes_nothing(clients: Any) -> None:
    handle, east, _ = clients
    east.create_secret(Name="s", SecretString="v")
    with aws_error("InvalidParameterException", "Invalid replica region."):
        east.replicate_secret_to_regions(
            SecretId="s", AddReplicaRegions=[{"Region": "eu-west-1"}, {"Region": "us-east-1"}]
        )
    assert handle.secrets(region="eu-west-1") == []
    with aws_error("InvalidParameterException", "Invalid replica region."):
        east.create_secret(Name="t", SecretString="v", AddReplicaRegions=[{"Region": "us-east-1"}])
    assert [s.name for s in handle.secrets()] == ["s"]


def test_name_taken_in_target_region_fails_unless_forced(clients: Any) -> None:
    _, east, west = clients
    west.create_secret(Name="s", SecretString="local")
    east.create_secret(Name="s", SecretString="v")
    out = east.replicate_secret_to_regions(SecretId="s", AddReplicaRegions=[{"Region": "eu-west-1"}])
    assert out["ReplicationStatus"] == [{
        "Region": "eu-west-1", "KmsKeyId": "alias/aws/secretsmanager", "Status": "Failed",
        "StatusMessage": "Replication failed: Secret with this name already exists in this region.",
    }]
    assert west.get_secret_value(SecretId="s")["SecretString"] == "local"
    forced = east.replicate_secret_to_regions(
        SecretId="s", AddReplicaRegions=[{"Region": "eu-west-1"}], ForceOverwriteReplicaSecret=True
    )
    assert forced["ReplicationStatus"][0]["Status"] == "InSync"
    assert west.get_secret_value(SecretId="s")["SecretString"] == "v"


def test_remove_regions_deletes_replica_and_ignores_unknown(clients: Any) -> None:
    handle, east, west = clients
    east.create_secret(Name="s", SecretString="v", AddReplicaRegions=[{"Region": "eu-west-1"}])
    out = east.remove_regions_from_replication(SecretId="s", RemoveReplicaRegions=["eu-west-1", "ap-south-1"])
    assert out["ReplicationStatus"] == []
    assert handle.secrets(region="eu-west-1") == []
    described = east.describe_secret(SecretId="s")
    assert "ReplicationStatus" not in described and "PrimaryRegion" not in described
    with aws_error("ResourceNotFoundException"):
        west.describe_secret(SecretId="s")


def test_stop_replication_promotes_the_replica(clients: Any) -> None:
    _, east, west = clients
    east.create_secret(Name="s", SecretString="v", AddReplicaRegions=[{"Region": "eu-west-1"}])
    arn = west.stop_replication_to_replica(SecretId="s")["ARN"]
    assert ":eu-west-1:" in arn
    assert "PrimaryRegion" not in west.describe_secret(SecretId="s")
    assert "ReplicationStatus" not in east.describe_secret(SecretId="s")
    west.put_secret_value(SecretId="s", SecretString="independent")
    east.put_secret_value(SecretId="s", SecretString="primary-only")
    assert west.get_secret_value(SecretId="s")["SecretString"] == "independent"
    with aws_error("InvalidRequestException", "The secret isn't a replica secret."):
        west.stop_replication_to_replica(SecretId="s")


def test_initial_status_in_progress_option() -> None:
    with mock_secretsmanager(replication_initial_status="InProgress"):
        east = boto3.client("secretsmanager", region_name="us-east-1")
        out = east.create_secret(Name="s", SecretString="v", AddReplicaRegions=[{"Region": "eu-west-1"}])
        assert out["ReplicationStatus"] == [
            {"Region": "eu-west-1", "KmsKeyId": "alias/aws/secretsmanager", "Status": "InProgress"}
        ]
        assert east.describe_secret(SecretId="s")["ReplicationStatus"][0]["Status"] == "InSync"


def test_replica_last_access_is_reported_on_the_primary(clients: Any) -> None:
    _, east, west = clients
    east.create_secret(Name="s", SecretString="v", AddReplicaRegions=[{"Region": "eu-west-1"}])
    assert "LastAccessedDate" not in east.describe_secret(SecretId="s")["ReplicationStatus"][0]
    west.get_secret_value(SecretId="s")
    status = east.describe_secret(SecretId="s")["ReplicationStatus"][0]
    assert status["LastAccessedDate"].timestamp() % 86400 == 0


# -- cross-account replicas ---------------------------------------------------------------

REPLICA_ACCOUNT = "222233334444"


@pytest.fixture
def accounts() -> Iterator[tuple[Any, Any]]:
    with mock_secretsmanager():
        primary_side = boto3.client("secretsmanager", region_name="us-east-1")
        replica_side = boto3.client(
            "secretsmanager", region_name="us-east-1",
            aws_access_key_id=REPLICA_ACCOUNT, aws_secret_access_key="x",
        )
        yield primary_side, replica_side


def _replica_key(replica_side: Any) -> str:
    """A customer key in the replica's account (cross-account replicas need their own)."""
    kms = boto3.client(
        "kms", region_name="us-east-1",
        aws_access_key_id=REPLICA_ACCOUNT, aws_secret_access_key="x",
    )
    return str(kms.create_key()["KeyMetadata"]["Arn"])


def test_cross_account_replica_lifecycle(accounts: Any) -> None:
    primary_side, replica_side = accounts
    primary = primary_side.create_secret(Name="shared", SecretString="v1")
    key = _replica_key(replica_side)
    replica = replica_side.create_secret(
        Name="shared-copy", KmsKeyId=key, CrossAccountPrimaryARN=primary["ARN"]
    )
    assert set(replica) - {"ResponseMetadata"} == {"ARN", "Name"}
    pending = replica_side.describe_secret(SecretId=replica["ARN"])["CrossAccountPrimary"]
    assert pending == {"PrimarySecretARN": primary["ARN"], "ReplicationStatus": "Pending"}

    out = primary_side.associate_cross_account_replica(
        SecretId="shared", CrossAccountReplicaARN=replica["ARN"]
    )
    assert out["ReplicationStatus"] == "InSync"
    assert out["CrossAccountReplicaARN"] == replica["ARN"]
    assert replica_side.get_secret_value(SecretId="shared-copy")["SecretString"] == "v1"
    assert primary_side.describe_secret(SecretId="shared")["CrossAccountReplicas"] == [
        {"ReplicaSecretARN": replica["ARN"], "ReplicationStatus": "InSync"}
    ]
    primary_side.put_secret_value(SecretId="shared", SecretString="v2")
    assert replica_side.get_secret_value(SecretId="shared-copy")["SecretString"] == "v2"
    with aws_error("InvalidParameterException", REPLICA_WRITE):
        replica_side.put_secret_value(SecretId="shared-copy", SecretString="x")

    stop_first = "You must stop cross-account replication before you delete this secret."
    if "DeleteSecret" in _implemented():
        with aws_error("InvalidRequestException", stop_first):
            primary_side.delete_secret(SecretId="shared")

    primary_side.disassociate_cross_account_replica(
        SecretId="shared", CrossAccountReplicaARN=replica["ARN"]
    )
    assert "CrossAccountReplicas" not in primary_side.describe_secret(SecretId="shared")
    detached = replica_side.describe_secret(SecretId="shared-copy")["CrossAccountPrimary"]
    assert detached["ReplicationStatus"] == "Detached"
    assert replica_side.get_secret_value(SecretId="shared-copy")["SecretString"] == "v2"
    with aws_error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."):
        primary_side.disassociate_cross_account_replica(
            SecretId="shared", CrossAccountReplicaARN=replica["ARN"]
        )


def _implemented() -> set[str]:
    from mocksm.secretsmanager.operations import table

    return set(table())


def test_cross_account_create_rules(accounts: Any) -> None:
    primary_side, replica_side = accounts
    primary_arn = primary_side.create_secret(Name="p", SecretString="v")["ARN"]
    key = _replica_key(replica_side)
    invalid = "Invalid combination of parameters for a cross-account replica secret."
    for extra in ({"SecretString": "x"}, {"Description": "d"}, {"KmsKeyId": ""}, {"Type": "t"}):
        kwargs: dict[str, Any] = {"Name": "r", "KmsKeyId": key, "CrossAccountPrimaryARN": primary_arn}
        kwargs.update(extra)
        with aws_error("InvalidParameterException", invalid):
            replica_side.create_secret(**kwargs)
    with aws_error("InvalidParameterException", invalid):
        replica_side.create_secret(Name="r", CrossAccountPrimaryARN=primary_arn)
    with aws_error("InvalidParameterException", invalid):
        replica_side.create_secret(
            Name="r", KmsKeyId=key, CrossAccountPrimaryARN=primary_arn.replace("us-east-1", "eu-west-1")
        )
    assert replica_side.list_secret_version_ids is not None  # client still usable


def test_associate_checks_the_replica(accounts: Any) -> None:
    primary_side, replica_side = accounts
    primary_side.create_secret(Name="p", SecretString="v")
    other_arn = primary_side.create_secret(Name="other", SecretString="v")["ARN"]
    key = _replica_key(replica_side)
    replica_arn = replica_side.create_secret(Name="r", KmsKeyId=key, CrossAccountPrimaryARN=other_arn)["ARN"]
    with aws_error("InvalidRequestException",
                   "The replica secret isn't configured to replicate from this primary secret."):
        primary_side.associate_cross_account_replica(SecretId="p", CrossAccountReplicaARN=replica_arn)
    with aws_error("ResourceNotFoundException"):
        primary_side.associate_cross_account_replica(
            SecretId="p", CrossAccountReplicaARN=replica_arn.replace("secret:r-", "secret:zz-")
        )
    primary_side.associate_cross_account_replica(SecretId="other", CrossAccountReplicaARN=replica_arn)
    primary_side.associate_cross_account_replica(SecretId="other", CrossAccountReplicaARN=replica_arn)
    second = replica_side.create_secret(Name="r2", KmsKeyId=key, CrossAccountPrimaryARN=other_arn)["ARN"]
    with aws_error("LimitExceededException", "The primary secret already has a cross-account replica."):
        primary_side.associate_cross_account_replica(SecretId="other", CrossAccountReplicaARN=second)


def test_stop_replication_on_cross_account_replica(accounts: Any) -> None:
    primary_side, replica_side = accounts
    primary_arn = primary_side.create_secret(Name="p", SecretString="v")["ARN"]
    key = _replica_key(replica_side)
    replica_arn = replica_side.create_secret(Name="r", KmsKeyId=key, CrossAccountPrimaryARN=primary_arn)["ARN"]
    primary_side.associate_cross_account_replica(SecretId="p", CrossAccountReplicaARN=replica_arn)
    assert replica_side.stop_replication_to_replica(SecretId="r")["ARN"] == replica_arn
    assert "CrossAccountPrimary" not in replica_side.describe_secret(SecretId="r")
    assert primary_side.describe_secret(SecretId="p")["CrossAccountReplicas"] == [
        {"ReplicaSecretARN": replica_arn, "ReplicationStatus": "Detached"}
    ]
    replica_side.put_secret_value(SecretId="r", SecretString="own")
    primary_side.put_secret_value(SecretId="p", SecretString="v2")
    assert replica_side.get_secret_value(SecretId="r")["SecretString"] == "own"


def test_forced_overwrite_does_not_take_over_another_primarys_replica() -> None:
    """ForceOverwriteReplicaSecret replaces a standalone secret, never one that belongs to
    another replication: before, the other primary kept reporting an InSync replica that
    no longer existed, and its RemoveRegionsFromReplication then dropped the new replica
    from the Region's name index (docs/decisions.md, "Audit (lifecycle)")."""
    with mock_secretsmanager() as handle:
        east = boto3.client("secretsmanager", region_name="us-east-1")
        eu = boto3.client("secretsmanager", region_name="eu-west-1")
        west = boto3.client("secretsmanager", region_name="us-west-2")
        eu.create_secret(Name="s", SecretString="from-eu", AddReplicaRegions=[{"Region": "us-west-2"}])
        east.create_secret(Name="s", SecretString="from-east")
        out = east.replicate_secret_to_regions(
            SecretId="s", AddReplicaRegions=[{"Region": "us-west-2"}], ForceOverwriteReplicaSecret=True
        )
        assert out["ReplicationStatus"] == [{
            "Region": "us-west-2", "KmsKeyId": "alias/aws/secretsmanager", "Status": "Failed",
            "StatusMessage": "Replication failed: Secret with this name already exists in this region.",
        }]
        assert west.get_secret_value(SecretId="s")["SecretString"] == "from-eu"
        assert west.describe_secret(SecretId="s")["PrimaryRegion"] == "eu-west-1"
        assert [s["Status"] for s in eu.describe_secret(SecretId="s")["ReplicationStatus"]] == ["InSync"]
        eu.put_secret_value(SecretId="s", SecretString="eu-2")
        assert west.get_secret_value(SecretId="s")["SecretString"] == "eu-2"
        # The same holds for a primary with replicas of its own, and at CreateSecret.
        west.create_secret(Name="p", SecretString="west", AddReplicaRegions=[{"Region": "eu-west-1"}])
        created = east.create_secret(Name="p", SecretString="east", ForceOverwriteReplicaSecret=True,
                                     AddReplicaRegions=[{"Region": "us-west-2"}])
        assert created["ReplicationStatus"][0]["Status"] == "Failed"
        assert west.get_secret_value(SecretId="p")["SecretString"] == "west"
        assert [s["Region"] for s in west.describe_secret(SecretId="p")["ReplicationStatus"]] == ["eu-west-1"]
        assert sorted(v.name for v in handle.secrets(region="us-west-2")) == ["p", "s"]


def test_promoted_replica_rotates_on_the_schedule_it_reports() -> None:
    """A promoted replica keeps the rotation settings it mirrored; its NextRotationDate is
    kept too, so the rotation has to happen then (before: the date passed and nothing ran)."""
    with mock_secretsmanager() as handle:
        handle.clock.freeze("2026-01-10T10:00:00Z")
        handle.register_rotation_function("rotator", "builtin")
        east = boto3.client("secretsmanager", region_name="us-east-1")
        west = boto3.client("secretsmanager", region_name="us-west-2")
        east.create_secret(Name="s", SecretString="v1", AddReplicaRegions=[{"Region": "us-west-2"}])
        east.rotate_secret(SecretId="s", RotationLambdaARN="rotator",
                           RotationRules={"AutomaticallyAfterDays": 2})
        arn = west.stop_replication_to_replica(SecretId="s")["ARN"]
        promoted = west.describe_secret(SecretId="s")
        assert promoted["RotationEnabled"] is True
        due = promoted["NextRotationDate"]
        before = west.get_secret_value(SecretId="s")["SecretString"]
        handle.clock.freeze(due)
        after = west.describe_secret(SecretId="s")
        assert after["LastRotatedDate"] > promoted["LastRotatedDate"]
        assert after["NextRotationDate"] > due
        assert west.get_secret_value(SecretId="s")["SecretString"] != before
        assert [a.outcome for a in handle.rotation_log(arn, region="us-west-2")] == ["succeeded"]


# -- audit (replication) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("primary_region", "replica_region"),
    [("us-east-1", "cn-north-1"), ("us-east-1", "us-gov-west-1"), ("cn-north-1", "eu-west-1")],
)
def test_replica_region_in_another_partition_is_refused(primary_region: str, replica_region: str) -> None:
    """AWS guide, "Replicate secrets across Regions": a secret in a commercial Region cannot
    be replicated to a China or GovCloud Region or the other way round. Before: the replica
    was made, with an ARN in the wrong partition."""
    with mock_secretsmanager() as handle:
        primary = boto3.client("secretsmanager", region_name=primary_region)
        with aws_error("InvalidParameterException", "Invalid replica region."):
            primary.create_secret(Name="s", SecretString="v", AddReplicaRegions=[{"Region": replica_region}])
        assert handle.secrets(region=primary_region) == []
        primary.create_secret(Name="t", SecretString="v")
        with aws_error("InvalidParameterException", "Invalid replica region."):
            primary.replicate_secret_to_regions(SecretId="t", AddReplicaRegions=[{"Region": replica_region}])
        assert handle.secrets(region=replica_region) == []
        assert "ReplicationStatus" not in primary.describe_secret(SecretId="t")


def test_replica_within_another_partition_keeps_its_partition() -> None:
    with mock_secretsmanager():
        beijing = boto3.client("secretsmanager", region_name="cn-north-1")
        ningxia = boto3.client("secretsmanager", region_name="cn-northwest-1")
        arn = beijing.create_secret(
            Name="s", SecretString="v", AddReplicaRegions=[{"Region": "cn-northwest-1"}]
        )["ARN"]
        assert arn.startswith("arn:aws-cn:secretsmanager:cn-north-1:")
        replica = ningxia.describe_secret(SecretId="s")
        assert replica["ARN"] == arn.replace(":cn-north-1:", ":cn-northwest-1:")
        assert replica["PrimaryRegion"] == "cn-north-1"


def test_refused_replica_region_creates_no_kms_key() -> None:
    """Validate first: with kms_unknown_keys="create" a CreateSecret refused for its replica
    Region used to leave the KMS key it named behind."""
    with mock_secretsmanager(kms_unknown_keys="create"):
        east = boto3.client("secretsmanager", region_name="us-east-1")
        kms = boto3.client("kms", region_name="us-east-1")
        before = kms.list_aliases()["Aliases"]
        with aws_error("InvalidParameterException", "Invalid replica region."):
            east.create_secret(Name="s", SecretString="v", KmsKeyId="alias/brand-new",
                               AddReplicaRegions=[{"Region": "us-east-1"}])
        assert kms.list_aliases()["Aliases"] == before
        with aws_error("InvalidParameterException", "Invalid replica region."):
            east.create_secret(Name="s", SecretString="v", KmsKeyId="alias/brand-new", AddReplicaRegions=[{}])
        assert kms.list_aliases()["Aliases"] == before


def test_forced_overwrite_that_fails_keeps_the_secret_in_the_target_region(clients: Any) -> None:
    """A forced overwrite replaces the same-named secret only once the replica can be made:
    before, a replica key that did not exist left the target Region without either."""
    _, east, west = clients
    local_arn = west.create_secret(Name="s", SecretString="local")["ARN"]
    east.create_secret(Name="s", SecretString="v")
    out = east.replicate_secret_to_regions(
        SecretId="s", AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": "alias/missing"}],
        ForceOverwriteReplicaSecret=True,
    )
    assert out["ReplicationStatus"][0]["Status"] == "Failed"
    assert west.describe_secret(SecretId="s")["ARN"] == local_arn
    assert west.get_secret_value(SecretId="s")["SecretString"] == "local"


def _west_key() -> str:
    return str(boto3.client("kms", region_name="eu-west-1").create_key()["KeyMetadata"]["Arn"])


def test_failed_sync_leaves_the_replica_as_it_was(clients: Any) -> None:
    """AWS guide, "Troubleshoot replication": versions already replicated stay in the replica
    Region when a later replication fails. Before: the labels moved on the replica while the
    new version was not added, so the replica had no AWSCURRENT version at all."""
    _, east, west = clients
    key = _west_key()
    first = east.create_secret(
        Name="s", SecretString="v1", AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": key}]
    )["VersionId"]
    boto3.client("kms", region_name="eu-west-1").disable_key(KeyId=key)
    east.put_secret_value(SecretId="s", SecretString="v2")
    status = east.describe_secret(SecretId="s")["ReplicationStatus"][0]
    assert status["Status"] == "Failed"
    assert status["StatusMessage"] == (
        "Replication failed: Secrets Manager can't encrypt the secret value with the specified "
        "KMS key because the key is not enabled."
    )
    assert west.describe_secret(SecretId="s")["VersionIdsToStages"] == {first: ["AWSCURRENT"]}
    versions = west.list_secret_version_ids(SecretId="s")["Versions"]
    assert [(v["VersionId"], v["VersionStages"]) for v in versions] == [(first, ["AWSCURRENT"])]


def test_failed_replication_without_usable_versions_removes_the_replica(clients: Any) -> None:
    """AWS guide, "Troubleshoot replication": when replication fails and the replica has no
    usable version, Secrets Manager removes the secret from the replica Region (before: an
    empty replica stayed). The primary keeps the Failed entry; replicating again retries."""
    _, east, west = clients
    key = _west_key()
    east.create_secret(Name="s", AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": key}])
    assert west.describe_secret(SecretId="s")["PrimaryRegion"] == "us-east-1"
    kms = boto3.client("kms", region_name="eu-west-1")
    kms.disable_key(KeyId=key)
    east.put_secret_value(SecretId="s", SecretString="v1")
    assert [s["Status"] for s in east.describe_secret(SecretId="s")["ReplicationStatus"]] == ["Failed"]
    with aws_error("ResourceNotFoundException"):
        west.describe_secret(SecretId="s")
    kms.enable_key(KeyId=key)
    out = east.replicate_secret_to_regions(
        SecretId="s", AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": key}]
    )
    assert [s["Status"] for s in out["ReplicationStatus"]] == ["InSync"]
    assert west.get_secret_value(SecretId="s")["SecretString"] == "v1"
