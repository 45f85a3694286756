from __future__ import annotations

import boto3

from mocksm import mock_secretsmanager


def test_create_and_read_back() -> None:
    with mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        client.create_secret(Name="db", SecretString="s3cr3t")
        assert client.get_secret_value(SecretId="db")["SecretString"] == "s3cr3t"
