"""A single-user rotation function, written the way AWS's Lambda rotation template is,
rotated in-process by mocksm: no Lambda, no Docker, no network.

The function talks to Secrets Manager only through boto3, so the same code runs
unchanged in Lambda. The "database" whose password it changes is a dict here.

Run it with:  python examples/rotation_function.py
"""

from __future__ import annotations

import json
import logging
import secrets
import string
from typing import Any

import boto3

logger = logging.getLogger(__name__)

# Stands in for the database: user name -> the password it accepts.
FAKE_DATABASE: dict[str, str] = {}


# -- the rotation function (what you would deploy to Lambda) ---------------------------------

def lambda_handler(event: dict[str, Any], context: Any) -> None:
    """Entry point: Secrets Manager calls it once per step of a rotation."""
    arn = event["SecretId"]
    token = event["ClientRequestToken"]
    step = event["Step"]
    service_client = boto3.client("secretsmanager")

    # The version being rotated must be staged as AWSPENDING (and not yet AWSCURRENT).
    metadata = service_client.describe_secret(SecretId=arn)
    if not metadata.get("RotationEnabled"):
        raise ValueError(f"Secret {arn} is not enabled for rotation")
    versions = metadata["VersionIdsToStages"]
    if token not in versions:
        raise ValueError(f"Secret version {token} has no stage for rotation of secret {arn}")
    if "AWSCURRENT" in versions[token]:
        logger.info("Secret version %s already set as AWSCURRENT for %s", token, arn)
        return
    if "AWSPENDING" not in versions[token]:
        raise ValueError(f"Secret version {token} not set as AWSPENDING for rotation of {arn}")

    if step == "createSecret":
        create_secret(service_client, arn, token)
    elif step == "setSecret":
        set_secret(service_client, arn, token)
    elif step == "testSecret":
        test_secret(service_client, arn, token)
    elif step == "finishSecret":
        finish_secret(service_client, arn, token)
    else:
        raise ValueError(f"Invalid step parameter {step}")


def create_secret(service_client: Any, arn: str, token: str) -> None:
    """Store a new password as the AWSPENDING version, unless a retry already did."""
    current = json.loads(
        service_client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"]
    )
    try:
        service_client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        logger.info("createSecret: pending version already exists for %s", arn)
    except service_client.exceptions.ResourceNotFoundException:
        current["password"] = _new_password()
        service_client.put_secret_value(
            SecretId=arn,
            ClientRequestToken=token,
            SecretString=json.dumps(current),
            VersionStages=["AWSPENDING"],
        )
        logger.info("createSecret: stored a new pending version for %s", arn)


def set_secret(service_client: Any, arn: str, token: str) -> None:
    """Make the database accept the pending password."""
    pending = _read(service_client, arn, token, "AWSPENDING")
    FAKE_DATABASE[pending["username"]] = pending["password"]


def test_secret(service_client: Any, arn: str, token: str) -> None:
    """Log in with the pending password: the database must accept it."""
    pending = _read(service_client, arn, token, "AWSPENDING")
    if FAKE_DATABASE.get(pending["username"]) != pending["password"]:
        raise RuntimeError("the database rejected the pending password")


def finish_secret(service_client: Any, arn: str, token: str) -> None:
    """Promote the pending version to AWSCURRENT (AWSPREVIOUS follows automatically)."""
    metadata = service_client.describe_secret(SecretId=arn)
    current_version = None
    for version, stages in metadata["VersionIdsToStages"].items():
        if "AWSCURRENT" in stages:
            if version == token:
                return
            current_version = version
            break
    service_client.update_secret_version_stage(
        SecretId=arn,
        VersionStage="AWSCURRENT",
        MoveToVersionId=token,
        RemoveFromVersionId=current_version,
    )


def _read(service_client: Any, arn: str, token: str, stage: str) -> dict[str, Any]:
    response = service_client.get_secret_value(SecretId=arn, VersionId=token, VersionStage=stage)
    document: dict[str, Any] = json.loads(response["SecretString"])
    return document


def _new_password(length: int = 32) -> str:
    # In Lambda you might call service_client.get_random_password() instead.
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


# -- rotating it under mocksm ----------------------------------------------------------------

def main() -> None:
    from mocksm import mock_secretsmanager

    function_arn = "arn:aws:lambda:us-east-1:123456789012:function:single-user-rotation"
    with mock_secretsmanager() as handle:
        handle.register_rotation_function(function_arn, lambda_handler)
        client = boto3.client("secretsmanager", region_name="us-east-1")
        initial = {"engine": "postgres", "username": "app", "password": "initial-password"}
        FAKE_DATABASE["app"] = initial["password"]
        client.create_secret(Name="prod/app/db", SecretString=json.dumps(initial))

        rotation = client.rotate_secret(
            SecretId="prod/app/db",
            RotationLambdaARN=function_arn,
            RotationRules={"AutomaticallyAfterDays": 30},
        )
        attempt = handle.rotation_log("prod/app/db")[-1]
        print("rotated now     ", rotation["VersionId"], attempt.outcome, attempt.steps)
        print("labels          ", handle.secret("prod/app/db").labels())
        first = json.loads(client.get_secret_value(SecretId="prod/app/db")["SecretString"])
        assert first["password"] != initial["password"]
        assert FAKE_DATABASE["app"] == first["password"]

        handle.clock.advance(days=30)  # the next rotation falls due on the mock clock
        second = json.loads(client.get_secret_value(SecretId="prod/app/db")["SecretString"])
        assert second["password"] != first["password"]
        attempt = handle.rotation_log("prod/app/db")[-1]
        print("rotated on time ", attempt.version_id, attempt.trigger, attempt.outcome)
        described = client.describe_secret(SecretId="prod/app/db")
        print("next rotation   ", described["NextRotationDate"].isoformat())


if __name__ == "__main__":
    main()
