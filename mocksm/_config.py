"""The options of ``mock_secretsmanager(...)``, checked once at construction."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from typing import Any

from mocksm.errors import MocksmError

DEFAULT_ACCOUNT = "123456789012"

_CHOICES: dict[str, tuple[str, ...]] = {
    "kms_key_change_mode": ("aws", "classic"),
    "kms_unknown_keys": ("reject", "create"),
    "version_retention": ("aws", "count_only"),
    "unregistered_rotation_lambda": ("deny", "simulate"),
    "replication_initial_status": ("InSync", "InProgress"),
}


@dataclass(frozen=True)
class Config:
    account_id: str = field(default_factory=lambda: os.environ.get("MOCKSM_ACCOUNT_ID", DEFAULT_ACCOUNT))
    region: str = "us-east-1"
    passthrough: frozenset[str] = frozenset()
    kms_key_change_mode: str = "aws"
    kms_unknown_keys: str = "reject"
    version_retention: str = "aws"
    unregistered_rotation_lambda: str = "deny"
    replication_initial_status: str = "InSync"

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise MocksmError(f"{name} must be one of {list(allowed)}, not {value!r}")
        if not re.fullmatch(r"\d{12}", self.account_id):
            raise MocksmError(f"account_id must be 12 digits, not {self.account_id!r}")


def named_options(options: dict[str, Any]) -> dict[str, Any]:
    """The options a caller actually set (``None`` means "not set"), in Config's form."""
    values = {k: v for k, v in options.items() if v is not None}
    if "passthrough" in values:
        passthrough = values["passthrough"]
        values["passthrough"] = frozenset([passthrough] if isinstance(passthrough, str) else passthrough)
    return values


def make_config(options: dict[str, Any]) -> Config:
    known = {f.name for f in fields(Config)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise MocksmError(f"unknown mock_secretsmanager option(s): {', '.join(unknown)}")
    return Config(**named_options(options))
