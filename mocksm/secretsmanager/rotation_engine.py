"""Running rotations: RotateSecret's preconditions, the AWSPENDING placeholder, the four
steps, the outcome, and the schedule index that makes rotations fall due on the clock.

Locking: everything that reads or changes secrets runs under ``state.lock``; rotation
functions run *outside* it (a ``Job`` is prepared under the lock, run without it, and
finalized under it again), so a function may call back into the mock from any thread.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mocksm._secrecy import without_locals
from mocksm.errors import MocksmError, ServiceError
from mocksm.rotation import (
    BUILTINS,
    STEPS,
    LambdaContext,
    RotationAttempt,
    RotationHandler,
)
from mocksm.secretsmanager import labels, messages, schedule, versioning
from mocksm.secretsmanager.labels import CURRENT, PENDING
from mocksm.secretsmanager.rotation_runtime import lambda_environment, running_function, running_here
from mocksm.secretsmanager.rotation_simulated import simulated_rotation
from mocksm.secretsmanager.secret import RotationConfig, Secret, Version

if TYPE_CHECKING:
    from mocksm._state import MockState
    from mocksm.secretsmanager.call import Call
    from mocksm.secretsmanager.store import SecretStore

log = logging.getLogger("mocksm.rotation")

NO_LAMBDA = "No Lambda rotation function ARN is associated with this secret."
PREVIOUS_INCOMPLETE = "A previous rotation isn't complete. That rotation will be reattempted."
NOT_INVOCABLE = (
    "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function "
    "policy grants access to the principal secretsmanager.amazonaws.com."
)
MANAGED_WITH_LAMBDA = (
    "You can't specify a Lambda function ARN for a secret that uses managed rotation."
)

ABANDONED = "abandoned_placeholders"  # Secret.extra: ids of empty placeholders left behind

_tie = itertools.count()


# -- the function registry ---------------------------------------------------------------

def register(state: MockState, name_or_arn: str, handler: RotationHandler | str) -> None:
    if isinstance(handler, str):
        if handler not in BUILTINS:
            raise MocksmError(f"unknown built-in rotation function {handler!r}; use 'builtin'")
        handler = BUILTINS[handler]
    if not callable(handler):
        raise MocksmError("a rotation function must be callable as handler(event, context)")
    if not name_or_arn:
        raise MocksmError("a rotation function needs a Lambda function name or ARN")
    with state.lock:
        state.rotation_functions[name_or_arn] = handler


def function_name(name_or_arn: str) -> str:
    """``my-fn`` for ``arn:aws:lambda:us-east-1:123456789012:function:my-fn[:qualifier]``."""
    parts = name_or_arn.split(":")
    if name_or_arn.startswith("arn:") and len(parts) >= 7 and parts[5] == "function":
        return parts[6]
    return name_or_arn


def lookup(state: MockState, name_or_arn: str) -> RotationHandler | None:
    """The registered function for an ARN: by exact ARN first, then by function name."""
    functions: dict[str, RotationHandler] = state.rotation_functions
    found = functions.get(name_or_arn)
    if found is None:
        found = functions.get(function_name(name_or_arn))
    return found


def _function_arn(name_or_arn: str, secret: Secret) -> str:
    if name_or_arn.startswith("arn:"):
        return name_or_arn
    partition = secret.arn.split(":")[1]
    return f"arn:{partition}:lambda:{secret.region}:{secret.account}:function:{name_or_arn}"


# -- jobs ------------------------------------------------------------------------------------

@dataclass(eq=False)
class Job:
    """A prepared rotation: run ``steps`` of ``handler`` for version ``token``."""

    state: MockState
    secret: Secret
    token: str
    handler: RotationHandler
    function: str
    steps: tuple[str, ...]
    attempt: RotationAttempt
    # Sensitive in the service model (RotationTokenType): never shown.
    rotation_token: str = field(default_factory=lambda: str(uuid.uuid4()), repr=False)
    restore_pending: str | None = None  # test jobs: who held AWSPENDING before

    def run(self) -> RotationAttempt:
        """Invoke each step in order (stop at the first exception), then finalize."""
        context = LambdaContext(
            function_name=function_name(self.function),
            invoked_function_arn=_function_arn(self.function, self.secret),
            aws_request_id=str(uuid.uuid4()),
            log_group_name=f"/aws/lambda/{function_name(self.function)}",
        )
        with running_function(self.state) as live, lambda_environment(self.secret.region,
                                                                       context.function_name):
            for step in self.steps if live else ():
                self.attempt.steps.append(step)
                event = {
                    "Step": step,
                    "SecretId": self.secret.arn,
                    "ClientRequestToken": self.token,
                    "RotationToken": self.rotation_token,
                }
                try:
                    self.handler(event, context)
                except Exception as exc:  # the function failed: AWS records it, so do we
                    self.attempt.error = without_locals(exc)  # not the values it handled
                    self.attempt.outcome = "failed"
                    log.warning("rotation of %s failed in %s: %s", self.secret.arn, step,
                                type(exc).__name__)
                    break
        with self.state.lock:
            if self.attempt.kind == "test":
                self._finish_test()
            else:
                self._finish_rotation()
        return self.attempt

    def _finish_rotation(self) -> None:
        now = self.state.clock.now()
        secret, attempt = self.secret, self.attempt
        alive = _alive(self.state, secret)
        version = secret.versions.get(self.token)
        if attempt.outcome == "running":
            finished = alive and version is not None and CURRENT in version.stages
            attempt.outcome = "succeeded" if finished else "incomplete"
        attempt.finished = now
        if attempt.outcome == "succeeded" and version is not None:
            version.stages.discard(PENDING)  # AWS's recorded end state: ["AWSCURRENT"] only
            rotation = secret.rotation
            if rotation is not None:
                rotation.last_rotated = rotation.last_change = now
                rotation.base = now
                days = schedule.rate_days(rotation.rules or {})
                if days is not None and rotation.rules is not None:
                    rotation.rules["AutomaticallyAfterDays"] = days
            secret.touch(now)
            reschedule(self.state, secret, now)
        elif attempt.trigger == "schedule" and alive:
            reschedule(self.state, secret, now)  # retry at the next window, not every call

    def _finish_test(self) -> None:
        secret = self.secret
        secret.versions.pop(self.token, None)
        holder = secret.versions.get(self.restore_pending or "")
        if holder is not None and labels.holder(secret.stages(), PENDING) is None:
            holder.stages.add(PENDING)
        if self.attempt.outcome == "running":
            self.attempt.outcome = "succeeded"
        self.attempt.finished = self.state.clock.now()


def _record(state: MockState, attempt: RotationAttempt) -> RotationAttempt:
    state.rotation_log.setdefault(attempt.secret_arn, []).append(attempt)
    return attempt


def _attempt(secret: Secret, token: str, kind: str, trigger: str, function: str | None,
             simulated: bool, now: float) -> RotationAttempt:
    return RotationAttempt(secret.arn, secret.name, token, kind, trigger, function, simulated, now)


def unfinished_version(secret: Secret) -> Version | None:
    """The version of an unfinished rotation: AWSPENDING without AWSCURRENT."""
    version = secret.version_with(PENDING)
    if version is None or CURRENT in version.stages:
        return None
    return version


def blocking_version(secret: Secret) -> Version | None:
    """The unfinished rotation that still blocks a new one. A placeholder that never got a
    value stops blocking once its rotation was cancelled or a written value superseded it
    (it keeps its label: only a new rotation takes AWSPENDING away from it)."""
    version = unfinished_version(secret)
    if version is None or (version.sealed is None
                           and version.version_id in secret.extra.get(ABANDONED, ())):
        return None
    return version


def abandon_placeholder(secret: Secret) -> None:
    """CancelRotateSecret, or a value written by hand: an empty placeholder no longer blocks."""
    version = unfinished_version(secret)
    if version is not None and version.sealed is None:
        secret.extra.setdefault(ABANDONED, set()).add(version.version_id)


def _handler_for(state: MockState, function: str | None) -> tuple[RotationHandler | None, bool]:
    """(handler, simulated). No handler: the function cannot be invoked."""
    if function is None:
        return simulated_rotation(state), True  # managed rotation
    found = lookup(state, function)
    if found is not None:
        return found, False
    if state.config.unregistered_rotation_lambda == "simulate":
        return simulated_rotation(state), True
    return None, False


def _placeholder_stages(secret: Secret, token: str) -> labels.Stages:
    """Labels once the value-less version ``token`` holds AWSPENDING (and nothing else)."""
    stages = secret.stages()
    for held in stages.values():
        held.discard(PENDING)
    stages.setdefault(token, set()).add(PENDING)
    if labels.label_count(stages) > versioning.MAX_LABELS:
        raise messages.too_many_labels()
    return stages


def _add_placeholder(store: SecretStore, secret: Secret, token: str, stages: labels.Stages,
                     drop: list[str], now: float) -> None:
    versioning.forget_versions(secret, drop)
    secret.versions[token] = Version(token, None, set(), now, store.next_seq(),
                                     versioning.reported_key_ids(secret))
    secret.apply_stages(stages)
    # An earlier placeholder that never got a value and just lost AWSPENDING was never a
    # version anyone could read: nothing is left of it.
    for vid in secret.extra.pop(ABANDONED, ()):
        left = secret.versions.get(vid)
        if left is not None and left.sealed is None and not left.stages and vid != token:
            del secret.versions[vid]


def _plan_placeholder(store: SecretStore, secret: Secret, token: str,
                      now: float) -> tuple[labels.Stages, list[str]]:
    stages = _placeholder_stages(secret, token)
    drop: list[str] = []
    if token not in secret.versions and len(secret.versions) + 1 > versioning.MAX_VERSIONS:
        drop = versioning.plan_version(store, secret, token, [PENDING], now).drop
    return stages, drop


# -- RotateSecret ------------------------------------------------------------------------

def rotate(call: Call, secret: Secret, p: dict[str, Any], token: str) -> dict[str, Any]:
    """RotateSecret after its parameter checks: preconditions, config, then the job."""
    state, now = call.state, call.now
    requested = p.get("RotationLambdaARN") or None
    if secret.extra.get("replica_of"):
        raise messages.replica_write()
    call.require_not_deleted(secret)
    managed = secret.owning_service is not None
    if managed and requested:
        raise messages.invalid_parameter(MANAGED_WITH_LAMBDA)
    function = requested or (secret.rotation.lambda_arn if secret.rotation else None)
    if function is None and not managed and not _external(secret, p):
        raise messages.invalid_request(NO_LAMBDA)
    unfinished = unfinished_version(secret)
    resume = unfinished is not None and unfinished.version_id == token
    if not resume and blocking_version(secret) is not None:
        raise messages.invalid_request(PREVIOUS_INCOMPLETE)
    handler, simulated = _handler_for(state, function)
    if handler is None:
        raise ServiceError("AccessDeniedException", NOT_INVOCABLE)
    if token in secret.versions and not resume:
        raise messages.token_in_use(token, secret.arn)
    immediately = p.get("RotateImmediately", True) is not False
    store = call.store_of(secret)
    plan = _plan_placeholder(store, secret, token, now) if immediately else None
    # Every check passed: save the configuration.
    _configure(state, secret, p, function, now)
    out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
    if not immediately:
        out["VersionId"] = _test_rotation(call, secret, handler, function, simulated)
        return out
    assert plan is not None
    if resume:
        secret.extra.get(ABANDONED, set()).discard(token)
    else:
        _add_placeholder(store, secret, token, plan[0], plan[1], now)
    attempt = _record(state, _attempt(secret, token, "rotation", "RotateSecret", function,
                                      simulated, now))
    job = Job(state, secret, token, handler, function or "managed-rotation", STEPS, attempt)
    call.defer(job.run)
    out["VersionId"] = token
    return out


def _external(secret: Secret, p: dict[str, Any]) -> bool:
    """A managed external secret: Secrets Manager rotates it with the partner through a
    rotation role, so no Lambda function is needed (rotated in-model, like managed ones)."""
    stored = secret.rotation.external_role_arn if secret.rotation else None
    return bool(p.get("ExternalSecretRotationRoleArn") or stored)


def _configure(state: MockState, secret: Secret, p: dict[str, Any], function: str | None,
               now: float) -> None:
    rotation = secret.rotation
    if rotation is None:
        rotation = secret.rotation = RotationConfig()
    rotation.enabled = True
    rotation.lambda_arn = function
    if p.get("RotationRules") is not None:
        rotation.rules = dict(p["RotationRules"])
    if "ExternalSecretRotationMetadata" in p:
        rotation.external_metadata = [dict(item) for item in p["ExternalSecretRotationMetadata"]]
    if p.get("ExternalSecretRotationRoleArn"):
        rotation.external_role_arn = p["ExternalSecretRotationRoleArn"]
    # Without a rotation now, the schedule counts from the previous one (or value written
    # by hand), as AWS computes the next date "based on the previous rotation".
    immediately = p.get("RotateImmediately", True) is not False
    base = now if immediately or rotation.last_change is None else rotation.last_change
    rotation.base = base
    secret.touch(now)
    reschedule(state, secret, base)


def _test_rotation(call: Call, secret: Secret, handler: RotationHandler, function: str | None,
                   simulated: bool) -> str:
    """RotateImmediately=false: testSecret against a temporary copy of AWSCURRENT."""
    temp_id = str(uuid.uuid4())
    current = secret.current()
    if current is None or current.sealed is None:
        return temp_id
    holder = secret.version_with(PENDING)
    if holder is not None:
        holder.stages.discard(PENDING)
    secret.versions[temp_id] = Version(temp_id, current.sealed, {PENDING}, call.now,
                                       call.store_of(secret).next_seq(), list(current.kms_key_ids))
    attempt = _record(call.state, _attempt(secret, temp_id, "test", "RotateSecret", function,
                                           simulated, call.now))
    job = Job(call.state, secret, temp_id, handler, function or "managed-rotation",
              ("testSecret",), attempt,
              restore_pending=holder.version_id if holder is not None else None)
    call.defer(job.run)
    return temp_id


# -- CancelRotateSecret ----------------------------------------------------------------------

def cancel(call: Call, secret: Secret) -> dict[str, Any]:
    if secret.extra.get("replica_of"):
        raise messages.replica_write()
    call.require_not_deleted(secret)
    out: dict[str, Any] = {"ARN": secret.arn, "Name": secret.name}
    pending = unfinished_version(secret)
    if pending is not None:
        out["VersionId"] = pending.version_id
        abandon_placeholder(secret)
    rotation = secret.rotation
    if rotation is not None and rotation.enabled:
        rotation.enabled = False
        secret.touch(call.now)
        reschedule(call.state, secret, call.now)
    return out


# -- the schedule ----------------------------------------------------------------------------

def reschedule(state: MockState, secret: Secret, base: float) -> None:
    """Recompute NextRotationDate from ``base`` and index when the rotation falls due."""
    rotation = secret.rotation
    nxt = None
    if rotation is not None and rotation.enabled:
        nxt = schedule.next_rotation(rotation.rules, base)
    if nxt is None:
        secret.extra.pop("next_rotation", None)
        secret.extra.pop("rotation_entry", None)
        return
    due, closes = nxt
    secret.extra["next_rotation"] = closes
    entry = (due, next(_tie), secret)
    secret.extra["rotation_entry"] = entry  # older entries of this secret are now stale
    heap = state.rotation_heap
    heapq.heappush(heap, entry)
    size = len(heap)
    if size >= 256 and size & (size - 1) == 0:  # at powers of two: drop stale entries
        heap[:] = [e for e in heap if e[2].extra.get("rotation_entry") is e]
        heapq.heapify(heap)


def manual_change(state: MockState, secret: Secret, now: float) -> None:
    """AWSCURRENT moved outside a rotation: that counts as a rotation for the schedule."""
    rotation = secret.rotation
    if rotation is not None and rotation.enabled:
        rotation.base = rotation.last_change = now
        reschedule(state, secret, now)


def value_written(state: MockState, secret: Secret, now: float) -> None:
    """PutSecretValue or UpdateSecret moved AWSCURRENT to a value written by hand: that is
    a rotation for the schedule, and it supersedes a rotation that never stored a value.
    Only RotateSecret makes placeholders, and it configures rotation first: a secret that
    never had rotation configured has nothing to do here (every write checks this)."""
    if secret.rotation is None:
        return
    abandon_placeholder(secret)
    manual_change(state, secret, now)


def _alive(state: MockState, secret: Secret) -> bool:
    store = state.backends.get((secret.account, secret.region))
    return store is not None and store.by_arn.get(secret.arn) is secret


def is_due(state: MockState) -> bool:
    """Cheap test the wire layer runs before every call."""
    heap = state.rotation_heap
    return bool(state.rotation_parked) or bool(heap and heap[0][0] <= state.clock.now())


def run_due(state: MockState) -> list[RotationAttempt]:
    """Run every rotation whose window has opened (one rotation per secret per call)."""
    if running_here():
        return []
    attempts: list[RotationAttempt] = []
    seen: set[int] = set()
    while True:
        with state.lock:
            job = _next_due(state, state.clock.now(), seen)
        if job is None:
            return attempts
        if isinstance(job, RotationAttempt):
            attempts.append(job)
            continue
        attempts.append(job.run())


def _next_due(state: MockState, now: float, seen: set[int]) -> Job | RotationAttempt | None:
    parked: list[Secret] = state.rotation_parked
    for secret in list(parked):
        if not _alive(state, secret):
            parked.remove(secret)
        elif not secret.scheduled_for_deletion:  # restored: back on the schedule
            parked.remove(secret)
            entry = secret.extra.get("rotation_entry")
            if entry is not None:
                heapq.heappush(state.rotation_heap, entry)
    heap = state.rotation_heap
    while heap and heap[0][0] <= now:
        entry = heapq.heappop(heap)
        secret = entry[2]
        rotation = secret.rotation
        if (secret.extra.get("rotation_entry") is not entry or rotation is None
                or not rotation.enabled or not _alive(state, secret) or id(secret) in seen):
            continue  # stale entry
        if secret.scheduled_for_deletion:
            parked.append(secret)
            continue
        seen.add(id(secret))
        secret.extra["rotation_entry"] = None
        return _scheduled_job(state, secret, now)
    return None


def _scheduled_job(state: MockState, secret: Secret, now: float) -> Job | RotationAttempt:
    """A rotation the schedule starts: resumes an unfinished one, else a new version."""
    rotation = secret.rotation
    assert rotation is not None
    pending = blocking_version(secret)
    token = pending.version_id if pending is not None else str(uuid.uuid4())
    function = rotation.lambda_arn
    handler, simulated = _handler_for(state, function)
    attempt = _record(state, _attempt(secret, token, "rotation", "schedule", function,
                                      simulated, now))
    try:
        if handler is None:
            raise ServiceError("AccessDeniedException", NOT_INVOCABLE)
        if pending is None:
            store = state.backend(secret.account, secret.region)
            stages, drop = _plan_placeholder(store, secret, token, now)
            _add_placeholder(store, secret, token, stages, drop, now)
    except ServiceError as error:
        attempt.outcome, attempt.error, attempt.finished = "failed", without_locals(error), now
        reschedule(state, secret, now)
        return attempt
    return Job(state, secret, token, handler, function or "managed-rotation", STEPS, attempt)
