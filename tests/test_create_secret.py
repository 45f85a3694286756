"""CreateSecret: output shapes, names, ARNs, values, idempotency and every error path
(spec 4.1, 4.2, 4.4, 5.1; golden scenarios 2 and 15)."""

from __future__ import annotations

import base64
import string
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError
from core_support import (
    ARN_RE,
    BOTH_VALUES,
    INVALID_NAME,
    TOKEN_REQUIRED,
    keys,
    raw,
    raw_error,
    token,
    token_in_use,
    unchanged,
)
from helpers import aws_error

from mocksm import mock_secretsmanager

T0 = datetime(2024, 5, 17, 13, 45, 12, 250000, tzinfo=timezone.utc)


@pytest.fixture
def sm(secretsmanager_client: Any) -> Any:
    return secretsmanager_client


def test_create_with_string_returns_arn_name_and_the_token_as_version(sm: Any) -> None:
    tok = token()
    created = sm.create_secret(Name="db/password", SecretString="hunter2", ClientRequestToken=tok)
    assert keys(created) == {"ARN", "Name", "VersionId"}
    assert created["Name"] == "db/password"
    assert created["VersionId"] == tok
    match = ARN_RE.fullmatch(created["ARN"])
    assert match is not None and match["name"] == "db/password"
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_sdk_generated_token_becomes_the_version_id(sm: Any) -> None:
    created = sm.create_secret(Name="s", SecretString="v")
    assert len(created["VersionId"]) == 36
    got = sm.get_secret_value(SecretId="s")
    assert got["VersionId"] == created["VersionId"]
    assert got["VersionStages"] == ["AWSCURRENT"]


def test_create_with_binary(sm: Any) -> None:
    data = bytes(range(256))
    created = sm.create_secret(Name="bin", SecretBinary=data)
    assert keys(created) == {"ARN", "Name", "VersionId"}
    got = sm.get_secret_value(SecretId="bin")
    assert got["SecretBinary"] == data
    assert "SecretString" not in got


def test_golden_2_create_without_value(sm: Any) -> None:
    created = sm.create_secret(Name="empty", ClientRequestToken=token())
    assert keys(created) == {"ARN", "Name"}
    described = sm.describe_secret(SecretId="empty")
    assert keys(described) == {"ARN", "Name", "CreatedDate", "LastChangedDate"}
    assert sm.list_secret_version_ids(SecretId="empty")["Versions"] == []
    with aws_error(
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    ):
        sm.get_secret_value(SecretId="empty")
    put = sm.put_secret_value(SecretId="empty", SecretString="first")
    assert put["VersionStages"] == ["AWSCURRENT"]
    assert sm.get_secret_value(SecretId="empty")["SecretString"] == "first"


def test_each_create_gets_a_fresh_six_character_suffix() -> None:
    suffixes = set()
    with mock_secretsmanager() as handle:
        for i in range(20):
            arn = handle.client().create_secret(Name=f"n{i}")["ARN"]
            match = ARN_RE.fullmatch(arn)
            assert match is not None
            suffixes.add(match["suffix"])
    assert len(suffixes) > 1


def test_suffix_characters_are_uniform_at_every_position() -> None:
    """Each of the 62 characters is equally likely at each of the six positions (a
    chi-square bound far beyond chance: p < 1e-9 for 61 degrees of freedom)."""
    from mocksm.secretsmanager.store import random_suffix

    draws = [random_suffix() for _ in range(62 * 1000)]
    assert all(len(suffix) == 6 and suffix.isascii() and suffix.isalnum() for suffix in draws)
    for position in range(6):
        counts = {char: 0 for char in string.ascii_letters + string.digits}
        for suffix in draws:
            counts[suffix[position]] += 1
        chi_square = sum((seen - 1000) ** 2 / 1000 for seen in counts.values())
        assert chi_square < 150, (position, chi_square)


