"""What README.md, docs/rotation.md and the public docstrings promise, checked where no
other test already holds the claim. The README's code blocks run as written."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pytest

import mocksm
from mocksm import MockHandle, MockNotStartedError, UnmockedServiceError, mock_secretsmanager
from mocksm.rotation import builtin_rotation
from tests.helpers import aws_error

README = Path(__file__).resolve().parent.parent / "README.md"
FN = "arn:aws:lambda:us-east-1:123456789012:function:rotator"


def _readme_block(containing: str) -> str:
    """The README's one ```python block containing ``containing``."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    [block] = [b for b in blocks if containing in b]
    return block


@pytest.fixture
def handle() -> Iterator[Any]:
    with mock_secretsmanager() as active:
        yield active


@pytest.fixture
def client(handle: Any) -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1")


# -- README code blocks ---------------------------------------------------------------------

def test_readme_example_test_passes() -> None:
    namespace: dict[str, Any] = {}
    exec(_readme_block("def test_rotation_keeps_previous"), namespace)
    namespace["test_rotation_keeps_previous"]()
    assert mocksm._mock.active_handle() is None


def test_readme_kms_block(handle: Any, client: Any) -> None:
    disable, enable = _readme_block("kms.create_key").split("handle.kms.enable_key")
    namespace: dict[str, Any] = {"boto3": boto3, "client": client, "handle": handle}
    exec(disable, namespace)
    with aws_error("DecryptionFailure"):
        client.get_secret_value(SecretId="prod/db")
    exec("handle.kms.enable_key" + enable, namespace)
    assert client.get_secret_value(SecretId="prod/db")["SecretString"] == "s3cret"
    versions = client.list_secret_version_ids(SecretId="prod/db")["Versions"]
    assert versions[0]["KmsKeyIds"] == [namespace["key"]]


def test_readme_rotation_block(handle: Any, client: Any) -> None:
    client.create_secret(Name="prod/db", SecretString=json.dumps({"user": "app", "password": "p0"}))
    namespace = {"handle": handle, "client": client, "lambda_handler": builtin_rotation}
    exec(_readme_block("register_rotation_function"), namespace)
    [first] = handle.rotation_log("prod/db")
    assert first.succeeded and first.trigger == "RotateSecret"
    rotated = client.get_secret_value(SecretId="prod/db")["SecretString"]  # runs the due one
    second = handle.rotation_log("prod/db")[-1]
    assert (second.trigger, second.outcome) == ("schedule", "succeeded")
    assert json.loads(rotated)["user"] == "app"
    assert client.get_secret_value(SecretId="prod/db")["VersionId"] == second.version_id


# -- README prose ---------------------------------------------------------------------------

def test_deleted_secret_is_gone_after_the_default_window(handle: Any, client: Any) -> None:
    old_arn = client.create_secret(Name="prod/db", SecretString="v")["ARN"]
    client.delete_secret(SecretId="prod/db")
    handle.clock.advance(days=31)
    with aws_error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."):
        client.describe_secret(SecretId=old_arn)
    new_arn = client.create_secret(Name="prod/db", SecretString="again")["ARN"]
    assert new_arn != old_arn


def test_region_option_is_the_clients_default_when_the_environment_has_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with mock_secretsmanager(region="eu-west-1") as active:
        created = boto3.client("secretsmanager").create_secret(Name="a", SecretString="v")
        assert ":eu-west-1:" in created["ARN"]
        assert [s.name for s in active.secrets()] == ["a"]


def test_region_option_applies_when_only_aws_region_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    # botocore ignores AWS_REGION: without the mock such a client has no Region at all.
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    with pytest.raises(botocore.exceptions.NoRegionError):
        boto3.client("secretsmanager")
    with mock_secretsmanager(region="eu-west-1"):
        client = boto3.client("secretsmanager")
        assert client.meta.region_name == "eu-west-1"
        assert ":eu-west-1:" in client.create_secret(Name="a")["ARN"]
    assert "AWS_DEFAULT_REGION" not in os.environ
    assert os.environ["AWS_REGION"] == "ap-south-1"


def test_an_environment_region_wins_for_clients_not_for_the_handle() -> None:
    # conftest sets AWS_DEFAULT_REGION=us-east-1, as a developer's shell might
    with mock_secretsmanager(region="eu-west-1") as active:
        assert boto3.client("secretsmanager").meta.region_name == "us-east-1"
        assert active.client().meta.region_name == "eu-west-1"
        active.client().create_secret(Name="west")
        assert [s.name for s in active.secrets()] == ["west"]


def test_passthrough_takes_one_service_name() -> None:
    closed_port = "http://127.0.0.1:9"
    no_retries = botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=1)
    with mock_secretsmanager(passthrough="s3"):
        s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=closed_port, config=no_retries)
        with pytest.raises(botocore.exceptions.EndpointConnectionError):
            s3.list_buckets()  # let through to the (closed) endpoint, not refused
        sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=closed_port)
        with pytest.raises(UnmockedServiceError):
            sqs.list_queues()


def test_clock_freeze_pins_time_even_under_freezegun(handle: Any, client: Any) -> None:
    freezegun = pytest.importorskip("freezegun")
    with freezegun.freeze_time("2030-01-01T00:00:00Z") as frozen:
        handle.clock.freeze()
        frozen.tick(3600)
        created = client.create_secret(Name="a", SecretString="v")
        described = client.describe_secret(SecretId=created["ARN"])
        assert described["CreatedDate"].isoformat() == "2030-01-01T00:00:00+00:00"
        handle.clock.unfreeze()
        frozen.tick(60)
        assert handle.clock.now_datetime().isoformat() == "2030-01-01T00:01:00+00:00"
        handle.clock.advance(days=1)
        handle.clock.reset()
        assert handle.clock.now_datetime().isoformat() == "2030-01-01T01:01:00+00:00"


