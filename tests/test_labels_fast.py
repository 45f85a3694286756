"""``labels.current_to`` (the one-pass label move of every plain write) against
``labels.attach_in_place`` (the general rules) on every small label state: same labels
after, same label count."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from mocksm.secretsmanager import labels
from mocksm.secretsmanager.labels import CURRENT, PENDING, PREVIOUS

LABELS = (CURRENT, PREVIOUS, PENDING, "custom")
VERSIONS = ("v0", "v1", "v2")


@dataclass
class FakeVersion:
    version_id: str
    stages: set[str]


def _states() -> list[dict[str, set[str]]]:
    """Every way of giving each label to one of three versions or to none (each label is
    held by one version at most, as on a real secret)."""
    states = []
    for owners in itertools.product((None, *VERSIONS), repeat=len(LABELS)):
        state: dict[str, set[str]] = {vid: set() for vid in VERSIONS}
        for label, owner in zip(LABELS, owners, strict=True):
            if owner is not None:
                state[owner].add(label)
        states.append(state)
    return states


STATES = _states()


@pytest.mark.parametrize("target", [*VERSIONS, "new"])
def test_current_to_matches_the_general_rules(target: str) -> None:
    for state in STATES:
        versions = {vid: FakeVersion(vid, set(held)) for vid, held in state.items()}
        expected = {vid: set(held) for vid, held in state.items() if held}
        labels.attach_in_place(expected, target, [CURRENT])

        changes, count = labels.current_to(versions, target)

        after = {vid: v.stages for vid, v in versions.items()}
        assert after == state, "current_to changed the versions it read"
        after = {vid: set(held) for vid, held in state.items()}
        after.update(changes)
        assert {vid: held for vid, held in after.items() if held} == {
            vid: held for vid, held in expected.items() if held
        }, (state, target)
        assert count == labels.label_count(expected), (state, target)
        for vid, held in changes.items():  # fresh sets: the versions take them over
            assert vid not in versions or held is not versions[vid].stages
