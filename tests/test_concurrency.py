"""mocksm under threads, as test suites use it: many workers on one mock, shared clients
and one client per thread, rotations calling back in, the mock stopping mid-call.

Barriers and events force the interleavings that matter, so a race fails every run."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import Any

import boto3
import botocore.client
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from mocksm import _patch, mock_secretsmanager, rotation

REGION = "us-east-1"
ORIGINAL = botocore.client.BaseClient._make_request
WORKERS = 16


def _client(region: str = REGION) -> Any:
    """A new client (made on the test's own thread: boto3's default session, which
    ``boto3.client`` uses, is not thread-safe; its clients are)."""
    return boto3.client("secretsmanager", region_name=region)


_pool: list[Any] = []


def _own(i: int) -> Any:
    """Worker ``i``'s own client (made once, on the main thread, before any worker)."""
    return _pool[i]


@pytest.fixture(autouse=True)
def _worker_clients() -> None:
    while len(_pool) < WORKERS:
        _pool.append(_client())


class _Worker(threading.Thread):
    """Runs ``target`` once, keeping its result or the exception it raised."""

    def __init__(self, target: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self._target_fn = target
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._target_fn()
        except BaseException as exc:  # reported by the test
            self.error = exc

    def outcome(self) -> Any:
        self.join(5)
        assert not self.is_alive(), "worker still running"
        return self.error if self.error is not None else self.result


def _started(target: Callable[[], Any]) -> _Worker:
    worker = _Worker(target)
    worker.start()
    return worker


def _parallel(task: Callable[[int], Any], workers: int = WORKERS) -> list[Any]:
    """``task(i)`` on ``workers`` threads released together; results or exceptions."""
    barrier = threading.Barrier(workers)

    def run(i: int) -> Any:
        barrier.wait(5)
        try:
            return task(i)
        except Exception as exc:  # compared by the test
            return exc

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(run, range(workers)))


def _current_ids(client: Any, name: str) -> list[str]:
    stages = client.describe_secret(SecretId=name)["VersionIdsToStages"]
    return [vid for vid, labels in stages.items() if "AWSCURRENT" in labels]


# -- the mock stopping while another thread is mid-call -----------------------------------

def _labels_full(client: Any) -> None:
    """A secret whose next new label is one too many: PutSecretValue with a new label
    answers LimitExceededException, which botocore's standard retry mode retries."""
    client.create_secret(Name="s", SecretString="v")
    client.put_secret_value(SecretId="s", SecretString="w",
                            VersionStages=["AWSCURRENT"] + [f"L{i}" for i in range(18)])


@pytest.mark.parametrize("restart", [False, True])
def test_stop_between_retry_attempts_ends_the_call_with_its_error(restart: bool) -> None:
    """Before: the retry looked the mock up again, found none and raised TypeError from
    mocksm; with a new mock started meanwhile, the retry wrote into that mock's state."""
    mock = mock_secretsmanager()
    mock.start()
    client = _client()
    _labels_full(client)
    deciding, stopped = threading.Event(), threading.Event()

    def pause_first_retry_decision(**_: Any) -> None:
        if not deciding.is_set():
            deciding.set()
            stopped.wait(5)

    client.meta.events.register_first("needs-retry.secrets-manager.PutSecretValue",
                                      pause_first_retry_decision)
    worker = _started(lambda: client.put_secret_value(
        SecretId="s", SecretString="x", VersionStages=["extra"]))
    assert deciding.wait(5)
    mock.stop()
    later = mock_secretsmanager() if restart else None
    if later is not None:
        later.start()
        _client().create_secret(Name="s", SecretString="next test")
    stopped.set()
    try:
        error = worker.outcome()
        assert isinstance(error, ClientError), repr(error)
        assert error.response["Error"]["Code"] == "LimitExceededException"
        assert error.response["ResponseMetadata"]["RetryAttempts"] == 0
        if later is not None:
            versions = _client().list_secret_version_ids(SecretId="s")["Versions"]
            assert len(versions) == 1
    finally:
        if later is not None:
            later.stop()


