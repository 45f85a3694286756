"""Server-side model validation in AWS's (Coral's) words (spec 2.4, 2.5): lengths,
values, patterns, enums, nulls, nested paths, several violations at once, sensitive
members never echoed, and type errors as SerializationException."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from core_support import raw, raw_error, token, unchanged
from helpers import aws_error

from mocksm._validate import validate_input
from mocksm.errors import ServiceError

REGION_PATTERN = "^([a-z]+-)+\\d+$"
AT_LEAST_ONE = "Member must have length greater than or equal to 1"


def _one(text: str) -> str:
    return f"1 validation error detected: {text}"


@pytest.fixture
def sm(secretsmanager_client: Any) -> Any:
    return secretsmanager_client


@pytest.fixture(scope="module")
def model() -> Any:
    return botocore.session.get_session().get_service_model("secretsmanager")


# -- null / required -------------------------------------------------------------------------

def test_missing_required_member(mocksm: Any) -> None:
    assert raw_error(mocksm, "CreateSecret", {}) == (
        400, "ValidationException",
        _one("Value null at 'name' failed to satisfy constraint: Member must not be null"))
    assert raw_error(mocksm, "DescribeSecret", {"SecretId": None}) == (
        400, "ValidationException",
        _one("Value null at 'secretId' failed to satisfy constraint: Member must not be null"))
    assert mocksm.secrets() == []


def test_two_missing_members_in_model_order(mocksm: Any) -> None:
    assert raw_error(mocksm, "UpdateSecretVersionStage", {"MoveToVersionId": "x"}) == (
        400, "ValidationException",
        "3 validation errors detected: "
        "Value null at 'secretId' failed to satisfy constraint: Member must not be null; "
        "Value null at 'versionStage' failed to satisfy constraint: Member must not be null; "
        "Value 'x' at 'moveToVersionId' failed to satisfy constraint: Member must have length "
        "greater than or equal to 32")


def test_null_optional_members_count_as_absent(mocksm: Any, sm: Any) -> None:
    status, body = raw(mocksm, "CreateSecret", {
        "Name": "n", "Description": None, "SecretString": "v", "ClientRequestToken": token(),
        "Tags": None, "KmsKeyId": None})
    assert status == 200, body
    described = sm.describe_secret(SecretId="n")
    assert "Description" not in described and "Tags" not in described


def test_unknown_members_are_ignored(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    status, body = raw(mocksm, "DescribeSecret", {"SecretId": "s", "Bogus": [1, 2],
                                                  "secretId": "other"})
    assert status == 200 and body["Name"] == "s"


# -- lengths and values -----------------------------------------------------------------------

def test_min_length_violations_botocore_would_block(mocksm: Any) -> None:
    assert raw_error(mocksm, "GetSecretValue", {"SecretId": ""}) == (
        400, "ValidationException",
        _one("Value '' at 'secretId' failed to satisfy constraint: Member must have length "
             "greater than or equal to 1"))


def test_max_length_is_checked_server_side(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    kind = "k" * 257
    with unchanged(mocksm), aws_error("ValidationException", _one(
            f"Value '{kind}' at 'type' failed to satisfy constraint: Member must have length "
            "less than or equal to 256")):
        sm.update_secret(SecretId="s", Type=kind)
    key = "k" * 2049
    with unchanged(mocksm), aws_error("ValidationException", _one(
            f"Value '{key}' at 'kmsKeyId' failed to satisfy constraint: Member must have length "
            "less than or equal to 2048")):
        sm.update_secret(SecretId="s", KmsKeyId=key)


def test_lengths_are_characters_except_for_secret_string(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", Description="\u00e9" * 2048)
    assert sm.describe_secret(SecretId="s")["Description"] == "\u00e9" * 2048


def test_integer_bounds(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    assert raw_error(mocksm, "ListSecretVersionIds", {"SecretId": "s", "MaxResults": -5}) == (
        400, "ValidationException",
        _one("Value '-5' at 'maxResults' failed to satisfy constraint: Member must have value "
             "greater than or equal to 1"))


# -- sensitive members ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "path", "constraint"),
    [
        ({"SecretString": ""}, "secretString", AT_LEAST_ONE),
        ({"SecretBinary": ""}, "secretBinary", AT_LEAST_ONE),
        ({"SecretString": "x" * 65537}, "secretString",
         "Member must have length less than or equal to 65536"),
        ({"SecretBinary": "eHh4" * 21846}, "secretBinary",
         "Member must have length less than or equal to 65536"),
        ({"SecretString": "v", "RotationToken": "short-token"}, "rotationToken",
         "Member must have length greater than or equal to 36"),
        ({"SecretString": "v", "RotationToken": "bad token " * 4}, "rotationToken",
         "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-]+$"),
    ],
)
def test_sensitive_values_are_never_echoed(mocksm: Any, sm: Any, body: dict[str, Any], path: str,
                                           constraint: str) -> None:
    sm.create_secret(Name="s", SecretString="v")
    with unchanged(mocksm):
        status, code, message = raw_error(
            mocksm, "PutSecretValue", {"SecretId": "s", "ClientRequestToken": token(), **body})
    assert (status, code) == (400, "ValidationException")
    assert message == _one(f"Value at '{path}' failed to satisfy constraint: {constraint}")


def test_sensitive_and_plain_violations_together(mocksm: Any) -> None:
    description = "d" * 2049
    status, code, message = raw_error(mocksm, "CreateSecret", {
        "Name": "", "ClientRequestToken": "t", "Description": description,
        "SecretString": "s" * 65537, "Type": "t" * 257})
    assert (status, code) == (400, "ValidationException")
    assert message == (
        "5 validation errors detected: "
        "Value '' at 'name' failed to satisfy constraint: Member must have length greater than "
        "or equal to 1; "
        "Value 't' at 'clientRequestToken' failed to satisfy constraint: Member must have length "
        "greater than or equal to 32; "
        f"Value '{description}' at 'description' failed to satisfy constraint: Member must have "
        "length less than or equal to 2048; "
        "Value at 'secretString' failed to satisfy constraint: Member must have length less than "
        "or equal to 65536; "
        f"Value '{'t' * 257}' at 'type' failed to satisfy constraint: Member must have length "
        "less than or equal to 256")
    assert "s" * 100 not in message
    assert mocksm.secrets() == []



def test_a_structure_in_a_failing_list_hides_its_sensitive_members() -> None:
    """No served list of structures has a sensitive member today; the rendering of one
    still must not print it, should a model gain one (a shape made up for the test)."""
    from botocore.model import ShapeResolver

    resolver = ShapeResolver({
        "Input": {"type": "structure", "members": {"Entries": {"shape": "Entries"}}},
        "Entries": {"type": "list", "member": {"shape": "Entry"}, "max": 1},
        "Entry": {"type": "structure", "members": {
            "Name": {"shape": "Text"}, "Secret": {"shape": "Hidden"}, "Spares": {"shape": "Spares"}}},
        "Spares": {"type": "list", "member": {"shape": "Hidden"}},
        "Text": {"type": "string"},
        "Hidden": {"type": "string", "sensitive": True},
    })
    body = {"Entries": [{"Name": "a", "Secret": "s3cr3t-1"},
                        {"Name": "b", "Secret": "s3cr3t-2", "Spares": ["s3cr3t-3"]}]}
    with pytest.raises(ServiceError) as caught:
        validate_input(resolver.get_shape_by_name("Input"), body)
    hidden = "*** Sensitive Data Redacted ***"
    assert caught.value.message == _one(
        f"Value '[Entry(name=a, secret={hidden}, spares=null), "
        f"Entry(name=b, secret={hidden}, spares=[{hidden}])]' at 'entries' "
        "failed to satisfy constraint: Member must have length less than or equal to 1")

# -- nested paths, patterns, enums -----------------------------------------------------------

def test_nested_list_of_structures(mocksm: Any, sm: Any) -> None:
    key, value = "k" * 129, "v" * 257
    with unchanged(mocksm), aws_error(
        "ValidationException",
        f"2 validation errors detected: Value '{key}' at 'tags.1.member.key' failed to satisfy "
        "constraint: Member must have length less than or equal to 128; "
        f"Value '{value}' at 'tags.2.member.value' failed to satisfy constraint: Member must "
        "have length less than or equal to 256",
    ):
        sm.create_secret(Name="n", SecretString="v",
                         Tags=[{"Key": key, "Value": "ok"}, {"Key": "ok", "Value": value}])


def test_missing_member_of_a_nested_structure(mocksm: Any) -> None:
    assert raw_error(mocksm, "CreateSecret", {"Name": "n", "Tags": [{"Value": "v"}]}) == (
        400, "ValidationException",
        _one("Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not "
             "be null"))


def test_pattern_violation_shows_the_value_and_the_pattern(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error(
        "ValidationException",
        _one("Value 'Not A Region' at 'addReplicaRegions.1.member.region' failed to satisfy "
             f"constraint: Member must satisfy regular expression pattern: {REGION_PATTERN}"),
    ):
        sm.create_secret(Name="n", SecretString="v",
                         AddReplicaRegions=[{"Region": "Not A Region"}])


def test_list_length_shows_the_list(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    stages = [f"S{i}" for i in range(21)]
    with unchanged(mocksm), aws_error("ValidationException", _one(
            f"Value '[{', '.join(stages)}]' at 'versionStages' failed to satisfy constraint: "
            "Member must have length less than or equal to 20")):
        sm.put_secret_value(SecretId="s", SecretString="w", VersionStages=stages)
    status, code, message = raw_error(mocksm, "PutSecretValue", {
        "SecretId": "s", "SecretString": "w", "ClientRequestToken": token(),
        "VersionStages": []})
    assert (status, code, message) == (400, "ValidationException", _one(
        "Value '[]' at 'versionStages' failed to satisfy constraint: Member must have length "
        "greater than or equal to 1"))


def test_enum_violation(model: Any) -> None:
    shape = model.operation_model("ListSecrets").input_shape
    with pytest.raises(ServiceError) as caught:
        validate_input(shape, {"SortOrder": "sideways", "SortBy": "name", "MaxResults": 1000})
    assert caught.value.code == "ValidationException"
    assert caught.value.status == 400
    assert caught.value.message == (
        "2 validation errors detected: Value '1000' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100; "
        "Value 'sideways' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum "
        "value set: [asc, desc]")


def test_enum_violation_in_a_nested_list(model: Any) -> None:
    shape = model.operation_model("ListSecrets").input_shape
    with pytest.raises(ServiceError) as caught:
        validate_input(shape, {"Filters": [{"Key": "name", "Values": ["a"]},
                                           {"Key": "colour", "Values": ["b"]}]})
    enum = model.shape_for("FilterNameStringType").metadata["enum"]
    assert caught.value.message == _one(
        "Value 'colour' at 'filters.2.member.key' failed to satisfy constraint: Member must "
        f"satisfy enum value set: [{', '.join(enum)}]")


def test_validation_returns_blobs_as_bytes(model: Any) -> None:
    shape = model.operation_model("PutSecretValue").input_shape
    params = validate_input(shape, {"SecretId": "s", "SecretBinary": "AAH/"})
    assert params == {"SecretId": "s", "SecretBinary": b"\x00\x01\xff"}


# -- order: validation comes first ---------------------------------------------------------

def test_validation_precedes_the_token_and_name_checks(mocksm: Any) -> None:
    name = "bad name " * 60
    status, code, message = raw_error(mocksm, "CreateSecret", {"Name": name, "SecretString": "v"})
    assert (status, code) == (400, "ValidationException")
    assert message == _one(f"Value '{name}' at 'name' failed to satisfy constraint: Member must "
                           "have length less than or equal to 512")


def test_validation_precedes_existence(mocksm: Any) -> None:
    assert raw_error(mocksm, "GetSecretValue", {"SecretId": "missing", "VersionId": "x"}) == (
        400, "ValidationException",
        _one("Value 'x' at 'versionId' failed to satisfy constraint: Member must have length "
             "greater than or equal to 32"))


# -- types ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("DescribeSecret", {"SecretId": 5}),
        ("DescribeSecret", {"SecretId": ["s"]}),
        ("ListSecretVersionIds", {"SecretId": "s", "MaxResults": "ten"}),
        ("ListSecretVersionIds", {"SecretId": "s", "MaxResults": True}),
        ("ListSecretVersionIds", {"SecretId": "s", "IncludeDeprecated": "yes"}),
        ("PutSecretValue", {"SecretId": "s", "VersionStages": "AWSCURRENT",
                            "ClientRequestToken": "t" * 32, "SecretString": "v"}),
        ("PutSecretValue", {"SecretId": "s", "SecretBinary": "not base64!",
                            "ClientRequestToken": "t" * 32}),
        ("CreateSecret", {"Name": "n", "Tags": {"Key": "k"}}),
        ("CreateSecret", {"Name": "n", "Tags": ["k"]}),
        ("DescribeSecret", []),
        ("DescribeSecret", "s"),
    ],
)
def test_wrong_types_are_serialization_errors(mocksm: Any, operation: str, body: Any) -> None:
    with unchanged(mocksm):
        status, code, _ = raw_error(mocksm, operation, body)
    assert (status, code) == (400, "SerializationException")


def test_serialization_errors_never_echo_a_secret_value(mocksm: Any) -> None:
    status, code, message = raw_error(mocksm, "CreateSecret", {
        "Name": "n", "ClientRequestToken": "t" * 32, "SecretBinary": "s3cr3t-not-base64!"})
    assert (status, code) == (400, "SerializationException")
    assert "s3cr3t" not in message


def test_enum_violation_through_boto3(mocksm: Any, sm: Any) -> None:
    from mocksm.secretsmanager.operations import table

    if "ListSecrets" not in table():
        pytest.skip("ListSecrets is not served yet (built on another branch)")
    with aws_error("ValidationException", _one(
            "Value 'sideways' at 'sortOrder' failed to satisfy constraint: Member must satisfy "
            "enum value set: [asc, desc]")):
        sm.list_secrets(SortOrder="sideways")
