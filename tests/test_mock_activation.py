"""Every way of turning the mock on and off, and what it must leave behind."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import threading
import unittest
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import boto3
import botocore.client
import botocore.exceptions
import pytest

import mocksm
from mocksm import MockNotStartedError, UnmockedServiceError, mock_secretsmanager

ORIGINAL_MAKE_REQUEST = botocore.client.BaseClient._make_request


def _client(**kwargs: Any) -> Any:
    return boto3.client("secretsmanager", region_name="us-east-1", **kwargs)


def _roundtrip(client: Any, name: str = "s") -> None:
    client.create_secret(Name=name, SecretString="v")
    assert client.get_secret_value(SecretId=name)["SecretString"] == "v"


def test_context_manager_yields_handle_and_restores_patch() -> None:
    with mock_secretsmanager() as handle:
        assert botocore.client.BaseClient._make_request is not ORIGINAL_MAKE_REQUEST
        _roundtrip(_client())
        assert [s.name for s in handle.secrets()] == ["s"]
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def test_bare_decorator_gives_fresh_state_per_call() -> None:
    @mock_secretsmanager
    def create() -> list[str]:
        _roundtrip(_client())
        return [s.name for s in mocksm.MockHandle.current().secrets()]

    assert create() == ["s"]
    assert create() == ["s"]  # would be ResourceExistsException if state leaked
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def test_called_decorator_takes_options() -> None:
    @mock_secretsmanager(region="eu-west-1", account_id="111122223333")
    def create() -> str:
        client = boto3.client("secretsmanager")  # region from the mock's default
        return str(client.create_secret(Name="x")["ARN"])

    os.environ.pop("AWS_DEFAULT_REGION")
    assert create().startswith("arn:aws:secretsmanager:eu-west-1:111122223333:secret:x-")
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_async_function_decorator() -> None:
    @mock_secretsmanager
    async def create() -> str:
        client = _client()
        client.create_secret(Name="a", SecretString="v")
        await asyncio.sleep(0)
        return str(client.get_secret_value(SecretId="a")["SecretString"])

    assert asyncio.run(create()) == "v"
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def test_async_with() -> None:
    async def main() -> list[str]:
        async with mock_secretsmanager() as handle:
            _roundtrip(_client())
            return [s.name for s in handle.secrets()]

    assert asyncio.run(main()) == ["s"]


def test_start_stop_for_notebooks() -> None:
    mock = mock_secretsmanager()
    handle = mock.start()
    try:
        _roundtrip(_client())
        assert handle.secret("s").labels()
    finally:
        mock.stop()
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def test_stop_without_start_raises_and_changes_nothing() -> None:
    env = dict(os.environ)
    with pytest.raises(MockNotStartedError):
        mock_secretsmanager().stop()
    assert dict(os.environ) == env
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def test_double_start_double_stop_restores_environment_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    monkeypatch.setenv("AWS_PROFILE", "work")
    env = dict(os.environ)
    mock = mock_secretsmanager()
    first = mock.start()
    second = mock.start()
    assert first is second
    assert os.environ["AWS_ACCESS_KEY_ID"] != "AKIAREALKEY"
    assert "AWS_SESSION_TOKEN" not in os.environ and "AWS_PROFILE" not in os.environ
    mock.stop()
    assert botocore.client.BaseClient._make_request is not ORIGINAL_MAKE_REQUEST
    mock.stop()
    assert dict(os.environ) == env
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST
    with pytest.raises(MockNotStartedError):
        mock.stop()
    assert dict(os.environ) == env


def test_nested_activations_share_state_and_restore_once() -> None:
    with mock_secretsmanager() as outer:
        client = _client()
        client.create_secret(Name="outer", SecretString="1")
        with mock_secretsmanager(region="eu-west-1") as inner:
            assert inner is outer
            client.create_secret(Name="inner", SecretString="2")
        # the inner stop changed nothing: patch, state and env are still there
        assert botocore.client.BaseClient._make_request is not ORIGINAL_MAKE_REQUEST
        assert client.get_secret_value(SecretId="inner")["SecretString"] == "2"
        assert {s.name for s in outer.secrets()} == {"outer", "inner"}
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def _arn_account(client: Any, name: str) -> str:
    return str(client.create_secret(Name=name, SecretString="v")["ARN"].split(":")[4])


def test_inner_activation_options_apply_while_it_is_active() -> None:
    with mock_secretsmanager() as handle:
        client = _client()
        assert _arn_account(client, "a") == "123456789012"
        with mock_secretsmanager(account_id="111111111111"):
            assert handle.account_id == "111111111111"
            assert _arn_account(client, "b") == "111111111111"
            with mock_secretsmanager(kms_unknown_keys="create"):  # names no account: keeps it
                assert _arn_account(client, "c") == "111111111111"
                client.create_secret(Name="k", SecretString="v", KmsKeyId="alias/made-on-use")
            with pytest.raises(client.exceptions.EncryptionFailure):
                client.create_secret(Name="k2", SecretString="v", KmsKeyId="alias/not-there")
        assert handle.account_id == "123456789012"
        assert _arn_account(client, "d") == "123456789012"


def test_inner_options_stopped_out_of_order_leave_the_later_ones() -> None:
    outer, first, second = (mock_secretsmanager(), mock_secretsmanager(account_id="111111111111"),
                            mock_secretsmanager(account_id="222222222222"))
    handle = outer.start()
    try:
        first.start()
        second.start()
        first.stop()  # a notebook may stop in any order
        try:
            assert handle.account_id == "222222222222"
        finally:
            second.stop()
        assert handle.account_id == "123456789012"
    finally:
        outer.stop()


def test_inner_region_moves_the_default_region_the_mock_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    with mock_secretsmanager():
        with mock_secretsmanager(region="eu-west-1"):
            arn = boto3.client("secretsmanager").create_secret(Name="s")["ARN"]
            assert arn.split(":")[3] == "eu-west-1"
        assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_inner_region_moves_an_empty_default_region_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "")  # set but empty: the mock fills it in
    monkeypatch.delenv("AWS_REGION", raising=False)
    with mock_secretsmanager():
        with mock_secretsmanager(region="eu-west-1") as handle:
            assert os.environ["AWS_DEFAULT_REGION"] == handle.region == "eu-west-1"
        assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert os.environ["AWS_DEFAULT_REGION"] == ""


def test_decorator_options_apply_inside_a_running_mock() -> None:
    @mock_secretsmanager(kms_unknown_keys="create")
    def lenient() -> str:
        return str(_client().create_secret(Name="s", SecretString="v", KmsKeyId="alias/new")["Name"])

    with mock_secretsmanager():
        assert lenient() == "s"
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            _client().create_secret(Name="t", SecretString="v", KmsKeyId="alias/other")
        assert caught.value.response["Error"]["Code"] == "EncryptionFailure"


def test_state_is_wiped_at_outermost_stop() -> None:
    with mock_secretsmanager():
        _client().create_secret(Name="gone")
    with mock_secretsmanager() as handle:
        assert handle.secrets() == []


def test_handle_reset_forgets_everything() -> None:
    with mock_secretsmanager() as handle:
        client = _client()
        client.create_secret(Name="a")
        handle.reset()
        assert handle.secrets() == []
        client.create_secret(Name="a")  # the name is free again


def test_client_created_before_the_mock_started_without_credentials() -> None:
    client = _client()  # no credentials anywhere (conftest clears them)
    with mock_secretsmanager():
        _roundtrip(client)


def test_client_created_inside_works_after_nested_activation_ended() -> None:
    with mock_secretsmanager():
        with mock_secretsmanager():
            client = _client()
        _roundtrip(client)


def test_client_created_before_import_of_mocksm() -> None:
    script = textwrap.dedent(
        """
        import socket
        def refuse(*a, **k):
            raise SystemExit("network used")
        socket.socket.connect = refuse
        socket.getaddrinfo = refuse
        import boto3
        client = boto3.client("secretsmanager", region_name="us-east-1")
        from mocksm import mock_secretsmanager
        with mock_secretsmanager():
            client.create_secret(Name="early", SecretString="v")
            print(client.get_secret_value(SecretId="early")["SecretString"])
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ACCESS")}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "v"


