"""RotateSecret and CancelRotateSecret (the engine is ``rotation_engine``)."""

from __future__ import annotations

from typing import Any

from mocksm.secretsmanager import rotation_engine, schedule
from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.operations import operation
from mocksm.secretsmanager.operations.common import require_token
from mocksm.secretsmanager.store import check_secret_id


@operation("RotateSecret")
def rotate_secret(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    token = require_token(p, "InvalidParameterException")
    check_secret_id(p["SecretId"])
    if p.get("RotationRules") is not None:
        schedule.parse_rules(p["RotationRules"])
    secret = call.resolve(p["SecretId"])
    return rotation_engine.rotate(call, secret, p, token)


@operation("CancelRotateSecret")
def cancel_rotate_secret(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    return rotation_engine.cancel(call, call.resolve(p["SecretId"]))
