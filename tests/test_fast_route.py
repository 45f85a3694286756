"""The fast answer route against botocore's own parser, operation by operation.

``mocksm._patch`` answers a call with the parsed dict built by ``mocksm._answer``
instead of letting botocore parse a JSON body. That is only allowed if the two agree
exactly, so here every operation of every served service (Secrets Manager and KMS, read
from the live operation tables, so operations added later are covered without editing
this file) has its output shape filled to the brim, its minimal output, and every error
it can answer run through both routes. conftest also
cross-checks every call every other test makes.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from route_check import assert_same

from mocksm import _answer, _patch, _wire, mock_secretsmanager
from mocksm.errors import ServiceError

# Every operation of every served service, from the live tables: operations and services
# added later are covered without editing this file.
SERVED = sorted((service, operation) for service in _wire.TARGET_PREFIXES
                for operation in _wire._operations(service))
OPERATIONS = sorted(op for service, op in SERVED if service == "secretsmanager")


def _has_output(service: str, operation: str) -> bool:
    return _wire.service_model(service).operation_model(operation).output_shape is not None


WITH_OUTPUT = [pair for pair in SERVED if _has_output(*pair)]
TIMESTAMPS = (1700000000.123, 1700000000, 0.5, 1234567890.1234565, 4102444800.999)


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_secretsmanager():
        yield boto3.client("secretsmanager", region_name="us-east-1")


@pytest.fixture
def clients() -> Iterator[dict[str, Any]]:
    with mock_secretsmanager():
        yield {service: boto3.client(service, region_name="us-east-1")
               for service in _wire.TARGET_PREFIXES}


def _sample(shape: Any, depth: int = 0, salt: int = 0) -> Any:
    """A value for ``shape`` with every member present, as a handler would return it."""
    kind = shape.type_name
    if kind == "structure":
        return {name: _sample(member, depth + 1, salt + i)
                for i, (name, member) in enumerate(shape.members.items())}
    if kind == "list":
        return [_sample(shape.member, depth + 1, salt + k) for k in range(2)]
    if kind == "map":
        return {f"key-{k}": _sample(shape.value, depth + 1, salt + k) for k in range(2)}
    if kind == "timestamp":
        return TIMESTAMPS[salt % len(TIMESTAMPS)]
    if kind == "blob":
        return bytes([0, 255, salt % 256]) + b"binary \xe2\x82\xac"
    if kind == "boolean":
        return salt % 2 == 0
    if kind in ("integer", "long"):
        return 7 + salt
    if kind in ("float", "double"):
        return 1.5 + salt
    return f"text-{shape.name}-{salt} \u00e9\u20ac\U0001f511"


def _both(client: Any, operation: str, status: int, body: dict[str, Any]) -> tuple[Any, Any]:
    model = client.meta.service_model.operation_model(operation)
    payload = _wire.encode_body(body)
    headers = _wire.headers(payload)
    http = AWSResponse("https://example.invalid/", status, headers, _patch._Body(payload))
    factory = client._endpoint._response_parser_factory
    fast = _answer.answer(model, factory, status, body, {k.lower(): v for k, v in headers.items()})
    faithful = _patch._parse(client, model, http, factory)
    return fast, faithful


def test_the_table_is_not_empty() -> None:
    assert {"GetSecretValue", "PutSecretValue", "DescribeSecret"} <= set(OPERATIONS)


@pytest.mark.parametrize(("service", "operation"), SERVED)
def test_full_output_matches_the_parser(
    clients: dict[str, Any], service: str, operation: str
) -> None:
    client = clients[service]
    shape = client.meta.service_model.operation_model(operation).output_shape
    body = _sample(shape) if shape is not None else {}
    body["NotInTheModel"] = "dropped by the parser"
    fast, faithful = _both(client, operation, 200, body)
    assert fast is not None, f"{operation}: the fast route refused a Secrets Manager shape"
    assert_same(fast, faithful)


@pytest.mark.parametrize(("service", "operation"), SERVED)
def test_minimal_output_matches_the_parser(
    clients: dict[str, Any], service: str, operation: str
) -> None:
    client = clients[service]
    fast, faithful = _both(client, operation, 200, {})
    assert fast is not None
    assert_same(fast, faithful)


@pytest.mark.parametrize(("service", "operation"), WITH_OUTPUT)
def test_none_members_and_items_match_the_parser(
    clients: dict[str, Any], service: str, operation: str
) -> None:
    client = clients[service]
    shape = client.meta.service_model.operation_model(operation).output_shape
    body = _sample(shape)
    for name, member in shape.members.items():
        if member.type_name == "list":
            body[name] = [None, *body[name]]
        elif len(body) > 1:
            body[name] = None
            break
    fast, faithful = _both(client, operation, 200, body)
    assert_same(fast, faithful)


def _error_cases(client: Any, operation: str) -> list[tuple[str, int]]:
    model = client.meta.service_model.operation_model(operation)
    cases = [(shape.name, shape.metadata.get("error", {}).get("httpStatusCode", 400))
             for shape in model.error_shapes]
    cases += [("ValidationException", 400), ("SerializationException", 400),
              ("InternalServiceError", 500), ("NotImplemented", 501),
              ("AccessDeniedException", 400), ("SomethingNobodyModelled", 400)]
    return cases


@pytest.mark.parametrize(("service", "operation"), SERVED)
def test_errors_match_the_parser(clients: dict[str, Any], service: str, operation: str) -> None:
    client = clients[service]
    for code, status in _error_cases(client, operation):
        error = ServiceError(code, f"{code} happened: \u00e9 'quoted' \"double\"", status)
        body = _wire.error_body(error)
        for variant in (body, {"__type": code, "message": error.message}, {"__type": code}):
            fast, faithful = _both(client, operation, status, variant)
            assert fast is not None, code
            assert_same(fast, faithful)
        fast, faithful = _both(client, operation, status, body)
        assert fast is not None, code
        assert_same(fast, faithful)
        # the exception the client raises is built from the parsed dict
        raised = [client.exceptions.from_code(p["Error"]["Code"])(p, operation)
                  for p in (fast, faithful)]
        assert type(raised[0]) is type(raised[1])
        assert str(raised[0]) == str(raised[1])
        assert_same(raised[0].response, raised[1].response)


def test_unusual_error_codes_match_the_parser(client: Any) -> None:
    for code in ("com.amazonaws.secretsmanager#ResourceNotFoundException",
                 "ResourceNotFoundException:http://internal.amazon.com/", ""):
        fast, faithful = _both(client, "GetSecretValue", 400, {"__type": code, "message": "m"})
        assert_same(fast, faithful)
    fast, faithful = _both(client, "GetSecretValue", 400, {"Message": "no type"})
    assert_same(fast, faithful)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "Europe/Paris", "America/St_Johns"])
def test_timestamps_match_in_any_local_zone(
    clients: dict[str, Any], zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        for service, operation in SERVED:
            client = clients[service]
            shape = client.meta.service_model.operation_model(operation).output_shape
            if shape is not None:
                fast, faithful = _both(client, operation, 200, _sample(shape))
                assert_same(fast, faithful)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_custom_parser_defaults_are_honoured(clients: dict[str, Any]) -> None:
    """awscli-style factories with their own timestamp/blob parsers still match."""
    factory = clients["secretsmanager"]._endpoint._response_parser_factory
    assert all(c._endpoint._response_parser_factory is factory for c in clients.values())
    original = dict(factory._defaults)
    factory.set_parser_defaults(timestamp_parser=lambda v: ("ts", v),
                                blob_parser=lambda v: ("blob", v))
    try:
        for service, operation in SERVED:
            client = clients[service]
            shape = client.meta.service_model.operation_model(operation).output_shape
            if shape is not None:
                fast, faithful = _both(client, operation, 200, _sample(shape))
                assert fast is not None
                assert_same(fast, faithful)
    finally:
        factory._defaults = original


def test_real_calls_take_the_fast_route(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end through boto3: results and errors are the parser's, on the fast route."""
    answered: list[str] = []
    real = _answer.answer

    def counting(*args: Any) -> Any:
        result = real(*args)
        answered.append("fast" if result is not None else "faithful")
        return result

    monkeypatch.setattr(_answer, "answer", counting)
    client.create_secret(Name="db", SecretString="first", Description="d",
                         Tags=[{"Key": "k", "Value": "v"}])
    client.put_secret_value(SecretId="db", SecretBinary=b"\x00second")
    got = client.get_secret_value(SecretId="db")
    assert got["SecretBinary"] == b"\x00second"
    assert isinstance(got["CreatedDate"], _dt.datetime)
    assert got["ResponseMetadata"]["RetryAttempts"] == 0
    client.describe_secret(SecretId="db")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.get_secret_value(SecretId="missing")
    assert caught.value.response["Message"] == "Secrets Manager can't find the specified secret."
    with pytest.raises(ClientError) as invalid:
        client.get_secret_value(SecretId="db", VersionId="x" * 65)
    assert invalid.value.response["Error"]["Code"] == "ValidationException"
    assert answered and set(answered) == {"fast"}


