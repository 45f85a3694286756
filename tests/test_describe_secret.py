"""DescribeSecret: which fields are present when, and SecretId resolution by name, full
ARN and partial ARN (spec 4.1-4.3, 5.7; golden scenario 10)."""

from __future__ import annotations

from typing import Any

import pytest
from core_support import (
    INVALID_NAME,
    NOT_FOUND,
    add_placeholder,
    keys,
    mark_for_deletion,
    token,
    unchanged,
)
from helpers import aws_error


@pytest.fixture
def sm(secretsmanager_client: Any) -> Any:
    return secretsmanager_client


def test_minimal_shape(sm: Any) -> None:
    created = sm.create_secret(Name="s", SecretString="v")
    described = sm.describe_secret(SecretId="s")
    assert keys(described) == {"ARN", "Name", "CreatedDate", "LastChangedDate",
                               "VersionIdsToStages"}
    assert described["ARN"] == created["ARN"]
    assert described["VersionIdsToStages"] == {created["VersionId"]: ["AWSCURRENT"]}


def test_full_shape_of_the_core_fields(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", Description="desc", Type="t",
                     Tags=[{"Key": "k", "Value": "v"}])
    sm.get_secret_value(SecretId="s")
    described = sm.describe_secret(SecretId="s")
    assert keys(described) == {"ARN", "Name", "Description", "Type", "Tags", "CreatedDate",
                               "LastChangedDate", "LastAccessedDate", "VersionIdsToStages"}


