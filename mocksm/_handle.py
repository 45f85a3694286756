"""What ``with mock_secretsmanager() as handle`` gives a test: state to inspect, the
clock, reset, raw wire access, and a ready client. A handle works only while its mock
is active: the outermost stop wipes the state, so a stale handle raises instead of
answering from nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mocksm._secrecy import REDACTED
from mocksm._state import MockState
from mocksm.clock import Clock

if TYPE_CHECKING:
    from mocksm.kms.handle import KmsHandle


@dataclass(frozen=True)
class RawResponse:
    """A raw JSON 1.1 answer: HTTP status, headers and body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def __repr__(self) -> str:
        # A failed assertion prints this: no secret value in test output.
        return f"RawResponse(status={self.status!r}, headers={self.headers!r}, body={_redacted(self.body)!r})"


@lru_cache(maxsize=1)
def sensitive_members() -> frozenset[str]:
    """Every member name that botocore's models mark sensitive in an answer of a service
    mocksm serves (SecretString, RandomPassword, KMS's Plaintext...), read from the models
    so that a member added to them is covered too."""
    from mocksm import _wire

    names: set[str] = set()
    for service in _wire.TARGET_PREFIXES:
        model = _wire.service_model(service)
        for operation in model.operation_names:
            output = model.operation_model(operation).output_shape
            if output is not None:
                _collect_sensitive(output, None, frozenset(), names)
    return frozenset(names)


def _collect_sensitive(shape: Any, name: str | None, seen: frozenset[str], names: set[str]) -> None:
    """Add to ``names`` the member names under ``shape`` whose shape is sensitive (a list
    or map member counts as sensitive when its items are)."""
    if name is not None and shape.metadata.get("sensitive"):
        names.add(name)
    kind = shape.type_name
    if kind == "structure" and shape.name not in seen:
        for member, member_shape in shape.members.items():
            _collect_sensitive(member_shape, member, seen | {shape.name}, names)
    elif kind == "list":
        _collect_sensitive(shape.member, name, seen, names)
    elif kind == "map":
        _collect_sensitive(shape.value, name, seen, names)


def _redacted(body: bytes) -> bytes:
    """``body`` with every sensitive member's value replaced (bodies that are not JSON
    carry no member, so they are shown as they are)."""
    try:
        document = json.loads(body)
    except ValueError:
        return body
    return json.dumps(_without_values(document, sensitive_members()), separators=(",", ":")).encode()


def _without_values(value: Any, sensitive: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if k in sensitive else _without_values(v, sensitive) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_values(item, sensitive) for item in value]
    return value


@dataclass(frozen=True)
class VersionView:
    """One version of a ``SecretView``: labels, whether it holds a value, when it was made
    (epoch seconds) and the KMS key ids ListSecretVersionIds reports for it."""

    version_id: str
    stages: tuple[str, ...]
    has_value: bool
    created: float
    kms_key_ids: tuple[str, ...]


@dataclass(frozen=True)
class SecretView:
    """A read-only snapshot of a secret, without its values."""

    name: str
    arn: str
    account: str
    region: str
    description: str | None
    kms_key_id: str | None
    tags: tuple[tuple[str, str], ...]
    versions: tuple[VersionView, ...]
    deletion_date: float | None

    def labels(self) -> dict[str, list[str]]:
        """Version id -> sorted staging labels, for every labelled version."""
        return {v.version_id: list(v.stages) for v in self.versions if v.stages}

    def version_with(self, label: str) -> str | None:
        """The id of the version holding ``label``, or None."""
        return next((v.version_id for v in self.versions if label in v.stages), None)


