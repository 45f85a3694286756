"""mocksm against responses recorded from real AWS.

Each recorded test of LocalStack's Secrets Manager suite (snapshot recorded against AWS,
see ``recorded_support``) is replayed here: the same calls, in the same order, through
boto3 under ``mock_secretsmanager(account_id="111111111111")``; our responses are recorded
under the same keys, normalised the way LocalStack normalised AWS's, and compared exactly.
The scenarios are restated from the recorded calls, in our own code.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from mocksm import mock_secretsmanager
from tests.recorded_support import ACCOUNT, REGION, Replay, recorded_ids

ROTATOR = "s-rot8f3a1"
# Besides the recorded region, every scenario runs in a region of another partition: the
# recording hides both behind placeholders, so neither may be hard-wired.
REGIONS = [REGION, "cn-northwest-1"]
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": "*",
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }],
}

Scenario = Callable[[Replay, Any, Any, str], None]
SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str) -> Callable[[Scenario], Scenario]:
    def register(fn: Scenario) -> Scenario:
        SCENARIOS[name] = fn
        return fn
    return register


def _split(test_id: str) -> tuple[str, str]:
    base, _, param = test_id.partition("[")
    return base, param[:-1] if param else ""


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("test_id", recorded_ids())
def test_recorded(test_id: str, region: str) -> None:
    base, param = _split(test_id)
    replay = Replay(test_id, sm_transformers=base != "test_create_secret_version_from_empty_secret",
                    region=region)
    with mock_secretsmanager(account_id=ACCOUNT) as handle:
        client = boto3.client("secretsmanager", region_name=region)
        SCENARIOS[base](replay, handle, client, param)
    replay.verify()


def test_every_recording_has_a_scenario() -> None:
    missing = sorted({_split(t)[0] for t in recorded_ids()} - set(SCENARIOS))
    assert missing == []
    assert len(recorded_ids()) == 55


def _replayed(test_id: str) -> Replay:
    base, param = _split(test_id)
    replay = Replay(test_id)
    with mock_secretsmanager(account_id=ACCOUNT) as handle:
        SCENARIOS[base](replay, handle, boto3.client("secretsmanager", region_name=REGION), param)
    return replay


def _swap_first_two_versions(r: dict[str, Any]) -> None:
    first, second = r["Versions"][0], r["Versions"][1]
    first["VersionId"], second["VersionId"] = second["VersionId"], first["VersionId"]


def _fresh_version_id(r: dict[str, Any]) -> None:
    r["VersionId"] = str(uuid.uuid4())


def _other_message(r: dict[str, Any]) -> None:
    r["Error"] = dict(r["Error"], Message=r["Error"]["Message"] + " ")


def _other_status(r: dict[str, Any]) -> None:
    r["ResponseMetadata"] = dict(r["ResponseMetadata"], HTTPStatusCode=404)


def _extra_label(r: dict[str, Any]) -> None:
    r["VersionStages"] = [*r["VersionStages"], "AWSPREVIOUS"]


PENDING = "test_update_secret_version_stages_current_pending"


@pytest.mark.parametrize(("test_id", "key", "tamper", "caught_at"), [
    (PENDING, "list_secret_version_ids_res_1", _swap_first_two_versions, "list_secret_version_ids_res_1"),
    # A new id is numbered where it first appears; the next listing exposes it.
    (PENDING, "put_secret_value_res_1", _fresh_version_id, "list_secret_version_ids_res_2"),
    ("test_get_secret_value_errors", "mismatch_version_id_and_stage", _other_message, "mismatch_version"),
    ("test_get_secret_value_errors", "mismatch_version_id_and_stage", _other_status, "mismatch_version"),
    ("test_put_secret_value_with_version_stages", "get_secret_value_res_3", _extra_label, "get_secret_value_res_3"),
])
def test_comparison_catches_tampering(test_id: str, key: str, tamper: Callable[[dict[str, Any]], None],
                                      caught_at: str) -> None:
    """Each kind of difference the replay is meant to see (version identity, label sets,
    error text, HTTP status) makes the comparison fail; untampered, it passes."""
    replay = _replayed(test_id)
    replay.verify()
    tamper(replay.matches[key])
    with pytest.raises(AssertionError, match=f"--- {caught_at}"):
        replay.verify()


def test_normaliser_catches_differences() -> None:
    """The comparison is not vacuous: a wrong label, a missing field or a wrong message fails."""
    replay = Replay("test_secret_restore")
    with mock_secretsmanager(account_id=ACCOUNT):
        client = boto3.client("secretsmanager", region_name=REGION)
        created = client.create_secret(Name="s-0a1b2c3d", SecretString="x")
        replay.secret(created, 0)
        deleted = client.delete_secret(SecretId="s-0a1b2c3d")
        replay.match("delete_secret_res", {k: v for k, v in deleted.items() if k != "DeletionDate"})
        replay.match("restore_secret_res", client.restore_secret(SecretId="s-0a1b2c3d"))
    with pytest.raises(AssertionError, match="DeletionDate"):
        replay.verify()


# -- secrets: create, read, update, delete ---------------------------------------------------

@scenario("test_create_and_update_secret")
def _create_and_update(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    # Older recordings carry "-True"/"-False": whether the partial ARN resolves.
    name, partial_found = param, True
    for suffix, found in (("-True", True), ("-False", False)):
        if param.endswith(suffix):
            name, partial_found = param[: -len(suffix)], found
    created = snap.match("create_secret_rs_1", sm.create_secret(
        Name=name, SecretString="my_secret", Description="Testing secret creation."))
    snap.secret(created, 0)
    arn = created["ARN"]
    assert len(arn.rpartition("-")[2]) == 6
    snap.match("get_secret_value_rs_1", sm.get_secret_value(SecretId=name))
    snap.match("describe_secret_rs_1", sm.describe_secret(SecretId=name))
    snap.match("get_secret_value_rs_2", sm.get_secret_value(SecretId=arn))
    if partial_found:
        snap.match("get_secret_value_rs_3", sm.get_secret_value(SecretId=arn[:-7]))
    else:
        with snap.error("resource_not_found_dict_1"):
            sm.get_secret_value(SecretId=arn[:-7])
    snap.match("put_secret_value_rs_1", sm.put_secret_value(SecretId=name, SecretString="new_secret"))
    snap.match("get_secret_value_rs_4", sm.get_secret_value(SecretId=name))
    snap.match("update_secret_res_1", sm.update_secret(
        SecretId=arn, SecretString="test123", Description="d1"))
    snap.match("delete_secret_res_1", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_secret_restore")
def _restore(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-7d3e9a10"
    snap.secret(sm.create_secret(Name=name, SecretString="my_secret", Description="test description"), 0)
    snap.match("delete_secret_res", sm.delete_secret(SecretId=name))
    snap.match("restore_secret_res", sm.restore_secret(SecretId=name))


@scenario("test_secret_not_found")
def _not_found(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    with snap.error("get_secret_value_not_found_ex"):
        sm.get_secret_value(SecretId="s-5e1f0c2b")
    with snap.error("list_secret_version_ids_not_found_ex"):
        sm.list_secret_version_ids(SecretId="s-9a8b7c6d")


@scenario("test_secret_version_not_found")
def _version_not_found(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-3c4d5e6f"
    sm.create_secret(Name=name)
    version_id = str(uuid.uuid4())
    snap.regex(version_id, "<version-id>")
    with snap.error("get_secret_value_no_version_ex", as_text=True):
        sm.get_secret_value(SecretId=name)
    with snap.error("get_secret_value_version_not_found_ex", as_text=True):
        sm.get_secret_value(SecretId=name, VersionId=version_id)
    with snap.error("get_secret_value_stage_not_found_ex", as_text=True):
        sm.get_secret_value(SecretId=name, VersionStage="AWSPENDING")


def _list_all(sm: Any) -> Any:
    return sm.get_paginator("list_secrets").paginate().build_full_result()


def _list_three_times(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-1f2e3d4c"
    created = snap.match("create_secret_rs_1", sm.create_secret(
        Name=name, SecretString="my_secret", Description="testing creation of secrets"))
    snap.secret(created, 0)
    for i in range(3):
        # A recording with ResponseMetadata came from a plain ListSecrets call: botocore's
        # full-result paginator never carries metadata. The listing fits one page either way.
        with_metadata = "ResponseMetadata" in snap.expected[f"list_secrets_res_{i}"]
        snap.match(f"list_secrets_res_{i}", sm.list_secrets() if with_metadata else _list_all(sm))
    snap.match("delete_secret_res_1", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


def _three_secrets(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    # Names deliberately not in lexical order: the listing must follow creation order.
    names = ["c0ffee42", "0badf00d", "7e57ab1e"]
    for i, name in enumerate(names):
        snap.secret(sm.create_secret(Name=name, SecretString=f"my_secret_{name}",
                                     Description="Testing secrets creation."), i)
    with_metadata = "ResponseMetadata" in snap.expected["list_secrets_res"]
    snap.match("list_secrets_res", sm.list_secrets() if with_metadata else _list_all(sm))
    for i, name in enumerate(names):
        snap.match(f"delete_secret_res{i}", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


SCENARIOS["test_call_lists_secrets_multiple_times"] = _list_three_times
SCENARIOS["test_call_lists_secrets_multiple_times_snapshots"] = _list_three_times
SCENARIOS["test_create_multi_secrets"] = _three_secrets
SCENARIOS["test_create_multi_secrets_snapshot"] = _three_secrets


@scenario("test_secret_exists_snapshots")
def _exists(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-2b3c4d5e"
    description = "Snapshot testing secret already exists."
    snap.secret(sm.create_secret(Name=name, SecretString=f"my_secret_{name}", Description=description), 0)
    with snap.error("ex_log"):
        sm.create_secret(Name=name, SecretString=f"my_secret_{name}", Description=description)
    snap.match("delete_secret_res", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_can_recreate_delete_secret")
def _recreate(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-6a7b8c9d"
    first = snap.match("create_secret_res_0", _select(sm.create_secret(Name=name, SecretString="secretstr-1")))
    snap.secret(first, 0)
    snap.match("delete_res_1", _select(sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)))
    second = snap.match("create_secret_res_1", _select(sm.create_secret(Name=name, SecretString="secretstr-1")))
    snap.secret(second, 1)
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)


def _select(response: dict[str, Any]) -> dict[str, Any]:
    """The recorded test kept only the modelled output fields (no ResponseMetadata)."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


