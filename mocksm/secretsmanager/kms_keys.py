"""Which KmsKeyId strings Secrets Manager accepts (spec 4.7.2)."""

from __future__ import annotations

import re

from mocksm.secretsmanager import messages

_KEY_ID = r"(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})"
_ALIAS = r"alias/[A-Za-z0-9/_-]+"
_FORMS = re.compile(
    rf"{_KEY_ID}|{_ALIAS}|arn:[a-z-]+:kms:(?P<region>[a-z0-9-]+):\d{{12}}:(?:key/{_KEY_ID}|{_ALIAS})"
)
DEFAULT_ALIASES = ("alias/aws/secretsmanager",)


def check_key_syntax(key_id: str, region: str) -> None:
    """InvalidParameterException for a KmsKeyId of no accepted form or another region."""
    match = _FORMS.fullmatch(key_id)
    if match is None:
        raise messages.invalid_parameter(
            "The operation failed because of an invalid KMS key: Invalid keyId"
        )
    key_region = match.group("region")
    if key_region is not None and key_region != region:
        raise messages.invalid_parameter(
            f"The operation failed because of an invalid KMS key: Invalid arn {key_region}"
        )


def is_default_key(key_id: str) -> bool:
    """``alias/aws/secretsmanager`` (or its ARN) means the AWS managed key."""
    return key_id == "" or key_id in DEFAULT_ALIASES or key_id.endswith(":alias/aws/secretsmanager")
