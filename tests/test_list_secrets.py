"""ListSecrets through boto3: filters (spec 4.12), sorting, IncludePlannedDeletion,
MaxResults, NextToken validation and stability, and boto3's paginator."""

from __future__ import annotations

import base64
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ParamValidationError
from hypothesis import given
from hypothesis import strategies as st

from mocksm import mock_secretsmanager
from mocksm.clock import SECONDS_PER_DAY, start_of_day
from tests.catalogue_support import force_delete, names, schedule_deletion
from tests.helpers import aws_error

INVALID_TOKEN = "The NextToken value is invalid."


@pytest.fixture
def client(mocksm: Any) -> Any:
    return mocksm.client("secretsmanager")


# --- entries --------------------------------------------------------------------------


def test_empty_store_lists_nothing(client: Any) -> None:
    response = client.list_secrets()
    assert response["SecretList"] == []
    assert "NextToken" not in response


def test_entry_has_the_recorded_fields(client: Any) -> None:
    created = client.create_secret(Name="db", SecretString="v", Description="the db")
    entry = client.list_secrets()["SecretList"][0]
    assert set(entry) == {
        "ARN", "Name", "Description", "LastChangedDate", "CreatedDate", "SecretVersionsToStages",
    }
    assert entry["ARN"] == created["ARN"]
    assert entry["SecretVersionsToStages"] == {created["VersionId"]: ["AWSCURRENT"]}


def test_entry_of_secret_without_value_or_description(client: Any) -> None:
    client.create_secret(Name="bare", Tags=[{"Key": "k", "Value": "v"}])
    entry = client.list_secrets()["SecretList"][0]
    assert set(entry) == {"ARN", "Name", "LastChangedDate", "CreatedDate", "Tags"}
    assert entry["Tags"] == [{"Key": "k", "Value": "v"}]


def test_lists_only_the_callers_region(mocksm: Any, client: Any) -> None:
    client.create_secret(Name="here")
    mocksm.client("secretsmanager", region="eu-west-1").create_secret(Name="there")
    assert names(client.list_secrets()) == ["here"]


# --- golden scenario 14 (spec 4.12.3 / 4.12.5) -----------------------------------------

GOLDEN = {
    "one": ("testing1/one-7", "a secret"),
    "two": ("/testing2/two-7", "an secret"),
    "three": ("testing3/three-7", "asecret"),
    "four": ("/testing4/four-7", "thesecret"),
}


@pytest.fixture
def golden(client: Any) -> Any:
    for name, description in GOLDEN.values():
        client.create_secret(Name=name, SecretString="secret", Description=description)
    return client


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([{"Key": "name", "Values": ["/"]}], ["two", "four"]),
        ([{"Key": "name", "Values": ["!/"]}], ["one", "three"]),
        ([{"Key": "name", "Values": ["testing1 one"]}], []),
        ([{"Key": "name", "Values": ["testing1"]}], ["one"]),
        ([{"Key": "description", "Values": ["a"]}], ["one", "two", "three"]),
        ([{"Key": "description", "Values": ["!a"]}], ["four"]),
        ([{"Key": "description", "Values": ["a secret"]}], ["one", "two"]),
        ([{"Key": "description", "Values": ["!c"]}], ["one", "two", "three", "four"]),
        ([{"Key": "description", "Values": ["A SECRET"]}], ["one", "two"]),
        ([{"Key": "description", "Values": ["a"]}, {"Key": "name", "Values": ["secret"]}], []),
        ([{"Key": "description", "Values": ["a"]}, {"Key": "name", "Values": ["an"]}], []),
    ],
)
def test_golden_filters(golden: Any, filters: list[dict[str, Any]], expected: list[str]) -> None:
    listed = names(golden.list_secrets(Filters=filters))
    assert listed == [GOLDEN[key][0] for key in expected]


# --- word matching on description and all (AWS-verified expectations) -------------------