@scenario("test_exp_raised_on_creation_of_secret_scheduled_for_deletion")
def _create_while_scheduled(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-4e5f6a7b"
    snap.secret(sm.create_secret(Name=name, SecretString="secretstr-2"), 0)
    snap.match("delete_res", _select(sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)))
    with snap.error("invalid_req_ex"):
        sm.create_secret(Name=name, SecretString="secretstr-2")


@scenario("test_force_delete_deleted_secret")
def _force_delete_deleted(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    created = snap.match("create_secret_response", sm.create_secret(Name="s-8c9d0e1f", SecretString="secretstr-3"))
    arn = created["ARN"]
    snap.secret(created, 0)
    snap.match("delete_secret_response", sm.delete_secret(SecretId=arn))
    snap.match("describe_secret_response", sm.describe_secret(SecretId=arn))
    snap.match("force_delete_secret_response", sm.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True))


@scenario("test_invalid_secret_name")
def _invalid_name(snap: Replay, handle: Any, sm: Any, name: str) -> None:
    name = name.replace("\\\\", "\\")  # the test id escapes the backslash
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
    calls: list[Callable[[], Any]] = [
        lambda: sm.create_secret(Name=name, SecretString="MySecretString"),
        lambda: sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True),
        lambda: sm.describe_secret(SecretId=name),
        lambda: sm.get_secret_value(SecretId=name),
        lambda: sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True),
        lambda: sm.put_secret_value(SecretId=name, SecretString="MySecretString"),
        lambda: sm.tag_resource(SecretId=name, Tags=[{"Key": "FirstTag", "Value": "SomeValue"}]),
        lambda: sm.untag_resource(SecretId=name, TagKeys=["FirstTag"]),
        lambda: sm.update_secret(SecretId=name, Description="MyNewDescription"),
        lambda: sm.validate_resource_policy(SecretId=name, ResourcePolicy=policy),
    ]
    for i, call in enumerate(calls, start=1):
        with snap.error(f"ex_log_{i}"):
            call()


