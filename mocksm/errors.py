"""Exceptions: AWS-shaped service errors, and mocksm's own usage errors.

Service errors travel from the model up to the wire layer, which renders them as the
JSON error body AWS sends; botocore then raises its modelled ``ClientError``.
Usage errors are raised straight at the caller: they mean the test itself is wrong.
"""

from __future__ import annotations


class ServiceError(Exception):
    """An error the real service would answer with: code, message and HTTP status. Clients
    see it as botocore's ``ClientError``; only handle helpers that take service input
    (``create_managed_secret``) raise it directly."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class MocksmError(Exception):
    """Base class of errors about how mocksm itself is used."""


class MockNotStartedError(MocksmError):
    """No mock is running where one is needed: ``stop()`` on a mock that is not started,
    ``MockHandle.current()`` outside any mock, or a handle used after its mock stopped."""


class UnmockedServiceError(MocksmError):
    """A call to an AWS service mocksm does not serve, while the mock is active."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(
            f"mocksm refused {service}.{operation}: mocksm serves only Secrets Manager and KMS, "
            f"and no call may reach real AWS while the mock is active. To let {service!r} "
            f"through to its real endpoint, pass mock_secretsmanager(passthrough=[{service!r}])."
        )
        self.service = service
        self.operation = operation
