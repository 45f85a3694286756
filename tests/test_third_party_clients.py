"""Real third-party clients, unmodified, served by the mock."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from mocksm import mock_secretsmanager


def test_aws_cli_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    clidriver = pytest.importorskip("awscli.clidriver")
    with mock_secretsmanager():
        boto3.client("secretsmanager", region_name="us-east-1").create_secret(
            Name="cli/secret", SecretString="from-boto3"
        )
        driver: Any = clidriver.create_clidriver()
        code = driver.main(
            ["secretsmanager", "get-secret-value", "--secret-id", "cli/secret",
             "--region", "us-east-1", "--output", "json"]
        )
        assert code == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["SecretString"] == "from-boto3"
        assert shown["VersionStages"] == ["AWSCURRENT"]

        code = driver.main(
            ["secretsmanager", "describe-secret", "--secret-id", "cli/missing",
             "--region", "us-east-1"]
        )
        assert code == 255
        assert "ResourceNotFoundException" in capsys.readouterr().err


def test_powertools_parameters_get_secret() -> None:
    parameters = pytest.importorskip("aws_lambda_powertools.utilities.parameters")
    with mock_secretsmanager():
        boto3.client("secretsmanager", region_name="us-east-1").create_secret(
            Name="pt/secret", SecretString='{"user": "app"}'
        )
        provider = parameters.SecretsProvider()
        assert provider.get("pt/secret", transform="json") == {"user": "app"}
        assert provider.get("pt/secret", force_fetch=True) == '{"user": "app"}'


# --- aws-secretsmanager-caching -------------------------------------------------------------


def test_secret_cache_strings_binaries_and_stages() -> None:
    caching = pytest.importorskip("aws_secretsmanager_caching")
    freezegun = pytest.importorskip("freezegun")
    with freezegun.freeze_time("2026-03-01T12:00:00Z") as frozen, mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="cache/text", SecretString="t1")
        client.create_secret(Name="cache/blob", SecretBinary=b"\x00\xffraw")
        # Without a client it builds its own botocore client, here inside the mock.
        cache = caching.SecretCache(caching.SecretCacheConfig(secret_refresh_interval=60))
        assert cache.get_secret_string("cache/text") == "t1"
        assert cache.get_secret_binary("cache/blob") == b"\x00\xffraw"
        assert cache.get_secret_string("cache/blob") is None  # the other field is absent
        assert cache.get_secret_binary("cache/text") is None

        client.put_secret_value(SecretId="cache/text", SecretString="t2")
        client.put_secret_value(SecretId="cache/text", SecretString="staged",
                                VersionStages=["BLUE"])
        assert cache.get_secret_string("cache/text") == "t1"  # served from the cache
        frozen.tick(61)  # past the refresh interval: DescribeSecret again, then by version id
        assert cache.get_secret_string("cache/text") == "t2"
        assert cache.get_secret_string("cache/text", "AWSPREVIOUS") == "t1"
        assert cache.get_secret_string("cache/text", "BLUE") == "staged"
        assert cache.get_secret_string("cache/text", "NO-SUCH-STAGE") is None


def test_secret_cache_errors_are_the_services() -> None:
    caching = pytest.importorskip("aws_secretsmanager_caching")
    with mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        cache = caching.SecretCache(client=client)
        with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
            cache.get_secret_string("cache/missing")
        assert caught.value.operation_name == "DescribeSecret"
        client.create_secret(Name="cache/empty")  # no value, so no version and no stage
        assert cache.get_secret_string("cache/empty") is None


def test_secret_cache_injection_decorators() -> None:
    caching = pytest.importorskip("aws_secretsmanager_caching")
    with mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="cache/token", SecretString="tok-1")
        client.create_secret(Name="cache/db", SecretString=json.dumps(
            {"username": "app", "password": "pw", "port": 5432}))
        cache = caching.SecretCache(client=client)

        @caching.InjectSecretString("cache/token", cache)
        def call_api(token: str, path: str) -> str:
            return f"{path}?token={token}"

        @caching.InjectKeywordedSecretString("cache/db", cache, user="username", password="password")
        def connect(user: str, password: str, timeout: int = 5) -> tuple[str, str, int]:
            return user, password, timeout

        assert call_api("/v1") == "/v1?token=tok-1"
        assert connect(timeout=9) == ("app", "pw", 9)

        @caching.InjectKeywordedSecretString("cache/db", cache, host="host")
        def needs_host(host: str) -> str:
            return host

        with pytest.raises(RuntimeError, match="does not contain key host"):
            needs_host()


# --- AWS Lambda Powertools parameters -------------------------------------------------------


@pytest.fixture
def parameters() -> Any:
    module = pytest.importorskip("aws_lambda_powertools.utilities.parameters")
    module.clear_caches()  # Powertools keeps one cache per process, across mocks
    yield module
    module.clear_caches()


def test_powertools_get_secret_transforms(parameters: Any) -> None:
    import base64

    with mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="pt/config.json", SecretString='{"feature": true}')
        client.create_secret(Name="pt/key.binary", SecretString=base64.b64encode(b"\x01k").decode())
        client.create_secret(Name="pt/raw", SecretBinary=b"\x00raw")
        assert parameters.get_secret("pt/config.json", transform="json") == {"feature": True}
        assert parameters.get_secret("pt/key.binary", transform="binary") == b"\x01k"
        assert parameters.get_secret("pt/config.json", transform="auto") == {"feature": True}
        assert parameters.get_secret("pt/raw") == b"\x00raw"  # SecretBinary as bytes
        with pytest.raises(parameters.exceptions.GetParameterError,
                           match=r"\(ResourceNotFoundException\).*can't find the specified secret"):
            parameters.get_secret("pt/missing")


def test_powertools_max_age_and_force_fetch(parameters: Any) -> None:
    freezegun = pytest.importorskip("freezegun")
    with freezegun.freeze_time("2026-03-01T12:00:00Z") as frozen, mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="pt/rotating", SecretString="one")
        provider = parameters.SecretsProvider(boto3_client=client)
        assert provider.get("pt/rotating", max_age=60) == "one"
        client.put_secret_value(SecretId="pt/rotating", SecretString="two")
        frozen.tick(30)
        assert provider.get("pt/rotating", max_age=60) == "one"  # still fresh in its cache
        assert provider.get("pt/rotating", max_age=60, force_fetch=True) == "two"
        client.put_secret_value(SecretId="pt/rotating", SecretString="three")
        frozen.tick(61)
        assert provider.get("pt/rotating", max_age=60) == "three"
        assert provider.get("pt/rotating", VersionStage="AWSPREVIOUS", force_fetch=True) == "two"


def test_powertools_set_secret_creates_then_puts(parameters: Any) -> None:
    with mock_secretsmanager() as handle:
        token = "0123456789abcdef0123456789abcdef"
        created = parameters.set_secret("pt/new", "v1")  # PutSecretValue misses, CreateSecret
        assert "VersionStages" not in created  # CreateSecret's answer
        put = parameters.set_secret("pt/new", {"k": 1}, client_request_token=token)
        assert (put["VersionId"], put["VersionStages"]) == (token, ["AWSCURRENT"])
        again = parameters.set_secret("pt/new", {"k": 1}, client_request_token=token)
        assert again["VersionId"] == token  # the same token and value: idempotent
        with pytest.raises(parameters.exceptions.SetSecretError, match="ResourceExistsException"):
            parameters.set_secret("pt/new", {"k": 2}, client_request_token=token)
        assert parameters.get_secret("pt/new", transform="json", force_fetch=True) == {"k": 1}
        parameters.set_secret("pt/bytes", b"\x00\x01")
        assert parameters.get_secret("pt/bytes") == b"\x00\x01"
        assert len(handle.secret("pt/new").versions) == 2


def test_powertools_get_secrets_by_name_uses_batch_get(parameters: Any) -> None:
    with mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        for i in range(25):  # more than one BatchGetSecretValue page (20)
            client.create_secret(Name=f"pt/many/{i:02d}", SecretString=str(i))
        client.create_secret(Name="pt/manyother", SecretString="prefix match too")
        got = parameters.get_secrets_by_name(["pt/many/"])
        assert len(got) == 25 and got["pt/many/07"] == "7"
        got = parameters.get_secrets_by_name(["pt/many"], force_fetch=True)
        assert got["pt/manyother"] == "prefix match too"  # name filters match prefixes
        with pytest.raises(parameters.exceptions.GetSecretError, match="No secrets found"):
            parameters.get_secrets_by_name(["pt/none"])
