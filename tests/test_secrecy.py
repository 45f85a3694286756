"""Secrets stay secret: no plaintext value in a repr, a log record, a warning, an error
message or an exception mocksm keeps. Each test plants unique markers as values and
looks for them everywhere mocksm could have put them."""

from __future__ import annotations

import base64
import copy
import json
import logging
import pickle
import traceback
import uuid
import warnings
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mocksm import ServiceError, _handle, _patch, _wire
from mocksm.rotation import STEPS, RotationAttempt
from mocksm.secretsmanager import labels, rotation_engine, rotation_simulated
from tests.secrecy_support import holders, marker, reachable

FN = "arn:aws:lambda:us-east-1:123456789012:function:rotator"


def _text_of(exc: BaseException) -> str:
    """What an exception says about itself: repr, str, args, notes, down its chain."""
    parts: list[str] = []
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        parts += [repr(error), str(error), repr(error.args), repr(getattr(error, "__notes__", None))]
        pending += [error.__cause__, error.__context__]
    return "\n".join(parts)


# -- exceptions mocksm keeps -------------------------------------------------------------------

def test_an_internal_error_keeps_no_request_value(mocksm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``handle.last_internal_error`` lives as long as the state: its frames must not keep
    the request's values alive, though the traceback still shows where mocksm failed."""
    sm = mocksm.client()
    sm.create_secret(Name="s", SecretString="first")
    value = marker("put")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug in mocksm")

    monkeypatch.setattr(labels, "current_to", broken)  # deep inside: frames hold the value
    with pytest.raises(ClientError) as caught:
        sm.put_secret_value(SecretId="s", SecretString=value)
    assert caught.value.response["Error"]["Code"] == "InternalServiceError"
    assert value not in str(caught.value)
    kept = mocksm.last_internal_error
    assert isinstance(kept, RuntimeError)
    assert value not in _text_of(kept)
    assert holders(value, kept) == []
    assert holders(value, mocksm._state) == []
    shown = "".join(traceback.format_exception(kept))
    assert "in put_secret_value" in shown and "in add_version" in shown


def test_a_validator_failure_keeps_no_request_body(mocksm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    value = marker("body")

    def broken(shape: Any, body: Any) -> Any:
        raise RuntimeError("a bug in the validator")

    monkeypatch.setattr(_wire, "validate_input", broken)
    response = mocksm.raw_request("secretsmanager.CreateSecret", {
        "Name": "s", "SecretString": value, "ClientRequestToken": str(uuid.uuid4())})
    assert response.status == 500
    assert value.encode() not in response.body
    assert holders(value, mocksm.last_internal_error) == []


def mocksm_client() -> Any:
    """A client made inside a rotation function, as the function itself would."""
    import boto3

    return boto3.client("secretsmanager")


def _reads_then_fails(seen: list[str]) -> Any:
    """A rotation function that reads the current value, stores a new one, then fails."""

    def handler(event: dict[str, Any], context: Any) -> None:
        client = mocksm_client()
        current = client.get_secret_value(SecretId=event["SecretId"])["SecretString"]
        pending = marker("pending")
        client.put_secret_value(SecretId=event["SecretId"], SecretString=pending,
                                ClientRequestToken=event["ClientRequestToken"],
                                VersionStages=["AWSPENDING"])
        seen.extend([current, pending, event["RotationToken"]])
        raise RuntimeError("the database refused the new password")

    return handler


def test_a_failed_rotation_keeps_no_value_it_handled(mocksm: Any) -> None:
    """The rotation log keeps the exception a step raised; the function's variables (the
    value it read, the value it wrote, the rotation token) must not live on with it."""
    seen: list[str] = []
    mocksm.register_rotation_function(FN, _reads_then_fails(seen))
    sm = mocksm.client()
    sm.create_secret(Name="db", SecretString=marker("current"))
    sm.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    [attempt] = mocksm.rotation_log("db")
    assert attempt.outcome == "failed" and isinstance(attempt.error, RuntimeError)
    assert len(seen) == 3
    for needle in seen:
        assert holders(needle, mocksm._state) == [], needle
        assert needle not in repr(attempt)
    shown = "".join(traceback.format_exception(attempt.error))
    assert "in handler" in shown and "the database refused" in shown



def _connect(password: str) -> None:
    raise ConnectionError("the database refused the login")


def test_an_error_raised_while_handling_another_keeps_neither_frames_values(mocksm: Any) -> None:
    """A function that turns one failure into another keeps the first as the second's
    context (and cause): the frames of both held the value, so both are cleared."""
    value = marker("current")

    def handler(event: dict[str, Any], context: Any) -> None:
        current = mocksm_client().get_secret_value(SecretId=event["SecretId"])["SecretString"]
        try:
            _connect(current)
        except ConnectionError as exc:
            raise RuntimeError("setSecret failed") from exc

    mocksm.register_rotation_function(FN, handler)
    sm = mocksm.client()
    sm.create_secret(Name="db", SecretString=value)
    sm.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    [attempt] = mocksm.rotation_log("db")
    assert isinstance(attempt.error, RuntimeError)
    assert isinstance(attempt.error.__cause__, ConnectionError)
    assert holders(value, mocksm._state) == []
    shown = "".join(traceback.format_exception(attempt.error))
    assert "in _connect" in shown and "the database refused the login" in shown

@pytest.mark.mocksm(unregistered_rotation_lambda="simulate")
def test_a_failed_simulated_rotation_keeps_no_value(mocksm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """mocksm's own simulated rotation decrypts the current value to derive the next one;
    when it fails after that, the value must not stay behind in the rotation log."""
    value = marker("old")
    sm = mocksm.client()
    sm.create_secret(Name="db", SecretString=value)

    def broken(current: Any) -> Any:
        raise RuntimeError("no new value")

    monkeypatch.setattr(rotation_simulated, "new_value", broken)
    sm.rotate_secret(SecretId="db", RotationLambdaARN=FN)
    [attempt] = mocksm.rotation_log("db")
    assert attempt.simulated and attempt.outcome == "failed"
    assert holders(value, mocksm._state) == []


def test_a_scheduled_rotation_that_cannot_start_keeps_an_error_without_variables(mocksm: Any) -> None:
    """The schedule records why a rotation could not start (here: no room for AWSPENDING
    among 20 labels); the frames of that kept error hold the secret being planned."""
    mocksm.register_rotation_function(FN, lambda event, context: None)
    sm = mocksm.client()
    sm.create_secret(Name="db", SecretString="v0")
    sm.put_secret_value(SecretId="db", SecretString="v1", VersionStages=[f"L{i:02d}" for i in range(19)])
    sm.rotate_secret(SecretId="db", RotationLambdaARN=FN, RotationRules={"AutomaticallyAfterDays": 1},
                     RotateImmediately=False)
    mocksm.clock.advance(days=2)
    [attempt] = [a for a in mocksm.run_due_rotations() if a.kind == "rotation"]
    assert attempt.outcome == "failed" and isinstance(attempt.error, ServiceError)
    assert attempt.error.code == "LimitExceededException"
    tb = attempt.error.__traceback__
    assert tb is not None  # raised below the schedule's own frame
    while tb is not None:
        assert tb.tb_frame.f_locals == {}, tb.tb_frame.f_code.co_name
        tb = tb.tb_next

def test_a_rotation_job_does_not_show_its_rotation_token(mocksm: Any) -> None:
    sm = mocksm.client()
    sm.create_secret(Name="db", SecretString="v")
    secret = mocksm._state.backend(mocksm.account_id, mocksm.region).by_name["db"]
    attempt = RotationAttempt(secret.arn, "db", "t", "rotation", "RotateSecret", FN, False, 0.0)
    job = rotation_engine.Job(mocksm._state, secret, "t", lambda e, c: None, FN, STEPS, attempt)
    assert job.rotation_token not in repr(job) and job.rotation_token not in str(job)


def test_a_refused_managed_secret_error_carries_no_value(mocksm: Any) -> None:
    """``create_managed_secret`` raises ServiceError straight to the test: neither it nor
    the exception it was raised from may hold the value."""
    value = marker("managed")
    with pytest.raises(ServiceError) as caught:
        mocksm.create_managed_secret("rds", "rds!db", SecretString=value + "\ud800")
    error = caught.value
    assert error.code == "SerializationException"
    assert value not in _text_of(error)
    error.__traceback__ = None  # its live frames are the caller's own, which hold the value
    assert holders(value, error) == []


# -- messages ------------------------------------------------------------------------------

_LONG = 65537


@pytest.mark.parametrize(("target", "body"), [
    ("secretsmanager.CreateSecret", {"Name": "s", "SecretString": "{m}" + "x" * _LONG}),
    ("secretsmanager.CreateSecret", {"Name": "s", "SecretString": ["{m}"]}),
    ("secretsmanager.CreateSecret", {"Name": "s", "SecretString": {"{m}": 1}}),
    ("secretsmanager.CreateSecret", {"Name": "s", "SecretString": "{m}\ud800"}),
    ("secretsmanager.CreateSecret", {"Name": "s", "SecretBinary": "{m}!"}),
    ("secretsmanager.CreateSecret", {"Name": "s", "SecretBinary": ["{m}"]}),
    ("secretsmanager.PutSecretValue", {"SecretId": "s", "SecretBinary": "{b64long}"}),
    ("secretsmanager.PutSecretValue", {"SecretId": "s", "SecretString": "", "RotationToken": "{m}!"}),
    ("secretsmanager.PutSecretValue", {"SecretId": "s", "SecretString": "{m}", "RotationToken": "{m}" * 9}),
    ("secretsmanager.UpdateSecret", {"SecretId": "s", "SecretString": "{m}" + "y" * _LONG}),
    ("TrentService.Encrypt", {"KeyId": "alias/k", "Plaintext": "{b64long}"}),
    ("TrentService.Encrypt", {"KeyId": "alias/k", "Plaintext": "{m}!"}),
    ("TrentService.Encrypt", {"KeyId": "alias/k", "Plaintext": ["{m}"]}),
])
def test_no_error_message_echoes_a_sensitive_value(mocksm: Any, target: str, body: dict[str, Any]) -> None:
    value = marker("sent").replace("-", "")
    long_blob = base64.b64encode(value.encode() * 2000).decode()
    text = json.dumps(body).replace("{m}", value).replace("{b64long}", long_blob)
    body = json.loads(text)
    if target.startswith("secretsmanager."):
        body.setdefault("ClientRequestToken", str(uuid.uuid4()))
    response = mocksm.raw_request(target, body)
    assert response.status == 400, response.body
    assert value.encode() not in response.body and long_blob.encode() not in response.body
    assert response.json()["__type"] in ("ValidationException", "SerializationException")


# -- logs and warnings -----------------------------------------------------------------------

def _workload(mocksm: Any, markers: list[str]) -> None:
    """Every kind of value mocksm handles, including a rotation that fails with the value
    in its exception's message and an internal failure."""
    sm, kms = mocksm.client(), mocksm.client("kms")

    def failing(event: dict[str, Any], context: Any) -> None:
        value = mocksm_client().get_secret_value(SecretId=event["SecretId"])["SecretString"]
        raise ValueError(f"cannot use {value}")

    mocksm.register_rotation_function(FN, failing)
    mocksm.register_rotation_function("builtin-fn", "builtin")
    sm.create_secret(Name="a", SecretString=markers[0], AddReplicaRegions=[{"Region": "us-west-2"}])
    sm.put_secret_value(SecretId="a", SecretBinary=markers[1].encode())
    sm.update_secret(SecretId="a", SecretString=markers[2])
    sm.get_secret_value(SecretId="a")
    sm.batch_get_secret_value(SecretIdList=["a", "missing"])
    sm.rotate_secret(SecretId="a", RotationLambdaARN=FN)
    sm.create_secret(Name="b", SecretString=json.dumps({"password": markers[3]}))
    sm.rotate_secret(SecretId="b", RotationLambdaARN="builtin-fn")
    markers.append(sm.get_secret_value(SecretId="b")["SecretString"])
    markers.append(sm.get_random_password()["RandomPassword"])
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key, Plaintext=markers[4].encode())["CiphertextBlob"]
    kms.decrypt(CiphertextBlob=blob)
    markers.append(base64.b64encode(kms.generate_data_key(KeyId=key, NumberOfBytes=48)["Plaintext"]).decode())
    with pytest.raises(ClientError):
        sm.put_secret_value(SecretId="a", SecretString=markers[5], RotationToken="!" * 36)
    original = labels.current_to
    labels.current_to = None  # type: ignore[assignment]  # an internal failure
    try:
        with pytest.raises(ClientError):
            sm.put_secret_value(SecretId="a", SecretString=markers[6])
    finally:
        labels.current_to = original


def _shown(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info:
        text += "".join(traceback.format_exception(*record.exc_info))
    return text + (record.stack_info or "")


@pytest.mark.parametrize("fast", [True, False])
def test_no_log_record_or_warning_carries_a_value(mocksm: Any, caplog: pytest.LogCaptureFixture,
                                                   monkeypatch: pytest.MonkeyPatch, fast: bool) -> None:
    """At DEBUG, on both answer routes, mocksm's own records never show a value. On the
    fast route nothing else does either: botocore's endpoint, which logs request bodies
    against AWS, is not involved. On the faithful route botocore's response parser logs
    the body it parses, as it does against AWS; that record is botocore's, not ours."""
    _patch.route.cross_check = None  # the conftest fixture that set it resets it after the test
    monkeypatch.setattr(_patch.route, "fast", fast)
    caplog.set_level(logging.DEBUG)
    markers = [marker(f"logged{i}") for i in range(7)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _workload(mocksm, markers)
    ours = [r for r in caplog.records if r.name.split(".")[0] == "mocksm"]
    assert any(r.levelno == logging.WARNING and "failed in createSecret" in r.getMessage() for r in ours)
    for needle in markers:
        assert not [r for r in ours if needle in _shown(r)], needle
        assert not [w for w in caught if needle in str(w.message)], needle
    showing = {r.name for r in caplog.records for needle in markers if needle in _shown(r)}
    assert showing == (set() if fast else {"botocore.parsers"})


# -- reprs, copies, pickles ----------------------------------------------------------------

def test_no_repr_shows_a_value(mocksm: Any) -> None:
    """repr and str of every mocksm object reachable from the state, the handle, its views,
    the rotation log and a raw answer."""
    markers = [marker(f"shown{i}") for i in range(7)]
    _workload(mocksm, markers)
    raw = mocksm.raw_request("secretsmanager.GetSecretValue", {"SecretId": "a"})
    batch = mocksm.raw_request("secretsmanager.BatchGetSecretValue", {"SecretIdList": ["a", "b"]})
    password = mocksm.raw_request("secretsmanager.GetRandomPassword", {})
    assert markers[2].encode() in raw.body and b"SecretValues" in batch.body
    markers.append(password.json()["RandomPassword"])
    roots = [mocksm._state, mocksm, mocksm.kms, mocksm.secrets(), mocksm.secrets(region="us-west-2"),
             mocksm.rotation_log("a"), mocksm.rotation_log("b"), mocksm.kms.list_keys(), raw, batch,
             password]
    shown: list[str] = []
    for obj in reachable(*roots):
        if type(obj).__module__.split(".")[0] == "mocksm":
            shown += [repr(obj), str(obj)]
    assert len(shown) > 50
    text = "\n".join(shown)
    for needle in markers:
        assert needle not in text, needle
    assert '"SecretString":"*** Sensitive Data Redacted ***"' in repr(raw)


def test_raw_answers_hide_what_the_models_mark_sensitive(mocksm: Any) -> None:
    """The members RawResponse's repr hides come from botocore's models, for both served
    services: a KMS Plaintext as much as a SecretString."""
    assert {"SecretString", "SecretBinary", "RandomPassword", "Plaintext",
            "PrivateKeyPlaintext", "SharedSecret"} <= _handle.sensitive_members()
    assert "ARN" not in _handle.sensitive_members() and "Name" not in _handle.sensitive_members()
    key = mocksm.kms.create_key().key_id
    value = marker("plain")
    blob = mocksm.raw_request("TrentService.Encrypt", {"KeyId": key, "Plaintext": value.encode()})
    plain = mocksm.raw_request("TrentService.Decrypt", {"CiphertextBlob": blob.json()["CiphertextBlob"]})
    assert plain.status == 200 and base64.b64decode(plain.json()["Plaintext"]) == value.encode()
    assert '"Plaintext":"*** Sensitive Data Redacted ***"' in repr(plain)
    assert base64.b64encode(value.encode()).decode() not in repr(plain)


def test_copies_and_pickles_hold_only_ciphertext(mocksm: Any) -> None:
    sm = mocksm.client()
    value = marker("copied")
    sm.create_secret(Name="s", SecretString=value)
    secret = mocksm._state.backend(mocksm.account_id, mocksm.region).by_name["s"]
    assert value.encode() not in pickle.dumps(secret)
    assert holders(value, copy.deepcopy(secret)) == []
    (key,) = mocksm._state.kms(mocksm.account_id, mocksm.region).keys.values()
    with pytest.raises(TypeError):  # key material is never serialized
        pickle.dumps(key)
    assert sm.get_secret_value(SecretId="s")["SecretString"] == value
