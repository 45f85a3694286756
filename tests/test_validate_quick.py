"""The quick validation pass agrees with the walker: whenever it accepts a body, the
walker finds nothing to report and returns the same params (same types, bytes for
blobs); anything the walker would report, the quick pass hands to the walker."""

from __future__ import annotations

import base64
from typing import Any

import botocore.session
import pytest

from mocksm import _validate
from mocksm.errors import ServiceError
from mocksm.secretsmanager.operations import table

MODEL = botocore.session.get_session().get_service_model("secretsmanager")


def _valid(shape: Any, salt: int) -> Any:
    kind = shape.type_name
    low = shape.metadata.get("min") or 0
    if kind == "structure":
        return {name: _valid(member, salt + i) for i, (name, member) in
                enumerate(shape.members.items())}
    if kind == "list":
        return [_valid(shape.member, salt + k) for k in range(max(1, low))]
    if kind == "map":
        return {"k": _valid(shape.value, salt)}
    if kind == "string":
        enum = shape.metadata.get("enum")
        if enum:
            return enum[salt % len(enum)]
        return ("abcdefgh" * 40)[: max(low, 1 + salt % 7)]
    if kind == "blob":
        return base64.b64encode(b"\x00\xff" * max(1, low)).decode()
    if kind in ("integer", "long"):
        return max(low, 1)
    if kind == "boolean":
        return salt % 2 == 0
    return salt


def _variants(body: dict[str, Any]) -> list[Any]:
    out: list[Any] = [body, {}, [], None]
    for name, value in body.items():
        for bad in (None, 7, True, "", "x" * 5000, ["a"], {"a": 1}, "!!not base64!!", 1.5):
            if bad != value:
                out.append({**body, name: bad})
    return out


def _walker(shape: Any, body: Any) -> tuple[list[str], Any]:
    walker = _validate._Walker()
    try:
        params = walker.structure(shape, body, "")
    except ServiceError as exc:
        return [exc.code], None
    return walker.violations, params


@pytest.mark.parametrize("operation", sorted(table()))
def test_quick_pass_agrees_with_the_walker(operation: str) -> None:
    shape = MODEL.operation_model(operation).input_shape
    if shape is None:
        pytest.skip("no input")
    plan = _validate._quick_plan(shape)
    body = _valid(shape, 0)
    accepted = 0
    for variant in _variants(body):
        quick = plan(variant) if plan is not None else _validate._FAIL
        problems, params = _walker(shape, variant)
        if quick is _validate._FAIL:
            continue
        accepted += 1
        assert problems == [], (variant, problems)
        assert params == quick
        assert [type(v) for v in params.values()] == [type(v) for v in quick.values()]
    if plan is not None and _walker(shape, body)[0] == []:
        assert accepted, "the quick pass refused a body the walker accepts"


def test_a_new_client_reuses_the_compiled_checks() -> None:
    """Every client has shape objects of its own; the straight-line checks generated for
    them are compiled once per distinct source, not once per client (a per-test cost)."""
    import boto3

    def check_of(client: Any) -> Any:
        shape = client.meta.service_model.operation_model("PutSecretValue").input_shape
        return _validate._quick_plan(shape)

    first = check_of(boto3.client("secretsmanager", region_name="us-east-1"))
    second = check_of(boto3.client("secretsmanager", region_name="us-east-1"))
    assert first is not second  # each client's shapes get their own check...
    assert first.__code__ is second.__code__  # ...from the same compiled code


def test_structures_sharing_generated_code_keep_their_own_bounds() -> None:
    """Tag (Key 1-128, Value 0-256) and ExternalSecretRotationMetadataItem (Key 1-256,
    Value 1-2048) generate the same check source: each must still test its own bounds,
    whichever was built first, so neither lets through what the other allows."""
    from mocksm import mock_secretsmanager

    with mock_secretsmanager() as handle:
        for _ in range(2):  # each shape is built before the other is checked
            tags = handle.raw_request("secretsmanager.CreateSecret", {
                "Name": "s", "ClientRequestToken": "t" * 32, "Tags": [{"Key": "k" * 129, "Value": "v"}]})
            assert tags.status == 400 and tags.json()["Message"].endswith(
                "at 'tags.1.member.key' failed to satisfy constraint: Member must have length less "
                "than or equal to 128")
            metadata = handle.raw_request("secretsmanager.RotateSecret", {
                "SecretId": "s", "ClientRequestToken": "t" * 32,
                "ExternalSecretRotationMetadata": [{"Key": "k", "Value": ""}]})
            assert metadata.status == 400 and metadata.json() == {
                "__type": "ValidationException",
                "Message": "1 validation error detected: Value '' at "
                           "'externalSecretRotationMetadata.1.member.value' failed to satisfy "
                           "constraint: Member must have length greater than or equal to 1"}
        assert handle.secrets() == []
