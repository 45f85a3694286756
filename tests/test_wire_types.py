"""Members of the wrong JSON type: AWS's JSON 1.1 deserializer (Coral) answers
SerializationException with a text fixed by the JSON token and the member's type
(measured on Athena, another Coral JSON 1.1 service; docs/decisions.md, "Audit (wire and
validation)"). Driven through real boto3 clients with client-side validation off, as a
caller with a wrong-typed value reaches AWS, and over the raw wire."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from core_support import raw, raw_error
from helpers import aws_error


@pytest.fixture
def loose(mocksm: Any) -> Any:
    """A client that sends whatever it is given (botocore's own checks off)."""
    return boto3.client("secretsmanager", region_name="us-east-1",
                        config=Config(parameter_validation=False))


STRING_TO_INTEGER = "STRING_VALUE can not be converted to an Integer"
NUMBER_TO_STRING = "NUMBER_VALUE can not be converted to a String"
START_OF_LIST = "Start of list found where not expected"
START_OF_STRUCTURE = "Start of structure or map found where not expected."


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.list_secrets(MaxResults="5"), STRING_TO_INTEGER),
        (lambda c: c.describe_secret(SecretId=5), NUMBER_TO_STRING),
        (lambda c: c.get_random_password(PasswordLength="12"),
         "STRING_VALUE can not be converted to a Long"),
        (lambda c: c.get_random_password(ExcludeNumbers="true"),
         "STRING_VALUE can not be converted to a Boolean"),
        (lambda c: c.list_secrets(Filters=[{"Key": "name", "Values": [7]}]), NUMBER_TO_STRING),
    ],
)
def test_wrong_types_through_boto3(loose: Any, call: Any, message: str) -> None:
    with aws_error("SerializationException", message):
        call(loose)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"MaxResults": "1"}, STRING_TO_INTEGER),
        ({"MaxResults": True}, "TRUE_VALUE can not be converted to an Integer"),
        ({"MaxResults": False}, "FALSE_VALUE can not be converted to an Integer"),
        ({"MaxResults": [1]}, START_OF_LIST),
        ({"MaxResults": {"a": 1}}, START_OF_STRUCTURE),
        ({"NextToken": 1}, NUMBER_TO_STRING),
        ({"NextToken": 1.5}, NUMBER_TO_STRING),
        ({"NextToken": True}, "TRUE_VALUE can not be converted to a String"),
        ({"NextToken": ["x"]}, START_OF_LIST),
        ({"NextToken": {"x": 1}}, START_OF_STRUCTURE),
        ({"Filters": "name"}, "Expected list or null"),
        ({"Filters": ["name"]}, "Expected null"),
        ({"Filters": [[{"Key": "name"}]]}, START_OF_LIST),
        ({"Filters": [{"Key": "name", "Values": [1]}]}, NUMBER_TO_STRING),
        ({"IncludePlannedDeletion": 1}, "NUMBER_VALUE can not be converted to a Boolean"),
        ({"IncludePlannedDeletion": [True]}, START_OF_LIST),
    ],
)
def test_wrong_types_over_the_raw_wire(mocksm: Any, body: dict[str, Any], message: str) -> None:
    assert raw_error(mocksm, "ListSecrets", body) == (400, "SerializationException", message)


def test_a_structure_given_a_scalar_expects_null(mocksm: Any) -> None:
    body = {"SecretId": "s", "RotationRules": "daily", "ClientRequestToken": "t" * 32}
    assert raw_error(mocksm, "RotateSecret", body) == (400, "SerializationException",
                                                       "Expected null")


def test_a_wrong_type_wins_over_a_constraint_violation(mocksm: Any) -> None:
    # Coral deserializes the whole body before it validates: MaxResults 0 is never checked.
    body = {"MaxResults": 0, "NextToken": 1}
    assert raw_error(mocksm, "ListSecrets", body) == (400, "SerializationException",
                                                      NUMBER_TO_STRING)


@pytest.mark.parametrize("max_results", [1.5, 1.0, 1.99])
def test_a_decimal_integer_is_truncated(mocksm: Any, loose: Any, max_results: float) -> None:
    """Coral truncates a decimal given for an integer member (measured: 1.5 answers 200)."""
    for name in ("a", "b"):
        loose.create_secret(Name=name, SecretString="v")
    status, payload = raw(mocksm, "ListSecrets", {"MaxResults": max_results})
    assert status == 200 and len(payload["SecretList"]) == 1
    assert len(loose.list_secrets(MaxResults=max_results)["SecretList"]) == 1


def test_a_null_list_item_is_refused_naming_its_place(mocksm: Any) -> None:
    body = {"Filters": [{"Key": "name", "Values": [None]}]}
    assert raw_error(mocksm, "ListSecrets", body) == (
        400, "SerializationException", "Unexpected null at 'filters.1.member.values.1.member'")


def test_a_wrong_type_never_echoes_the_value(mocksm: Any) -> None:
    body = {"Name": "n", "SecretString": ["s3cr3t"], "ClientRequestToken": "t" * 32}
    assert raw_error(mocksm, "CreateSecret", body) == (400, "SerializationException",
                                                       START_OF_LIST)
    assert mocksm.secrets() == []


# -- constraint texts ----------------------------------------------------------------------

@pytest.mark.parametrize(("blob", "constraint"), [
    (b"", "Member must have length greater than or equal to 1"),
    (b"x" * 6145, "Member must have length less than or equal to 6144"),
])
def test_a_blob_out_of_bounds_shows_no_value(mocksm: Any, blob: bytes, constraint: str) -> None:
    """KMS answers ``Value at 'ciphertextBlob' ...`` (CiphertextBlob is not sensitive):
    the value of a blob member is never shown."""
    kms = boto3.client("kms", region_name="us-east-1", config=Config(parameter_validation=False))
    message = ("1 validation error detected: Value at 'ciphertextBlob' failed to satisfy "
               f"constraint: {constraint}")
    with aws_error("ValidationException", message):
        kms.decrypt(CiphertextBlob=blob)
