"""Random Create / Put / Update / UpdateSecretVersionStage / Get sequences through a real
boto3 client, checked after every step against a small reference model of the label
rules written here from the spec (4.5.3, 4.5.4, 5.4), independently of mocksm's code.

After each step the mock's own state and what the API shows (ListSecretVersionIds with
deprecated versions, DescribeSecret) must both satisfy the invariants and equal the model.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from mocksm import mock_secretsmanager
from mocksm.secretsmanager import labels as mocksm_labels

CURRENT, PREVIOUS, PENDING = "AWSCURRENT", "AWSPREVIOUS", "AWSPENDING"
NAMES = ("alpha", "beta")
LABELS = (CURRENT, PREVIOUS, PENDING, "blue", "green", "AWSSOMETHING")

values = st.one_of(st.text(min_size=1, max_size=6), st.binary(min_size=1, max_size=6))
stage_lists = st.one_of(st.none(), st.lists(st.sampled_from(LABELS), min_size=1, max_size=4))
# A version reference: an index into the secret's versions, or None, or "ghost" (unknown id).
version_refs = st.one_of(st.none(), st.just("ghost"), st.integers(min_value=0, max_value=30))


@dataclass
class RefSecret:
    """The reference: versions in creation order, their labels and values."""

    arn: str
    order: list[str] = field(default_factory=list)
    labels: dict[str, set[str]] = field(default_factory=dict)
    values: dict[str, str | bytes] = field(default_factory=dict)

    def holder(self, label: str) -> str | None:
        found = [vid for vid, held in self.labels.items() if label in held]
        assert len(found) <= 1
        return found[0] if found else None

    def add_version(self, vid: str, value: str | bytes, requested: list[str]) -> None:
        """Spec 4.5.3: each label leaves its old version; AWSPREVIOUS follows a moved
        AWSCURRENT unless named; the old current loses AWSPENDING unless named; the
        first version always gets AWSCURRENT."""
        wanted = list(dict.fromkeys(requested))
        if not self.order and CURRENT not in wanted:
            wanted.append(CURRENT)
        old_current = self.holder(CURRENT)
        self.order.append(vid)
        self.values[vid] = value
        self.labels[vid] = set()
        for label in wanted:
            for held in self.labels.values():
                held.discard(label)
            self.labels[vid].add(label)
        if CURRENT in wanted and old_current is not None:
            if PREVIOUS not in wanted:
                for held in self.labels.values():
                    held.discard(PREVIOUS)
                self.labels[old_current].add(PREVIOUS)
            if PENDING not in wanted:
                self.labels[old_current].discard(PENDING)

    def move(self, label: str, move_to: str | None, remove_from: str | None) -> str | None:
        """Spec 5.4. Returns the error code AWS answers with, or None after applying."""
        if move_to is None and remove_from is None:
            return "InvalidParameterException"
        for vid in (move_to, remove_from):
            if vid is not None and vid not in self.labels:
                return "InvalidParameterException"
        held_by = self.holder(label)
        if remove_from is not None and remove_from != held_by:
            return "InvalidParameterException"
        if move_to is not None and held_by not in (None, move_to) and remove_from is None:
            return "InvalidParameterException"
        if label == CURRENT and move_to is None:
            return "InvalidParameterException"
        if move_to is not None and move_to == held_by:
            return None
        if remove_from is not None:
            self.labels[remove_from].discard(label)
        if move_to is not None:
            self.labels[move_to].add(label)
            if label == CURRENT and remove_from is not None:
                for held in self.labels.values():
                    held.discard(PREVIOUS)
                self.labels[remove_from].add(PREVIOUS)
                self.labels[remove_from].discard(PENDING)
        return None


def _error_code(call: Any, **kwargs: Any) -> str | None:
    try:
        call(**kwargs)
    except ClientError as error:
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        return str(error.response["Error"]["Code"])
    return None


def _check_invariants(stages: dict[str, list[str] | set[str]]) -> None:
    """The rules of 4.5.1, stated again here: a label on at most one version, exactly one
    AWSCURRENT once there is a version."""
    seen: list[str] = [label for held in stages.values() for label in held]
    assert len(seen) == len(set(seen)), stages
    if stages:
        assert seen.count(CURRENT) == 1, stages


class LabelMachine(RuleBasedStateMachine):
    handle: Any = None
    client: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.handle.reset()
        self.model: dict[str, RefSecret] = {}
        self.changed: dict[str, Any] = {}  # name -> last seen LastChangedDate
        self.expect_change: set[str] = set()

    # -- helpers ------------------------------------------------------------------------
    def _pick(self, name: str, ref: Any) -> str | None:
        if ref is None:
            return None
        if ref == "ghost" or name not in self.model or not self.model[name].order:
            return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ghost-{name}-{ref}"))
        order = self.model[name].order
        return order[int(ref) % len(order)]

    # -- rules --------------------------------------------------------------------------
    @initialize(value=values)
    def start_with_a_secret(self, value: str | bytes) -> None:
        self.create(NAMES[0], value)

    @rule(name=st.sampled_from(NAMES), value=st.one_of(st.none(), values))
    def create(self, name: str, value: str | bytes | None) -> None:
        kwargs: dict[str, Any] = {"Name": name}
        if value is not None:
            kwargs["SecretString" if isinstance(value, str) else "SecretBinary"] = value
        if name in self.model:
            assert _error_code(self.client.create_secret, **kwargs) == "ResourceExistsException"
            return
        out = self.client.create_secret(**kwargs)
        self.model[name] = RefSecret(out["ARN"])
        if value is not None:
            self.model[name].add_version(out["VersionId"], value, [CURRENT])

    @rule(name=st.sampled_from(NAMES), value=values, stages=stage_lists)
    def put(self, name: str, value: str | bytes, stages: list[str] | None) -> None:
        kwargs: dict[str, Any] = {"SecretId": name}
        kwargs["SecretString" if isinstance(value, str) else "SecretBinary"] = value
        if stages is not None:
            kwargs["VersionStages"] = stages
        if name not in self.model:
            assert _error_code(self.client.put_secret_value, **kwargs) == (
                "ResourceNotFoundException")
            return
        out = self.client.put_secret_value(**kwargs)
        ref = self.model[name]
        ref.add_version(out["VersionId"], value, stages or [CURRENT])
        assert out["VersionStages"] == sorted(ref.labels[out["VersionId"]])
        self.expect_change.add(name)

    @rule(name=st.sampled_from(NAMES), value=values)
    def update(self, name: str, value: str | bytes) -> None:
        kwargs: dict[str, Any] = {"SecretId": name}
        kwargs["SecretString" if isinstance(value, str) else "SecretBinary"] = value
        if name not in self.model:
            assert _error_code(self.client.update_secret, **kwargs) == (
                "ResourceNotFoundException")
            return
        out = self.client.update_secret(**kwargs)
        self.model[name].add_version(out["VersionId"], value, [CURRENT])
        self.expect_change.add(name)

    @rule(name=st.sampled_from(NAMES), index=st.integers(min_value=0, max_value=30),
          same=st.booleans())
    def replay(self, name: str, index: int, same: bool) -> None:
        """Reuse an existing version's token: same value is a no-op, another is refused."""
        ref = self.model.get(name)
        if ref is None or not ref.order:
            return
        vid = ref.order[index % len(ref.order)]
        value = ref.values[vid]
        if not same:
            value = value + (b"!" if isinstance(value, bytes) else "!")
        kwargs: dict[str, Any] = {"SecretId": name, "ClientRequestToken": vid}
        kwargs["SecretString" if isinstance(value, str) else "SecretBinary"] = value
        if not same:
            assert _error_code(self.client.put_secret_value, **kwargs) == (
                "ResourceExistsException")
            return
        out = self.client.put_secret_value(**kwargs)
        assert out["VersionId"] == vid
        assert out.get("VersionStages", []) == sorted(ref.labels[vid])

    @rule(name=st.sampled_from(NAMES), label=st.sampled_from(LABELS),
          move_to=version_refs, remove_from=version_refs)
    def move(self, name: str, label: str, move_to: Any, remove_from: Any) -> None:
        target, source = self._pick(name, move_to), self._pick(name, remove_from)
        kwargs: dict[str, Any] = {"SecretId": name, "VersionStage": label}
        if target is not None:
            kwargs["MoveToVersionId"] = target
        if source is not None:
            kwargs["RemoveFromVersionId"] = source
        if name not in self.model:
            assert _error_code(self.client.update_secret_version_stage, **kwargs) == (
                "ResourceNotFoundException")
            return
        ref = self.model[name]
        before = {vid: set(held) for vid, held in ref.labels.items()}
        expected = ref.move(label, target, source)
        actual = _error_code(self.client.update_secret_version_stage, **kwargs)
        assert actual == expected, (label, target, source, before)
        if expected is None and ref.labels != before:
            self.expect_change.add(name)

    @rule(name=st.sampled_from(NAMES),
          label=st.one_of(st.just(CURRENT), st.sampled_from(LABELS)),
          index=st.integers(min_value=0, max_value=30), remove=st.booleans())
    def move_legally(self, name: str, label: str, index: int, remove: bool) -> None:
        """A move that names the current holder, so most of these succeed: to another
        version, or (``remove``, custom labels only) off the secret entirely."""
        ref = self.model.get(name)
        if ref is None or not ref.order:
            return
        holder = ref.holder(label)
        target = None if remove and label != CURRENT and holder else ref.order[
            index % len(ref.order)]
        kwargs: dict[str, Any] = {"SecretId": name, "VersionStage": label}
        if target is not None:
            kwargs["MoveToVersionId"] = target
        if holder is not None:
            kwargs["RemoveFromVersionId"] = holder
        before = {vid: set(held) for vid, held in ref.labels.items()}
        expected = ref.move(label, target, holder)
        assert expected is None
        assert _error_code(self.client.update_secret_version_stage, **kwargs) is None
        if ref.labels != before:
            self.expect_change.add(name)

    @rule(name=st.sampled_from(NAMES), stage=st.one_of(st.none(), st.sampled_from(LABELS)),
          version=version_refs)
    def get(self, name: str, stage: str | None, version: Any) -> None:
        vid = self._pick(name, version)
        kwargs: dict[str, Any] = {"SecretId": name}
        if stage is not None:
            kwargs["VersionStage"] = stage
        if vid is not None:
            kwargs["VersionId"] = vid
        ref = self.model.get(name)
        if ref is None:
            assert _error_code(self.client.get_secret_value, **kwargs) == (
                "ResourceNotFoundException")
            return
        if vid is None:
            vid = ref.holder(stage or CURRENT)
            if vid is None:
                assert _error_code(self.client.get_secret_value, **kwargs) == (
                    "ResourceNotFoundException")
                return
        elif vid not in ref.values:
            assert _error_code(self.client.get_secret_value, **kwargs) == (
                "ResourceNotFoundException")
            return
        elif stage is not None and stage not in ref.labels[vid]:
            assert _error_code(self.client.get_secret_value, **kwargs) == (
                "InvalidRequestException")
            return
        out = self.client.get_secret_value(**kwargs)
        value = ref.values[vid]
        assert out["VersionId"] == vid
        assert out.get("SecretString" if isinstance(value, str) else "SecretBinary") == value
        assert out.get("VersionStages", []) == sorted(ref.labels[vid])

    # -- invariants ----------------------------------------------------------------------
    @invariant()
    def handle_state_matches_the_model(self) -> None:
        if self.handle is None or not hasattr(self, "model"):
            return
        state = self.handle._state
        store = state.backend(self.handle.account_id, self.handle.region)
        assert set(store.by_name) == set(self.model)
        for name, ref in self.model.items():
            secret = store.by_name[name]
            stages = {vid: set(v.stages) for vid, v in secret.versions.items()}
            assert secret.stages() == {vid: held for vid, held in stages.items() if held}
            mocksm_labels.check_invariants(stages)
            _check_invariants(stages)
            assert stages == ref.labels
            assert [v.version_id for v in sorted(secret.versions.values(),
                                                 key=lambda v: v.seq)] == ref.order
            view = self.handle.secret(name)
            assert view.labels() == {vid: sorted(held) for vid, held in ref.labels.items()
                                     if held}

    @invariant()
    def api_view_matches_the_model(self) -> None:
        if self.handle is None or not hasattr(self, "model"):
            return
        for name, ref in self.model.items():
            listed = self.client.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)
            entries = listed["Versions"]
            assert [v["VersionId"] for v in entries] == ref.order
            shown = {v["VersionId"]: v.get("VersionStages", []) for v in entries}
            for vid, held in shown.items():
                assert held == sorted(held)
                assert ("VersionStages" in next(v for v in entries if v["VersionId"] == vid)) \
                    == bool(held)
            mocksm_labels.check_invariants(shown)
            _check_invariants(shown)
            assert shown == {vid: sorted(held) for vid, held in ref.labels.items()}
            plain = self.client.list_secret_version_ids(SecretId=name)["Versions"]
            assert [v["VersionId"] for v in plain] == [vid for vid in ref.order
                                                      if ref.labels[vid]]
            described = self.client.describe_secret(SecretId=name)
            expected = {vid: sorted(held) for vid, held in ref.labels.items() if held}
            assert described.get("VersionIdsToStages", {}) == expected
            last_changed = described["LastChangedDate"]
            if name in self.changed:
                if name in self.expect_change:
                    assert last_changed > self.changed[name]
                else:
                    assert last_changed == self.changed[name]
            self.changed[name] = last_changed
        self.expect_change.clear()