@pytest.mark.parametrize(
    ("region", "partition"),
    [("us-east-1", "aws"), ("eu-west-3", "aws"), ("cn-north-1", "aws-cn"),
     ("us-gov-west-1", "aws-us-gov"), ("us-iso-east-1", "aws-iso"),
     ("us-isob-east-1", "aws-iso-b")],
)
def test_arn_partition_and_region(region: str, partition: str) -> None:
    with mock_secretsmanager() as handle:
        client = handle.client(region=region)
        arn = client.create_secret(Name="x")["ARN"]
        assert arn.startswith(f"arn:{partition}:secretsmanager:{region}:123456789012:secret:x-")
        assert len(arn.rpartition("-")[2]) == 6
        assert client.describe_secret(SecretId=arn)["ARN"] == arn


def test_metadata_is_stored_and_described(sm: Any) -> None:
    sm.create_secret(
        Name="meta", SecretString="v", Description="the db password",
        Tags=[{"Key": "team", "Value": "core"}, {"Key": "env", "Value": ""}],
    )
    described = sm.describe_secret(SecretId="meta")
    assert described["Description"] == "the db password"
    assert described["Tags"] == [{"Key": "team", "Value": "core"}, {"Key": "env", "Value": ""}]
    assert "KmsKeyId" not in described


def test_empty_description_and_empty_tags_are_absent(sm: Any) -> None:
    sm.create_secret(Name="bare", SecretString="v", Description="", Tags=[])
    described = sm.describe_secret(SecretId="bare")
    assert "Description" not in described
    assert "Tags" not in described


def test_type_is_stored(sm: Any) -> None:
    sm.create_secret(Name="typed", SecretString="v", Type="some-partner-type")
    assert sm.describe_secret(SecretId="typed")["Type"] == "some-partner-type"


def test_created_and_last_changed_dates(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze(T0)
    sm.create_secret(Name="dated", SecretString="v")
    described = sm.describe_secret(SecretId="dated")
    assert described["CreatedDate"] == T0
    assert described["LastChangedDate"] == T0
    assert "LastAccessedDate" not in described
    version = sm.list_secret_version_ids(SecretId="dated")["Versions"][0]
    assert version["CreatedDate"] == T0


# -- names -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name",
    ["a", "Valid/_+=.@-Name", "Valid/_+=.@-Name-a1b2", "Valid/_+=.@-Name-a1b2c3-",
     "Invalid/_+=.@-Name-a1b2c3", "s-c64bdc03", "x" * 512, "0123456789", "/leading/slash"],
)
def test_valid_names(sm: Any, name: str) -> None:
    created = sm.create_secret(Name=name, SecretString="v")
    assert created["Name"] == name
    assert sm.describe_secret(SecretId=created["ARN"])["Name"] == name


@pytest.mark.parametrize(
    "name", ["Inv Name", " Inv Name", " Inv*Name? ", " Inv *?!]Name\\-", "bang!", "caf\u00e9",
             "tab\there", "colon:name", "semi;colon", "quote'", "star*"],
)
def test_invalid_names(mocksm: Any, sm: Any, name: str) -> None:
    with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
        sm.create_secret(Name=name, SecretString="v")


def test_name_longer_than_512_is_a_coral_validation_error(mocksm: Any, sm: Any) -> None:
    name = "n" * 513
    with unchanged(mocksm), aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: "
        "Member must have length less than or equal to 512",
    ):
        sm.create_secret(Name=name)


def test_names_are_case_sensitive(sm: Any) -> None:
    sm.create_secret(Name="Case", SecretString="upper")
    sm.create_secret(Name="case", SecretString="lower")
    assert sm.get_secret_value(SecretId="Case")["SecretString"] == "upper"
    assert sm.get_secret_value(SecretId="case")["SecretString"] == "lower"


# -- errors ------------------------------------------------------------------------------

def test_duplicate_name(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="dup", SecretString="v")
    with unchanged(mocksm), aws_error(
        "ResourceExistsException", "The operation failed because the secret dup already exists."
    ):
        sm.create_secret(Name="dup", SecretString="other")
    with unchanged(mocksm), aws_error(
        "ResourceExistsException", "The operation failed because the secret dup already exists."
    ):
        sm.create_secret(Name="dup")