@scenario("test_no_client_request_token")
def _no_token(snap: Replay, handle: Any, sm: Any, operation: str) -> None:
    body: dict[str, Any] = {"SecretString": "thisisthesecret", "Description": "My secret string"}
    body["Name" if operation == "CreateSecret" else "SecretId"] = "b7c8d9e0"
    raw = handle.raw_request(f"secretsmanager.{operation}", body, region=snap.region)
    snap.match("no-client-request-exc", {"Error": raw.json(), "Metadata": {"StatusCode": raw.status}})


@scenario("test_create_secret_version_from_empty_secret")
def _empty_then_value(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    created = snap.match("create-empty-secret", sm.create_secret(Name="test-version-5f6e7d8c", Description=""))
    # That test replaced the ARN's resource part and the Name by generic placeholders.
    snap.regex(created["ARN"].rpartition(":")[2], "<secret-version:1>")
    snap.regex("^" + created["Name"] + "$", "<name:1>")
    arn = created["ARN"]
    snap.match("describe-secret", sm.describe_secret(SecretId=arn))
    snap.match("put-secret-value", sm.put_secret_value(SecretId=arn, SecretString="example-string-to-protect"))


@scenario("test_get_secret_value")
def _get_binary(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "d1e2f3a4"
    created = sm.create_secret(Name=name, SecretBinary="footest")
    snap.secret(created, 0)
    snap.match("secret_value_response", sm.get_secret_value(SecretId=created["ARN"]))
    raw = handle.raw_request("secretsmanager.GetSecretValue", {"SecretId": name}, region=snap.region)
    assert raw.status == 200
    snap.date_at("CreatedDate")
    snap.match("secret_value_http_response", raw.json())


@scenario("test_change_secret_value_after_creation")
def _change_binary(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    # Parameters: "<PutSecretValue binary>-<UpdateSecret binary>", written as Python escapes.
    first, second = (part.encode("latin-1").decode("unicode_escape").encode("latin-1")
                     for part in param.split("-", 1))
    name = "e5f6a7b8"
    snap.secret(sm.create_secret(Name=name, SecretBinary=b"initial"), 0)
    snap.match("put_secret_value_secret_response", sm.get_secret_value(SecretId=name))
    sm.put_secret_value(SecretId=name, SecretBinary=first)
    snap.match("put_secret_binary_response_updated", sm.get_secret_value(SecretId=name))
    sm.update_secret(SecretId=name, SecretBinary=second)
    snap.match("update_secret_binary_response_updated", sm.get_secret_value(SecretId=name))


@scenario("test_get_secret_value_errors")
def _get_errors(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "f9a0b1c2"
    created = sm.create_secret(Name=name, SecretString="test")
    snap.secret(created, 0)
    with snap.error("error_get_secret_value_non_existing"):
        sm.get_secret_value(SecretId=created["ARN"], VersionStage="AWSPREVIOUS")
    with snap.error("mismatch_version_id_and_stage"):
        sm.get_secret_value(SecretId=name, VersionId=created["VersionId"], VersionStage="AWSPREVIOUS")


# -- description, tags, policies ---------------------------------------------------------------

@scenario("test_update_secret_description")
def _description(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-0d1e2f3a"
    snap.secret(snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="MySecretString")), 0)
    snap.match("describe_secret_res_0", sm.describe_secret(SecretId=name))
    snap.match("update_secret_res_0", sm.update_secret(SecretId=name, Description="MyDescription"))
    snap.match("describe_secret_res_1", sm.describe_secret(SecretId=name))
    snap.match("update_secret_res_1", sm.update_secret(
        SecretId=name, SecretString="MyNewSecretString", Description="MyNewDescription"))
    snap.match("describe_secret_res_2", sm.describe_secret(SecretId=name))
    snap.match("update_secret_res_2", sm.update_secret(SecretId=name, SecretString="MyNewSecretString" * 2))
    snap.match("describe_secret_res_3", sm.describe_secret(SecretId=name))
    snap.match("update_secret_res_3", sm.update_secret(SecretId=name))
    snap.match("describe_secret_res_4", sm.describe_secret(SecretId=name))
    snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_secret_tags")
def _tags(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    created = snap.match("create_secret", sm.create_secret(Name="a3b4c5d6"))
    snap.secret(created, 0)
    arn = created["ARN"]
    snap.match("describe_secret", sm.describe_secret(SecretId=arn))
    snap.match("tag_resource_1", sm.tag_resource(SecretId=arn, Tags=[{"Key": "tag1", "Value": "value1"}]))
    snap.match("describe_secret_1", sm.describe_secret(SecretId=arn))
    snap.match("tag_resource_2", sm.tag_resource(SecretId=arn, Tags=[{"Key": "tag2", "Value": "value2"}]))
    snap.match("describe_secret_2", sm.describe_secret(SecretId=arn))
    snap.match("untag_resource_1", sm.untag_resource(SecretId=arn, TagKeys=["tag1"]))
    snap.match("describe_secret_3", sm.describe_secret(SecretId=arn))
    snap.match("untag_resource_2", sm.untag_resource(SecretId=arn, TagKeys=["tag2"]))
    snap.match("describe_secret_4", sm.describe_secret(SecretId=arn))
    sm.tag_resource(SecretId=arn, Tags=[{"Key": "tag3", "Value": "value3"}, {"Key": "tag4", "Value": "value4"}])
    snap.match("describe_secret_5", sm.describe_secret(SecretId=arn))
    sm.untag_resource(SecretId=arn, TagKeys=["tag3", "tag4"])
    snap.match("describe_secret_6", sm.describe_secret(SecretId=arn))


@scenario("test_tag_untag_resource_on_deleted_secret")
def _tags_on_deleted(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    created = snap.match("create_secret", sm.create_secret(
        Name="b5c6d7e8", SecretString="test-secret-value",
        Tags=[{"Key": "initial-tag", "Value": "initial-value"}]))
    snap.secret(created, 0)
    arn = created["ARN"]
    snap.match("delete_secret", sm.delete_secret(SecretId=arn))
    with snap.error("tag_deleted_secret_error"):
        sm.tag_resource(SecretId=arn, Tags=[{"Key": "new-tag", "Value": "new-value"}])
    with snap.error("untag_deleted_secret_error"):
        sm.untag_resource(SecretId=arn, TagKeys=["initial-tag"])


@scenario("test_resource_policy")
def _policy(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-9f8e7d6c"
    snap.secret(sm.create_secret(Name=name, SecretString="my_secret", Description="testing creation of secrets"), 0)
    snap.match("put_resource_policy", sm.put_resource_policy(SecretId=name, ResourcePolicy=json.dumps(POLICY)))
    got = snap.match("get_resource_policy", sm.get_resource_policy(SecretId=name))
    assert json.loads(got["ResourcePolicy"]) == POLICY
    assert sm.delete_resource_policy(SecretId=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    why = "spec 5.17/5.18 and 9 Q14: PolicyName is in today's model; the 2024 recording predates it"
    snap.spec_deviation("put_resource_policy", "PolicyName", "default", why)
    snap.spec_deviation("get_resource_policy", "PolicyName", "default", why)


# -- versions and staging labels ----------------------------------------------------------------

@scenario("test_put_secret_value_with_version_stages")
def _put_with_stages(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-5a6b7c8d"
    snap.secret(snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="secret_string_v0")), 0)
    snap.match("get_secret_value_res_0", sm.get_secret_value(SecretId=name))
    stages = ["SAMPLESTAGE1", "SAMPLESTAGE0"]
    for i, labels in ((1, stages), (2, stages), (3, ["AWSPENDING"]), (4, None)):
        kwargs: dict[str, Any] = {"SecretId": name, "SecretString": f"secret_string_v{i}",
                                  "ClientRequestToken": str(uuid.uuid4())}
        if labels is not None:
            kwargs["VersionStages"] = labels
        snap.match(f"put_secret_value_res_{i}", sm.put_secret_value(**kwargs))
        snap.match(f"get_secret_value_res_{i}", sm.get_secret_value(SecretId=name))
    snap.match("delete_secret_res_1", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


def _versions(sm: Any, name: str) -> Any:
    return sm.list_secret_version_ids(SecretId=name)


def _move_current(sm: Any, name: str, src: str, dst: str) -> Any:
    return sm.update_secret_version_stage(
        SecretId=name, RemoveFromVersionId=src, MoveToVersionId=dst, VersionStage="AWSCURRENT")


@scenario("test_update_secret_version_stages_return_type")
def _stage_return_type(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-1a2b3c4d"
    created = snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="Something1"))
    snap.secret(created, 0)
    put = snap.match("put_secret_value_res_0", sm.put_secret_value(
        SecretId=name, SecretString="Something2", VersionStages=["AWSPENDING"]))
    assert put["VersionId"] != created["VersionId"]
    snap.match("update_secret_version_stage_res_0",
               _move_current(sm, name, created["VersionId"], put["VersionId"]))
    snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_update_secret_version_stages_current_previous")
def _current_previous(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-2a3b4c5d"
    snap.secret(snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="secret_string_v0")), 0)
    snap.match("list_secret_version_ids_res_0", _versions(sm, name))
    snap.match("update_secret_res_0", sm.update_secret(SecretId=name, SecretString="secret_string_v1"))
    snap.match("list_secret_version_ids_res_1", _versions(sm, name))
    snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_update_secret_version_stages_current_pending")
def _current_pending(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-3a4b5c6d"
    created = snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="Something1"))
    snap.secret(created, 0)
    put = snap.match("put_secret_value_res_0", sm.put_secret_value(
        SecretId=name, SecretString="Something2", VersionStages=["AWSPENDING"]))
    snap.match("list_secret_version_ids_res_0", _versions(sm, name))
    snap.match("update_secret_version_stage_res_0",
               _move_current(sm, name, created["VersionId"], put["VersionId"]))
    snap.match("list_secret_version_ids_res_1", _versions(sm, name))
    snap.match("put_secret_value_res_1", sm.put_secret_value(SecretId=name, SecretString="SS3"))
    snap.match("list_secret_version_ids_res_2", _versions(sm, name))
    snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_update_secret_version_stages_current_pending_cycle")
def _pending_cycle(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-4a5b6c7d"
    created = snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="S1"))
    snap.secret(created, 0)
    put1 = snap.match("put_secret_value_res_0", sm.put_secret_value(
        SecretId=name, SecretString="S2", VersionStages=["AWSPENDING"]))
    snap.match("list_secret_version_ids_res_0", _versions(sm, name))
    snap.match("get_secret_value_res_0", sm.get_secret_value(SecretId=name))
    snap.match("update_secret_version_stage_res_0",
               _move_current(sm, name, created["VersionId"], put1["VersionId"]))
    snap.match("list_secret_version_ids_res_1", _versions(sm, name))
    snap.match("get_secret_value_res_1", sm.get_secret_value(SecretId=name))
    put2 = snap.match("put_secret_value_res_1", sm.put_secret_value(
        SecretId=name, SecretString="S3", VersionStages=["AWSPENDING"]))
    snap.match("list_secret_version_ids_res_2", _versions(sm, name))
    snap.match("get_secret_value_res_2", sm.get_secret_value(SecretId=name))
    # (The recorded test stored this UpdateSecretVersionStage under a "put_..." key.)
    snap.match("put_secret_value_res_2", _move_current(sm, name, put1["VersionId"], put2["VersionId"]))
    snap.match("list_secret_version_ids_res_3", _versions(sm, name))
    snap.match("get_secret_value_res_3", sm.get_secret_value(SecretId=name))
    snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_update_secret_version_stages_current_pending_cycle_custom_stages_1")
def _custom_stages_1(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-5a6b7c8e"
    created = snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="S1"))
    snap.secret(created, 0)
    put1 = snap.match("put_secret_value_res_0", sm.put_secret_value(
        SecretId=name, SecretString="S2", VersionStages=["AWSSOMETHING", "AWSPENDING", "PUT1"]))
    snap.match("list_secret_version_ids_res_0", _versions(sm, name))
    snap.match("get_secret_value_res_0", sm.get_secret_value(SecretId=name))
    snap.match("update_secret_version_stage_res_0",
               _move_current(sm, name, created["VersionId"], put1["VersionId"]))
    snap.match("list_secret_version_ids_res_1", _versions(sm, name))
    snap.match("get_secret_value_res_1", sm.get_secret_value(SecretId=name))
    put2 = snap.match("put_secret_value_res_1", sm.put_secret_value(
        SecretId=name, SecretString="S3", VersionStages=["AWSPENDING", "PUT2"]))
    snap.match("list_secret_version_ids_res_2", _versions(sm, name))
    snap.match("get_secret_value_res_2", sm.get_secret_value(SecretId=name))
    snap.match("update_secret_version_stage_res_1",
               _move_current(sm, name, put1["VersionId"], put2["VersionId"]))
    snap.match("list_secret_version_ids_res_3", _versions(sm, name))
    snap.match("get_secret_value_res_3", sm.get_secret_value(SecretId=name))
    snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_update_secret_version_stages_current_pending_cycle_custom_stages_2")
def _custom_stages_2(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-6a7b8c9e"
    snap.secret(snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="SS")), 0)
    put0 = snap.match("put_secret_value_res_0", sm.put_secret_value(
        SecretId=name, SecretString="S1", VersionStages=["AWSCURRENT", "PUT0"]))
    snap.match("list_secret_version_ids_res_0", _versions(sm, name))
    put1 = snap.match("put_secret_value_res_1", sm.put_secret_value(
        SecretId=name, SecretString="S2", VersionStages=["AWSPENDING", "PUT1"]))
    snap.match("list_secret_version_ids_res_1", _versions(sm, name))
    snap.match("get_secret_value_res_0", sm.get_secret_value(SecretId=name))
    snap.match("update_secret_version_stage_res_0",
               _move_current(sm, name, put0["VersionId"], put1["VersionId"]))
    snap.match("list_secret_version_ids_res_2", _versions(sm, name))
    snap.match("get_secret_value_res_1", sm.get_secret_value(SecretId=name))
    put2 = snap.match("put_secret_value_res_2", sm.put_secret_value(
        SecretId=name, SecretString="S3", VersionStages=["AWSPENDING", "PUT2"]))
    snap.match("list_secret_version_ids_res_3", _versions(sm, name))
    snap.match("get_secret_value_res_2", sm.get_secret_value(SecretId=name))
    snap.match("update_secret_version_stage_res_1",
               _move_current(sm, name, put1["VersionId"], put2["VersionId"]))
    snap.match("list_secret_version_ids_res_4", _versions(sm, name))
    snap.match("get_secret_value_res_3", sm.get_secret_value(SecretId=name))
    snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


@scenario("test_update_secret_version_stages_current_pending_cycle_custom_stages_3")
def _custom_stages_3(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-7a8b9c0d"
    created = snap.match("create_secret_rs", sm.create_secret(Name=name, SecretString="SS"))
    snap.secret(created, 0)
    v1 = created["VersionId"]
    v2 = snap.match("put_secret_value_res_0", sm.put_secret_value(
        SecretId=name, SecretString="S1", VersionStages=["PENDING"]))["VersionId"]
    assert len(snap.match("list_secret_version_ids_rs", _versions(sm, name))["Versions"]) == 2
    snap.match("get_secret_value_v1_rs", sm.get_secret_value(SecretId=name, VersionId=v1))
    snap.match("get_secret_value_v2_rs", sm.get_secret_value(SecretId=name, VersionId=v2))
    snap.match("update_secret_version_stage_res_1", _move_current(sm, name, v1, v2))
    snap.match("get_secret_value_v1_rs_1", sm.get_secret_value(SecretId=name, VersionId=v1))
    snap.match("get_secret_value_v2_rs_1", sm.get_secret_value(SecretId=name, VersionId=v2))
    snap.match("update_secret_version_stage_res_2", sm.update_secret_version_stage(
        SecretId=name, RemoveFromVersionId=v2, VersionStage="PENDING"))
    snap.match("get_secret_value_v1_rs_2", sm.get_secret_value(SecretId=name, VersionId=v1))
    snap.match("get_secret_value_v2_rs_2", sm.get_secret_value(SecretId=name, VersionId=v2))
    snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))