def _scenario(client: Any) -> list[Any]:
    """Results and exceptions of a fixed sequence, minus what varies run to run."""
    out: list[Any] = []

    def record(call: Any, **kwargs: Any) -> None:
        try:
            result = call(**kwargs)
        except ClientError as exc:
            result = {"raised": type(exc).__name__, "str": str(exc), **exc.response}
        metadata = result.pop("ResponseMetadata")
        headers = dict(metadata.pop("HTTPHeaders"))
        metadata.pop("RequestId")
        headers.pop("x-amzn-requestid")
        headers.pop("date")
        out.append((result, metadata, headers))

    record(client.create_secret, Name="s", SecretString="v1", ClientRequestToken="t" * 32)
    record(client.put_secret_value, SecretId="s", SecretString="v2", ClientRequestToken="u" * 32)
    record(client.update_secret, SecretId="s", Description="new")
    record(client.get_secret_value, SecretId="s", VersionStage="AWSPREVIOUS")
    record(client.describe_secret, SecretId="s")
    record(client.get_secret_value, SecretId="nope")
    record(client.put_secret_value, SecretId="s", SecretString="other",
           ClientRequestToken="u" * 32)
    record(client.create_secret, Name="bad name!")
    return out


def test_exceptions_and_results_equal_on_both_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = []
    for fast in (True, False):
        monkeypatch.setattr(_patch.route, "fast", fast)
        monkeypatch.setattr(_patch.route, "cross_check", None)
        with mock_secretsmanager() as handle:
            handle.clock.freeze("2026-01-02T03:04:05Z")
            client = boto3.client("secretsmanager", region_name="us-east-1")
            monkeypatch.setattr("mocksm.secretsmanager.store.random_suffix", lambda: "AAAAAA")
            runs.append(_scenario(client))
    assert len(runs[0]) == len(runs[1])
    for fast_step, faithful_step in zip(*runs, strict=True):
        assert_same(fast_step, faithful_step)
    assert os.environ.get("TZ") != "broken"  # the zone tests restored it


