"""Rotation schedules: RotationRules validation and the next rotation window.

Pure functions over epoch seconds (UTC). A schedule yields *windows*: the rotation
happens at some point inside a window, so mocksm runs a due rotation as soon as its
window opens and reports NextRotationDate as the moment the window closes (the latest
time by which AWS promises the rotation has happened). Windows always open on the hour
(user guide, "Rotation windows"): at midnight of the day Base + N days falls in, at the
start of the hour Base + N hours falls in, or at a cron fire time.

Supported, as AWS documents them for Secrets Manager: ``AutomaticallyAfterDays`` N
(1-1000), ``rate(N hours)`` (N >= 4), ``rate(N days)`` (1-1000), and
``cron(Minutes Hours Day-of-month Month Day-of-week Year)`` with minutes ``0``, year
``*``, and the wildcards ``* ? , - /`` plus ``L``, ``W`` (day of month) and ``L``,
``#`` (day of week); ``Duration`` ``Nh`` of 1-24 hours that must not reach into the
next UTC day or the next window.
"""

from __future__ import annotations

import calendar
import functools
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from mocksm.secretsmanager import messages

HOUR = 3600.0
DAY = 86400.0
MAX_HOURLY_RATE = 24 * 1000

_RATE = re.compile(r"rate\((\d+) (hour|hours|day|days)\)")
_CRON = re.compile(r"cron\((.*)\)")
_DURATION = re.compile(r"(\d+)h")
_MONTHS = {name: i + 1 for i, name in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
)}
_WEEKDAYS = {name: i + 1 for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])}
_CRON_SEARCH_DAYS = 366 * 9  # covers Feb 29 across a skipped leap year
_LEAP_YEAR_START = 946684800.0  # 2000-01-01


class ScheduleError(ValueError):
    """An invalid ScheduleExpression (internal; becomes InvalidParameterException)."""


def invalid_schedule() -> Exception:
    return messages.invalid_parameter("Invalid ScheduleExpression.")


def invalid_duration() -> Exception:
    return messages.invalid_parameter("Invalid Duration.")


