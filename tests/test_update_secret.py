"""UpdateSecret: value, description, type and key edits; label moves; idempotency;
every error path (spec 5.3, 4.4.3; the founding guide)."""

from __future__ import annotations

from typing import Any

import pytest
from core_support import (
    BOTH_VALUES,
    INVALID_NAME,
    MARKED_FOR_DELETION,
    NOT_FOUND,
    TOKEN_REQUIRED,
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


def test_recorded_description_sequence(mocksm: Any, sm: Any) -> None:
    """The AWS recording: description only, value + description, value only, nothing."""
    mocksm.clock.freeze("2024-03-01T10:00:00Z")
    created = sm.create_secret(Name="s", SecretString="v1")
    arn, v1 = created["ARN"], created["VersionId"]
    described = sm.describe_secret(SecretId="s")
    assert "Description" not in described

    only_description = sm.update_secret(SecretId="s", Description="MyDescription")
    assert {k: only_description[k] for k in keys(only_description)} == {"ARN": arn, "Name": "s"}
    after_description = sm.describe_secret(SecretId="s")
    assert after_description["Description"] == "MyDescription"
    assert after_description["VersionIdsToStages"] == {v1: ["AWSCURRENT"]}
    assert after_description["LastChangedDate"] > described["LastChangedDate"]

    with_value = sm.update_secret(SecretId="s", Description="MyNewDescription",
                                  SecretString="v2")
    assert keys(with_value) == {"ARN", "Name", "VersionId"}
    v2 = with_value["VersionId"]
    described = sm.describe_secret(SecretId="s")
    assert described["Description"] == "MyNewDescription"
    assert described["VersionIdsToStages"] == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}

    v3 = sm.update_secret(SecretId="s", SecretString="v1v1")["VersionId"]
    described = sm.describe_secret(SecretId="s")
    assert described["Description"] == "MyNewDescription"
    assert described["VersionIdsToStages"] == {v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]}

    with unchanged(mocksm):
        nothing = sm.update_secret(SecretId="s")
    assert keys(nothing) == {"ARN", "Name"}
    again = sm.describe_secret(SecretId="s")
    assert {k: again[k] for k in keys(again)} == {k: described[k] for k in keys(described)}


def test_seed_update_with_value_moves_current_and_previous_follows(sm: Any) -> None:
    v1 = sm.create_secret(Name="prod/app", SecretString='{"password":"first"}')["VersionId"]
    v2 = sm.update_secret(SecretId="prod/app", SecretString='{"password":"second"}')["VersionId"]
    assert labels_by_version(sm, "prod/app") == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    previous = sm.get_secret_value(SecretId="prod/app", VersionStage="AWSPREVIOUS")
    assert previous["SecretString"] == '{"password":"first"}'
    assert previous["VersionId"] == v1