def test_call_entering_the_patch_as_the_mock_stops_is_not_mocked() -> None:
    """botocore looks ``_make_request`` up, then calls it: a stop in between used to end
    the call in a TypeError from mocksm (the saved original was gone). Now it goes the way
    of any call after the stop: botocore's own request path (stubbed here)."""
    mock = mock_secretsmanager()
    mock.start()
    client = _client()
    sent: list[str] = []

    def stub_send(request: Any, **_: Any) -> AWSResponse:
        sent.append(request.url)
        return AWSResponse(request.url, 200, {}, _patch._Body(b'{"Name": "unmocked"}'))

    client.meta.events.register("before-send.secrets-manager", stub_send)
    entered, stopped = threading.Event(), threading.Event()
    patched = _patch._make_request.__code__

    def pause_on_entry(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code is patched and not entered.is_set():
            entered.set()
            stopped.wait(5)

    def call() -> Any:
        sys.settrace(pause_on_entry)
        try:
            return client.describe_secret(SecretId="s")
        finally:
            sys.settrace(None)

    worker = _started(call)
    assert entered.wait(5)
    mock.stop()
    stopped.set()
    outcome = worker.outcome()
    assert not isinstance(outcome, BaseException), repr(outcome)
    assert outcome["Name"] == "unmocked" and len(sent) == 1


def test_stop_waits_for_a_rotation_function_still_calling_back() -> None:
    """A rotate call in progress on another thread is mid-call: its function's calls
    back in must be answered by the mock, not sent to AWS once the patch is gone."""
    mock = mock_secretsmanager()
    handle = mock.start()
    inside, go_on = threading.Event(), threading.Event()
    seen: list[Any] = []

    def function(event: dict[str, Any], context: Any) -> None:
        if event["Step"] == "createSecret":
            inside.set()
            go_on.wait(5)
            seen.append(_own(0).describe_secret(SecretId=event["SecretId"])["Name"])
        raise RuntimeError("done")

    handle.register_rotation_function("fn", function)
    client = _client()
    client.create_secret(Name="s", SecretString="v")
    rotating = _started(lambda: client.rotate_secret(SecretId="s", RotationLambdaARN="fn"))
    assert inside.wait(5)
    stopper = _started(mock.stop)
    stopper.join(0.3)  # before: the stop was over by now
    go_on.set()
    assert stopper.outcome() is None
    assert not isinstance(rotating.outcome(), BaseException)
    assert seen == ["s"]
    assert botocore.client.BaseClient._make_request is ORIGINAL


def test_stop_during_a_rotate_call_never_lets_its_function_call_out() -> None:
    """The stop comes while RotateSecret's handler holds the state lock: the rotation it
    prepares starts once the lock is free. Before, the patch was gone by then and the
    function's calls went to AWS; now the stop waits for the handler, and a rotation that
    has not started by the time the mock goes does not run."""
    from mocksm.secretsmanager import rotation_engine

    mock = mock_secretsmanager()
    handle = mock.start()
    calls: list[str] = []

    def function(event: dict[str, Any], context: Any) -> None:
        try:
            _own(0).describe_secret(SecretId=event["SecretId"])
            calls.append("mocked")
        except Exception as exc:  # the assertion below shows it
            calls.append(repr(exc))
        raise RuntimeError("one step is enough")

    handle.register_rotation_function("fn", function)
    client = _client()
    client.create_secret(Name="s", SecretString="v")
    in_handler, release = threading.Event(), threading.Event()
    handler_code = rotation_engine.rotate.__code__

    def pause_in_handler(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code is handler_code:
            in_handler.set()
            release.wait(5)

    def rotate() -> Any:
        sys.settrace(pause_in_handler)
        try:
            return client.rotate_secret(SecretId="s", RotationLambdaARN="fn")
        finally:
            sys.settrace(None)

    rotating = _started(rotate)
    assert in_handler.wait(5)
    stopper = _started(mock.stop)
    stopper.join(0.3)  # before: the patch was gone by now
    release.set()
    assert stopper.outcome() is None
    assert not isinstance(rotating.outcome(), BaseException)
    assert set(calls) <= {"mocked"}, calls


def test_nested_activation_on_a_worker_keeps_the_mock_past_the_outer_stop() -> None:
    outer = mock_secretsmanager()
    outer.start()
    _client().create_secret(Name="s", SecretString="v")
    nested_in, outer_stopped = threading.Event(), threading.Event()

    def worker() -> str:
        with mock_secretsmanager():
            nested_in.set()
            outer_stopped.wait(5)
            return str(_own(1).get_secret_value(SecretId="s")["SecretString"])

    running = _started(worker)
    assert nested_in.wait(5)
    outer.stop()
    outer_stopped.set()
    assert running.outcome() == "v"
    assert botocore.client.BaseClient._make_request is ORIGINAL


# -- rotations on several threads ----------------------------------------------------------

@pytest.fixture
def clean_lambda_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str | None]]:
    keys = ("AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME")
    for key in keys:
        monkeypatch.delenv(key, raising=False)
    yield {key: None for key in keys}