def _custom_labels(second: list[str]) -> Scenario:
    def run(snap: Replay, handle: Any, sm: Any, param: str) -> None:
        name = "s-8a9b0c1d"
        snap.secret(snap.match("create_secret_rs_0", sm.create_secret(Name=name, SecretString="S0")), 0)
        snap.match("put_secret_value_res_0", sm.put_secret_value(
            SecretId=name, SecretString="S1", VersionStages=["one", "two", "three"]))
        snap.match("list_secret_version_ids_res_0", _versions(sm, name))
        snap.match("put_secret_value_res_1", sm.put_secret_value(
            SecretId=name, SecretString="S2", VersionStages=second))
        snap.match("list_secret_version_ids_res_1", _versions(sm, name))
        snap.match("delete_secret_res_0", sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True))
    return run


SCENARIOS["test_non_versioning_version_stages_replacement"] = _custom_labels(["one", "two", "three", "four"])
SCENARIOS["test_non_versioning_version_stages_no_replacement"] = _custom_labels(["one", "two", "four"])


@scenario("test_deprecated_secret_version_stage")
def _deprecated(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-9a0b1c2d"
    snap.secret(snap.match("create_secret", sm.create_secret(
        Name=name, SecretString="original", Description="My secret")), 0)
    snap.match("list_secret_version_ids", _versions(sm, name))
    snap.match("put_secret_value_1", sm.put_secret_value(SecretId=name, SecretString="update1"))
    snap.match("list_secret_version_ids_1", _versions(sm, name))
    snap.match("put_secret_value_2", sm.put_secret_value(SecretId=name, SecretString="update2"))
    snap.match("list_secret_version_ids_2", _versions(sm, name))
    snap.match("list_secret_version_ids_3", sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True))
    snap.match("put_secret_value_3", sm.put_secret_value(SecretId=name, SecretString="update3"))
    snap.match("list_secret_version_ids_4", _versions(sm, name))
    snap.match("list_secret_version_ids_5", sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True))


