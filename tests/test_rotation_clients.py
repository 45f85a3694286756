"""Real client code across a rotation: aws-secretsmanager-caching, and the example
single-user rotation function in examples/."""

from __future__ import annotations

import importlib.util
import json
import logging
import sys
from pathlib import Path
from typing import Any

import freezegun
import pytest
from aws_secretsmanager_caching import SecretCache, SecretCacheConfig

FN = "arn:aws:lambda:us-east-1:123456789012:function:rotator"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "rotation_function.py"


def test_secret_cache_reads_across_a_scheduled_rotation(mocksm: Any) -> None:
    mocksm.register_rotation_function(FN, "builtin")
    with freezegun.freeze_time("2026-06-01T09:00:00Z") as frozen:
        client = mocksm.client()
        client.create_secret(Name="db", SecretString=json.dumps({"password": "p0"}))
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                             RotationRules={"AutomaticallyAfterDays": 30},
                             RotateImmediately=False)
        cache = SecretCache(SecretCacheConfig(secret_refresh_interval=3600), client=client)
        assert json.loads(cache.get_secret_string("db")) == {"password": "p0"}

        frozen.tick(60)  # within the cache's refresh interval: no call reaches the mock
        assert json.loads(cache.get_secret_string("db")) == {"password": "p0"}
        assert [a.trigger for a in mocksm.rotation_log("db")] == ["RotateSecret"]

        # 30 days on, the rotation is due and the cache's entry has expired: its
        # DescribeSecret runs the due rotation first, then it reads the new version by id.
        frozen.tick(30 * 86400)
        rotated = json.loads(cache.get_secret_string("db"))["password"]
        assert rotated != "p0"
        assert rotated == json.loads(client.get_secret_value(SecretId="db")["SecretString"])[
            "password"]
        current = client.describe_secret(SecretId="db")["VersionIdsToStages"]
        assert [a.trigger for a in mocksm.rotation_log("db")] == ["RotateSecret", "schedule"]
        assert sorted(current.values()) == [["AWSCURRENT"], ["AWSPREVIOUS"]]
        assert json.loads(cache.get_secret_string("db", "AWSPREVIOUS")) == {"password": "p0"}


def test_secret_cache_refresh_now_after_explicit_rotation(mocksm: Any) -> None:
    mocksm.register_rotation_function(FN, "builtin")
    client = mocksm.client()
    client.create_secret(Name="token", SecretString="t0")
    cache = SecretCache(client=client)
    assert cache.get_secret_string("token") == "t0"
    client.rotate_secret(SecretId="token", RotationLambdaARN=FN)
    assert cache.get_secret_string("token") == "t0"  # cached
    cache.refresh_secret_now("token")
    new = cache.get_secret_string("token")
    assert new != "t0"
    assert new == client.get_secret_value(SecretId="token")["SecretString"]


