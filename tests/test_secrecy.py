"""Secrets stay secret: no plaintext value in a repr, a log record, a warning, an error
message or an exception mocksm keeps. Each test plants unique markers as values and
looks for them everywhere mocksm could have put them."""

from __future__ import annotations

import traceback
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mocksm import ServiceError, _wire
from mocksm.rotation import STEPS, RotationAttempt
from mocksm.secretsmanager import rotation_engine, versioning
from tests.secrecy_support import holders, marker

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

    monkeypatch.setattr(versioning, "commit_version", broken)
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
    assert "in put_secret_value" in shown and "commit_version" in shown


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