# -- rotation -------------------------------------------------------------------------------------

def template_rotation(event: dict[str, Any], context: Any) -> None:
    """The four steps of AWS's rotation template, as the recorded Lambda ran them: check the
    version's labels, then create (read AWSCURRENT, look for the pending value, store a new
    one, and create a marker secret as the recorded function did), and finish (move
    AWSCURRENT). setSecret and testSecret have nothing to do."""
    sm = boto3.client("secretsmanager", region_name=event["SecretId"].split(":")[3])
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    metadata = sm.describe_secret(SecretId=arn)
    if not metadata["RotationEnabled"]:
        raise ValueError("rotation is not enabled")
    stages = metadata["VersionIdsToStages"]
    if token not in stages:
        raise ValueError("the token names no version")
    if "AWSCURRENT" in stages[token]:
        return
    if "AWSPENDING" not in stages[token]:
        raise ValueError("the version is not pending")
    if step == "createSecret":
        sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except sm.exceptions.ResourceNotFoundException:
            marker = f"ResourceNotFoundException_{token}"
            sm.create_secret(Name=marker, SecretString=marker)
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                SecretString=f"rotated_{token}", VersionStages=["AWSPENDING"])
    elif step == "finishSecret":
        current = next((v for v, labels in sm.describe_secret(SecretId=arn)["VersionIdsToStages"].items()
                        if "AWSCURRENT" in labels), None)
        if current == token:
            return
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                       MoveToVersionId=token, RemoveFromVersionId=current)