@pytest.fixture
def described(client: Any) -> Any:
    for name, description in [
        ("foo", "one two"), ("bar", "one and two"), ("baz", "one"), ("qux", "two"),
        ("none", "unrelated"),
    ]:
        client.create_secret(Name=name, Description=description)
    client.create_secret(Name="nodesc")
    return client


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["one two"], ["foo", "bar"]),
        (["o t"], ["foo", "bar"]),
        (["t"], ["foo", "bar", "qux"]),
        (["one", "!two"], ["foo", "bar", "baz", "none"]),
        (["!o"], ["qux", "none"]),
        (["!"], ["foo", "bar", "baz", "qux", "none"]),
        (["/"], []),
        (["ONE"], ["foo", "bar", "baz"]),
    ],
)
def test_description_word_matching(described: Any, values: list[str], expected: list[str]) -> None:
    listed = names(described.list_secrets(Filters=[{"Key": "description", "Values": values}]))
    assert listed == expected


def test_same_key_twice_is_and(described: Any) -> None:
    filters = [{"Key": "description", "Values": ["one"]}, {"Key": "description", "Values": ["two"]}]
    assert names(described.list_secrets(Filters=filters)) == ["foo", "bar"]


@pytest.fixture
def everything(client: Any) -> Any:
    client.create_secret(Name="SecretOneab12")
    client.create_secret(Name="SecretTwoab12", Description="DescTwo")
    client.create_secret(Name="Thirdsecretab12")
    client.create_secret(Name="SecretFTagab12", Tags=[{"Key": "1", "Value": "foo"}])
    client.create_secret(Name="SecretFValueab12", Tags=[{"Key": "foo", "Value": "v"}])
    client.create_secret(Name="noneab12")
    return client


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SecretOne", ["SecretOneab12"]),
        ("foo", ["SecretFTagab12", "SecretFValueab12"]),
        ("Secret", ["SecretOneab12", "SecretTwoab12", "SecretFTagab12", "SecretFValueab12"]),
        ("secret", ["SecretOneab12", "SecretTwoab12", "SecretFTagab12", "SecretFValueab12"]),
        ("sec", ["SecretOneab12", "SecretTwoab12", "SecretFTagab12", "SecretFValueab12"]),
        ("ret", []),
        ("SomeSecret", []),
        ("d", ["SecretTwoab12"]),
        ("d t", ["SecretTwoab12"]),
        ("t", ["SecretTwoab12", "Thirdsecretab12", "SecretFTagab12"]),
    ],
)
def test_all_filter(everything: Any, value: str, expected: list[str]) -> None:
    listed = names(everything.list_secrets(Filters=[{"Key": "all", "Values": [value]}]))
    assert listed == expected


SPECIAL = [
    "prod/AppBeta/u7x", "prod_AppBeta_u7x", "prod+AppBeta+u7x", "prod=AppBeta=u7x",
    "prod.AppBeta.u7x", "prod@AppBeta@u7x", "prod-AppBeta-u7x",
]


@pytest.fixture
def special(client: Any) -> Any:
    for name in [*SPECIAL, "prod-AppBeta/u7x", "uat/COMPANY/u7x", "uat/COMPANYthings/u7x"]:
        client.create_secret(Name=name)
    return client


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["AppBeta"], SPECIAL),
        (["Beta"], SPECIAL),
        (["AppBeta", "prod"], SPECIAL),
        (["prod-AppBeta/u7x"], []),
        (["!prod"], ["prod-AppBeta/u7x", "uat/COMPANY/u7x", "uat/COMPANYthings/u7x"]),
        (["+"], []),
        (["u7x"], [*SPECIAL, "uat/COMPANY/u7x", "uat/COMPANYthings/u7x"]),
        (["company"], ["uat/COMPANY/u7x"]),
        (["things"], []),
        (["Ythings"], ["uat/COMPANYthings/u7x"]),
        (["N"], []),
        (["pany"], []),
    ],
)
def test_all_filter_with_separators(special: Any, values: list[str], expected: list[str]) -> None:
    listed = names(special.list_secrets(Filters=[{"Key": "all", "Values": values}]))
    assert listed == expected