def test_freezegun_datetimes_match_the_parser(client: Any) -> None:
    """Under freezegun botocore builds FakeDatetime objects; so must the fast route,
    also for timestamps it has seen (and memoized) before the freeze."""
    freezegun = pytest.importorskip("freezegun")
    shape = client.meta.service_model.operation_model("DescribeSecret").output_shape
    body = _sample(shape)
    _both(client, "DescribeSecret", 200, body)  # memoizes the sample's timestamps
    with freezegun.freeze_time("2030-01-01"):
        fast, faithful = _both(client, "DescribeSecret", 200, body)
        assert type(faithful["CreatedDate"]).__name__ == "FakeDatetime"
        assert_same(fast, faithful)
    after, faithful_after = _both(client, "DescribeSecret", 200, body)
    assert type(after["CreatedDate"]).__name__ == "datetime"
    assert_same(after, faithful_after)


def test_http_response_is_complete_on_the_fast_route(client: Any) -> None:
    """after-call hooks see an AWSResponse (its header table made on first read): status,
    case-insensitive headers, body, text, and headers that can be replaced."""
    seen: list[Any] = []
    client.meta.events.register("after-call.secrets-manager.*",
                                lambda http_response, **_: seen.append(http_response))
    created = client.create_secret(Name="http", SecretString="v")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_secret(SecretId="absent")
    ok, failed = seen
    assert isinstance(ok, AWSResponse) and ok.status_code == 200 and failed.status_code == 400
    assert ok.headers["X-AMZN-REQUESTID"] == created["ResponseMetadata"]["RequestId"]
    assert ok.headers["content-type"] == "application/x-amz-json-1.1"
    assert int(ok.headers["Content-Length"]) == len(ok.content)
    assert json.loads(ok.content)["ARN"] == created["ARN"]
    assert json.loads(failed.content)["__type"] == "ResourceNotFoundException"
    assert created["ResponseMetadata"]["HTTPHeaders"] == {
        key.lower(): value for key, value in ok.headers.items()
    }
    assert json.loads(ok.text)["Name"] == "http" and ok.raw.stream().__next__() == ok.content
    ok.headers["x-extra"] = "1"
    assert ok.headers["X-Extra"] == "1"
    failed.headers = {"replaced": "yes"}
    assert failed.headers == {"replaced": "yes"}


