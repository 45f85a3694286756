"""The one place that touches botocore internals.

``BaseClient._make_request`` is where every client, whenever it was created, hands the
serialized request to its endpoint, before signing. While the mock is active it is
replaced by ``_make_request`` below, which answers served services in-process and
refuses the rest (unless let through). ``uninstall`` puts the original object back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, cast

from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials
from botocore.endpoint import convert_to_response_dict

from mocksm import _answer, _wire
from mocksm._state import MockState
from mocksm.errors import ServiceError, UnmockedServiceError

SERVED = frozenset(_wire.TARGET_PREFIXES)

_original: Any = None
_patched_class: Any = None
_state: MockState | None = None


class _Body:
    """The minimal raw-stream object ``AWSResponse.content`` reads from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def install(state: MockState) -> None:
    """Patch the ``BaseClient`` botocore uses now (looked up at call time, not import)."""
    global _original, _patched_class, _state
    from botocore.client import BaseClient

    _state = state
    if _original is None:
        _patched_class = BaseClient
        _original = BaseClient._make_request
        BaseClient._make_request = _make_request


def uninstall() -> None:
    """Put back exactly the function object that was there before ``install``."""
    global _original, _patched_class, _state
    if _original is not None:
        _patched_class._make_request = _original
    _original = _patched_class = None
    _state = None


def caller_account(client: Any, default: str) -> str:
    """A 12-digit access key id names the caller's account (for cross-account tests)."""
    signer = getattr(client, "_request_signer", None)
    credentials: Any = getattr(signer, "_credentials", None)
    if type(credentials) is Credentials:  # never refresh (that could reach the network)
        key = getattr(credentials, "access_key", None)
        if type(key) is str and len(key) == 12 and key.isdigit() and key.isascii():
            return key
    return default


def _make_request(
    client: Any, operation_model: Any, request_dict: dict[str, Any], request_context: Any
) -> Any:
    state = _state
    service = operation_model.service_model.service_name
    if state is None or service in state.config.passthrough:
        return _original(client, operation_model, request_dict, request_context)
    if service not in SERVED:
        raise UnmockedServiceError(service, operation_model.name)
    region = client.meta.region_name or state.config.region
    account = caller_account(client, state.config.account_id)
    try:
        body = _decode(request_dict.get("body") or b"{}")
        result = _wire.invoke(
            state, service, operation_model.name, body, account, region, operation_model.input_shape
        )
        status = 200
    except ServiceError as error:
        result, status = _wire.error_body(error), error.status
    except ValueError:
        result, status = _wire.error_body(ServiceError("SerializationException", "Bad JSON.")), 400
    payload = _wire.encode_body(result)
    headers = _wire.headers(payload)
    http = _response(request_dict.get("url", ""), status, headers, _Body(payload))
    parser_factory = client._endpoint._response_parser_factory
    parsed = None
    if route.fast:
        parsed = _answer.answer(operation_model, parser_factory, status, result, headers)
    if parsed is None or route.cross_check is not None:
        faithful = _parse(client, operation_model, http, parser_factory)
        if parsed is not None and route.cross_check is not None:
            route.cross_check(operation_model, parsed, faithful)
        parsed = parsed if parsed is not None else faithful
    parsed["ResponseMetadata"]["RetryAttempts"] = 0
    return http, parsed


_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _decode(body: bytes | str) -> Any:
    """``json.loads``, minus its generic work for the compact UTF-8 JSON botocore sends
    (no surrounding whitespace); anything else goes through ``json.loads`` itself."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


def _response_factory() -> Callable[[str, int, dict[str, str], _Body], AWSResponse]:
    """``AWSResponse(url, status, headers, raw)``, built without re-lowercasing the same
    four header names on every call. Checked once against the real constructor; if
    botocore's internals ever differ, the real constructor is used."""
    try:
        from botocore.awsrequest import HeadersDict, _HeaderKey

        keys: dict[tuple[str, ...], tuple[Any, ...]] = {}  # header names -> their keys

        def build(url: str, status: int, headers: dict[str, str], raw: _Body) -> AWSResponse:
            http = AWSResponse.__new__(AWSResponse)
            http.url = url
            http.status_code = status
            table = HeadersDict.__new__(HeadersDict)
            names = tuple(headers)
            made = keys.get(names)
            if made is None:
                made = keys[names] = tuple(_HeaderKey(name) for name in names)
            table._dict = dict(zip(made, headers.values(), strict=True))
            http.headers = table
            http.raw = raw
            http._content = None
            return http

        sample = {"x-amzn-RequestId": "r", "Content-Type": "t", "Content-Length": "1"}
        raw = _Body(b"1")
        fast, real = build("u", 200, sample, raw), AWSResponse("u", 200, sample, raw)
        same = vars(fast).keys() == vars(real).keys() and all(
            getattr(fast, name) == getattr(real, name) for name in vars(real) if name != "headers"
        )
        if same and vars(fast.headers).keys() == vars(real.headers).keys() and dict(
            fast.headers.items()
        ) == dict(real.headers.items()) and fast.headers["content-length"] == "1":
            return build
    except Exception:  # pragma: no cover - botocore changed shape: stay on the public path
        pass
    return cast(Callable[[str, int, dict[str, str], _Body], AWSResponse], AWSResponse)


_response = _response_factory()


class _Route:
    """Which answer path serves calls. ``fast``: build the parsed dict directly
    (``_answer``); otherwise botocore's parser reads the JSON body. ``cross_check``, when
    set, is called with both answers on every call (the differential tests use it)."""

    def __init__(self) -> None:
        self.fast = True
        self.cross_check: Callable[[Any, dict[str, Any], dict[str, Any]], None] | None = None


route = _Route()


def _parse(
    client: Any, operation_model: Any, http: AWSResponse, parser_factory: Any
) -> dict[str, Any]:
    """Let botocore's own parser turn the body into what the caller sees."""
    response_dict = convert_to_response_dict(http, operation_model)
    parser = parser_factory.create_parser(operation_model.service_model.resolved_protocol)
    parsed: dict[str, Any] = parser.parse(response_dict, operation_model.output_shape)
    if http.status_code >= 300:
        client._endpoint._add_modeled_error_fields(response_dict, parsed, operation_model, parser)
    parsed.setdefault("ResponseMetadata", {})
    return parsed
