"""RotateSecret with in-process rotation functions: the four steps, failures, resume,
RotateImmediately=false, CancelRotateSecret, and the preconditions in AWS's order."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import boto3
import pytest

from mocksm.rotation import RotationAttempt
from tests.helpers import aws_error

FN = "arn:aws:lambda:us-east-1:123456789012:function:template-rotator"

NO_LAMBDA = "No Lambda rotation function ARN is associated with this secret."
INCOMPLETE = "A previous rotation isn't complete. That rotation will be reattempted."
NOT_INVOCABLE = (
    "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
    "policy grants access to the principal secretsmanager.amazonaws.com."
)


class StepFailed(Exception):
    pass


class TemplateRotator:
    """A rotation function written as AWS's template is, calling back through boto3.

    ``fail_at`` makes that step raise; ``seen`` records what each step observed."""

    def __init__(self, fail_at: str | None = None, finish: bool = True) -> None:
        self.fail_at = fail_at
        self.finish = finish
        self.events: list[dict[str, Any]] = []
        self.contexts: list[Any] = []
        self.seen: dict[str, Any] = {}

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        self.events.append(dict(event))
        self.contexts.append(context)
        client = boto3.client("secretsmanager")
        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        metadata = client.describe_secret(SecretId=arn)
        if not metadata["RotationEnabled"]:
            raise ValueError("rotation not enabled")
        versions = metadata["VersionIdsToStages"]
        if token not in versions:
            raise ValueError("no stage for version")
        if "AWSCURRENT" in versions[token]:
            return
        if "AWSPENDING" not in versions[token]:
            raise ValueError("not pending")
        if step == self.fail_at:
            raise StepFailed(step)
        if step == "createSecret":
            client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
            try:
                client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
            except client.exceptions.ResourceNotFoundException as exc:
                self.seen["pending_lookup"] = exc.response["Error"]["Message"]
                self.seen["stages_in_create"] = versions[token]
                client.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                        SecretString=f"rotated-{token}",
                                        VersionStages=["AWSPENDING"],
                                        RotationToken=event["RotationToken"])
        elif step == "testSecret":
            pending = client.get_secret_value(SecretId=arn, VersionId=token,
                                              VersionStage="AWSPENDING")
            self.seen["tested_value"] = pending["SecretString"]
        elif step == "finishSecret" and self.finish:
            current = next(v for v, s in versions.items() if "AWSCURRENT" in s)
            client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                               MoveToVersionId=token,
                                               RemoveFromVersionId=current)


@pytest.fixture
def client(mocksm: Any) -> Any:
    return mocksm.client()


def _labels(client: Any, secret_id: str) -> dict[str, list[str]]:
    return dict(client.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {}))


def test_full_template_rotation(mocksm: Any, client: Any) -> None:
    rotator = TemplateRotator()
    mocksm.register_rotation_function(FN, rotator)
    created = client.create_secret(Name="db", SecretString="initial")
    v1 = created["VersionId"]
    token = str(uuid.uuid4())
    response = client.rotate_secret(SecretId="db", RotationLambdaARN=FN, ClientRequestToken=token,
                                    RotationRules={"AutomaticallyAfterDays": 1})
    assert {k: response[k] for k in ("ARN", "Name", "VersionId")} == {
        "ARN": created["ARN"], "Name": "db", "VersionId": token}
    assert [e["Step"] for e in rotator.events] == [
        "createSecret", "setSecret", "testSecret", "finishSecret"]
    for event in rotator.events:
        assert set(event) == {"Step", "SecretId", "ClientRequestToken", "RotationToken"}
        assert event["SecretId"] == created["ARN"]
        assert event["ClientRequestToken"] == token
    assert len({e["RotationToken"] for e in rotator.events}) == 1
    context = rotator.contexts[0]
    assert context.function_name == "template-rotator"
    assert context.invoked_function_arn == FN
    assert uuid.UUID(context.aws_request_id)
    # Inside createSecret the placeholder was AWSPENDING and had no value.
    assert rotator.seen["stages_in_create"] == ["AWSPENDING"]
    assert rotator.seen["pending_lookup"] == (
        f"Secrets Manager can't find the specified secret value for VersionId: {token}")
    assert rotator.seen["tested_value"] == f"rotated-{token}"
    # Recorded AWS end state.
    assert _labels(client, "db") == {v1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    described = client.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is True
    assert described["RotationLambdaARN"] == FN
    assert described["RotationRules"] == {"AutomaticallyAfterDays": 1}
    assert "LastRotatedDate" in described and "NextRotationDate" in described
    assert client.get_secret_value(SecretId="db")["SecretString"] == f"rotated-{token}"
    [attempt] = mocksm.rotation_log("db")
    assert isinstance(attempt, RotationAttempt)
    assert attempt.outcome == "succeeded" and attempt.succeeded
    assert attempt.steps == ["createSecret", "setSecret", "testSecret", "finishSecret"]
    assert attempt.version_id == token and attempt.error is None
    assert "rotated" not in repr(attempt)


def test_second_rotation_reuses_stored_function(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator())
    client.create_secret(Name="db", SecretString="initial")
    first = client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                                 RotationRules={"AutomaticallyAfterDays": 1})["VersionId"]
    second = client.rotate_secret(SecretId="db")["VersionId"]
    labels = _labels(client, "db")
    assert labels == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT"]}
    assert client.describe_secret(SecretId="db")["RotationLambdaARN"] == FN
    assert [a.outcome for a in mocksm.rotation_log("db")] == ["succeeded", "succeeded"]


def test_rotation_changes_last_changed_and_last_rotated(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator())
    mocksm.clock.freeze("2026-01-10T12:00:00Z")
    client.create_secret(Name="db", SecretString="initial")
    mocksm.clock.advance(hours=1)
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                         RotationRules={"AutomaticallyAfterDays": 30})
    described = client.describe_secret(SecretId="db")
    rotated_at = mocksm.clock.now_datetime()
    assert described["LastRotatedDate"] == rotated_at
    assert described["LastChangedDate"] >= rotated_at
    assert described["NextRotationDate"].isoformat() == "2026-02-09T23:59:59+00:00"


@pytest.mark.parametrize("step", ["createSecret", "setSecret", "testSecret", "finishSecret"])
def test_failure_at_each_step(mocksm: Any, client: Any, step: str) -> None:
    rotator = TemplateRotator(fail_at=step)
    mocksm.register_rotation_function(FN, rotator)
    v1 = client.create_secret(Name="db", SecretString="initial")["VersionId"]
    token = str(uuid.uuid4())
    response = client.rotate_secret(SecretId="db", RotationLambdaARN=FN, ClientRequestToken=token,
                                     RotationRules={"AutomaticallyAfterDays": 7})
    assert response["VersionId"] == token  # rotation is asynchronous on AWS: no error here
    steps = ["createSecret", "setSecret", "testSecret", "finishSecret"]
    assert [e["Step"] for e in rotator.events] == steps[: steps.index(step) + 1]
    assert client.get_secret_value(SecretId="db")["SecretString"] == "initial"
    labels = _labels(client, "db")
    assert labels[v1] == ["AWSCURRENT"] and labels[token] == ["AWSPENDING"]
    described = client.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is True
    assert "LastRotatedDate" not in described
    [attempt] = mocksm.rotation_log(described["ARN"])
    assert attempt.outcome == "failed" and attempt.failed_step == step
    assert isinstance(attempt.error, StepFailed)
    # The pending version blocks a rotation with another token...
    with aws_error("InvalidRequestException", INCOMPLETE):
        client.rotate_secret(SecretId="db")
    # ...until the same token resumes it.
    rotator.fail_at = None
    client.rotate_secret(SecretId="db", ClientRequestToken=token)
    assert _labels(client, "db") == {v1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    assert [a.outcome for a in mocksm.rotation_log("db")] == ["failed", "succeeded"]


def test_unfinished_rotation_is_incomplete(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator(finish=False))
    v1 = client.create_secret(Name="db", SecretString="initial")["VersionId"]
    token = client.rotate_secret(SecretId="db", RotationLambdaARN=FN)["VersionId"]
    assert _labels(client, "db") == {v1: ["AWSCURRENT"], token: ["AWSPENDING"]}
    [attempt] = mocksm.rotation_log("db")
    assert attempt.outcome == "incomplete" and attempt.error is None
    assert "LastRotatedDate" not in client.describe_secret(SecretId="db")
    with aws_error("InvalidRequestException", INCOMPLETE):
        client.rotate_secret(SecretId="db")


def test_pending_left_on_current_does_not_block(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator())
    v1 = client.create_secret(Name="db", SecretString="a")["VersionId"]
    v2 = str(uuid.uuid4())
    client.put_secret_value(SecretId="db", SecretString="b", ClientRequestToken=v2,
                            VersionStages=["AWSCURRENT", "AWSPENDING"])
    assert _labels(client, "db") == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT", "AWSPENDING"]}
    token = client.rotate_secret(SecretId="db", RotationLambdaARN=FN)["VersionId"]
    # v1 lost AWSPREVIOUS (deprecated); v2 gave up AWSPENDING to the placeholder.
    assert _labels(client, "db") == {v2: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}


def test_rotate_without_function(client: Any) -> None:
    client.create_secret(Name="db", SecretString="x")
    with aws_error("InvalidRequestException", NO_LAMBDA):
        client.rotate_secret(SecretId="db")


def test_unregistered_function_is_access_denied_and_saves_nothing(client: Any) -> None:
    client.create_secret(Name="db", SecretString="x")
    before = client.describe_secret(SecretId="db")
    with aws_error("AccessDeniedException", NOT_INVOCABLE):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                             RotationRules={"AutomaticallyAfterDays": 1})
    after = client.describe_secret(SecretId="db")
    for key in ("RotationEnabled", "RotationRules", "RotationLambdaARN", "NextRotationDate"):
        assert key not in after
    assert after["VersionIdsToStages"] == before["VersionIdsToStages"]
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_function_registered_by_name_serves_any_arn_with_that_name(mocksm: Any,
                                                                     client: Any) -> None:
    rotator = TemplateRotator()
    mocksm.register_rotation_function("template-rotator", rotator)
    client.create_secret(Name="db", SecretString="x")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    assert rotator.contexts[0].invoked_function_arn == FN
    mocksm.reset()  # registrations survive a reset
    client.create_secret(Name="db2", SecretString="x")
    client.rotate_secret(SecretId="db2", RotationLambdaARN="template-rotator")
    assert rotator.contexts[-1].invoked_function_arn == (
        "arn:aws:lambda:us-east-1:123456789012:function:template-rotator")
    assert mocksm.rotation_log("db") == []


def test_missing_secret_and_deleted_secret(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator())
    with aws_error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."):
        client.rotate_secret(SecretId="nope", RotationLambdaARN=FN)
    with aws_error("ValidationException"):
        client.rotate_secret(SecretId="bad name", RotationLambdaARN=FN)


def test_token_of_existing_version_is_rejected(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator())
    created = client.create_secret(Name="db", SecretString="x")
    token = created["VersionId"]
    with aws_error("ResourceExistsException",
                   f"You can't use ClientRequestToken {token} because that value is already in "
                   f"use for a version of secret {created['ARN']}."):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN, ClientRequestToken=token)
    assert "RotationEnabled" not in client.describe_secret(SecretId="db")


def test_raw_rotate_without_token_is_invalid_parameter(mocksm: Any) -> None:
    raw = mocksm.raw_request("secretsmanager.RotateSecret", {"SecretId": "never-created"})
    assert raw.status == 400
    assert raw.json() == {
        "__type": "InvalidParameterException",
        "Message": "You must provide a ClientRequestToken value. We recommend a UUID-type value.",
    }


def test_rotate_immediately_false_runs_only_test_secret(mocksm: Any, client: Any) -> None:
    rotator = TemplateRotator()
    seen: dict[str, Any] = {}

    def handler(event: dict[str, Any], context: Any) -> None:
        sm = boto3.client("secretsmanager")
        pending = sm.get_secret_value(SecretId=event["SecretId"], VersionStage="AWSPENDING")
        seen["pending"] = (pending["VersionId"], pending["SecretString"])
        rotator(event, context)

    mocksm.register_rotation_function(FN, handler)
    v1 = client.create_secret(Name="db", SecretString="initial")["VersionId"]
    response = client.rotate_secret(SecretId="db", RotationLambdaARN=FN, RotateImmediately=False,
                                    RotationRules={"ScheduleExpression": "rate(10 days)"})
    temp = response["VersionId"]
    assert [e["Step"] for e in rotator.events] == ["testSecret"]
    assert seen["pending"] == (temp, "initial")  # a copy of AWSCURRENT, labelled AWSPENDING
    assert _labels(client, "db") == {v1: ["AWSCURRENT"]}  # the temporary version is gone
    described = client.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is True
    assert described["RotationRules"] == {"ScheduleExpression": "rate(10 days)"}
    assert "NextRotationDate" in described and "LastRotatedDate" not in described
    [attempt] = mocksm.rotation_log("db")
    assert attempt.kind == "test" and attempt.steps == ["testSecret"]
    assert attempt.outcome == "succeeded"
    versions = client.list_secret_version_ids(SecretId="db", IncludeDeprecated=True)["Versions"]
    assert [v["VersionId"] for v in versions] == [v1]


def test_cancel_rotation(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator(fail_at="setSecret"))
    arn = client.create_secret(Name="db", SecretString="x")["ARN"]
    token = client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                                 RotationRules={"AutomaticallyAfterDays": 5})["VersionId"]
    before = client.describe_secret(SecretId="db")["LastChangedDate"]
    response = client.cancel_rotate_secret(SecretId="db")
    assert {k: response[k] for k in ("ARN", "Name", "VersionId")} == {
        "ARN": arn, "Name": "db", "VersionId": token}
    described = client.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is False
    assert described["RotationLambdaARN"] == FN
    assert described["RotationRules"] == {"AutomaticallyAfterDays": 5}
    assert "NextRotationDate" not in described and "LastRotatedDate" not in described
    assert described["LastChangedDate"] > before
    assert "AWSPENDING" in described["VersionIdsToStages"][token]  # not rolled back


def test_cancel_hides_last_rotated_date_and_rotate_reenables(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator())
    client.create_secret(Name="db", SecretString="x")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                         RotationRules={"AutomaticallyAfterDays": 5})
    response = client.cancel_rotate_secret(SecretId="db")
    assert "VersionId" not in response
    assert "LastRotatedDate" not in client.describe_secret(SecretId="db")
    client.rotate_secret(SecretId="db")
    described = client.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is True and "LastRotatedDate" in described


def test_cancel_never_rotated_secret_changes_nothing(client: Any) -> None:
    client.create_secret(Name="db", SecretString="x")
    before = client.describe_secret(SecretId="db")
    response = client.cancel_rotate_secret(SecretId="db")
    assert set(response) - {"ResponseMetadata"} == {"ARN", "Name"}
    after = client.describe_secret(SecretId="db")
    assert "RotationEnabled" not in after
    assert after["LastChangedDate"] == before["LastChangedDate"]


def test_cancel_missing_secret(client: Any) -> None:
    with aws_error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."):
        client.cancel_rotate_secret(SecretId="nope")


def test_handler_may_call_back_from_another_thread(mocksm: Any, client: Any) -> None:
    """Rotation functions run outside the state lock: a worker thread can call the mock."""
    inner = TemplateRotator()

    def threaded(event: dict[str, Any], context: Any) -> None:
        errors: list[BaseException] = []

        def work() -> None:
            try:
                inner(event, context)
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        worker = threading.Thread(target=work)
        worker.start()
        worker.join(timeout=30)
        assert not worker.is_alive(), "the rotation function deadlocked"
        if errors:
            raise errors[0]

    mocksm.register_rotation_function(FN, threaded)
    v1 = client.create_secret(Name="db", SecretString="x")["VersionId"]
    token = client.rotate_secret(SecretId="db", RotationLambdaARN=FN)["VersionId"]
    assert _labels(client, "db") == {v1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}


def test_lambda_environment_is_set_during_the_call(mocksm: Any, client: Any) -> None:
    import os

    seen: list[tuple[str | None, str | None]] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        seen.append((os.environ.get("AWS_REGION"), os.environ.get("AWS_LAMBDA_FUNCTION_NAME")))
        raise RuntimeError("stop")

    mocksm.register_rotation_function(FN, handler)
    client.create_secret(Name="db", SecretString="x")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    assert seen == [("us-east-1", "template-rotator")]
    assert "AWS_LAMBDA_FUNCTION_NAME" not in os.environ


def test_builtin_rotation_json_password(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function("rotator", "builtin")
    document = {"username": "app", "password": "old", "host": "db.internal"}
    client.create_secret(Name="db", SecretString=json.dumps(document))
    client.rotate_secret(SecretId="db", RotationLambdaARN="rotator")
    new = json.loads(client.get_secret_value(SecretId="db")["SecretString"])
    assert new["username"] == "app" and new["host"] == "db.internal"
    assert new["password"] != "old" and len(new["password"]) == 32
    previous = client.get_secret_value(SecretId="db", VersionStage="AWSPREVIOUS")
    assert json.loads(previous["SecretString"]) == document


def test_builtin_rotation_plain_and_binary(mocksm: Any, client: Any) -> None:
    from mocksm.rotation import builtin_rotation

    mocksm.register_rotation_function("rotator", builtin_rotation)
    client.create_secret(Name="plain", SecretString="hunter2")
    client.create_secret(Name="bin", SecretBinary=b"\x00\x01")
    client.rotate_secret(SecretId="plain", RotationLambdaARN="rotator")
    client.rotate_secret(SecretId="bin", RotationLambdaARN="rotator")
    plain = client.get_secret_value(SecretId="plain")["SecretString"]
    assert plain != "hunter2" and len(plain) == 32
    binary = client.get_secret_value(SecretId="bin")["SecretBinary"]
    assert binary != b"\x00\x01" and len(binary) == 32
    assert all(a.succeeded for a in mocksm.rotation_log("plain") + mocksm.rotation_log("bin"))


def test_register_rejects_bad_handlers(mocksm: Any) -> None:
    from mocksm.errors import MocksmError

    with pytest.raises(MocksmError):
        mocksm.register_rotation_function(FN, "no-such-builtin")
    with pytest.raises(MocksmError):
        mocksm.register_rotation_function(FN, 42)


@pytest.mark.mocksm(unregistered_rotation_lambda="simulate")
def test_simulated_rotation(mocksm: Any, client: Any) -> None:
    v1 = client.create_secret(Name="db", SecretString=json.dumps({"password": "p"}))["VersionId"]
    token = client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                                 RotationRules={"AutomaticallyAfterDays": 2})["VersionId"]
    assert _labels(client, "db") == {v1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    value = json.loads(client.get_secret_value(SecretId="db")["SecretString"])
    assert value["password"] != "p"
    [attempt] = mocksm.rotation_log("db")
    assert attempt.simulated and attempt.succeeded


@pytest.mark.mocksm(rotation_functions={FN: "builtin"})
def test_marker_registers_rotation_functions(mocksm: Any, client: Any) -> None:
    client.create_secret(Name="db", SecretString="x")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    assert client.get_secret_value(SecretId="db")["SecretString"] != "x"


def _secret(mocksm: Any, name: str) -> Any:
    return mocksm._state.backend(mocksm.account_id, mocksm.region).by_name[name]


def test_managed_secret_rotates_without_a_function(mocksm: Any, client: Any) -> None:
    v1 = mocksm.create_managed_secret("rds", "managed-db", SecretString='{"password": "p"}')["VersionId"]
    with aws_error("InvalidParameterException",
                   "You can't specify a Lambda function ARN for a secret that uses managed "
                   "rotation."):
        client.rotate_secret(SecretId="managed-db", RotationLambdaARN=FN)
    token = client.rotate_secret(SecretId="managed-db",
                                 RotationRules={"AutomaticallyAfterDays": 7})["VersionId"]
    assert _labels(client, "managed-db") == {v1: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}
    described = client.describe_secret(SecretId="managed-db")
    assert described["RotationEnabled"] is True and "RotationLambdaARN" not in described
    [attempt] = mocksm.rotation_log("managed-db")
    assert attempt.simulated and attempt.function is None and attempt.succeeded


def test_rotate_and_cancel_on_secret_scheduled_for_deletion(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator())
    client.create_secret(Name="db", SecretString="x")
    _secret(mocksm, "db").deletion_date = mocksm.clock.now() + 7 * 86400
    message = "You can't perform this operation on the secret because it was marked for deletion."
    with aws_error("InvalidRequestException", message):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    with aws_error("InvalidRequestException", message):
        client.cancel_rotate_secret(SecretId="db")


def test_due_rotation_waits_while_secret_is_scheduled_for_deletion(mocksm: Any,
                                                                   client: Any) -> None:
    mocksm.register_rotation_function(FN, "builtin")
    client.create_secret(Name="db", SecretString="x")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN, RotateImmediately=False,
                         RotationRules={"AutomaticallyAfterDays": 1})
    secret = _secret(mocksm, "db")
    secret.deletion_date = mocksm.clock.now() + 30 * 86400  # as DeleteSecret does
    mocksm.clock.advance(days=2)
    assert mocksm.run_due_rotations() == []
    assert mocksm._state.rotation_parked == [secret]
    secret.deletion_date = None  # as RestoreSecret does
    [attempt] = mocksm.run_due_rotations()
    assert attempt.succeeded and mocksm._state.rotation_parked == []
    assert client.get_secret_value(SecretId="db")["SecretString"] != "x"


def test_rotation_of_secret_removed_mid_rotation(mocksm: Any, client: Any) -> None:
    def vanish(event: dict[str, Any], context: Any) -> None:
        if event["Step"] == "createSecret":
            store = mocksm._state.backend(mocksm.account_id, mocksm.region)
            store.remove(store.by_arn[event["SecretId"]])  # as a forced DeleteSecret does

    mocksm.register_rotation_function(FN, vanish)
    client.create_secret(Name="db", SecretString="x")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    [attempt] = mocksm.rotation_log("db")
    assert attempt.outcome == "incomplete"


@pytest.mark.mocksm(version_retention="count_only")
def test_many_rotations_keep_the_schedule_index_small(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, "builtin")
    client.create_secret(Name="db", SecretString="x")
    for _ in range(150):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                             RotationRules={"AutomaticallyAfterDays": 1})
    assert len(mocksm._state.rotation_heap) < 256
    assert len(mocksm.rotation_log("db")) == 150


def test_external_rotation_metadata_is_stored_and_echoed(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, "builtin")
    client.create_secret(Name="db", SecretString="x")
    metadata = [{"Key": "partner", "Value": "acme"}, {"Key": "tier", "Value": "gold"}]
    role = "arn:aws:iam::123456789012:role/rotation-role"
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                         ExternalSecretRotationMetadata=metadata,
                         ExternalSecretRotationRoleArn=role)
    described = client.describe_secret(SecretId="db")
    assert described["ExternalSecretRotationMetadata"] == metadata
    assert described["ExternalSecretRotationRoleArn"] == role
    assert "RotationRules" not in described and "NextRotationDate" not in described


def test_base_exceptions_from_a_function_propagate(mocksm: Any, client: Any) -> None:
    """Only Exceptions are a failed rotation; KeyboardInterrupt and friends stop the test."""

    def interrupted(event: dict[str, Any], context: Any) -> None:
        raise KeyboardInterrupt

    mocksm.register_rotation_function(FN, interrupted)
    client.create_secret(Name="db", SecretString="x")
    with pytest.raises(KeyboardInterrupt):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    assert client.describe_secret(SecretId="db")["Name"] == "db"  # the lock was released


def test_rotation_of_a_replicated_secret_reaches_the_replica(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, "builtin")
    created = client.create_secret(Name="db", SecretString="x",
                                   AddReplicaRegions=[{"Region": "eu-west-1"}])
    west = mocksm.client(region="eu-west-1")
    replica_arn = created["ARN"].replace("us-east-1", "eu-west-1")
    with aws_error("InvalidParameterException",
                   "Operation not permitted on a replica secret. Call must be made in primary "
                   "secret's region."):
        west.rotate_secret(SecretId=replica_arn, RotationLambdaARN=FN)
    with aws_error("InvalidParameterException"):
        west.cancel_rotate_secret(SecretId=replica_arn)
    token = client.rotate_secret(SecretId="db", RotationLambdaARN=FN)["VersionId"]
    primary = client.get_secret_value(SecretId="db")
    replica = west.get_secret_value(SecretId=replica_arn)
    assert replica["VersionId"] == primary["VersionId"] == token
    assert replica["SecretString"] == primary["SecretString"] != "x"
    assert west.describe_secret(SecretId=replica_arn)["VersionIdsToStages"] == (
        client.describe_secret(SecretId="db")["VersionIdsToStages"])


def test_rotating_a_secret_without_a_value(mocksm: Any, client: Any) -> None:
    """The template's createSecret reads AWSCURRENT first: with no value, step one fails."""
    mocksm.register_rotation_function(FN, "builtin")
    client.create_secret(Name="empty")
    token = client.rotate_secret(SecretId="empty", RotationLambdaARN=FN)["VersionId"]
    assert _labels(client, "empty") == {token: ["AWSPENDING"]}
    [attempt] = mocksm.rotation_log("empty")
    assert (attempt.outcome, attempt.failed_step) == ("failed", "createSecret")
    assert attempt.error.response["Error"]["Code"] == "ResourceNotFoundException"
    assert client.list_secret_version_ids(SecretId="empty")["Versions"] == []


