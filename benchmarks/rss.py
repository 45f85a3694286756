"""Resident memory a contender grows by while ``size`` secrets of 4 KiB are created, in
a fresh process without tracemalloc (which misses native allocations such as OpenSSL's,
and whose own bookkeeping would inflate RSS). Used by ``run.py``:

    python -m benchmarks.rss mocksm 10000
"""

from __future__ import annotations

import gc
import os
import sys


def rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main(name: str, size: int) -> int:
    from benchmarks.contenders import ALL
    from benchmarks.run import _isolate_env

    _isolate_env()
    contender = next(c for c in ALL if c.name == name)
    with contender.active() as client:
        client.create_secret(Name="warm", SecretString="w")
        client.get_secret_value(SecretId="warm")
        gc.collect()
        before = rss()
        for i in range(size):
            client.create_secret(Name=f"mem-{i:05d}", SecretString=f"{i:08d}" + "x" * 4088)
        gc.collect()
        print(rss() - before)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], int(sys.argv[2])))
