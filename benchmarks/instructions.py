"""Instructions per call, counted by valgrind: a figure that does not drift with a busy
machine, for A/B comparisons of the per-call path (timings on a shared 2-core machine
move by 10% between runs; these move by about 0.1%).

    python -m benchmarks.instructions [--ops get,describe,put] [--calls 200]

For each operation it runs one small script under ``valgrind --tool=callgrind`` twice,
with 0 and with ``--calls`` calls after the same set-up, and prints the difference per
call, for mocksm and for botocore's Stubber (canned answers, the floor). The hash seed is
fixed, so set and dict layouts (and with them the counts) repeat, and the garbage
collector is off while the calls run, so that a collection falling in one run and not
the other does not land in the difference. Needs valgrind on PATH; each operation takes
a minute or so.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

# The calls each operation makes; "{i}" is the call's index.
CALLS = {
    "get": 'client.get_secret_value(SecretId="get")',
    "describe": 'client.describe_secret(SecretId="desc")',
    "put": 'client.put_secret_value(SecretId=f"put-{i // 5}", SecretString=f"value-{i}")',
}
OPERATIONS = {"get": "get_secret_value", "describe": "describe_secret", "put": "put_secret_value"}
CANNED_NAMES = {"get": "GetSecretValue", "describe": "DescribeSecret", "put": "PutSecretValue"}
WARMUP = 50
STOCK = 300  # Stubber answers queued up front, whatever the count, so they cancel out

_SETUP = """
client.create_secret(Name="get", SecretString="x" * 64)
client.create_secret(Name="desc", SecretString="x" * 64, Description="a description",
                     Tags=[{"Key": "team", "Value": "bench"}])
for k in range(STOCK // 5 + 1):
    client.create_secret(Name=f"put-{k}", SecretString="x" * 64)
"""

_MOCKSM = """
import gc
import boto3
from mocksm import mock_secretsmanager
with mock_secretsmanager():
    client = boto3.client("secretsmanager", region_name="us-east-1")
{setup}
    for i in range(WARMUP):
        {call}
    gc.collect()
    gc.disable()
    for i in range(WARMUP, WARMUP + COUNT):
        {call}
"""

_STUBBER = """
import gc
import boto3
from botocore.stub import Stubber
from benchmarks.run import CANNED
client = boto3.client("secretsmanager", region_name="us-east-1")
with Stubber(client) as stubber:
    for _ in range(WARMUP + STOCK):
        stubber.add_response("{method}", CANNED["{canned}"])
    for i in range(WARMUP):
        {call}
    gc.collect()
    gc.disable()
    for i in range(WARMUP, WARMUP + COUNT):
        {call}
"""


def script(contender: str, op: str, count: int) -> str:
    head = f"WARMUP, STOCK, COUNT = {WARMUP}, {STOCK}, {count}\n"
    if contender == "mocksm":
        setup = "\n".join("    " + line for line in _SETUP.strip().splitlines())
        return head + _MOCKSM.format(setup=setup, call=CALLS[op])
    return head + _STUBBER.format(method=OPERATIONS[op], canned=CANNED_NAMES[op], call=CALLS[op])


def instructions(source: str) -> int:
    """Instructions callgrind counts for running ``source`` in a fresh interpreter."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", source],
        capture_output=True, text=True, env=env, check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError("valgrind printed no instruction count:\n" + done.stderr[-2000:])
    return int(found.group(1))


def per_call(op: str, calls: int) -> dict[str, int]:
    """mocksm's and the Stubber's instructions per call of ``op`` (the four runs in
    parallel, one per CPU)."""
    runs = [(contender, count) for contender in ("mocksm", "stubber") for count in (0, calls)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counted = dict(zip(runs, pool.map(lambda run: instructions(script(run[0], op, run[1])), runs),
                           strict=True))
    return {contender: (counted[contender, calls] - counted[contender, 0]) // calls
            for contender in ("mocksm", "stubber")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", default="get,describe,put", help="comma-separated: get, describe, put")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing to count", file=sys.stderr)
        return 1
    print("| operation | mocksm | Stubber | ratio |\n|---|---|---|---|")
    for op in args.ops.split(","):
        counts = per_call(op, args.calls)
        mine, floor = counts["mocksm"], counts["stubber"]
        print(f"| {op} | {mine:,} | {floor:,} | {mine / floor:.2f}x |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
