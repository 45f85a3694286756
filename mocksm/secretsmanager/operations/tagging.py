"""TagResource and UntagResource (spec 4.8, 5.14, 5.15). Neither returns output.

Order: name check, lookup, replica, marked-for-deletion, then the tag rules; the
tag list is computed in full before the secret is touched.
"""

from __future__ import annotations

from typing import Any

from mocksm.secretsmanager import messages, tags
from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.operations import operation
from mocksm.secretsmanager.secret import Secret


def _target(call: Call, secret_id: str) -> Secret:
    secret = call.resolve(secret_id)
    if secret.extra.get("replica_of"):
        raise messages.replica_write()
    call.require_not_deleted(secret)
    return secret


def _check_keys(secret: Secret, keys: list[str]) -> None:
    if secret.owning_service and tags.OWNING_SERVICE_KEY in keys:
        raise messages.managed_secret()
    tags.check_reserved(keys)


@operation("TagResource")
def tag_resource(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    new_tags = list(p["Tags"])
    keys = tags.keys_of(new_tags)  # a model-level check: before the lookup
    secret = _target(call, p["SecretId"])
    _check_keys(secret, keys)
    updated = tags.merged(secret.tags, new_tags)
    secret.tags = updated
    secret.tags_ever_set = secret.tags_ever_set or bool(updated)
    secret.touch(call.now)
    return {}


@operation("UntagResource")
def untag_resource(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = _target(call, p["SecretId"])
    keys = [str(k) for k in p["TagKeys"]]
    _check_keys(secret, keys)
    secret.tags = tags.without(secret.tags, keys)
    secret.touch(call.now)
    return {}
