"""boto3 used the way applications use it, beyond single calls: retry configurations,
paginators, ``client.exceptions``, clients made before the mock or pointed elsewhere.

What botocore does around a response (retries, their metadata, the error text) was
established against a local HTTP server answering the same error bodies, with botocore
1.44: the expectations below are what boto3 shows when real AWS answers so.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, OperationNotPageableError

from mocksm import mock_secretsmanager

STANDARD = Config(retries={"mode": "standard"})  # botocore's default since 1.36 (3 attempts)
LABELS_FULL = "You have exceeded the maximum number of staging labels for this secret."


def _client(config: Config | None = None, **kwargs: Any) -> Any:
    kwargs.setdefault("region_name", "us-east-1")
    return boto3.client("secretsmanager", config=config, **kwargs)


def _fill_labels(client: Any) -> None:
    """AWSCURRENT plus 19 custom labels: the 20 a secret may carry."""
    client.create_secret(Name="full", SecretString="v0")
    client.put_secret_value(SecretId="full", SecretString="v1",
                            VersionStages=[f"L{i:02d}" for i in range(19)])


def _over_the_label_quota(client: Any) -> ClientError:
    with pytest.raises(ClientError) as caught:
        client.put_secret_value(SecretId="full", SecretString="v2", VersionStages=["ONE-MORE"])
    return caught.value


def _attempts_seen(client: Any, operation: str) -> list[int]:
    """The attempt numbers botocore's needs-retry event is emitted with, as they come."""
    seen: list[int] = []
    client.meta.events.register(f"needs-retry.secrets-manager.{operation}",
                                lambda attempts, **_: seen.append(attempts))
    return seen


# --- retries ------------------------------------------------------------------------------


def test_limit_exceeded_is_retried_as_botocore_standard_mode_does() -> None:
    """botocore counts LimitExceededException as throttling: three attempts, then the error
    says so in its text and its metadata; the failed attempts changed nothing."""
    with mock_secretsmanager() as handle:
        client = _client(STANDARD)
        _fill_labels(client)
        before = handle.secret("full").labels()
        seen = _attempts_seen(client, "PutSecretValue")
        error = _over_the_label_quota(client)
        assert seen == [1, 2, 3]
        assert error.response["Error"] == {"Code": "LimitExceededException", "Message": LABELS_FULL}
        metadata = error.response["ResponseMetadata"]
        assert (metadata["RetryAttempts"], metadata["MaxAttemptsReached"]) == (2, True)
        assert str(error) == ("An error occurred (LimitExceededException) when calling the "
                              f"PutSecretValue operation (reached max retries: 2): {LABELS_FULL}")
        assert handle.secret("full").labels() == before
        assert len(handle.secret("full").versions) == 2


def test_max_attempts_config_is_honoured() -> None:
    with mock_secretsmanager():
        client = _client(Config(retries={"mode": "standard", "max_attempts": 4}))
        _fill_labels(client)
        error = _over_the_label_quota(client)
        assert error.response["ResponseMetadata"]["RetryAttempts"] == 4
        assert "(reached max retries: 4)" in str(error)


def test_a_handler_that_always_retries_ends_with_the_error_at_the_limit() -> None:
    """A custom needs-retry handler asking for ever more attempts: the caller gets the
    AWS error after mocksm's attempt limit, never a Python RecursionError."""
    from mocksm import _patch

    with mock_secretsmanager():
        client = _client(Config(retries={"mode": "legacy"}))
        client.meta.events.register_first("needs-retry.secrets-manager.GetSecretValue",
                                          lambda **_: 0)
        with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_secret_value(SecretId="missing")
        assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == _patch.RETRY_LIMIT - 1


def test_legacy_mode_does_not_retry_secrets_manager_limit_errors() -> None:
    with mock_secretsmanager():
        client = _client(Config(retries={"mode": "legacy"}))
        _fill_labels(client)
        seen = _attempts_seen(client, "PutSecretValue")
        error = _over_the_label_quota(client)
        assert seen == [1]
        assert error.response["ResponseMetadata"]["RetryAttempts"] == 0
        assert "MaxAttemptsReached" not in error.response["ResponseMetadata"]
        assert str(error).endswith(f"PutSecretValue operation: {LABELS_FULL}")


