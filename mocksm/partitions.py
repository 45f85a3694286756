"""Which AWS partition a Region belongs to: the ``arn:<partition>:`` of every ARN.

The prefixes are those of botocore's ``partitions.json`` (its regionRegex per partition),
written out so that no JSON is loaded on the per-call path."""

from __future__ import annotations

_PREFIXES = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("eusc-", "aws-eusc"),
)


def partition(region: str) -> str:
    for prefix, name in _PREFIXES:
        if region.startswith(prefix):
            return name
    return "aws"