# -- an unfinished rotation that never stored a value --------------------------------------------
# terraform-provider-aws runs its acceptance tests against real AWS with a rotation function
# that does nothing ("Not a real rotation function"), on a secret without a value. The next
# RotateSecret is refused with "A previous rotation isn't complete" (issue #35023) unless
# CancelRotateSecret ran first (PR #41088, TestAccSecretsManagerSecretRotation_
# scheduleExpressionBasic) or a PutSecretValue wrote a value ("Write secret value to clear
# in-rotation state", TestAccSecretsManagerSecretRotation_scheduleExpressionToDays/Hours).


def _does_nothing(event: dict[str, Any], context: Any) -> None:
    return None


def test_cancel_unblocks_a_rotation_that_never_stored_a_value(mocksm: Any, client: Any) -> None:
    mocksm.register_rotation_function(FN, _does_nothing)
    client.create_secret(Name="db")
    first = client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                                 RotationRules={"ScheduleExpression": "rate(10 days)"})["VersionId"]
    with aws_error("InvalidRequestException", INCOMPLETE):
        client.rotate_secret(SecretId="db", RotationRules={"ScheduleExpression": "rate(7 days)"})
    assert client.cancel_rotate_secret(SecretId="db")["VersionId"] == first
    assert _labels(client, "db") == {first: ["AWSPENDING"]}  # cancel rolls no label back
    assert client.cancel_rotate_secret(SecretId="db")["VersionId"] == first
    second = client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                                  RotationRules={"ScheduleExpression": "rate(7 days)"})["VersionId"]
    assert second != first
    assert _labels(client, "db") == {second: ["AWSPENDING"]}
    described = client.describe_secret(SecretId="db")
    assert described["RotationEnabled"] is True
    assert described["RotationRules"] == {"ScheduleExpression": "rate(7 days)"}
    # The first placeholder never held a value and holds no label now: it is gone.
    assert [v.version_id for v in mocksm.secret("db").versions] == [second]