# --- prefix keys -------------------------------------------------------------------------


@pytest.fixture
def tagged(client: Any) -> Any:
    client.create_secret(
        Name="a", Tags=[{"Key": "Env", "Value": "prod"}, {"Key": "team", "Value": "x"}]
    )
    client.create_secret(Name="b", Tags=[{"Key": "env", "Value": "Prod-2"}])
    client.create_secret(Name="c")
    return client


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([{"Key": "tag-key", "Values": ["Env"]}], ["a"]),
        ([{"Key": "tag-key", "Values": ["e"]}], ["b"]),
        ([{"Key": "tag-key", "Values": ["E", "e"]}], ["a", "b"]),
        ([{"Key": "tag-key", "Values": ["!team"]}], ["b"]),
        ([{"Key": "tag-value", "Values": ["pro"]}], ["a"]),
        ([{"Key": "tag-value", "Values": ["Prod-"]}], ["b"]),
        ([{"Key": "tag-value", "Values": ["!x"]}], ["b"]),
        ([{"Key": "tag-key", "Values": ["team"]}, {"Key": "tag-value", "Values": ["prod"]}], ["a"]),
        ([{"Key": "name", "Values": ["a", "c"]}], ["a", "c"]),
        ([{"Key": "name", "Values": ["A"]}], []),
        ([{"Key": "name", "Values": [""]}], ["a", "b", "c"]),
    ],
)
def test_tag_and_name_prefixes(
    tagged: Any, filters: list[dict[str, Any]], expected: list[str]
) -> None:
    assert names(tagged.list_secrets(Filters=filters)) == expected


def test_owning_service_and_primary_region(mocksm: Any, client: Any) -> None:
    mocksm.create_managed_secret("rds", "rds!cluster-one", SecretString="v")
    client.create_secret(Name="plain")
    client.create_secret(Name="replicated", AddReplicaRegions=[{"Region": "eu-west-1"}])
    rds = "rds!cluster-one"

    def listed(key: str, value: str) -> list[str]:
        return names(client.list_secrets(Filters=[{"Key": key, "Values": [value]}]))

    assert listed("owning-service", "rd") == [rds]
    assert listed("owning-service", "RDS") == []
    assert listed("owning-service", "n/a") == []
    assert listed("owning-service", "!appflow") == [rds]
    assert listed("tag-key", "aws:secretsmanager:owning") == [rds]
    assert listed("primary-region", "us-") == ["replicated"]
    assert listed("primary-region", "eu-") == []
    assert listed("primary-region", "!eu-") == ["replicated"]
    entry = client.list_secrets(Filters=[{"Key": "owning-service", "Values": ["rds"]}])
    assert entry["SecretList"][0]["OwningService"] == "rds"


def test_primary_region_of_real_replicas(mocksm: Any, client: Any) -> None:
    client.create_secret(Name="local")
    client.create_secret(Name="shared", AddReplicaRegions=[{"Region": "eu-west-1"}])
    by_primary = [{"Key": "primary-region", "Values": ["us-east-1"]}]
    assert names(client.list_secrets(Filters=by_primary)) == ["shared"]
    replica_side = mocksm.client("secretsmanager", region="eu-west-1")
    listed = replica_side.list_secrets(Filters=by_primary)["SecretList"]
    assert [(e["Name"], e["PrimaryRegion"]) for e in listed] == [("shared", "us-east-1")]
    by_eu = [{"Key": "primary-region", "Values": ["eu"]}]
    assert names(replica_side.list_secrets(Filters=by_eu)) == []


