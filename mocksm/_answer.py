"""The fast route: build what botocore's JSON parser would return, without parsing.

The faithful route serializes a handler's output dict to JSON and lets botocore's own
parser walk it against the output shape: decode the JSON, turn epoch numbers into
datetimes and base64 into bytes, keep only modelled members, add ``ResponseMetadata``;
for errors, read ``__type``/``Message`` into ``Error`` and merge the modelled error
shape's members. That walk is generic, so it costs more than the mock's whole backend.

Here each output shape is compiled once (per service, API version and shape) into a
small converter that does the same walk on the Python dict directly. It relies on the
JSON round trip being the identity for the values handlers return (str, bool, int,
float, lists and dicts of them), which ``tests/test_fast_route.py`` checks operation by
operation against the real parser. Shapes the converter does not cover (documents,
unions, event streams, recursion) and parser factories it does not know answer
``None``, and the caller falls back to the faithful route.
"""

from __future__ import annotations

import base64
import datetime as _datetime_module
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, cast

from botocore.parsers import PROTOCOL_PARSERS, JSONParser, ResponseParserFactory
from botocore.utils import get_tzinfo_options, parse_timestamp

Convert = Callable[[Any, "_Leaves"], Any]


class Unsupported(Exception):
    """A shape the fast route does not build; use the faithful route."""


class _Leaves:
    """How timestamps and blobs come out: botocore's defaults or the factory's own."""

    __slots__ = ("blob", "timestamp")

    def __init__(self, timestamp: Callable[[Any], Any], blob: Callable[[Any], Any]) -> None:
        self.timestamp = timestamp
        self.blob = blob


def _default_blob(value: Any) -> bytes:
    # Our handlers return bytes; the parser base64-decodes what we base64-encoded.
    if type(value) is bytes:
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return base64.b64decode(value)


class _LocalZone:
    """botocore's default timestamp parser, minus its cost in fixed-offset zones.

    ``parse_timestamp(epoch)`` is ``datetime.fromtimestamp(epoch, tzlocal())``, and
    dateutil's ``tzlocal.fromutc`` is slow Python. Where the local zone has no daylight
    saving time (UTC on most CI machines), it reduces to "UTC wall time plus the
    standard offset, fold 0", which is what this computes, with one shared ``tzlocal``
    instance (equal to a fresh one). Zones with DST, a changed TZ (``time.tzset``),
    a patched ``datetime.datetime`` (freezegun), non-numeric or out-of-range values go
    through ``parse_timestamp`` itself.
    """

    def __init__(self) -> None:
        # Held here, not as a module global, which freezegun would swap for its own.
        self._datetime: type[datetime] = _datetime_module.datetime
        self._tzname: Any = None  # time.tzset() replaces time.tzname: then look again
        self._zone: Any = None
        self._offset: Any = None
        # Reads answer the same CreatedDate again and again; datetimes are immutable.
        self._seen: dict[float, datetime] = {}

    def _refresh(self) -> None:
        self._tzname = time.tzname
        self._seen = {}
        options = get_tzinfo_options()  # (dateutil's tzlocal,) except on Windows
        zone = options[0]()
        fixed = len(options) == 1 and not getattr(zone, "_hasdst", True)
        self._zone = zone if fixed else None
        self._offset = zone._std_offset

    def __call__(self, value: Any) -> Any:
        if _datetime_module.datetime is not self._datetime:
            # freezegun swapped the class botocore builds datetimes with: let it.
            return parse_timestamp(value)
        if time.tzname is not self._tzname:
            self._refresh()
        seen = self._seen.get(value)
        if seen is not None and type(value) is float:
            return seen
        zone = self._zone
        if zone is None or type(value) not in (float, int):
            return parse_timestamp(value)
        try:
            wall = self._datetime.fromtimestamp(value, timezone.utc) + self._offset
        except (OverflowError, OSError, ValueError):
            return parse_timestamp(value)
        result = wall.replace(tzinfo=zone)
        if type(value) is float:
            if len(self._seen) >= 4096:
                self._seen = {}
            self._seen[value] = result
        return result


_DEFAULT_LEAVES = _Leaves(_LocalZone(), _default_blob)


def _json_parser_is_botocores() -> bool:
    return PROTOCOL_PARSERS.get("json") is JSONParser


