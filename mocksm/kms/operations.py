"""The KMS API subset mocksm serves (JSON target prefix ``TrentService``).

Each handler takes the call context and validated parameters and returns the output
dict, like the Secrets Manager handlers. Only symmetric encryption keys exist; other
key types answer a clear 501 ``NotImplemented``.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidTag

from mocksm.kms import errors, model
from mocksm.kms.errors import KmsError
from mocksm.secretsmanager.call import Call

Handler = Callable[[Call, dict[str, Any]], dict[str, Any]]

_OPERATIONS: dict[str, Handler] = {}
_BLOB_VERSION = b"\x01"


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _OPERATIONS[name] = handler
        return handler

    return register


def table() -> dict[str, Handler]:
    return _OPERATIONS


# -- helpers ----------------------------------------------------------------------------

def _store(call: Call) -> model.KmsStore:
    store = call.state.kms(call.account, call.region)
    store.purge_due(call.now)
    return store


def _key(call: Call, key_ref: str, allow_alias: bool = True) -> model.Key:
    return model.resolve(call.state, call.account, call.region, key_ref, call.now, allow_alias)


def _own_key(call: Call, key_ref: str, action: str) -> model.Key:
    """A key of the caller's own account: ``action`` is not cross-account in KMS, so a key
    ARN of another account is refused (AccessDeniedException), not acted on there."""
    key = _key(call, key_ref, allow_alias=False)
    if key.account != call.account:
        raise errors.policy_denied(call.account, action, key.arn)
    return key


def _customer_key(call: Call, key_ref: str, action: str) -> model.Key:
    """A key the caller may manage: its own, and not AWS managed (their key policy
    refuses management actions)."""
    key = _own_key(call, key_ref, action)
    if key.manager == model.AWS_MANAGED:
        raise errors.policy_denied(call.account, action, key.arn)
    return key


def _dry_run(params: dict[str, Any]) -> None:
    if params.get("DryRun"):
        raise KmsError(
            "DryRunOperationException",
            "The request would have succeeded, but the DryRun option is set.",
        )


def _context(params: dict[str, Any], name: str = "EncryptionContext") -> bytes:
    context = params.get(name) or {}
    return json.dumps(sorted(context.items()), separators=(",", ":")).encode()


def _encrypt(key: model.Key, plaintext: bytes, context: bytes) -> bytes:
    """A ciphertext blob that names its key, as KMS blobs do: version, key ARN, nonce, data."""
    arn = key.arn.encode()
    nonce = os.urandom(12)
    sealed = key.cipher.encrypt(nonce, plaintext, arn + b"\x00" + context)
    return _BLOB_VERSION + struct.pack(">H", len(arn)) + arn + nonce + sealed


def _decrypt(call: Call, blob: bytes, context: bytes) -> tuple[model.Key, bytes]:
    if len(blob) < 3 or blob[:1] != _BLOB_VERSION:
        raise errors.invalid_ciphertext()
    (size,) = struct.unpack(">H", blob[1:3])
    arn_bytes, rest = blob[3 : 3 + size], blob[3 + size :]
    try:
        arn = arn_bytes.decode()
    except UnicodeDecodeError:
        raise errors.invalid_ciphertext() from None
    parsed = model.parse_arn(arn)
    if parsed is None or parsed[2] != "key" or len(rest) < 28:
        raise errors.invalid_ciphertext()
    region, account, _, key_id = parsed
    store = call.state.kms(account, region)
    store.purge_due(call.now)
    key = store.keys.get(key_id)
    if key is None or region != call.region:
        raise errors.unknown_ciphertext_key()
    key.require_usable()
    try:
        plaintext = key.cipher.decrypt(rest[:12], rest[12:], arn_bytes + b"\x00" + context)
    except InvalidTag:
        raise errors.invalid_ciphertext() from None
    return key, plaintext


def _page(items: list[Any], params: dict[str, Any], default: int = 100) -> tuple[list[Any], dict[str, Any]]:
    """One page of ``items``: Limit, an opaque numeric Marker, NextMarker and Truncated."""
    start = 0
    marker = params.get("Marker")
    if marker is not None:
        if not marker.isdigit() or int(marker) > len(items):
            raise KmsError("InvalidMarkerException", "Invalid marker.")
        start = int(marker)
    limit = params.get("Limit") or default
    page = items[start : start + limit]
    out: dict[str, Any] = {"Truncated": start + limit < len(items)}
    if out["Truncated"]:
        out["NextMarker"] = str(start + limit)
    return page, out


def _check_tags(tags: list[dict[str, str]]) -> None:
    """KMS's own checks on a request's tags (lengths are model constraints, checked earlier)."""
    if len({t["TagKey"] for t in tags}) < len(tags):
        raise KmsError("TagException", "Duplicate tag keys")
    if len(tags) > 50:
        raise KmsError("TagException", "Too many tags")
    if any(t["TagKey"].lower().startswith("aws:") for t in tags):
        raise KmsError("TagException", "Tags beginning with aws: are reserved")


def _check_alias_name(name: str) -> None:
    if not name.startswith("alias/"):
        raise errors.alias_prefix()
    if name.startswith("alias/aws/"):
        raise errors.reserved_alias()
    if ":" in name:
        raise errors.validation(f"{name} contains invalid characters for an alias")


def _target(call: Call, target_key_id: str, action: str) -> model.Key:
    """The key an alias may point to: a customer managed key of the caller's account."""
    if target_key_id.startswith("alias/") or (target_key_id.startswith("arn:") and ":alias/" in target_key_id):
        raise errors.validation("Aliases must refer to keys. Not aliases")
    key = _key(call, target_key_id, allow_alias=False)
    if key.account != call.account:
        raise errors.key_not_found(key.arn)
    if key.manager == model.AWS_MANAGED:  # its key policy grants no alias actions
        raise errors.policy_denied(call.account, action, key.arn)
    if key.state == model.PENDING_DELETION:
        raise errors.pending_deletion(key.arn)
    return key


