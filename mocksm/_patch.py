"""The one place that touches botocore internals.

``BaseClient._make_request`` is where every client, whenever it was created, hands the
serialized request to its endpoint, before signing. While the mock is active it is
replaced by ``_make_request`` below, which answers served services in-process and
refuses the rest (unless let through). aiobotocore's client class overrides that method
with a coroutine, so it is replaced there too (``_make_request_aio``) when aiobotocore is
installed. ``uninstall`` puts the original objects back.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Callable, Iterator
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.credentials import Credentials, RefreshableCredentials
from botocore.endpoint import Endpoint, convert_to_response_dict
from botocore.hooks import first_non_none_response
from botocore.parsers import ResponseParserFactory

from mocksm import _answer, _wire
from mocksm._state import MockState
from mocksm._validate import carries_sensitive
from mocksm.errors import ServiceError, UnmockedServiceError

SERVED = frozenset(_wire.TARGET_PREFIXES)
_CONTENT_TYPE = _wire.CONTENT_TYPE

_original: Any = None
_patched_class: Any = None
_state: MockState | None = None
# aiobotocore's client class overrides ``_make_request`` with a coroutine of its own, so
# patching BaseClient alone would let its calls out to the network.
_aio_original: Any = None
_aio_patched_class: Any = None
_aio_installed: bool | None = None  # whether aiobotocore is importable (checked once)


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
    if _patched_class is None:
        _patched_class = BaseClient
        _original = BaseClient._make_request
        BaseClient._make_request = _make_request
    _install_aio()


def _install_aio() -> None:
    """Patch aiobotocore's client too, when it is installed (imported here if need be, so
    a client made later in the test is covered as well)."""
    global _aio_original, _aio_patched_class, _aio_installed
    if _aio_patched_class is not None:
        return
    if _aio_installed is None:
        _aio_installed = importlib.util.find_spec("aiobotocore") is not None
    if not _aio_installed:
        return
    try:
        aio_base: Any = importlib.import_module("aiobotocore.client").AioBaseClient
    except Exception:  # an aiobotocore that does not import: none of its clients exist
        return
    _aio_patched_class = aio_base
    _aio_original = aio_base.__dict__["_make_request"]
    aio_base._make_request = _make_request_aio


def uninstall() -> None:
    """Put back exactly the function objects that were there before ``install``. The
    originals stay referenced: a thread that looked the patched method up just before
    this ran still calls it, and then hands its request to them."""
    global _patched_class, _state, _aio_patched_class
    if _patched_class is not None:
        _patched_class._make_request = _original
    if _aio_patched_class is not None:
        _aio_patched_class._make_request = _aio_original
    _patched_class = _aio_patched_class = None
    _state = None


def caller_account(client: Any, default: str) -> str:
    """A 12-digit access key id names the caller's account (for cross-account tests)."""
    signer = getattr(client, "_request_signer", None)
    credentials: Any = getattr(signer, "_credentials", None)
    if type(credentials) is Credentials or (  # never refresh (that could reach the network)
        isinstance(credentials, Credentials)  # aiobotocore's AioCredentials, say
        and not isinstance(credentials, RefreshableCredentials)
    ):
        key = getattr(credentials, "access_key", None)
        if type(key) is str and len(key) == 12 and key.isdigit() and key.isascii():
            return key
    return default


def _make_request(
    client: Any, operation_model: Any, request_dict: dict[str, Any], request_context: Any,
    factory: Any = None, retries: int = 0, state: MockState | None = None,
) -> Any:
    """Answer a call of a served service in-process: ``(http response, parsed dict)``.
    ``factory`` is the parser factory to answer with (default: the client's own; aiobotocore
    passes one, and its retry handlers are coroutines: not asked). ``retries``: how many
    attempts came before this one. ``state``: the mock a call began under (its retries
    and aiobotocore's calls pass it: a stop, or a new mock, meanwhile must not change it)."""
    if state is None:
        state = _state
        if state is None:  # stopped after botocore looked this method up: not mocked now
            return _original(client, operation_model, request_dict, request_context)
    plan = operation_model.__dict__.get("_mocksm_plan") or _plan(operation_model)
    service, operation, handler, convert, known = plan
    if service in state.config.passthrough:
        return _original(client, operation_model, request_dict, request_context)
    if service not in SERVED:
        raise UnmockedServiceError(service, operation)
    region = client.meta.region_name or state.config.region
    account = caller_account(client, state.config.account_id)
    try:
        if handler is None:  # unimplemented: the same ServiceError handler_for raises
            handler = _wire.handler_for(service, operation)
        params = _params(state, operation, operation_model.input_shape,
                         request_dict.get("body") or b"{}", known)
        result = _wire.run(state, service, operation, handler, params, account, region)
        status = 200
    except ServiceError as error:
        result, status = _wire.error_body(error), error.status
    except ValueError:
        result, status = _wire.error_body(ServiceError("SerializationException", "Bad JSON.")), 400
    payload = _wire.encode_body(result)
    request_id, length, date = _wire.request_id(), str(len(payload)), _wire.http_date()
    http = _Response(request_dict.get("url", ""), status, payload,
                     (request_id, _CONTENT_TYPE, length, date))  # _wire.HEADER_NAMES' values
    lowered = {"x-amzn-requestid": request_id, "content-type": _CONTENT_TYPE,
               "content-length": length, "date": date}  # ResponseMetadata.HTTPHeaders
    parser_factory = factory or client._endpoint._response_parser_factory
    parsed = None
    if route.fast:
        parsed = _answer.answer(operation_model, parser_factory, status, result, lowered, convert)
    if parsed is None or route.cross_check is not None:
        faithful = _parse(client, operation_model, http, parser_factory)
        if parsed is not None and route.cross_check is not None:
            route.cross_check(operation_model, parsed, faithful)
        parsed = parsed if parsed is not None else faithful
    parsed["ResponseMetadata"]["RetryAttempts"] = retries
    if 300 <= status < 500 and factory is None:  # 5xx: mocksm's own failure, answered once
        return _retry_error(client, operation_model, request_dict, request_context, http, parsed,
                            retries, state)
    return http, parsed