def _leaves_for(factory: Any) -> _Leaves | None:
    if type(factory) is not ResponseParserFactory or not _json_parser_is_botocores():
        return None
    defaults = factory._defaults
    if not defaults:
        return _DEFAULT_LEAVES
    if set(defaults) - {"timestamp_parser", "blob_parser"}:
        return None
    timestamp = defaults.get("timestamp_parser") or parse_timestamp
    custom_blob = defaults.get("blob_parser")
    if custom_blob is None:
        return _Leaves(timestamp, _default_blob)

    def blob(value: Any) -> Any:
        if isinstance(value, (bytes, bytearray, memoryview)):
            value = base64.b64encode(value).decode("ascii")
        return custom_blob(value)

    return _Leaves(timestamp, blob)


# -- compiling shapes ----------------------------------------------------------------

def _compile(shape: Any, seen: frozenset[str]) -> Convert | None:
    """A converter for ``shape``, or None where the JSON round trip is the identity."""
    kind = shape.type_name
    if kind == "structure":
        if shape.name in seen:
            raise Unsupported(f"recursive shape {shape.name}")
        if shape.is_document_type or shape.is_tagged_union or shape.event_stream_name:
            raise Unsupported(f"{shape.name} is a document, union or event stream")
        return _structure(shape, seen | {shape.name})
    if kind == "list":
        return _list(_compile(shape.member, seen))
    if kind == "map":
        if shape.key.type_name != "string":
            raise Unsupported(f"map {shape.name} with {shape.key.type_name} keys")
        return _map(_compile(shape.value, seen))
    if kind == "timestamp":
        return _timestamp
    if kind == "blob":
        if shape.serialization.get("streaming") or shape.serialization.get("eventstream"):
            raise Unsupported(f"streaming blob {shape.name}")
        return _blob
    if kind in ("string", "boolean", "integer", "long", "float", "double", "bigdecimal",
                "biginteger"):
        return None
    raise Unsupported(f"shape type {kind}")


def _timestamp(value: Any, leaves: _Leaves) -> Any:
    return leaves.timestamp(value)


def _blob(value: Any, leaves: _Leaves) -> Any:
    return leaves.blob(value)


def _structure(shape: Any, seen: frozenset[str]) -> Convert:
    """Straight-line code for one structure: a ``get`` per member in model order and an
    inline expression for its conversion (lists, maps, timestamps, blobs; nested
    structures call their own converter). Generated once per shape, as ``dataclasses``
    generates ``__init__``; names come from the botocore model, written as ``repr``
    literals."""
    namespace: dict[str, Any] = {}
    lines = [
        "def convert(value, leaves):",
        "    if value is None:",
        "        return None",
        "    ts = leaves.timestamp",
        "    blob = leaves.blob",
        "    out = {}",
        "    get = value.get",
    ]
    for name, member in shape.members.items():
        key = member.serialization.get("name", name)
        expr = _expr(member, "raw", namespace, 0, seen)
        lines.append(f"    raw = get({key!r})")
        lines.append("    if raw is not None:")
        lines.append(f"        out[{name!r}] = {expr or 'raw'}")
    lines.append("    return out")
    exec(compile("\n".join(lines), f"<mocksm converter {shape.name}>", "exec"), namespace)
    return cast(Convert, namespace["convert"])


def _expr(shape: Any, var: str, namespace: dict[str, Any], depth: int,
          seen: frozenset[str]) -> str | None:
    """A Python expression converting ``var`` as the parser would, or None (identity).
    Mirrors ``_compile``: lists keep ``None`` items, maps convert every value."""
    kind = shape.type_name
    if kind == "structure":
        helper = f"s{len(namespace)}"
        namespace[helper] = _compile(shape, seen)
        return f"{helper}({var}, leaves)"
    if kind == "list":
        item = f"i{depth}"
        inner = _expr(shape.member, item, namespace, depth + 1, seen)
        if inner is None:
            return f"list({var})"
        return f"[None if {item} is None else {inner} for {item} in {var}]"
    if kind == "map":
        if shape.key.type_name != "string":
            raise Unsupported(f"map {shape.name} with {shape.key.type_name} keys")
        key, item = f"k{depth}", f"v{depth}"
        inner = _expr(shape.value, item, namespace, depth + 1, seen)
        if inner is None:
            return f"dict({var})"
        return f"{{{key}: {inner} for {key}, {item} in {var}.items()}}"
    if _compile(shape, seen) is None:
        return None
    return f"ts({var})" if kind == "timestamp" else f"blob({var})"


def _list(inner: Convert | None) -> Convert:
    if inner is None:
        return lambda value, leaves: list(value)

    def convert(value: Any, leaves: _Leaves) -> Any:
        return [None if item is None else inner(item, leaves) for item in value]

    return convert


def _map(inner: Convert | None) -> Convert:
    if inner is None:
        return lambda value, leaves: dict(value)

    def convert(value: Any, leaves: _Leaves) -> Any:
        return {key: inner(item, leaves) for key, item in value.items()}

    return convert


