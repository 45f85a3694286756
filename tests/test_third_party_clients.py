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
