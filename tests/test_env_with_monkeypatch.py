"""The environment a test leaves behind when pytest's monkeypatch and the mock both
change AWS variables, in either order of teardown."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

ENV_SUITE = """
    import os
    import boto3
    import pytest
    from mocksm import mock_secretsmanager

    KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
            "AWS_DEFAULT_REGION", "AWS_REGION")
    BEFORE = {key: os.environ.get(key) for key in KEYS}

    def _change(monkeypatch):
        monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "210987654321")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
        boto3.client("secretsmanager").create_secret(Name="x", SecretString="v")

    def test_monkeypatch_before_fixture(monkeypatch, mocksm):
        _change(monkeypatch)
        assert mocksm.secrets(region="eu-west-1", account="210987654321")

    def test_env_after_fixture():
        assert {key: os.environ.get(key) for key in KEYS} == BEFORE

    @mock_secretsmanager
    def test_decorated_with_monkeypatch(monkeypatch):
        _change(monkeypatch)

    def test_env_after_decorated():
        assert {key: os.environ.get(key) for key in KEYS} == BEFORE

    @mock_secretsmanager
    class TestDecoratedClass:
        def test_method_with_monkeypatch(self, monkeypatch):
            _change(monkeypatch)

    def test_env_after_class():
        assert {key: os.environ.get(key) for key in KEYS} == BEFORE
"""


def test_monkeypatch_and_mock_leave_the_environment_as_before(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_PROFILE", "work")
    pytester.makepyfile(ENV_SUITE)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=6)
