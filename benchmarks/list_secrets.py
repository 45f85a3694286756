"""ListSecrets cost: paging through 10,000 secrets, and one call over 100 secrets.

Run: python benchmarks/list_secrets.py [N] [--moto]. Prints wall-clock times; paging all of N
secrets should grow about linearly with N (a sorted index, cursors, no re-sort per page).
"""

from __future__ import annotations

import sys
import time
from typing import Any

import boto3

from mocksm import _wire, mock_secretsmanager

_served = [0.0]
_run = _wire.run


def _timed_run(*args: object, **kwargs: object) -> object:
    """Time spent in mocksm's handlers, without botocore's work or mocksm's plumbing."""
    started = time.perf_counter()
    try:
        return _run(*args, **kwargs)  # type: ignore[arg-type]
    finally:
        _served[0] += time.perf_counter() - started


_wire.run = _timed_run  # type: ignore[assignment]


def page_all(client: object, **kwargs: object) -> int:
    paginator = client.get_paginator("list_secrets")  # type: ignore[attr-defined]
    return sum(len(page["SecretList"]) for page in paginator.paginate(**kwargs))


def main(n: int) -> None:
    with mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        started = time.perf_counter()
        for i in range(n):
            client.create_secret(Name=f"app/service-{i:05d}", Description=f"secret number {i}")
        print(f"create {n} secrets: {time.perf_counter() - started:.2f}s")
        cases: list[tuple[str, dict[str, Any]]] = [
            ("default order", {}),
            ("name desc", {"SortBy": "name", "SortOrder": "desc"}),
            ("last-changed-date", {"SortBy": "last-changed-date"}),
            ("filter all=secret", {"Filters": [{"Key": "all", "Values": ["secret"]}]}),
        ]
        for label, kwargs in cases:
            started = time.perf_counter()
            _served[0] = 0.0
            count = page_all(client, PaginationConfig={"PageSize": 100}, **kwargs)
            took = time.perf_counter() - started
            print(f"paginate all {count} (MaxResults=100, {label}): {took:.3f}s total, "
                  f"{_served[0]:.3f}s inside mocksm")
    with mock_secretsmanager():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        for i in range(100):
            client.create_secret(Name=f"s{i}", SecretString="v")
        client.list_secrets()
        rounds = 200
        _served[0] = 0.0
        started = time.perf_counter()
        for _ in range(rounds):
            client.list_secrets()
        took = (time.perf_counter() - started) / rounds
        inside = _served[0] / rounds
        print(f"list_secrets over 100 secrets: {took * 1000:.2f} ms/call, "
              f"{inside * 1000:.2f} ms inside mocksm")


def against_moto(n: int) -> None:
    """The same paging under moto, when it is installed (``pip install '.[bench]'``)."""
    try:
        from moto import mock_aws
    except ImportError:
        print("moto not installed: skipping the comparison")
        return
    with mock_aws():
        client = boto3.client("secretsmanager", region_name="us-east-1")
        for i in range(n):
            client.create_secret(Name=f"app/service-{i:05d}", Description=f"secret number {i}")
        started = time.perf_counter()
        count = page_all(client, PaginationConfig={"PageSize": 100})
        print(f"moto: paginate all {count} (MaxResults=100): "
              f"{time.perf_counter() - started:.3f}s total")


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    main(size)
    if "--moto" in sys.argv:
        against_moto(size)
