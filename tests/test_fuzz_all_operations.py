"""A hostile user against every served operation: generated bodies, random call
sequences and threads. Whatever comes in, mocksm answers with an AWS error or a
result, never a 500; a failed call changes nothing; no secret value leaks."""

from __future__ import annotations

import base64
import collections
import json
import threading
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from mocksm import _wire, mock_secretsmanager
from mocksm.kms.operations import table as kms_table
from mocksm.secretsmanager import labels

# -- the world every generated request is aimed at -------------------------------------------




OTHER_ACCOUNT = "111122223333"
REPLICA_REGION = "us-west-2"
MARK = "Zq9-secret-"  # every value the fuzzer stores carries it; no error may echo one
KEY_A = "11111111-2222-3333-4444-555555555555"
KEY_OFF = "22222222-3333-4444-5555-666666666666"
KEY_GONE = "33333333-4444-5555-6666-777777777777"
TOKENS = ["a" * 32, "b" * 32, "c" * 36]
SM_OPERATIONS = sorted(_wire.service_model("secretsmanager").operation_names)
KMS_OPERATIONS = sorted(kms_table())
ALL_OPERATIONS = [("secretsmanager", op) for op in SM_OPERATIONS] + [
    ("kms", op) for op in KMS_OPERATIONS]


@dataclass
class World:
    """Names of what exists, for the generator to aim at."""

    secret_ids: list[str] = field(default_factory=list)
    version_ids: list[str] = field(default_factory=list)
    key_ids: list[str] = field(default_factory=list)
    alias_names: list[str] = field(default_factory=list)
    blobs: list[bytes] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


def build_world(handle: Any) -> World:
    """A few secrets in every interesting condition, keys in every state, a rotator."""
    handle.clock.freeze("2026-01-01T00:00:00Z")
    world = World()
    kms = handle.kms
    for key_id, alias in ((KEY_A, "alias/fz-a"), (KEY_OFF, "alias/fz-off"), (KEY_GONE, None)):
        view = kms.create_key(key_id=key_id, alias=alias)
        world.key_ids += [view.key_id, view.arn]
        if alias:
            world.alias_names.append(alias)
            world.key_ids += [alias, view.arn.replace(f"key/{key_id}", alias)]
    kms.disable_key(KEY_OFF)
    kms.delete_key(KEY_GONE, pending_window_in_days=7)
    world.key_ids += ["alias/aws/secretsmanager", "alias/missing", "0" * 8 + KEY_A[8:]]
    def call(operation: str, **body: Any) -> dict[str, Any]:
        response = handle.raw_request(f"secretsmanager.{operation}", to_wire(body))
        assert response.status == 200, response.body
        return response.json()  # type: ignore[no-any-return]

    blob = handle.raw_request("TrentService.Encrypt", {"KeyId": KEY_A, "Plaintext": "YmxvYg=="})
    world.blobs.append(base64.b64decode(blob.json()["CiphertextBlob"]))

    def value(tag: str) -> str:
        world.values.append(f"{MARK}{tag}")
        return f"{MARK}{tag}"

    plain = call("CreateSecret", Name="fz/plain", SecretString=value("plain"),
                 ClientRequestToken=TOKENS[0], Tags=[{"Key": "k", "Value": "v"}])
    call("PutSecretValue", SecretId="fz/plain", SecretString=value("plain2"),
         ClientRequestToken=TOKENS[1], VersionStages=["custom"])
    call("CreateSecret", Name="fz/binary", SecretBinary=value("bin").encode(),
         ClientRequestToken=TOKENS[2])
    call("CreateSecret", Name="fz/cmk", SecretString=value("cmk"), KmsKeyId="alias/fz-a",
         ClientRequestToken="f" * 32)
    call("CreateSecret", Name="fz/empty")
    call("CreateSecret", Name="fz/deleted", SecretString=value("deleted"),
         ClientRequestToken="g" * 32)
    call("DeleteSecret", SecretId="fz/deleted", RecoveryWindowInDays=7)
    replicated = call("CreateSecret", Name="fz/replicated", SecretString=value("repl"),
                      ClientRequestToken="h" * 32,
                      AddReplicaRegions=[{"Region": REPLICA_REGION}])
    call("PutResourcePolicy", SecretId="fz/plain", ResourcePolicy=POLICY)
    managed = handle.create_managed_secret("rds", "rds!fz", SecretString=value("managed"),
                                           ClientRequestToken="i" * 32)
    world.secret_ids.append(managed["ARN"])
    handle.register_rotation_function("fz-rotator", "builtin")
    for arn in (plain["ARN"], replicated["ARN"]):
        world.secret_ids += [arn, arn[:-7], arn.replace(handle.account_id, OTHER_ACCOUNT),
                             arn.replace(handle.region, REPLICA_REGION)]
    world.secret_ids += ["fz/plain", "fz/binary", "fz/cmk", "fz/empty", "fz/deleted",
                         "fz/replicated", "fz/missing", "rds!fz"]
    world.version_ids = list(TOKENS)
    return world


POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
    "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]})
PUBLIC_POLICY = POLICY.replace('{"AWS": "arn:aws:iam::123456789012:root"}', '"*"')


# -- request bodies from the botocore input shapes -------------------------------------------

_ASTRAL = "\U0001f512"
_junk = st.sampled_from([None, 0, -1, 1.5, "x", "", True, [], {}, [None], {"a": None}])


def _weighted(*branches: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    total = sum(weight for weight, _ in branches)

    def pick(roll: int) -> st.SearchStrategy[Any]:
        for weight, branch in branches:
            if roll < weight:
                return branch
            roll -= weight
        raise AssertionError(roll)

    return st.integers(0, total - 1).flatmap(pick)


def _pool(world: World, name: str) -> list[Any] | None:
    """Meaningful values for members whose name says what they refer to."""
    regions = [REPLICA_REGION, "eu-west-1", "us-east-1", "mars-1"]
    pools: dict[str, list[Any]] = {
        "SecretId": world.secret_ids,
        "Name": ["fz/new", "fz/new2", "fz/plain", "fz/deleted", "a" * 512, "bad name!",
                 "fz/new-AbCdEf", _ASTRAL],
        "CrossAccountReplicaARN": world.secret_ids,
        "CrossAccountPrimaryARN": world.secret_ids,
        "KmsKeyId": world.key_ids, "KeyId": world.key_ids, "TargetKeyId": world.key_ids,
        "AliasName": [*world.alias_names, "alias/fz-new", "alias/aws/x", "fz", "alias/a:b"],
        "VersionId": world.version_ids, "MoveToVersionId": world.version_ids,
        "RemoveFromVersionId": world.version_ids,
        "ClientRequestToken": [*world.version_ids, "d" * 32, "e" * 64],
        "VersionStage": ["AWSCURRENT", "AWSPREVIOUS", "AWSPENDING", "custom"],
        "Region": regions,
        "RotationLambdaARN": ["fz-rotator",
                              "arn:aws:lambda:us-east-1:123456789012:function:fz-rotator",
                              "arn:aws:lambda:us-east-1:123456789012:function:unknown"],
        "ResourcePolicy": [POLICY, PUBLIC_POLICY, "{}", "not json", '{"Statement": 1}'],
        "Policy": [POLICY, "{}"],
        "CiphertextBlob": [*world.blobs, b"\x01\x00", b"\x01" + b"\xff" * 40],
        "PolicyName": ["default", "other"],
        "TagKeys": [["k"], ["k", "missing"], []],
        "RemoveReplicaRegions": [[REPLICA_REGION], ["eu-west-1"], [REPLICA_REGION, "mars-1"]],
        "NextToken": ["", "bogus", "eyJvIjoiIn0="], "Marker": ["", "1", "x", "999"],
    }
    return pools.get(name)


def _sensitive_string(shape: Any) -> st.SearchStrategy[str]:
    high = shape.metadata.get("max", 65536)
    return _weighted(
        (8, st.text(min_size=1, max_size=20).map(lambda t: MARK + t)),
        (1, st.sampled_from(["", MARK + "x" * (high - len(MARK)), MARK + "\u00e9" * high,
                             MARK + _ASTRAL * 3, MARK + "\ud800"])),
    )


def _string(shape: Any) -> st.SearchStrategy[str]:
    meta = shape.metadata
    if meta.get("enum"):
        return _weighted((9, st.sampled_from(meta["enum"])),
                         (1, st.sampled_from(["", meta["enum"][0].lower(), "NOPE"])))
    low, high = meta.get("min", 0), meta.get("max", 4096)
    plausible = st.text(st.sampled_from("abcXYZ019/_+=.@-"), min_size=max(low, 1),
                        max_size=max(low, min(high, 24)))
    edge = st.sampled_from(["", "a" * high, "a" * (high + 1), _ASTRAL * max(low, 1),
                            "\x00", " ", "é" * min(high, 50), "\udfff"])
    return _weighted((6, plausible), (2, st.text(max_size=12)), (2, edge))


def _number(shape: Any) -> st.SearchStrategy[Any]:
    low, high = shape.metadata.get("min", -(2**31)), shape.metadata.get("max", 2**31 - 1)
    edges = sorted({low, high, low - 1, high + 1, 0, -1, 2**31, 2**63, -(2**63)})
    return _weighted((7, st.integers(low, min(high, low + 1000))),
                     (3, st.sampled_from(edges)),
                     (1, st.sampled_from(["1", 1.5, True])))


def shape_strategy(world: World, shape: Any, member: str = "", depth: int = 0) -> Any:
    """Mostly valid values for ``shape`` (bytes for blobs), plus edge cases and junk."""
    kind = shape.type_name
    pool = _pool(world, member)
    if shape.metadata.get("sensitive") and kind in ("string", "blob"):
        strategy = _sensitive_string(shape)
        if kind == "blob":
            strategy = strategy.map(lambda text: text.encode("utf-8", "surrogatepass"))
        return _weighted((19, strategy), (1, _junk))
    if kind == "structure":
        required = set(shape.required_members)
        base = st.fixed_dictionaries(
            {}, optional={name: shape_strategy(world, m, name, depth + 1)
                          for name, m in shape.members.items()})
        if required:
            base = st.tuples(base, st.fixed_dictionaries(
                {name: shape_strategy(world, shape.members[name], name, depth + 1)
                 for name in required})).map(lambda pair: {**pair[0], **pair[1]})
            # now and then a required member goes missing
            base = st.tuples(base, st.sampled_from([None, *sorted(required)]),
                             st.integers(0, 9)).map(
                lambda t: {k: v for k, v in t[0].items() if k != t[1] or t[2]})
        extra = st.fixed_dictionaries({}, optional={"Bogus": _junk})
        built = st.tuples(base, extra).map(lambda pair: {**pair[1], **pair[0]})
        return built if depth == 0 else _weighted((19, built), (1, _junk))
    if kind == "list":
        if pool is not None:
            return _weighted((9, st.sampled_from(pool)), (1, _junk))
        item = shape_strategy(world, shape.member, member, depth + 1)
        high = shape.metadata.get("max", 30)
        return _weighted((12, st.lists(item, min_size=shape.metadata.get("min", 0),
                                       max_size=min(high, 3))),
                         (1, st.lists(item, min_size=high + 1, max_size=high + 1)
                          if high <= 60 else st.lists(item, min_size=40, max_size=40)),
                         (1, _junk))
    if kind == "map":
        return _weighted((9, st.dictionaries(st.text(max_size=8),
                                             shape_strategy(world, shape.value, "", depth + 1),
                                             max_size=3)), (1, _junk))
    if pool is not None:
        return _weighted((8, st.sampled_from(pool)), (2, shape_strategy(
            world, shape, "", depth)))
    if kind == "string":
        return _weighted((19, _string(shape)), (1, _junk))
    if kind == "blob":
        return _weighted((9, st.binary(max_size=40)),
                         (1, st.sampled_from([b"", b"x" * 4097, "!!not base64"])), (1, _junk))
    if kind in ("integer", "long"):
        return _number(shape)
    if kind == "boolean":
        return _weighted((9, st.booleans()), (1, _junk))
    return _junk


def to_wire(value: Any) -> Any:
    """Blobs as base64, as botocore would send them."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


# -- what a failed call must not have touched --------------------------------------------------

_VOLATILE = frozenset({"last_accessed", "state", "cipher", "_next_due", "_seq", "vault"})


def snapshot(value: Any, seen: dict[int, Any] | None = None) -> Any:
    """The whole mock state as nested tuples, minus what reads may legitimately touch
    (access dates) and machinery (locks, ciphers, counters). Sealed values compare by
    identity: a re-seal counts as a change."""
    seen = {} if seen is None else seen
    if isinstance(value, (str, int, float, bool, type(None), bytes)):
        return value
    if id(value) in seen:
        return ("<seen>", type(value).__name__, seen[id(value)])
    seen[id(value)] = len(seen)
    if isinstance(value, dict):
        return ("dict", tuple(sorted(((repr(k), snapshot(v, seen)) for k, v in value.items()),
                                     key=lambda kv: kv[0])))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(snapshot(v, seen) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(v) for v in value)))
    if type(value).__name__ == "SealedValue":
        return ("sealed", id(value))
    if is_dataclass(value):
        names = [f.name for f in fields(value)]
    elif hasattr(value, "__dict__"):
        names = list(vars(value))
    else:
        return ("opaque", type(value).__name__)
    return (type(value).__name__, tuple(
        (name, snapshot(getattr(value, name), seen)) for name in names if name not in _VOLATILE))


def state_snapshot(handle: Any) -> Any:
    state = handle._state
    with state.lock:
        # Stores are made on first touch; an empty one is no change.
        return snapshot({
            "backends": {k: v for k, v in state.backends.items() if v.by_name or v.by_arn},
            "kms": {k: v for k, v in state.kms_stores.items() if v.keys or v.aliases},
            "replicated": sorted(state.replicated), "heap": list(state.rotation_heap),
            "parked": list(state.rotation_parked),
        })


def check_answer(handle: Any, world: World, status: int, payload: Any, before: Any,
                 where: str) -> None:
    assert status != 500, (where, payload, repr(handle.last_internal_error))
    assert handle.last_internal_error is None, where
    if status >= 400:
        assert isinstance(payload.get("__type"), str), (where, payload)
        message = payload.get("Message", payload.get("message", ""))
        assert isinstance(message, str), (where, payload)
        assert MARK not in message and not any(v in message for v in world.values), where
        assert state_snapshot(handle) == before, (where, payload)


# -- 1+2: every operation, generated bodies, raw and through boto3 ----------------------------


def _snake(name: str) -> str:
    return xform_name(name)


_clients: dict[str, Any] = {}


def _client(service: str) -> Any:
    """One boto3 client per service for the whole module (they are costly to make)."""
    if service not in _clients:
        _clients[service] = boto3.client(service, region_name="us-east-1")
    return _clients[service]


@pytest.mark.parametrize("target", ALL_OPERATIONS, ids=lambda t: f"{t[0]}.{t[1]}")
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_requests_to_every_operation(target: tuple[str, str],
                                               data: st.DataObject) -> None:
    service, operation = target
    prefix = _wire.TARGET_PREFIXES[service]
    with mock_secretsmanager() as handle:
        world = build_world(handle)
        shape = _wire.service_model(service).operation_model(operation).input_shape
        body = data.draw(shape_strategy(world, shape), label="body")
        before = state_snapshot(handle)
        response = handle.raw_request(f"{prefix}.{operation}", to_wire(body))
        payload = json.loads(response.body)
        check_answer(handle, world, response.status, payload, before, f"raw {operation}")
        if not data.draw(st.booleans(), label="also boto3"):
            return
        handle.reset()
        world = build_world(handle)
        before = state_snapshot(handle)
        client = _client(service)
        method = getattr(client, _snake(operation))
        try:
            method(**body)
        except ParamValidationError:
            return
        except ClientError as error:
            payload = {"__type": error.response["Error"]["Code"],
                       "Message": error.response["Error"].get("Message", "")}
            check_answer(handle, world, error.response["ResponseMetadata"]["HTTPStatusCode"],
                         payload, before, f"boto3 {operation}")
        assert handle.last_internal_error is None


# -- 3: random call sequences against a tiny model ------------------------------------------

NAMES = ("m/a", "m/b", "m/c")
CMKS = ("alias/m-1", "alias/m-2")
ROTATOR = "m-rotator"
DEFAULT_KEY = "DefaultEncryptionKey"  # how a version wrapped by aws/secretsmanager names it


@dataclass
class ModelSecret:
    """What the user wrote: the value AWSCURRENT must show, and every version's value."""

    current_vid: str
    versions: dict[str, str]
    deletion_date: float | None = None

    @property
    def current(self) -> str:
        return self.versions[self.current_vid]


class Rotator:
    """A rotation function in the AWS template's shape, calling back in through boto3;
    it tells the machine which values it wrote and which rotations it finished."""

    def __init__(self) -> None:
        self.written: dict[str, str] = {}  # version id -> value
        self.finished: list[tuple[str, str]] = []  # (secret ARN, version id)

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        client = _client("secretsmanager")
        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        stages = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
        if "AWSCURRENT" in stages.get(token, []):
            return
        if step == "createSecret":
            value = f"{MARK}rotated-{token}"
            client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=value,
                                    VersionStages=["AWSPENDING"],
                                    RotationToken=event["RotationToken"])
            self.written[token] = value
        elif step == "finishSecret":
            current = next(v for v, s in stages.items() if "AWSCURRENT" in s)
            client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                               MoveToVersionId=token,
                                               RemoveFromVersionId=current)
            self.finished.append((arn, token))