def test_replica_recreated_with_the_same_arn_is_listed_fresh(mocksm: Any, client: Any) -> None:
    eu = [{"Region": "eu-west-1"}]
    client.create_secret(Name="shared", Description="old", AddReplicaRegions=eu)
    replica_side = mocksm.client("secretsmanager", region="eu-west-1")
    before = replica_side.list_secrets()["SecretList"]
    assert [e["Description"] for e in before] == ["old"]
    client.remove_regions_from_replication(SecretId="shared", RemoveReplicaRegions=["eu-west-1"])
    client.update_secret(SecretId="shared", Description="new")
    client.replicate_secret_to_regions(SecretId="shared", AddReplicaRegions=eu)
    after = replica_side.list_secrets()["SecretList"]
    assert [e["ARN"] for e in after] == [e["ARN"] for e in before]
    assert [e["Description"] for e in after] == ["new"]


# --- filter shape errors (spec 4.12.1) ---------------------------------------------------


def test_filter_without_key(client: Any) -> None:
    with aws_error("InvalidParameterException", "Invalid filter key"):
        client.list_secrets(Filters=[{"Values": ["foo"]}])


def test_filter_without_values(client: Any) -> None:
    with aws_error("InvalidParameterException", "Invalid filter values for key: description"):
        client.list_secrets(Filters=[{"Key": "description"}])


def test_filter_with_unknown_key(client: Any) -> None:
    with aws_error(
        "ValidationException",
        "1 validation error detected: Value 'invalid' at 'filters.1.member.key' failed to "
        "satisfy constraint: Member must satisfy enum value set: [description, name, tag-key, "
        "tag-value, primary-region, owning-service, all]",
    ):
        client.list_secrets(Filters=[{"Key": "invalid", "Values": ["foo"]}])


def test_filter_value_with_forbidden_character(client: Any) -> None:
    with aws_error(
        "ValidationException",
        "1 validation error detected: Value 'a*b' at 'filters.2.member.values.1.member' failed "
        "to satisfy constraint: Member must satisfy regular expression pattern: "
        "^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$",
    ):
        client.list_secrets(
            Filters=[{"Key": "name", "Values": ["a"]}, {"Key": "name", "Values": ["a*b"]}]
        )


def test_too_many_filters_or_values(client: Any) -> None:
    with aws_error("ValidationException"):
        client.list_secrets(Filters=[{"Key": "name", "Values": ["a"]}] * 11)
    with aws_error("ValidationException"):
        client.list_secrets(Filters=[{"Key": "name", "Values": ["a"] * 11}])


def test_too_many_filters_are_shown_as_aws_renders_structures(mocksm: Any, client: Any) -> None:
    """AWS's framework prints a list of structures as ``[Shape(member=value, ...)]`` with
    every member in model order, an absent one as ``null`` (SSM SendCommand, quoted in
    disneystreaming/ssm-helpers#47: ``Value '[Target(key=tag:a, values=[1]), ...]'``)."""
    filters = [{"Key": "name", "Values": ["a", "b/c"]}] * 10 + [{"Key": "all", "Values": ["x"]}]
    shown = ", ".join(["Filter(key=name, values=[a, b/c])"] * 10 + ["Filter(key=all, values=[x])"])
    with aws_error(
        "ValidationException",
        f"1 validation error detected: Value '[{shown}]' at 'filters' failed to satisfy "
        "constraint: Member must have length less than or equal to 10",
    ):
        client.list_secrets(Filters=filters)
    raw = mocksm.raw_request(
        "secretsmanager.BatchGetSecretValue", {"Filters": [{"Key": "name"}] * 11}
    )
    shown = ", ".join(["Filter(key=name, values=null)"] * 11)
    assert (raw.status, raw.json()) == (400, {
        "__type": "ValidationException",
        "Message": f"1 validation error detected: Value '[{shown}]' at 'filters' failed to "
                   "satisfy constraint: Member must have length less than or equal to 10",
    })


def test_empty_values_list_is_refused(mocksm: Any) -> None:
    raw = mocksm.raw_request(
        "secretsmanager.ListSecrets", {"Filters": [{"Key": "name", "Values": []}]}
    )
    assert raw.status == 400
    assert raw.json()["__type"] == "ValidationException"