def both_schedules() -> Exception:
    return messages.invalid_parameter(
        "You cannot specify both rotation frequency and schedule expression together."
    )


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule. ``next_start(after)`` is the first window start after ``after``
    (None if the expression never fires); ``window`` the window length in seconds."""

    kind: str  # "days" | "hours" | "cron"
    every: int  # days or hours for rate-like schedules; 0 for cron
    window: float
    cron: _Cron | None = None

    def next_start(self, base: float) -> float | None:
        if self.kind == "days":
            return _midnight(base + self.every * DAY)
        if self.kind == "hours":  # windows open on the hour: the hour base + N hours falls in
            return _hour(base + self.every * HOUR)
        assert self.cron is not None
        return self.cron.next_fire(base)

    def next_window(self, base: float) -> tuple[float, float] | None:
        """(opens, closes) of the next rotation window counted from ``base``."""
        start = self.next_start(base)
        if start is None:
            return None
        return start, start + self.window


def parse_rules(rules: Mapping[str, Any]) -> Schedule | None:
    """Validate ``RotationRules``; None when they name no schedule at all."""
    days = rules.get("AutomaticallyAfterDays")
    expression = rules.get("ScheduleExpression")
    duration = rules.get("Duration")
    if days is not None and expression is not None:
        raise both_schedules()
    hours = _parse_duration(duration) if duration is not None else None
    if expression is not None:
        try:
            return _parse_expression(str(expression), hours)
        except ScheduleError:
            raise invalid_schedule() from None
    if days is not None:
        if not 1 <= int(days) <= 1000:
            raise messages.invalid_parameter("Invalid AutomaticallyAfterDays.")
        return Schedule("days", int(days), _day_window(0, hours))
    return None


def _parse_duration(text: str) -> int:
    match = _DURATION.fullmatch(text)
    if match is None or not 1 <= int(match.group(1)) <= 24:
        raise invalid_duration()
    return int(match.group(1))


def _day_window(start_hour: int, hours: int | None) -> float:
    """A day-based window: ``hours`` long, or until 23:59:59 of the day by default."""
    if hours is None:
        return (24 - start_hour) * HOUR - 1.0
    if start_hour + hours > 24:
        raise invalid_duration()
    return hours * HOUR


def _parse_expression(text: str, hours: int | None) -> Schedule:
    match = _RATE.fullmatch(text)
    if match is not None:
        value, unit = int(match.group(1)), match.group(2)
        if unit.startswith("hour"):
            if not 4 <= value <= MAX_HOURLY_RATE:
                raise ScheduleError(text)
            if hours is not None and hours > value:
                raise invalid_duration()
            return Schedule("hours", value, (hours or 1) * HOUR)
        if not 1 <= value <= 1000:
            raise ScheduleError(text)
        return Schedule("days", value, _day_window(0, hours))
    match = _CRON.fullmatch(text)
    if match is None:
        raise ScheduleError(text)
    cron = _Cron.parse(match.group(1))
    if cron.next_fire(_LEAP_YEAR_START) is None:
        raise ScheduleError(text)  # e.g. February 30th: never fires
    fire_hours = sorted(cron.hours)
    gaps = [b - a for a, b in itertools.pairwise(fire_hours)]
    if gaps and min(gaps) < 4:
        raise ScheduleError(text)  # AWS rotates at most every four hours
    if gaps:  # several windows a day: hour-based
        if hours is not None and (hours > min(gaps) or fire_hours[-1] + hours > 24):
            raise invalid_duration()
        return Schedule("cron", 0, (hours or 1) * HOUR, cron)
    return Schedule("cron", 0, _day_window(fire_hours[0], hours), cron)


def next_rotation(rules: Mapping[str, Any] | None, base: float) -> tuple[float, float] | None:
    """(due, NextRotationDate) for stored ``rules`` counted from ``base``, or None."""
    if not rules:
        return None
    try:
        schedule = parse_rules(rules)
    except Exception:  # stored rules were validated when set; derived keys may coexist
        schedule = _lenient(rules)
    if schedule is None:
        return None
    window = schedule.next_window(base)
    if window is None:
        return None
    return window[0], round(window[1], 3)


def _lenient(rules: Mapping[str, Any]) -> Schedule | None:
    """Stored rules may carry both keys once AutomaticallyAfterDays has been derived."""
    if rules.get("ScheduleExpression") is not None:
        return parse_rules({k: v for k, v in rules.items() if k != "AutomaticallyAfterDays"})
    return None


def rate_days(rules: Mapping[str, Any]) -> int | None:
    """The AutomaticallyAfterDays AWS derives from a ``rate()`` schedule: N for
    ``rate(N days)``, the days ``rate(N hours)`` spans, rounded up (1 for 10 hours, as a
    real answer shows; rounding beyond 24 hours is inferred)."""
    match = _RATE.fullmatch(str(rules.get("ScheduleExpression") or ""))
    if match is None:
        return None
    value = int(match.group(1))
    if match.group(2).startswith("day"):
        return value
    return -(-value // 24)


def _midnight(ts: float) -> float:
    return float(int(ts // DAY) * int(DAY))


def _hour(ts: float) -> float:
    return float(int(ts // HOUR) * int(HOUR))


# -- cron ---------------------------------------------------------------------------

DayTest = Callable[[date], bool]


@dataclass(frozen=True)
class _Cron:
    hours: frozenset[int]
    months: frozenset[int]
    day_tests: tuple[DayTest, ...]

    @staticmethod
    def parse(body: str) -> _Cron:
        fields = body.split(" ")
        if len(fields) != 6 or any(not f for f in fields):
            raise ScheduleError(body)
        minutes, hours, dom, month, dow, year = fields
        if minutes != "0" or year != "*":
            raise ScheduleError(body)
        if (dom == "?") == (dow == "?"):
            raise ScheduleError(body)  # exactly one of the day fields must be "?"
        day_tests = _dom_tests(dom) if dow == "?" else _dow_tests(dow)
        return _Cron(
            frozenset(_values(hours, 0, 23, {})),
            frozenset(_values(month, 1, 12, _MONTHS)),
            day_tests,
        )

    def fires_on(self, day: date) -> bool:
        return day.month in self.months and any(test(day) for test in self.day_tests)

    def next_fire(self, after: float) -> float | None:
        moment = datetime.fromtimestamp(after, tz=timezone.utc)
        day = moment.date()
        for offset in range(_CRON_SEARCH_DAYS):
            current = day + timedelta(days=offset)
            if not self.fires_on(current):
                continue
            midnight = datetime(current.year, current.month, current.day, tzinfo=timezone.utc)
            for hour in sorted(self.hours):
                fire = midnight.timestamp() + hour * HOUR
                if fire > after:
                    return fire
        return None


def _number(token: str, low: int, high: int, names: Mapping[str, int]) -> int:
    value = names.get(token.upper()) if not token.isdigit() else int(token)
    if value is None or not low <= value <= high:
        raise ScheduleError(token)
    return value


def _values(field: str, low: int, high: int, names: Mapping[str, int]) -> set[int]:
    """A plain field: ``*``, values, ``a-b`` ranges and ``/step``, comma-separated."""
    out: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) < 1:
                raise ScheduleError(field)
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, low, high, names), _number(last, low, high, names)
            if start > end:
                raise ScheduleError(field)
        else:
            start = _number(base, low, high, names)
            end = high if step_text else start
        out.update(range(start, end + 1, step))
    if not out:
        raise ScheduleError(field)
    return out


def _last_day(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _nearest_weekday(day: date, *, target: int) -> bool:
    """The ``NW`` rule: the weekday closest to day N, never leaving the month."""
    last = _last_day(day)
    if target > last:
        return False
    wanted = date(day.year, day.month, target)
    if wanted.weekday() == 5:  # Saturday -> Friday, or Monday when N is the 1st
        wanted = wanted + timedelta(days=2) if target == 1 else wanted - timedelta(days=1)
    elif wanted.weekday() == 6:  # Sunday -> Monday, or Friday at the month's end
        wanted = wanted - timedelta(days=2) if target == last else wanted + timedelta(days=1)
    return day == wanted


def _last_weekday(day: date) -> bool:
    last = date(day.year, day.month, _last_day(day))
    while last.weekday() >= 5:
        last -= timedelta(days=1)
    return day == last


def _dom_tests(field: str) -> tuple[DayTest, ...]:
    tests: list[DayTest] = []
    plain: list[str] = []
    for part in field.split(","):
        if part == "L":
            tests.append(lambda d: d.day == _last_day(d))
        elif part == "LW":
            tests.append(_last_weekday)
        elif part.endswith("W") and part[:-1].isdigit():
            target = _number(part[:-1], 1, 31, {})
            tests.append(functools.partial(_nearest_weekday, target=target))
        elif "L" in part or "W" in part or "#" in part or part == "?":
            raise ScheduleError(field)
        else:
            plain.append(part)
    if plain:
        days = _values(",".join(plain), 1, 31, {})
        tests.append(lambda d: d.day in days)
    return tuple(tests)


def _aws_weekday(day: date) -> int:
    """AWS numbering: 1 = Sunday ... 7 = Saturday."""
    return (day.weekday() + 1) % 7 + 1


def _nth_weekday(day: date, *, weekday: int, nth: int) -> bool:
    """``D#k``: the k-th such weekday of the month."""
    return _aws_weekday(day) == weekday and (day.day - 1) // 7 + 1 == nth


def _last_of_weekday(day: date, *, weekday: int) -> bool:
    """``DL``: the last such weekday of the month."""
    return _aws_weekday(day) == weekday and day.day + 7 > _last_day(day)


def _dow_tests(field: str) -> tuple[DayTest, ...]:
    tests: list[DayTest] = []
    plain: list[str] = []
    for part in field.split(","):
        if "#" in part:
            name, _, nth = part.partition("#")
            weekday = _number(name, 1, 7, _WEEKDAYS)
            if not nth.isdigit() or not 1 <= int(nth) <= 5:
                raise ScheduleError(field)
            k = int(nth)
            tests.append(functools.partial(_nth_weekday, weekday=weekday, nth=k))
        elif part == "L":
            tests.append(lambda d: _aws_weekday(d) == 7)
        elif part.endswith("L"):
            weekday = _number(part[:-1], 1, 7, _WEEKDAYS)
            tests.append(functools.partial(_last_of_weekday, weekday=weekday))
        else:
            plain.append(part)
    if plain:
        weekdays = _values(",".join(plain), 1, 7, _WEEKDAYS)
        tests.append(lambda d: _aws_weekday(d) in weekdays)
    return tuple(tests)
