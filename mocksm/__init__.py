"""mocksm: AWS Secrets Manager, answered in-process, as faithfully as we can make it.

Public surface: ``mock_secretsmanager`` (and its class, ``MockSecretsManager``), the
``MockHandle`` it yields, the error types, and ``__version__``; rotation helpers live in
``mocksm.rotation``, the clock in ``mocksm.clock``. Importing this module is cheap; the
backend (and botocore) loads on first start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mocksm._mock import MockSecretsManager, mock_secretsmanager
from mocksm.errors import (
    MockNotStartedError,
    MocksmError,
    ServiceError,
    UnmockedServiceError,
)

if TYPE_CHECKING:
    from mocksm._handle import MockHandle

__version__ = "0.1.0"

__all__ = [
    "MockHandle",
    "MockNotStartedError",
    "MockSecretsManager",
    "MocksmError",
    "ServiceError",
    "UnmockedServiceError",
    "__version__",
    "mock_secretsmanager",
]


def __getattr__(name: str) -> Any:
    if name == "MockHandle":
        from mocksm._handle import MockHandle

        return MockHandle
    raise AttributeError(f"module 'mocksm' has no attribute {name!r}")
