"""Real client code across a rotation: aws-secretsmanager-caching, and the example
single-user rotation function in examples/."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import freezegun
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
