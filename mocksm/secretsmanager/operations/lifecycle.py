"""DeleteSecret and RestoreSecret: the recovery window (spec 4.6, 5.10, 5.11).

A scheduled secret stays resolvable (most operations then answer "marked for
deletion") until the clock reaches its DeletionDate; the store purges it lazily on
the next access, and its name is free again.
"""

from __future__ import annotations

from typing import Any

from mocksm.clock import SECONDS_PER_DAY
from mocksm.errors import ServiceError
from mocksm.secretsmanager import messages, replication
from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.operations import operation
from mocksm.secretsmanager.secret import Secret
from mocksm.secretsmanager.store import (
    check_secret_id,
    looks_like_full_arn_tail,
    parse_arn,
    secret_arn,
)

MIN_WINDOW_DAYS = 7
MAX_WINDOW_DAYS = 30
DEFAULT_WINDOW_DAYS = 30


def bad_window() -> ServiceError:
    return messages.invalid_parameter(
        "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
    )


def force_with_window() -> ServiceError:
    return messages.invalid_parameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
    )


@operation("DeleteSecret")
def delete_secret(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret_id = p["SecretId"]
    check_secret_id(secret_id)
    window = p.get("RecoveryWindowInDays")
    force = bool(p.get("ForceDeleteWithoutRecovery"))
    if window is not None and not MIN_WINDOW_DAYS <= window <= MAX_WINDOW_DAYS:
        raise bad_window()
    if force and window is not None:
        raise force_with_window()
    try:
        secret = call.resolve(secret_id)
    except ServiceError as error:
        if force and error.code == "ResourceNotFoundException":
            return _forced_absent(call, secret_id)
        raise
    # A cross-account replica still replicating gets the "stop replication first" error
    # from check_deletable rather than the generic replica-write one.
    if secret.extra.get("replica_of") and "xacct_primary" not in secret.extra:
        raise messages.replica_write()
    if secret.owning_service:
        raise messages.managed_secret()
    replication.check_deletable(secret, secret_id)
    store = call.store_of(secret)
    out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
    if force:
        store.remove(secret)
        out["DeletionDate"] = call.now
        return out
    if secret.scheduled_for_deletion:
        raise messages.marked_for_deletion()
    days = DEFAULT_WINDOW_DAYS if window is None else int(window)
    store.schedule_deletion(secret, call.now, round(call.now + days * SECONDS_PER_DAY, 3))
    secret.touch(call.now)
    assert secret.deletion_date is not None
    out["DeletionDate"] = secret.deletion_date
    return out


def _forced_absent(call: Call, secret_id: str) -> dict[str, Any]:
    """AWS answers a forced delete of a secret it cannot find with success: echo the
    id as the name (an ARN's name part) and a well-formed ARN."""
    parsed = parse_arn(secret_id)
    if parsed is not None:
        rest = parsed[3]
        name = rest[:-7] if looks_like_full_arn_tail(rest) else rest
        return {"ARN": secret_id, "Name": name, "DeletionDate": call.now}
    if secret_id.startswith("arn:"):
        return {"ARN": secret_id, "Name": secret_id, "DeletionDate": call.now}
    return {
        "ARN": secret_arn(call.region, call.account, secret_id),
        "Name": secret_id,
        "DeletionDate": call.now,
    }


@operation("RestoreSecret")
def restore_secret(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret: Secret = call.resolve(p["SecretId"])
    if secret.extra.get("replica_of"):
        raise messages.replica_write()
    if secret.scheduled_for_deletion:
        call.store_of(secret).cancel_deletion(secret)
        secret.touch(call.now)
    return {"ARN": secret.arn, "Name": secret.name}