def test_missing_profile_is_harmless_and_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "does-not-exist")
    with mock_secretsmanager():
        _roundtrip(boto3.session.Session().client("secretsmanager", region_name="us-east-1"))
    assert os.environ["AWS_PROFILE"] == "does-not-exist"


def test_custom_endpoint_url_and_endpoint_env(monkeypatch: pytest.MonkeyPatch) -> None:
    with mock_secretsmanager():
        _roundtrip(_client(endpoint_url="https://example.invalid:4566"), "by-arg")
        monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://localhost:1")
        _roundtrip(_client(), "by-env")


def test_twelve_digit_access_key_is_the_caller_account() -> None:
    with mock_secretsmanager():
        other = _client(aws_access_key_id="210987654321", aws_secret_access_key="x")
        arn = other.create_secret(Name="theirs")["ARN"]
        assert ":210987654321:secret:theirs-" in arn
        own = _client()
        assert ":123456789012:secret:mine-" in own.create_secret(Name="mine")["ARN"]


def test_account_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCKSM_ACCOUNT_ID", "444455556666")
    with mock_secretsmanager():
        assert ":444455556666:" in _client().create_secret(Name="a")["ARN"]


def test_bad_options_are_refused_clearly() -> None:
    with pytest.raises(mocksm.MocksmError, match="kms_key_change_mode"):
        mock_secretsmanager(kms_key_change_mode="sometimes")
    with pytest.raises(mocksm.MocksmError, match="unknown"):
        mock_secretsmanager(regoin="eu-west-1")