def test_resuming_a_cancelled_placeholder_makes_it_block_again(mocksm: Any, client: Any) -> None:
    """RotateSecret with the cancelled placeholder's own token resumes that rotation: it is
    unfinished again, so a rotation under another token is refused until it completes."""
    mocksm.register_rotation_function(FN, _does_nothing)
    client.create_secret(Name="db")
    first = client.rotate_secret(SecretId="db", RotationLambdaARN=FN)["VersionId"]
    client.cancel_rotate_secret(SecretId="db")
    assert client.rotate_secret(SecretId="db", ClientRequestToken=first)["VersionId"] == first
    with aws_error("InvalidRequestException", INCOMPLETE):
        client.rotate_secret(SecretId="db")
    assert [a.version_id for a in mocksm.rotation_log("db")] == [first, first]


def test_cancel_unblocks_an_empty_placeholder_beside_a_current_value(mocksm: Any,
                                                                    client: Any) -> None:
    mocksm.register_rotation_function(FN, _does_nothing)
    v1 = client.create_secret(Name="db", SecretString="x")["VersionId"]
    first = client.rotate_secret(SecretId="db", RotationLambdaARN=FN)["VersionId"]
    client.cancel_rotate_secret(SecretId="db")
    second = client.rotate_secret(SecretId="db")["VersionId"]
    assert _labels(client, "db") == {v1: ["AWSCURRENT"], second: ["AWSPENDING"]}
    assert [a.version_id for a in mocksm.rotation_log("db")] == [first, second]


