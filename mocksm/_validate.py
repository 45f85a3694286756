"""Server-side checks of the service model's constraints, phrased as AWS (Coral) does.

botocore checks only required members, types and minimums on the client side; AWS
checks everything again. This module walks an operation's input shape over the
decoded JSON body, turns base64 blobs into bytes, and collects every violation into
one ``ValidationException`` in AWS's words.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache
from typing import Any

from mocksm.errors import ServiceError

# SecretString is limited in bytes (AWS quota "65,536 bytes"), not characters.
_BYTE_LENGTH_SHAPES = frozenset({"SecretStringType"})


@lru_cache(maxsize=256)
def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, bytes):
        return "java.nio.HeapByteBuffer"
    return str(value)


def serialization_error(message: str) -> ServiceError:
    return ServiceError("SerializationException", message)


class _Walker:
    def __init__(self) -> None:
        self.violations: list[str] = []

    def fail(self, shape: Any, value: Any, path: str, constraint: str) -> None:
        if shape.metadata.get("sensitive"):
            text = f"Value at '{path}' failed to satisfy constraint: {constraint}"
        else:
            text = f"Value '{_render(value)}' at '{path}' failed to satisfy constraint: {constraint}"
        self.violations.append(text)

    def structure(self, shape: Any, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serialization_error("Start of structure or map found where not expected.")
        out: dict[str, Any] = {}
        get = value.get
        # One pass in the model's member order, so violations are listed in that order.
        for name, member, camel, required in _members(shape):
            item = get(name)
            if item is not None:
                out[name] = self.value(member, item, f"{path}.{camel}" if path else camel)
            elif required:
                self.violations.append(
                    f"Value null at '{_join(path, name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
        return out

    def value(self, shape: Any, value: Any, path: str) -> Any:
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, value, path)
        if kind == "list":
            if not isinstance(value, list):
                raise serialization_error("Expected list or null")
            self.bounds(shape, value, len(value), path, "length")
            return [self.value(shape.member, item, f"{path}.{i}.member")
                    for i, item in enumerate(value, 1)]
        if kind == "map":
            if not isinstance(value, dict):
                raise serialization_error("Expected map or null")
            return {k: self.value(shape.value, v, f"{path}.{k}") for k, v in value.items()}
        if kind == "string":
            if not isinstance(value, str):
                raise serialization_error(f"Expected string at '{path}'")
            by_bytes, low, high, plain = _string_rules(shape)
            size = len(value.encode("utf-8")) if by_bytes else len(value)
            if plain and (low is None or size >= low) and (high is None or size <= high):
                return value  # no enum, no pattern, within bounds: nothing more to check
            self.bounds(shape, value, size, path, "length")
            enum = shape.metadata.get("enum")
            if enum and value not in enum:
                self.fail(shape, value, path,
                          "Member must satisfy enum value set: [" + ", ".join(enum) + "]")
            regex = shape.metadata.get("pattern")
            if regex and not _pattern(regex).fullmatch(value):
                self.fail(shape, value, path,
                          f"Member must satisfy regular expression pattern: {regex}")
            return value
        if kind == "blob":
            if not isinstance(value, str):
                raise serialization_error(f"Expected base64 string at '{path}'")
            try:
                data = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise serialization_error(f"Invalid base64 at '{path}'") from exc
            self.bounds(shape, data, len(data), path, "length")
            return data
        if kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise serialization_error(f"Expected number at '{path}'")
            number = int(value)
            self.bounds(shape, number, number, path, "value")
            return number
        if kind == "boolean":
            if not isinstance(value, bool):
                raise serialization_error(f"Expected boolean at '{path}'")
            return value
        return value

    def bounds(self, shape: Any, value: Any, size: int, path: str, what: str) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and size < low:
            self.fail(shape, value, path, f"Member must have {what} greater than or equal to {low}")
        if high is not None and size > high:
            self.fail(shape, value, path, f"Member must have {what} less than or equal to {high}")


@lru_cache(maxsize=2048)  # shapes are per client; bounded
def _members(shape: Any) -> tuple[tuple[str, Any, str, bool], ...]:
    """(name, shape, camelCase path segment, required) per member, in model order."""
    required = set(shape.required_members)
    return tuple((name, member, _camel(name), name in required)
                 for name, member in shape.members.items())


@lru_cache(maxsize=2048)
def _string_rules(shape: Any) -> tuple[bool, int | None, int | None, bool]:
    """(length in bytes?, min, max, no enum and no pattern) of a string shape."""
    metadata = shape.metadata
    plain = not metadata.get("enum") and not metadata.get("pattern")
    return (shape.name in _BYTE_LENGTH_SHAPES, metadata.get("min"), metadata.get("max"), plain)


_Plain = tuple[tuple[str, bool, "int | None", "int | None", bool], ...]


@lru_cache(maxsize=1024)
def _plain_strings(shape: Any) -> _Plain | None:
    """For input shapes whose members are all strings without enum or pattern (most
    read calls): (name, length in bytes?, min, max, required) per member, else None."""
    plan = []
    for name, member, _, required in _members(shape):
        if member.type_name != "string":
            return None
        by_bytes, low, high, plain = _string_rules(member)
        if not plain:
            return None
        plan.append((name, by_bytes, low, high, required))
    return tuple(plan)


def _quick_check(plan: _Plain, body: dict[str, Any]) -> dict[str, Any] | None:
    """The validated params if ``body`` passes every check of ``plan``; None means
    "something to report": the walker then runs and phrases it as AWS does."""
    out: dict[str, Any] = {}
    for name, by_bytes, low, high, required in plan:
        value = body.get(name)
        if value is None:
            if required:
                return None
            continue
        if type(value) is not str:
            return None
        size = len(value.encode("utf-8")) if by_bytes else len(value)
        if (low is not None and size < low) or (high is not None and size > high):
            return None
        out[name] = value
    return out


def _join(path: str, name: str) -> str:
    return f"{path}.{_camel(name)}" if path else _camel(name)


def validate_input(input_shape: Any, body: Any) -> dict[str, Any]:
    """Check ``body`` against ``input_shape``; return it with blobs decoded to bytes."""
    if input_shape is None:
        if not isinstance(body, dict):
            raise serialization_error("Start of structure or map found where not expected.")
        return {}
    plan = _plain_strings(input_shape) if type(body) is dict else None
    if plan is not None:
        quick = _quick_check(plan, body)
        if quick is not None:
            return quick
    walker = _Walker()
    params = walker.structure(input_shape, body, "")
    count = len(walker.violations)
    if count:
        noun = "error" if count == 1 else "errors"
        raise ServiceError(
            "ValidationException",
            f"{count} validation {noun} detected: " + "; ".join(walker.violations),
        )
    return params