def test_overlapping_rotations_leave_the_environment_as_it_was(
    mocksm: Any, clean_lambda_env: dict[str, str | None]
) -> None:
    """Each function's Lambda environment used to be saved and restored on its own: the
    one that started second and finished last put the first one's values back."""
    a_inside, b_inside, a_done = threading.Event(), threading.Event(), threading.Event()

    def function_a(event: dict[str, Any], context: Any) -> None:
        a_inside.set()
        b_inside.wait(5)
        raise RuntimeError("stop here")

    def function_b(event: dict[str, Any], context: Any) -> None:
        b_inside.set()
        a_done.wait(5)
        raise RuntimeError("stop here")

    mocksm.register_rotation_function("fn-a", function_a)
    mocksm.register_rotation_function("fn-b", function_b)
    east, west = _client("us-east-1"), _client("eu-west-1")
    east.create_secret(Name="a", SecretString="v")
    west.create_secret(Name="b", SecretString="v")

    def rotate_a() -> None:
        east.rotate_secret(SecretId="a", RotationLambdaARN="fn-a")
        a_done.set()

    first = _started(rotate_a)
    assert a_inside.wait(5)
    second = _started(lambda: west.rotate_secret(SecretId="b", RotationLambdaARN="fn-b"))
    assert first.outcome() is None
    assert not isinstance(second.outcome(), BaseException)
    assert {key: os.environ.get(key) for key in clean_lambda_env} == clean_lambda_env


