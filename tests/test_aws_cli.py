"""The AWS CLI v1 (``awscli``), driven in-process, against the mock: what it prints,
its exit codes and its error text (CLI v1 prints timestamps as they come over the wire)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import botocore
import pytest

from mocksm import mock_secretsmanager

Cli = Callable[..., tuple[int, Any, str]]
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:cli-rotator"


@pytest.fixture
def aws(capsys: pytest.CaptureFixture[str]) -> Cli:
    """``aws secretsmanager ARGS --output json``: (exit code, parsed stdout or None, stderr)."""
    # awscli v1 ships its own botocore and, once imported, resolves a first ``import
    # botocore`` to that copy: botocore must already be loaded (it is, above).
    assert botocore.__file__ and "awscli" not in botocore.__file__
    clidriver = pytest.importorskip("awscli.clidriver")
    driver = clidriver.create_clidriver()

    def run(*args: str) -> tuple[int, Any, str]:
        capsys.readouterr()
        code = driver.main(["secretsmanager", *args, "--output", "json"])
        out, err = capsys.readouterr()
        return code, json.loads(out) if out.strip() else None, err

    return run


def _error(code: str, operation: str, message: str) -> str:
    return f"\nAn error occurred ({code}) when calling the {operation} operation: {message}\n"


def test_secret_lifecycle_through_the_cli(aws: Cli, tmp_path: Any) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\x00\x01binary\xff")
    with mock_secretsmanager():
        code, created, _ = aws("create-secret", "--name", "cli/app", "--secret-string", "v1",
                               "--description", "from the cli", "--tags", "Key=env,Value=dev")
        assert code == 0 and sorted(created) == ["ARN", "Name", "VersionId"]
        assert created["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:cli/app-")
        code, binary, _ = aws("create-secret", "--name", "cli/bin", "--secret-binary", f"fileb://{blob}")
        assert code == 0 and binary["Name"] == "cli/bin"

        code, put, _ = aws("put-secret-value", "--secret-id", "cli/app", "--secret-string", "v2")
        assert code == 0 and put["VersionStages"] == ["AWSCURRENT"]
        assert sorted(put) == ["ARN", "Name", "VersionId", "VersionStages"]

        code, value, _ = aws("get-secret-value", "--secret-id", "cli/app", "--version-stage", "AWSPREVIOUS")
        assert code == 0
        assert (value["SecretString"], value["VersionId"], value["VersionStages"]) == (
            "v1", created["VersionId"], ["AWSPREVIOUS"])
        assert isinstance(value["CreatedDate"], float)  # epoch seconds, as on the wire
        code, value, _ = aws("get-secret-value", "--secret-id", "cli/bin")
        assert value["SecretBinary"] == "AAFiaW5hcnn/"  # base64 of the file's bytes

        code, described, _ = aws("describe-secret", "--secret-id", created["ARN"])
        assert code == 0 and described["Description"] == "from the cli"
        assert described["Tags"] == [{"Key": "env", "Value": "dev"}]
        assert described["VersionIdsToStages"] == {created["VersionId"]: ["AWSPREVIOUS"],
                                                   put["VersionId"]: ["AWSCURRENT"]}

        code, out, err = aws("tag-resource", "--secret-id", "cli/app", "--tags", "Key=team,Value=core")
        assert (code, out, err) == (0, None, "")  # TagResource answers an empty body

        code, deleted, _ = aws("delete-secret", "--secret-id", "cli/app", "--recovery-window-in-days", "7")
        assert code == 0 and sorted(deleted) == ["ARN", "DeletionDate", "Name"]
        assert deleted["DeletionDate"] == pytest.approx(described["LastChangedDate"] + 7 * 86400, abs=5)
        code, _, err = aws("get-secret-value", "--secret-id", "cli/app")
        assert code == 255
        assert err == _error("InvalidRequestException", "GetSecretValue",
                             "You can't perform this operation on the secret because it was marked "
                             "for deletion.")
        code, restored, _ = aws("restore-secret", "--secret-id", "cli/app")
        assert code == 0 and restored == {"ARN": created["ARN"], "Name": "cli/app"}
        code, described, _ = aws("describe-secret", "--secret-id", "cli/app")
        assert "DeletedDate" not in described
        assert described["Tags"] == [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "core"}]


def test_list_secrets_filters_and_paging(aws: Cli) -> None:
    with mock_secretsmanager() as handle:
        client = handle.client()
        for i in range(5):
            client.create_secret(Name=f"svc/{i}", SecretString=str(i),
                                 Tags=[{"Key": "team", "Value": "odd" if i % 2 else "even"}])
        client.create_secret(Name="other/x", SecretString="x")

        code, listed, _ = aws("list-secrets", "--filters", "Key=name,Values=svc/",
                              "Key=tag-value,Values=odd")
        assert code == 0 and [s["Name"] for s in listed["SecretList"]] == ["svc/1", "svc/3"]
        code, listed, _ = aws("list-secrets", "--filters", "Key=name,Values=svc/",
                              "Key=name,Values=!svc/3", "--sort-order", "desc",
                              "--query", "SecretList[].Name")
        assert listed == ["svc/4", "svc/2", "svc/1", "svc/0"]

        # The CLI pages on its own; --max-items hands back its token to resume with.
        code, first, _ = aws("list-secrets", "--page-size", "2", "--max-items", "3")
        assert [s["Name"] for s in first["SecretList"]] == ["svc/0", "svc/1", "svc/2"]
        code, rest, _ = aws("list-secrets", "--page-size", "2", "--starting-token", first["NextToken"])
        assert [s["Name"] for s in rest["SecretList"]] == ["svc/3", "svc/4", "other/x"]
        assert "NextToken" not in rest

        code, _, err = aws("list-secrets", "--filters", "Key=color,Values=red")
        assert code == 255
        assert err == _error(
            "ValidationException", "ListSecrets",
            "1 validation error detected: Value 'color' at 'filters.1.member.key' failed to satisfy "
            "constraint: Member must satisfy enum value set: [description, name, tag-key, "
            "tag-value, primary-region, owning-service, all]")
        code, _, err = aws("list-secrets", "--no-paginate", "--next-token", "not-a-token")
        assert (code, err) == (255, _error("InvalidNextTokenException", "ListSecrets",
                                           "The NextToken value is invalid."))


def test_rotate_secret_through_the_cli(aws: Cli) -> None:
    with mock_secretsmanager() as handle:
        handle.client().create_secret(Name="cli/rotated", SecretString='{"password": "p0"}')
        code, _, err = aws("rotate-secret", "--secret-id", "cli/rotated")
        assert (code, err) == (255, _error("InvalidRequestException", "RotateSecret",
                                           "No Lambda rotation function ARN is associated with "
                                           "this secret."))
        code, _, err = aws("rotate-secret", "--secret-id", "cli/rotated",
                           "--rotation-lambda-arn", FUNCTION)
        assert code == 255 and "(AccessDeniedException)" in err  # nothing registered for it
        assert handle.secret("cli/rotated").labels() == {
            v.version_id: ["AWSCURRENT"] for v in handle.secret("cli/rotated").versions}

        handle.register_rotation_function(FUNCTION, "builtin")
        code, rotated, _ = aws("rotate-secret", "--secret-id", "cli/rotated",
                               "--rotation-lambda-arn", FUNCTION,
                               "--rotation-rules", '{"ScheduleExpression": "rate(10 days)"}')
        assert code == 0 and sorted(rotated) == ["ARN", "Name", "VersionId"]
        code, current, _ = aws("get-secret-value", "--secret-id", "cli/rotated")
        assert current["VersionId"] == rotated["VersionId"]
        assert json.loads(current["SecretString"])["password"] != "p0"
        code, described, _ = aws("describe-secret", "--secret-id", "cli/rotated")
        assert described["RotationEnabled"] is True
        assert described["RotationLambdaARN"] == FUNCTION
        assert described["RotationRules"] == {"AutomaticallyAfterDays": 10,
                                              "ScheduleExpression": "rate(10 days)"}


def test_get_random_password_through_the_cli(aws: Cli) -> None:
    with mock_secretsmanager():
        code, answer, _ = aws("get-random-password", "--password-length", "24",
                              "--exclude-punctuation", "--require-each-included-type")
        password = answer["RandomPassword"]
        assert code == 0 and len(password) == 24 and password.isalnum()
        code, _, err = aws("get-random-password", "--password-length", "3",
                           "--require-each-included-type")
        assert (code, err) == (255, _error("InvalidParameterException", "GetRandomPassword",
                                           "Password length is too short based on the required "
                                           "types."))


def test_cli_errors_name_code_operation_and_message(aws: Cli) -> None:
    with mock_secretsmanager() as handle:
        handle.client().create_secret(Name="cli/taken")
        code, out, err = aws("create-secret", "--name", "cli/taken", "--secret-string", "x")
        assert (code, out) == (255, None)
        assert err == _error("ResourceExistsException", "CreateSecret",
                             "The operation failed because the secret cli/taken already exists.")
        code, _, err = aws("describe-secret", "--secret-id", "cli/missing")
        assert err == _error("ResourceNotFoundException", "DescribeSecret",
                             "Secrets Manager can't find the specified secret.")
        code, _, err = aws("delete-secret", "--secret-id", "cli/taken",
                           "--force-delete-without-recovery", "--recovery-window-in-days", "7")
        assert err == _error("InvalidParameterException", "DeleteSecret",
                             "You can't use ForceDeleteWithoutRecovery in conjunction with "
                             "RecoveryWindowInDays.")
        assert [s.name for s in handle.secrets()] == ["cli/taken"]
