"""Suite-wide guards: no real network, no real AWS credentials, a clean env per test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

# No per-example deadline: CI machines are shared and a slow example is not a failure.
settings.register_profile("mocksm", deadline=None)
settings.load_profile("mocksm")

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_create_connection = socket.create_connection
_real_getaddrinfo = socket.getaddrinfo


class NetworkBlocked(AssertionError):
    pass


def _local(address: Any) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX paths
        return True
    host = address[0] if isinstance(address, tuple) else address
    return host in ("127.0.0.1", "::1", "localhost")


def _guard_connect(sock: socket.socket, address: Any) -> Any:
    if not _local(address):
        raise NetworkBlocked(f"test tried to connect to {address!r}")
    return _real_connect(sock, address)


def _guard_connect_ex(sock: socket.socket, address: Any) -> Any:
    if not _local(address):
        raise NetworkBlocked(f"test tried to connect to {address!r}")
    return _real_connect_ex(sock, address)


def _guard_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host not in (None, "127.0.0.1", "::1", "localhost") and not (
        isinstance(host, str) and host.startswith("127.")
    ):
        raise NetworkBlocked(f"test tried to resolve {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guard_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guard_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guard_getaddrinfo)
    yield


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No developer credentials or config leak into a test; region set explicitly."""
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
                "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "MOCKSM_ACCOUNT_ID",
                "AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _cross_check_answer_routes() -> Iterator[None]:
    """Every call any test makes is answered both ways (the fast route and botocore's
    parser on the wire body) and must come out identical (see test_fast_route.py)."""
    from route_check import cross_check

    from mocksm import _patch

    _patch.route.cross_check = cross_check
    yield
    _patch.route.cross_check = None