# --- sorting (spec 4.12.7) ---------------------------------------------------------------


@pytest.fixture
def trio(mocksm: Any, client: Any) -> Any:
    for name in ("b", "C", "a"):
        client.create_secret(Name=name, SecretString="v")
        mocksm.clock.advance(seconds=5)
    return client


def test_default_order_is_creation_ascending(trio: Any) -> None:
    assert names(trio.list_secrets()) == ["b", "C", "a"]
    assert names(trio.list_secrets(SortBy="created-date", SortOrder="asc")) == ["b", "C", "a"]


def test_created_date_descending(trio: Any) -> None:
    assert names(trio.list_secrets(SortOrder="desc")) == ["a", "C", "b"]


def test_sort_by_name_is_code_point_order(trio: Any) -> None:
    assert names(trio.list_secrets(SortBy="name")) == ["C", "a", "b"]
    assert names(trio.list_secrets(SortBy="name", SortOrder="desc")) == ["b", "a", "C"]


def test_sort_by_last_changed(trio: Any) -> None:
    trio.update_secret(SecretId="b", Description="changed")
    assert names(trio.list_secrets(SortBy="last-changed-date")) == ["C", "a", "b"]
    assert names(trio.list_secrets(SortBy="last-changed-date", SortOrder="desc")) == ["b", "a", "C"]


def test_sort_by_last_accessed_missing_dates_first(mocksm: Any, trio: Any) -> None:
    trio.get_secret_value(SecretId="a")
    mocksm.clock.advance(days=2)
    trio.get_secret_value(SecretId="b")
    assert names(trio.list_secrets(SortBy="last-accessed-date")) == ["C", "a", "b"]
    descending = trio.list_secrets(SortBy="last-accessed-date", SortOrder="desc")
    assert names(descending) == ["b", "a", "C"]
    entry = trio.list_secrets(SortBy="last-accessed-date")["SecretList"][2]
    assert entry["LastAccessedDate"].timestamp() == start_of_day(mocksm.clock.now())


def test_equal_dates_tie_break_by_creation(mocksm: Any, client: Any) -> None:
    mocksm.clock.freeze()
    for name in ("z", "y", "x"):
        client.create_secret(Name=name)
    assert names(client.list_secrets()) == ["z", "y", "x"]
    assert names(client.list_secrets(SortOrder="desc")) == ["x", "y", "z"]
    assert names(client.list_secrets(SortBy="last-accessed-date")) == ["z", "y", "x"]


def test_clock_moved_back_sorts_by_date_not_creation(mocksm: Any, client: Any) -> None:
    client.create_secret(Name="late")
    mocksm.clock.advance(days=-1)
    client.create_secret(Name="early")
    assert names(client.list_secrets()) == ["early", "late"]


def test_bad_sort_values(client: Any) -> None:
    with aws_error("ValidationException"):
        client.list_secrets(SortBy="size")
    with aws_error("ValidationException"):
        client.list_secrets(SortOrder="up")


# --- IncludePlannedDeletion (spec 4.12.6) -----------------------------------------------


def test_planned_deletion_hidden_unless_asked(mocksm: Any, client: Any) -> None:
    client.create_secret(Name="keep")
    client.create_secret(Name="going")
    schedule_deletion(mocksm, client, "going", days=7)
    assert names(client.list_secrets()) == ["keep"]
    listed = client.list_secrets(IncludePlannedDeletion=True)["SecretList"]
    assert [e["Name"] for e in listed] == ["keep", "going"]
    assert "DeletedDate" not in listed[0]
    assert "DeletedDate" in listed[1]
    filtered = client.list_secrets(
        IncludePlannedDeletion=True, Filters=[{"Key": "name", "Values": ["go"]}]
    )
    assert names(filtered) == ["going"]


