"""Opaque, validated NextToken values: base64 of a small JSON cursor bound to the
operation and the query it came from, so a token from elsewhere is refused."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from mocksm.errors import ServiceError


def invalid_token() -> ServiceError:
    return ServiceError("InvalidNextTokenException", "The NextToken value is invalid.")


def digest(query: Any) -> str:
    """A short fingerprint of the query (filters, sort, scope) a token belongs to."""
    text = json.dumps(query, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(operation: str, query: str, position: Any) -> str:
    raw = json.dumps({"o": operation, "q": query, "p": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode(token: str, operation: str, query: str) -> Any:
    """The position stored in ``token``; InvalidNextTokenException if it is not ours."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeError, RecursionError) as exc:  # or too deep
        raise invalid_token() from exc
    if not isinstance(data, dict) or data.get("o") != operation or data.get("q") != query:
        raise invalid_token()
    return data.get("p")
