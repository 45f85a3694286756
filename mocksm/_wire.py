"""The JSON 1.1 protocol: target -> handler, JSON in, JSON or an AWS error body out.

Knows nothing of botocore clients: ``_patch`` hands it a service, an operation name
and a body; raw callers (``handle.raw_request``) hand it an ``X-Amz-Target`` header.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
import uuid
from collections.abc import Callable
from email.utils import formatdate
from functools import lru_cache
from typing import Any, cast

from mocksm._secrecy import without_locals
from mocksm._state import MockState
from mocksm._validate import validate_input
from mocksm.errors import ServiceError

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIXES = {"secretsmanager": "secretsmanager", "kms": "TrentService"}

Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]


def _operations(service: str) -> dict[str, Handler]:
    if service == "secretsmanager":
        from mocksm.secretsmanager.operations import table

        return table()
    if service == "kms":
        from mocksm.kms.operations import table as kms_table

        return kms_table()
    return {}


# Each service's live operation table (modules register into it), looked up once.
_tables: dict[str, dict[str, Handler]] = {}


@lru_cache(maxsize=8)
def service_model(service: str) -> Any:
    """botocore's model of ``service`` (only raw requests need to load it themselves)."""
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


def _default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot serialize {type(value).__name__}")


# For callers outside the per-call path (``handle.raw_request`` bodies).
blob_text = _default


def _c_encoder() -> Callable[[Any, int], list[str]] | None:
    """The C encoder ``json.dumps(..., separators=(",", ":"), default=_default)`` runs,
    built once instead of per call (None on a Python without the C accelerator)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    return cast(Callable[[Any, int], list[str]], make(
        None, _default, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True
    ))


_chunks = _c_encoder()


def encode_body(data: dict[str, Any]) -> bytes:
    """The compact JSON of ``data`` as UTF-8 (bytes values as base64 text)."""
    if _chunks is None:
        return json.dumps(data, default=_default, separators=(",", ":")).encode("utf-8")
    return "".join(_chunks(data, 0)).encode("utf-8")


def error_body(error: ServiceError) -> dict[str, Any]:
    # KMS models its error text as a lowercase ``message``. An empty text is omitted, as
    # AWS omits it (e.g. SerializationException for a body that is not JSON).
    key = getattr(error, "message_key", "Message")
    if not error.message:
        return {"__type": error.code}
    return {"__type": error.code, key: error.message}


# Request ids: UUID-shaped, unique per process (a random prefix and a counter), as a
# fresh uuid4 per call costs more than serving a GetSecretValue.
_REQUEST_PREFIX = str(uuid.uuid4())[:24]
_request_counter = itertools.count(1)
_date: tuple[int, str] = (0, "")


def request_id() -> str:
    return f"{_REQUEST_PREFIX}{next(_request_counter):012x}"


def http_date() -> str:
    """The Date header, formatted once per second."""
    global _date
    now = int(time.time())
    if _date[0] != now:
        _date = (now, formatdate(now, usegmt=True))
    return _date[1]


HEADER_NAMES = ("x-amzn-RequestId", "Content-Type", "Content-Length", "Date")


def headers(body: bytes) -> dict[str, str]:
    values = (request_id(), CONTENT_TYPE, str(len(body)), http_date())
    return dict(zip(HEADER_NAMES, values, strict=True))


def invoke(
    state: MockState,
    service: str,
    operation: str,
    body: Any,
    account: str,
    region: str,
    input_shape: Any,
) -> dict[str, Any]:
    """Validate ``body`` against the model, run the handler; raise ServiceError on failure."""
    handler = handler_for(service, operation)
    params = check_input(state, operation, input_shape, body)
    return run(state, service, operation, handler, params, account, region)


def handlers(service: str) -> dict[str, Handler]:
    """The live operation table of ``service`` (empty for services mocksm does not serve)."""
    table = _tables.get(service)
    if table is None:
        table = _tables[service] = _operations(service)
    return table


def handler_for(service: str, operation: str) -> Handler:
    """The handler serving ``service.operation``, or the NotImplemented error."""
    handler = handlers(service).get(operation)
    if handler is None:
        raise ServiceError(
            "NotImplemented",
            f"mocksm does not implement {service}.{operation} yet.",
            status=501,
        )
    return handler


def check_input(state: MockState, operation: str, input_shape: Any, body: Any) -> dict[str, Any]:
    """The validated parameters, AWS's ValidationException, or a 500 if the validator fails."""
    try:
        return validate_input(input_shape, body)
    except ServiceError:
        raise
    except Exception as exc:  # a bug in mocksm's validator: a 500, never a traceback
        raise _internal_error(state, operation, exc) from None


