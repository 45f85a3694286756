"""``mock_secretsmanager``: decorator, context manager, start/stop.

Activations nest by a counter under a lock. The outermost start creates the state,
swaps in fake credentials and installs the patch; the outermost stop undoes all of it
exactly once. Inner activations share the outermost one's state; the options an inner
one names apply while it is active (a decorator's options inside a suite-wide fixture).

The decorator gives each call fresh state: around a function or coroutine call, for the
whole life of a generator or async generator (a pytest yield fixture), per test of a
class; a class-level setup the user wrote gets a mock lasting to the class's teardown,
which each test's activation nests in. Decorated things are marked so the pytest plugin
can tell them (``is_decorated``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import os
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from mocksm import _environ
from mocksm._config import Config, make_config, named_options
from mocksm.errors import MockNotStartedError

if TYPE_CHECKING:
    from mocksm._handle import MockHandle
    from mocksm._state import MockState

F = TypeVar("F", bound=Callable[..., Any])

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "mocksm-access-key-id",
    "AWS_SECRET_ACCESS_KEY": "mocksm-secret-access-key",
}
# Removed while active: real session tokens and profiles must not mix with fake keys.
_CLEARED = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE")
# Every variable an activation may change (the pytest plugin records them for monkeypatch).
MANAGED_ENV = (*FAKE_CREDENTIALS, *_CLEARED, "AWS_DEFAULT_REGION")

_lock = threading.RLock()
_depth = 0
_active: MockHandle | None = None  # the handle of the outermost activation
_saved_env: dict[str, str | None] = {}
_base_config: Config | None = None  # the outermost activation's options
_overlays: list[MockSecretsManager] = []  # running inner activations that named options


def _swap_env(config: Config) -> None:
    changes: dict[str, str | None] = {key: None for key in _CLEARED}
    changes.update(FAKE_CREDENTIALS)
    # botocore takes a client's default Region from AWS_DEFAULT_REGION alone (AWS_REGION,
    # which other SDKs read, is not consulted): without it, clients default to ours.
    if not os.environ.get("AWS_DEFAULT_REGION"):
        changes["AWS_DEFAULT_REGION"] = config.region
    for key, value in changes.items():
        _saved_env[key] = os.environ.get(key)
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _apply_overlays() -> None:
    """The active options: the outermost's, overridden by each running inner activation's
    own, in the order they started. The region also moves the default region the mock
    set in the environment (if it set one), so clients created inside follow it."""
    assert _active is not None and _base_config is not None
    named: dict[str, Any] = {}
    for mock in _overlays:
        named.update(mock._options)
    config = dataclasses.replace(_base_config, **named) if named else _base_config
    _active._state.config = config
    if "AWS_DEFAULT_REGION" in _saved_env:  # the mock set it: the environment had none
        os.environ["AWS_DEFAULT_REGION"] = config.region


def _restore_env() -> None:
    _environ.restore(_saved_env)
    _saved_env.clear()


class MockSecretsManager:
    """One mock: use it as ``@decorator``, ``with`` / ``async with``, or ``start()``/``stop()``."""

    def __init__(self, **options: Any) -> None:
        self._config = make_config(options)
        self._options = named_options(options)
        self._starts = 0

    # -- start / stop -------------------------------------------------------------------
    def start(self) -> Any:
        """Activate (nesting is counted) and return the handle of the active state."""
        global _depth, _active, _base_config
        with _lock:
            if _depth == 0:
                from mocksm import _patch
                from mocksm._handle import MockHandle
                from mocksm._state import MockState

                state = MockState(self._config)
                _swap_env(self._config)
                _patch.install(state)
                _active = MockHandle(state)
                _base_config = self._config
            elif self._options:
                _overlays.append(self)
                _apply_overlays()
            _depth += 1
            self._starts += 1
            return _active

    def stop(self) -> None:
        """Deactivate; the outermost stop restores patches, env and wipes state."""
        global _depth, _active, _base_config
        with _lock:
            if self._starts == 0:
                raise MockNotStartedError(
                    "stop() called on a mock_secretsmanager that is not started; nothing changed."
                )
            self._starts -= 1
            _depth -= 1
            if _depth == 0:
                from mocksm import _patch

                assert _active is not None
                state = _active._state
                with state.lock:  # no call is mid-handler while the mock goes
                    _let_rotations_finish(state)
                    state.closed = True
                    _patch.uninstall()
                    _restore_env()
                    state.reset()
                _active = _base_config = None
                _overlays.clear()
            else:
                _drop_overlay(self)

    # -- context managers ---------------------------------------------------------------
    def __enter__(self) -> Any:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Any:
        return self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- decorator ----------------------------------------------------------------------
    def __call__(self, target: F) -> F:
        if isinstance(target, type):
            return _decorate_class(target, self)  # type: ignore[return-value]
        return _decorate_function(target, self)


# How long the outermost stop waits for rotation functions still running on other threads.
ROTATION_WAIT = 5.0


def _let_rotations_finish(state: MockState) -> None:
    """Before the outermost stop: rotation functions running on other threads (a rotate
    call still in progress) finish first, as their calls back in would otherwise go to
    AWS once the patch is gone. Bounded, in case one waits for the stopping thread."""
    if state.rotations_running:
        from mocksm.secretsmanager.rotation_runtime import running_here

        if not running_here():
            state.wait_for_rotations(ROTATION_WAIT)


def _drop_overlay(mock: MockSecretsManager) -> None:
    """Stop applying the options of ``mock``'s latest start (if it named any)."""
    for index in range(len(_overlays) - 1, -1, -1):
        if _overlays[index] is mock:
            del _overlays[index]
            _apply_overlays()
            return