def _load_example() -> Any:
    spec = importlib.util.spec_from_file_location("rotation_function_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_example_rotation_function(mocksm: Any) -> None:
    example = _load_example()
    mocksm.register_rotation_function(FN, example.lambda_handler)
    client = mocksm.client()
    original = {"engine": "postgres", "username": "app", "password": "initial-password"}
    client.create_secret(Name="app/db", SecretString=json.dumps(original))
    version = client.rotate_secret(SecretId="app/db", RotationLambdaARN=FN,
                                   RotationRules={"AutomaticallyAfterDays": 30})["VersionId"]
    current = client.get_secret_value(SecretId="app/db")
    assert current["VersionId"] == version
    rotated = json.loads(current["SecretString"])
    assert rotated["username"] == "app" and rotated["password"] != "initial-password"
    assert mocksm.rotation_log("app/db")[0].succeeded
    # The example's fake database learned the new password in setSecret.
    assert example.FAKE_DATABASE["app"] == rotated["password"]


def test_example_runs_as_a_script() -> None:
    import subprocess

    result = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "rotated" in result.stdout


# --- rotation functions shaped like AWS's published templates -------------------------------
# Written here from the documented contract of the templates (check the staging of the
# token, createSecret/setSecret/testSecret/finishSecret, a client bound to
# SECRETS_MANAGER_ENDPOINT), not copied from them.

TEMPLATE_FN = "arn:aws:lambda:us-east-1:123456789012:function:template-rotation"
ENDPOINT = "https://secretsmanager.us-east-1.amazonaws.com"


class TemplateRotation:
    """A single-secret rotation function: a random password from GetRandomPassword,
    promoted by two UpdateSecretVersionStage calls as the newest template does."""

    def __init__(self) -> None:
        self.service: dict[str, str] = {}  # what the protected service accepts
        self.set_secret_works = True
        self.puts = 0

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        import os

        import boto3

        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        sm = boto3.client("secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"])
        metadata = sm.describe_secret(SecretId=arn)
        if not metadata["RotationEnabled"]:
            raise ValueError(f"rotation is off for {arn}")
        stages = metadata["VersionIdsToStages"].get(token)
        if stages is None:
            raise ValueError(f"{token} is not a version of {arn}")
        if "AWSCURRENT" in stages:
            return
        if "AWSPENDING" not in stages:
            raise ValueError(f"{token} is not pending")
        getattr(self, step)(sm, arn, token)

    def createSecret(self, sm: Any, arn: str, token: str) -> None:  # the step names
        import os

        sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except sm.exceptions.ResourceNotFoundException:
            excluded = os.environ.get("EXCLUDE_CHARACTERS", "/@\"'\\")
            password = sm.get_random_password(ExcludeCharacters=excluded)["RandomPassword"]
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=password,
                                VersionStages=["AWSPENDING"])
            self.puts += 1

    def setSecret(self, sm: Any, arn: str, token: str) -> None:
        if not self.set_secret_works:
            raise NotImplementedError  # the template as published, before it is filled in
        pending = sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        self.service["password"] = pending["SecretString"]

    def testSecret(self, sm: Any, arn: str, token: str) -> None:
        pending = sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        if self.service.get("password") != pending["SecretString"]:
            raise RuntimeError("the service refused the pending password")

    def finishSecret(self, sm: Any, arn: str, token: str) -> None:
        versions = sm.describe_secret(SecretId=arn)["VersionIdsToStages"]
        current = next(v for v, labels in versions.items() if "AWSCURRENT" in labels)
        if current == token:
            return
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                       MoveToVersionId=token, RemoveFromVersionId=current)
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSPENDING",
                                       RemoveFromVersionId=token)


