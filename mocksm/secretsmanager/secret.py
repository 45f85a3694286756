"""Secrets and their versions: plain data, no HTTP, no botocore."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mocksm.clock import to_millis
from mocksm.secretsmanager.labels import CURRENT, Stages
from mocksm.secretsmanager.values import SealedValue


@dataclass(eq=False, slots=True)
class Version:
    version_id: str
    sealed: SealedValue | None  # None: a rotation placeholder without a value
    stages: set[str]
    created: float
    seq: int
    kms_key_ids: list[str]
    last_accessed: float | None = None

    def __repr__(self) -> str:
        return f"<Version {self.version_id} {sorted(self.stages)}>"


@dataclass
class RotationConfig:
    enabled: bool = False
    lambda_arn: str | None = None
    rules: dict[str, Any] | None = None
    external_metadata: list[dict[str, str]] | None = None
    external_role_arn: str | None = None
    base: float | None = None  # start of the current schedule period
    last_rotated: float | None = None
    last_change: float | None = None  # last rotation or value written by hand while enabled


@dataclass(eq=False, slots=True)
class Secret:
    name: str
    arn: str
    account: str
    region: str
    created: float
    last_changed: float
    seq: int
    description: str | None = None
    kms_key_id: str | None = None  # None: the AWS managed key aws/secretsmanager
    type: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)
    tags_ever_set: bool = False
    versions: dict[str, Version] = field(default_factory=dict)
    resource_policy: str | None = None
    rotation: RotationConfig | None = None
    last_accessed: float | None = None
    deleted_date: float | None = None
    deletion_date: float | None = None
    owning_service: str | None = None
    primary_region: str | None = None  # set on primaries and replicas of replicated secrets
    replicas: list[Any] = field(default_factory=list)  # replication.ReplicaLink entries
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<Secret {self.arn} versions={len(self.versions)}>"

    @property
    def scheduled_for_deletion(self) -> bool:
        return self.deletion_date is not None

    def stages(self) -> Stages:
        """Labels of the labelled versions (deprecated ones have none and are left out,
        so planning a change costs the same with 3 versions or 100)."""
        return {vid: set(v.stages) for vid, v in self.versions.items() if v.stages}

    def apply_stages(self, stages: Stages) -> None:
        """Commit new labels for the versions ``stages`` names (a mapping computed from
        ``stages()``, or only the versions whose labels change); versions it leaves out
        keep theirs. The versions take over its sets (every caller plans on fresh sets
        and drops them after)."""
        versions = self.versions
        for vid, held in stages.items():
            version = versions.get(vid)
            if version is not None:  # retention may have dropped it
                version.stages = held

    def version_with(self, label: str) -> Version | None:
        for version in self.versions.values():
            if label in version.stages:
                return version
        return None

    def current(self) -> Version | None:
        return self.version_with(CURRENT)

    def touch(self, now: float) -> None:
        """Set LastChangedDate, keeping it strictly increasing (ms resolution)."""
        self.last_changed = max(now, to_millis(self.last_changed + 0.001))
