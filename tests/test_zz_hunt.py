import json
from typing import Any
from hypothesis import HealthCheck, given, settings, strategies as st
from mocksm import _wire, mock_secretsmanager
from test_fuzz_all_operations import (ALL_OPERATIONS, build_world, shape_strategy, to_wire,
                                      state_snapshot, check_answer)

@settings(max_examples=1500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_seq(data: Any) -> None:
    with mock_secretsmanager() as handle:
        world = build_world(handle)
        for step in range(data.draw(st.integers(2, 8))):
            service, operation = data.draw(st.sampled_from(ALL_OPERATIONS))
            if data.draw(st.integers(0, 9)) == 0:
                handle.clock.advance(days=data.draw(st.sampled_from([1, 8, 31])))
                handle.run_due_rotations()
                for region in ("us-east-1", "us-west-2", "eu-west-1"):
                    handle.secrets(region)
                    handle.kms.list_keys(region=region)
            shape = _wire.service_model(service).operation_model(operation).input_shape
            body = data.draw(shape_strategy(world, shape), label=f"{operation}")
            before = state_snapshot(handle)
            r = handle.raw_request(f"{_wire.TARGET_PREFIXES[service]}.{operation}", to_wire(body))
            check_answer(handle, world, r.status, json.loads(r.body), before, operation)
            # whole-mock reads never break afterwards
            for op in ("ListSecrets", "BatchGetSecretValue"):
                r = handle.raw_request(f"secretsmanager.{op}", {"Filters": [{"Key": "all", "Values": ["fz"]}]} if op == "BatchGetSecretValue" else {"IncludePlannedDeletion": True})
                assert r.status == 200, (op, r.body)
            for region in ("us-east-1", "us-west-2", "eu-west-1"):
                for s in handle.secrets(region):
                    r = handle.raw_request("secretsmanager.DescribeSecret", {"SecretId": s.arn}, region=region)
                    assert r.status == 200, r.body
                    if s.deletion_date is None:
                        r = handle.raw_request("secretsmanager.ListSecretVersionIds", {"SecretId": s.arn, "IncludeDeprecated": True}, region=region)
                        assert r.status == 200, r.body
            r = handle.raw_request("TrentService.ListAliases", {})
            assert r.status == 200
