"""An audit of the embedded KMS API against real AWS KMS: each test pins one place
where mocksm answered differently from AWS (evidence in docs/decisions.md,
"Audit (KMS API)")."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import aws_error

ACCOUNT = "123456789012"


@pytest.fixture
def kms(mocksm: Any) -> Any:
    return mocksm.client("kms")


@pytest.mark.parametrize("days", [1, 6, 31, 365])
def test_schedule_key_deletion_window_outside_7_to_30_uses_kms_text(kms: Any, days: int) -> None:
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with aws_error("ValidationException", "PendingWindowInDays must be between 7 and 30"):
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=days)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