def test_label_state_machine() -> None:
    with mock_secretsmanager() as handle:
        LabelMachine.handle = handle
        LabelMachine.client = handle.client()
        try:
            run_state_machine_as_test(
                LabelMachine,
                settings=settings(max_examples=40, stateful_step_count=25, deadline=None,
                                  suppress_health_check=[HealthCheck.too_slow]),
            )
        finally:
            LabelMachine.handle = LabelMachine.client = None


def test_the_reference_model_reproduces_the_recorded_cycle() -> None:
    """Guard for the model itself: the AWS recording of spec 5.4 (custom stages)."""
    ref = RefSecret("arn")
    ref.add_version("v1", "SS", [CURRENT])
    ref.add_version("v2", "S1", [CURRENT, "PUT0"])
    ref.add_version("v3", "S2", [PENDING, "PUT1"])
    assert ref.move(CURRENT, "v3", "v2") is None
    ref.add_version("v4", "S3", [PENDING, "PUT2"])
    assert ref.move(CURRENT, "v4", "v3") is None
    assert ref.labels == {"v1": set(), "v2": {"PUT0"}, "v3": {PREVIOUS, "PUT1"},
                          "v4": {CURRENT, PENDING, "PUT2"}}
    assert ref.move(CURRENT, None, "v4") == "InvalidParameterException"
    assert ref.move(PENDING, "v1", None) == "InvalidParameterException"