def test_duplicate_of_a_value_less_secret_is_an_error_even_with_a_token(
    mocksm: Any, sm: Any
) -> None:
    tok = token()
    sm.create_secret(Name="hollow", ClientRequestToken=tok)
    with unchanged(mocksm), aws_error(
        "ResourceExistsException", "The operation failed because the secret hollow already exists."
    ):
        sm.create_secret(Name="hollow", ClientRequestToken=tok, SecretString="v")


def test_both_string_and_binary(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("InvalidParameterException", BOTH_VALUES):
        sm.create_secret(Name="both", SecretString="s", SecretBinary=b"b")


def test_reserved_tag_key(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error(
        "InvalidParameterException", 'Tag keys can\'t start with "aws:".'
    ):
        sm.create_secret(Name="t", SecretString="v", Tags=[{"Key": "aws:x", "Value": "1"}])


def test_invalid_kms_key_syntax(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error(
        "InvalidParameterException",
        "The operation failed because of an invalid KMS key: Invalid keyId",
    ):
        sm.create_secret(Name="k", SecretString="v", KmsKeyId="not a key")


def test_empty_secret_string_is_refused_by_botocore_and_by_the_server(mocksm: Any,
                                                                      sm: Any) -> None:
    with pytest.raises(ParamValidationError):
        sm.create_secret(Name="e", SecretString="")
    status, code, message = raw_error(
        mocksm, "CreateSecret", {"Name": "e", "SecretString": "", "ClientRequestToken": token()}
    )
    assert (status, code) == (400, "ValidationException")
    assert message == (
        "1 validation error detected: Value at 'secretString' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )
    assert mocksm.secrets() == []


# -- validation order (spec 2.5 / 5.1) ------------------------------------------------------

def test_missing_token_is_reported_before_the_name_check(mocksm: Any) -> None:
    status, code, message = raw_error(
        mocksm, "CreateSecret", {"Name": "bad name", "SecretString": "v"}
    )
    assert (status, code, message) == (400, "InvalidRequestException", TOKEN_REQUIRED)
    assert mocksm.secrets() == []


def test_missing_token_without_a_value_is_fine(mocksm: Any) -> None:
    status, body = raw(mocksm, "CreateSecret", {"Name": "novalue"})
    assert status == 200
    assert set(body) == {"ARN", "Name"}


def test_missing_token_on_an_existing_name_is_still_the_token_error(mocksm: Any,
                                                                    sm: Any) -> None:
    sm.create_secret(Name="there", SecretString="v")
    with unchanged(mocksm):
        status, code, message = raw_error(
            mocksm, "CreateSecret", {"Name": "there", "SecretString": "v"}
        )
    assert (status, code, message) == (400, "InvalidRequestException", TOKEN_REQUIRED)


def test_name_check_precedes_both_values(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
        sm.create_secret(Name="bad name", SecretString="s", SecretBinary=b"b")


def test_both_values_precedes_existence(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="taken", SecretString="v")
    with unchanged(mocksm), aws_error("InvalidParameterException", BOTH_VALUES):
        sm.create_secret(Name="taken", SecretString="s", SecretBinary=b"b")


def test_model_constraints_precede_the_token_check(mocksm: Any) -> None:
    status, code, message = raw_error(
        mocksm, "CreateSecret", {"Name": "n", "SecretString": "v", "Description": "d" * 2049}
    )
    assert (status, code) == (400, "ValidationException")
    assert message.startswith("1 validation error detected: Value '")
    assert message.endswith(
        "' at 'description' failed to satisfy constraint: "
        "Member must have length less than or equal to 2048"
    )


# -- idempotency (golden scenario 15) ------------------------------------------------------

def test_golden_15_client_request_token_idempotency(mocksm: Any, sm: Any) -> None:
    tok = token()
    first = sm.create_secret(Name="idem", SecretString="Hello", ClientRequestToken=tok)
    again = sm.create_secret(Name="idem", SecretString="Hello", ClientRequestToken=tok)
    assert keys(first) == keys(again) == {"ARN", "Name", "VersionId"}
    assert {k: first[k] for k in keys(first)} == {k: again[k] for k in keys(again)}
    assert first["VersionId"] == tok
    arn = first["ARN"]

    with unchanged(mocksm), aws_error("ResourceExistsException", token_in_use(tok, arn)):
        sm.create_secret(Name="idem", SecretString="Hi", ClientRequestToken=tok)

    put = sm.put_secret_value(SecretId=arn, SecretString="Hello", ClientRequestToken=tok)
    assert {k: put[k] for k in keys(put)} == {
        "ARN": arn, "Name": "idem", "VersionId": tok, "VersionStages": ["AWSCURRENT"],
    }
    with unchanged(mocksm), aws_error("ResourceExistsException", token_in_use(tok, arn)):
        sm.put_secret_value(SecretId=arn, SecretString="Hi", ClientRequestToken=tok)
    with unchanged(mocksm), aws_error("ResourceExistsException", token_in_use(tok, arn)):
        sm.update_secret(SecretId="idem", SecretString="Hi", ClientRequestToken=tok)

    updated = sm.update_secret(SecretId="idem", SecretString="Hello", ClientRequestToken=tok)
    assert {k: updated[k] for k in keys(updated)} == {"ARN": arn, "Name": "idem", "VersionId": tok}
    assert len(sm.list_secret_version_ids(SecretId=arn, IncludeDeprecated=True)["Versions"]) == 1


def test_replayed_create_changes_nothing(mocksm: Any, sm: Any) -> None:
    tok = token()
    sm.create_secret(Name="replay", SecretString="Hello", ClientRequestToken=tok,
                     Description="first")
    mocksm.clock.advance(seconds=5)
    with unchanged(mocksm):
        sm.create_secret(Name="replay", SecretString="Hello", ClientRequestToken=tok,
                         Description="second")


def test_replay_compares_value_kinds(mocksm: Any, sm: Any) -> None:
    tok = token()
    arn = sm.create_secret(Name="kinds", SecretString="abc", ClientRequestToken=tok)["ARN"]
    with unchanged(mocksm), aws_error("ResourceExistsException", token_in_use(tok, arn)):
        sm.create_secret(Name="kinds", SecretBinary=b"abc", ClientRequestToken=tok)


def test_replay_of_binary_value(sm: Any) -> None:
    tok = token()
    first = sm.create_secret(Name="b", SecretBinary=b"\x00\xff", ClientRequestToken=tok)
    again = sm.create_secret(Name="b", SecretBinary=b"\x00\xff", ClientRequestToken=tok)
    assert first["VersionId"] == again["VersionId"] == tok


def test_token_of_64_chars_is_accepted_and_65_is_not(mocksm: Any, sm: Any) -> None:
    tok = "t" * 64
    assert sm.create_secret(Name="long", SecretString="v", ClientRequestToken=tok)[
        "VersionId"] == tok
    with unchanged(mocksm), aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{'t' * 65}' at 'clientRequestToken' failed to "
        "satisfy constraint: Member must have length less than or equal to 64",
    ):
        sm.create_secret(Name="longer", SecretString="v", ClientRequestToken="t" * 65)


def test_short_token_over_the_raw_wire(mocksm: Any) -> None:
    status, code, message = raw_error(
        mocksm, "CreateSecret", {"Name": "n", "SecretString": "v", "ClientRequestToken": "short"}
    )
    assert (status, code) == (400, "ValidationException")
    assert message == (
        "1 validation error detected: Value 'short' at 'clientRequestToken' failed to satisfy "
        "constraint: Member must have length greater than or equal to 32"
    )


# -- values ------------------------------------------------------------------------------

def test_secret_string_limit_is_65536_utf8_bytes(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="ascii-max", SecretString="a" * 65536)
    sm.create_secret(Name="utf8-max", SecretString="\u00e9" * 32768)  # 2 bytes each
    sm.create_secret(Name="four-byte", SecretString="\U0001f600" * 16384)
    assert sm.get_secret_value(SecretId="utf8-max")["SecretString"] == "\u00e9" * 32768
    message = (
        "1 validation error detected: Value at 'secretString' failed to satisfy constraint: "
        "Member must have length less than or equal to 65536"
    )
    for name, value in [("over-ascii", "a" * 65537), ("over-utf8", "\u00e9" * 32769),
                        ("over-4", "\U0001f600" * 16385)]:
        with unchanged(mocksm), aws_error("ValidationException", message):
            sm.create_secret(Name=name, SecretString=value)


def test_secret_binary_limit_is_65536_bytes(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="bin-max", SecretBinary=b"\x01" * 65536)
    assert sm.get_secret_value(SecretId="bin-max")["SecretBinary"] == b"\x01" * 65536
    with unchanged(mocksm), aws_error(
        "ValidationException",
        "1 validation error detected: Value at 'secretBinary' failed to satisfy constraint: "
        "Member must have length less than or equal to 65536",
    ):
        sm.create_secret(Name="bin-over", SecretBinary=b"\x01" * 65537)


def test_binary_travels_base64_on_the_wire(mocksm: Any) -> None:
    status, body = raw(mocksm, "CreateSecret", {
        "Name": "wire", "ClientRequestToken": token(),
        "SecretBinary": base64.b64encode(b"footest").decode(),
    })
    assert status == 200
    status, body = raw(mocksm, "GetSecretValue", {"SecretId": "wire"})
    assert status == 200
    assert body["SecretBinary"] == "Zm9vdGVzdA=="
    assert "SecretString" not in body


def test_unicode_string_round_trip(sm: Any) -> None:
    value = '{"pw": "p\u00e4ss\u00e9 \U0001f511 \u4e2d\u6587", "nl": "a\\nb"}'
    sm.create_secret(Name="uni", SecretString=value)
    assert sm.get_secret_value(SecretId="uni")["SecretString"] == value


def test_order_tags_then_key_then_existence(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="taken", SecretString="v")
    reserved = [{"Key": "aws:owner", "Value": "x"}]
    with unchanged(mocksm), aws_error("InvalidParameterException", BOTH_VALUES):
        sm.create_secret(Name="taken", SecretString="s", SecretBinary=b"b", Tags=reserved,
                         KmsKeyId="bad key")
    with unchanged(mocksm), aws_error("InvalidParameterException",
                                      'Tag keys can\'t start with "aws:".'):
        sm.create_secret(Name="taken", SecretString="s", Tags=reserved, KmsKeyId="bad key")
    with unchanged(mocksm), aws_error(
        "InvalidParameterException",
        "The operation failed because of an invalid KMS key: Invalid keyId",
    ):
        sm.create_secret(Name="taken", SecretString="s", KmsKeyId="bad key")


def test_name_scheduled_for_deletion_wins_over_a_replayed_token(mocksm: Any, sm: Any) -> None:
    from core_support import mark_for_deletion

    tok = token()
    sm.create_secret(Name="going", SecretString="v", ClientRequestToken=tok)
    mark_for_deletion(mocksm, sm, "going")
    with unchanged(mocksm), aws_error(
        "InvalidRequestException",
        "You can't create this secret because a secret with this name is already scheduled "
        "for deletion.",
    ):
        sm.create_secret(Name="going", SecretString="v", ClientRequestToken=tok)


def test_the_same_name_in_another_region_or_account_is_free(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="shared", SecretString="v")["ARN"]
    west = mocksm.client(region="eu-west-1").create_secret(Name="shared", SecretString="w")
    other = mocksm.client(aws_access_key_id="210987654321", aws_secret_access_key="x")
    theirs = other.create_secret(Name="shared", SecretString="x")
    assert len({arn, west["ARN"], theirs["ARN"]}) == 3
    assert ":210987654321:secret:shared-" in theirs["ARN"]
    assert sm.get_secret_value(SecretId="shared")["SecretString"] == "v"
    assert other.get_secret_value(SecretId="shared")["SecretString"] == "x"
