"""``handle.raw_request`` bodies given as Python values: any JSON value is sent as its
JSON text (so a non-object answers AWS's SerializationException, not a TypeError), and
bytes inside are sent as base64, the JSON 1.1 form of a blob."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mocksm import mock_secretsmanager


@pytest.mark.parametrize("body", [5, True, 1.5, "text"])
def test_a_json_value_that_is_not_an_object_is_refused_as_aws_does(body: Any) -> None:
    # AWS's SerializationException for a body that is no object carries no message.
    with mock_secretsmanager() as handle:
        response = handle.raw_request("secretsmanager.GetSecretValue", json.dumps(body))
        assert (response.status, response.json()) == (400, {"__type": "SerializationException"})
        response = handle.raw_request("secretsmanager.GetSecretValue", body)
        assert response.status == 400
        assert response.json()["__type"] == "SerializationException"


def test_a_json_list_body_is_refused_as_aws_does() -> None:
    with mock_secretsmanager() as handle:
        response = handle.raw_request("secretsmanager.GetSecretValue", [1, 2])
        assert (response.status, response.json()) == (400, {
            "__type": "SerializationException",
            "Message": "Start of list found where not expected"})


def test_bytes_in_a_body_are_sent_as_base64() -> None:
    with mock_secretsmanager() as handle:
        created = handle.raw_request(
            "secretsmanager.CreateSecret",
            {"Name": "raw/bin", "SecretBinary": b"\x00\xffraw", "ClientRequestToken": "t" * 32},
        )
        assert created.status == 200
        client = handle.client("secretsmanager")
        assert client.get_secret_value(SecretId="raw/bin")["SecretBinary"] == b"\x00\xffraw"


def test_bytes_like_bodies_are_sent_as_they_are() -> None:
    with mock_secretsmanager() as handle:
        for body in (bytearray(b'{"PasswordLength": 8}'), memoryview(b'{"PasswordLength": 8}')):
            response = handle.raw_request("secretsmanager.GetRandomPassword", body)
            assert response.status == 200
            assert len(response.json()["RandomPassword"]) == 8