def test_cancel_leaves_a_partly_created_version_blocking(mocksm: Any, client: Any) -> None:
    """createSecret stored a value before setSecret failed: the API reference says to remove
    AWSPENDING from that version, or it can block future rotations."""
    rotator = TemplateRotator(fail_at="setSecret")
    mocksm.register_rotation_function(FN, rotator)
    client.create_secret(Name="db", SecretString="x")
    token = client.rotate_secret(SecretId="db", RotationLambdaARN=FN)["VersionId"]
    client.cancel_rotate_secret(SecretId="db")
    with aws_error("InvalidRequestException", INCOMPLETE):
        client.rotate_secret(SecretId="db")
    client.update_secret_version_stage(SecretId="db", VersionStage="AWSPENDING",
                                       RemoveFromVersionId=token)
    rotator.fail_at = None
    client.rotate_secret(SecretId="db")
    assert mocksm.rotation_log("db")[-1].succeeded


@pytest.mark.parametrize("write", ["put_secret_value", "update_secret"])
def test_a_written_value_unblocks_a_rotation_that_never_stored_one(mocksm: Any, client: Any,
                                                                   write: str) -> None:
    mocksm.register_rotation_function(FN, _does_nothing)
    client.create_secret(Name="db")
    first = client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                                 RotationRules={"ScheduleExpression": "rate(6 hours)"})["VersionId"]
    written = getattr(client, write)(SecretId="db", SecretString="secret-value")["VersionId"]
    assert _labels(client, "db") == {first: ["AWSPENDING"], written: ["AWSCURRENT"]}
    second = client.rotate_secret(SecretId="db",
                                  RotationRules={"ScheduleExpression": "rate(10 hours)"})["VersionId"]
    assert _labels(client, "db") == {written: ["AWSCURRENT"], second: ["AWSPENDING"]}
    assert client.describe_secret(SecretId="db")["RotationEnabled"] is True