def test_purged_secrets_are_gone_even_with_planned_deletion(mocksm: Any, client: Any) -> None:
    client.create_secret(Name="going")
    schedule_deletion(mocksm, client, "going", days=7)
    mocksm.clock.advance(days=7, seconds=1)
    assert names(client.list_secrets(IncludePlannedDeletion=True)) == []


# --- MaxResults and NextToken -----------------------------------------------------------


def test_max_results_bounds(mocksm: Any, client: Any) -> None:
    with aws_error(
        "ValidationException",
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100",
    ):
        client.list_secrets(MaxResults=101)
    with pytest.raises(ParamValidationError):
        client.list_secrets(MaxResults=0)
    raw = mocksm.raw_request("secretsmanager.ListSecrets", {"MaxResults": 0})
    assert raw.status == 400
    assert raw.json()["Message"] == (
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1"
    )


def test_default_page_is_100(client: Any) -> None:
    for i in range(101):
        client.create_secret(Name=f"s{i:03d}")
    first = client.list_secrets()
    assert len(first["SecretList"]) == 100
    second = client.list_secrets(NextToken=first["NextToken"])
    assert names(second) == ["s100"]
    assert "NextToken" not in second


def test_no_token_when_the_page_ends_exactly(client: Any) -> None:
    for name in ("a", "b", "c", "d"):
        client.create_secret(Name=name)
    assert "NextToken" not in client.list_secrets(MaxResults=4)
    first = client.list_secrets(MaxResults=2)
    assert names(first) == ["a", "b"]
    second = client.list_secrets(MaxResults=2, NextToken=first["NextToken"])
    assert names(second) == ["c", "d"]
    assert "NextToken" not in second


def test_no_token_when_remaining_secrets_do_not_match(client: Any) -> None:
    for name in ("a1", "a2", "b1", "b2"):
        client.create_secret(Name=name)
    response = client.list_secrets(MaxResults=2, Filters=[{"Key": "name", "Values": ["a"]}])
    assert names(response) == ["a1", "a2"]
    assert "NextToken" not in response


def _token(client: Any, **kwargs: Any) -> str:
    for name in ("a", "b", "c"):
        client.create_secret(Name=name)
    token: str = client.list_secrets(MaxResults=1, **kwargs)["NextToken"]
    return token


@pytest.mark.parametrize(
    "token",
    ["garbage!", "bm90IGpzb24=", base64.b64encode(b'{"o":"ListSecrets"}').decode(), "x" * 4096],
)
def test_malformed_tokens(client: Any, token: str) -> None:
    with aws_error("InvalidNextTokenException", INVALID_TOKEN):
        client.list_secrets(NextToken=token)


def test_token_is_bound_to_its_query(mocksm: Any, client: Any) -> None:
    token = _token(client, Filters=[{"Key": "name", "Values": ["a", "b", "c"]}])
    for other in [
        {},
        {"Filters": [{"Key": "name", "Values": ["a"]}]},
        {"Filters": [{"Key": "name", "Values": ["a", "b", "c"]}], "SortOrder": "desc"},
        {"Filters": [{"Key": "name", "Values": ["a", "b", "c"]}], "SortBy": "name"},
        {"Filters": [{"Key": "name", "Values": ["a", "b", "c"]}], "IncludePlannedDeletion": True},
    ]:
        with aws_error("InvalidNextTokenException", INVALID_TOKEN):
            client.list_secrets(NextToken=token, **other)
    elsewhere = mocksm.client("secretsmanager", region="eu-west-1")
    same = [{"Key": "name", "Values": ["a", "b", "c"]}]
    with aws_error("InvalidNextTokenException", INVALID_TOKEN):
        elsewhere.list_secrets(NextToken=token, Filters=same)
    page = client.list_secrets(NextToken=token, Filters=same)
    assert names(page) == ["b", "c"]


