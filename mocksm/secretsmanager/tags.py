"""Tag rules shared by CreateSecret and TagResource/UntagResource."""

from __future__ import annotations

from mocksm.secretsmanager import messages

MAX_TAGS = 50
RESERVED_PREFIX = "aws:"


def check_reserved(keys: list[str]) -> None:
    if any(key.startswith(RESERVED_PREFIX) for key in keys):
        raise messages.invalid_parameter('Tag keys can\'t start with "aws:".')


def merged(existing: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """Tags after adding ``new``: an existing key keeps its place and takes the new value;
    a new key is appended; within ``new`` the last occurrence of a key wins."""
    result = [dict(tag) for tag in existing]
    position = {tag["Key"]: i for i, tag in enumerate(result)}
    for tag in new:
        key, value = tag["Key"], tag.get("Value", "")
        if key in position:
            result[position[key]]["Value"] = value
        else:
            position[key] = len(result)
            result.append({"Key": key, "Value": value})
    if len(result) > MAX_TAGS:
        raise messages.invalid_parameter("Too many tags. A secret can have at most 50 tags.")
    return result


def without(existing: list[dict[str, str]], keys: list[str]) -> list[dict[str, str]]:
    drop = set(keys)
    return [dict(tag) for tag in existing if tag["Key"] not in drop]