def _known_bodies(client: Any, operation: str) -> dict[Any, Any] | None:
    model = client.meta.service_model.operation_model(operation)
    return model.__dict__["_mocksm_plan"][4]  # type: ignore[no-any-return]


def test_repeated_reads_reuse_validation_but_never_remember_secret_values(client: Any) -> None:
    """Flat bodies of operations without sensitive members are remembered per client and
    operation; bodies carrying a secret value never are, and errors are never remembered."""
    client.create_secret(Name="memo", SecretString="plaintext-create-7f3a")
    client.put_secret_value(SecretId="memo", SecretString="plaintext-put-9c1e")
    for _ in range(3):
        assert client.get_secret_value(SecretId="memo")["SecretString"] == "plaintext-put-9c1e"
    previous = client.get_secret_value(SecretId="memo", VersionStage="AWSPREVIOUS")
    assert previous["SecretString"] == "plaintext-create-7f3a"
    assert client.describe_secret(SecretId="memo")["Name"] == "memo"
    for _ in range(2):
        with pytest.raises(ClientError) as invalid:
            client.get_secret_value(SecretId="memo", VersionId="x" * 65)
        assert invalid.value.response["Error"]["Code"] == "ValidationException"

    remembered = _known_bodies(client, "GetSecretValue")
    assert remembered is not None and len(remembered) == 2  # the two valid bodies
    assert _known_bodies(client, "CreateSecret") is None
    assert _known_bodies(client, "PutSecretValue") is None
    everything = repr([model.__dict__.get("_mocksm_plan")
                       for model in map(client.meta.service_model.operation_model,
                                        client.meta.service_model.operation_names)])
    assert "plaintext-" not in everything


def test_a_remembered_body_gives_each_call_its_own_parameters(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler that changes its parameters cannot change what the next call sees."""
    from mocksm.secretsmanager.operations import table

    client.create_secret(Name="own", SecretString="v")
    seen: list[dict[str, Any]] = []
    real = table()["DescribeSecret"]

    def meddling(call: Any, params: dict[str, Any]) -> dict[str, Any]:
        seen.append(dict(params))
        answer = real(call, params)
        params["SecretId"] = "somebody-else"
        return answer

    model = client.meta.service_model.operation_model("DescribeSecret")
    service, operation, _, convert, known = model.__dict__.get("_mocksm_plan") or _patch._plan(model)
    model.__dict__["_mocksm_plan"] = (service, operation, meddling, convert, known)
    for _ in range(3):
        assert client.describe_secret(SecretId="own")["Name"] == "own"
    assert seen == [{"SecretId": "own"}] * 3
