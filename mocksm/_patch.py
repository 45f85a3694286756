"""The one place that touches botocore internals.

``BaseClient._make_request`` is where every client, whenever it was created, hands the
serialized request to its endpoint, before signing. While the mock is active it is
replaced by ``_make_request`` below, which answers served services in-process and
refuses the rest (unless let through). ``uninstall`` puts the original object back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials
from botocore.endpoint import convert_to_response_dict

from mocksm import _wire
from mocksm._state import MockState
from mocksm.errors import ServiceError, UnmockedServiceError

SERVED = frozenset(_wire.TARGET_PREFIXES)
_ACCOUNT_KEY = re.compile(r"\d{12}")

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


def is_installed() -> bool:
    return _original is not None


def caller_account(client: Any, default: str) -> str:
    """A 12-digit access key id names the caller's account (for cross-account tests)."""
    signer = getattr(client, "_request_signer", None)
    credentials = getattr(signer, "_credentials", None)
    if type(credentials) is Credentials:  # never refresh (that could reach the network)
        key = getattr(credentials, "access_key", None)
        if isinstance(key, str) and _ACCOUNT_KEY.fullmatch(key):
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
        body = json.loads(request_dict.get("body") or b"{}")
        result = _wire.invoke(
            state, service, operation_model.name, body, account, region, operation_model.input_shape
        )
        status = 200
    except ServiceError as error:
        result, status = _wire.error_body(error), error.status
    except ValueError:
        result, status = _wire.error_body(ServiceError("SerializationException", "Bad JSON.")), 400
    payload = _wire.encode_body(result)
    return _parse(client, operation_model, request_dict, status, payload)


def _parse(
    client: Any, operation_model: Any, request_dict: dict[str, Any], status: int, payload: bytes
) -> tuple[AWSResponse, dict[str, Any]]:
    """Let botocore's own parser turn the body into what the caller sees."""
    http = AWSResponse(request_dict.get("url", ""), status, _wire.headers(payload), _Body(payload))
    response_dict = convert_to_response_dict(http, operation_model)
    endpoint = client._endpoint
    parser = endpoint._response_parser_factory.create_parser(
        operation_model.service_model.resolved_protocol
    )
    parsed = parser.parse(response_dict, operation_model.output_shape)
    if status >= 300:
        endpoint._add_modeled_error_fields(response_dict, parsed, operation_model, parser)
    parsed.setdefault("ResponseMetadata", {})["RetryAttempts"] = 0
    return http, parsed
