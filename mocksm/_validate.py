"""Server-side checks of the service model's constraints, phrased as AWS (Coral) does.

botocore checks only required members, types and minimums on the client side; AWS
checks everything again. This module walks an operation's input shape over the
decoded JSON body, turns base64 blobs into bytes, and collects every violation into
one ``ValidationException`` in AWS's words. A value of the wrong JSON type stops the
walk at once with the ``SerializationException`` Coral answers (``wrong_type``), as AWS
fails to deserialize before it validates anything.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable
from functools import lru_cache
from types import CodeType
from typing import Any, cast

from mocksm._secrecy import REDACTED
from mocksm.errors import ServiceError

# SecretString is limited in bytes (AWS quota "65,536 bytes"), not characters.
_BYTE_LENGTH_SHAPES = frozenset({"SecretStringType"})


@lru_cache(maxsize=256)
def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _render(value: Any, shape: Any = None) -> str:
    """A value as AWS's (Java) framework prints it in a message: ``[a, b]`` for a list,
    ``Shape(member=value, ...)`` for a structure, every member in model order and an
    absent one as ``null`` (SSM quoted ``Value '[Target(key=tag:a, values=[1])]'``,
    disneystreaming/ssm-helpers#47), ``{k=v}`` for a map; a sensitive member, at any
    depth, as ``REDACTED``."""
    if shape is not None and shape.metadata.get("sensitive"):
        return REDACTED
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    kind = None if shape is None else shape.type_name
    if isinstance(value, list):
        item = shape.member if kind == "list" else None
        return "[" + ", ".join(_render(v, item) for v in value) + "]"
    if isinstance(value, dict) and kind == "structure":
        parts = (f"{camel}={_render(value.get(name), member)}" for name, member, camel, _ in _members(shape))
        return f"{shape.name}({', '.join(parts)})"
    if isinstance(value, dict):
        inner = shape.value if kind == "map" else None
        return "{" + ", ".join(f"{k}={_render(v, inner)}" for k, v in value.items()) + "}"
    return str(value)


def serialization_error(message: str) -> ServiceError:
    return ServiceError("SerializationException", message)


# What AWS's JSON 1.1 deserializer (Coral) calls a member's type in its messages.
_TYPE_NAMES = {"integer": "an Integer", "long": "a Long", "string": "a String",
               "boolean": "a Boolean"}


def wrong_type(value: Any, kind: str, path: str) -> ServiceError:
    """AWS's SerializationException for a JSON value of the wrong type where a member of
    ``kind`` is expected: the text depends on the JSON token and the target type only
    (no member path), as measured on another Coral JSON 1.1 service (docs/decisions.md).
    A null list item (AWS's answer unrecorded) keeps mocksm's own wording."""
    if value is None:
        return serialization_error(f"Unexpected null at '{path}'")
    if isinstance(value, list):
        return serialization_error("Start of list found where not expected")
    if isinstance(value, dict):
        return serialization_error("Start of structure or map found where not expected.")
    if kind == "structure":
        return serialization_error("Expected null")
    if isinstance(value, bool):
        token = "TRUE_VALUE" if value else "FALSE_VALUE"
    elif isinstance(value, (int, float)):
        token = "NUMBER_VALUE"
    else:
        token = "STRING_VALUE"
    return serialization_error(f"{token} can not be converted to {_TYPE_NAMES[kind]}")


class _Walker:
    def __init__(self) -> None:
        self.violations: list[str] = []

    def fail(self, shape: Any, value: Any, path: str, constraint: str) -> None:
        # AWS shows no value for a sensitive member, nor for a blob (KMS: "Value at
        # 'ciphertextBlob' failed to satisfy constraint", a member that is not sensitive).
        if shape.metadata.get("sensitive") or shape.type_name == "blob":
            text = f"Value at '{path}' failed to satisfy constraint: {constraint}"
        else:
            text = (f"Value '{_render(value, shape)}' at '{path}' failed to satisfy constraint: "
                    f"{constraint}")
        self.violations.append(text)

    def structure(self, shape: Any, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise wrong_type(value, "structure", path)
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
                raise serialization_error("Expected list or null")  # whatever the value
            self.bounds(shape, value, len(value), path, "length")
            return [self.value(shape.member, item, f"{path}.{i}.member")
                    for i, item in enumerate(value, 1)]
        if kind == "map":
            if not isinstance(value, dict):
                raise serialization_error("Expected map or null")
            return {k: self.value(shape.value, v, f"{path}.{k}") for k, v in value.items()}
        if kind == "string":
            if not isinstance(value, str):
                raise wrong_type(value, kind, path)
            by_bytes, low, high, plain = _string_rules(shape)
            size = _utf8_size(value, path) if by_bytes else len(value)
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
            if isinstance(value, (list, dict)):
                raise wrong_type(value, kind, path)
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
                raise wrong_type(value, kind, path)
            if isinstance(value, float) and not math.isfinite(value):
                # 1e400 parses as inf: no integer holds it
                raise serialization_error(f"Expected number at '{path}'")
            number = int(value)
            self.bounds(shape, number, number, path, "value")
            return number
        if kind == "boolean":
            if not isinstance(value, bool):
                raise wrong_type(value, kind, path)
            return value
        return value

    def bounds(self, shape: Any, value: Any, size: int, path: str, what: str) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and size < low:
            self.fail(shape, value, path, f"Member must have {what} greater than or equal to {low}")
        if high is not None and size > high:
            self.fail(shape, value, path, f"Member must have {what} less than or equal to {high}")


def _utf8_size(value: str, path: str) -> int:
    """The UTF-8 length of a byte-limited string; a lone surrogate (JSON allows the
    escape, UTF-8 has no encoding for it) cannot be stored, so it is refused. The error is
    raised outside the handler: the UnicodeEncodeError it would chain holds the value."""
    try:
        return len(value.encode("utf-8"))
    except UnicodeEncodeError:
        pass
    raise serialization_error(
        f"Invalid string at '{path}': a lone UTF-16 surrogate has no UTF-8 encoding."
    )


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


_FAIL: Any = object()  # "something to report": the walker runs and phrases it
Check = Callable[[Any], Any]  # a value as the walker would return it, or _FAIL


@lru_cache(maxsize=1024)  # shapes are per client; bounded
def _quick_plan(shape: Any) -> Check | None:
    """A check that says "valid" (returning the params) or ``_FAIL`` for ``shape``,
    without the bookkeeping for messages. None for shapes it does not cover (maps,
    recursion...). Built once per shape as closures: every request runs it."""
    return _plan(shape, frozenset())


def _plan(shape: Any, seen: frozenset[str]) -> Check | None:
    kind = shape.type_name
    if kind == "structure":
        if shape.name in seen:
            return None
        members = []
        for name, member, _, required in _members(shape):
            check = _plan(member, seen | {shape.name})
            if check is None:
                return None
            members.append((name, check, required, _plain_bounds(member)))
        return _structure_check(tuple(members))
    if kind == "string":
        by_bytes, low, high, _ = _string_rules(shape)
        regex = shape.metadata.get("pattern")
        return _string_check(by_bytes, low, high, _pattern(regex) if regex else None,
                             shape.metadata.get("enum") or None)
    if kind == "list":
        item_check = _plan(shape.member, seen)
        if item_check is None:
            return None
        return _list_check(shape.metadata.get("min"), shape.metadata.get("max"), item_check)
    if kind == "blob":
        return _blob_check(shape.metadata.get("min"), shape.metadata.get("max"))
    if kind in ("integer", "long"):
        return _integer_check(shape.metadata.get("min"), shape.metadata.get("max"))
    if kind == "boolean":
        return lambda value: value if type(value) is bool else _FAIL
    return None


def _plain_bounds(shape: Any) -> tuple[int, float, bool] | None:
    """(min, max, counted in UTF-8 bytes?) of a string's length, for a string with no
    other rule (no enum, no pattern), which a structure's check tests inline; None for
    any other member."""
    if shape.type_name != "string":
        return None
    by_bytes, low, high, plain = _string_rules(shape)
    if not plain:
        return None
    return (0 if low is None else low), (float("inf") if high is None else high), by_bytes


def _utf8_length(value: str) -> int:
    """The UTF-8 length of ``value``; -1 (outside every bound) for a lone surrogate."""
    try:
        return len(value.encode("utf-8"))
    except UnicodeEncodeError:
        return -1


def _within(size: int, low: int | None, high: int | None) -> bool:
    return (low is None or size >= low) and (high is None or size <= high)


def _structure_check(members: tuple[tuple[str, Check, bool, tuple[int, float, bool] | None], ...]) -> Check:
    """Straight-line code for one structure, generated once per shape (as ``_answer``
    generates its converters): a ``get`` per member in model order; a plain string's
    length bounds inline, any other member through its own check. Member names come from
    the botocore model, written as ``repr`` literals."""
    namespace: dict[str, Any] = {"_FAIL": _FAIL, "utf8_length": _utf8_length}
    lines = ["def check(value):", "    if type(value) is not dict:", "        return _FAIL",
             "    out = {}", "    get = value.get"]
    for index, (name, check_member, required, plain) in enumerate(members):
        lines.append(f"    item = get({name!r})")
        if required:
            lines += ["    if item is None:", "        return _FAIL"]
            indent = "    "
        else:
            lines.append("    if item is not None:")
            indent = "        "
        if plain is not None:
            namespace[f"low{index}"], namespace[f"high{index}"], by_bytes = plain
            size = "(len(item) if item.isascii() else utf8_length(item))" if by_bytes else "len(item)"
            lines += [f"{indent}if type(item) is not str or not low{index} <= {size} <= high{index}:",
                      f"{indent}    return _FAIL"]
        else:
            namespace[f"check{index}"] = check_member
            lines += [f"{indent}item = check{index}(item)", f"{indent}if item is _FAIL:",
                      f"{indent}    return _FAIL"]
        lines.append(f"{indent}out[{name!r}] = item")
    lines.append("    return out")
    exec(_compiled("\n".join(lines)), namespace)
    return cast(Check, namespace["check"])


@lru_cache(maxsize=512)
def _compiled(source: str) -> CodeType:
    """``source`` compiled, once: every client has shapes of its own, so a test that makes
    a client would otherwise compile its operations' checks again (~1 ms)."""
    return compile(source, "<mocksm quick check>", "exec")


def _string_check(
    by_bytes: bool, low: int | None, high: int | None, regex: re.Pattern[str] | None,
    enum: list[str] | None,
) -> Check:
    low_n, high_n = (0 if low is None else low), (float("inf") if high is None else high)
    if not by_bytes and regex is None and enum is None:  # most strings: bounds only
        return lambda value: (
            value if type(value) is str and low_n <= len(value) <= high_n else _FAIL
        )

    def check(value: Any) -> Any:
        if type(value) is not str:
            return _FAIL
        # A lone surrogate (-1) fails the bounds; the walker phrases it.
        size = (len(value) if value.isascii() else _utf8_length(value)) if by_bytes else len(value)
        if not low_n <= size <= high_n or (enum is not None and value not in enum) or (
            regex is not None and not regex.fullmatch(value)
        ):
            return _FAIL
        return value

    return check


def _list_check(low: int | None, high: int | None, item_check: Check) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not list or not _within(len(value), low, high):
            return _FAIL
        items = [item_check(item) for item in value]
        return _FAIL if any(item is _FAIL for item in items) else items

    return check


def _blob_check(low: int | None, high: int | None) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not str:
            return _FAIL
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return _FAIL
        return data if _within(len(data), low, high) else _FAIL

    return check


def _integer_check(low: int | None, high: int | None) -> Check:
    return lambda value: (
        value if type(value) is int and _within(value, low, high) else _FAIL
    )


def _join(path: str, name: str) -> str:
    return f"{path}.{_camel(name)}" if path else _camel(name)


def carries_sensitive(shape: Any, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``shape`` or anything inside it is marked sensitive in the model (secret
    values, passwords, rotation tokens): requests carrying one are never remembered."""
    if shape.metadata.get("sensitive"):
        return True
    kind = shape.type_name
    if kind == "structure":
        if shape.name in seen:
            return False
        inner = seen | {shape.name}
        return any(carries_sensitive(member, inner) for member in shape.members.values())
    if kind == "list":
        return carries_sensitive(shape.member, seen)
    if kind == "map":
        return carries_sensitive(shape.key, seen) or carries_sensitive(shape.value, seen)
    return False


def validate_input(input_shape: Any, body: Any) -> dict[str, Any]:
    """Check ``body`` against ``input_shape``; return it with blobs decoded to bytes."""
    if input_shape is None:
        if not isinstance(body, dict):
            raise serialization_error("Start of structure or map found where not expected.")
        return {}
    quick_check = _quick_plan(input_shape)
    if quick_check is not None:  # the common case, a valid request: no message bookkeeping
        quick = quick_check(body)
        if quick is not _FAIL:
            return quick  # type: ignore[no-any-return]
    if not isinstance(body, dict):
        raise serialization_error("Start of structure or map found where not expected.")
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