def _rotation_secret(snap: Replay, handle: Any, sm: Any, name: str) -> str:
    created = sm.create_secret(Name=name, SecretString="my_secret", Description="testing rotation of secrets")
    snap.secret(created, 0)
    handle.register_rotation_function(snap.lambda_arn(ROTATOR), template_rotation)
    return str(created["VersionId"])


def _stages_of(sm: Any, name: str) -> dict[str, list[str]]:
    return dict(sm.describe_secret(SecretId=name)["VersionIdsToStages"])


@scenario("test_rotate_secret_with_lambda_success")
def _rotate_once(snap: Replay, handle: Any, sm: Any, immediately: str) -> None:
    name = "s-0b1c2d3e"
    initial = _rotation_secret(snap, handle, sm, name)
    config: dict[str, Any] = {"RotationRules": {"AutomaticallyAfterDays": 1},
                              "RotationLambdaARN": snap.lambda_arn(ROTATOR)}
    if immediately == "True":
        config["RotateImmediately"] = True
    rotated = snap.match("rotate_secret_immediately", sm.rotate_secret(SecretId=name, **config))
    described = snap.match("describe_secret_rotated", sm.describe_secret(SecretId=name))
    snap.match("list_secret_versions_rotated_1", sm.list_secret_version_ids(SecretId=name))
    assert described["VersionIdsToStages"][initial] == ["AWSPREVIOUS"]
    assert described["VersionIdsToStages"][rotated["VersionId"]] == ["AWSCURRENT"]