# Attempts answered for one call at most. botocore's own modes stop before (standard
# mode's retry budget allows 100 retries); a custom needs-retry handler that always asks
# again gets the last error here instead of a RecursionError from the nested attempts.
RETRY_LIMIT = 100


def _retry_error(client: Any, operation_model: Any, request_dict: dict[str, Any],
                 request_context: Any, http: Any, parsed: dict[str, Any], retries: int,
                 state: MockState) -> Any:
    """Ask the client's needs-retry handlers about an error answer, as botocore's endpoint
    does, and answer again while they want another attempt: retry counts, the
    MaxAttemptsReached mark and the error text are then what boto3 shows against AWS.
    Without the backoff sleep: a failed call changed nothing, so waiting changes nothing."""
    event = (f"needs-retry.{operation_model.service_model.service_id.hyphenize()}."
             f"{operation_model.name}")
    delay = first_non_none_response(client.meta.events.emit(
        event, response=(http, parsed), endpoint=client._endpoint, operation=operation_model,
        attempts=retries + 1, caught_exception=None, request_dict=request_dict))
    if delay is None or delay is False or _state is not state or retries + 1 >= RETRY_LIMIT:
        return http, parsed  # no retry once the mock stopped, nor past the limit
    return _make_request(client, operation_model, request_dict, request_context, None, retries + 1,
                         state)


async def _make_request_aio(
    client: Any, operation_model: Any, request_dict: dict[str, Any], request_context: Any
) -> Any:
    """aiobotocore's ``_make_request``: served as the sync one is. Its parser factory
    makes coroutine parsers, so answers are parsed by botocore's own (the same output for
    JSON protocols without event streams, which both served services are)."""
    state = _state
    if state is None:
        return await _aio_original(client, operation_model, request_dict, request_context)
    plan = operation_model.__dict__.get("_mocksm_plan") or _plan(operation_model)
    if plan[0] in state.config.passthrough:
        return await _aio_original(client, operation_model, request_dict, request_context)
    factory = ResponseParserFactory()
    factory._defaults = dict(getattr(client._endpoint._response_parser_factory, "_defaults", {}))
    return _make_request(client, operation_model, request_dict, request_context, factory, 0, state)


# What a request body validated to, by body, for one client's operation (see _params).
Known = dict["bytes | str", dict[str, Any]]
Plan = tuple[str, str, "_wire.Handler | None", "_answer.Convert | None", "Known | None"]
KNOWN_MAX = 64
_IMMUTABLE = frozenset({str, int, float, bool})


def _plan(operation_model: Any) -> Plan:
    """(service, operation, handler or None, converter of its answers or None, bodies
    already validated or None) for ``operation_model``, remembered on the model object
    itself (botocore keeps one per client and operation)."""
    service = operation_model.service_model.service_name
    operation = operation_model.name
    handler = _wire.handlers(service).get(operation) if service in SERVED else None
    convert = _answer.success_converter(operation_model) if handler is not None else None
    shape = operation_model.input_shape
    known: Known | None = {} if shape is not None and not carries_sensitive(shape) else None
    plan: Plan = (service, operation, handler, convert, known)
    operation_model.__dict__["_mocksm_plan"] = plan
    return plan


def _params(
    state: MockState, operation: str, input_shape: Any, body: bytes | str, known: Known | None
) -> dict[str, Any]:
    """The validated parameters of ``body``. Tests send the same read again and again, so
    an operation whose input carries nothing sensitive (no secret value, no password)
    remembers what its last few flat bodies validated to; each call gets its own copy."""
    if known is not None:
        seen = known.get(body)
        if seen is not None:
            return dict(seen)
    params = _wire.check_input(state, operation, input_shape, _decode(body))
    if known is not None and all(type(value) in _IMMUTABLE for value in params.values()):
        if len(known) >= KNOWN_MAX:
            known.clear()
        known[body] = dict(params)
    return params


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


class _Response(AWSResponse):  # type: ignore[misc]
    """An ``AWSResponse`` whose header table and raw stream are made when first read: on
    the fast route botocore itself reads neither (after-call handlers and the faithful
    parser may; ``content`` is there from the start)."""

    def __init__(self, url: str, status: int, payload: bytes, values: tuple[str, ...]) -> None:
        self.url = url
        self.status_code = status
        self._content = payload
        self._values = values
        self._headers: HeadersDict | None = None
        self._raw: _Body | None = None

    @property
    def headers(self) -> HeadersDict:
        if self._headers is None:
            self._headers = HeadersDict(zip(_wire.HEADER_NAMES, self._values, strict=True))
        return self._headers

    @headers.setter
    def headers(self, value: HeadersDict) -> None:
        self._headers = value

    @property
    def raw(self) -> _Body:
        if self._raw is None:
            self._raw = _Body(self._content)
        return self._raw

    @raw.setter
    def raw(self, value: _Body) -> None:
        self._raw = value


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
        # botocore's own method (aiobotocore's endpoint has a coroutine of that name)
        Endpoint._add_modeled_error_fields(
            client._endpoint, response_dict, parsed, operation_model, parser
        )
    parsed.setdefault("ResponseMetadata", {})
    return parsed
