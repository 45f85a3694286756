"""Secrets owned by another AWS service (RDS, Redshift, ...), which users cannot create
through the API: the mock handle creates them the way the owning service would."""

from __future__ import annotations

import base64
import uuid
from typing import TYPE_CHECKING, Any

from mocksm._validate import validate_input

if TYPE_CHECKING:
    from mocksm._state import MockState


def create_managed_secret(
    state: MockState, account: str, region: str, owning_service: str, name: str,
    create_kwargs: dict[str, Any],
) -> dict[str, Any]:
    """CreateSecret on behalf of ``owning_service``: its tag and OwningService are set and
    the secret refuses user writes from then on (spec 4.13)."""
    from mocksm._wire import service_model
    from mocksm.secretsmanager.call import Call
    from mocksm.secretsmanager.operations.secrets import create_secret

    body: dict[str, Any] = {"Name": name, **create_kwargs}
    if isinstance(body.get("SecretBinary"), (bytes, bytearray)):
        body["SecretBinary"] = base64.b64encode(body["SecretBinary"]).decode("ascii")
    if ("SecretString" in body or "SecretBinary" in body) and "ClientRequestToken" not in body:
        body["ClientRequestToken"] = str(uuid.uuid4())
    shape = service_model("secretsmanager").operation_model("CreateSecret").input_shape
    params = validate_input(shape, body)
    with state.lock:
        call = Call(state, account, region, state.clock.now(), managed_by=owning_service)
        return create_secret(call, params)