def test_token_of_another_operation(client: Any) -> None:
    client.create_secret(Name="v", SecretString="1")
    for i in range(3):
        client.put_secret_value(SecretId="v", SecretString=str(i), VersionStages=[f"L{i}"])
    token = client.list_secret_version_ids(SecretId="v", MaxResults=1)["NextToken"]
    with aws_error("InvalidNextTokenException", INVALID_TOKEN):
        client.list_secrets(NextToken=token)


def test_forged_positions_are_refused(client: Any) -> None:
    token = _token(client)
    data = json.loads(base64.urlsafe_b64decode(token))
    for position in [None, [], [1.0], ["x", 1], [1.0, "1"], [1.0, True], [True, 1], [1.0, 1, 2]]:
        forged = base64.urlsafe_b64encode(json.dumps(dict(data, p=position)).encode()).decode()
        with aws_error("InvalidNextTokenException", INVALID_TOKEN):
            client.list_secrets(MaxResults=1, NextToken=forged)
    by_name = _token_for(client, SortBy="name")
    data = json.loads(base64.urlsafe_b64decode(by_name))
    forged = base64.urlsafe_b64encode(json.dumps(dict(data, p=[1.5, 1])).encode()).decode()
    with aws_error("InvalidNextTokenException", INVALID_TOKEN):
        client.list_secrets(MaxResults=1, NextToken=forged, SortBy="name")


def _token_for(client: Any, **kwargs: Any) -> str:
    token: str = client.list_secrets(MaxResults=1, **kwargs)["NextToken"]
    return token


def test_token_does_not_reveal_secret_names(client: Any) -> None:
    client.create_secret(Name="prod/very-private-name", SecretString="v")
    client.create_secret(Name="other")
    token = _token_for(client, SortBy="created-date")
    assert "very-private" not in base64.urlsafe_b64decode(token).decode()


# --- stability under change -------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"SortOrder": "desc"},
        {"SortBy": "name"},
        {"SortBy": "name", "SortOrder": "desc"},
        {"SortBy": "last-changed-date"},
        {"Filters": [{"Key": "all", "Values": ["keep"]}]},
    ],
)
def test_pages_stay_stable_while_secrets_come_and_go(
    mocksm: Any, client: Any, query: dict[str, Any]
) -> None:
    for i in range(30):
        client.create_secret(Name=f"keep-{i:02d}" if i % 3 else f"temp-keep-{i:02d}")
        mocksm.clock.advance(seconds=1)
    doomed = [f"temp-keep-{i:02d}" for i in range(0, 30, 3)]
    throughout = {f"keep-{i:02d}" for i in range(30) if i % 3}
    seen: list[str] = []
    token = None
    for created in range(40):  # bounded: a token that never advances fails, not hangs
        kwargs = dict(query, MaxResults=4)
        if token:
            kwargs["NextToken"] = token
        page = client.list_secrets(**kwargs)
        seen.extend(names(page))
        token = page.get("NextToken")
        if not token:
            break
        # Between pages: one old secret goes, two new ones come (before and after the cursor).
        if doomed:
            force_delete(mocksm, client, doomed.pop())
        for prefix in ("0-new-keep", "zz-new-keep"):
            client.create_secret(Name=f"{prefix}-{created}")
        mocksm.clock.advance(seconds=1)
    else:
        raise AssertionError("pagination did not end")
    assert len(seen) == len(set(seen)), "a secret was listed twice"
    assert throughout <= set(seen), f"skipped: {sorted(throughout - set(seen))}"


def test_cursor_secret_deleted_between_pages(mocksm: Any, client: Any) -> None:
    for name in ("a", "b", "c", "d"):
        client.create_secret(Name=name)
    first = client.list_secrets(MaxResults=2)
    force_delete(mocksm, client, "b")
    assert names(client.list_secrets(MaxResults=2, NextToken=first["NextToken"])) == ["c", "d"]