@scenario("test_rotate_secret_multiple_times_with_lambda_success")
def _rotate_twice(snap: Replay, handle: Any, sm: Any, param: str) -> None:
    name = "s-1b2c3d4e"
    previous = _rotation_secret(snap, handle, sm, name)
    runs: list[dict[str, Any]] = [
        {"RotationRules": {"AutomaticallyAfterDays": 1}, "RotateImmediately": True,
         "RotationLambdaARN": snap.lambda_arn(ROTATOR)},
        {},
    ]
    for index, config in enumerate(runs, start=1):
        rotated = snap.match(f"rotate_secret_immediately_{index}", sm.rotate_secret(SecretId=name, **config))
        described = snap.match(f"describe_secret_rotated_{index}", sm.describe_secret(SecretId=name))
        snap.match(f"list_secret_versions_rotated_1_{index}", sm.list_secret_version_ids(SecretId=name))
        assert described["VersionIdsToStages"][previous] == ["AWSPREVIOUS"]
        assert described["VersionIdsToStages"][rotated["VersionId"]] == ["AWSCURRENT"]
        previous = sm.get_secret_value(SecretId=name)["VersionId"]


def _rotate_refused(key: str, function: str | None) -> Scenario:
    def run(snap: Replay, handle: Any, sm: Any, param: str) -> None:
        name = "s-2b3c4d5f"
        created = snap.match("create_secret", sm.create_secret(Name=name, SecretString="init"))
        snap.secret(created, 0)
        config: dict[str, Any] = {"SecretId": name, "RotationRules": {"AutomaticallyAfterDays": 1}}
        if function:
            config["RotationLambdaARN"] = snap.lambda_arn(function)
        with snap.error(key):
            sm.rotate_secret(**config)
        described = snap.match("describe_secret", sm.describe_secret(SecretId=name))
        for absent in ("RotationEnabled", "RotationRules", "RotationLambdaARN"):
            assert absent not in described
    return run


SCENARIOS["test_rotate_secret_invalid_lambda_arn"] = _rotate_refused(
    "rotate_secret_invalid_arn_exc", "rotate_secret_invalid_lambda_arn")
SCENARIOS["test_first_rotate_secret_with_missing_lambda_arn"] = _rotate_refused(
    "rotate_secret_no_arn_exc", None)


# -- AWS-validated tests without a snapshot ---------------------------------------------------------
# The same suite marks these tests as validated against AWS but records no responses: their
# assertions are the evidence. Replayed here with the assertions they make.

@pytest.fixture
def sm() -> Any:
    with mock_secretsmanager(account_id=ACCOUNT):
        yield boto3.client("secretsmanager", region_name=REGION)


def test_validated_secret_exists(sm: Any) -> None:
    name = "s-ab12cd34"
    description = "Testing secret already exists."
    created = sm.create_secret(Name=name, SecretString=f"my_secret_{name}", Description=description)
    assert len(created["ARN"].rpartition("-")[-1]) == 6
    listed = {s["Name"]: s["ARN"] for s in _list_all(sm)["SecretList"] if s["Name"] == name}
    assert listed == {name: created["ARN"]}
    with pytest.raises(sm.exceptions.ResourceExistsException) as caught:
        sm.create_secret(Name=name, SecretString=f"my_secret_{name}", Description=description)
    error = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Message"] == f"The operation failed because the secret {name} already exists."


def test_validated_force_delete_of_missing_secret_succeeds(sm: Any) -> None:
    response = sm.delete_secret(SecretId="s-cd34ef56", ForceDeleteWithoutRecovery=True)
    assert response["Name"] == "s-cd34ef56"
    assert response["ARN"] is not None
    assert response["DeletionDate"] is not None


def test_validated_last_accessed_date(sm: Any) -> None:
    sm.create_secret(Name="s-ef56ab78", SecretString="MySecretValue")
    assert "LastAccessedDate" not in sm.describe_secret(SecretId="s-ef56ab78")
    sm.get_secret_value(SecretId="s-ef56ab78")
    first = sm.describe_secret(SecretId="s-ef56ab78")["LastAccessedDate"]
    sm.get_secret_value(SecretId="s-ef56ab78")
    assert sm.describe_secret(SecretId="s-ef56ab78")["LastAccessedDate"] == first


def test_validated_last_changed_date(sm: Any) -> None:
    name = "s-0a9b8c7d"
    sm.create_secret(Name=name, SecretString="MySecretValue")
    created = sm.describe_secret(SecretId=name)["LastChangedDate"]
    assert abs(sm.get_secret_value(SecretId=name)["CreatedDate"].timestamp() - created.timestamp()) < 1
    assert sm.describe_secret(SecretId=name)["LastChangedDate"] == created
    sm.update_secret(SecretId=name, SecretString="MyNewSecretValue")
    changed = sm.describe_secret(SecretId=name)["LastChangedDate"]
    assert changed > created
    sm.update_secret(SecretId=name, SecretString="MyNewSecretValue")
    assert sm.describe_secret(SecretId=name)["LastChangedDate"] > changed


