"""BatchGetSecretValue through boto3 (spec 5.6): the two modes, their errors, per-secret
Errors entries, Filters pagination and the LastAccessedDate side effect."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mocksm.clock import start_of_day
from tests.catalogue_support import model, schedule_deletion
from tests.helpers import aws_error

ONE_SOURCE = "Either 'SecretIdList' or 'Filters' must be provided, but not both."
LIMIT_WITHOUT_FILTERS = (
    "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided."
)
NF = "Secrets Manager can't find the specified secret."
MD = "You can't perform this operation on the secret because it was marked for deletion."
NO_CURRENT = "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
    "following: -/_+=.@!"
)
DECRYPT = (
    "Secrets Manager can't decrypt the protected secret text using the secret's current KMS key."
)
XD = (
    "You can't access a secret from a different AWS account if you encrypt the secret with "
    "the default KMS service key."
)
ALL = [{"Key": "name", "Values": [""]}]


@pytest.fixture
def client(mocksm: Any) -> Any:
    return mocksm.client("secretsmanager")


def value_names(response: dict[str, Any]) -> list[str]:
    return [entry["Name"] for entry in response["SecretValues"]]


# --- parameter combinations -------------------------------------------------------------


def test_both_sources_refused(client: Any) -> None:
    with aws_error("InvalidParameterException", ONE_SOURCE):
        client.batch_get_secret_value(SecretIdList=["a"], Filters=ALL)


def test_neither_source_refused(client: Any) -> None:
    with aws_error("InvalidParameterException", ONE_SOURCE):
        client.batch_get_secret_value()
    with aws_error("InvalidParameterException", ONE_SOURCE):
        client.batch_get_secret_value(Filters=[])


def test_max_results_needs_filters(client: Any) -> None:
    with aws_error("InvalidParameterException", LIMIT_WITHOUT_FILTERS):
        client.batch_get_secret_value(SecretIdList=["a"], MaxResults=5)
    with aws_error("InvalidParameterException", LIMIT_WITHOUT_FILTERS):
        client.batch_get_secret_value(MaxResults=5)


def test_model_limits(client: Any) -> None:
    with aws_error(
        "ValidationException",
        "1 validation error detected: Value '21' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 20",
    ):
        client.batch_get_secret_value(Filters=ALL, MaxResults=21)
    with aws_error("ValidationException"):
        client.batch_get_secret_value(SecretIdList=[f"s{i}" for i in range(21)])


def test_filter_shape_errors(client: Any) -> None:
    with aws_error("InvalidParameterException", "Invalid filter key"):
        client.batch_get_secret_value(Filters=[{"Values": ["a"]}])
    with aws_error("InvalidParameterException", "Invalid filter values for key: tag-key"):
        client.batch_get_secret_value(Filters=[{"Key": "tag-key"}])


# --- SecretIdList mode ------------------------------------------------------------------


def test_values_in_request_order_with_errors_alongside(mocksm: Any, client: Any) -> None:
    text = client.create_secret(Name="text", SecretString="hello")
    blob = client.create_secret(Name="blob", SecretBinary=b"\x00\x01")
    client.create_secret(Name="empty")
    client.create_secret(Name="gone", SecretString="x")
    schedule_deletion(mocksm, client, "gone")
    response = client.batch_get_secret_value(
        SecretIdList=["blob", "missing", text["ARN"], "empty", "gone", "bad name"]
    )
    assert [e["ARN"] for e in response["SecretValues"]] == [blob["ARN"], text["ARN"]]
    first, second = response["SecretValues"]
    assert first["SecretBinary"] == b"\x00\x01"
    assert "SecretString" not in first
    assert second["SecretString"] == "hello"
    assert set(second) == {
        "ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate",
    }
    assert second["VersionId"] == text["VersionId"]
    assert second["VersionStages"] == ["AWSCURRENT"]
    assert response["Errors"] == [
        {"SecretId": "missing", "ErrorCode": "ResourceNotFoundException", "Message": NF},
        {"SecretId": "empty", "ErrorCode": "ResourceNotFoundException", "Message": NO_CURRENT},
        {"SecretId": "gone", "ErrorCode": "InvalidRequestException", "Message": MD},
        {"SecretId": "bad name", "ErrorCode": "ValidationException", "Message": INVALID_NAME},
    ]
    assert "NextToken" not in response


def test_entries_equal_get_secret_value(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v1")
    client.put_secret_value(SecretId="s", SecretString="v2")
    single = client.get_secret_value(SecretId="s")
    batch = client.batch_get_secret_value(SecretIdList=["s"])["SecretValues"][0]
    single.pop("ResponseMetadata")
    assert batch == single


def test_errors_always_present(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    response = client.batch_get_secret_value(SecretIdList=["s"])
    assert response["Errors"] == []
    assert value_names(response) == ["s"]


def test_decryption_failure_is_an_entry(mocksm: Any, client: Any) -> None:
    client.create_secret(Name="broken", SecretString="v")
    client.create_secret(Name="fine", SecretString="w")
    version = model(mocksm, "broken").current()
    version.sealed = dataclasses.replace(version.sealed, ciphertext=b"\x00" * 17)
    response = client.batch_get_secret_value(SecretIdList=["broken", "fine"])
    assert value_names(response) == ["fine"]
    assert response["Errors"] == [
        {"SecretId": "broken", "ErrorCode": "DecryptionFailure", "Message": DECRYPT}
    ]


def test_disabled_kms_key_gives_the_get_secret_value_error(mocksm: Any, client: Any) -> None:
    key = mocksm.kms.create_key(description="for one secret")
    client.create_secret(Name="locked", SecretString="v", KmsKeyId=key.arn)
    client.create_secret(Name="open", SecretString="w")
    mocksm.kms.disable_key(key.arn)
    with pytest.raises(ClientError) as caught:
        client.get_secret_value(SecretId="locked")
    single = caught.value.response["Error"]
    response = client.batch_get_secret_value(SecretIdList=["locked", "open"])
    assert value_names(response) == ["open"]
    assert response["Errors"] == [
        {"SecretId": "locked", "ErrorCode": single["Code"], "Message": single["Message"]}
    ]
    assert single["Code"] == "DecryptionFailure"
    by_filter = client.batch_get_secret_value(Filters=ALL)
    assert value_names(by_filter) == ["open"]
    assert [e["ErrorCode"] for e in by_filter["Errors"]] == ["DecryptionFailure"]


def test_cross_account_default_key_is_an_entry(mocksm: Any, client: Any) -> None:
    other = boto3.client(
        "secretsmanager", region_name="us-east-1",
        aws_access_key_id="111111111111", aws_secret_access_key="x",
    )
    arn = other.create_secret(Name="theirs", SecretString="v")["ARN"]
    assert ":111111111111:" in arn
    response = client.batch_get_secret_value(SecretIdList=[arn])
    assert response["SecretValues"] == []
    assert response["Errors"] == [
        {"SecretId": arn, "ErrorCode": "InvalidRequestException", "Message": XD}
    ]
    assert value_names(other.batch_get_secret_value(SecretIdList=[arn])) == ["theirs"]


def test_duplicate_ids_are_each_answered(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    response = client.batch_get_secret_value(SecretIdList=["s", "s", "nope", "nope"])
    assert value_names(response) == ["s", "s"]
    assert [e["SecretId"] for e in response["Errors"]] == ["nope", "nope"]


def test_next_token_with_id_list_is_invalid(client: Any) -> None:
    client.create_secret(Name="s", SecretString="v")
    with aws_error("InvalidNextTokenException", "The NextToken value is invalid."):
        client.batch_get_secret_value(SecretIdList=["s"], NextToken="abc")


def test_reads_record_last_accessed(mocksm: Any, client: Any) -> None:
    client.create_secret(Name="read", SecretString="v")
    client.create_secret(Name="unread", SecretString="v")
    client.create_secret(Name="novalue")
    mocksm.clock.advance(days=3)
    client.batch_get_secret_value(SecretIdList=["read", "novalue"])
    day = start_of_day(mocksm.clock.now())
    assert client.describe_secret(SecretId="read")["LastAccessedDate"].timestamp() == day
    assert "LastAccessedDate" not in client.describe_secret(SecretId="unread")
    assert "LastAccessedDate" not in client.describe_secret(SecretId="novalue")


# --- Filters mode -----------------------------------------------------------------------


def test_filters_select_in_creation_order_excluding_deleted(mocksm: Any, client: Any) -> None:
    arns = {}
    for name in ("app/b", "app/a", "other", "app/deleted", "app/empty"):
        kwargs = {} if name == "app/empty" else {"SecretString": f"value of {name}"}
        arns[name] = client.create_secret(Name=name, **kwargs)["ARN"]
    schedule_deletion(mocksm, client, "app/deleted")
    response = client.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["app/"]}])
    assert value_names(response) == ["app/b", "app/a"]
    values = [v["SecretString"] for v in response["SecretValues"]]
    assert values == ["value of app/b", "value of app/a"]
    assert response["Errors"] == [
        {"SecretId": arns["app/empty"], "ErrorCode": "ResourceNotFoundException",
         "Message": NO_CURRENT},
    ]
    assert "NextToken" not in response


def test_filters_page_by_twenty_by_default(client: Any) -> None:
    for i in range(25):
        client.create_secret(Name=f"s{i:02d}", SecretString=str(i))
    first = client.batch_get_secret_value(Filters=ALL)
    assert value_names(first) == [f"s{i:02d}" for i in range(20)]
    second = client.batch_get_secret_value(Filters=ALL, NextToken=first["NextToken"])
    assert value_names(second) == [f"s{i:02d}" for i in range(20, 25)]
    assert second["Errors"] == []
    assert "NextToken" not in second


def test_filters_pages_with_max_results_and_errors_count(client: Any) -> None:
    for name in ("a", "b", "c", "d", "e"):
        client.create_secret(Name=name, **({} if name == "b" else {"SecretString": name}))
    seen: list[str] = []
    errors: list[str] = []
    token = None
    for _ in range(5):
        kwargs: dict[str, Any] = {"Filters": ALL, "MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        page = client.batch_get_secret_value(**kwargs)
        assert len(page["SecretValues"]) + len(page["Errors"]) <= 2
        seen += value_names(page)
        errors += [e["SecretId"].split(":")[-1] for e in page["Errors"]]
        token = page.get("NextToken")
        if not token:
            break
    else:
        raise AssertionError("pagination did not end")
    assert seen == ["a", "c", "d", "e"]
    assert [e.rsplit("-", 1)[0] for e in errors] == ["b"]


def test_filters_tokens_are_validated(mocksm: Any, client: Any) -> None:
    for name in ("a", "b", "c"):
        client.create_secret(Name=name, SecretString=name)
    token = client.batch_get_secret_value(Filters=ALL, MaxResults=1)["NextToken"]
    with aws_error("InvalidNextTokenException", "The NextToken value is invalid."):
        client.batch_get_secret_value(Filters=[{"Key": "name", "Values": ["a"]}], NextToken=token)
    with aws_error("InvalidNextTokenException", "The NextToken value is invalid."):
        client.list_secrets(Filters=ALL, NextToken=token)
    with aws_error("InvalidNextTokenException", "The NextToken value is invalid."):
        client.batch_get_secret_value(Filters=ALL, NextToken="garbage")
    list_token = client.list_secrets(Filters=ALL, MaxResults=1)["NextToken"]
    with aws_error("InvalidNextTokenException", "The NextToken value is invalid."):
        client.batch_get_secret_value(Filters=ALL, NextToken=list_token)
    page = client.batch_get_secret_value(Filters=ALL, NextToken=token, MaxResults=5)
    assert value_names(page) == ["b", "c"]


def test_filters_word_matching_as_list_secrets(client: Any) -> None:
    client.create_secret(Name="x", SecretString="1", Description="Payments DatabaseMain")
    client.create_secret(Name="y", SecretString="2", Description="payroll")
    filters = [{"Key": "description", "Values": ["pay data"]}]
    assert value_names(client.batch_get_secret_value(Filters=filters)) == ["x"]
    listed = client.list_secrets(Filters=filters)["SecretList"]
    assert [s["Name"] for s in listed] == ["x"]