T = TypeVar("T")


def _mark(target: T) -> T:
    """Tag what the decorator made, so the pytest plugin can tell a decorated test."""
    setattr(target, "__mocksm_decorated__", True)  # noqa: B010
    return target


def is_decorated(target: Any) -> bool:
    """Whether ``target`` (a test function or class) was made by the decorator."""
    return getattr(target, "__mocksm_decorated__", False) is True


def _fresh(template: MockSecretsManager) -> MockSecretsManager:
    """A new, unstarted mock with ``template``'s checked options (one per decorated call)."""
    mock = MockSecretsManager()
    mock._config, mock._options = template._config, template._options
    return mock


def _call_xunit(hook: Callable[..., Any], instance: Any, method: Any) -> None:
    """Call setup_method/teardown_method with or without ``method``, as pytest does."""
    takes_method = len(inspect.signature(hook).parameters) > 1
    if takes_method:
        hook(instance, method)
    else:
        hook(instance)


def _decorate_function(func: F, template: MockSecretsManager) -> F:
    """Fresh state per call. A generator (a pytest yield fixture) keeps the mock active
    from its first step until it finishes or is closed, not just while it is created."""
    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def run_steps(*args: Any, **kwargs: Any) -> Any:
            with _fresh(template):
                return (yield from func(*args, **kwargs))

        return _mark(run_steps)  # type: ignore[return-value]

    if inspect.isasyncgenfunction(func):

        @functools.wraps(func)
        async def run_async_steps(*args: Any, **kwargs: Any) -> Any:
            async with _fresh(template), contextlib.aclosing(func(*args, **kwargs)) as steps:
                async for item in steps:
                    yield item

        return _mark(run_async_steps)  # type: ignore[return-value]

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            async with _fresh(template):
                return await func(*args, **kwargs)

        return _mark(run_async)  # type: ignore[return-value]

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _fresh(template):
            return func(*args, **kwargs)

    return _mark(run)  # type: ignore[return-value]


def _decorate_class(cls: type, template: MockSecretsManager) -> type:
    """Fresh state per test: around ``run`` for unittest, per test method otherwise."""
    import unittest

    if issubclass(cls, unittest.TestCase):
        original_run = cls.run

        def run(self: Any, result: Any = None) -> Any:
            with _fresh(template):
                return original_run(self, result)

        cls.run = run  # type: ignore[method-assign]
        _wrap_class_setup(cls, template, "setUpClass", "tearDownClass")
        return _mark(cls)
    _wrap_setup_teardown(cls, template)
    _wrap_class_setup(cls, template, "setup_class", "teardown_class")
    return _mark(cls)


def _class_hook(cls: type, name: str) -> Callable[..., Any] | None:
    """The function behind ``cls.<name>`` (a classmethod or, for pytest, a plain
    function), or None when only unittest's empty default is there."""
    import unittest

    hook = getattr(cls, name, None)
    if hook is None:
        return None
    func: Callable[..., Any] = getattr(hook, "__func__", hook)
    default = getattr(unittest.TestCase, name, None)
    if default is not None and func is getattr(default, "__func__", default):
        return None
    return func


