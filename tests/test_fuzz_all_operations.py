"""A hostile user against every served operation: generated bodies, random call
sequences and threads. Whatever comes in, mocksm answers with an AWS error or a
result, never a 500; a failed call changes nothing; no secret value leaks."""

from __future__ import annotations

import pytest

from mocksm import mock_secretsmanager

# -- regressions found by the fuzzer ----------------------------------------------------------


@pytest.mark.parametrize("body", [b'{"MaxResults": Infinity}', b'{"MaxResults": NaN}',
                                  b'{"MaxResults": -Infinity}'])
def test_non_json_constants_are_a_serialization_error(body: bytes) -> None:
    with mock_secretsmanager() as handle:
        response = handle.raw_request("secretsmanager.ListSecrets", body)
        assert response.status == 400
        assert response.json() == {"__type": "SerializationException",
                                   "Message": "Could not parse the request body as JSON."}


@pytest.mark.parametrize("operation", ["ListSecrets", "ListSecretVersionIds",
                                       "BatchGetSecretValue", "ListResourcePolicies"])
def test_an_integer_too_big_for_any_number_type_is_a_serialization_error(operation: str) -> None:
    with mock_secretsmanager() as handle:
        response = handle.raw_request(f"secretsmanager.{operation}",
                                      b'{"SecretId": "s", "MaxResults": 1e400}')
        assert response.status == 400
        assert response.json() == {"__type": "SerializationException",
                                   "Message": "Expected number at 'maxResults'"}
        assert handle.last_internal_error is None


def test_decrypt_without_a_ciphertext_blob_is_a_validation_error() -> None:
    with mock_secretsmanager() as handle:
        response = handle.raw_request("TrentService.Decrypt", {"KeyId": "alias/x"})
        assert response.status == 400
        assert response.json() == {
            "__type": "ValidationException",
            "message": "1 validation error detected: Value null at 'ciphertextBlob' failed to "
                       "satisfy constraint: Member must not be null"}
        assert handle.last_internal_error is None