def test_a_written_value_leaves_a_partly_created_version_blocking(mocksm: Any,
                                                                 client: Any) -> None:
    mocksm.register_rotation_function(FN, TemplateRotator(fail_at="testSecret"))
    client.create_secret(Name="db", SecretString="x")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    client.put_secret_value(SecretId="db", SecretString="y")
    with aws_error("InvalidRequestException", INCOMPLETE):
        client.rotate_secret(SecretId="db")


def test_a_scheduled_rotation_after_a_write_starts_afresh(mocksm: Any, client: Any) -> None:
    calls: list[str] = []

    def recording(event: dict[str, Any], context: Any) -> None:
        calls.append(event["ClientRequestToken"])

    mocksm.register_rotation_function(FN, recording)
    mocksm.clock.freeze("2026-03-10T10:00:00Z")
    client.create_secret(Name="db")
    first = client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                                 RotationRules={"AutomaticallyAfterDays": 1})["VersionId"]
    client.put_secret_value(SecretId="db", SecretString="v")
    mocksm.clock.advance(days=2)
    [attempt] = mocksm.run_due_rotations()
    assert attempt.version_id != first and calls[-1] == attempt.version_id


def test_managed_external_secret_rotates_without_a_function(mocksm: Any, client: Any) -> None:
    """terraform-provider-aws TestAccSecretsManagerSecretRotation_externalRotation (real AWS):
    a SalesforceClientSecret without a value, RotateSecret with a rotation role, metadata and
    rules but no Lambda ARN, is accepted and turns rotation on."""
    arn = client.create_secret(Name="sf", Type="SalesforceClientSecret")["ARN"]
    role = "arn:aws:iam::123456789012:role/external-rotation"
    metadata = [{"Key": "adminSecretArn", "Value": arn}, {"Key": "apiVersion", "Value": "v65.0"}]
    token = client.rotate_secret(SecretId="sf", ExternalSecretRotationRoleArn=role,
                                 ExternalSecretRotationMetadata=metadata,
                                 RotationRules={"AutomaticallyAfterDays": 30})["VersionId"]
    described = client.describe_secret(SecretId="sf")
    assert described["RotationEnabled"] is True and "RotationLambdaARN" not in described
    assert described["ExternalSecretRotationMetadata"] == metadata
    assert described["ExternalSecretRotationRoleArn"] == role
    assert described["RotationRules"] == {"AutomaticallyAfterDays": 30}
    [attempt] = mocksm.rotation_log("sf")
    assert attempt.function is None and attempt.simulated and attempt.version_id == token
    client.rotate_secret(SecretId="sf")  # the stored role still stands in for a function
    assert len(mocksm.rotation_log("sf")) == 2
