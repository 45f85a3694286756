"""The JSON 1.1 protocol: target -> handler, JSON in, JSON or an AWS error body out.

Knows nothing of botocore clients: ``_patch`` hands it a service, an operation name
and a body; raw callers (``handle.raw_request``) hand it an ``X-Amz-Target`` header.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from email.utils import formatdate
from functools import lru_cache
from typing import Any

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


@lru_cache(maxsize=8)
def service_model(service: str) -> Any:
    """botocore's model of ``service`` (only raw requests need to load it themselves)."""
    import botocore.session

    return botocore.session.get_session().get_service_model(service)


def _default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot serialize {type(value).__name__}")


def encode_body(data: dict[str, Any]) -> bytes:
    return json.dumps(data, default=_default, separators=(",", ":")).encode("utf-8")


def error_body(error: ServiceError) -> dict[str, Any]:
    # KMS models its error text as a lowercase ``message`` and omits it when empty.
    key = getattr(error, "message_key", "Message")
    if key != "Message" and not error.message:
        return {"__type": error.code}
    return {"__type": error.code, key: error.message}


def headers(body: bytes) -> dict[str, str]:
    return {
        "x-amzn-RequestId": str(uuid.uuid4()),
        "Content-Type": CONTENT_TYPE,
        "Content-Length": str(len(body)),
        "Date": formatdate(usegmt=True),
    }


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
    handler = _operations(service).get(operation)
    if handler is None:
        raise ServiceError(
            "NotImplemented",
            f"mocksm does not implement {service}.{operation} yet.",
            status=501,
        )
    params = validate_input(input_shape, body)
    from mocksm.secretsmanager.call import Call

    if service == "secretsmanager" and (state.rotation_heap or state.rotation_parked):
        _run_due_rotations(state, operation)
    with state.lock:
        call = Call(state, account, region, state.clock.now())
        result: dict[str, Any] = _guarded(state, operation, lambda: handler(call, params))
        _guarded(state, operation, lambda: _sync_replicas(state))
    for action in call.after:  # outside the lock: rotation functions call back in
        _guarded(state, operation, action)
        _guarded(state, operation, lambda: _sync_replicas(state))
    return result


def _guarded(state: MockState, operation: str, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except ServiceError:
        raise
    except Exception as exc:  # a bug in mocksm: answer as AWS would, never a traceback
        state.last_internal_error = exc
        raise ServiceError(
            "InternalServiceError",
            f"mocksm failed inside {operation} ({type(exc).__name__}); "
            "see handle.last_internal_error.",
            status=500,
        ) from None


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
        try:
            decoded = json.loads(body or b"{}")
        except ValueError as exc:
            raise ServiceError(
                "SerializationException", "Could not parse the request body as JSON."
            ) from exc
        input_shape = model.operation_model(operation).input_shape
        result = invoke(state, service, operation, decoded, account, region, input_shape)
        status = 200
    except ServiceError as error:
        result, status = error_body(error), error.status
    payload = encode_body(result)
    return status, headers(payload), payload


def _unknown_operation(target: str | None) -> ServiceError:
    return ServiceError("UnknownOperationException", f"Unknown operation {target!r}.")


def _split_target(target: str | None) -> tuple[str, str]:
    prefix, _, operation = (target or "").partition(".")
    for service, target_prefix in TARGET_PREFIXES.items():
        if prefix == target_prefix and operation:
            return service, operation
    raise _unknown_operation(target)