def test_handle_reset_keeps_rotation_functions_and_drops_the_rest(handle: Any, client: Any) -> None:
    handle.register_rotation_function("rotator", "builtin")
    client.create_secret(Name="db", SecretString="v")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    handle.clock.advance(days=3)
    handle.kms.create_key(alias="alias/app")
    handle.reset()
    assert handle.secrets() == [] and handle.rotation_log("db") == []
    assert not any(k.aliases for k in handle.kms.list_keys())
    assert abs(handle.clock.now() - time.time()) < 60
    client.create_secret(Name="db", SecretString="v")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN)  # still registered
    assert handle.rotation_log("db")[-1].succeeded


def test_handle_current_and_secret_lookups() -> None:
    with pytest.raises(MockNotStartedError, match="no mock_secretsmanager is active"):
        MockHandle.current()
    with mock_secretsmanager() as active:
        assert MockHandle.current() is active
        created = active.client().create_secret(Name="a", SecretString="v")
        assert active.secret(created["ARN"]).name == "a"
        assert active.secret("a").version_with("AWSCURRENT") == created["VersionId"]
        assert active.secret("a").version_with("AWSPREVIOUS") is None
        with pytest.raises(KeyError):
            active.secret("missing")


def test_handle_kms_views_and_cancel(handle: Any, client: Any) -> None:
    key = handle.kms.create_key(description="app", alias="alias/app")
    assert handle.kms.describe_key("alias/app") == key
    assert handle.kms.default_key().aliases == ("alias/aws/secretsmanager",)
    assert {k.key_id for k in handle.kms.list_keys()} == {key.key_id, handle.kms.default_key().key_id}
    client.create_secret(Name="a", SecretString="v", KmsKeyId="alias/app")
    handle.kms.delete_key(key.arn, pending_window_in_days=7)
    with aws_error("DecryptionFailure"):
        client.get_secret_value(SecretId="a")
    handle.kms.cancel_key_deletion(key.arn)
    assert handle.kms.describe_key(key.arn).state == "Disabled"
    handle.kms.enable_key(key.arn)
    assert client.get_secret_value(SecretId="a")["SecretString"] == "v"
    with pytest.raises(mocksm.MocksmError):
        handle.kms.describe_key("alias/none")


# -- docs/rotation.md -------------------------------------------------------------------------

def test_builtin_rotation_replaces_json_without_password_whole(handle: Any, client: Any) -> None:
    handle.register_rotation_function("rotator", "builtin")
    client.create_secret(Name="db", SecretString=json.dumps({"apiKey": "k"}))
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    value = client.get_secret_value(SecretId="db")["SecretString"]
    assert len(value) == 32 and "apiKey" not in value


def test_rotation_log_attributes(handle: Any, client: Any) -> None:
    handle.register_rotation_function(FN, "builtin")
    client.create_secret(Name="db", SecretString="v")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN, RotateImmediately=False,
                         RotationRules={"AutomaticallyAfterDays": 1})
    [attempt] = handle.rotation_log("db")
    assert (attempt.kind, attempt.trigger, attempt.function, attempt.simulated) == (
        "test", "RotateSecret", FN, False)
    assert attempt.steps == ["testSecret"] and attempt.outcome == "succeeded"
    assert attempt.finished is not None and attempt.finished >= attempt.started


def test_moving_awscurrent_by_hand_restarts_the_schedule(handle: Any, client: Any) -> None:
    handle.register_rotation_function("rotator", "builtin")
    handle.clock.set("2030-01-01T12:00:00Z")
    client.create_secret(Name="db", SecretString="v1")
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN, RotateImmediately=False,
                         RotationRules={"AutomaticallyAfterDays": 10})
    assert client.describe_secret(SecretId="db")["NextRotationDate"].isoformat() == (
        "2030-01-11T23:59:59+00:00")
    handle.clock.advance(days=5)
    staged = client.put_secret_value(SecretId="db", SecretString="v2", VersionStages=["MINE"])
    assert client.describe_secret(SecretId="db")["NextRotationDate"].isoformat() == (
        "2030-01-11T23:59:59+00:00")  # a version that did not take AWSCURRENT: no change
    current = client.get_secret_value(SecretId="db")["VersionId"]
    client.update_secret_version_stage(SecretId="db", VersionStage="AWSCURRENT",
                                       MoveToVersionId=staged["VersionId"], RemoveFromVersionId=current)
    assert client.describe_secret(SecretId="db")["NextRotationDate"].isoformat() == (
        "2030-01-16T23:59:59+00:00")


def test_simulated_rotation_makes_values_by_the_builtin_rules() -> None:
    with mock_secretsmanager(unregistered_rotation_lambda="simulate") as active:
        client = active.client()
        client.create_secret(Name="db", SecretString=json.dumps({"user": "app", "password": "p"}))
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN)
        value = json.loads(client.get_secret_value(SecretId="db")["SecretString"])
        assert value["user"] == "app" and len(value["password"]) == 32
        [attempt] = active.rotation_log("db")
        assert attempt.simulated and attempt.function == FN and attempt.succeeded
