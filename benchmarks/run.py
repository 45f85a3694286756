"""Run the benchmarks and print a table of medians and ratios.

    python -m benchmarks            # full run (10,000 secrets at scale; minutes with moto)
    python -m benchmarks --quick    # smaller counts, well under a minute
    python -m benchmarks --only percall,pertest --json results.json

Figures, for each contender that they apply to (see ``contenders.py``):

* import: extra time ``import <contender>`` takes on top of ``import boto3``, in fresh
  subprocesses;
* per test: enter the mock, create a client, make one CreateSecret call, exit;
* per call: median latency of each operation against a small store;
* scale: 10,000 secrets created, listed, filtered; lookups with 10,000 stored against 10;
  100 versions of one secret; memory for 10,000 secrets of 4 KiB each (tracemalloc, and
  RSS growth in a fresh process, which also sees native allocations).

Times are medians of CPU time of the benchmarking thread unless ``--clock wall``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

NOT_IMPLEMENTED = "not implemented"
ROOT = Path(__file__).resolve().parent.parent

_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-AbCdEf"
_VID = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
_WHEN = _dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=_dt.timezone.utc)


def _entry(name: str) -> dict[str, Any]:
    return {
        "ARN": _ARN, "Name": name, "Description": "a description",
        "LastChangedDate": _WHEN, "Tags": [{"Key": "team", "Value": "bench"}],
        "SecretVersionsToStages": {_VID: ["AWSCURRENT"]}, "CreatedDate": _WHEN,
    }


# Canned outputs for the two floors: what a real service would answer.
CANNED: dict[str, dict[str, Any]] = {
    "CreateSecret": {"ARN": _ARN, "Name": "bench", "VersionId": _VID},
    "GetSecretValue": {
        "ARN": _ARN, "Name": "bench", "VersionId": _VID, "SecretString": "x" * 64,
        "VersionStages": ["AWSCURRENT"], "CreatedDate": _WHEN,
    },
    "PutSecretValue": {"ARN": _ARN, "Name": "bench", "VersionId": _VID,
                       "VersionStages": ["AWSCURRENT"]},
    "UpdateSecret": {"ARN": _ARN, "Name": "bench"},
    "DescribeSecret": {
        "ARN": _ARN, "Name": "bench", "Description": "a description",
        "LastChangedDate": _WHEN, "LastAccessedDate": _WHEN,
        "Tags": [{"Key": "team", "Value": "bench"}],
        "VersionIdsToStages": {_VID: ["AWSCURRENT"]}, "CreatedDate": _WHEN,
    },
    "ListSecrets": {"SecretList": [_entry(f"list-{i:03d}") for i in range(100)]},
    "TagResource": {},
}


@dataclass
class PerCall:
    """One operation measured per call: state to set up, then the calls."""

    operation: str
    setup: Callable[[Any, int], None]
    call: Callable[[Any, int], None]  # (client, i) -> one call
    count_scale: float = 1.0  # ListSecrets is slower: fewer calls


def _nothing(client: Any, n: int) -> None:
    pass


def _create(client: Any, name: str, **extra: Any) -> None:
    client.create_secret(Name=name, SecretString="x" * 64, **extra)


PUTS_PER_SECRET = 5  # a handful of versions per secret, as in a typical test


def _setup_put(client: Any, n: int) -> None:
    for k in range(n // PUTS_PER_SECRET + 1):
        _create(client, f"put-{k}")


def _setup_list(client: Any, n: int) -> None:
    for k in range(100):
        _create(client, f"list-{k:03d}", Description="a description",
                Tags=[{"Key": "team", "Value": "bench"}])


PER_CALL: list[PerCall] = [
    PerCall("CreateSecret", _nothing,
            lambda c, i: c.create_secret(Name=f"create-{i}", SecretString="x" * 64)),
    PerCall("GetSecretValue", lambda c, n: _create(c, "get"),
            lambda c, i: c.get_secret_value(SecretId="get")),
    PerCall("PutSecretValue", _setup_put,
            lambda c, i: c.put_secret_value(SecretId=f"put-{i // PUTS_PER_SECRET}",
                                            SecretString=f"value-{i}")),
    PerCall("UpdateSecret", lambda c, n: _create(c, "upd"),
            lambda c, i: c.update_secret(SecretId="upd", Description=f"d{i}")),
    PerCall("DescribeSecret",
            lambda c, n: _create(c, "desc", Description="a description",
                                 Tags=[{"Key": "team", "Value": "bench"}]),
            lambda c, i: c.describe_secret(SecretId="desc")),
    PerCall("ListSecrets", _setup_list,
            lambda c, i: c.list_secrets(MaxResults=100), count_scale=0.2),
    PerCall("TagResource", lambda c, n: _create(c, "tag"),
            lambda c, i: c.tag_resource(SecretId="tag", Tags=[{"Key": "k", "Value": f"v{i}"}])),
]


@dataclass
class Result:
    figure: str
    unit: str  # "s" (seconds) or "B" (bytes)
    values: dict[str, float | str] = field(default_factory=dict)
    target: str = ""
    # mocksm / stubber, when measured in pairs: the median over rounds of the ratio of
    # the two medians in each round (the machine's drift between rounds cancels out).
    paired_ratio: float | None = None


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


CLOCKS: dict[str, Callable[[], float]] = {
    "cpu": time.thread_time,  # CPU time of this thread: steady on a busy, shared machine
    "wall": time.perf_counter,
}
clock = CLOCKS["cpu"]


def _timed(fn: Callable[[int], Any], count: int, warmup: int) -> list[float]:
    for i in range(warmup):  # warm-up calls use indices past the measured ones
        fn(count + i)
    samples = []
    now = clock
    gc.collect()
    for i in range(count):
        start = now()
        fn(i)
        samples.append(now() - start)
    return samples


# -- figures ---------------------------------------------------------------------------

def bench_import(contenders: list[Any], repeats: int) -> list[Result]:
    result = Result("import on top of boto3", "s", target="mocksm ≤ +30 ms")
    for contender in contenders:
        if not contender.import_statement:
            result.values[contender.name] = 0.0
            continue
        timer = "process_time" if clock is time.thread_time else "perf_counter"
        code = (
            f"import time\nnow = time.{timer}\n"
            "import boto3\nt1 = now()\n"
            f"{contender.import_statement}\n"
            "print(now() - t1)\n"
        )
        # As an installed package imports: from cached bytecode (pip compiles it; an
        # editable checkout writes it on first import unless PYTHONDONTWRITEBYTECODE is
        # set, as on some CI machines), so the first, untimed run writes the cache.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        samples = []
        for _ in range(repeats + 1):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True, cwd=ROOT, env=env)
            samples.append(float(out.stdout.strip()))
        result.values[contender.name] = _median(samples[1:])
    return [result]


def bench_per_test(contenders: list[Any], repeats: int, rounds: int) -> list[Result]:
    """``repeats`` tests per contender, in ``rounds`` rounds with the contenders taking
    turns, as for the per-call figures (``Result.paired_ratio``)."""
    result = Result("enter + client + 1 call + exit, per test", "s",
                    target="mocksm ≤ 1.3x stubber")
    canned = CANNED["CreateSecret"]
    samples: dict[str, list[float]] = {c.name: [] for c in contenders}
    ratios: list[float] = []
    for _ in range(rounds):
        medians = {}
        for contender in contenders:
            taken = _timed(partial(_one_test, contender, canned), repeats // rounds, warmup=3)
            samples[contender.name] += taken
            medians[contender.name] = _median(taken)
        if "mocksm" in medians and medians.get("stubber"):
            ratios.append(medians["mocksm"] / medians["stubber"])
    for name, taken in samples.items():
        result.values[name] = _median(taken)
    if ratios:
        result.paired_ratio = _median(ratios)
    return [result]


def _one_test(contender: Any, canned: dict[str, Any], i: int) -> None:
    """The per-test scenario, shaped for ``_timed`` (which passes a call index, unused)."""
    contender.one_test(canned)


def bench_per_call(
    contenders: list[Any], count: int, rounds: int, only: set[str] | None = None
) -> list[Result]:
    """Each operation in ``rounds`` rounds, contenders taking turns within a round, so
    a machine that gets busier or quieter affects every contender alike; mocksm's ratio to
    the Stubber is taken round by round (``Result.paired_ratio``)."""
    results = []
    for spec in PER_CALL:
        if only and spec.operation not in only:
            continue
        n = max(20, int(count * spec.count_scale)) // rounds
        warmup = max(5, n // 10)
        target = ("mocksm <= 1.5x stubber"
                  if spec.operation in ("GetSecretValue", "PutSecretValue", "DescribeSecret")
                  else "")
        result = Result(f"{spec.operation} per call", "s", target=target)
        samples: dict[str, list[float]] = {c.name: [] for c in contenders}
        ratios: list[float] = []
        for _ in range(rounds):
            medians: dict[str, float] = {}
            for contender in contenders:
                if contender.name in result.values:  # not implemented, or failed
                    continue
                if not contender.implements(spec.operation):
                    result.values[contender.name] = NOT_IMPLEMENTED
                    continue
                try:
                    taken = _per_call_round(contender, spec, n, warmup)
                except Exception as exc:  # a contender failing an operation is a result too
                    result.values[contender.name] = f"error: {type(exc).__name__}"
                    continue
                samples[contender.name] += taken
                medians[contender.name] = _median(taken)
            if "mocksm" in medians and medians.get("stubber"):
                ratios.append(medians["mocksm"] / medians["stubber"])
        for name, taken in samples.items():
            if name not in result.values and taken:
                result.values[name] = _median(taken)
        if ratios and isinstance(result.values.get("mocksm"), float):
            result.paired_ratio = _median(ratios)
        results.append(result)
    return results


def _per_call_round(contender: Any, spec: PerCall, n: int, warmup: int) -> list[float]:
    if contender.stateful:
        with contender.active() as client:
            spec.setup(client, n + warmup)
            return _timed(lambda i: spec.call(client, i), n, warmup)
    canned = CANNED[spec.operation]
    with contender.canned(spec.operation, canned, n + warmup) as client:
        return _timed(lambda i: spec.call(client, i), n, warmup)


def _fill(client: Any, count: int, prefix: str = "scale", value: str = "x" * 64) -> None:
    for i in range(count):
        client.create_secret(Name=f"{prefix}-{i:05d}", SecretString=value)


def _list_all(client: Any, **kwargs: Any) -> int:
    seen = 0
    token = None
    while True:
        page = client.list_secrets(MaxResults=100, **({"NextToken": token} if token else {}),
                                   **kwargs)
        seen += len(page["SecretList"])
        token = page.get("NextToken")
        if not token:
            return seen


# One timed call each for bench_scale, as (client, i), bound with partial: a lambda bound to
# the loop's client through a default argument is what ruff wants but mypy cannot type.
def _get_lookup(client: Any, i: int) -> None:
    client.get_secret_value(SecretId="lookup")


def _create_more(client: Any, i: int) -> None:
    client.create_secret(Name=f"more-{i}", SecretString="x")


def _get_previous(client: Any, i: int) -> None:
    client.get_secret_value(SecretId="versions", VersionStage="AWSPREVIOUS")


def _get_with_ten(contender: Any, calls: int) -> list[float]:
    """GetSecretValue timings with 10 secrets stored."""
    with contender.active() as client:
        _fill(client, 10)
        client.create_secret(Name="lookup", SecretString="x" * 64)
        return _timed(partial(_get_lookup, client), calls, 20)


def bench_scale(contenders: list[Any], size: int, calls: int) -> list[Result]:
    label = f"{size:,}"
    created = Result(f"create {label} secrets (total)", "s")
    create_full = Result(f"CreateSecret per call, {label} stored", "s")
    # The issue sets this target at 10,000 secrets; moto's cost per page grows with the
    # store, so a --quick run (1,000) shows a smaller ratio.
    paginate = Result(f"paginate all {label} secrets (total)", "s",
                      target="mocksm ≥ 10x faster than moto" + ("" if size >= 10_000
                                                                else " (at 10,000)"))
    filtered = Result(f"filter {label} secrets by name prefix (total)", "s")
    get_big = Result(f"GetSecretValue per call, {label} stored", "s",
                     target="≤ 1.2x the 10-stored figure")
    get_small = Result("GetSecretValue per call, 10 stored", "s")
    versions = Result("PutSecretValue x99 (100 versions of one secret, total)", "s")
    get_versions = Result("GetSecretValue AWSPREVIOUS per call, 100 versions", "s")
    rows = [created, create_full, paginate, filtered, get_big, get_small, versions, get_versions]
    for contender in contenders:
        if not contender.stateful:
            continue
        name = contender.name
        # The 10-stored calls: half before the big store, half after, so the machine's
        # drift in between weighs on both figures alike.
        small = _get_with_ten(contender, calls // 2)
        with contender.active() as client:
            start = clock()
            _fill(client, size)
            created.values[name] = clock() - start
            create_full.values[name] = _median(_timed(partial(_create_more, client), calls, 5))
            client.create_secret(Name="lookup", SecretString="x" * 64)
            get_big.values[name] = _median(
                _timed(partial(_get_lookup, client), calls, 20))
            if contender.implements("ListSecrets"):
                start = clock()
                listed = _list_all(client)
                paginate.values[name] = clock() - start
                assert listed >= size, (name, listed)
                start = clock()
                _list_all(client, Filters=[{"Key": "name", "Values": ["scale-0000"]}])
                filtered.values[name] = clock() - start
            else:
                paginate.values[name] = filtered.values[name] = NOT_IMPLEMENTED
        get_small.values[name] = _median(small + _get_with_ten(contender, calls - calls // 2))
        with contender.active() as client:
            client.create_secret(Name="versions", SecretString="v0")
            start = clock()
            for i in range(1, 100):
                client.put_secret_value(SecretId="versions", SecretString=f"v{i}")
            versions.values[name] = clock() - start
            get_versions.values[name] = _median(_timed(partial(_get_previous, client), calls, 5))
    return rows


def _rss_growth(name: str, size: int) -> int | None:
    """RSS growth for ``size`` secrets, measured in a fresh process (``benchmarks/rss.py``);
    None where /proc is not available."""
    if not os.path.exists("/proc/self/statm"):
        return None
    out = subprocess.run([sys.executable, "-m", "benchmarks.rss", name, str(size)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.strip().splitlines()[-1])


def bench_memory(contenders: list[Any], size: int) -> list[Result]:
    value_size = 4096
    payload = size * value_size
    peak = Result(f"peak memory, {size:,} secrets of 4 KiB (payload {payload / 2**20:.1f} MiB)",
                  "B", target="mocksm <= 1.5x payload")
    held = Result(f"memory held after, {size:,} secrets of 4 KiB", "B")
    grown = Result(f"RSS growth, {size:,} secrets of 4 KiB (fresh process, native incl.)", "B")
    for contender in contenders:
        if not contender.stateful:
            continue
        with contender.active() as client:
            client.create_secret(Name="warm", SecretString="w")  # load models, caches
            client.get_secret_value(SecretId="warm")
            gc.collect()
            tracemalloc.start()
            for i in range(size):
                client.create_secret(Name=f"mem-{i:05d}",
                                     SecretString=f"{i:08d}" + "x" * (value_size - 8))
            gc.collect()
            current, top = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        peak.values[contender.name] = top
        held.values[contender.name] = current
        growth = _rss_growth(contender.name, size)
        if growth is not None:
            grown.values[contender.name] = growth
    peak.values["payload"] = held.values["payload"] = grown.values["payload"] = payload
    return [peak, held, grown]


# -- output ----------------------------------------------------------------------------

def _fmt(value: float | str | None, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "B":
        return f"{value / 2**20:.1f} MiB"
    if value == 0:
        return "0"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def _ratio(a: float | str | None, b: float | str | None) -> str:
    if not isinstance(a, float | int) or not isinstance(b, float | int) or not b:
        return "—"
    return f"{a / b:.2f}x"


def render(results: list[Result], names: list[str]) -> str:
    header = ["figure", *names, "mocksm/stubber", "moto/mocksm", "target"]
    rows = [header]
    for r in results:
        base = r.values.get("stubber")
        if r.unit == "B":
            base = r.values.get("payload")
        if r.figure.startswith("import"):
            base = None
        cells = [r.figure, *(_fmt(r.values.get(n), r.unit) for n in names)]
        paired = f"{r.paired_ratio:.2f}x" if r.paired_ratio is not None else None
        cells.append(paired or _ratio(r.values.get("mocksm"), base))
        cells.append(_ratio(r.values.get("moto"), r.values.get("mocksm")))
        cells.append(r.target)
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for k, row in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if k == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import boto3
    import botocore

    parts = [f"{cpu}, {os.cpu_count()} CPUs", f"{platform.system()} {platform.release()}",
             f"Python {platform.python_version()}", f"boto3 {boto3.__version__}",
             f"botocore {botocore.__version__}"]
    return "; ".join(parts)


def _isolate_env() -> None:
    """Fake credentials, no profile or config files: nothing reaches real AWS."""
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER"):
        os.environ.pop(key, None)
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "bench-access-key", "AWS_SECRET_ACCESS_KEY": "bench-secret-key",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true",
    })


SECTIONS = ("import", "pertest", "percall", "scale", "memory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small counts (under a minute)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections of {', '.join(SECTIONS)}")
    parser.add_argument("--without", default="", help="contenders to skip, e.g. moto")
    parser.add_argument("--ops", default="", help="per-call operations to run (default: all)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: CPU time of the benchmark thread (default; robust when "
                        "other work shares the machine); wall: elapsed time")
    args = parser.parse_args(argv)
    sections = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = sections - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {sorted(unknown)}")

    _isolate_env()
    from benchmarks.contenders import ALL

    skip = {s.strip() for s in args.without.split(",") if s.strip()}
    contenders = []
    notes = []
    for contender in ALL:
        if contender.name in skip:
            notes.append(f"{contender.name}: skipped (--without)")
        elif contender.available():
            contenders.append(contender)
            if contender.note:
                notes.append(contender.note)
        else:
            notes.append(contender.note)
    names = [c.name for c in ALL]

    global clock
    clock = CLOCKS[args.clock]
    quick = args.quick
    size = 1_000 if quick else 10_000
    results: list[Result] = []
    started = time.perf_counter()
    if "import" in sections:
        results += bench_import(contenders, 3 if quick else 11)
    if "pertest" in sections:
        results += bench_per_test(contenders, 20 if quick else 100, 4 if quick else 10)
    if "percall" in sections:
        ops = {o.strip() for o in args.ops.split(",") if o.strip()} or None
        results += bench_per_call(contenders, 200 if quick else 2000, 4 if quick else 10, ops)
    if "scale" in sections:
        results += bench_scale(contenders, size, 100 if quick else 500)
    if "memory" in sections:
        results += bench_memory(contenders, size)

    print(f"mocksm benchmarks, {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
          f"{' (--quick)' if quick else ''}")
    print(f"machine: {machine()}")
    print(f"clock: {args.clock} time")
    for note in notes:
        print(f"note: {note}")
    print()
    print(render(results, [*names, *(["payload"] if "memory" in sections else [])]))
    print(f"\n(medians; {time.perf_counter() - started:.0f} s in all)")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in results], indent=1))
    return 0
