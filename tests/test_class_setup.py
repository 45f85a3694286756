"""A decorated class whose class-level setup (unittest's setUpClass, pytest's setup_class)
makes secrets: that setup runs under the mock, and its secrets live until the class's
teardown. Before, it ran unmocked: its calls went to the real endpoint."""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

SUITE = """
    import socket
    import unittest

    import boto3
    import botocore.client
    import pytest
    from mocksm import MockHandle, mock_secretsmanager

    ORIGINAL = botocore.client.BaseClient._make_request

    def _refuse(*args, **kwargs):
        raise AssertionError("tried to reach the network")

    socket.getaddrinfo = _refuse

    @mock_secretsmanager
    class TestUnittestStyle(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            cls.client = boto3.client("secretsmanager", region_name="us-east-1")
            cls.client.create_secret(Name="shared", SecretString="v")

        @classmethod
        def tearDownClass(cls):
            cls.client.delete_secret(SecretId="shared", ForceDeleteWithoutRecovery=True)

        def setUp(self):
            self.client.create_secret(Name="per-test-" + self._testMethodName, SecretString="v")

        def test_one(self):
            assert self.client.get_secret_value(SecretId="shared")["SecretString"] == "v"

        def test_two(self):
            assert self.client.get_secret_value(SecretId="shared")["SecretString"] == "v"

    @mock_secretsmanager
    class TestPytestStyle:
        @classmethod
        def setup_class(cls):
            cls.client = boto3.client("secretsmanager", region_name="us-east-1")
            cls.client.create_secret(Name="shared", SecretString="v")

        def test_one(self):
            assert self.client.get_secret_value(SecretId="shared")["SecretString"] == "v"

        def test_two(self):
            names = {s.name for s in MockHandle.current().secrets()}
            assert "shared" in names

    def test_nothing_left_active():
        assert botocore.client.BaseClient._make_request is ORIGINAL
"""


def test_class_level_setup_runs_under_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SUITE)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=5)


FAILING_SETUP = """
    import unittest

    import botocore.client
    from mocksm import mock_secretsmanager

    ORIGINAL = botocore.client.BaseClient._make_request

    @mock_secretsmanager
    class TestBrokenSetup(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            raise RuntimeError("setup broke")

        def test_never_runs(self):
            pass

    @mock_secretsmanager
    class TestBrokenPytestSetup:
        def setup_class(cls):
            raise RuntimeError("setup broke")

        def test_never_runs(self):
            pass

    def test_nothing_left_active():
        assert botocore.client.BaseClient._make_request is ORIGINAL
"""


def test_a_failing_class_setup_leaves_nothing_active(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FAILING_SETUP)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=2)


def test_plain_unittest_runner(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_suite=SUITE.replace("def test_nothing_left_active", "def _unused"))
    result = pytester.run(sys.executable, "-m", "unittest", "-q", "test_suite")
    assert result.ret == 0, result.stderr.str()
    assert "Ran 2 tests" in result.stderr.str()


FAILING_METHOD_HOOKS = """
    import botocore.client
    from mocksm import mock_secretsmanager

    ORIGINAL = botocore.client.BaseClient._make_request

    @mock_secretsmanager
    class TestBrokenSetupMethod:
        def setup_method(self):
            raise RuntimeError("setup broke")

        def test_never_runs(self):
            pass

    @mock_secretsmanager
    class TestBrokenTeardownMethod:
        def test_runs(self):
            assert botocore.client.BaseClient._make_request is not ORIGINAL

        def teardown_method(self, method):
            raise RuntimeError("teardown broke")

    def test_nothing_left_active():
        assert botocore.client.BaseClient._make_request is ORIGINAL
"""


def test_a_failing_setup_or_teardown_method_leaves_nothing_active(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(FAILING_METHOD_HOOKS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=2)