def test_template_rotation_with_endpoint_and_excluded_characters(
        mocksm: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("SECRETS_MANAGER_ENDPOINT", ENDPOINT)
    monkeypatch.setenv("EXCLUDE_CHARACTERS", "abcdefghijklmnopqrstuvwxy012345678")
    rotation = TemplateRotation()
    mocksm.register_rotation_function(TEMPLATE_FN, rotation)
    client = mocksm.client()
    first = client.create_secret(Name="tpl/api", SecretString="initial")["VersionId"]
    token = client.rotate_secret(SecretId="tpl/api", RotationLambdaARN=TEMPLATE_FN,
                                 RotationRules={"AutomaticallyAfterDays": 30})["VersionId"]
    [attempt] = mocksm.rotation_log("tpl/api")
    assert attempt.succeeded, attempt.error
    current = client.get_secret_value(SecretId="tpl/api")
    assert current["VersionId"] == token and current["VersionStages"] == ["AWSCURRENT"]
    password = current["SecretString"]
    assert len(password) == 32 and not set(password) & set("abcdefghijklmnopqrstuvwxy012345678")
    assert rotation.service["password"] == password
    assert client.describe_secret(SecretId="tpl/api")["VersionIdsToStages"] == {
        first: ["AWSPREVIOUS"], token: ["AWSCURRENT"]}


def test_template_rotation_failure_then_resume_with_the_same_token(
        mocksm: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("SECRETS_MANAGER_ENDPOINT", ENDPOINT)
    rotation = TemplateRotation()
    rotation.set_secret_works = False
    mocksm.register_rotation_function(TEMPLATE_FN, rotation)
    client = mocksm.client()
    first = client.create_secret(Name="tpl/db", SecretString="initial")["VersionId"]
    token = client.rotate_secret(SecretId="tpl/db", RotationLambdaARN=TEMPLATE_FN)["VersionId"]
    [attempt] = mocksm.rotation_log("tpl/db")
    assert (attempt.outcome, attempt.failed_step) == ("failed", "setSecret")
    assert isinstance(attempt.error, NotImplementedError)
    described = client.describe_secret(SecretId="tpl/db")
    assert described["VersionIdsToStages"] == {first: ["AWSCURRENT"], token: ["AWSPENDING"]}
    assert "LastRotatedDate" not in described
    with pytest.raises(client.exceptions.InvalidRequestException) as caught:
        client.rotate_secret(SecretId="tpl/db")
    assert caught.value.response["Error"]["Message"] == (
        "A previous rotation isn't complete. That rotation will be reattempted.")

    rotation.set_secret_works = True
    again = client.rotate_secret(SecretId="tpl/db", ClientRequestToken=token)
    assert again["VersionId"] == token
    assert mocksm.rotation_log("tpl/db")[-1].succeeded
    assert rotation.puts == 1  # createSecret found the pending value it stored the first time
    assert client.get_secret_value(SecretId="tpl/db")["VersionId"] == token
    assert "LastRotatedDate" in client.describe_secret(SecretId="tpl/db")


def test_template_test_only_rotation(mocksm: Any, monkeypatch: Any) -> None:
    """RotateImmediately=false: only testSecret runs, on a temporary pending copy that the
    template's staging checks accept; nothing is left behind."""
    monkeypatch.setenv("SECRETS_MANAGER_ENDPOINT", ENDPOINT)
    rotation = TemplateRotation()
    rotation.service["password"] = "known-good"
    mocksm.register_rotation_function(TEMPLATE_FN, rotation)
    client = mocksm.client()
    first = client.create_secret(Name="tpl/check", SecretString="known-good")["VersionId"]
    client.rotate_secret(SecretId="tpl/check", RotationLambdaARN=TEMPLATE_FN,
                         RotateImmediately=False)
    [attempt] = mocksm.rotation_log("tpl/check")
    assert (attempt.kind, attempt.steps, attempt.outcome) == ("test", ["testSecret"], "succeeded")
    described = client.describe_secret(SecretId="tpl/check")
    assert described["VersionIdsToStages"] == {first: ["AWSCURRENT"]}
    assert described["RotationEnabled"] is True and rotation.puts == 0


MULTI_FN = "arn:aws:lambda:us-east-1:123456789012:function:alternating-users"


def _alternate(username: str) -> str:
    return username[: -len("_clone")] if username.endswith("_clone") else f"{username}_clone"


def test_alternating_users_rotation_reads_the_master_secret(mocksm: Any,
                                                            monkeypatch: Any) -> None:
    """The alternating-users scheme: each rotation switches between ``app`` and
    ``app_clone``, setting the password with credentials from the secret ``masterarn``
    names (read by its full ARN during setSecret)."""
    import boto3

    monkeypatch.setenv("SECRETS_MANAGER_ENDPOINT", ENDPOINT)
    users = {"admin": "admin-pw", "app": "app-pw"}

    def document(sm: Any, arn: str, stage: str, token: str | None = None) -> dict[str, Any]:
        extra = {"VersionId": token} if token else {}
        value: dict[str, Any] = json.loads(
            sm.get_secret_value(SecretId=arn, VersionStage=stage, **extra)["SecretString"])
        return value

    def handler(event: dict[str, Any], context: Any) -> None:
        import os

        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        sm = boto3.client("secretsmanager", endpoint_url=os.environ["SECRETS_MANAGER_ENDPOINT"])
        stages = sm.describe_secret(SecretId=arn)["VersionIdsToStages"][token]
        if "AWSCURRENT" in stages:
            return
        current = document(sm, arn, "AWSCURRENT")
        if step == "createSecret":
            try:
                document(sm, arn, "AWSPENDING", token)
            except sm.exceptions.ResourceNotFoundException:
                current["username"] = _alternate(current["username"])
                current["password"] = sm.get_random_password(
                    PasswordLength=24, ExcludePunctuation=True)["RandomPassword"]
                sm.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                    SecretString=json.dumps(current), VersionStages=["AWSPENDING"])
        elif step == "setSecret":
            pending = document(sm, arn, "AWSPENDING", token)
            master = document(sm, current["masterarn"], "AWSCURRENT")
            assert users[master["username"]] == master["password"]
            users[pending["username"]] = pending["password"]
        elif step == "testSecret":
            pending = document(sm, arn, "AWSPENDING", token)
            assert users[pending["username"]] == pending["password"]
        elif step == "finishSecret":
            versions = sm.describe_secret(SecretId=arn)["VersionIdsToStages"]
            old = next(v for v, labels in versions.items() if "AWSCURRENT" in labels)
            sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                           MoveToVersionId=token, RemoveFromVersionId=old)

    mocksm.register_rotation_function(MULTI_FN, handler)
    client = mocksm.client()
    master = client.create_secret(Name="db/master", SecretString=json.dumps(
        {"engine": "postgres", "host": "db", "username": "admin", "password": "admin-pw"}))
    client.create_secret(Name="db/app", SecretString=json.dumps(
        {"engine": "postgres", "host": "db", "username": "app", "password": "app-pw",
         "masterarn": master["ARN"]}))
    seen = []
    for _ in range(3):
        client.rotate_secret(SecretId="db/app", RotationLambdaARN=MULTI_FN)
        attempt = mocksm.rotation_log("db/app")[-1]
        assert attempt.succeeded, attempt.error
        value = json.loads(client.get_secret_value(SecretId="db/app")["SecretString"])
        assert users[value["username"]] == value["password"]
        seen.append(value["username"])
    assert seen == ["app_clone", "app", "app_clone"]
    previous = json.loads(client.get_secret_value(SecretId="db/app",
                                                  VersionStage="AWSPREVIOUS")["SecretString"])
    assert previous["username"] == "app"  # the other user's credentials stay usable


