"""Tag rules shared by CreateSecret and TagResource/UntagResource (spec 4.8).

Keys and values are case-sensitive; a secret holds at most one tag per key, in the
order the keys were first added; tagging an existing key replaces its value in place.
"""

from __future__ import annotations

from typing import Any

from mocksm.errors import ServiceError
from mocksm.secretsmanager import messages

MAX_TAGS = 50
RESERVED_PREFIX = "aws:"
OWNING_SERVICE_KEY = "aws:secretsmanager:owningService"


def reserved_key() -> ServiceError:
    return messages.invalid_parameter('Tag keys can\'t start with "aws:".')


def too_many() -> ServiceError:
    return messages.invalid_parameter("Too many tags. A secret can have at most 50 tags.")


def keys_of(tags: list[dict[str, Any]]) -> list[str]:
    """The keys of request tags. The model leaves ``Tag.Key`` optional; a tag without one
    is refused the way Coral refuses a missing required member (as CreateSecret does)."""
    missing = [i for i, tag in enumerate(tags, 1) if tag.get("Key") is None]
    if missing:
        count = len(missing)
        raise ServiceError(
            "ValidationException",
            f"{count} validation error{'s' if count > 1 else ''} detected: "
            + "; ".join(
                f"Value null at 'tags.{i}.member.key' failed to satisfy constraint: "
                "Member must not be null"
                for i in missing
            ),
        )
    return [str(tag["Key"]) for tag in tags]


def check_reserved(keys: list[str]) -> None:
    if any(key.startswith(RESERVED_PREFIX) for key in keys):
        raise reserved_key()


def merged(existing: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """Tags after adding ``new``: an existing key keeps its place and takes the new value;
    a new key is appended; within ``new`` the last occurrence of a key wins. More than
    ``MAX_TAGS`` user tags is InvalidParameterException."""
    result = [dict(tag) for tag in existing]
    position = {tag["Key"]: i for i, tag in enumerate(result)}
    for tag in new:
        key, value = tag["Key"], tag.get("Value", "")
        if key in position:
            result[position[key]]["Value"] = value
        else:
            position[key] = len(result)
            result.append({"Key": key, "Value": value})
    # AWS's own ``aws:`` tags (managed secrets) do not count against the quota.
    if sum(1 for tag in result if not tag["Key"].startswith(RESERVED_PREFIX)) > MAX_TAGS:
        raise too_many()
    return result


def without(existing: list[dict[str, str]], keys: list[str]) -> list[dict[str, str]]:
    drop = set(keys)
    return [dict(tag) for tag in existing if tag["Key"] not in drop]