# -- keys -------------------------------------------------------------------------------

@operation("CreateKey")
def create_key(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    spec = p.get("KeySpec") or p.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    if spec != "SYMMETRIC_DEFAULT" or p.get("KeyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        raise errors.unsupported("KMS keys other than symmetric encryption keys")
    if p.get("Origin", "AWS_KMS") != "AWS_KMS" or p.get("CustomKeyStoreId") or p.get("XksKeyId"):
        raise errors.unsupported("KMS keys with imported, CloudHSM or external key material")
    tags = [{"TagKey": t["TagKey"], "TagValue": t["TagValue"]} for t in p.get("Tags") or []]
    _check_tags(tags)
    key = _store(call).create_key(
        call.now, p.get("Description", ""), multi_region=bool(p.get("MultiRegion")), tags=tags
    )
    return {"KeyMetadata": key.metadata()}


@operation("DescribeKey")
def describe_key(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    return {"KeyMetadata": _key(call, p["KeyId"]).metadata()}


@operation("ListKeys")
def list_keys(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    keys = list(_store(call).keys.values())
    page, out = _page(keys, p)
    return {"Keys": [{"KeyId": k.key_id, "KeyArn": k.arn} for k in page], **out}


@operation("EnableKey")
def enable_key(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    model.enable(_customer_key(call, p["KeyId"], "EnableKey"))
    return {}


@operation("DisableKey")
def disable_key(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    model.disable(_customer_key(call, p["KeyId"], "DisableKey"))
    return {}


@operation("ScheduleKeyDeletion")
def schedule_key_deletion(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    days = p.get("PendingWindowInDays", 30)
    if not 7 <= days <= 30:
        raise errors.validation("PendingWindowInDays must be between 7 and 30")
    key = _customer_key(call, p["KeyId"], "ScheduleKeyDeletion")
    deletion_date = model.schedule_deletion(
        call.state.kms(key.account, key.region), key, days, call.now
    )
    return {
        "KeyId": key.arn,
        "DeletionDate": deletion_date,
        "KeyState": key.state,
        "PendingWindowInDays": days,
    }


@operation("CancelKeyDeletion")
def cancel_key_deletion(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    key = _customer_key(call, p["KeyId"], "CancelKeyDeletion")
    model.cancel_deletion(key)
    return {"KeyId": key.arn}


# -- aliases ----------------------------------------------------------------------------

@operation("CreateAlias")
def create_alias(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    name = p["AliasName"]
    _check_alias_name(name)
    store = _store(call)
    if name in store.aliases:
        raise errors.alias_exists(store.alias_arn(name))
    store.set_alias(name, _target(call, p["TargetKeyId"], "CreateAlias"), call.now)
    return {}


@operation("UpdateAlias")
def update_alias(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    name = p["AliasName"]
    _check_alias_name(name)
    store = _store(call)
    if name not in store.aliases:
        raise errors.alias_not_found(store.alias_arn(name))
    store.set_alias(name, _target(call, p["TargetKeyId"], "UpdateAlias"), call.now)
    return {}


@operation("DeleteAlias")
def delete_alias(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    name = p["AliasName"]
    _check_alias_name(name)
    store = _store(call)
    if name not in store.aliases:
        raise errors.alias_not_found(store.alias_arn(name))
    store.delete_alias(name)
    return {}


@operation("ListAliases")
def list_aliases(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    store = _store(call)
    aliases = list(store.aliases.values())
    if p.get("KeyId"):
        key = _key(call, p["KeyId"], allow_alias=False)
        aliases = [a for a in aliases if a.target_key_id == key.key_id]
    page, out = _page(aliases, p, default=50)
    entries = [
        {
            "AliasName": a.name,
            "AliasArn": a.arn,
            "TargetKeyId": a.target_key_id,
            "CreationDate": a.created,
            "LastUpdatedDate": a.updated,
        }
        for a in page
    ]
    return {"Aliases": entries, **out}


# -- tags -------------------------------------------------------------------------------

@operation("TagResource")
def tag_resource(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    key = _customer_key(call, p["KeyId"], "TagResource")
    if key.state == model.PENDING_DELETION:
        raise errors.pending_deletion(key.arn)
    _check_tags(p["Tags"])
    tags = {t["TagKey"]: t["TagValue"] for t in key.tags}
    for tag in p["Tags"]:
        tags[tag["TagKey"]] = tag["TagValue"]
    key.tags = [{"TagKey": k, "TagValue": v} for k, v in tags.items()]
    return {}


@operation("UntagResource")
def untag_resource(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    key = _customer_key(call, p["KeyId"], "UntagResource")
    if key.state == model.PENDING_DELETION:
        raise errors.pending_deletion(key.arn)
    drop = set(p["TagKeys"])
    key.tags = [t for t in key.tags if t["TagKey"] not in drop]
    return {}


@operation("ListResourceTags")
def list_resource_tags(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    key = _own_key(call, p["KeyId"], "ListResourceTags")
    page, out = _page(key.tags, p, default=50)
    return {"Tags": [dict(t) for t in page], **out}


# -- cryptography -----------------------------------------------------------------------

def _algorithm(p: dict[str, Any]) -> None:
    """Every key here is a symmetric encryption key: an RSA or SM2 algorithm cannot use it."""
    algorithm = p.get("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
    if algorithm != "SYMMETRIC_DEFAULT":
        raise errors.incompatible_algorithm(algorithm)


@operation("Encrypt")
def encrypt(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    key = _key(call, p["KeyId"])
    _algorithm(p)
    key.require_usable()
    _dry_run(p)
    blob = _encrypt(key, p["Plaintext"], _context(p))
    return {"CiphertextBlob": blob, "KeyId": key.arn, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}


@operation("Decrypt")
def decrypt(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    if p.get("Recipient"):
        raise errors.unsupported("Decrypt with a Nitro Enclaves Recipient")
    blob = p.get("CiphertextBlob")
    if blob is None:  # optional in the model (for DryRun), required by the service
        raise errors.validation(
            "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy "
            "constraint: Member must not be null"
        )
    key, plaintext = _decrypt(call, blob, _context(p))
    if p.get("KeyId") and _key(call, p["KeyId"]) is not key:
        raise errors.incorrect_key()
    _algorithm(p)
    _dry_run(p)
    return {
        "KeyId": key.arn,
        "Plaintext": plaintext,
        "EncryptionAlgorithm": "SYMMETRIC_DEFAULT",
        "KeyMaterialId": key.material_id,
    }


@operation("GenerateDataKey")
def generate_data_key(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    if p.get("Recipient"):
        raise errors.unsupported("GenerateDataKey with a Nitro Enclaves Recipient")
    size = p.get("NumberOfBytes")
    spec = p.get("KeySpec")
    if (size is None) == (spec is None):  # KMS wants exactly one of the two
        raise errors.validation("Please specify either number of bytes or key spec.")
    if size is None:
        size = 32 if spec == "AES_256" else 16
    key = _key(call, p["KeyId"])
    key.require_usable()
    _dry_run(p)
    plaintext = os.urandom(size)
    blob = _encrypt(key, plaintext, _context(p))
    return {"CiphertextBlob": blob, "Plaintext": plaintext, "KeyId": key.arn, "KeyMaterialId": key.material_id}
