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
    out = east.replicate_secret_to_regions(
        SecretId=arn, AddReplicaRegions=[{"Region": "eu-west-1", "KmsKeyId": "alias/custom"}]
    )
    assert out["ARN"] == arn
    assert out["ReplicationStatus"][0]["KmsKeyId"] == "alias/custom"
    again = east.replicate_secret_to_regions(SecretId=arn, AddReplicaRegions=[{"Region": "eu-west-1"}])
    assert len(again["ReplicationStatus"]) == 1
    assert west.describe_secret(SecretId="s")["KmsKeyId"] == "alias/custom"


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
