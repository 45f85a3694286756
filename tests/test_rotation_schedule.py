"""RotationRules validation, NextRotationDate, and rotations falling due on the mock clock."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest

from tests.helpers import aws_error

FN = "arn:aws:lambda:us-east-1:123456789012:function:rotator"
T0 = "2026-03-10T10:30:00Z"  # a Tuesday


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat()


@pytest.fixture
def client(mocksm: Any) -> Any:
    mocksm.register_rotation_function(FN, "builtin")
    mocksm.clock.freeze(T0)
    client = mocksm.client()
    client.create_secret(Name="db", SecretString=json.dumps({"user": "app", "password": "p0"}))
    return client


def _password(client: Any) -> str:
    value: str = json.loads(client.get_secret_value(SecretId="db")["SecretString"])["password"]
    return value


def _configure(client: Any, **rules: Any) -> dict[str, Any]:
    """Configure rotation without rotating now, and return DescribeSecret."""
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN, RotationRules=rules,
                         RotateImmediately=False)
    described: dict[str, Any] = client.describe_secret(SecretId="db")
    return described


# -- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize(("rules", "next_date"), [
    ({"AutomaticallyAfterDays": 30}, "2026-04-09T23:59:59+00:00"),
    ({"AutomaticallyAfterDays": 1, "Duration": "3h"}, "2026-03-11T03:00:00+00:00"),
    ({"AutomaticallyAfterDays": 1000}, "2028-12-04T23:59:59+00:00"),
    ({"ScheduleExpression": "rate(10 days)"}, "2026-03-20T23:59:59+00:00"),
    ({"ScheduleExpression": "rate(1 day)", "Duration": "24h"}, "2026-03-12T00:00:00+00:00"),
    ({"ScheduleExpression": "rate(4 hours)"}, "2026-03-10T15:00:00+00:00"),
    ({"ScheduleExpression": "rate(12 hours)", "Duration": "12h"}, "2026-03-11T10:00:00+00:00"),
    ({"ScheduleExpression": "rate(5 hours)", "Duration": "2h"}, "2026-03-10T17:00:00+00:00"),
    ({"ScheduleExpression": "cron(0 16 * * ? *)"}, "2026-03-10T23:59:59+00:00"),
    ({"ScheduleExpression": "cron(0 16 * * ? *)", "Duration": "2h"}, "2026-03-10T18:00:00+00:00"),
    ({"ScheduleExpression": "cron(0 8 * * ? *)"}, "2026-03-11T23:59:59+00:00"),
    ({"ScheduleExpression": "cron(0 4/12 * * ? *)"}, "2026-03-10T17:00:00+00:00"),
    ({"ScheduleExpression": "cron(0 0 ? * SUN#1 *)"}, "2026-04-05T23:59:59+00:00"),
    ({"ScheduleExpression": "cron(0 0 ? * MON-FRI *)", "Duration": "4h"},
     "2026-03-11T04:00:00+00:00"),
    ({"ScheduleExpression": "cron(0 16 L * ? *)"}, "2026-03-31T23:59:59+00:00"),
    ({"ScheduleExpression": "cron(0 9 15W * ? *)"}, "2026-03-16T23:59:59+00:00"),
    ({"ScheduleExpression": "cron(0 9 LW * ? *)"}, "2026-03-31T23:59:59+00:00"),
    ({"ScheduleExpression": "cron(0 9 ? * 6L *)"}, "2026-03-27T23:59:59+00:00"),
    ({"ScheduleExpression": "cron(0 0 1 JAN,JUL ? *)"}, "2026-07-01T23:59:59+00:00"),
    ({"ScheduleExpression": "cron(0 0 29 2 ? *)"}, "2028-02-29T23:59:59+00:00"),
])
def test_valid_rules_and_next_rotation_date(client: Any, rules: dict[str, Any],
                                            next_date: str) -> None:
    described = _configure(client, **rules)
    assert described["RotationRules"] == rules
    assert _iso(described["NextRotationDate"]) == next_date


@pytest.mark.parametrize("expression", [
    "rate(3 hours)", "rate(0 days)", "rate(1001 days)", "rate(5 weeks)", "rate(5days)",
    "rate(-1 days)", "every day", "cron(0 16 * * ?)", "cron(0 16 * * ? * *)",
    "cron(5 16 * * ? *)", "cron(0 16 * * ? 2027)", "cron(0 16 * * * *)", "cron(0 16 ? * ? *)",
    "cron(0 24 * * ? *)", "cron(0 */2 * * ? *)", "cron(0 1,3 * * ? *)", "cron(0 0 32 * ? *)",
    "cron(0 0 30 2 ? *)", "cron(0 0 ? * 8 *)", "cron(0 0 ? * MON#6 *)", "cron(0 0 1 13 ? *)",
    "cron(0 0 ? * FRI-MON *)", "cron(0 0 1W,L- * ? *)", "cron()",
])
def test_invalid_schedule_expression(client: Any, expression: str) -> None:
    with aws_error("InvalidParameterException", "Invalid ScheduleExpression."):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                             RotationRules={"ScheduleExpression": expression})
    assert "RotationEnabled" not in client.describe_secret(SecretId="db")


@pytest.mark.parametrize("rules", [
    {"AutomaticallyAfterDays": 1, "Duration": "25h"},
    {"AutomaticallyAfterDays": 1, "Duration": "0h"},
    {"ScheduleExpression": "rate(4 hours)", "Duration": "5h"},
    {"ScheduleExpression": "cron(0 20 * * ? *)", "Duration": "5h"},
    {"ScheduleExpression": "cron(0 4/12 * * ? *)", "Duration": "10h"},
    {"ScheduleExpression": "cron(0 0/6 * * ? *)", "Duration": "7h"},
])
def test_invalid_duration(client: Any, rules: dict[str, Any]) -> None:
    with aws_error("InvalidParameterException", "Invalid Duration."):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN, RotationRules=rules)


def test_both_frequency_and_expression(client: Any) -> None:
    with aws_error("InvalidParameterException",
                   "You cannot specify both rotation frequency and schedule expression together."):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN, RotationRules={
            "AutomaticallyAfterDays": 2, "ScheduleExpression": "rate(2 days)"})


def test_model_constraints_are_validation_exceptions(client: Any) -> None:
    with aws_error("ValidationException"):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                             RotationRules={"AutomaticallyAfterDays": 1001})
    with aws_error("ValidationException"):
        client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                             RotationRules={"AutomaticallyAfterDays": 1, "Duration": "3x"})


def test_rules_are_checked_before_the_secret_is_looked_up(client: Any) -> None:
    with aws_error("InvalidParameterException", "Invalid ScheduleExpression."):
        client.rotate_secret(SecretId="no-such-secret", RotationLambdaARN=FN,
                             RotationRules={"ScheduleExpression": "rate(1 week)"})


def test_rate_in_days_also_reports_automatically_after_days(client: Any) -> None:
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                         RotationRules={"ScheduleExpression": "rate(10 days)"})
    rules = client.describe_secret(SecretId="db")["RotationRules"]
    assert rules == {"ScheduleExpression": "rate(10 days)", "AutomaticallyAfterDays": 10}
    client.rotate_secret(SecretId="db")  # the stored (derived) rules stay usable
    assert client.describe_secret(SecretId="db")["RotationRules"] == rules


@pytest.mark.parametrize(("expression", "days"), [
    ("rate(10 hours)", 1), ("rate(4 hours)", 1), ("rate(24 hours)", 1), ("rate(36 hours)", 2),
])
def test_rate_in_hours_also_reports_automatically_after_days(client: Any, expression: str,
                                                              days: int) -> None:
    """A real DescribeSecret quoted in terraform-provider-aws PR #31915 shows
    {"AutomaticallyAfterDays": 1, "ScheduleExpression": "rate(10 hours)"}; sending that pair
    back is the error the PR was about."""
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                         RotationRules={"ScheduleExpression": expression})
    rules = client.describe_secret(SecretId="db")["RotationRules"]
    assert rules == {"ScheduleExpression": expression, "AutomaticallyAfterDays": days}
    with aws_error("InvalidParameterException",
                   "You cannot specify both rotation frequency and schedule expression together."):
        client.rotate_secret(SecretId="db", RotationRules=rules)


# -- scheduled rotation ----------------------------------------------------------------------

def test_after_30_days_the_password_changed(mocksm: Any, client: Any) -> None:
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                         RotationRules={"AutomaticallyAfterDays": 30})
    rotated = _password(client)
    assert rotated != "p0"
    mocksm.clock.advance(days=29)
    assert _password(client) == rotated  # not due yet
    mocksm.clock.advance(days=1)
    assert _password(client) != rotated  # due: rotated lazily before this call was answered
    log = mocksm.rotation_log("db")
    assert [(a.trigger, a.outcome) for a in log] == [
        ("RotateSecret", "succeeded"), ("schedule", "succeeded")]
    described = client.describe_secret(SecretId="db")
    assert described["LastRotatedDate"] == mocksm.clock.now_datetime()
    assert _iso(described["NextRotationDate"]) == "2026-05-09T23:59:59+00:00"


def test_a_long_jump_rotates_once(mocksm: Any, client: Any) -> None:
    _configure(client, AutomaticallyAfterDays=7)
    mocksm.clock.advance(days=100)
    client.describe_secret(SecretId="db")
    assert [a.trigger for a in mocksm.rotation_log("db")] == ["RotateSecret", "schedule"]
    assert mocksm.rotation_log("db")[0].kind == "test"


def test_run_due_rotations_explicitly(mocksm: Any, client: Any) -> None:
    _configure(client, ScheduleExpression="rate(4 hours)")  # at 10:30: the window is 14:00-15:00
    assert mocksm.run_due_rotations() == []
    mocksm.clock.advance(hours=3, minutes=29)
    assert mocksm.run_due_rotations() == []
    mocksm.clock.advance(minutes=1)
    [attempt] = mocksm.run_due_rotations()
    assert attempt.trigger == "schedule" and attempt.succeeded
    assert mocksm.run_due_rotations() == []
    assert _password(client) != "p0"
    assert mocksm.secret("db").version_with("AWSCURRENT") == attempt.version_id


def test_cron_schedule(mocksm: Any, client: Any) -> None:
    _configure(client, ScheduleExpression="cron(0 16 ? * FRI *)", Duration="2h")
    mocksm.clock.set("2026-03-13T15:59:00Z")
    assert mocksm.run_due_rotations() == []
    mocksm.clock.set("2026-03-13T16:00:00Z")
    assert _password(client) != "p0"
    assert _iso(client.describe_secret(SecretId="db")["NextRotationDate"]) == (
        "2026-03-20T18:00:00+00:00")


def test_reconfiguring_without_rotating_counts_from_the_last_rotation(mocksm: Any,
                                                                      client: Any) -> None:
    """Spec 4.9.6 and the API reference (AutomaticallyAfterDays: "Secrets Manager calculates
    the next rotation date based on the previous rotation"): a new schedule set with
    RotateImmediately=false counts from the last rotation, not from the call."""
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                         RotationRules={"AutomaticallyAfterDays": 30})  # rotated 2026-03-10
    mocksm.clock.advance(days=10)
    _configure(client, AutomaticallyAfterDays=14)
    described = client.describe_secret(SecretId="db")
    assert _iso(described["NextRotationDate"]) == "2026-03-24T23:59:59+00:00"
    rotated = _password(client)
    mocksm.clock.set("2026-03-24T00:00:00Z")
    assert _password(client) != rotated


@pytest.mark.mocksm(unregistered_rotation_lambda="simulate")
def test_reconfiguring_counts_from_a_simulated_rotation(mocksm: Any, client: Any) -> None:
    """A simulated rotation moves AWSCURRENT inside the model (no UpdateSecretVersionStage
    call marks the change): its end is still the rotation the new schedule counts from."""
    unregistered = "arn:aws:lambda:us-east-1:123456789012:function:not-registered"
    client.rotate_secret(SecretId="db", RotationLambdaARN=unregistered,
                         RotationRules={"AutomaticallyAfterDays": 30})  # rotated 2026-03-10
    [attempt] = mocksm.rotation_log("db")
    assert attempt.simulated and attempt.succeeded
    mocksm.clock.advance(days=10)
    described = _configure(client, AutomaticallyAfterDays=14)
    assert _iso(described["NextRotationDate"]) == "2026-03-24T23:59:59+00:00"

def test_reconfiguring_counts_from_a_value_written_by_hand(mocksm: Any, client: Any) -> None:
    client.rotate_secret(SecretId="db", RotationLambdaARN=FN,
                         RotationRules={"AutomaticallyAfterDays": 30})
    mocksm.clock.advance(days=5)
    client.put_secret_value(SecretId="db", SecretString=json.dumps({"password": "manual"}))
    mocksm.clock.advance(days=5)
    described = _configure(client, ScheduleExpression="rate(7 days)")
    assert _iso(described["NextRotationDate"]) == "2026-03-22T23:59:59+00:00"


def test_cancelled_rotation_does_not_run(mocksm: Any, client: Any) -> None:
    _configure(client, AutomaticallyAfterDays=1)
    client.cancel_rotate_secret(SecretId="db")
    mocksm.clock.advance(days=5)
    assert _password(client) == "p0"
    assert mocksm.run_due_rotations() == []


def test_manual_update_counts_as_rotation(mocksm: Any, client: Any) -> None:
    _configure(client, AutomaticallyAfterDays=30)
    mocksm.clock.advance(days=20)
    client.put_secret_value(SecretId="db", SecretString=json.dumps({"password": "manual"}))
    assert _iso(client.describe_secret(SecretId="db")["NextRotationDate"]) == (
        "2026-04-29T23:59:59+00:00")
    mocksm.clock.advance(days=15)  # 35 days after configuring, 15 after the manual change
    assert _password(client) == "manual"
    mocksm.clock.advance(days=15)
    assert _password(client) != "manual"


def test_update_secret_counts_as_rotation(mocksm: Any, client: Any) -> None:
    _configure(client, AutomaticallyAfterDays=30)
    mocksm.clock.advance(days=20)
    client.update_secret(SecretId="db", SecretString=json.dumps({"password": "manual"}))
    mocksm.clock.advance(days=15)
    assert _password(client) == "manual"


def test_failed_scheduled_rotation_is_retried_at_the_next_window(mocksm: Any,
                                                                 client: Any) -> None:
    calls: list[str] = []

    def flaky(event: dict[str, Any], context: Any) -> None:
        calls.append(event["Step"])
        if event["Step"] == "setSecret" and calls.count("setSecret") == 1:
            raise ConnectionError("database unreachable")
        from mocksm.rotation import builtin_rotation

        builtin_rotation(event, context)

    mocksm.register_rotation_function(FN, flaky)
    _configure(client, AutomaticallyAfterDays=1)
    mocksm.clock.advance(days=1)
    assert _password(client) == "p0"
    first = mocksm.rotation_log("db")[-1]
    assert (first.trigger, first.outcome, first.failed_step) == ("schedule", "failed", "setSecret")
    assert isinstance(first.error, ConnectionError)
    for _ in range(3):  # not retried on every call
        client.describe_secret(SecretId="db")
    assert len(mocksm.rotation_log("db")) == 2
    pending = mocksm.secret("db").version_with("AWSPENDING")
    assert pending == first.version_id
    mocksm.clock.advance(days=1)
    assert _password(client) != "p0"
    second = mocksm.rotation_log("db")[-1]
    assert second.succeeded and second.version_id == first.version_id  # resumed, same token


def test_scheduled_rotation_of_unregistered_function_is_logged(mocksm: Any,
                                                               client: Any) -> None:
    _configure(client, AutomaticallyAfterDays=1)
    mocksm._state.rotation_functions.clear()
    mocksm.clock.advance(days=1)
    [attempt] = mocksm.run_due_rotations()
    assert attempt.outcome == "failed" and attempt.steps == []
    assert attempt.error is not None and "cannot invoke" in str(attempt.error)
    assert _password(client) == "p0"
    assert mocksm.run_due_rotations() == []


def test_reset_forgets_schedules_and_logs(mocksm: Any, client: Any) -> None:
    _configure(client, AutomaticallyAfterDays=1)
    mocksm.reset()
    assert mocksm._state.rotation_heap == [] and mocksm.rotation_log("db") == []
    mocksm.clock.advance(days=2)
    assert mocksm.run_due_rotations() == []


def test_rotation_function_calls_do_not_trigger_nested_due_rotations(mocksm: Any,
                                                                     client: Any) -> None:
    """Two secrets fall due together; each rotation runs once, none inside the other."""
    other = mocksm.client()
    other.create_secret(Name="db2", SecretString="plain")
    order: list[tuple[str, str]] = []

    def recording(event: dict[str, Any], context: Any) -> None:
        order.append((event["SecretId"].split(":")[-1].rsplit("-", 1)[0], event["Step"]))
        from mocksm.rotation import builtin_rotation

        builtin_rotation(event, context)

    mocksm.register_rotation_function(FN, recording)
    _configure(client, AutomaticallyAfterDays=2)
    other.rotate_secret(SecretId="db2", RotationLambdaARN=FN,
                        RotationRules={"AutomaticallyAfterDays": 2}, RotateImmediately=False)
    order.clear()
    mocksm.clock.advance(days=2)
    attempts = mocksm.run_due_rotations()
    assert [a.secret_name for a in attempts] == ["db", "db2"]
    assert [name for name, _ in order] == ["db"] * 4 + ["db2"] * 4


def test_rotation_on_secret_in_other_region(mocksm: Any) -> None:
    mocksm.register_rotation_function("rotator", "builtin")
    west = boto3.client("secretsmanager", region_name="eu-west-1")
    west.create_secret(Name="w", SecretString="x")
    token = str(uuid.uuid4())
    west.rotate_secret(SecretId="w", RotationLambdaARN="rotator", ClientRequestToken=token)
    assert west.get_secret_value(SecretId="w")["VersionId"] == token
    [attempt] = mocksm.rotation_log("w", region="eu-west-1")
    assert attempt.succeeded
