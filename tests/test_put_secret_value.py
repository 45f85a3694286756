"""PutSecretValue: label moves (spec 4.5.3/4.5.4), idempotency, quotas and every error
path (spec 5.2; golden scenarios 1, 3 and 4; the founding guide)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from core_support import (
    BOTH_VALUES,
    INVALID_NAME,
    MARKED_FOR_DELETION,
    NOT_FOUND,
    TOKEN_REQUIRED,
    TOO_MANY_LABELS,
    add_placeholder,
    keys,
    labels_by_version,
    mark_for_deletion,
    raw,
    raw_error,
    token,
    token_in_use,
    unchanged,
)
from helpers import aws_error


@pytest.fixture
def sm(secretsmanager_client: Any) -> Any:
    return secretsmanager_client


def _value(sm: Any, secret_id: str, **selector: str) -> str:
    return str(sm.get_secret_value(SecretId=secret_id, **selector)["SecretString"])


def test_output_shape(sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v1")["ARN"]
    tok = token()
    put = sm.put_secret_value(SecretId="s", SecretString="v2", ClientRequestToken=tok)
    assert keys(put) == {"ARN", "Name", "VersionId", "VersionStages"}
    assert (put["ARN"], put["Name"], put["VersionId"], put["VersionStages"]) == (
        arn, "s", tok, ["AWSCURRENT"])


def test_golden_1_lookup_forms_then_put_and_update(sm: Any) -> None:
    created = sm.create_secret(Name="golden1", SecretString="my_secret")
    arn = created["ARN"]
    for secret_id in ("golden1", arn, arn[:-7]):
        got = sm.get_secret_value(SecretId=secret_id)
        assert got["SecretString"] == "my_secret"
        assert got["VersionStages"] == ["AWSCURRENT"]
    put = sm.put_secret_value(SecretId="golden1", SecretString="new_secret")
    assert put["VersionStages"] == ["AWSCURRENT"]
    assert _value(sm, "golden1") == "new_secret"
    updated = sm.update_secret(SecretId=arn, SecretString="test123")
    assert keys(updated) == {"ARN", "Name", "VersionId"}
    assert updated["VersionId"] not in (created["VersionId"], put["VersionId"])
    assert _value(sm, arn[:-7]) == "test123"


def test_put_without_stages_moves_current_and_previous_follows(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="one")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
    assert labels_by_version(sm, "s") == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    assert _value(sm, "s", VersionStage="AWSPREVIOUS") == "one"


def test_golden_4_third_version_deprecates_the_first(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="one")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
    v3 = sm.put_secret_value(SecretId="s", SecretString="three")["VersionId"]
    listed = sm.list_secret_version_ids(SecretId="s")["Versions"]
    assert [v["VersionId"] for v in listed] == [v2, v3]
    everything = sm.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)["Versions"]
    assert [v["VersionId"] for v in everything] == [v1, v2, v3]
    assert set(everything[0]) == {"VersionId", "CreatedDate", "KmsKeyIds"}
    assert everything[0]["KmsKeyIds"] == ["DefaultEncryptionKey"]
    assert sm.describe_secret(SecretId="s")["VersionIdsToStages"] == {
        v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]}
    assert _value(sm, "s", VersionId=v1) == "one"


def test_golden_3_put_with_version_stages(sm: Any) -> None:
    v0 = sm.create_secret(Name="s", SecretString="secret_string_v0")["VersionId"]
    first = sm.put_secret_value(SecretId="s", SecretString="v1",
                                VersionStages=["SAMPLESTAGE1", "SAMPLESTAGE0"])
    assert first["VersionStages"] == ["SAMPLESTAGE0", "SAMPLESTAGE1"]
    current = sm.get_secret_value(SecretId="s")
    assert (current["VersionId"], current["VersionStages"]) == (v0, ["AWSCURRENT"])
    second = sm.put_secret_value(SecretId="s", SecretString="v2",
                                 VersionStages=["SAMPLESTAGE1", "SAMPLESTAGE0"])
    assert second["VersionStages"] == ["SAMPLESTAGE0", "SAMPLESTAGE1"]
    assert sm.get_secret_value(SecretId="s")["VersionId"] == v0
    pending = sm.put_secret_value(SecretId="s", SecretString="v3", VersionStages=["AWSPENDING"])
    assert pending["VersionStages"] == ["AWSPENDING"]
    assert sm.get_secret_value(SecretId="s")["VersionId"] == v0
    moved = sm.put_secret_value(SecretId="s", SecretString="secret_string_v4")
    assert moved["VersionStages"] == ["AWSCURRENT"]
    assert _value(sm, "s") == "secret_string_v4"
    assert labels_by_version(sm, "s") == {
        v0: ["AWSPREVIOUS"], first["VersionId"]: None,
        second["VersionId"]: ["SAMPLESTAGE0", "SAMPLESTAGE1"],
        pending["VersionId"]: ["AWSPENDING"], moved["VersionId"]: ["AWSCURRENT"],
    }


def test_seed_put_with_stages_moves_only_what_it_names(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="one")["VersionId"]
    v2 = sm.update_secret(SecretId="s", SecretString="two")["VersionId"]
    v3 = sm.put_secret_value(SecretId="s", SecretString="three", VersionStages=["MINE"])[
        "VersionId"]
    assert labels_by_version(sm, "s") == {
        v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"], v3: ["MINE"]}


def test_custom_labels_leave_their_old_version(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="base")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="a",
                             VersionStages=["one", "two", "three"])["VersionId"]
    put = sm.put_secret_value(SecretId="s", SecretString="b", VersionStages=["one", "two", "four"])
    assert put["VersionStages"] == ["four", "one", "two"]
    assert labels_by_version(sm, "s") == {
        v1: ["AWSCURRENT"], v2: ["three"], put["VersionId"]: ["four", "one", "two"]}


def test_taking_every_label_deprecates_the_old_version(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="base")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="a",
                             VersionStages=["one", "two", "three"])["VersionId"]
    put = sm.put_secret_value(SecretId="s", SecretString="b",
                              VersionStages=["one", "two", "three", "four"])
    assert put["VersionStages"] == ["four", "one", "three", "two"]
    assert labels_by_version(sm, "s") == {
        v1: ["AWSCURRENT"], v2: None, put["VersionId"]: ["four", "one", "three", "two"]}
    assert [v["VersionId"] for v in sm.list_secret_version_ids(SecretId="s")["Versions"]] == [
        v1, put["VersionId"]]


def test_put_current_with_custom_label(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="SS")["VersionId"]
    put = sm.put_secret_value(SecretId="s", SecretString="S1", VersionStages=["AWSCURRENT", "PUT0"])
    assert put["VersionStages"] == ["AWSCURRENT", "PUT0"]
    assert labels_by_version(sm, "s") == {v1: ["AWSPREVIOUS"], put["VersionId"]: [
        "AWSCURRENT", "PUT0"]}


def test_explicit_previous_stays_with_the_new_version(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="one")["VersionId"]
    put = sm.put_secret_value(SecretId="s", SecretString="two",
                              VersionStages=["AWSCURRENT", "AWSPREVIOUS"])
    assert put["VersionStages"] == ["AWSCURRENT", "AWSPREVIOUS"]
    assert labels_by_version(sm, "s") == {v1: None, put["VersionId"]: [
        "AWSCURRENT", "AWSPREVIOUS"]}


def test_previous_alone_moves_without_touching_current(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="one")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="two")["VersionId"]
    v3 = sm.put_secret_value(SecretId="s", SecretString="three",
                             VersionStages=["AWSPREVIOUS"])["VersionId"]
    assert labels_by_version(sm, "s") == {v1: None, v2: ["AWSCURRENT"], v3: ["AWSPREVIOUS"]}


def test_pending_leaves_the_version_that_loses_current(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="S1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="S2",
                             VersionStages=["AWSPENDING"])["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   MoveToVersionId=v2, RemoveFromVersionId=v1)
    assert labels_by_version(sm, "s") == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT", "AWSPENDING"]}
    v3 = sm.put_secret_value(SecretId="s", SecretString="S3")["VersionId"]
    assert labels_by_version(sm, "s") == {v1: None, v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]}


def test_pending_moves_when_named(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="S1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="S2",
                             VersionStages=["AWSPENDING"])["VersionId"]
    v3 = sm.put_secret_value(SecretId="s", SecretString="S3",
                             VersionStages=["AWSPENDING"])["VersionId"]
    assert labels_by_version(sm, "s") == {v1: ["AWSCURRENT"], v2: None, v3: ["AWSPENDING"]}


def test_first_version_always_gets_current(sm: Any) -> None:
    sm.create_secret(Name="s")
    put = sm.put_secret_value(SecretId="s", SecretString="v", VersionStages=["AWSPENDING"])
    assert put["VersionStages"] == ["AWSCURRENT", "AWSPENDING"]
    assert sm.get_secret_value(SecretId="s")["VersionId"] == put["VersionId"]


def test_duplicate_labels_in_one_request(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    put = sm.put_secret_value(SecretId="s", SecretString="w", VersionStages=["X", "X", "Y"])
    assert put["VersionStages"] == ["X", "Y"]


def test_binary_put(sm: Any) -> None:
    sm.create_secret(Name="s", SecretBinary=b"initial")
    sm.put_secret_value(SecretId="s", SecretBinary=b"footest")
    got = sm.get_secret_value(SecretId="s")
    assert got["SecretBinary"] == b"footest" and "SecretString" not in got
    sm.put_secret_value(SecretId="s", SecretString="now a string")
    got = sm.get_secret_value(SecretId="s")
    assert got["SecretString"] == "now a string" and "SecretBinary" not in got
    assert sm.get_secret_value(SecretId="s", VersionStage="AWSPREVIOUS")["SecretBinary"] == (
        b"footest")


def test_last_changed_date_strictly_increases(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    sm.create_secret(Name="s", SecretString="v")
    seen = [sm.describe_secret(SecretId="s")["LastChangedDate"]]
    for i in range(5):
        sm.put_secret_value(SecretId="s", SecretString=f"v{i}")
        seen.append(sm.describe_secret(SecretId="s")["LastChangedDate"])
    assert all(a < b for a, b in pairwise(seen))


# -- idempotency ---------------------------------------------------------------------------

def test_replay_returns_the_versions_current_labels(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v1")
    tok = token()
    sm.put_secret_value(SecretId="s", SecretString="v2", ClientRequestToken=tok,
                        VersionStages=["A"])
    sm.update_secret_version_stage(SecretId="s", VersionStage="B", MoveToVersionId=tok)
    with unchanged(mocksm):
        again = sm.put_secret_value(SecretId="s", SecretString="v2", ClientRequestToken=tok,
                                    VersionStages=["C"])
    assert again["VersionId"] == tok
    assert again["VersionStages"] == ["A", "B"]


def test_replay_of_a_deprecated_version_omits_version_stages(mocksm: Any, sm: Any) -> None:
    tok = token()
    sm.create_secret(Name="s", SecretString="v1", ClientRequestToken=tok)
    sm.put_secret_value(SecretId="s", SecretString="v2")
    sm.put_secret_value(SecretId="s", SecretString="v3")
    with unchanged(mocksm):
        again = sm.put_secret_value(SecretId="s", SecretString="v1", ClientRequestToken=tok)
    assert keys(again) == {"ARN", "Name", "VersionId"}


def test_token_reuse_with_a_different_value(mocksm: Any, sm: Any) -> None:
    tok = token()
    arn = sm.create_secret(Name="s", SecretString="v1", ClientRequestToken=tok)["ARN"]
    with unchanged(mocksm), aws_error("ResourceExistsException", token_in_use(tok, arn)):
        sm.put_secret_value(SecretId="s", SecretString="other", ClientRequestToken=tok)
    with unchanged(mocksm), aws_error("ResourceExistsException", token_in_use(tok, arn)):
        sm.put_secret_value(SecretId="s", SecretBinary=b"v1", ClientRequestToken=tok)


def test_token_of_another_secret_is_free(sm: Any) -> None:
    tok = token()
    sm.create_secret(Name="a", SecretString="v", ClientRequestToken=tok)
    sm.create_secret(Name="b", SecretString="v")
    put = sm.put_secret_value(SecretId="b", SecretString="w", ClientRequestToken=tok)
    assert put["VersionId"] == tok


def test_placeholder_is_filled_and_keeps_its_labels(mocksm: Any, sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="v1")["VersionId"]
    pending = token()
    add_placeholder(mocksm, "s", pending, {"AWSPENDING"})
    assert pending not in labels_by_version(sm, "s")  # value-less versions are not listed
    with aws_error("ResourceNotFoundException",
                   "Secrets Manager can't find the specified secret value for staging label: "
                   "AWSPENDING"):
        sm.get_secret_value(SecretId="s", VersionStage="AWSPENDING")
    put = sm.put_secret_value(SecretId="s", SecretString="v2", ClientRequestToken=pending,
                              VersionStages=["AWSPENDING"])
    assert put["VersionStages"] == ["AWSPENDING"]
    assert labels_by_version(sm, "s") == {v1: ["AWSCURRENT"], pending: ["AWSPENDING"]}
    assert _value(sm, "s", VersionStage="AWSPENDING") == "v2"



def _failed_rotation(mocksm: Any, sm: Any, secret_id: str) -> str:
    """Start a rotation whose function fails before storing a value: its token names a
    value-less AWSPENDING placeholder."""
    def fails(event: dict[str, Any], context: Any) -> None:
        raise RuntimeError("no value stored")

    function = "arn:aws:lambda:us-east-1:123456789012:function:fails"
    mocksm.register_rotation_function(function, fails)
    pending = token()
    sm.rotate_secret(SecretId=secret_id, RotationLambdaARN=function, ClientRequestToken=pending)
    return pending


def test_a_plain_write_fills_the_placeholder_its_token_names(mocksm: Any, sm: Any) -> None:
    """The placeholder becomes AWSCURRENT in place: it keeps AWSPENDING, its creation
    date and its place among the versions (a version is not made anew)."""
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    v1 = sm.create_secret(Name="s", SecretString="v1")["VersionId"]
    pending = _failed_rotation(mocksm, sm, "s")
    made = mocksm.secret("s").versions[-1].created
    v3 = sm.put_secret_value(SecretId="s", SecretString="v3", VersionStages=["MINE"])["VersionId"]
    mocksm.clock.advance(hours=1)
    put = sm.put_secret_value(SecretId="s", SecretString="v2", ClientRequestToken=pending)
    assert put["VersionStages"] == ["AWSCURRENT", "AWSPENDING"]
    assert [(v.version_id, v.stages, v.created) for v in mocksm.secret("s").versions] == [
        (v1, ("AWSPREVIOUS",), made), (pending, ("AWSCURRENT", "AWSPENDING"), made),
        (v3, ("MINE",), made)]
    assert _value(sm, "s") == "v2"


def test_a_plain_write_fills_a_placeholder_already_holding_awscurrent(mocksm: Any, sm: Any) -> None:
    """A placeholder given AWSCURRENT by UpdateSecretVersionStage (a secret created with
    no value): the write stores the value there and moves no label."""
    sm.create_secret(Name="s")
    pending = _failed_rotation(mocksm, sm, "s")
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT", MoveToVersionId=pending)
    put = sm.put_secret_value(SecretId="s", SecretString="v", ClientRequestToken=pending)
    assert put["VersionStages"] == ["AWSCURRENT", "AWSPENDING"]
    assert mocksm.secret("s").labels() == {pending: ["AWSCURRENT", "AWSPENDING"]}
    assert _value(sm, "s") == "v"
    assert mocksm.last_internal_error is None

# -- quotas ------------------------------------------------------------------------------

def test_twenty_labels_per_secret(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    sm.put_secret_value(SecretId="s", SecretString="a", VersionStages=[f"L{i}" for i in range(19)])
    # 19 custom + AWSCURRENT = 20: moving existing labels is fine, a new one is not.
    sm.put_secret_value(SecretId="s", SecretString="b", VersionStages=["L0", "L1"])
    with unchanged(mocksm), aws_error("LimitExceededException", TOO_MANY_LABELS):
        sm.put_secret_value(SecretId="s", SecretString="c", VersionStages=["L20"])
    current = sm.get_secret_value(SecretId="s")["VersionId"]
    with unchanged(mocksm), aws_error("LimitExceededException", TOO_MANY_LABELS):
        sm.update_secret_version_stage(SecretId="s", VersionStage="L20", MoveToVersionId=current)


def test_a_plain_write_counts_the_awsprevious_it_creates(mocksm: Any, sm: Any) -> None:
    """A write with the default label moves AWSCURRENT and makes the old version
    AWSPREVIOUS: with no AWSPREVIOUS yet and 20 labels held, that is one too many."""
    sm.create_secret(Name="s", SecretString="v")
    custom = sm.put_secret_value(SecretId="s", SecretString="a",
                                 VersionStages=[f"L{i}" for i in range(19)])["VersionId"]
    with unchanged(mocksm), aws_error("LimitExceededException", TOO_MANY_LABELS):
        sm.put_secret_value(SecretId="s", SecretString="b")
    sm.update_secret_version_stage(SecretId="s", VersionStage="L0", RemoveFromVersionId=custom)
    put = sm.put_secret_value(SecretId="s", SecretString="b")
    assert put["VersionStages"] == ["AWSCURRENT"]
    assert _value(sm, "s") == "b"
    assert _value(sm, "s", VersionStage="AWSPREVIOUS") == "v"


def test_twenty_labels_in_one_request_on_a_first_version(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s")
    with unchanged(mocksm), aws_error("LimitExceededException", TOO_MANY_LABELS):
        sm.put_secret_value(SecretId="s", SecretString="v",
                            VersionStages=[f"L{i}" for i in range(20)])
    put = sm.put_secret_value(SecretId="s", SecretString="v",
                              VersionStages=[f"L{i}" for i in range(19)])
    assert len(put["VersionStages"]) == 20


def test_more_than_twenty_labels_in_a_request_is_a_validation_error(mocksm: Any,
                                                                    sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    stages = [f"L{i}" for i in range(21)]
    with unchanged(mocksm), aws_error(
        "ValidationException",
        f"1 validation error detected: Value '[{', '.join(stages)}]' at 'versionStages' failed "
        "to satisfy constraint: Member must have length less than or equal to 20",
    ):
        sm.put_secret_value(SecretId="s", SecretString="w", VersionStages=stages)


def test_label_longer_than_256(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    label = "L" * 257
    with unchanged(mocksm), aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{label}' at 'versionStages.2.member' failed to "
        "satisfy constraint: Member must have length less than or equal to 256",
    ):
        sm.put_secret_value(SecretId="s", SecretString="w", VersionStages=["ok", label])


def test_value_size_limits(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    sm.put_secret_value(SecretId="s", SecretString="\u00e9" * 32768)
    sm.put_secret_value(SecretId="s", SecretBinary=b"b" * 65536)
    for field, value in [("secretString", "\u00e9" * 32769), ("secretBinary", b"b" * 65537)]:
        kwargs = {"SecretString": value} if field == "secretString" else {"SecretBinary": value}
        with unchanged(mocksm), aws_error(
            "ValidationException",
            f"1 validation error detected: Value at '{field}' failed to satisfy constraint: "
            "Member must have length less than or equal to 65536",
        ):
            sm.put_secret_value(SecretId="s", **kwargs)


# -- errors ------------------------------------------------------------------------------

def test_not_found(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.put_secret_value(SecretId="nope", SecretString="v")


def test_invalid_secret_id(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
        sm.put_secret_value(SecretId="Inv Name", SecretString="v")


def test_both_values(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    with unchanged(mocksm), aws_error("InvalidParameterException", BOTH_VALUES):
        sm.put_secret_value(SecretId="s", SecretString="a", SecretBinary=b"b")


def test_neither_value(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    with unchanged(mocksm), aws_error(
        "InvalidRequestException", "You must provide either SecretString or SecretBinary."
    ):
        sm.put_secret_value(SecretId="s")


def test_marked_for_deletion(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    mark_for_deletion(mocksm, sm, "s")
    with unchanged(mocksm), aws_error("InvalidRequestException", MARKED_FOR_DELETION):
        sm.put_secret_value(SecretId="s", SecretString="w")


def test_cross_account_put_needs_a_customer_key(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    other = mocksm.client(aws_access_key_id="210987654321", aws_secret_access_key="x")
    with unchanged(mocksm), aws_error(
        "InvalidRequestException",
        "You can't access a secret from a different AWS account if you encrypt the secret "
        "with the default KMS service key.",
    ):
        other.put_secret_value(SecretId=arn, SecretString="w")
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        other.put_secret_value(SecretId="s", SecretString="w")  # a name is the caller's own


# -- order of checks (spec 5.2) -------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"SecretId": "bad name"}, "InvalidRequestException", TOKEN_REQUIRED),
        ({"SecretId": "bad name", "SecretString": "a", "SecretBinary": "Yg==",
          "ClientRequestToken": "t" * 32}, "ValidationException", INVALID_NAME),
        ({"SecretId": "missing", "SecretString": "a", "SecretBinary": "Yg==",
          "ClientRequestToken": "t" * 32}, "InvalidParameterException", BOTH_VALUES),
        ({"SecretId": "missing", "ClientRequestToken": "t" * 32}, "InvalidRequestException",
         "You must provide either SecretString or SecretBinary."),
        ({"SecretId": "missing", "SecretString": "a", "ClientRequestToken": "t" * 32},
         "ResourceNotFoundException", NOT_FOUND),
    ],
)
def test_order_of_checks(mocksm: Any, body: dict[str, Any], code: str, message: str) -> None:
    with unchanged(mocksm):
        assert raw_error(mocksm, "PutSecretValue", body) == (400, code, message)


def test_rotation_token_is_checked_against_its_pattern_without_echoing_it(mocksm: Any,
                                                                         sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    with unchanged(mocksm):
        status, code, message = raw_error(mocksm, "PutSecretValue", {
            "SecretId": "s", "SecretString": "w", "ClientRequestToken": token(),
            "RotationToken": "not valid!" * 4,
        })
    assert (status, code) == (400, "ValidationException")
    assert message == (
        "1 validation error detected: Value at 'rotationToken' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-]+$"
    )
    status, body = raw(mocksm, "PutSecretValue", {
        "SecretId": "s", "SecretString": "w", "ClientRequestToken": token(),
        "RotationToken": token(),
    })
    assert status == 200 and body["VersionStages"] == ["AWSCURRENT"]



def test_replica_check_precedes_the_cross_account_check(mocksm: Any, sm: Any) -> None:
    """Another account writing to a replica under the default key: AWS's order (spec 5.2)
    puts the replica refusal first."""
    sm.create_secret(Name="s", SecretString="v", AddReplicaRegions=[{"Region": "eu-west-1"}])
    replica = mocksm.secret("s", region="eu-west-1")
    assert replica.kms_key_id is None
    other = mocksm.client(region="eu-west-1", aws_access_key_id="210987654321", aws_secret_access_key="x")
    with unchanged(mocksm), aws_error(
        "InvalidParameterException",
        "Operation not permitted on a replica secret. Call must be made in primary secret's region.",
    ):
        other.put_secret_value(SecretId=replica.arn, SecretString="w")

def test_cross_account_check_precedes_the_deletion_check(mocksm: Any, sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    mark_for_deletion(mocksm, sm, "s")
    other = mocksm.client(aws_access_key_id="210987654321", aws_secret_access_key="x")
    with unchanged(mocksm), aws_error(
        "InvalidRequestException",
        "You can't access a secret from a different AWS account if you encrypt the secret "
        "with the default KMS service key.",
    ):
        other.put_secret_value(SecretId=arn, SecretString="w")
