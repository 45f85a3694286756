"""TagResource and UntagResource (spec 4.8, 5.14, 5.15; the founding guide's tag rules;
golden scenarios 5 and 7)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mocksm.errors import ServiceError
from mocksm.secretsmanager import tags as tags_model
from tests.helpers import aws_error, unchanged

T0 = datetime(2030, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
MD = "You can't perform this operation on the secret because it was marked for deletion."
NF = "Secrets Manager can't find the specified secret."
RESERVED = 'Tag keys can\'t start with "aws:".'
TOO_MANY = "Too many tags. A secret can have at most 50 tags."


@pytest.fixture
def sm(mocksm: Any) -> Any:
    mocksm.clock.freeze(T0)
    return mocksm.client()


def tag(key: str, value: str = "") -> dict[str, str]:
    return {"Key": key, "Value": value}


def tags_of(sm: Any, secret_id: str = "s") -> Any:
    return sm.describe_secret(SecretId=secret_id).get("Tags", "absent")


def _snapshot(sm: Any) -> Any:
    out = dict(sm.describe_secret(SecretId="s"))
    out.pop("ResponseMetadata")
    return out


def test_golden_5(sm: Any) -> None:
    sm.create_secret(Name="s")
    assert tags_of(sm) == "absent"
    out = sm.tag_resource(SecretId="s", Tags=[tag("tag1", "value1")])
    assert set(out) == {"ResponseMetadata"}
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(sm) == [tag("tag1", "value1")]
    sm.tag_resource(SecretId="s", Tags=[tag("tag2", "value2")])
    assert tags_of(sm) == [tag("tag1", "value1"), tag("tag2", "value2")]
    out = sm.untag_resource(SecretId="s", TagKeys=["tag1"])
    assert set(out) == {"ResponseMetadata"}
    assert tags_of(sm) == [tag("tag2", "value2")]
    sm.untag_resource(SecretId="s", TagKeys=["tag2"])
    assert tags_of(sm) == []
    sm.tag_resource(SecretId="s", Tags=[tag("tag3", "value3"), tag("tag4", "value4")])
    assert tags_of(sm) == [tag("tag3", "value3"), tag("tag4", "value4")]
    sm.untag_resource(SecretId="s", TagKeys=["tag3", "tag4"])
    assert tags_of(sm) == []


def test_existing_key_is_replaced_in_place(sm: Any) -> None:
    sm.create_secret(Name="s", Tags=[tag("a", "1"), tag("b", "2"), tag("c", "3")])
    sm.tag_resource(SecretId="s", Tags=[tag("b", "changed"), tag("d", "4")])
    assert tags_of(sm) == [tag("a", "1"), tag("b", "changed"), tag("c", "3"), tag("d", "4")]


def test_keys_and_values_are_case_sensitive(sm: Any) -> None:
    sm.create_secret(Name="s")
    sm.tag_resource(SecretId="s", Tags=[tag("ABC", "Value"), tag("abc", "value")])
    assert tags_of(sm) == [tag("ABC", "Value"), tag("abc", "value")]
    sm.untag_resource(SecretId="s", TagKeys=["Abc", "abc"])
    assert tags_of(sm) == [tag("ABC", "Value")]


def test_rename_is_untag_then_tag(sm: Any) -> None:
    sm.create_secret(Name="s", Tags=[tag("costcenter", "12345"), tag("env", "prod")])
    sm.untag_resource(SecretId="s", TagKeys=["costcenter"])
    sm.tag_resource(SecretId="s", Tags=[tag("cost-center", "12345")])
    assert tags_of(sm) == [tag("env", "prod"), tag("cost-center", "12345")]


def test_duplicate_keys_in_one_request_last_wins(sm: Any) -> None:
    sm.create_secret(Name="s")
    sm.tag_resource(SecretId="s", Tags=[tag("k", "1"), tag("j", "x"), tag("k", "2")])
    assert tags_of(sm) == [tag("k", "2"), tag("j", "x")]


def test_untag_missing_keys_is_not_an_error(sm: Any) -> None:
    sm.create_secret(Name="s", Tags=[tag("a", "1")])
    sm.untag_resource(SecretId="s", TagKeys=["nope", "a", "a"])
    assert tags_of(sm) == []


def test_untag_on_never_tagged_secret_keeps_tags_absent(sm: Any) -> None:
    sm.create_secret(Name="s")
    sm.untag_resource(SecretId="s", TagKeys=["nope"])
    assert tags_of(sm) == "absent"


def test_empty_tag_lists(sm: Any) -> None:
    sm.create_secret(Name="s", Tags=[])
    assert tags_of(sm) == "absent"
    sm.tag_resource(SecretId="s", Tags=[])
    assert tags_of(sm) == "absent"
    sm.untag_resource(SecretId="s", TagKeys=[])
    assert tags_of(sm) == "absent"


def test_empty_value_and_omitted_value(sm: Any) -> None:
    sm.create_secret(Name="s")
    sm.tag_resource(SecretId="s", Tags=[tag("empty", ""), {"Key": "novalue"}])
    assert tags_of(sm) == [tag("empty", ""), tag("novalue", "")]


def test_tags_visible_on_the_handle(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s")
    sm.tag_resource(SecretId="s", Tags=[tag("k", "v")])
    assert mocksm.secret("s").tags == (("k", "v"),)


def test_tag_changes_update_last_changed_date(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s")
    mocksm.clock.advance(minutes=5)
    sm.tag_resource(SecretId="s", Tags=[tag("k", "v")])
    assert sm.describe_secret(SecretId="s")["LastChangedDate"] == T0 + timedelta(minutes=5)
    mocksm.clock.advance(minutes=5)
    sm.untag_resource(SecretId="s", TagKeys=["k"])
    assert sm.describe_secret(SecretId="s")["LastChangedDate"] == T0 + timedelta(minutes=10)


def test_by_arn_partial_arn_and_cross_account(sm: Any) -> None:
    arn = sm.create_secret(Name="s")["ARN"]
    sm.tag_resource(SecretId=arn, Tags=[tag("a", "1")])
    sm.tag_resource(SecretId=arn[:-7], Tags=[tag("b", "2")])
    other = boto3.client("secretsmanager", region_name="us-east-1",
                         aws_access_key_id="111111111111", aws_secret_access_key="x")
    other.tag_resource(SecretId=arn, Tags=[tag("c", "3")])
    other.untag_resource(SecretId=arn, TagKeys=["a"])
    assert tags_of(sm) == [tag("b", "2"), tag("c", "3")]


# --- limits ------------------------------------------------------------------------------


def test_fifty_tags_allowed_fifty_one_refused(sm: Any) -> None:
    sm.create_secret(Name="s", Tags=[tag(f"k{i}", "v") for i in range(49)])
    sm.tag_resource(SecretId="s", Tags=[tag("k48", "replaced"), tag("k49", "v")])
    assert len(tags_of(sm)) == 50
    check = unchanged(lambda: _snapshot(sm))
    with aws_error("InvalidParameterException", TOO_MANY):
        sm.tag_resource(SecretId="s", Tags=[tag("k50", "v")])
    check()
    sm.tag_resource(SecretId="s", Tags=[tag("k0", "replacing is fine at 50")])


def test_more_than_fifty_in_one_request(sm: Any) -> None:
    sm.create_secret(Name="s")
    check = unchanged(lambda: _snapshot(sm))
    with aws_error("InvalidParameterException", TOO_MANY):
        sm.tag_resource(SecretId="s", Tags=[tag(f"k{i}", "v") for i in range(51)])
    check()
    with aws_error("InvalidParameterException", TOO_MANY):
        sm.create_secret(Name="t", Tags=[tag(f"k{i}", "v") for i in range(51)])


def test_duplicates_count_once_against_the_limit(sm: Any) -> None:
    sm.create_secret(Name="s")
    sm.tag_resource(SecretId="s", Tags=[tag(f"k{i % 50}", str(i)) for i in range(80)])
    assert len(tags_of(sm)) == 50


@pytest.mark.parametrize("key", ["aws:foo", "aws:secretsmanager:owningService", "aws:"])
def test_reserved_prefix(sm: Any, key: str) -> None:
    sm.create_secret(Name="s", Tags=[tag("keep", "1")])
    check = unchanged(lambda: _snapshot(sm))
    with aws_error("InvalidParameterException", RESERVED):
        sm.tag_resource(SecretId="s", Tags=[tag("ok", "1"), tag(key, "v")])
    with aws_error("InvalidParameterException", RESERVED):
        sm.untag_resource(SecretId="s", TagKeys=["keep", key])
    with aws_error("InvalidParameterException", RESERVED):
        sm.create_secret(Name="t", Tags=[tag(key, "v")])
    check()


def test_reserved_prefix_is_case_sensitive(sm: Any) -> None:
    sm.create_secret(Name="s")
    sm.tag_resource(SecretId="s", Tags=[tag("AWS:x", "1"), tag("Aws:y", "2")])
    assert tags_of(sm) == [tag("AWS:x", "1"), tag("Aws:y", "2")]


def test_key_and_value_lengths(sm: Any) -> None:
    sm.create_secret(Name="s")
    sm.tag_resource(SecretId="s", Tags=[tag("k" * 128, "v" * 256)])
    assert tags_of(sm) == [tag("k" * 128, "v" * 256)]
    check = unchanged(lambda: _snapshot(sm))
    long_key = "k" * 129
    with aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{long_key}' at 'tags.1.member.key' failed to "
        "satisfy constraint: Member must have length less than or equal to 128",
    ):
        sm.tag_resource(SecretId="s", Tags=[tag(long_key, "v")])
    long_value = "v" * 257
    with aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{long_value}' at 'tags.2.member.value' failed to "
        "satisfy constraint: Member must have length less than or equal to 256",
    ):
        sm.tag_resource(SecretId="s", Tags=[tag("a"), tag("b", long_value)])
    with aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{long_key}' at 'tagKeys.1.member' failed to "
        "satisfy constraint: Member must have length less than or equal to 128",
    ):
        sm.untag_resource(SecretId="s", TagKeys=[long_key])
    check()


def test_tag_without_key_is_refused(sm: Any) -> None:
    """The model leaves Tag.Key optional; refused as Coral refuses a missing member, before
    the secret is even looked up."""
    sm.create_secret(Name="s")
    with aws_error(
        "ValidationException",
        "1 validation error detected: Value null at 'tags.2.member.key' failed to satisfy "
        "constraint: Member must not be null",
    ):
        sm.tag_resource(SecretId="s", Tags=[tag("k", "v"), {"Value": "v"}])
    with aws_error(
        "ValidationException",
        "2 validation errors detected: Value null at 'tags.1.member.key' failed to satisfy "
        "constraint: Member must not be null; Value null at 'tags.2.member.key' failed to "
        "satisfy constraint: Member must not be null",
    ):
        sm.tag_resource(SecretId="missing", Tags=[{"Value": "v"}, {}])
    assert tags_of(sm) == "absent"


# --- errors in order ---------------------------------------------------------------------


def test_not_found_and_invalid_name(sm: Any) -> None:
    with aws_error("ResourceNotFoundException", NF):
        sm.tag_resource(SecretId="missing", Tags=[tag("k", "v")])
    with aws_error("ResourceNotFoundException", NF):
        sm.untag_resource(SecretId="missing", TagKeys=["k"])
    with aws_error("ResourceNotFoundException", NF):  # lookup precedes the tag rules
        sm.tag_resource(SecretId="missing", Tags=[tag("aws:x", "v")])
    with aws_error("ValidationException"):
        sm.tag_resource(SecretId="Inv Name", Tags=[tag("k", "v")])
    with aws_error("ValidationException"):
        sm.untag_resource(SecretId="Inv Name", TagKeys=["k"])


def test_golden_7_deleted_secret(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", Tags=[tag("k", "v")])
    sm.delete_secret(SecretId="s")
    check = unchanged(lambda: _snapshot(sm))
    with aws_error("InvalidRequestException", MD):
        sm.tag_resource(SecretId="s", Tags=[tag("new", "v")])
    with aws_error("InvalidRequestException", MD):
        sm.untag_resource(SecretId="s", TagKeys=["k"])
    with aws_error("InvalidRequestException", MD):  # deletion state precedes the tag rules
        sm.tag_resource(SecretId="s", Tags=[tag("aws:x", "v")])
    check()


# --- the merge rules as properties ------------------------------------------------------

_keys = st.sampled_from(["a", "A", "b", "key", "Key", "k:1", "x/y"])
_tag_lists = st.lists(st.fixed_dictionaries({"Key": _keys, "Value": st.text(max_size=3)}),
                      max_size=12)


@given(existing=_tag_lists, new=_tag_lists)
def test_merge_matches_a_dictionary_model(existing: list[dict[str, str]],
                                          new: list[dict[str, str]]) -> None:
    """Merging behaves like an insertion-ordered dict: one tag per key, first position kept,
    last value wins."""
    start = tags_model.merged([], existing)
    model: dict[str, str] = {}
    for item in existing + new:
        model[item["Key"]] = item["Value"]
    result = tags_model.merged(start, new)
    assert [(t["Key"], t["Value"]) for t in result] == list(model.items())
    dropped = tags_model.without(result, ["a", "Key"])
    assert [t["Key"] for t in dropped] == [k for k in model if k not in ("a", "Key")]


def test_reserved_tags_do_not_count_against_the_quota() -> None:
    owned = [tag("aws:secretsmanager:owningService", "rds")]
    result = tags_model.merged(owned, [tag(f"k{i}") for i in range(50)])
    assert len(result) == 51
    with pytest.raises(ServiceError) as caught:
        tags_model.merged(result, [tag("k50")])
    assert (caught.value.code, caught.value.message) == ("InvalidParameterException", TOO_MANY)


# --- secrets managed by another service (spec 4.13) -------------------------------------

MANAGED = "This secret is managed by an AWS service, and you must use that service to update it."
OWNER_KEY = "aws:secretsmanager:owningService"


def _make_managed(mocksm: Any, sm: Any) -> None:
    mocksm.create_managed_secret("rds", "rds-db-1", SecretString="v", Tags=[tag("team", "x")])


def test_managed_secret_tags(mocksm: Any, sm: Any) -> None:
    _make_managed(mocksm, sm)
    check = unchanged(lambda: sm.describe_secret(SecretId="rds-db-1")["Tags"])
    with aws_error("InvalidRequestException", MANAGED):
        sm.tag_resource(SecretId="rds-db-1", Tags=[tag(OWNER_KEY, "other")])
    with aws_error("InvalidRequestException", MANAGED):
        sm.untag_resource(SecretId="rds-db-1", TagKeys=["team", OWNER_KEY])
    with aws_error("InvalidParameterException", RESERVED):
        sm.tag_resource(SecretId="rds-db-1", Tags=[tag("aws:other", "v")])
    check()
    sm.tag_resource(SecretId="rds-db-1", Tags=[tag(f"k{i}", "v") for i in range(49)])
    assert len(tags_of(sm, "rds-db-1")) == 51  # the service's own tag is not counted
    sm.untag_resource(SecretId="rds-db-1", TagKeys=["team"])
    assert tags_of(sm, "rds-db-1")[0] == tag(OWNER_KEY, "rds")


def test_managed_secret_delete_and_policy(mocksm: Any, sm: Any) -> None:
    _make_managed(mocksm, sm)
    with aws_error("InvalidRequestException", MANAGED):
        sm.delete_secret(SecretId="rds-db-1")
    with aws_error("InvalidRequestException", MANAGED):
        sm.delete_secret(SecretId="rds-db-1", ForceDeleteWithoutRecovery=True)
    policy = ('{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},'
              '"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}')
    with aws_error("InvalidRequestException", MANAGED):
        sm.put_resource_policy(SecretId="rds-db-1", ResourcePolicy=policy)
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId="rds-db-1")
    assert sm.delete_resource_policy(SecretId="rds-db-1")["PolicyName"] == "default"
    assert "DeletedDate" not in sm.describe_secret(SecretId="rds-db-1")