def run(
    state: MockState,
    service: str,
    operation: str,
    handler: Handler,
    params: dict[str, Any],
    account: str,
    region: str,
) -> dict[str, Any]:
    """Run ``handler`` under the state lock, then the work it left for after the answer."""
    if service == "secretsmanager" and (state.rotation_heap or state.rotation_parked):
        _run_due_rotations(state, operation)
    with state.lock:
        call = (_call or _call_class())(state, account, region, state.clock.now())
        try:
            result: dict[str, Any] = handler(call, params)
            if state.replicated:
                _sync_replicas(state)
        except ServiceError:
            raise
        except Exception as exc:  # a bug in mocksm: answer as AWS would, never a traceback
            raise _internal_error(state, operation, exc) from None
    if call.after is not None:
        for action in call.after:  # outside the lock: rotation functions call back in
            _guarded(state, operation, action)
            _guarded(state, operation, lambda: _sync_replicas(state))
    return result


_call: Any = None


def _call_class() -> Any:
    """``secretsmanager.call.Call``, imported on first use (not at ``import mocksm``)."""
    global _call
    if _call is None:
        from mocksm.secretsmanager.call import Call

        _call = Call
    return _call


def _internal_error(state: MockState, operation: str, exc: Exception) -> ServiceError:
    state.last_internal_error = without_locals(exc)  # its frames hold the request
    return ServiceError(
        "InternalServiceError",
        f"mocksm failed inside {operation} ({type(exc).__name__}); "
        "see handle.last_internal_error.",
        status=500,
    )


def _guarded(state: MockState, operation: str, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except ServiceError:
        raise
    except Exception as exc:  # a bug in mocksm: answer as AWS would, never a traceback
        raise _internal_error(state, operation, exc) from None


def _sync_replicas(state: MockState) -> None:
    """Mirror primaries that changed into their replicas (after every successful change)."""
    if state.replicated:
        from mocksm.secretsmanager.replication import sync_changed

        with state.lock:
            sync_changed(state)


def _run_due_rotations(state: MockState, operation: str) -> None:
    """Rotations whose window opened on the mock clock run before the call is answered."""
    from mocksm.secretsmanager import rotation_engine

    if rotation_engine.is_due(state):
        _guarded(state, operation, lambda: rotation_engine.run_due(state))
        _guarded(state, operation, lambda: _sync_replicas(state))


def handle_raw(
    state: MockState, target: str | None, body: bytes, account: str, region: str
) -> tuple[int, dict[str, str], bytes]:
    """Serve one raw JSON 1.1 request, returning ``(status, headers, body)``."""
    try:
        service, operation = _split_target(target)
        model = service_model(service)
        if operation not in model.operation_names:  # the target is checked before the body
            raise _unknown_operation(target)
        decoded = _decode_body(body)
        input_shape = model.operation_model(operation).input_shape
        result = invoke(state, service, operation, decoded, account, region, input_shape)
        status = 200
    except ServiceError as error:
        result, status = error_body(error), error.status
    payload = encode_body(result)
    return status, headers(payload), payload


def _decode_body(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or AWS's SerializationException. AWS (Coral)
    answers a body it cannot read as an object (empty, not JSON, ``null``, a string or a
    number) with no message at all, and a top-level list with the text it uses for any
    list where none belongs (measured on another JSON 1.1 service; docs/decisions.md)."""
    try:
        decoded = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting too deep
        raise ServiceError("SerializationException", "") from exc
    if isinstance(decoded, dict):
        return decoded
    if isinstance(decoded, list):
        raise ServiceError("SerializationException", "Start of list found where not expected")
    raise ServiceError("SerializationException", "")


def _reject_constant(name: str) -> Any:
    """NaN and Infinity are not JSON; AWS refuses a body that uses them."""
    raise ValueError(f"{name} is not JSON")


def _unknown_operation(target: str | None) -> ServiceError:
    """AWS answers a target it does not know (wrong prefix, wrong case, none at all) with
    a bare ``{"__type": "UnknownOperationException"}``, no message (docs/decisions.md)."""
    return ServiceError("UnknownOperationException", "")


def _split_target(target: str | None) -> tuple[str, str]:
    prefix, _, operation = (target or "").partition(".")
    for service, target_prefix in TARGET_PREFIXES.items():
        if prefix == target_prefix and operation:
            return service, operation
    raise _unknown_operation(target)
