"""Request checks several operations share, in the order AWS applies them."""

from __future__ import annotations

from typing import Any

from mocksm.errors import ServiceError
from mocksm.secretsmanager import messages
from mocksm.secretsmanager.values import SecretValue


def require_token(params: dict[str, Any], code: str = "InvalidRequestException") -> str:
    token = params.get("ClientRequestToken")
    if not token:
        raise ServiceError(code, messages.TOKEN_REQUIRED)
    return str(token)


def has_value(params: dict[str, Any]) -> bool:
    return "SecretString" in params or "SecretBinary" in params


def check_one_value(params: dict[str, Any]) -> None:
    if "SecretString" in params and "SecretBinary" in params:
        raise messages.both_values()


def value_of(params: dict[str, Any]) -> SecretValue | None:
    if "SecretString" in params:
        return str(params["SecretString"])
    if "SecretBinary" in params:
        return bytes(params["SecretBinary"])
    return None


def one_value(params: dict[str, Any]) -> SecretValue:
    """The value PutSecretValue writes: both kinds is InvalidParameterException (as for
    every write), neither is InvalidRequestException."""
    string, binary = params.get("SecretString"), params.get("SecretBinary")
    if string is not None:
        if binary is not None:
            raise messages.both_values()
        return str(string)
    if binary is None:
        raise messages.invalid_request("You must provide either SecretString or SecretBinary.")
    return bytes(binary)


def not_implemented(what: str) -> ServiceError:
    return ServiceError(
        "NotImplemented", f"mocksm does not implement {what} yet.", status=501
    )