def _start_spanning(
    holder: Any, attr: str, template: MockSecretsManager, user_setup: Callable[[], object] | None
) -> None:
    """Start a mock kept on ``holder.<attr>`` until ``_stop_spanning``, then run the user's
    setup under it. Neither unittest nor pytest runs the teardown of a setup that failed,
    so then the mock is stopped here."""
    mock = _fresh(template)
    mock.start()
    setattr(holder, attr, mock)
    if user_setup is None:
        return
    try:
        user_setup()
    except BaseException:
        setattr(holder, attr, None)
        mock.stop()
        raise


def _stop_spanning(holder: Any, attr: str, user_teardown: Callable[[], object] | None) -> None:
    """Run the user's teardown, then stop the mock ``_start_spanning`` kept (even if the
    teardown fails)."""
    mock = getattr(holder, attr, None)
    try:
        if user_teardown is not None:
            user_teardown()
    finally:
        if mock is not None:
            setattr(holder, attr, None)
            mock.stop()


def _wrap_class_setup(cls: type, template: MockSecretsManager, setup: str, teardown: str) -> None:
    """A class-level setup the user wrote runs under a mock that lasts until the class's
    teardown, so what it makes is there for every test (each test's own activation nests
    in it and shares its state). Without one, nothing changes: fresh state per test."""
    user_setup = _class_hook(cls, setup)
    if user_setup is None:
        return
    user_teardown = _class_hook(cls, teardown)

    def class_setup(klass: Any) -> None:
        _start_spanning(klass, "_mocksm_class_active", template, lambda: user_setup(klass))

    def class_teardown(klass: Any) -> None:
        _stop_spanning(
            klass, "_mocksm_class_active",
            None if user_teardown is None else lambda: user_teardown(klass),
        )

    setattr(cls, setup, classmethod(class_setup))
    setattr(cls, teardown, classmethod(class_teardown))


def _wrap_setup_teardown(cls: type, template: MockSecretsManager) -> None:
    """For plain (pytest-style) classes the mock spans setup_method, the test and
    teardown_method, so fixtures made in setup_method live in the test's state.
    (Its attribute is not the class-level one: an instance would read that through.)"""
    user_setup = getattr(cls, "setup_method", None)
    user_teardown = getattr(cls, "teardown_method", None)

    def setup_method(self: Any, method: Any = None) -> None:
        _start_spanning(
            self, "_mocksm_active", template,
            None if user_setup is None else lambda: _call_xunit(user_setup, self, method),
        )

    def teardown_method(self: Any, method: Any = None) -> None:
        _stop_spanning(
            self, "_mocksm_active",
            None if user_teardown is None else lambda: _call_xunit(user_teardown, self, method),
        )

    cls.setup_method = setup_method  # type: ignore[attr-defined]
    cls.teardown_method = teardown_method  # type: ignore[attr-defined]


@overload
def mock_secretsmanager(target: F) -> F: ...


@overload
def mock_secretsmanager(target: None = None, **options: Any) -> MockSecretsManager: ...


def mock_secretsmanager(target: Any = None, **options: Any) -> Any:
    """Serve Secrets Manager in-process while active.

    ``@mock_secretsmanager`` and ``@mock_secretsmanager(...)`` decorate functions (sync or
    async) and classes; ``with mock_secretsmanager() as handle`` and
    ``m = mock_secretsmanager(); handle = m.start(); ...; m.stop()`` also work. Options
    (README, "Options", gives values and defaults): ``account_id``, ``region``,
    ``passthrough``, and the switches ``kms_key_change_mode``, ``kms_unknown_keys``,
    ``version_retention``, ``unregistered_rotation_lambda``, ``replication_initial_status``.
    An unknown option or value raises ``MocksmError`` here, not at the first call.
    """
    if target is not None:
        if options:
            raise TypeError("pass options as mock_secretsmanager(**options), then decorate")
        return MockSecretsManager()(target)
    return MockSecretsManager(**options)


def active_handle() -> MockHandle | None:
    """The handle of the active mock, or None."""
    return _active