class MockHandle:
    """Inspect and steer the active mock. Obtain it from ``with``/``start()`` or the
    ``mocksm`` pytest fixture, or call ``MockHandle.current()``."""

    def __init__(self, state: MockState) -> None:
        self._state = state

    def __repr__(self) -> str:
        if not self._is_live():
            return f"<MockHandle account={self.account_id} stopped>"
        return f"<MockHandle account={self.account_id} backends={len(self._state.backends)}>"

    def _is_live(self) -> bool:
        from mocksm._mock import active_handle

        return active_handle() is self

    def _live(self) -> MockState:
        """The state, while this handle's mock is active. After the outermost stop the
        state is wiped: reading it would say "no secrets", writing would reach no client."""
        if not self._is_live():
            from mocksm.errors import MockNotStartedError

            raise MockNotStartedError(
                "this handle's mock_secretsmanager has stopped and its state was wiped; "
                "use the handle of an active mock"
            )
        return self._state

    @staticmethod
    def current() -> MockHandle:
        """The handle of the active mock; ``MockNotStartedError`` when none is active."""
        from mocksm._mock import active_handle
        from mocksm.errors import MockNotStartedError

        handle = active_handle()
        if handle is None:
            raise MockNotStartedError("no mock_secretsmanager is active")
        return handle

    @property
    def account_id(self) -> str:
        return self._state.config.account_id

    @property
    def region(self) -> str:
        return self._state.config.region

    @property
    def clock(self) -> Clock:
        return self._live().clock

    @property
    def kms(self) -> KmsHandle:
        """Shortcuts over the embedded KMS: create/disable/enable/delete keys."""
        from mocksm.kms.handle import KmsHandle

        return KmsHandle(self._live())

    @property
    def last_internal_error(self) -> BaseException | None:
        """The exception behind the last InternalServiceError, for debugging mocksm. Its
        traceback shows where; its frames' variables (the request's values) are cleared."""
        return self._state.last_internal_error

    def reset(self) -> None:
        """Forget every secret and key in every account and region, schedules, rotation logs
        and clock moves; registered rotation functions stay (they are test setup)."""
        self._live().reset()

    def secrets(self, region: str | None = None, account: str | None = None) -> list[SecretView]:
        """Snapshots of the secrets of one account and region (deleted-pending included)."""
        region = region or self.region
        account = account or self.account_id
        state = self._live()
        with state.lock:
            store = state.backend(account, region)
            store.purge_due(state.clock.now())
            return [_view(s) for s in sorted(store.by_name.values(), key=lambda s: s.seq)]

    def secret(self, name_or_arn: str, region: str | None = None,
               account: str | None = None) -> SecretView:
        """The snapshot of one secret, by name or ARN; ``KeyError`` if there is none."""
        for view in self.secrets(region, account):
            if name_or_arn in (view.name, view.arn):
                return view
        raise KeyError(name_or_arn)

    def raw_request(
        self,
        target: str,
        body: Any = b"{}",
        region: str | None = None,
        account: str | None = None,
    ) -> RawResponse:
        """Send an unsigned JSON 1.1 request (``target`` is the X-Amz-Target value, e.g.
        ``"secretsmanager.CreateSecret"``, or ``"TrentService.Encrypt"`` for KMS): for what
        botocore would never send.

        ``body`` is the body as bytes (or bytes-like) or text, sent as it is; ``None`` for
        no body; any other value is sent as its JSON text, bytes in it as base64 (the
        JSON 1.1 form of a blob)."""
        from mocksm import _wire

        if body is None:
            body = b""
        elif isinstance(body, (bytearray, memoryview)):
            body = bytes(body)
        elif not isinstance(body, (bytes, str)):
            body = json.dumps(body, default=_wire.blob_text)
        if isinstance(body, str):
            body = body.encode("utf-8")
        status, headers, payload = _wire.handle_raw(
            self._live(), target, body, account or self.account_id, region or self.region
        )
        return RawResponse(status, headers, payload)

    # -- rotation ---------------------------------------------------------------------------
    def create_managed_secret(
        self, owning_service: str, name: str, region: str | None = None,
        account: str | None = None, **create_kwargs: Any,
    ) -> dict[str, Any]:
        """Create a secret as ``owning_service`` (e.g. ``"rds"``) would: its name may contain
        ``!``, it carries the ``aws:secretsmanager:owningService`` tag and OwningService, and
        user writes are refused. ``create_kwargs`` are CreateSecret parameters. Returns
        CreateSecret's output (ARN, Name, VersionId); raises ``ServiceError`` on bad input."""
        from mocksm.secretsmanager.managed import create_managed_secret

        return create_managed_secret(
            self._live(), account or self.account_id, region or self.region, owning_service, name,
            create_kwargs,
        )

    def register_rotation_function(self, name_or_arn: str, handler: Any) -> None:
        """Serve the Lambda function ``name_or_arn`` (a function name or ARN) with
        ``handler(event, context)``, or with the built-in rotation for ``"builtin"``.

        A rotation names its function by ARN; a function registered by name answers for
        every ARN with that function name. Registrations survive ``reset()``.
        """
        from mocksm.secretsmanager import rotation_engine

        rotation_engine.register(self._live(), name_or_arn, handler)

    def run_due_rotations(self) -> list[Any]:
        """Run now every rotation whose window has opened on the mock clock (mocksm also
        does this lazily before answering any call); returns the attempts it made."""
        from mocksm.secretsmanager import rotation_engine

        return rotation_engine.run_due(self._live())

    def rotation_log(self, name_or_arn: str, region: str | None = None,
                     account: str | None = None) -> list[Any]:
        """Every rotation attempt of a secret (``mocksm.rotation.RotationAttempt``),
        oldest first: steps run, outcome, and the exception a step raised."""
        state = self._live()
        with state.lock:
            logs = state.rotation_log
            if name_or_arn in logs:
                return list(logs[name_or_arn])
            store = state.backend(account or self.account_id, region or self.region)
            secret = store.by_name.get(name_or_arn)
            if secret is not None:
                return list(logs.get(secret.arn, []))
            return [a for attempts in logs.values() for a in attempts
                    if a.secret_name == name_or_arn]

    def client(self, service: str = "secretsmanager", region: str | None = None, **kwargs: Any) -> Any:
        """A boto3 client for ``service`` in ``region`` (default: the mock's region)."""
        import boto3

        self._live()  # after the mock stopped, such a client would call real AWS
        return boto3.client(service, region_name=region or self.region, **kwargs)


def _view(secret: Any) -> SecretView:
    versions = tuple(
        VersionView(v.version_id, tuple(sorted(v.stages)), v.sealed is not None, v.created,
                    tuple(v.kms_key_ids))
        for v in sorted(secret.versions.values(), key=lambda v: v.seq)
    )
    return SecretView(
        secret.name, secret.arn, secret.account, secret.region, secret.description,
        secret.kms_key_id, tuple((t["Key"], t["Value"]) for t in secret.tags), versions,
        secret.deletion_date,
    )