def test_single_attempt_config_marks_every_error_as_out_of_attempts() -> None:
    """``total_max_attempts=1`` (``max_attempts=0``), a common test setting: botocore's
    standard mode marks any error, retryable or not, as having reached the limit."""
    with mock_secretsmanager():
        client = _client(Config(retries={"mode": "standard", "max_attempts": 0}))
        with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_secret_value(SecretId="missing")
        metadata = caught.value.response["ResponseMetadata"]
        assert (metadata["RetryAttempts"], metadata["MaxAttemptsReached"]) == (0, True)
        assert str(caught.value) == (
            "An error occurred (ResourceNotFoundException) when calling the GetSecretValue "
            "operation (reached max retries: 0): Secrets Manager can't find the specified secret.")


def test_errors_botocore_does_not_retry_are_answered_once() -> None:
    with mock_secretsmanager():
        client = _client(STANDARD)
        seen = _attempts_seen(client, "GetSecretValue")
        with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
            client.get_secret_value(SecretId="missing")
        assert seen == [1]
        assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
        assert "MaxAttemptsReached" not in caught.value.response["ResponseMetadata"]
        assert str(caught.value).endswith(
            "GetSecretValue operation: Secrets Manager can't find the specified secret.")


def test_a_client_made_before_the_mock_keeps_its_retry_and_endpoint_settings() -> None:
    early = _client(Config(retries={"mode": "standard", "max_attempts": 1}),
                    endpoint_url="http://localhost:4566")
    with mock_secretsmanager():
        _fill_labels(early)
        error = _over_the_label_quota(early)
        assert error.response["ResponseMetadata"]["RetryAttempts"] == 1
        assert isinstance(error, early.exceptions.LimitExceededException)


# --- paginators, waiters, exception classes --------------------------------------------------


def test_only_the_modelled_paginators_exist() -> None:
    """botocore ships paginators for ListSecrets and ListResourcePolicies only, and no
    waiters: BatchGetSecretValue and ListSecretVersionIds are paged by hand (NextToken)."""
    with mock_secretsmanager():
        client = _client()
        assert client.can_paginate("list_secrets") and client.can_paginate("list_resource_policies")
        for name in ("list_secret_version_ids", "batch_get_secret_value"):
            assert not client.can_paginate(name)
            with pytest.raises(OperationNotPageableError):
                client.get_paginator(name)
        assert client.waiter_names == []


def test_paginator_search_and_resume_across_filters() -> None:
    with mock_secretsmanager():
        client = _client()
        for i in range(9):
            client.create_secret(Name=f"app/{i}", SecretString=str(i),
                                 Tags=[{"Key": "tier", "Value": "gold" if i % 3 == 0 else "std"}])
        paginator = client.get_paginator("list_secrets")
        gold = paginator.paginate(Filters=[{"Key": "tag-value", "Values": ["gold"]}],
                                  PaginationConfig={"PageSize": 1})
        assert list(gold.search("SecretList[].Name")) == ["app/0", "app/3", "app/6"]
        head = paginator.paginate(Filters=[{"Key": "name", "Values": ["app/"]}],
                                  PaginationConfig={"MaxItems": 5, "PageSize": 2}).build_full_result()
        tail = paginator.paginate(Filters=[{"Key": "name", "Values": ["app/"]}],
                                  PaginationConfig={"StartingToken": head["NextToken"],
                                                    "PageSize": 2}).build_full_result()
        names = [s["Name"] for s in head["SecretList"] + tail["SecretList"]]
        assert names == [f"app/{i}" for i in range(9)] and "NextToken" not in tail


def test_exception_classes_are_shared_by_clients_of_the_service() -> None:
    """``except other_client.exceptions.X`` catches what any Secrets Manager client raised,
    and every modelled code mocksm answers maps to its class, not a bare ClientError."""
    with mock_secretsmanager():
        first, second = _client(), _client(region_name="eu-west-1")
        with pytest.raises(second.exceptions.ResourceNotFoundException):
            first.describe_secret(SecretId="nothing")
        first.create_secret(Name="taken")
        cases = [
            (lambda: first.create_secret(Name="taken"), "ResourceExistsException"),
            (lambda: first.list_secrets(NextToken="x"), "InvalidNextTokenException"),
            (lambda: first.get_random_password(PasswordLength=2, RequireEachIncludedType=True),
             "InvalidParameterException"),
            (lambda: first.get_secret_value(SecretId="taken"), "ResourceNotFoundException"),
            (lambda: first.put_resource_policy(SecretId="taken", ResourcePolicy="{"),
             "MalformedPolicyDocumentException"),
            (lambda: first.create_secret(Name="k", SecretString="v", KmsKeyId="alias/absent"),
             "EncryptionFailure"),
        ]
        for call, code in cases:
            with pytest.raises(ClientError) as caught:
                call()
            assert type(caught.value) is getattr(second.exceptions, code), code
