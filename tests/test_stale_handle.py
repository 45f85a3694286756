"""A handle kept after its mock stopped: its state was wiped at stop, so reading it would
answer "no secrets" and writing to it would change nothing any client sees; a client it
made would talk to real AWS. Each of those refuses with MockNotStartedError instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from mocksm import MockNotStartedError, mock_secretsmanager

STALE = (
    "this handle's mock_secretsmanager has stopped and its state was wiped; "
    "use the handle of an active mock"
)


@pytest.mark.parametrize(
    "use",
    [
        lambda h: h.secrets(),
        lambda h: h.secret("kept"),
        lambda h: h.raw_request("secretsmanager.ListSecrets", {}),
        lambda h: h.reset(),
        lambda h: h.client(),
        lambda h: h.clock,
        lambda h: h.kms,
        lambda h: h.rotation_log("kept"),
        lambda h: h.run_due_rotations(),
        lambda h: h.register_rotation_function("fn", lambda event, context: None),
        lambda h: h.create_managed_secret("rds", "rds!x", SecretString="v"),
    ],
)
def test_a_stopped_mocks_handle_refuses_to_be_used(use: Callable[[Any], Any]) -> None:
    with mock_secretsmanager() as handle:
        boto3.client("secretsmanager", region_name="us-east-1").create_secret(
            Name="kept", SecretString="v"
        )
    with pytest.raises(MockNotStartedError) as caught:
        use(handle)
    assert str(caught.value) == STALE


def test_a_stopped_handle_still_tells_what_it_was() -> None:
    with mock_secretsmanager(account_id="111122223333", region="eu-west-1") as handle:
        pass
    assert (handle.account_id, handle.region, handle.last_internal_error) == (
        "111122223333", "eu-west-1", None
    )
    assert repr(handle) == "<MockHandle account=111122223333 stopped>"


def test_nested_activations_share_one_live_handle() -> None:
    with mock_secretsmanager() as outer:
        with mock_secretsmanager() as inner:
            assert inner is outer
        assert outer.secrets() == []
