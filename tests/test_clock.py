"""The one clock (spec 1.2): it follows freezegun and time-machine, the handle can set,
advance and freeze it, and recovery windows and version retention act on it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

import freezegun
import pytest
import time_machine

from mocksm import mock_secretsmanager
from mocksm.clock import Clock, start_of_day, to_millis
from tests.helpers import aws_error

UTC = timezone.utc
T0 = datetime(2030, 3, 1, 12, 0, 0, tzinfo=UTC)


def created(sm: Any, name: str) -> datetime:
    value: datetime = sm.describe_secret(SecretId=name)["CreatedDate"]
    return value


# --- the Clock object on its own --------------------------------------------------------


def test_clock_reads_time_time_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(time, "time", lambda: 1000.0001)
    assert clock.now() == 1000.0
    monkeypatch.setattr(time, "time", lambda: 2000.5)
    assert clock.now() == 2000.5


def test_clock_rounds_to_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 1700000000.123456)
    assert Clock().now() == 1700000000.123
    monkeypatch.setattr(time, "time", lambda: 1700000000.1235001)
    assert Clock().now() == 1700000000.124


@pytest.mark.parametrize("seed", range(4))
def test_to_millis_is_round_3_for_clock_values(seed: int) -> None:
    """Millisecond values stay as they are; others land within half a millisecond, on
    the value ``round(x, 3)`` gives (it may differ only within float error of a tie)."""
    import random

    draw = random.Random(seed)
    for _ in range(20_000):
        exact = round(draw.uniform(0, 4.2e9), 3)
        assert to_millis(exact) == exact
        any_time = draw.uniform(-1e9, 4.2e9)
        shown = to_millis(any_time)
        assert round(shown, 3) == shown and abs(shown - any_time) <= 0.0005 + 1e-6


def test_set_advance_freeze_unfreeze_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    clock = Clock()
    clock.set(5000)
    assert clock.now() == 5000.0
    now[0] += 10  # time keeps flowing from the set point
    assert clock.now() == 5010.0
    clock.advance(days=1, hours=1, minutes=1, seconds=1)
    assert clock.now() == 5010.0 + 86400 + 3600 + 60 + 1
    clock.advance(seconds=-1)
    assert clock.now() == 5010.0 + 86400 + 3600 + 60
    clock.freeze()
    frozen = clock.now()
    now[0] += 500
    assert clock.now() == frozen
    clock.advance(seconds=5)
    assert clock.now() == frozen + 5
    clock.unfreeze()
    assert clock.now() == frozen + 5  # unfreezing resumes from where it stood
    now[0] += 1
    assert clock.now() == frozen + 6
    clock.reset()
    assert clock.now() == now[0]


def test_set_accepts_datetimes_and_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 0.0)
    clock = Clock()
    clock.set(T0)
    assert clock.now_datetime() == T0
    clock.set(datetime(2030, 3, 1, 12, 0, 0))  # naive means UTC
    assert clock.now_datetime() == T0
    clock.set("2030-03-01T12:00:00Z")
    assert clock.now_datetime() == T0
    clock.set("2030-03-01T14:00:00+02:00")
    assert clock.now_datetime() == T0
    clock.freeze("2030-03-01T12:00:00Z")
    assert clock.now_datetime() == T0


def test_start_of_day() -> None:
    assert start_of_day(T0.timestamp()) == datetime(2030, 3, 1, tzinfo=UTC).timestamp()


# --- through the mock and boto3 ---------------------------------------------------------


def test_handle_clock_drives_timestamps(mocksm: Any) -> None:
    sm = mocksm.client()
    mocksm.clock.freeze(T0)
    sm.create_secret(Name="a", SecretString="v")
    assert created(sm, "a") == T0
    mocksm.clock.advance(days=2, seconds=30)
    sm.create_secret(Name="b", SecretString="v")
    assert created(sm, "b") == T0 + timedelta(days=2, seconds=30)
    mocksm.clock.set("2031-01-01T00:00:00Z")
    sm.update_secret(SecretId="a", Description="d")
    assert sm.describe_secret(SecretId="a")["LastChangedDate"] == datetime(2031, 1, 1, tzinfo=UTC)


def test_handle_set_without_freeze_keeps_flowing(mocksm: Any) -> None:
    sm = mocksm.client()
    mocksm.clock.set(T0)
    sm.create_secret(Name="a", SecretString="v")
    stamp = created(sm, "a")
    assert T0 <= stamp < T0 + timedelta(minutes=5)


def test_handle_reset_restores_the_wall_clock(mocksm: Any) -> None:
    mocksm.clock.set("2001-01-01T00:00:00Z")
    mocksm.reset()
    sm = mocksm.client()
    sm.create_secret(Name="a", SecretString="v")
    assert abs(created(sm, "a").timestamp() - time.time()) < 3600


def test_last_changed_strictly_increases_on_a_frozen_clock(mocksm: Any) -> None:
    sm = mocksm.client()
    mocksm.clock.freeze(T0)
    sm.create_secret(Name="a", SecretString="v")
    stamps = []
    for i in range(3):
        sm.update_secret(SecretId="a", Description=f"d{i}")
        stamps.append(sm.describe_secret(SecretId="a")["LastChangedDate"])
    assert stamps == [T0 + timedelta(milliseconds=i) for i in (1, 2, 3)]


def test_last_accessed_date_is_the_day(mocksm: Any) -> None:
    sm = mocksm.client()
    mocksm.clock.freeze(T0)
    sm.create_secret(Name="a", SecretString="v")
    assert "LastAccessedDate" not in sm.describe_secret(SecretId="a")
    sm.get_secret_value(SecretId="a")
    midnight = datetime(2030, 3, 1, tzinfo=UTC)
    assert sm.describe_secret(SecretId="a")["LastAccessedDate"] == midnight
    mocksm.clock.advance(days=1)
    sm.get_secret_value(SecretId="a")
    assert sm.describe_secret(SecretId="a")["LastAccessedDate"] == midnight + timedelta(days=1)


# --- freezegun --------------------------------------------------------------------------


def test_follows_freezegun(mocksm: Any) -> None:
    sm = mocksm.client()
    with freezegun.freeze_time("2029-05-06 07:08:09"):
        sm.create_secret(Name="a", SecretString="v")
    assert created(sm, "a") == datetime(2029, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_follows_freezegun_tick_and_move(mocksm: Any) -> None:
    sm = mocksm.client()
    with freezegun.freeze_time("2029-05-06 00:00:00") as frozen:
        sm.create_secret(Name="a", SecretString="v")
        frozen.tick(timedelta(hours=3))
        sm.create_secret(Name="b", SecretString="v")
        frozen.move_to("2029-12-31 23:59:59")
        sm.create_secret(Name="c", SecretString="v")
    assert created(sm, "a") == datetime(2029, 5, 6, tzinfo=UTC)
    assert created(sm, "b") == datetime(2029, 5, 6, 3, tzinfo=UTC)
    assert created(sm, "c") == datetime(2029, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_freezegun_around_the_whole_mock() -> None:
    with freezegun.freeze_time("2029-05-06 07:08:09"), mock_secretsmanager() as handle:
        sm = handle.client()
        sm.create_secret(Name="a", SecretString="v")
        assert created(sm, "a") == datetime(2029, 5, 6, 7, 8, 9, tzinfo=UTC)


@freezegun.freeze_time("2029-05-06 07:08:09")
def test_freezegun_decorator_with_fixture(mocksm: Any) -> None:
    sm = mocksm.client()
    sm.create_secret(Name="a", SecretString="v")
    assert created(sm, "a") == datetime(2029, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_handle_advance_on_top_of_freezegun(mocksm: Any) -> None:
    sm = mocksm.client()
    with freezegun.freeze_time("2029-05-06 00:00:00"):
        mocksm.clock.advance(days=1)
        sm.create_secret(Name="a", SecretString="v")
    assert created(sm, "a") == datetime(2029, 5, 7, tzinfo=UTC)


def test_recovery_window_with_freezegun(mocksm: Any) -> None:
    sm = mocksm.client()
    with freezegun.freeze_time("2029-05-06 00:00:00") as frozen:
        sm.create_secret(Name="a", SecretString="v")
        sm.delete_secret(SecretId="a", RecoveryWindowInDays=7)
        frozen.tick(timedelta(days=7) - timedelta(milliseconds=1))
        assert "DeletedDate" in sm.describe_secret(SecretId="a")
        frozen.tick(timedelta(milliseconds=1))
        with aws_error("ResourceNotFoundException"):
            sm.describe_secret(SecretId="a")
        sm.create_secret(Name="a", SecretString="again")


# --- time-machine -----------------------------------------------------------------------


def test_follows_time_machine(mocksm: Any) -> None:
    sm = mocksm.client()
    with time_machine.travel(datetime(2028, 2, 29, 1, 2, 3, tzinfo=UTC), tick=False):
        sm.create_secret(Name="a", SecretString="v")
    assert created(sm, "a") == datetime(2028, 2, 29, 1, 2, 3, tzinfo=UTC)


def test_follows_time_machine_shift_and_move(mocksm: Any) -> None:
    sm = mocksm.client()
    with time_machine.travel(datetime(2028, 1, 1, tzinfo=UTC), tick=False) as traveller:
        sm.create_secret(Name="a", SecretString="v")
        traveller.shift(timedelta(days=10))
        sm.create_secret(Name="b", SecretString="v")
        traveller.move_to(datetime(2028, 6, 1, tzinfo=UTC))
        sm.create_secret(Name="c", SecretString="v")
    assert created(sm, "a") == datetime(2028, 1, 1, tzinfo=UTC)
    assert created(sm, "b") == datetime(2028, 1, 11, tzinfo=UTC)
    assert created(sm, "c") == datetime(2028, 6, 1, tzinfo=UTC)


def test_time_machine_ticking_moves_forward(mocksm: Any) -> None:
    sm = mocksm.client()
    with time_machine.travel(datetime(2028, 1, 1, tzinfo=UTC), tick=True):
        sm.create_secret(Name="a", SecretString="v")
    stamp = created(sm, "a")
    assert datetime(2028, 1, 1, tzinfo=UTC) <= stamp < datetime(2028, 1, 1, 0, 5, tzinfo=UTC)


def test_recovery_window_with_time_machine(mocksm: Any) -> None:
    sm = mocksm.client()
    with time_machine.travel(datetime(2028, 1, 1, tzinfo=UTC), tick=False) as traveller:
        arn = sm.create_secret(Name="a", SecretString="v")["ARN"]
        out = sm.delete_secret(SecretId="a")
        assert out["DeletionDate"] == datetime(2028, 1, 31, tzinfo=UTC)
        traveller.shift(timedelta(days=29))
        assert sm.restore_secret(SecretId=arn)["ARN"] == arn
        sm.delete_secret(SecretId="a", RecoveryWindowInDays=7)
        traveller.shift(timedelta(days=7))
        with aws_error("ResourceNotFoundException"):
            sm.get_secret_value(SecretId="a")


# --- version retention (spec 4.5.7) acts on the clock -----------------------------------


def test_version_retention_follows_the_handle_clock(mocksm: Any) -> None:
    sm = mocksm.client()
    mocksm.clock.freeze(T0)
    sm.create_secret(Name="a", SecretString="v0")
    for i in range(1, 100):
        sm.put_secret_value(SecretId="a", SecretString=f"v{i}")
    # 100 versions, 98 of them deprecated but all younger than a day: no room.
    with aws_error("LimitExceededException",
                   "You have exceeded the maximum number of versions for this secret."):
        sm.put_secret_value(SecretId="a", SecretString="one too many")
    mocksm.clock.advance(hours=23, minutes=59)
    with aws_error("LimitExceededException"):
        sm.put_secret_value(SecretId="a", SecretString="one too many")
    mocksm.clock.advance(minutes=1)
    sm.put_secret_value(SecretId="a", SecretString="fits now")
    versions = sm.list_secret_version_ids(SecretId="a", IncludeDeprecated=True)["Versions"]
    assert len(versions) == 100
    assert sm.get_secret_value(SecretId="a")["SecretString"] == "fits now"
