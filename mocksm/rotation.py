"""Rotation functions for tests, and what mocksm records about every rotation.

Register a Python callable as the rotation function behind a Lambda ARN or function
name, and RotateSecret (or a rotation falling due on the mock clock) calls it
synchronously, in-process, exactly as Lambda would::

    handle.register_rotation_function("my-rotator", my_lambda_handler)
    client.rotate_secret(SecretId="db", RotationLambdaARN="my-rotator",
                         RotationRules={"AutomaticallyAfterDays": 30})

``builtin_rotation`` (also registrable as the string ``"builtin"``) is a complete
four-step rotation function for tests that only need a rotation to happen: the new
value is the old one with a fresh random ``password`` (for a JSON object with that
key), a fresh random password (any other string), or 32 random bytes (binary).
"""

from __future__ import annotations

import json
import os
import secrets as _random
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RotationHandler = Callable[[dict[str, Any], Any], Any]

STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")

PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_PASSWORD_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits, PUNCTUATION)


@dataclass(frozen=True)
class LambdaContext:
    """The parts of Lambda's context object rotation functions use."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 128
    log_group_name: str = ""
    log_stream_name: str = ""

    def get_remaining_time_in_millis(self) -> int:
        """Lambda's default rotation timeout budget; mocksm never times a step out."""
        return 30_000


@dataclass(eq=False)
class RotationAttempt:
    """One rotation (or RotateImmediately=false test) of one secret, as it happened.

    ``outcome``: ``"running"`` while the function runs, then ``"succeeded"`` (all steps
    returned and the new version carries AWSCURRENT), ``"failed"`` (a step raised:
    ``error`` holds the exception, its frames' variables cleared so no value the function
    handled stays, ``failed_step`` the step) or ``"incomplete"`` (every step returned but
    AWSCURRENT never reached the new version).
    """

    secret_arn: str
    secret_name: str
    version_id: str
    kind: str  # "rotation" | "test" (RotateImmediately=false runs only testSecret)
    trigger: str  # "RotateSecret" | "schedule"
    function: str | None  # the Lambda ARN or name; None for managed rotation
    simulated: bool
    started: float
    steps: list[str] = field(default_factory=list)
    outcome: str = "running"
    error: BaseException | None = None
    finished: float | None = None

    def __repr__(self) -> str:
        error = f" error={type(self.error).__name__}" if self.error is not None else ""
        return (f"<RotationAttempt {self.kind} {self.secret_name} {self.version_id} "
                f"{self.outcome} steps={self.steps}{error}>")

    @property
    def succeeded(self) -> bool:
        return self.outcome == "succeeded"

    @property
    def failed_step(self) -> str | None:
        return self.steps[-1] if self.outcome == "failed" and self.steps else None


def random_password(length: int = 32) -> str:
    """A password as GetRandomPassword makes one by default: every character class."""
    alphabet = "".join(_PASSWORD_CLASSES)
    while True:
        candidate = "".join(_random.choice(alphabet) for _ in range(length))
        if all(any(c in group for c in candidate) for group in _PASSWORD_CLASSES):
            return candidate


def new_value(current: str | bytes | None) -> str | bytes:
    """The next value of a secret whose current value is ``current``."""
    if isinstance(current, bytes):
        return os.urandom(32)
    if current is not None:
        try:
            document = json.loads(current)
        except ValueError:
            document = None
        if isinstance(document, dict) and "password" in document:
            document["password"] = random_password()
            return json.dumps(document)
    return random_password()


def builtin_rotation(event: dict[str, Any], context: Any) -> None:
    """A complete single-user rotation function, written as AWS's template is: it
    talks to Secrets Manager through boto3 (and so through the mock) at every step."""
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    region = arn.split(":")[3] if arn.startswith("arn:") else None
    client = _client(region)
    metadata = client.describe_secret(SecretId=arn)
    if not metadata.get("RotationEnabled"):
        raise ValueError(f"secret {arn} is not enabled for rotation")
    stages = metadata.get("VersionIdsToStages", {}).get(token)
    if stages is None:
        raise ValueError(f"version {token} of {arn} has no staging label")
    if "AWSCURRENT" in stages:
        return  # already finished
    if "AWSPENDING" not in stages:
        raise ValueError(f"version {token} of {arn} is not AWSPENDING")
    if step == "createSecret":
        current = client.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
        try:
            client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except client.exceptions.ResourceNotFoundException:
            value = new_value(current.get("SecretString", current.get("SecretBinary")))
            kind = "SecretBinary" if isinstance(value, bytes) else "SecretString"
            client.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                    VersionStages=["AWSPENDING"], **{kind: value})
    elif step == "setSecret":
        pass  # nothing outside Secrets Manager holds this value
    elif step == "testSecret":
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
    elif step == "finishSecret":
        old = next((vid for vid, labels in metadata["VersionIdsToStages"].items()
                    if "AWSCURRENT" in labels), None)
        client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                           MoveToVersionId=token, RemoveFromVersionId=old)
    else:
        raise ValueError(f"invalid step {step!r}")


_clients: dict[tuple[str | None, str | None], Any] = {}
# boto3's default session is not thread-safe (clients are): rotations running at once on
# several threads create their clients one at a time.
_clients_lock = threading.Lock()


def _client(region: str | None) -> Any:
    """One client per region and access key (the key decides the caller's account):
    creating a boto3 client costs more than a whole rotation."""
    key = (region, os.environ.get("AWS_ACCESS_KEY_ID"))
    client = _clients.get(key)
    if client is None:
        import boto3

        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = boto3.client("secretsmanager", region_name=region)
    return client


BUILTINS: dict[str, RotationHandler] = {"builtin": builtin_rotation}