def test_other_services_are_refused_with_a_clear_error() -> None:
    with mock_secretsmanager():
        s3 = boto3.client("s3", region_name="us-east-1")
        with pytest.raises(UnmockedServiceError) as caught:
            s3.list_buckets()
    assert "s3.ListBuckets" in str(caught.value)
    assert "passthrough" in str(caught.value)


class _FakeS3(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (b'<?xml version="1.0"?><ListAllMyBucketsResult><Buckets><Bucket>'
                b"<Name>local</Name></Bucket></Buckets></ListAllMyBucketsResult>")
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_s3() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _FakeS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_passthrough_lets_a_named_service_reach_its_endpoint(fake_s3: str) -> None:
    with mock_secretsmanager(passthrough=["s3"]):
        s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=fake_s3)
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["local"]
        _roundtrip(_client())


@mock_secretsmanager
class TestDecoratedUnittestClass(unittest.TestCase):
    def setUp(self) -> None:
        self.client = _client()
        self.client.create_secret(Name="from-setup", SecretString="v")

    def test_setup_state_is_visible(self) -> None:
        assert self.client.get_secret_value(SecretId="from-setup")["SecretString"] == "v"

    def test_each_test_gets_fresh_state(self) -> None:
        names = [s.name for s in mocksm.MockHandle.current().secrets()]
        assert names == ["from-setup"]


@mock_secretsmanager
class TestDecoratedPlainClass:
    def setup_method(self) -> None:
        self.client = _client()
        self.client.create_secret(Name="shared-name", SecretString="v")

    def test_one(self) -> None:
        assert self.client.get_secret_value(SecretId="shared-name")["SecretString"] == "v"

    def test_two(self) -> None:
        assert len(mocksm.MockHandle.current().secrets()) == 1


def test_class_decoration_left_nothing_active() -> None:
    assert mocksm._mock.active_handle() is None
    assert botocore.client.BaseClient._make_request is ORIGINAL_MAKE_REQUEST


def test_handle_views_never_show_values() -> None:
    with mock_secretsmanager() as handle:
        _client().create_secret(Name="hidden", SecretString="p4ssw0rd-plaintext")
        shown = repr(handle.secrets()) + repr(handle) + repr(handle._state.backends)
        assert "p4ssw0rd-plaintext" not in shown


def test_network_guard_blocks_real_connections() -> None:
    import socket

    with pytest.raises(AssertionError, match="tried to resolve"):
        socket.getaddrinfo("secretsmanager.us-east-1.amazonaws.com", 443)