def test_powertools_decorated_rotation_function(mocksm: Any) -> None:
    """A handler written with Powertools (typed event, Lambda context in its logs) runs
    with the event and context mocksm passes."""
    pytest.importorskip("aws_lambda_powertools")
    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.utilities.data_classes import SecretsManagerEvent, event_source

    logged: list[dict[str, Any]] = []
    logger = Logger(service="rotation", logger_handler=_ListHandler(logged))

    @logger.inject_lambda_context
    @event_source(data_class=SecretsManagerEvent)
    def handler(event: Any, context: Any) -> None:
        logger.info("step", step=event.step, version=event.version_id)
        builtin_rotation(event.raw_event, context)

    from mocksm.rotation import builtin_rotation

    mocksm.register_rotation_function("pt-rotator", handler)
    client = mocksm.client()
    client.create_secret(Name="pt/rotated", SecretString="p0")
    token = client.rotate_secret(SecretId="pt/rotated", RotationLambdaARN="pt-rotator")["VersionId"]
    assert mocksm.rotation_log("pt/rotated")[0].succeeded
    assert [entry["step"] for entry in logged] == [
        "createSecret", "setSecret", "testSecret", "finishSecret"]
    first = logged[0]
    assert first["version"] == token
    assert first["function_name"] == "pt-rotator"
    assert first["function_arn"] == "arn:aws:lambda:us-east-1:123456789012:function:pt-rotator"
    assert first["function_memory_size"] == 128 and first["function_request_id"]


class _ListHandler(logging.Handler):
    """Collects Powertools' JSON log lines as dicts."""

    def __init__(self, into: list[dict[str, Any]]) -> None:
        super().__init__()
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(json.loads(self.format(record)))
