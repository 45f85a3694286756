"""Staging-label rules: the one place that decides where labels go.

Labels *are* the version pointers. Every function here returns, or changes, a plain
mapping ``version id -> set of labels`` that is not the secret's own (a new one, or for
``attach_in_place`` a copy the caller just made), so callers can check quotas on the
result before committing anything (validate, then mutate).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import Protocol

CURRENT = "AWSCURRENT"
PREVIOUS = "AWSPREVIOUS"
PENDING = "AWSPENDING"

Stages = dict[str, set[str]]


def copy_stages(stages: Mapping[str, Iterable[str]]) -> Stages:
    return {vid: set(labels) for vid, labels in stages.items()}


def holder(stages: Mapping[str, Iterable[str]], label: str) -> str | None:
    """The version id holding ``label``, or None."""
    for vid, labels in stages.items():
        if label in labels:
            return vid
    return None


def attach_in_place(result: Stages, target: str, labels: Iterable[str]) -> None:
    """Attach ``labels`` to version ``target`` in ``result``, a copy of the secret's
    stages (PutSecretValue, UpdateSecret, rotation); in place, to save a second copy.

    Each label leaves whichever version held it. When AWSCURRENT moves from O to the
    target, AWSPREVIOUS follows to O (unless the caller named AWSPREVIOUS) and O loses
    AWSPENDING (unless the caller named it). The first version always gets AWSCURRENT.
    """
    requested = list(dict.fromkeys(labels))
    old_current = holder(result, CURRENT)
    if old_current is None and CURRENT not in requested:
        requested.append(CURRENT)
    attached = result.setdefault(target, set())
    for label in requested:
        if label not in attached:
            for held in result.values():  # a label is held by one version at most
                if label in held:
                    held.discard(label)
                    break
            attached.add(label)
    if old_current is not None and old_current != target and CURRENT in requested:
        _after_current_moved(result, old_current, target, requested)


class Labelled(Protocol):
    """A version as ``current_to`` reads it (``secret.Version``; read, never changed)."""

    version_id: str
    stages: set[str]


def current_to(versions: Mapping[str, Labelled], target: str) -> tuple[Stages, int]:
    """``attach_in_place(stages, target, [CURRENT])``, the request of every plain write,
    read straight off a secret's versions instead of a copy of all their labels: the new
    labels of each version whose labels change, and how many labels there are after.

    The same rules in one pass (``tests/test_labels_fast.py`` checks them against
    ``attach_in_place`` on every small state): the target gains AWSCURRENT, and if another
    version held it, that one gets AWSPREVIOUS (taken from whoever had it) and loses
    AWSPENDING."""
    found = versions.get(target)
    old = previous = None
    count = 0
    for version in versions.values():
        held = version.stages
        if held:
            count += len(held)
            if CURRENT in held:
                old = version
            if PREVIOUS in held:
                previous = version
    if old is not None and old is found:
        return {}, count  # the target holds AWSCURRENT already: nothing moves
    if old is None:
        return {target: {CURRENT} if found is None else found.stages | {CURRENT}}, count + 1
    changes = {target: {CURRENT} if found is None else (found.stages | {CURRENT}) - {PREVIOUS},
               old.version_id: (old.stages - _MOVED_OFF) | {PREVIOUS}}
    if previous is not None and previous is not old and previous is not found:
        changes[previous.version_id] = previous.stages - {PREVIOUS}
    # AWSCURRENT moves and so does AWSPREVIOUS (new if no version had it); the old
    # version's AWSPENDING goes.
    return changes, count + (previous is None) - (PENDING in old.stages)


_MOVED_OFF = frozenset({CURRENT, PENDING})  # what the old AWSCURRENT version loses


def move(
    stages: Mapping[str, Iterable[str]],
    label: str,
    move_to: str | None,
    remove_from: str | None,
) -> Stages:
    """UpdateSecretVersionStage's effect, once its preconditions have been checked."""
    result = copy_stages(stages)
    if remove_from is not None:
        result[remove_from].discard(label)
    if move_to is None:
        return result
    for vid, held in result.items():
        if vid != move_to:
            held.discard(label)
    result.setdefault(move_to, set()).add(label)
    if label == CURRENT and remove_from is not None and remove_from != move_to:
        _after_current_moved(result, remove_from, move_to, [label])
    return result


def _after_current_moved(result: Stages, old: str, new: str, requested: list[str]) -> None:
    if PREVIOUS not in requested:
        for held in result.values():
            held.discard(PREVIOUS)
        result[old].add(PREVIOUS)
    if PENDING not in requested:
        result[old].discard(PENDING)


def label_count(stages: Mapping[str, AbstractSet[str]]) -> int:
    return sum(map(len, stages.values()))


def check_invariants(stages: Mapping[str, Iterable[str]]) -> None:
    """Assert the rules every state must satisfy (used by the property tests)."""
    seen: dict[str, str] = {}
    for vid, labels in stages.items():
        for label in labels:
            assert label not in seen, f"{label} on {seen[label]} and {vid}"
            seen[label] = vid
    if stages:
        assert CURRENT in seen, "a secret with versions has no AWSCURRENT"