def test_mutable_sort_key_changes_between_pages(mocksm: Any, client: Any) -> None:
    for name in ("a", "b", "c", "d"):
        client.create_secret(Name=name)
        mocksm.clock.advance(seconds=1)
    first = client.list_secrets(MaxResults=2, SortBy="last-changed-date")
    assert names(first) == ["a", "b"]
    client.update_secret(SecretId="c", Description="now the newest")
    rest = client.list_secrets(
        MaxResults=2, SortBy="last-changed-date", NextToken=first["NextToken"]
    )
    assert names(rest) == ["d", "c"]


def test_changed_attributes_are_seen_on_later_pages(mocksm: Any, client: Any) -> None:
    for name in ("a", "b", "c", "d"):
        client.create_secret(Name=name, Description="match")
    query = {"Filters": [{"Key": "description", "Values": ["match"]}], "MaxResults": 2}
    first = client.list_secrets(**query)
    client.update_secret(SecretId="c", Description="other")
    assert names(client.list_secrets(NextToken=first["NextToken"], **query)) == ["d"]


# --- boto3's paginator ------------------------------------------------------------------


def test_paginator_returns_everything_in_order(client: Any) -> None:
    expected = [f"s{i:02d}" for i in range(10)]
    for name in expected:
        client.create_secret(Name=name, Description="listed")
    paginator = client.get_paginator("list_secrets")
    full = paginator.paginate(PaginationConfig={"PageSize": 3}).build_full_result()
    assert names(full) == expected
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["SecretList"]) for p in pages] == [3, 3, 3, 1]
    filtered = paginator.paginate(
        Filters=[{"Key": "name", "Values": ["s0"]}], SortOrder="desc",
        PaginationConfig={"PageSize": 2},
    ).build_full_result()
    assert names(filtered) == expected[::-1]


def test_paginator_max_items_resumes(client: Any) -> None:
    for i in range(7):
        client.create_secret(Name=f"s{i}")
    paginator = client.get_paginator("list_secrets")
    head = paginator.paginate(PaginationConfig={"MaxItems": 4, "PageSize": 3}).build_full_result()
    assert names(head) == ["s0", "s1", "s2", "s3"]
    tail = paginator.paginate(
        PaginationConfig={"StartingToken": head["NextToken"], "PageSize": 3}
    ).build_full_result()
    assert names(tail) == ["s4", "s5", "s6"]


def test_state_reset_does_not_break_listing() -> None:
    with mock_secretsmanager() as handle:
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="a")
        assert names(client.list_secrets()) == ["a"]
        handle.reset()
        assert names(client.list_secrets()) == []
        client.create_secret(Name="b")
        assert names(client.list_secrets()) == ["b"]


def test_listing_many_after_clock_travel(mocksm: Any, client: Any) -> None:
    for i in range(5):
        client.create_secret(Name=f"s{i}")
    mocksm.clock.advance(days=400)
    assert len(client.list_secrets()["SecretList"]) == 5
    assert SECONDS_PER_DAY == 86400.0


@given(
    names=st.lists(st.text(alphabet="ab/-_xY1", min_size=1, max_size=6), min_size=1, max_size=6),
    values=st.lists(st.text(alphabet="!ab/-_xY1", min_size=1, max_size=4), min_size=1, max_size=4),
    key=st.sampled_from(["name", "tag-key", "all", "description"]),
)
def test_specialised_filter_matchers_agree_with_the_general_rule(
    names: list[str], values: list[str], key: str
) -> None:
    """``Filter.matcher`` (a single ``startswith`` for plain name filters) decides exactly
    as ``Filter.matches`` does, negated values and every other key included."""
    from mocksm.secretsmanager import filters
    from mocksm.secretsmanager.secret import Secret

    (parsed,) = filters.parse([{"Key": key, "Values": values}])
    for name in names:
        secret = Secret(name, f"arn:{name}", "123456789012", "us-east-1", 0.0, 0.0, 0,
                        description=name[::-1], tags=[{"Key": name, "Value": "v"}])
        assert parsed.matcher()(secret) == parsed.matches(secret)