class OperationsMachine(RuleBasedStateMachine):
    """Every kind of call in random order; after each, the mock must agree with the model
    and with itself (labels, ListSecrets vs DescribeSecret, values)."""

    def __init__(self) -> None:
        super().__init__()
        self.mock = mock_secretsmanager()
        self.handle = self.mock.__enter__()
        self.handle.clock.freeze("2026-03-01T12:00:00Z")
        for alias in CMKS:
            self.handle.kms.create_key(alias=alias)
        self.rotator = Rotator()
        self.handle.register_rotation_function(ROTATOR, self.rotator)
        self.sm = _client("secretsmanager")
        self.sm_replica = boto3.client("secretsmanager", region_name=REPLICA_REGION)
        self.kms = _client("kms")
        self.model: dict[str, ModelSecret] = {}
        self.arns: dict[str, str] = {}
        self.counter = 0

    def teardown(self) -> None:
        self.mock.__exit__(None, None, None)

    # -- plumbing ---------------------------------------------------------------------------
    def value(self) -> str:
        self.counter += 1
        return f"{MARK}{self.counter}"

    def call(self, method: Any, **kwargs: Any) -> tuple[bool, Any]:
        """(True, response) or (False, error code); a 500, or a failure that changed
        something, fails the run."""
        before = state_snapshot(self.handle)
        try:
            response = method(**kwargs)
        except ClientError as error:
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            assert status != 500, (error, repr(self.handle.last_internal_error))
            message = error.response["Error"].get("Message", "")
            assert MARK not in message, message
            assert state_snapshot(self.handle) == before, (method, kwargs, error)
            self.absorb_rotations()
            return False, error.response["Error"]["Code"]
        self.absorb_rotations()
        return True, response

    def absorb_rotations(self) -> None:
        """Rotations (asked for, or due on the clock) that finished move AWSCURRENT."""
        for arn, token in self.rotator.finished:
            for name, secret in self.model.items():
                if self.arns.get(name) == arn and token in self.rotator.written:
                    secret.versions[token] = self.rotator.written[token]
                    secret.current_vid = token
        self.rotator.finished.clear()

    def live(self, name: str) -> ModelSecret | None:
        secret = self.model.get(name)
        return secret if secret is not None and secret.deletion_date is None else None

    # -- rules -------------------------------------------------------------------------------
    @initialize(keys=st.lists(st.sampled_from((None, *CMKS)), min_size=len(NAMES),
                              max_size=len(NAMES)))
    def create_all(self, keys: list[str | None]) -> None:
        """Every run starts with every secret, so the other rules have targets."""
        for name, key in zip(NAMES, keys, strict=True):
            self.create(name, key, binary=False)

    @rule(name=st.sampled_from(NAMES), key=st.sampled_from((None, *CMKS)),
          binary=st.booleans())
    def create(self, name: str, key: str | None, binary: bool) -> None:
        value = self.value()
        kwargs: dict[str, Any] = {"Name": name}
        kwargs.update({"SecretBinary": value.encode()} if binary else {"SecretString": value})
        if key:
            kwargs["KmsKeyId"] = key
        ok, response = self.call(self.sm.create_secret, **kwargs)
        if ok:
            assert name not in self.model
            self.model[name] = ModelSecret(response["VersionId"], {response["VersionId"]: value})
            self.arns[name] = response["ARN"]

    @rule(name=st.sampled_from(NAMES), labelled=st.sampled_from(["default", "custom", "both"]))
    def put(self, name: str, labelled: str) -> None:
        value = self.value()
        stages = {"default": None, "custom": ["custom"], "both": ["AWSCURRENT", "custom"]}[labelled]
        kwargs: dict[str, Any] = {"SecretId": name, "SecretString": value}
        if stages:
            kwargs["VersionStages"] = stages
        ok, response = self.call(self.sm.put_secret_value, **kwargs)
        if ok:
            secret = self.model[name]
            secret.versions[response["VersionId"]] = value
            if labelled != "custom":
                secret.current_vid = response["VersionId"]

    @rule(name=st.sampled_from(NAMES), new_value=st.booleans(),
          key=st.sampled_from((None, "keep", *CMKS)), description=st.text(max_size=5))
    def update(self, name: str, new_value: bool, key: str | None, description: str) -> None:
        kwargs: dict[str, Any] = {"SecretId": name, "Description": description}
        value = self.value()
        if new_value:
            kwargs["SecretString"] = value
        if key != "keep":
            kwargs["KmsKeyId"] = key or "alias/aws/secretsmanager"
        ok, response = self.call(self.sm.update_secret, **kwargs)
        if ok and new_value:
            secret = self.model[name]
            secret.versions[response["VersionId"]] = value
            secret.current_vid = response["VersionId"]

    @rule(name=st.sampled_from(NAMES), label=st.sampled_from(["AWSCURRENT", "custom", "L2"]),
          pick=st.integers(0, 50))
    def move_stage(self, name: str, label: str, pick: int) -> None:
        secret = self.model.get(name)
        if secret is None:
            return
        vids = sorted(secret.versions)
        target = vids[pick % len(vids)]
        ok, described = self.call(self.sm.describe_secret, SecretId=name)
        holder = next((v for v, s in described.get("VersionIdsToStages", {}).items()
                       if label in s), None) if ok else None
        kwargs: dict[str, Any] = {"SecretId": name, "VersionStage": label,
                                  "MoveToVersionId": target}
        if holder:
            kwargs["RemoveFromVersionId"] = holder
        ok, _ = self.call(self.sm.update_secret_version_stage, **kwargs)
        if ok and label == "AWSCURRENT":
            secret.current_vid = target

    @rule(name=st.sampled_from(NAMES), force=st.booleans(), days=st.sampled_from([7, 30]))
    def delete(self, name: str, force: bool, days: int) -> None:
        kwargs: dict[str, Any] = {"SecretId": name}
        kwargs.update({"ForceDeleteWithoutRecovery": True} if force
                      else {"RecoveryWindowInDays": days})
        ok, response = self.call(self.sm.delete_secret, **kwargs)
        if ok:
            if force:
                self.model.pop(name, None)
            else:
                self.model[name].deletion_date = response["DeletionDate"].timestamp()

    @rule(name=st.sampled_from(NAMES))
    def restore(self, name: str) -> None:
        ok, _ = self.call(self.sm.restore_secret, SecretId=name)
        if ok:
            self.model[name].deletion_date = None

    @rule(name=st.sampled_from(NAMES), key=st.sampled_from(["k1", "k2"]))
    def tag(self, name: str, key: str) -> None:
        self.call(self.sm.tag_resource, SecretId=name, Tags=[{"Key": key, "Value": "v"}])
        self.call(self.sm.untag_resource, SecretId=name, TagKeys=["k2"])

    @rule(name=st.sampled_from(NAMES), public=st.booleans())
    def policy(self, name: str, public: bool) -> None:
        self.call(self.sm.put_resource_policy, SecretId=name,
                  ResourcePolicy=PUBLIC_POLICY if public else POLICY)
        self.call(self.sm.get_resource_policy, SecretId=name)
        if public:
            self.call(self.sm.delete_resource_policy, SecretId=name)

    @rule(name=st.sampled_from(NAMES), scheduled=st.booleans(), cancel=st.booleans())
    def rotate(self, name: str, scheduled: bool, cancel: bool) -> None:
        kwargs: dict[str, Any] = {"SecretId": name, "RotationLambdaARN": ROTATOR}
        if scheduled:
            kwargs["RotationRules"] = {"AutomaticallyAfterDays": 1}
        self.call(self.sm.rotate_secret, **kwargs)
        if cancel:
            self.call(self.sm.cancel_rotate_secret, SecretId=name)

    @rule(name=st.sampled_from(NAMES), remove=st.booleans())
    def replicate(self, name: str, remove: bool) -> None:
        if remove:
            self.call(self.sm.remove_regions_from_replication, SecretId=name,
                      RemoveReplicaRegions=[REPLICA_REGION])
        else:
            self.call(self.sm.replicate_secret_to_regions, SecretId=name,
                      AddReplicaRegions=[{"Region": REPLICA_REGION}])

    @rule(key=st.sampled_from(CMKS),
          action=st.sampled_from(["disable", "enable", "schedule", "cancel"]))
    def key_state(self, key: str, action: str) -> None:
        if action == "disable":
            self.call(self.kms.disable_key, KeyId=self.key_id(key))
        elif action == "enable":
            self.call(self.kms.enable_key, KeyId=self.key_id(key))
        elif action == "schedule":
            self.call(self.kms.schedule_key_deletion, KeyId=self.key_id(key),
                      PendingWindowInDays=7)
        else:
            self.call(self.kms.cancel_key_deletion, KeyId=self.key_id(key))

    def key_id(self, alias: str) -> str:
        try:
            return self.handle.kms.describe_key(alias).key_id
        except Exception:  # gone: KMS answers NotFound for the alias itself
            return alias

    @rule(days=st.sampled_from([1, 2, 8, 31]))
    def advance(self, days: int) -> None:
        self.handle.clock.advance(days=days)
        self.handle.run_due_rotations()
        for region in (self.handle.region, REPLICA_REGION):  # lazy purges happen now
            self.handle.secrets(region)
            self.handle.kms.list_keys(region=region)
        self.absorb_rotations()
        now = self.handle.clock.now()
        for name in [n for n, s in self.model.items()
                     if s.deletion_date is not None and s.deletion_date <= now]:
            del self.model[name]

    @rule()
    def batch_get(self) -> None:
        ok, response = self.call(self.sm.batch_get_secret_value, SecretIdList=list(NAMES))
        assert ok, response
        for entry in response["SecretValues"]:
            secret = self.live(entry["Name"])
            assert secret is not None, entry["Name"]
            got = entry.get("SecretString") or entry["SecretBinary"].decode()
            assert got == secret.current, entry["Name"]

    # -- what must hold after every step ----------------------------------------------------
    def usable(self, key_ref: str) -> bool:
        if key_ref == DEFAULT_KEY:
            return True
        try:
            return bool(self.handle.kms.describe_key(key_ref).state == "Enabled")
        except Exception:  # deleted for good
            return False

    @invariant()
    def mock_agrees_with_itself_and_the_model(self) -> None:
        self.handle.run_due_rotations()
        self.absorb_rotations()
        assert self.handle.last_internal_error is None
        views = {view.name: view for view in self.handle.secrets()}
        assert set(views) == set(self.model)
        for region in (self.handle.region, REPLICA_REGION):
            for view in self.handle.secrets(region):
                labels.check_invariants(
                    {v.version_id: v.stages for v in view.versions if v.has_value})
        for client in (self.sm, self.sm_replica):
            listed = client.list_secrets(IncludePlannedDeletion=True)["SecretList"]
            if client is self.sm:
                assert {entry["Name"] for entry in listed} == set(self.model)
            for entry in listed:
                described = client.describe_secret(SecretId=entry["ARN"])
                for key in set(entry) & set(described):
                    assert entry[key] == described[key], (key, entry[key], described[key])
                assert entry.get("SecretVersionsToStages") == described.get(
                    "VersionIdsToStages")
        for name, secret in self.model.items():
            if secret.deletion_date is not None:
                continue
            current = views[name].version_with("AWSCURRENT")
            assert current == secret.current_vid, name
            version = next(v for v in views[name].versions if v.version_id == current)
            ok, got = self.call(self.sm.get_secret_value, SecretId=name)
            if not any(self.usable(k) for k in version.kms_key_ids):
                assert not ok and got == "DecryptionFailure", (name, got)
                continue
            assert ok, (name, got)
            value = got.get("SecretString") or got["SecretBinary"].decode()
            assert value == secret.current, name
            self.every_version_keeps_its_value(name, secret, views[name])
            if views[name].arn in self.handle._state.replicated:
                ok, replica = self.call(self.sm_replica.get_secret_value,
                                        SecretId=views[name].arn.replace(
                                            self.handle.region, REPLICA_REGION))
                if ok:
                    got_replica = replica.get("SecretString") or replica["SecretBinary"].decode()
                    assert got_replica == secret.current, name


    def every_version_keeps_its_value(self, name: str, secret: ModelSecret, view: Any) -> None:
        """Each version written keeps its value, readable by VersionId while a key of
        it is usable."""
        listed = self.sm.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
        ids = {v["VersionId"] for v in listed["Versions"]}
        assert set(secret.versions) <= ids, (name, set(secret.versions) - ids)
        keys = {v.version_id: v.kms_key_ids for v in view.versions}
        for vid, expected in secret.versions.items():
            ok, got = self.call(self.sm.get_secret_value, SecretId=name, VersionId=vid)
            if not any(self.usable(k) for k in keys[vid]):
                assert not ok and got == "DecryptionFailure", (name, vid, got)
                continue
            assert ok, (name, vid, got)
            assert (got.get("SecretString") or got["SecretBinary"].decode()) == expected


OperationsMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck))
test_random_operation_sequences = OperationsMachine.TestCase


# -- 4: threads ----------------------------------------------------------------------------

THREADS = 6
ITERATIONS = 30
_local = threading.local()


def _thread_client(service: str = "secretsmanager") -> Any:
    """A client per thread and service, made from the thread's own session."""
    clients = getattr(_local, "clients", None)
    if clients is None:
        clients = _local.clients = {}
    if service not in clients:
        clients[service] = boto3.session.Session().client(service, region_name="us-east-1")
    return clients[service]


def _threaded_rotator(event: dict[str, Any], context: Any) -> None:
    """The template rotation, calling back in from whichever thread rotates."""
    client = _thread_client()
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    stages = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
    if "AWSCURRENT" in stages.get(token, []):
        return
    if step == "createSecret":
        client.put_secret_value(SecretId=arn, ClientRequestToken=token,
                                SecretString=f"{MARK}rotated", VersionStages=["AWSPENDING"],
                                RotationToken=event["RotationToken"])
    elif step == "finishSecret":
        current = next(v for v, s in stages.items() if "AWSCURRENT" in s)
        client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                           MoveToVersionId=token, RemoveFromVersionId=current)


def test_threads_mixing_operations_neither_deadlock_nor_break() -> None:
    with mock_secretsmanager() as handle:
        handle.register_rotation_function("threaded-rotator", _threaded_rotator)
        sm = _client("secretsmanager")
        sm.create_secret(Name="shared", SecretString=f"{MARK}start")
        errors: list[str] = []  # anything but a 4xx ClientError
        codes: collections.Counter[str] = collections.Counter()
        last_written: dict[int, str] = {}

        def attempt(method: Any, **kwargs: Any) -> Any:
            try:
                return method(**kwargs)
            except ClientError as error:
                status = error.response["ResponseMetadata"]["HTTPStatusCode"]
                codes[error.response["Error"]["Code"]] += 1
                if status >= 500 or MARK in error.response["Error"].get("Message", ""):
                    errors.append(repr(error))
            except Exception as exc:
                errors.append(repr(exc))
            return None

        def worker(n: int) -> None:
            client = _thread_client()
            own = f"own-{n}"
            attempt(client.create_secret, Name=own, SecretString=f"{MARK}{n}-0")
            last_written[n] = f"{MARK}{n}-0"
            for i in range(1, ITERATIONS + 1):
                value = f"{MARK}{n}-{i}"
                if attempt(client.put_secret_value, SecretId=own, SecretString=value):
                    last_written[n] = value
                attempt(client.get_secret_value, SecretId="shared")
                if i % 3 == 0:  # the shared secret stays under the 100-versions-a-day cap
                    attempt(client.put_secret_value, SecretId="shared",
                            SecretString=f"{MARK}s{n}-{i}")
                attempt(client.tag_resource, SecretId="shared",
                        Tags=[{"Key": f"t{n}", "Value": str(i)}])
                attempt(client.list_secrets, MaxResults=5)
                attempt(client.batch_get_secret_value, SecretIdList=["shared", own])
                attempt(client.describe_secret, SecretId=own)
                if n == 0 and i % 5 == 0:
                    attempt(client.rotate_secret, SecretId="shared",
                            RotationLambdaARN="threaded-rotator")
                if n == 1 and i % 7 == 0:
                    attempt(client.update_secret, SecretId=own, Description=str(i))
                    attempt(client.delete_secret, SecretId="gone", ForceDeleteWithoutRecovery=True)

        threads = [threading.Thread(target=worker, args=(n,), daemon=True)
                   for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not [t for t in threads if t.is_alive()], "deadlock: threads still running"
        assert errors == []
        assert handle.last_internal_error is None
        for view in handle.secrets():
            labels.check_invariants({v.version_id: v.stages for v in view.versions
                                     if v.has_value})
        for n in range(THREADS):
            got = sm.get_secret_value(SecretId=f"own-{n}")["SecretString"]
            assert got == last_written[n]
        assert sm.get_secret_value(SecretId="shared")["SecretString"].startswith(MARK)
        attempts = handle.rotation_log("shared")
        assert attempts, codes  # the rotating thread did rotate
        assert "LimitExceededException" not in codes


# -- regressions found by the fuzzer ----------------------------------------------------------


@pytest.mark.parametrize("body", [b'{"MaxResults": Infinity}', b'{"MaxResults": NaN}',
                                  b'{"MaxResults": -Infinity}'])
def test_non_json_constants_are_a_serialization_error(body: bytes) -> None:
    with mock_secretsmanager() as handle:
        response = handle.raw_request("secretsmanager.ListSecrets", body)
        assert response.status == 400
        assert response.json() == {"__type": "SerializationException"}


@pytest.mark.parametrize("operation", ["ListSecrets", "ListSecretVersionIds",
                                       "BatchGetSecretValue", "ListResourcePolicies"])
def test_an_integer_too_big_for_any_number_type_is_a_serialization_error(operation: str) -> None:
    with mock_secretsmanager() as handle:
        response = handle.raw_request(f"secretsmanager.{operation}",
                                      b'{"SecretId": "s", "MaxResults": 1e400}')
        assert response.status == 400
        assert response.json() == {"__type": "SerializationException",
                                   "Message": "Expected number at 'maxResults'"}
        assert handle.last_internal_error is None


def test_decrypt_without_a_ciphertext_blob_is_a_validation_error() -> None:
    with mock_secretsmanager() as handle:
        response = handle.raw_request("TrentService.Decrypt", {"KeyId": "alias/x"})
        assert response.status == 400
        assert response.json() == {
            "__type": "ValidationException",
            "message": "1 validation error detected: Value null at 'ciphertextBlob' failed to "
                       "satisfy constraint: Member must not be null"}
        assert handle.last_internal_error is None


@pytest.mark.parametrize(("region", "partition"), [
    ("us-iso-east-1", "aws-iso"), ("us-isob-east-1", "aws-iso-b"), ("cn-north-1", "aws-cn"),
    ("us-gov-west-1", "aws-us-gov"), ("eu-west-1", "aws")])
def test_kms_and_secret_arns_share_the_partition_of_their_region(region: str,
                                                                 partition: str) -> None:
    with mock_secretsmanager() as handle:
        key = handle.raw_request("TrentService.CreateKey", {}, region=region).json()
        key_arn = key["KeyMetadata"]["Arn"]
        assert key_arn.startswith(f"arn:{partition}:kms:{region}:")
        created = handle.raw_request("secretsmanager.CreateSecret", {
            "Name": "s", "SecretString": "v", "KmsKeyId": key_arn,
            "ClientRequestToken": TOKENS[0]}, region=region)
        assert created.status == 200, created.body
        assert created.json()["ARN"].startswith(f"arn:{partition}:secretsmanager:{region}:")
        got = handle.raw_request("secretsmanager.GetSecretValue", {"SecretId": "s"},
                                 region=region)
        assert got.json()["SecretString"] == "v"


@pytest.mark.parametrize("operation", ["CreateSecret", "PutSecretValue", "UpdateSecret"])
@pytest.mark.parametrize("text", ['"\\ud800"', '"ok\\udfffok"'])
def test_a_secret_string_with_a_lone_surrogate_is_refused(operation: str, text: str) -> None:
    with mock_secretsmanager() as handle:
        handle.raw_request("secretsmanager.CreateSecret", {
            "Name": "s", "SecretString": "v", "ClientRequestToken": TOKENS[0]})
        before = state_snapshot(handle)
        key = "Name" if operation == "CreateSecret" else "SecretId"
        body = f'{{"{key}": "s2", "ClientRequestToken": "{TOKENS[1]}", "SecretString": {text}}}'
        response = handle.raw_request(f"secretsmanager.{operation}", body.replace("s2", "s")
                                      if operation != "CreateSecret" else body)
        assert response.status == 400
        assert response.json() == {
            "__type": "SerializationException",
            "Message": "Invalid string at 'secretString': a lone UTF-16 surrogate has no UTF-8 "
                       "encoding."}
        assert handle.last_internal_error is None
        assert state_snapshot(handle) == before


def test_boto3_cannot_store_a_lone_surrogate_either() -> None:
    with mock_secretsmanager() as handle:
        client = handle.client()
        with pytest.raises(ClientError) as caught:
            client.create_secret(Name="s", SecretString="x\ud800")
        assert caught.value.response["Error"]["Code"] == "SerializationException"
        assert handle.secrets() == []


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000,
                                  b'{"Filters":' + b"[" * 100_000 + b"]" * 100_000 + b"}"])
def test_absurdly_nested_json_is_a_serialization_error(body: bytes) -> None:
    with mock_secretsmanager() as handle:
        response = handle.raw_request("secretsmanager.ListSecrets", body)
        assert response.status == 400
        assert response.json() == {"__type": "SerializationException"}
