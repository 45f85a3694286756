"""Shared helpers of the core-operation tests: state snapshots, ids, raw calls.

A failing call must change nothing, so ``unchanged(handle)`` snapshots everything the
mock holds (every backend, every secret field, every version with its labels, dates,
keys and the sealed value object itself) before the call and compares after it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

ACCOUNT = "123456789012"
REGION = "us-east-1"
ARN_RE = re.compile(
    r"arn:aws:secretsmanager:us-east-1:123456789012:secret:(?P<name>.+)-(?P<suffix>[A-Za-z0-9]{6})"
)
INVALID_NAME = (
    "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
    "following: -/_+=.@!"
)
NOT_FOUND = "Secrets Manager can't find the specified secret."
TOKEN_REQUIRED = "You must provide a ClientRequestToken value. We recommend a UUID-type value."
MARKED_FOR_DELETION = (
    "You can't perform this operation on the secret because it was marked for deletion."
)
BOTH_VALUES = (
    "You can't specify both a binary secret value and a string secret value in the same secret."
)
TOO_MANY_LABELS = "You have exceeded the maximum number of staging labels for this secret."
TOO_MANY_VERSIONS = "You have exceeded the maximum number of versions for this secret."
META = "ResponseMetadata"


def token() -> str:
    """A fresh ClientRequestToken / VersionId (36 chars, as the SDKs send)."""
    return str(uuid.uuid4())


def keys(response: dict[str, Any]) -> set[str]:
    """The modelled keys of a boto3 response (without ResponseMetadata)."""
    return set(response) - {META}


def token_in_use(tok: str, arn: str) -> str:
    return (
        f"You can't use ClientRequestToken {tok} because that value is already in use for a "
        f"version of secret {arn}."
    )


def full_state(handle: Any) -> list[Any]:
    """Everything the mock holds, as comparable tuples (values compared by identity of
    their sealed objects: any re-seal counts as a change)."""
    state = handle._state
    out: list[Any] = []
    with state.lock:
        for (account, region), store in sorted(state.backends.items()):
            for secret in sorted(store.by_name.values(), key=lambda s: s.seq):
                versions = tuple(
                    (v.version_id, tuple(sorted(v.stages)), v.created, v.last_accessed,
                     tuple(v.kms_key_ids), v.sealed)
                    for v in sorted(secret.versions.values(), key=lambda v: v.seq)
                )
                out.append((
                    account, region, secret.name, secret.arn, secret.description,
                    secret.kms_key_id, secret.type,
                    tuple(tuple(sorted(t.items())) for t in secret.tags), secret.tags_ever_set,
                    secret.created, secret.last_changed, secret.last_accessed,
                    secret.deleted_date, secret.deletion_date, versions,
                ))
            if store.by_arn:
                out.append((account, region, sorted(store.by_arn)))
    return out


@contextmanager
def unchanged(handle: Any) -> Iterator[None]:
    """Assert that the block (a failing call) leaves the whole mock state as it was."""
    before = full_state(handle)
    yield
    assert full_state(handle) == before


def api_view(client: Any, secret_id: str) -> dict[str, Any]:
    """What the API shows of a secret without side effects: DescribeSecret and every
    version (deprecated included)."""
    described = client.describe_secret(SecretId=secret_id)
    versions = client.list_secret_version_ids(SecretId=secret_id, IncludeDeprecated=True)
    described.pop(META)
    versions.pop(META)
    return {"describe": described, "versions": versions}


def raw(handle: Any, operation: str, body: Any) -> tuple[int, dict[str, Any]]:
    """Send ``body`` to ``secretsmanager.<operation>`` over the raw wire; (status, json)."""
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    response = handle.raw_request(f"secretsmanager.{operation}", body)
    return response.status, response.json()


def raw_error(handle: Any, operation: str, body: Any) -> tuple[int, str, str]:
    """(status, __type, message) of a raw call expected to fail."""
    status, payload = raw(handle, operation, body)
    assert "__type" in payload, payload
    message = payload.get("Message", payload.get("message"))
    return status, payload["__type"], message


def mark_for_deletion(handle: Any, client: Any, secret_id: str) -> None:
    """Schedule ``secret_id`` for deletion: through DeleteSecret when mocksm serves it,
    else by setting the model's deletion fields (DeleteSecret is built elsewhere)."""
    from botocore.exceptions import ClientError

    try:
        client.delete_secret(SecretId=secret_id, RecoveryWindowInDays=7)
        return
    except ClientError as error:
        if error.response["Error"]["Code"] != "NotImplemented":
            raise
    state = handle._state
    with state.lock:
        now = state.clock.now()
        for store in state.backends.values():
            for secret in store.by_name.values():
                if secret_id in (secret.name, secret.arn):
                    secret.deleted_date = now
                    secret.deletion_date = now + 7 * 86400
                    store.scheduled[secret.arn] = secret
                    return
    raise KeyError(secret_id)


def add_placeholder(handle: Any, secret_id: str, version_id: str, stages: set[str]) -> None:
    """Give a secret a value-less version, as RotateSecret's createSecret step leaves it."""
    from mocksm.secretsmanager.secret import Version

    state = handle._state
    with state.lock:
        for store in state.backends.values():
            for secret in store.by_name.values():
                if secret_id in (secret.name, secret.arn):
                    for other in secret.versions.values():
                        other.stages -= stages
                    secret.versions[version_id] = Version(
                        version_id=version_id, sealed=None, stages=set(stages),
                        created=state.clock.now(), seq=store.next_seq(),
                        kms_key_ids=["DefaultEncryptionKey"],
                    )
                    return
    raise KeyError(secret_id)


def labels_by_version(client: Any, secret_id: str) -> dict[str, list[str] | None]:
    """Version id -> VersionStages as ListSecretVersionIds(IncludeDeprecated) shows them
    (None: the entry has no VersionStages key)."""
    versions = client.list_secret_version_ids(SecretId=secret_id, IncludeDeprecated=True)
    return {v["VersionId"]: v.get("VersionStages") for v in versions["Versions"]}
