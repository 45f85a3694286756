"""Sorted views of a store for ListSecrets and BatchGetSecretValue, with cursors.

A listing is walked from a cursor, the (sort key, creation seq) of the last secret a
page returned, never from an offset: secrets created or deleted between two pages
neither shift nor repeat the ones that existed throughout.

Each store keeps one sorted index per SortBy, built on first use and reused while the
store holds the same secrets (and, for the mutable sort keys, while every key is
unchanged). Paging through N secrets therefore costs about N filter checks in total,
not N per page. Filters and the deletion state are checked live on every walk, so an
index never serves stale membership.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from mocksm.secretsmanager import pagination
from mocksm.secretsmanager.secret import Secret
from mocksm.secretsmanager.store import SecretStore

_RAW: dict[str, Callable[[Secret], Any]] = {
    "created-date": attrgetter("created"),
    "last-accessed-date": attrgetter("last_accessed"),
    "last-changed-date": attrgetter("last_changed"),
    "name": attrgetter("name"),
}
# Keys that never change for a secret's lifetime: their index is valid while the set
# of secrets is. The others are re-checked (cheaply, in C) before each use.
_IMMUTABLE = frozenset({"created-date", "name"})

Cursor = tuple[Any, int]


def sort_key(raw: Any) -> Any:
    """The comparable key: a missing last-accessed date sorts as 0."""
    return 0.0 if raw is None else raw


@dataclass
class _Index:
    fingerprint: tuple[int, Secret | None]
    raw: list[Any]  # attribute values at build time, aligned with ``secrets``
    keys: list[Cursor]  # ascending (sort key, seq)
    secrets: list[Secret]


# Kept on the store itself, so an index lives and dies with its store (handle.reset()).
_ATTRIBUTE = "_catalogue_indexes"


def _fingerprint(store: SecretStore) -> tuple[int, Secret | None]:
    """Identifies the set of secrets in ``store`` in O(1): its size and newest entry.

    ``by_arn`` grows only by appending, and an index keeps every secret it holds alive,
    so a secret added since the index was built is a new object at the end of the dict
    (even if it reuses an ARN, as a re-created replica does). Any net change therefore
    alters the size or the identity of the newest entry. ``Secret`` compares by identity.
    """
    by_arn = store.by_arn
    return len(by_arn), next(reversed(by_arn.values()), None)


def index(store: SecretStore, sort_by: str) -> _Index:
    per_store: dict[str, _Index] | None = getattr(store, _ATTRIBUTE, None)
    if per_store is None:
        per_store = {}
        setattr(store, _ATTRIBUTE, per_store)
    getter = _RAW[sort_by]
    fingerprint = _fingerprint(store)
    current = per_store.get(sort_by)
    if current is not None and current.fingerprint == fingerprint and (
        sort_by in _IMMUTABLE or list(map(getter, current.secrets)) == current.raw
    ):
        return current
    entries = sorted(
        (((sort_key(getter(s)), s.seq), s) for s in store.by_arn.values()),
        key=lambda entry: entry[0],
    )
    secrets = [s for _, s in entries]
    built = _Index(
        fingerprint=fingerprint,
        raw=list(map(getter, secrets)),
        keys=[k for k, _ in entries],
        secrets=secrets,
    )
    per_store[sort_by] = built
    return built


def walk(
    store: SecretStore, sort_by: str, descending: bool, after: Cursor | None
) -> Iterator[tuple[Cursor, Secret]]:
    """Secrets strictly after ``after`` in the requested order, with their cursors."""
    idx = index(store, sort_by)
    keys, secrets = idx.keys, idx.secrets
    if not descending:
        start = 0 if after is None else bisect_right(keys, after)
        for i in range(start, len(keys)):
            yield keys[i], secrets[i]
    else:
        stop = len(keys) if after is None else bisect_left(keys, after)
        for i in range(stop - 1, -1, -1):
            yield keys[i], secrets[i]


def encode_cursor(cursor: Cursor) -> list[Any]:
    return [cursor[0], cursor[1]]


def decode_cursor(position: Any, sort_by: str) -> Cursor:
    """A cursor read back from a NextToken; InvalidNextTokenException if malformed."""
    if not isinstance(position, list) or len(position) != 2:
        raise pagination.invalid_token()
    key, seq = position
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise pagination.invalid_token()
    if sort_by == "name":
        if not isinstance(key, str):
            raise pagination.invalid_token()
        return key, seq
    if isinstance(key, bool) or not isinstance(key, (int, float)) or not math.isfinite(key):
        raise pagination.invalid_token()
    return float(key), seq
