"""What envelope encryption costs per call: GetSecretValue and PutSecretValue through
boto3 with the embedded KMS vault, and with a pass-through vault that stores values
unencrypted (for this measurement only), plus the raw seal/unseal cost.

    python benchmarks/kms_overhead.py [--size 4096] [--calls 2000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from mocksm import mock_secretsmanager
from mocksm.secretsmanager.values import SealedValue, SecretValue


class PlainVault:
    """Stores values as they are: the baseline without encryption (never used by mocksm)."""

    def seal(self, value: SecretValue, key_ref: str) -> SealedValue:
        data = value if isinstance(value, bytes) else value.encode()
        return SealedValue(isinstance(value, bytes), key_ref, b"", b"", data)

    def unseal(self, sealed: SealedValue, current_key_ref: str | None = None) -> SecretValue:
        return sealed.ciphertext if sealed.is_binary else sealed.ciphertext.decode()


def per_call_us(fn: Callable[[], Any], calls: int, rounds: int = 5) -> float:
    """Best over rounds of the mean CPU time per call, in microseconds (CPU time, so
    other processes on a busy machine do not count)."""
    for _ in range(min(200, calls)):
        fn()
    results = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            fn()
        results.append((time.process_time() - start) / calls * 1e6)
    return min(results)


def measure(size: int, calls: int, rounds: int = 15) -> dict[str, float]:
    """Both configurations side by side in one mock, rounds interleaved so machine noise
    hits both alike: us-east-1 uses the KMS vault, us-west-2 the pass-through vault."""
    value = "x" * size
    # count_only retention: thousands of puts within one (mock) day must not hit the quota
    with mock_secretsmanager(version_retention="count_only") as handle:
        handle._state.backend(handle.account_id, "us-west-2").vault = PlainVault()
        clients = {
            "encrypted": handle.client("secretsmanager", region="us-east-1"),
            "plain": handle.client("secretsmanager", region="us-west-2"),
        }
        for sm in clients.values():
            sm.create_secret(Name="bench", SecretString=value)
        best: dict[str, float] = {}
        for _ in range(rounds):
            for kind, sm in clients.items():
                get = per_call_us(partial(sm.get_secret_value, SecretId="bench"), calls, 1)
                put = per_call_us(partial(sm.put_secret_value, SecretId="bench", SecretString=value),
                                  calls, 1)
                best[f"get_{kind}"] = min(best.get(f"get_{kind}", get), get)
                best[f"put_{kind}"] = min(best.get(f"put_{kind}", put), put)
    return best


def raw_seal_unseal_us(size: int, calls: int) -> tuple[float, float]:
    with mock_secretsmanager() as handle:
        vault = handle._state.backend(handle.account_id, handle.region).vault
        value = "x" * size
        sealed = vault.seal(value, "alias/aws/secretsmanager")
        seal = per_call_us(lambda: vault.seal(value, "alias/aws/secretsmanager"), calls)
        unseal = per_call_us(lambda: vault.unseal(sealed), calls)
    return seal, unseal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=4096)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    seal, unseal = raw_seal_unseal_us(args.size, args.calls * 10)
    best = measure(args.size, args.calls)
    print(f"value size: {args.size} bytes (best of interleaved rounds)")
    print(f"vault.seal   (data key + 2x AES-256-GCM): {seal:8.1f} us")
    print(f"vault.unseal (unwrap + AES-256-GCM):       {unseal:8.1f} us")
    for op, name in (("get", "GetSecretValue"), ("put", "PutSecretValue")):
        enc, plain = best[f"{op}_encrypted"], best[f"{op}_plain"]
        print(f"{name}  encrypted {enc:8.1f} us   plain {plain:8.1f} us   "
              f"overhead {enc - plain:+6.1f} us ({(enc / plain - 1) * 100:+.1f}%)")


if __name__ == "__main__":
    main()