def test_no_rotation_fields_until_rotation_is_configured(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    described = sm.describe_secret(SecretId="s")
    for field in ("RotationEnabled", "RotationLambdaARN", "RotationRules", "LastRotatedDate",
                  "NextRotationDate", "KmsKeyId", "DeletedDate", "OwningService",
                  "PrimaryRegion", "ReplicationStatus"):
        assert field not in described


def test_version_ids_to_stages_excludes_deprecated_and_sorts_labels(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2",
                             VersionStages=["zeta", "AWSCURRENT", "alpha", "Beta"])["VersionId"]
    v3 = sm.put_secret_value(SecretId="s", SecretString="3")["VersionId"]
    assert sm.describe_secret(SecretId="s")["VersionIdsToStages"] == {
        v2: ["AWSPREVIOUS", "Beta", "alpha", "zeta"], v3: ["AWSCURRENT"]}
    assert v1 not in sm.describe_secret(SecretId="s")["VersionIdsToStages"]


def test_labelled_placeholder_is_described(mocksm: Any, sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    pending = token()
    add_placeholder(mocksm, "s", pending, {"AWSPENDING"})
    assert sm.describe_secret(SecretId="s")["VersionIdsToStages"] == {
        v1: ["AWSCURRENT"], pending: ["AWSPENDING"]}


def test_describe_has_no_side_effects(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="1")
    sm.get_secret_value(SecretId="s")
    mocksm.clock.advance(days=3)
    with unchanged(mocksm):
        sm.describe_secret(SecretId="s")


def test_describe_works_on_a_secret_marked_for_deletion(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="1")
    mark_for_deletion(mocksm, sm, "s")
    described = sm.describe_secret(SecretId="s")
    assert "DeletedDate" in described
    assert described["VersionIdsToStages"]


def test_describe_works_cross_account_with_the_default_key(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="1")["ARN"]
    other = mocksm.client(aws_access_key_id="210987654321", aws_secret_access_key="x")
    assert other.describe_secret(SecretId=arn)["ARN"] == arn
    with aws_error("ResourceNotFoundException", NOT_FOUND):
        other.describe_secret(SecretId="s")


def test_errors(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.describe_secret(SecretId="nope")
    with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
        sm.describe_secret(SecretId="Inv Name")
    long_id = "a" * 2049
    with unchanged(mocksm), aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{long_id}' at 'secretId' failed to satisfy "
        "constraint: Member must have length less than or equal to 2048",
    ):
        sm.describe_secret(SecretId=long_id)


# -- SecretId resolution (spec 4.3) --------------------------------------------------------

@pytest.mark.parametrize(
    "name",
    ["s-c64bdc03", "Valid/_+=.@-Name", "Valid/_+=.@-Name-a1b2", "Valid/_+=.@-Name-a1b2c3-"],
)
def test_partial_arn_finds_the_secret(sm: Any, name: str) -> None:
    arn = sm.create_secret(Name=name, SecretString="v")["ARN"]
    partial = arn[:-7]
    assert partial.endswith(f":secret:{name}")
    assert sm.describe_secret(SecretId=partial)["ARN"] == arn
    assert sm.get_secret_value(SecretId=partial)["SecretString"] == "v"


def test_partial_arn_of_a_name_ending_like_a_suffix_is_not_found(mocksm: Any, sm: Any) -> None:
    """Recorded: the name 'Invalid/_+=.@-Name-a1b2c3' works by name and full ARN only."""
    name = "Invalid/_+=.@-Name-a1b2c3"
    arn = sm.create_secret(Name=name, SecretString="v")["ARN"]
    assert sm.describe_secret(SecretId=name)["ARN"] == arn
    assert sm.describe_secret(SecretId=arn)["ARN"] == arn
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.get_secret_value(SecretId=arn[:-7])
    assert sm.put_secret_value(SecretId=arn, SecretString="w")["VersionStages"] == [
        "AWSCURRENT"]


def test_full_arn_with_another_suffix_is_not_found(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    wrong = arn[:-6] + ("AAAAAA" if not arn.endswith("AAAAAA") else "BBBBBB")
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.describe_secret(SecretId=wrong)


@pytest.mark.parametrize(
    "transform",
    [
        lambda arn: arn.replace(":us-east-1:", ":us-west-2:"),
        lambda arn: arn.replace("arn:aws:", "arn:aws-cn:"),
        lambda arn: arn.replace(":secretsmanager:", ":kms:"),
        lambda arn: arn.replace(":secret:", ":secrets:"),
        lambda arn: arn.replace(":123456789012:", ":12345:"),
        lambda arn: arn.replace(":123456789012:", ":210987654321:"),
        lambda arn: arn[:-7].replace("my/secret", "MY/secret"),
        lambda arn: arn[:-7].replace("arn:aws:", "arn:aws-cn:"),
        lambda arn: arn[:-7].replace(":us-east-1:", ":us-west-2:"),
        lambda arn: arn[:-7] + "-",
        lambda arn: arn + "x",
    ],
)
def test_malformed_or_foreign_arns_are_not_found(mocksm: Any, sm: Any, transform: Any) -> None:
    arn = sm.create_secret(Name="my/secret", SecretString="v")["ARN"]
    assert sm.describe_secret(SecretId=arn[:-7])["ARN"] == arn  # the untouched partial works
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.describe_secret(SecretId=transform(arn))


def test_arn_is_not_subject_to_the_name_check(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.describe_secret(SecretId="arn:aws:secretsmanager:us-east-1:123456789012:secret:a b")


def test_names_are_matched_exactly(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="prod/db", SecretString="v")
    for secret_id in ("prod/DB", "prod/d", "prod/db/", "prod"):
        with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
            sm.describe_secret(SecretId=secret_id)


def test_secrets_are_regional(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    west = mocksm.client(region="us-west-2")
    for secret_id in ("s", arn, arn[:-7]):
        with aws_error("ResourceNotFoundException", NOT_FOUND):
            west.describe_secret(SecretId=secret_id)
    west_arn = west.create_secret(Name="s", SecretString="west")["ARN"]
    assert ":us-west-2:" in west_arn
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v"
    assert west.get_secret_value(SecretId="s")["SecretString"] == "west"


def test_golden_10_invalid_name_everywhere(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    calls = [
        lambda sid: sm.describe_secret(SecretId=sid),
        lambda sid: sm.get_secret_value(SecretId=sid),
        lambda sid: sm.list_secret_version_ids(SecretId=sid),
        lambda sid: sm.put_secret_value(SecretId=sid, SecretString="v"),
        lambda sid: sm.update_secret(SecretId=sid, Description="d"),
        lambda sid: sm.update_secret_version_stage(SecretId=sid, VersionStage="X",
                                                   MoveToVersionId="a" * 32),
    ]
    for name in ("Inv Name", " Inv Name", " Inv*Name? ", " Inv *?!]Name\\-"):
        for call in calls:
            with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
                call(name)
