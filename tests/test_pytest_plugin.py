"""The pytest plugin, exercised the way a user's suite would use it (pytester)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")


def test_fixtures_and_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_handle_and_client(mocksm, secretsmanager_client):
            secretsmanager_client.create_secret(Name="a", SecretString="v")
            assert [s.name for s in mocksm.secrets()] == ["a"]
            assert secretsmanager_client.meta.region_name == "us-east-1"

        def test_state_is_fresh_per_test(mocksm):
            assert mocksm.secrets() == []

        @pytest.mark.mocksm(region="eu-central-1", account_id="999988887777")
        def test_marker_options(mocksm, secretsmanager_client):
            arn = secretsmanager_client.create_secret(Name="b")["ARN"]
            assert arn.startswith("arn:aws:secretsmanager:eu-central-1:999988887777:")
            assert mocksm.region == "eu-central-1"
        """
    )
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.mocksm(version_retention="count_only")
        def test_x(mocksm):
            pass
        """
    )
    result = pytester.runpytest("-q", "--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_decorated_plain_class_in_a_user_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        from mocksm import mock_secretsmanager, MockHandle

        @mock_secretsmanager
        class TestSecrets:
            def setup_method(self, method):
                self.client = boto3.client("secretsmanager", region_name="us-east-1")
                self.client.create_secret(Name="made-in-setup", SecretString="v")

            def test_one(self):
                assert self.client.get_secret_value(SecretId="made-in-setup")["SecretString"] == "v"

            def test_two(self):
                assert len(MockHandle.current().secrets()) == 1
        """
    )
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
