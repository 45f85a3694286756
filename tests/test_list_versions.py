"""ListSecretVersionIds (spec 5.9) and version retention (spec 4.5.7): 100 versions,
never removing one younger than 24 hours, in both ``version_retention`` modes."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

import pytest
from core_support import (
    INVALID_NAME,
    MARKED_FOR_DELETION,
    NOT_FOUND,
    TOO_MANY_VERSIONS,
    add_placeholder,
    keys,
    labels_by_version,
    mark_for_deletion,
    raw_error,
    token,
    unchanged,
)
from helpers import aws_error

from mocksm import mock_secretsmanager


@pytest.fixture
def sm(secretsmanager_client: Any) -> Any:
    return secretsmanager_client


def test_shape(sm: Any) -> None:
    created = sm.create_secret(Name="s", SecretString="v")
    listed = sm.list_secret_version_ids(SecretId="s")
    assert keys(listed) == {"Versions", "ARN", "Name"}
    assert (listed["ARN"], listed["Name"]) == (created["ARN"], "s")
    [entry] = listed["Versions"]
    assert set(entry) == {"VersionId", "VersionStages", "CreatedDate", "KmsKeyIds"}
    assert entry["VersionId"] == created["VersionId"]
    assert entry["VersionStages"] == ["AWSCURRENT"]
    assert entry["KmsKeyIds"] == ["DefaultEncryptionKey"]


def test_recorded_deprecation_sequence(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2")["VersionId"]
    assert labels_by_version(sm, "s") == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    v3 = sm.put_secret_value(SecretId="s", SecretString="3")["VersionId"]
    plain = sm.list_secret_version_ids(SecretId="s")["Versions"]
    assert [(v["VersionId"], v["VersionStages"]) for v in plain] == [
        (v2, ["AWSPREVIOUS"]), (v3, ["AWSCURRENT"])]
    everything = sm.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)["Versions"]
    assert [v["VersionId"] for v in everything] == [v1, v2, v3]
    assert set(everything[0]) == {"VersionId", "CreatedDate", "KmsKeyIds"}
    v4 = sm.put_secret_value(SecretId="s", SecretString="4")["VersionId"]
    assert labels_by_version(sm, "s") == {
        v1: None, v2: None, v3: ["AWSPREVIOUS"], v4: ["AWSCURRENT"]}


def test_empty_secret_lists_nothing(sm: Any) -> None:
    sm.create_secret(Name="s")
    listed = sm.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)
    assert listed["Versions"] == []
    assert "NextToken" not in listed


def test_value_less_versions_are_not_listed(mocksm: Any, sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="v")["VersionId"]
    add_placeholder(mocksm, "s", token(), {"AWSPENDING"})
    assert [v["VersionId"] for v in sm.list_secret_version_ids(
        SecretId="s", IncludeDeprecated=True)["Versions"]] == [v1]


def test_ascending_creation_order_even_when_the_clock_went_back(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-06-01T00:00:00Z")
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    mocksm.clock.freeze("2024-05-01T00:00:00Z")
    v2 = sm.put_secret_value(SecretId="s", SecretString="2")["VersionId"]
    v3 = sm.put_secret_value(SecretId="s", SecretString="3", VersionStages=["X"])["VersionId"]
    listed = sm.list_secret_version_ids(SecretId="s")["Versions"]
    assert [v["VersionId"] for v in listed] == [v2, v3, v1]
    assert listed[0]["CreatedDate"] == datetime(2024, 5, 1, tzinfo=timezone.utc)
    page = sm.list_secret_version_ids(SecretId="s", MaxResults=1)
    pages = [page["Versions"]]
    while "NextToken" in page:
        page = sm.list_secret_version_ids(SecretId="s", MaxResults=1,
                                          NextToken=page["NextToken"])
        pages.append(page["Versions"])
    assert [[v["VersionId"] for v in p] for p in pages] == [[v2], [v3], [v1]]


def test_pagination(sm: Any) -> None:
    ids = [sm.create_secret(Name="s", SecretString="0")["VersionId"]]
    ids += [sm.put_secret_value(SecretId="s", SecretString=str(i))["VersionId"]
            for i in range(1, 7)]
    seen: list[str] = []
    kwargs: dict[str, Any] = {"SecretId": "s", "IncludeDeprecated": True, "MaxResults": 3}
    sizes = []
    while True:
        page = sm.list_secret_version_ids(**kwargs)
        sizes.append(len(page["Versions"]))
        seen += [v["VersionId"] for v in page["Versions"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == ids
    assert sizes == [3, 3, 1]
    exact = sm.list_secret_version_ids(SecretId="s", MaxResults=2)
    assert len(exact["Versions"]) == 2 and "NextToken" not in exact


def test_bad_next_tokens(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="a", SecretString="0")
    sm.create_secret(Name="b", SecretString="0")
    for name in ("a", "b"):
        for i in range(3):
            sm.put_secret_value(SecretId=name, SecretString=str(i))
    next_a = sm.list_secret_version_ids(SecretId="a", MaxResults=1,
                                        IncludeDeprecated=True)["NextToken"]
    for secret_id, next_token, deprecated in [("a", "garbage", True), ("b", next_a, True),
                                              ("a", next_a, False)]:
        with unchanged(mocksm), aws_error("InvalidNextTokenException",
                                          "The NextToken value is invalid."):
            sm.list_secret_version_ids(SecretId=secret_id, NextToken=next_token,
                                       IncludeDeprecated=deprecated)


# A NextToken is ours to decode: one that unwraps to JSON nested past any parser's depth
# (valid base64, under the 4096-character model limit) is just an invalid token.
DEEP_TOKEN = base64.urlsafe_b64encode(("[" * 1500 + "]" * 1500).encode()).decode()


@pytest.mark.parametrize(("operation", "request_body"), [
    ("list_secret_version_ids", {"SecretId": "s"}),
    ("list_secrets", {}),
    ("batch_get_secret_value", {"Filters": [{"Key": "name", "Values": ["s"]}]}),
    ("list_resource_policies", {"SecretId": "s"}),
])
def test_a_next_token_nested_too_deep_is_invalid(mocksm: Any, sm: Any, operation: str,
                                                 request_body: dict[str, Any]) -> None:
    sm.create_secret(Name="s", SecretString="0")
    assert len(DEEP_TOKEN) <= 4096
    with unchanged(mocksm), aws_error("InvalidNextTokenException",
                                      "The NextToken value is invalid."):
        getattr(sm, operation)(NextToken=DEEP_TOKEN, **request_body)


def test_max_results_bounds(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="0")
    with aws_error("ValidationException",
                   "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
                   "constraint: Member must have value less than or equal to 100"):
        sm.list_secret_version_ids(SecretId="s", MaxResults=101)
    assert raw_error(mocksm, "ListSecretVersionIds", {"SecretId": "s", "MaxResults": 0}) == (
        400, "ValidationException",
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1")


def test_errors(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.list_secret_version_ids(SecretId="nope")
    with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
        sm.list_secret_version_ids(SecretId="Inv Name")
    sm.create_secret(Name="s", SecretString="0")
    mark_for_deletion(mocksm, sm, "s")
    with unchanged(mocksm), aws_error("InvalidRequestException", MARKED_FOR_DELETION):
        sm.list_secret_version_ids(SecretId="s")


def test_cross_account_listing_works_with_the_default_key(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="0")["ARN"]
    other = mocksm.client(aws_access_key_id="210987654321", aws_secret_access_key="x")
    assert len(other.list_secret_version_ids(SecretId=arn)["Versions"]) == 1


# -- version retention (spec 4.5.7) ---------------------------------------------------------

def _fill(sm: Any, count: int) -> list[str]:
    """A secret ``s`` with ``count`` versions, oldest first."""
    ids = [sm.create_secret(Name="s", SecretString="0")["VersionId"]]
    ids += [sm.put_secret_value(SecretId="s", SecretString=str(i))["VersionId"]
            for i in range(1, count)]
    return ids


def _all_ids(sm: Any) -> list[str]:
    """Every version id of ``s`` (botocore has no paginator for this operation)."""
    kwargs: dict[str, Any] = {"SecretId": "s", "IncludeDeprecated": True}
    ids: list[str] = []
    while True:
        page = sm.list_secret_version_ids(**kwargs)
        ids += [v["VersionId"] for v in page["Versions"]]
        if "NextToken" not in page:
            return ids
        kwargs["NextToken"] = page["NextToken"]


def test_a_hundred_young_versions_are_the_limit(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    ids = _fill(sm, 100)
    assert _all_ids(sm) == ids
    mocksm.clock.advance(hours=23, minutes=59, seconds=59)
    with unchanged(mocksm), aws_error("LimitExceededException", TOO_MANY_VERSIONS):
        sm.put_secret_value(SecretId="s", SecretString="one too many")
    with unchanged(mocksm), aws_error("LimitExceededException", TOO_MANY_VERSIONS):
        sm.update_secret(SecretId="s", SecretString="one too many", Description="no")
    # Moving labels creates no version and still works.
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=ids[-1], MoveToVersionId=ids[0])


def test_after_24_hours_the_oldest_deprecated_version_goes(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    ids = _fill(sm, 100)
    mocksm.clock.advance(days=1)
    new = sm.put_secret_value(SecretId="s", SecretString="101")["VersionId"]
    assert _all_ids(sm) == [*ids[1:], new]
    # AWS remembers a version its cleanup removed: reading it says so (terraform-provider-aws
    # issue #36607 quotes this answer to GetSecretValue with the removed VersionId).
    gone = (f"You can't perform this operation on secret version {ids[0]} because it was "
            "deleted.")
    with unchanged(mocksm), aws_error("InvalidRequestException", gone):
        sm.get_secret_value(SecretId="s", VersionId=ids[0])
    with unchanged(mocksm), aws_error("InvalidRequestException", gone):
        sm.get_secret_value(SecretId="s", VersionId=ids[0], VersionStage="AWSCURRENT")
    never = "f" * 32  # an id that never named a version is still not found
    with aws_error("ResourceNotFoundException",
                   f"Secrets Manager can't find the specified secret value for VersionId: "
                   f"{never}"):
        sm.get_secret_value(SecretId="s", VersionId=never)
    newer = sm.put_secret_value(SecretId="s", SecretString="102")["VersionId"]
    assert _all_ids(sm) == [*ids[2:], new, newer]


def test_a_version_dropped_to_make_room_for_a_rotation_is_deleted_too(mocksm: Any,
                                                                      sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    ids = _fill(sm, 100)
    mocksm.clock.advance(days=1)
    fn = "arn:aws:lambda:us-east-1:123456789012:function:does-nothing"
    mocksm.register_rotation_function(fn, lambda event, context: None)
    token = sm.rotate_secret(SecretId="s", RotationLambdaARN=fn)["VersionId"]
    assert token not in _all_ids(sm)  # the rotation placeholder holds no value
    with aws_error("InvalidRequestException",
                   f"You can't perform this operation on secret version {ids[0]} because it "
                   "was deleted."):
        sm.get_secret_value(SecretId="s", VersionId=ids[0])


def test_labelled_versions_are_kept_whatever_their_age(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    ids = _fill(sm, 100)
    sm.update_secret_version_stage(SecretId="s", VersionStage="keep", MoveToVersionId=ids[0])
    mocksm.clock.advance(days=2)
    new = sm.put_secret_value(SecretId="s", SecretString="101")["VersionId"]
    assert _all_ids(sm) == [ids[0], *ids[2:], new]


def test_only_old_versions_are_removed(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    old = _fill(sm, 50)
    mocksm.clock.advance(hours=12)
    young = [sm.put_secret_value(SecretId="s", SecretString=str(i))["VersionId"]
             for i in range(50)]
    mocksm.clock.advance(hours=12)  # the first 50 are now exactly 24 h old
    extra = [sm.put_secret_value(SecretId="s", SecretString=str(i))["VersionId"]
             for i in range(48)]  # 48 of the old, deprecated ones go
    assert _all_ids(sm) == [old[48], old[49], *young, *extra]
    sm.update_secret_version_stage(SecretId="s", VersionStage="pin", MoveToVersionId=old[48])
    sm.put_secret_value(SecretId="s", SecretString="x")  # old[49] goes; old[48] is pinned
    with unchanged(mocksm), aws_error("LimitExceededException", TOO_MANY_VERSIONS):
        sm.put_secret_value(SecretId="s", SecretString="y")


def test_version_deprecated_by_the_same_call_can_go(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    v1 = sm.create_secret(Name="s", SecretString="0")["VersionId"]
    mocksm.clock.advance(days=1)
    rest = [sm.put_secret_value(SecretId="s", SecretString=str(i), VersionStages=["X"])[
        "VersionId"] for i in range(99)]
    # v1 (1 day old) holds AWSCURRENT; this put moves it to AWSPREVIOUS... and v1 keeps it.
    with unchanged(mocksm), aws_error("LimitExceededException", TOO_MANY_VERSIONS):
        sm.put_secret_value(SecretId="s", SecretString="n", VersionStages=["X"])
    # Moving every label off v1 in the same call frees it.
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=v1, MoveToVersionId=rest[-1])
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSPREVIOUS",
                                   RemoveFromVersionId=v1, MoveToVersionId=rest[-2])
    new = sm.put_secret_value(SecretId="s", SecretString="n", VersionStages=["Y"])["VersionId"]
    assert _all_ids(sm) == [*rest, new]


def test_fewer_than_a_hundred_versions_are_all_kept(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    ids = _fill(sm, 60)
    mocksm.clock.advance(days=30)
    ids.append(sm.put_secret_value(SecretId="s", SecretString="late")["VersionId"])
    assert _all_ids(sm) == ids


def test_count_only_mode_ignores_age() -> None:
    with mock_secretsmanager(version_retention="count_only") as handle:
        sm = handle.client()
        handle.clock.freeze("2024-01-01T00:00:00Z")
        ids = _fill(sm, 100)
        sm.update_secret_version_stage(SecretId="s", VersionStage="keep", MoveToVersionId=ids[1])
        more = [sm.put_secret_value(SecretId="s", SecretString=str(i))["VersionId"]
                for i in range(30)]
        listed = _all_ids(sm)
        assert len(listed) == 100
        assert listed == [ids[1], *ids[31:], *more]