def test_seed_token_becomes_the_version_id(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v1")
    tok = token()
    assert sm.update_secret(SecretId="s", SecretString="v2", ClientRequestToken=tok)[
        "VersionId"] == tok
    assert sm.get_secret_value(SecretId="s")["VersionId"] == tok


def test_seed_description_edits_and_clears(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", Description="first")
    sm.update_secret(SecretId="s", Description="This is the description I want.")
    assert sm.describe_secret(SecretId="s")["Description"] == "This is the description I want."
    sm.update_secret(SecretId="s", Description="")
    assert "Description" not in sm.describe_secret(SecretId="s")
    sm.update_secret(SecretId="s", SecretString="w")  # no Description: left alone (absent)
    assert "Description" not in sm.describe_secret(SecretId="s")
    sm.update_secret(SecretId="s", Description="back")
    sm.update_secret(SecretId="s", SecretString="x")
    assert sm.describe_secret(SecretId="s")["Description"] == "back"


def test_description_only_update_ignores_the_token(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    tok = token()
    out = sm.update_secret(SecretId="s", Description="d", ClientRequestToken=tok)
    assert "VersionId" not in out
    assert tok not in labels_by_version(sm, "s")


def test_type_is_set_and_cleared(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    sm.update_secret(SecretId="s", Type="partner")
    assert sm.describe_secret(SecretId="s")["Type"] == "partner"
    sm.update_secret(SecretId="s", Type="")
    assert "Type" not in sm.describe_secret(SecretId="s")


def test_empty_kms_key_id_means_the_default_key(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    sm.update_secret(SecretId="s", KmsKeyId="")
    described = sm.describe_secret(SecretId="s")
    assert "KmsKeyId" not in described
    assert sm.list_secret_version_ids(SecretId="s")["Versions"][0]["KmsKeyIds"] == [
        "DefaultEncryptionKey"]


def test_update_binary_value(sm: Any) -> None:
    sm.create_secret(Name="s", SecretBinary=b"initial")
    updated = sm.update_secret(SecretId="s", SecretBinary=b"updated1")
    got = sm.get_secret_value(SecretId="s")
    assert got["SecretBinary"] == b"updated1"
    assert got["VersionId"] == updated["VersionId"]
    assert got["VersionStages"] == ["AWSCURRENT"]


def test_update_creates_the_first_version(sm: Any) -> None:
    sm.create_secret(Name="s")
    vid = sm.update_secret(SecretId="s", SecretString="v")["VersionId"]
    assert labels_by_version(sm, "s") == {vid: ["AWSCURRENT"]}


def test_previous_keeps_custom_labels_when_it_leaves(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="KEEP", MoveToVersionId=v1)
    v2 = sm.update_secret(SecretId="s", SecretString="2")["VersionId"]
    v3 = sm.update_secret(SecretId="s", SecretString="3")["VersionId"]
    assert labels_by_version(sm, "s") == {v1: ["KEEP"], v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]}


def test_pending_is_dropped_from_the_version_losing_current(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2",
                             VersionStages=["AWSCURRENT", "AWSPENDING"])["VersionId"]
    v3 = sm.update_secret(SecretId="s", SecretString="3")["VersionId"]
    assert labels_by_version(sm, "s") == {v1: None, v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]}


def test_pending_elsewhere_is_left_alone(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2",
                             VersionStages=["AWSPENDING"])["VersionId"]
    v3 = sm.update_secret(SecretId="s", SecretString="3")["VersionId"]
    assert labels_by_version(sm, "s") == {
        v1: ["AWSPREVIOUS"], v2: ["AWSPENDING"], v3: ["AWSCURRENT"]}


def test_last_changed_date_strictly_increases_on_back_to_back_updates(mocksm: Any,
                                                                      sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    sm.create_secret(Name="s", SecretString="v")
    created = sm.describe_secret(SecretId="s")
    seen = [created["LastChangedDate"]]
    for i in range(3):
        sm.update_secret(SecretId="s", Description=f"d{i}")
        seen.append(sm.describe_secret(SecretId="s")["LastChangedDate"])
        sm.update_secret(SecretId="s", SecretString=f"v{i}")
        seen.append(sm.describe_secret(SecretId="s")["LastChangedDate"])
    assert seen == sorted(set(seen))
    assert sm.describe_secret(SecretId="s")["CreatedDate"] == created["CreatedDate"]


# -- idempotency ---------------------------------------------------------------------------

def test_replay_returns_the_token_and_creates_nothing(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v1")
    tok = token()
    first = sm.update_secret(SecretId="s", SecretString="v2", ClientRequestToken=tok)
    before = labels_by_version(sm, "s")
    again = sm.update_secret(SecretId="s", SecretString="v2", ClientRequestToken=tok)
    assert {k: again[k] for k in keys(again)} == {k: first[k] for k in keys(first)}
    assert labels_by_version(sm, "s") == before


def test_replay_still_applies_metadata(sm: Any) -> None:
    tok = token()
    sm.create_secret(Name="s", SecretString="v1", ClientRequestToken=tok)
    out = sm.update_secret(SecretId="s", SecretString="v1", ClientRequestToken=tok,
                           Description="now described")
    assert out["VersionId"] == tok
    assert sm.describe_secret(SecretId="s")["Description"] == "now described"


def test_replay_of_an_old_version_does_not_move_labels(mocksm: Any, sm: Any) -> None:
    tok = token()
    sm.create_secret(Name="s", SecretString="v1", ClientRequestToken=tok)
    sm.update_secret(SecretId="s", SecretString="v2")
    with unchanged(mocksm):
        out = sm.update_secret(SecretId="s", SecretString="v1", ClientRequestToken=tok)
    assert out["VersionId"] == tok
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v2"


def test_token_reuse_with_a_different_value(mocksm: Any, sm: Any) -> None:
    tok = token()
    arn = sm.create_secret(Name="s", SecretString="v1", ClientRequestToken=tok)["ARN"]
    with unchanged(mocksm), aws_error("ResourceExistsException", token_in_use(tok, arn)):
        sm.update_secret(SecretId="s", SecretString="v2", ClientRequestToken=tok,
                         Description="must not stick")


def test_placeholder_is_filled_and_becomes_current(mocksm: Any, sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="v1")["VersionId"]
    pending = token()
    add_placeholder(mocksm, "s", pending, {"AWSPENDING"})
    out = sm.update_secret(SecretId="s", SecretString="v2", ClientRequestToken=pending)
    assert out["VersionId"] == pending
    assert labels_by_version(sm, "s") == {
        v1: ["AWSPREVIOUS"], pending: ["AWSCURRENT", "AWSPENDING"]}
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v2"


# -- errors ------------------------------------------------------------------------------

def test_not_found(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.update_secret(SecretId="nope", Description="d")
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.update_secret(SecretId="nope", KmsKeyId="not a key")


def test_invalid_secret_id(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
        sm.update_secret(SecretId="Inv Name", SecretString="v")


def test_both_values(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    with unchanged(mocksm), aws_error("InvalidParameterException", BOTH_VALUES):
        sm.update_secret(SecretId="s", SecretString="a", SecretBinary=b"b", Description="x")


def test_invalid_kms_key(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    with unchanged(mocksm), aws_error(
        "InvalidParameterException",
        "The operation failed because of an invalid KMS key: Invalid keyId",
    ):
        sm.update_secret(SecretId="s", KmsKeyId="my-key", Description="must not stick",
                         SecretString="must not stick")


def test_marked_for_deletion(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    mark_for_deletion(mocksm, sm, "s")
    with unchanged(mocksm), aws_error("InvalidRequestException", MARKED_FOR_DELETION):
        sm.update_secret(SecretId="s", Description="d")
    with unchanged(mocksm), aws_error("InvalidRequestException", MARKED_FOR_DELETION):
        sm.update_secret(SecretId="s", KmsKeyId="not a key")


def test_description_too_long(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    text = "d" * 2049
    with unchanged(mocksm), aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{text}' at 'description' failed to satisfy "
        "constraint: Member must have length less than or equal to 2048",
    ):
        sm.update_secret(SecretId="s", Description=text)


def test_missing_token_over_the_raw_wire(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    with unchanged(mocksm):
        assert raw_error(mocksm, "UpdateSecret", {"SecretId": "s", "SecretString": "w"}) == (
            400, "InvalidRequestException", TOKEN_REQUIRED)
        assert raw_error(mocksm, "UpdateSecret", {"SecretId": "nope", "SecretBinary": "YQ=="}) == (
            400, "InvalidRequestException", TOKEN_REQUIRED)
    status, body = raw(mocksm, "UpdateSecret", {"SecretId": "s", "Description": "no token"})
    assert status == 200 and set(body) == {"ARN", "Name"}


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"SecretId": "bad name", "SecretString": "a"}, "InvalidRequestException",
         TOKEN_REQUIRED),
        ({"SecretId": "bad name", "SecretString": "a", "SecretBinary": "Yg==",
          "ClientRequestToken": "t" * 32}, "ValidationException", INVALID_NAME),
        ({"SecretId": "missing", "SecretString": "a", "SecretBinary": "Yg==",
          "ClientRequestToken": "t" * 32}, "InvalidParameterException", BOTH_VALUES),
        ({"SecretId": "missing", "KmsKeyId": "bad"}, "ResourceNotFoundException", NOT_FOUND),
    ],
)
def test_order_of_checks(mocksm: Any, body: dict[str, Any], code: str, message: str) -> None:
    with unchanged(mocksm):
        assert raw_error(mocksm, "UpdateSecret", body) == (400, code, message)


def test_token_of_an_existing_version_is_ignored_without_a_value(mocksm: Any, sm: Any) -> None:
    tok = token()
    sm.create_secret(Name="s", SecretString="v1", ClientRequestToken=tok)
    out = sm.update_secret(SecretId="s", Description="d", ClientRequestToken=tok)
    assert keys(out) == {"ARN", "Name"}
    assert labels_by_version(sm, "s") == {tok: ["AWSCURRENT"]}