def test_builtin_rotations_on_threads_create_their_client_one_at_a_time(
    mocksm: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built-in function creates its client with ``boto3.client`` (the default
    session, which is not thread-safe): two rotations starting together used to create
    clients at the same time."""
    client = _client()
    monkeypatch.setattr(rotation, "_clients", {})
    real = boto3.client
    together = threading.Barrier(2)
    overlapped: list[bool] = []

    def creating(*args: Any, **kwargs: Any) -> Any:
        try:
            together.wait(0.3)  # passes only if a second creation is under way meanwhile
            overlapped.append(True)
        except threading.BrokenBarrierError:
            overlapped.append(False)
        return real(*args, **kwargs)

    monkeypatch.setattr(boto3, "client", creating)
    mocksm.register_rotation_function("fn", "builtin")
    for i in range(2):
        client.create_secret(Name=f"s{i}", SecretString="v")
    results = _parallel(lambda i: client.rotate_secret(SecretId=f"s{i}", RotationLambdaARN="fn"), 2)
    assert not [r for r in results if isinstance(r, Exception)]
    assert overlapped == [False]
    assert all(mocksm.rotation_log(f"s{i}")[-1].succeeded for i in range(2))


def test_scheduled_rotations_fall_due_once_while_many_threads_call(mocksm: Any) -> None:
    mocksm.register_rotation_function("fn", "builtin")
    client = _client()
    names = [f"s{i}" for i in range(WORKERS)]
    for name in names:
        client.create_secret(Name=name, SecretString="v")
        client.rotate_secret(SecretId=name, RotationLambdaARN="fn",
                             RotationRules={"AutomaticallyAfterDays": 1})
    before = {name: client.get_secret_value(SecretId=name)["SecretString"] for name in names}
    mocksm.clock.advance(days=2)
    shared = _client()
    results = _parallel(lambda i: (shared if i % 2 else _own(i)).list_secrets())
    assert not [r for r in results if isinstance(r, Exception)]
    for name in names:
        log = mocksm.rotation_log(name)
        assert [(a.trigger, a.outcome) for a in log] == [
            ("RotateSecret", "succeeded"), ("schedule", "succeeded")]
        assert len(_current_ids(client, name)) == 1
        assert client.get_secret_value(SecretId=name)["SecretString"] != before[name]


def test_rotation_functions_call_back_while_other_threads_write(mocksm: Any) -> None:
    """Half the workers rotate (the built-in function calls back through boto3), half
    write and read other secrets: nobody waits on anybody, every secret stays sound."""
    mocksm.register_rotation_function("fn", "builtin")
    client = _client()
    for i in range(WORKERS):
        client.create_secret(Name=f"s{i}", SecretString="v")

    def task(i: int) -> Any:
        own = _own(i) if i % 2 else client
        if i % 2:
            return own.rotate_secret(SecretId=f"s{i}", RotationLambdaARN="fn")["VersionId"]
        for n in range(3):
            own.put_secret_value(SecretId=f"s{i}", SecretString=f"w{n}")
            own.get_secret_value(SecretId=f"s{i - 1 if i else 1}")
        return None

    results = _parallel(task)
    assert not [r for r in results if isinstance(r, Exception)]
    for i in range(WORKERS):
        current = _current_ids(client, f"s{i}")
        assert len(current) == 1
        if i % 2:
            assert current == [results[i]]
            assert mocksm.rotation_log(f"s{i}")[-1].succeeded


# -- idempotency and lost updates -----------------------------------------------------------

def test_same_token_from_many_threads_creates_one_version(mocksm: Any) -> None:
    token = str(uuid.uuid4())
    shared = _client()
    created = _parallel(lambda i: (shared if i % 2 else _own(i)).create_secret(
        Name="s", SecretString="v", ClientRequestToken=token))
    assert not [r for r in created if isinstance(r, Exception)]
    assert {(r["ARN"], r["VersionId"]) for r in created} == {(created[0]["ARN"], token)}

    put_token = str(uuid.uuid4())
    put = _parallel(lambda i: shared.put_secret_value(
        SecretId="s", SecretString="w", ClientRequestToken=put_token))
    assert not [r for r in put if isinstance(r, Exception)]
    assert {r["VersionId"] for r in put} == {put_token}
    versions = shared.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)["Versions"]
    assert sorted(v["VersionId"] for v in versions) == sorted([token, put_token])


def test_same_token_with_different_values_lets_exactly_one_thread_win(mocksm: Any) -> None:
    client = _client()
    client.create_secret(Name="s", SecretString="v")
    token = str(uuid.uuid4())
    results = _parallel(lambda i: client.put_secret_value(
        SecretId="s", SecretString=f"value-{i}", ClientRequestToken=token))
    winners = [i for i, r in enumerate(results) if not isinstance(r, Exception)]
    assert len(winners) == 1
    codes = {r.response["Error"]["Code"] for r in results if isinstance(r, ClientError)}
    assert codes == {"ResourceExistsException"}
    value = client.get_secret_value(SecretId="s")
    assert value["VersionId"] == token and value["SecretString"] == f"value-{winners[0]}"


def test_parallel_writes_lose_no_version(mocksm: Any) -> None:
    client = _client()
    client.create_secret(Name="s", SecretString="v")
    shared = _client()

    def task(i: int) -> list[str]:
        own = shared if i % 2 else _own(i)
        return [own.put_secret_value(SecretId="s", SecretString=f"{i}-{n}")["VersionId"]
                for n in range(5)]

    results = _parallel(task)
    written = [vid for ids in results for vid in ids]
    versions = client.list_secret_version_ids(SecretId="s", IncludeDeprecated=True)["Versions"]
    assert len(written) == len(set(written)) == WORKERS * 5
    assert set(written) <= {v["VersionId"] for v in versions}
    assert len(versions) == WORKERS * 5 + 1
    stages = [label for v in versions for label in v.get("VersionStages", [])]
    assert sorted(stages) == ["AWSCURRENT", "AWSPREVIOUS"]


def test_parallel_create_and_delete_of_one_name_stays_consistent(mocksm: Any) -> None:
    client = _client()

    def task(i: int) -> Any:
        if i % 2:
            return client.create_secret(Name="s", SecretString=f"{i}")
        return client.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True)

    results = _parallel(task)
    codes = {r.response["Error"]["Code"] for r in results if isinstance(r, ClientError)}
    assert codes <= {"ResourceExistsException", "ResourceNotFoundException"}
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ClientError)]
    listed = client.list_secrets()["SecretList"]
    assert len(listed) <= 1
    if listed:
        assert len(_current_ids(client, "s")) == 1


# -- asyncio, and the mock started on another thread ---------------------------------------

def test_async_tasks_use_the_mock_through_to_thread() -> None:
    async def main() -> list[str]:
        async with mock_secretsmanager():
            client = _client()
            await asyncio.to_thread(client.create_secret, Name="s", SecretString="v")

            async def read(i: int) -> str:
                own = client if i % 2 else _own(i)
                value = await asyncio.to_thread(own.get_secret_value, SecretId="s")
                return str(value["SecretString"])

            return list(await asyncio.gather(*(read(i) for i in range(WORKERS))))

    assert asyncio.run(main()) == ["v"] * WORKERS
    assert botocore.client.BaseClient._make_request is ORIGINAL


def test_mock_started_on_one_thread_serves_the_others() -> None:
    mock = mock_secretsmanager()
    _started(mock.start).outcome()
    try:
        results = _parallel(lambda i: _own(i).create_secret(Name=f"s{i}", SecretString="v"))
        assert not [r for r in results if isinstance(r, Exception)]
        assert len(_client().list_secrets(MaxResults=100)["SecretList"]) == WORKERS
    finally:
        _started(mock.stop).outcome()
    assert botocore.client.BaseClient._make_request is ORIGINAL
