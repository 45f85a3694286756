"""GetSecretValue: version selection, the recorded not-found texts, LastAccessedDate,
and every error path (spec 5.5, 4.14; golden scenario 8)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from core_support import (
    INVALID_NAME,
    MARKED_FOR_DELETION,
    NOT_FOUND,
    add_placeholder,
    keys,
    mark_for_deletion,
    raw,
    raw_error,
    token,
    unchanged,
)
from helpers import aws_error

MISMATCH = "You provided a VersionStage that is not associated to the provided VersionId."


def _no_stage(label: str) -> str:
    return f"Secrets Manager can't find the specified secret value for staging label: {label}"


def _no_version(version_id: str) -> str:
    return f"Secrets Manager can't find the specified secret value for VersionId: {version_id}"


@pytest.fixture
def sm(secretsmanager_client: Any) -> Any:
    return secretsmanager_client


def test_output_shape_string(sm: Any) -> None:
    created = sm.create_secret(Name="s", SecretString="v")
    got = sm.get_secret_value(SecretId="s")
    assert keys(got) == {"ARN", "Name", "VersionId", "SecretString", "VersionStages",
                         "CreatedDate"}
    assert (got["ARN"], got["Name"], got["VersionId"], got["SecretString"],
            got["VersionStages"]) == (created["ARN"], "s", created["VersionId"], "v",
                                      ["AWSCURRENT"])


def test_output_shape_binary(sm: Any) -> None:
    sm.create_secret(Name="s", SecretBinary=b"footest")
    got = sm.get_secret_value(SecretId="s")
    assert keys(got) == {"ARN", "Name", "VersionId", "SecretBinary", "VersionStages",
                         "CreatedDate"}
    assert got["SecretBinary"] == b"footest"


def test_raw_response_carries_base64(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretBinary=b"footest")
    status, body = raw(mocksm, "GetSecretValue", {"SecretId": "s"})
    assert status == 200
    assert body["SecretBinary"] == "Zm9vdGVzdA=="
    assert isinstance(body["CreatedDate"], float)


def test_created_date_is_the_versions(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    sm.create_secret(Name="s", SecretString="1")
    mocksm.clock.freeze("2024-02-01T00:00:00Z")
    sm.put_secret_value(SecretId="s", SecretString="2")
    assert sm.get_secret_value(SecretId="s")["CreatedDate"] == datetime(
        2024, 2, 1, tzinfo=timezone.utc)
    assert sm.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")[
        "CreatedDate"] == datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert sm.describe_secret(SecretId="s")["CreatedDate"] == datetime(
        2024, 1, 1, tzinfo=timezone.utc)


def test_selection_by_stage_id_and_both(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2", VersionStages=["AWSPENDING"])[
        "VersionId"]
    assert sm.get_secret_value(SecretId="s")["VersionId"] == v1
    assert sm.get_secret_value(SecretId="s", VersionStage="AWSPENDING")["SecretString"] == "2"
    assert sm.get_secret_value(SecretId="s", VersionId=v2)["VersionStages"] == ["AWSPENDING"]
    both = sm.get_secret_value(SecretId="s", VersionId=v1, VersionStage="AWSCURRENT")
    assert both["SecretString"] == "1"


def test_deprecated_version_by_id_has_no_version_stages(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    sm.put_secret_value(SecretId="s", SecretString="2")
    sm.put_secret_value(SecretId="s", SecretString="3")
    got = sm.get_secret_value(SecretId="s", VersionId=v1)
    assert keys(got) == {"ARN", "Name", "VersionId", "SecretString", "CreatedDate"}
    assert got["SecretString"] == "1"


def test_golden_8(mocksm: Any, sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_stage("AWSPREVIOUS")):
        sm.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")
    with unchanged(mocksm), aws_error("InvalidRequestException", MISMATCH):
        sm.get_secret_value(SecretId="s", VersionId=v1, VersionStage="AWSPREVIOUS")


def test_recorded_not_found_texts(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="empty")
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_stage("AWSCURRENT")):
        sm.get_secret_value(SecretId="empty")
    sm.create_secret(Name="s", SecretString="1")
    ghost = token()
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_version(ghost)):
        sm.get_secret_value(SecretId="s", VersionId=ghost)
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_version(ghost)):
        sm.get_secret_value(SecretId="s", VersionId=ghost, VersionStage="AWSCURRENT")
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_stage("AWSPENDING")):
        sm.get_secret_value(SecretId="s", VersionStage="AWSPENDING")
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_stage("custom")):
        sm.get_secret_value(SecretId="s", VersionStage="custom")


def test_value_less_placeholder(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="1")
    pending = token()
    add_placeholder(mocksm, "s", pending, {"AWSPENDING"})
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_stage("AWSPENDING")):
        sm.get_secret_value(SecretId="s", VersionStage="AWSPENDING")
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_version(pending)):
        sm.get_secret_value(SecretId="s", VersionId=pending)
    with unchanged(mocksm), aws_error("ResourceNotFoundException", _no_version(pending)):
        sm.get_secret_value(SecretId="s", VersionId=pending, VersionStage="AWSPENDING")


def test_not_found_invalid_name_and_deleted(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.get_secret_value(SecretId="nope")
    for name in ("Inv Name", " Inv*Name? ", "caf\u00e9"):
        with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
            sm.get_secret_value(SecretId=name)
    sm.create_secret(Name="s", SecretString="1")
    mark_for_deletion(mocksm, sm, "s")
    with unchanged(mocksm), aws_error("InvalidRequestException", MARKED_FOR_DELETION):
        sm.get_secret_value(SecretId="s")


def test_bang_is_allowed_in_a_secret_id(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.get_secret_value(SecretId="rds!cluster-abc")


def test_cross_account_read_needs_a_customer_key(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="1")["ARN"]
    other = mocksm.client(aws_access_key_id="210987654321", aws_secret_access_key="x")
    with unchanged(mocksm), aws_error(
        "InvalidRequestException",
        "You can't access a secret from a different AWS account if you encrypt the secret "
        "with the default KMS service key.",
    ):
        other.get_secret_value(SecretId=arn)


def test_version_constraints(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="1")
    with unchanged(mocksm):
        status, code, message = raw_error(mocksm, "GetSecretValue", {
            "SecretId": "s", "VersionId": "v" * 31, "VersionStage": "S" * 257})
    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"2 validation errors detected: Value '{'v' * 31}' at 'versionId' failed to satisfy "
        "constraint: Member must have length greater than or equal to 32; "
        f"Value '{'S' * 257}' at 'versionStage' failed to satisfy constraint: Member must have "
        "length less than or equal to 256"
    )


# -- LastAccessedDate -----------------------------------------------------------------------

def test_last_accessed_date_is_midnight_utc(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-05-17T23:59:59.999Z")
    sm.create_secret(Name="s", SecretString="1")
    described = sm.describe_secret(SecretId="s")
    assert "LastAccessedDate" not in described
    assert "LastAccessedDate" not in sm.list_secret_version_ids(SecretId="s")["Versions"][0]
    sm.get_secret_value(SecretId="s")
    midnight = datetime(2024, 5, 17, tzinfo=timezone.utc)
    described = sm.describe_secret(SecretId="s")
    assert described["LastAccessedDate"] == midnight
    assert described["LastChangedDate"] > midnight  # reading is not a change
    assert sm.list_secret_version_ids(SecretId="s")["Versions"][0]["LastAccessedDate"] == midnight
    status, body = raw(mocksm, "DescribeSecret", {"SecretId": "s"})
    assert (status, body["LastAccessedDate"]) == (200, midnight.timestamp())


def test_last_accessed_date_moves_by_day_and_per_version(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-05-17T08:00:00Z")
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2")["VersionId"]
    sm.get_secret_value(SecretId="s", VersionId=v1)
    mocksm.clock.advance(hours=10)
    with unchanged(mocksm):  # same day: the recorded dates stay as they are
        sm.get_secret_value(SecretId="s", VersionId=v1)
    mocksm.clock.advance(days=1)
    sm.get_secret_value(SecretId="s")
    day1, day2 = (datetime(2024, 5, d, tzinfo=timezone.utc) for d in (17, 18))
    versions = {v["VersionId"]: v for v in
                sm.list_secret_version_ids(SecretId="s")["Versions"]}
    assert versions[v1]["LastAccessedDate"] == day1
    assert versions[v2]["LastAccessedDate"] == day2
    assert sm.describe_secret(SecretId="s")["LastAccessedDate"] == day2


def test_describe_and_list_do_not_touch_access_dates(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="1")
    with unchanged(mocksm):
        sm.describe_secret(SecretId="s")
        sm.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)


def test_reading_changes_nothing_but_access_dates(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-05-17T08:00:00Z")
    sm.create_secret(Name="s", SecretString="1")
    before = sm.describe_secret(SecretId="s")
    sm.get_secret_value(SecretId="s")
    after = sm.describe_secret(SecretId="s")
    assert keys(after) - keys(before) == {"LastAccessedDate"}
    assert {k: after[k] for k in keys(before)} == {k: before[k] for k in keys(before)}


def test_cross_account_check_precedes_the_deletion_check(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="1")["ARN"]
    mark_for_deletion(mocksm, sm, "s")
    other = mocksm.client(aws_access_key_id="210987654321", aws_secret_access_key="x")
    with unchanged(mocksm), aws_error(
        "InvalidRequestException",
        "You can't access a secret from a different AWS account if you encrypt the secret "
        "with the default KMS service key.",
    ):
        other.get_secret_value(SecretId=arn)


def test_last_accessed_date_follows_freezegun(mocksm: Any, sm: Any) -> None:
    freezegun = pytest.importorskip("freezegun")
    with freezegun.freeze_time("2023-01-11T17:30:00Z"):
        sm.create_secret(Name="s", SecretString="1")
        sm.get_secret_value(SecretId="s")
        described = sm.describe_secret(SecretId="s")
    assert described["LastAccessedDate"] == datetime(2023, 1, 11, tzinfo=timezone.utc)
    assert described["CreatedDate"] == datetime(2023, 1, 11, 17, 30, tzinfo=timezone.utc)
