"""Replaying AWS-recorded Secrets Manager scenarios against mocksm.

The reference file (``tests/data/aws_recorded/localstack-secretsmanager.snapshot.json``, a
copy of LocalStack's snapshot recorded against real AWS) stores every response after
LocalStack's snapshot normalisation. To compare like with like, ``Replay`` records our
responses under the same keys and puts them through an equivalent normalisation, written
here from its observable rules:

- ``ResponseMetadata`` keeps only the HTTP status (headers become ``{}``); recordings made
  before LocalStack kept metadata have none, and then ours is dropped too.
- ``datetime`` values become ``"datetime"``; bytes become their Python ``repr``-style text
  (``b'...'``); strings holding a JSON object or array are parsed (policies).
- Version ids become ``<version_uuid:N>``, numbered by first appearance: first over the
  keys of id->labels maps (``VersionIdsToStages``), then over ``VersionId`` values, the
  order LocalStack's two transformers run in. Scenarios recorded without the Secrets
  Manager transformers number every uuid under an ``...Id`` key as ``<uuid:N>``.
- ``VersionStages`` lists are sorted, and ``Versions`` are (stably) sorted by CreatedDate:
  LocalStack sorted both before recording, so AWS's own order is not evidence there.
- Secrets registered by a scenario (as LocalStack's test registered its create responses)
  have their name replaced by ``<SecretId-Nidx>`` and the ``-XXXXXX`` ARN suffix by
  ``<ArnPart-Nidx>``. Both are applied as regular expressions over the text, exactly as
  LocalStack does, so a name containing ``+`` (a regex quantifier) is left as it is, as
  in the recording.
- ``RotationLambdaARN`` values become ``<lambda-arn:N>``; partition and region in ARNs
  become ``<partition>`` and ``<region>``.

Everything else -- key sets, field presence, list order (tags, secret lists, versions in
their sorted order), labels, error codes, messages and HTTP statuses -- must be equal.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

SNAPSHOT_PATH = Path(__file__).parent / "data" / "aws_recorded" / "localstack-secretsmanager.snapshot.json"
TEST_PREFIX = "tests/aws/services/secretsmanager/test_secretsmanager.py::TestSecretsManager::"
ACCOUNT = "111111111111"
REGION = "us-east-1"

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PARTITION = re.compile(r"arn:aws(?:-[a-z]+)*:")
_ARN = re.compile(r"^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$")


@cache
def _snapshot() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8"))
    return data


def recorded_ids() -> list[str]:
    """Every recorded test id (``name[param]``), in file order."""
    return [key[len(TEST_PREFIX):] for key in _snapshot()]


def recorded(test_id: str) -> dict[str, Any]:
    """The recorded content of one test id."""
    entry = _snapshot().get(TEST_PREFIX + test_id)
    if entry is None:
        pytest.fail(f"no recording for {test_id!r}")
    content: dict[str, Any] = entry["recorded-content"]
    return content


def error_response(error: ClientError) -> dict[str, Any]:
    """What LocalStack recorded for ``exc.value.response``: the parsed error dict."""
    return dict(error.response)


class Replay:
    """Collects our responses under the recorded keys, then normalises and compares."""

    def __init__(self, test_id: str, *, sm_transformers: bool = True, region: str = REGION) -> None:
        self.test_id = test_id
        self.region = region
        self.expected = recorded(test_id)
        self.sm_transformers = sm_transformers
        self.matches: dict[str, Any] = {}
        self._secrets: list[tuple[str, str, int]] = []  # (name, arn part, index)
        self._regexes: list[tuple[str, str]] = []
        self._jsonpath_dates: set[str] = set()
        self._deviations: list[tuple[str, str, Any, str]] = []

    # -- recording ---------------------------------------------------------------------
    def match(self, key: str, value: Any) -> Any:
        """Record ``value`` under ``key`` (as the recorded test's ``snapshot.match``)."""
        assert key not in self.matches, f"{key} recorded twice"
        self.matches[key] = value
        return value

    @contextmanager
    def error(self, key: str, *, as_text: bool = False) -> Iterator[None]:
        """Expect a ClientError and record its response (or its ``str`` when the recorded
        test stored the exception itself) under ``key``."""
        with pytest.raises(ClientError) as caught:
            yield
        self.match(key, str(caught.value) if as_text else error_response(caught.value))

    def secret(self, create_response: dict[str, Any], index: int) -> None:
        """Register a secret for ``<SecretId-{index}idx>``/``<ArnPart-{index}idx>``."""
        name = create_response["Name"]
        arn_part = "".join(create_response["ARN"].rpartition("-")[-2:])
        self._secrets.append((name, arn_part, index))

    @property
    def partition(self) -> str:
        return "aws-cn" if self.region.startswith("cn-") else "aws"

    def lambda_arn(self, function: str) -> str:
        """The ARN of a Lambda function in the replay's account and region."""
        return f"arn:{self.partition}:lambda:{self.region}:{ACCOUNT}:function:{function}"

    def regex(self, pattern: str, replacement: str) -> None:
        self._regexes.append((pattern, replacement))

    def date_at(self, key: str) -> None:
        """Replace every value under ``key`` by ``"datetime"`` (raw JSON epoch numbers)."""
        self._jsonpath_dates.add(key)

    def spec_deviation(self, key: str, field: str, ours: Any, reason: str) -> None:
        """Declare one field where the spec deliberately differs from the recording: our
        response under ``key`` must carry ``field`` = ``ours`` and the recording must not
        carry it; the field is then left out of the comparison. ``reason`` names the spec
        section (and docs/decisions.md explains it)."""
        self._deviations.append((key, field, ours, reason))

    # -- normalising -------------------------------------------------------------------
    def normalised(self) -> dict[str, Any]:
        state = {key: self._shape(key, value) for key, value in self.matches.items()}
        state = _sort_lists(state)
        mapping: dict[str, str] = {}
        if self.sm_transformers:
            _number(state, mapping, "version_uuid", _uuid_map_keys)
            _number(state, mapping, "version_uuid", _version_id_values)
            _number(state, mapping, "lambda-arn", _lambda_arns)
        else:
            _number(state, mapping, "uuid", _id_uuid_values)
        state = _rewrite(state, lambda text: self._text(text, mapping))
        return _rewrite_dates(state)

    def _shape(self, key: str, value: Any) -> Any:
        if isinstance(value, dict):
            value = dict(value)
            meta = value.pop("ResponseMetadata", None)
            expected = self.expected.get(key)
            if meta is not None and isinstance(expected, dict) and "ResponseMetadata" in expected:
                value["ResponseMetadata"] = {"HTTPHeaders": {}, "HTTPStatusCode": meta["HTTPStatusCode"]}
        return _plain(value, self._jsonpath_dates)

    def _text(self, text: str, mapping: dict[str, str]) -> str:
        if text in mapping:
            return mapping[text]
        for original, placeholder in mapping.items():
            text = text.replace(original, placeholder)
        for partition in re.findall(r"arn:([a-z-]+):secretsmanager:", text):
            assert partition == self.partition, f"{text!r}: partition for {self.region} is {self.partition}"
        text = _PARTITION.sub("arn:<partition>:", text).replace(f":{self.region}:", ":<region>:")
        for name, arn_part, index in self._secrets:
            text = re.sub(arn_part, f"<ArnPart-{index}idx>", text)
            text = re.sub(name, f"<SecretId-{index}idx>", text)
        for pattern, replacement in self._regexes:
            text = re.sub(pattern, replacement, text)
        return text

    # -- comparing ---------------------------------------------------------------------
    def verify(self) -> None:
        """Every recorded key was replayed, and each normalised response equals its recording."""
        ours = self.normalised()
        for key, field, value, reason in self._deviations:
            assert field not in self.expected[key], f"{key}.{field}: no longer a deviation ({reason})"
            assert ours[key].pop(field) == value, f"{key}.{field} != {value!r} ({reason})"
        assert list(ours) == list(self.expected), (
            f"replayed keys {list(ours)} != recorded keys {list(self.expected)}"
        )
        problems = []
        for key, want in self.expected.items():
            got = ours[key]
            if got != want:
                diff = "\n".join(difflib.unified_diff(
                    json.dumps(want, indent=1, sort_keys=True).splitlines(),
                    json.dumps(got, indent=1, sort_keys=True).splitlines(),
                    "recorded (AWS)", "mocksm", lineterm="",
                ))
                problems.append(f"--- {key}\n{diff}")
        assert not problems, f"{self.test_id}: mismatches\n" + "\n".join(problems)


class _Date(str):
    """A datetime kept sortable until the last step, then rendered ``"datetime"``."""

    __slots__ = ()


def _plain(value: Any, date_keys: set[str], key: str | None = None) -> Any:
    """Make a response JSON-like: dates tagged, bytes as text, JSON strings parsed."""
    if key is not None and key in date_keys:
        return _Date(f"{float(value):020.6f}" if isinstance(value, (int, float)) else str(value))
    if isinstance(value, dict):
        return {k: _plain(v, date_keys, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, date_keys) for v in value]
    if isinstance(value, datetime.datetime):
        return _Date(value.astimezone(datetime.timezone.utc).isoformat())
    if isinstance(value, bytes):
        return str(value)
    if isinstance(value, str) and value[:1] in "{[":
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, (dict, list)):
            return _plain(parsed, date_keys)
    return value