def test_validated_random_password_excludes(sm: Any) -> None:
    password = sm.get_random_password(PasswordLength=120, ExcludeCharacters="xyzDje@?!.")["RandomPassword"]
    assert len(password) == 120
    assert not set(password) & set("xyzDje@?!.")


def test_validated_list_secrets_filtering(sm: Any) -> None:
    one, two, three, four = "testing1/one-52817", "/testing2/two-52817", "testing3/three-52817", "/testing4/four-52817"
    for name, description in ((one, "a secret"), (two, "an secret"), (three, "asecret"), (four, "thesecret")):
        sm.create_secret(Name=name, SecretString="secret", Description=description)
    everyone = {one, two, three, four}
    cases: list[tuple[list[dict[str, Any]], set[str]]] = [
        ([{"Key": "name", "Values": ["/"]}], {two, four}),
        ([{"Key": "name", "Values": ["!/"]}], {one, three}),
        ([{"Key": "name", "Values": ["testing1 one"]}], set()),
        ([{"Key": "description", "Values": ["a"]}], {one, two, three}),
        ([{"Key": "description", "Values": ["!a"]}], {four}),
        ([{"Key": "description", "Values": ["a secret"]}], {one, two}),
        ([{"Key": "description", "Values": ["a"]}, {"Key": "name", "Values": ["secret"]}], set()),
        ([{"Key": "description", "Values": ["a"]}, {"Key": "name", "Values": ["an"]}], set()),
        ([{"Key": "description", "Values": ["!c"]}], everyone),
    ]
    for filters, expected in cases:
        names = {s["Name"] for s in sm.list_secrets(Filters=filters)["SecretList"]}
        assert names & everyone == expected, filters


SECOND_ACCOUNT = "222222222222"
DEFAULT_KEY_CROSS_ACCOUNT = ("You can't access a secret from a different AWS account if you encrypt the "
                             "secret with the default KMS service key.")


def _client_of(account: str, service: str = "secretsmanager") -> Any:
    """A client whose 12-digit access key id makes mocksm treat it as ``account``."""
    return boto3.client(service, region_name=REGION, aws_access_key_id=account,
                        aws_secret_access_key="not-checked")


def test_validated_cross_account_access_with_default_key(sm: Any) -> None:
    other = _client_of(SECOND_ACCOUNT)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SECOND_ACCOUNT}:root"},
        "Action": ["secretsmanager:*"], "Resource": "*"}]}
    arn = sm.create_secret(Name="test-secret-1a2b3c", SecretString="secret")["ARN"]
    sm.put_resource_policy(SecretId=arn, ResourcePolicy=json.dumps(policy))
    assert other.describe_secret(SecretId=arn)["ARN"] == arn
    for call in (lambda: other.get_secret_value(SecretId=arn),
                 lambda: other.put_secret_value(SecretId=arn, SecretString="new-secret")):
        with pytest.raises(other.exceptions.InvalidRequestException) as caught:
            call()
        assert caught.value.response["Error"]["Message"] == DEFAULT_KEY_CROSS_ACCOUNT
    policy["Statement"][0]["Sid"] = "AllowCrossAccount"  # type: ignore[index]
    other.put_resource_policy(SecretId=arn, ResourcePolicy=json.dumps(policy))
    got = json.loads(other.get_resource_policy(SecretId=arn)["ResourcePolicy"])
    assert got["Statement"][0]["Sid"] == "AllowCrossAccount"
    assert len(other.list_secret_version_ids(SecretId=arn)["Versions"]) == 1
    assert other.list_secrets()["SecretList"] == []
    other.tag_resource(SecretId=arn, Tags=[{"Key": "tag1", "Value": "value1"}])
    assert sm.describe_secret(SecretId=arn)["Tags"] == [{"Key": "tag1", "Value": "value1"}]
    other.untag_resource(SecretId=arn, TagKeys=["tag1"])
    assert sm.describe_secret(SecretId=arn)["Tags"] == []
    other.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    with pytest.raises(sm.exceptions.ResourceNotFoundException):
        sm.describe_secret(SecretId=arn)


def test_validated_cross_account_access_with_customer_key(sm: Any) -> None:
    other = _client_of(SECOND_ACCOUNT)
    kms = boto3.client("kms", region_name=REGION)
    key_policy = json.dumps({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "Allow use of the key", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{SECOND_ACCOUNT}:root"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
         "Resource": "*"}]})
    key_arn = kms.create_key(Description="test-key", Policy=key_policy)["KeyMetadata"]["Arn"]
    arn = sm.create_secret(Name="test-secret-4d5e6f", SecretString="secret", KmsKeyId=key_arn)["ARN"]
    sm.put_resource_policy(SecretId=arn, ResourcePolicy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{SECOND_ACCOUNT}:root"},
        "Action": ["secretsmanager:*"], "Resource": "*"}]}))
    assert other.get_secret_value(SecretId=arn)["SecretString"] == "secret"
    other.put_secret_value(SecretId=arn, SecretString="new-secret")
    assert other.get_secret_value(SecretId=arn)["SecretString"] == "new-secret"
    other.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=False, RecoveryWindowInDays=7)
    assert sm.describe_secret(SecretId=arn).get("DeletedDate") is not None
    other.restore_secret(SecretId=arn)
    assert sm.describe_secret(SecretId=arn).get("DeletedDate") is None