# -- per operation, per error code -----------------------------------------------------

_UNSUPPORTED = object()
_outputs: dict[tuple[str, str, str], Any] = {}
_errors: dict[tuple[str, str, str], Any] = {}


def _empty(value: Any, leaves: _Leaves) -> dict[str, Any]:
    return {}


def output_converter(operation_model: Any) -> Convert | None:
    """The compiled converter of an operation's output (cached per service+version+op,
    and remembered on the operation model object, which botocore keeps per client)."""
    stash = getattr(operation_model, "__dict__", None)
    if stash is not None:
        found = stash.get("_mocksm_output")
        if found is not None:
            return None if found is _UNSUPPORTED else cast(Convert, found)
    service = operation_model.service_model
    key = (service.service_name, service.api_version, operation_model.name)
    found = _outputs.get(key)
    if found is None:
        shape = operation_model.output_shape
        try:
            found = _empty if shape is None else _compile(shape, frozenset())
        except Unsupported:
            found = _UNSUPPORTED
        _outputs[key] = found
    if stash is not None:
        stash["_mocksm_output"] = found
    return None if found is _UNSUPPORTED else cast(Convert, found)


def error_converter(service_model: Any, code: str) -> Convert | None:
    """The modelled fields error ``code`` adds at the top level ({} if not modelled)."""
    key = (service_model.service_name, service_model.api_version, code)
    found = _errors.get(key)
    if found is None:
        shape = service_model.shape_for_error_code(code)
        try:
            found = _empty if shape is None else _compile(shape, frozenset())
        except Unsupported:
            found = _UNSUPPORTED
        _errors[key] = found
    return None if found is _UNSUPPORTED else cast(Convert, found)


def _error_code(body: dict[str, Any], status: int) -> str:
    code = body.get("__type", str(status))
    if ":" in code:
        code = code.split(":", 1)[0]
    if "#" in code:
        code = code.rsplit("#", 1)[1]
    return str(code)


def leaves_for(factory: Any) -> _Leaves | None:
    """How ``factory``'s JSON parser turns timestamps and blobs, or None if the fast
    route does not know that parser."""
    if type(factory) is ResponseParserFactory and not factory._defaults:
        return _DEFAULT_LEAVES if PROTOCOL_PARSERS.get("json") is JSONParser else None
    return _leaves_for(factory)


def success_converter(operation_model: Any) -> Convert | None:
    """The converter of ``operation_model``'s successful answers, or None where only the
    faithful route can say (protocols other than JSON, shapes not covered)."""
    if operation_model.service_model.resolved_protocol != "json":
        return None
    return output_converter(operation_model)


def answer(
    operation_model: Any,
    factory: Any,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str],
    convert: Convert | None = None,
) -> dict[str, Any] | None:
    """What ``parser.parse`` (plus modelled error fields) would make of ``body``, or None
    when only the faithful route can say. ``headers`` are the response's headers keyed
    by lower-case names, as ``ResponseMetadata.HTTPHeaders`` shows them (it becomes that
    very dict); ``convert`` is the operation's ``success_converter`` if the caller has
    it at hand."""
    if status < 300:
        if convert is None:
            convert = success_converter(operation_model)
            if convert is None:
                return None
        leaves = leaves_for(factory)
        if leaves is None:
            return None
        parsed: dict[str, Any] = convert(body, leaves)
        parsed["ResponseMetadata"] = (
            {"RequestId": headers["x-amzn-requestid"], "HTTPStatusCode": status, "HTTPHeaders": headers}
            if "x-amzn-requestid" in headers else _metadata(status, headers)
        )
        return parsed
    if operation_model.service_model.resolved_protocol != "json":
        return None
    leaves = leaves_for(factory)
    if leaves is None or status < 400 or "x-amzn-query-error" in headers:
        return None  # redirects and query-compatible errors: leave them to botocore
    code = _error_code(body, status)
    convert = error_converter(operation_model.service_model, code)
    if convert is None:
        return None
    message = body.get("message", body.get("Message", ""))
    error: dict[str, Any] = {"Error": {"Message": message, "Code": code}}
    error["ResponseMetadata"] = _metadata(status, headers)
    error.update(convert(body, leaves))
    return error


def _metadata(status: int, headers: dict[str, str]) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    if "x-amzn-requestid" in headers:
        metadata["RequestId"] = headers["x-amzn-requestid"]
    metadata["HTTPStatusCode"] = status
    metadata["HTTPHeaders"] = headers
    return metadata