def _sort_lists(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _sort_lists(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sort_lists(v) for v in value]
        if key == "VersionStages":
            return sorted(items)
        if key == "Versions":
            return sorted(items, key=lambda e: str(e.get("CreatedDate", "")))
        return items
    return value


def _walk(value: Any, key: str | None = None) -> Iterator[tuple[str | None, Any]]:
    """(key, value) pairs depth first, in each dict's own order."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from _walk(v, k)
    elif isinstance(value, list):
        for item in value:
            yield key, item
            yield from _walk(item, key)


def _number(state: dict[str, Any], mapping: dict[str, str], kind: str,
            pick: Callable[[str | None, Any], str | None]) -> None:
    counter = sum(1 for p in mapping.values() if p.startswith(f"<{kind}:"))
    for k, v in _walk(state):
        found = pick(k, v)
        if found is not None and found not in mapping:
            counter += 1
            mapping[found] = f"<{kind}:{counter}>"


def _uuid_map_keys(key: str | None, value: Any) -> str | None:
    if isinstance(key, str) and isinstance(value, list) and _UUID.match(key):
        return key
    return None


def _version_id_values(key: str | None, value: Any) -> str | None:
    if key == "VersionId" and isinstance(value, str) and _UUID.match(value):
        return value
    return None


def _lambda_arns(key: str | None, value: Any) -> str | None:
    if key == "RotationLambdaARN" and isinstance(value, str) and _ARN.match(value):
        return value
    return None


def _id_uuid_values(key: str | None, value: Any) -> str | None:
    if isinstance(key, str) and key.lower().endswith("id") and isinstance(value, str) \
            and _UUID.match(value):
        return value
    return None


def _rewrite(value: Any, text: Callable[[str], str]) -> Any:
    if isinstance(value, _Date):
        return value
    if isinstance(value, dict):
        return {text(k): _rewrite(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite(v, text) for v in value]
    if isinstance(value, str):
        return text(value)
    return value


def _rewrite_dates(value: Any) -> Any:
    if isinstance(value, _Date):
        return "datetime"
    if isinstance(value, dict):
        return {k: _rewrite_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite_dates(v) for v in value]
    return value
