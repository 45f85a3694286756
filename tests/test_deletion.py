"""DeleteSecret, RestoreSecret and what every operation answers on a secret scheduled
for deletion (spec 4.6, 5.10, 5.11; golden scenarios 6 and 17)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mocksm import mock_secretsmanager
from mocksm.secretsmanager.operations import table
from tests.helpers import aws_error, unchanged

MD = "You can't perform this operation on the secret because it was marked for deletion."
NF = "Secrets Manager can't find the specified secret."
BAD_WINDOW = "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive)."
FORCE_AND_WINDOW = (
    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."
)
SCHEDULED_NAME = (
    "You can't create this secret because a secret with this name is already scheduled for "
    "deletion."
)
T0 = datetime(2030, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
TOKEN = "a" * 32


@pytest.fixture
def sm(mocksm: Any) -> Any:
    mocksm.clock.freeze(T0)
    return mocksm.client()


def _describe(sm: Any, secret_id: str = "s") -> dict[str, Any]:
    out = dict(sm.describe_secret(SecretId=secret_id))
    out.pop("ResponseMetadata")
    return out


def _state(mocksm: Any) -> Any:
    return [(v.name, v.arn, v.deletion_date, v.tags, v.labels()) for v in mocksm.secrets()]


# --- DeleteSecret: scheduling ------------------------------------------------------------


def test_default_window_is_30_days(sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    out = sm.delete_secret(SecretId="s")
    assert set(out) == {"ARN", "Name", "DeletionDate", "ResponseMetadata"}
    assert out["ARN"] == arn and out["Name"] == "s"
    assert out["DeletionDate"] == T0 + timedelta(days=30)
    described = sm.describe_secret(SecretId="s")
    assert described["DeletedDate"] == T0


@pytest.mark.parametrize("days", [7, 8, 29, 30])
def test_window_bounds_accepted(sm: Any, days: int) -> None:
    sm.create_secret(Name="s", SecretString="v")
    out = sm.delete_secret(SecretId="s", RecoveryWindowInDays=days)
    assert out["DeletionDate"] == T0 + timedelta(days=days)


@pytest.mark.parametrize("days", [-1, 0, 6, 31, 365])
def test_window_out_of_bounds(sm: Any, mocksm: Any, days: int) -> None:
    sm.create_secret(Name="s", SecretString="v")
    check = unchanged(lambda: _state(mocksm))
    with aws_error("InvalidParameterException", BAD_WINDOW):
        sm.delete_secret(SecretId="s", RecoveryWindowInDays=days)
    check()
    assert "DeletedDate" not in sm.describe_secret(SecretId="s")


def test_window_checked_before_force_conflict(sm: Any) -> None:
    """Golden 17: window 0 with force gets the range message, not the conflict one."""
    sm.create_secret(Name="s", SecretString="v")
    with aws_error("InvalidParameterException", BAD_WINDOW):
        sm.delete_secret(SecretId="s", RecoveryWindowInDays=0, ForceDeleteWithoutRecovery=True)


def test_window_checked_before_lookup(sm: Any) -> None:
    with aws_error("InvalidParameterException", BAD_WINDOW):
        sm.delete_secret(SecretId="missing", RecoveryWindowInDays=3)


def test_force_with_valid_window_conflicts(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    check = unchanged(lambda: _state(mocksm))
    with aws_error("InvalidParameterException", FORCE_AND_WINDOW):
        sm.delete_secret(SecretId="s", RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True)
    with aws_error("InvalidParameterException", FORCE_AND_WINDOW):
        sm.delete_secret(SecretId="missing", RecoveryWindowInDays=7,
                         ForceDeleteWithoutRecovery=True)
    check()


def test_force_false_with_window_is_a_plain_schedule(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    out = sm.delete_secret(SecretId="s", RecoveryWindowInDays=10,
                           ForceDeleteWithoutRecovery=False)
    assert out["DeletionDate"] == T0 + timedelta(days=10)


def test_invalid_name_checked_first_even_with_force(sm: Any) -> None:
    message = ("Invalid name. Must be a valid name containing alphanumeric characters, or any "
               "of the following: -/_+=.@!")
    with aws_error("ValidationException", message):
        sm.delete_secret(SecretId="Inv Name", ForceDeleteWithoutRecovery=True)
    with aws_error("ValidationException", message):
        sm.delete_secret(SecretId="Inv Name", RecoveryWindowInDays=1)


def test_missing_secret_without_force_is_not_found(sm: Any) -> None:
    with aws_error("ResourceNotFoundException", NF):
        sm.delete_secret(SecretId="missing")


def test_already_scheduled_delete_again_is_refused(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
    check = unchanged(lambda: (_state(mocksm), _describe(sm)))
    mocksm.clock.advance(days=1)
    with aws_error("InvalidRequestException", MD):
        sm.delete_secret(SecretId="s")
    with aws_error("InvalidRequestException", MD):
        sm.delete_secret(SecretId="s", RecoveryWindowInDays=30)
    check()


def test_delete_updates_last_changed_date(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    mocksm.clock.advance(hours=1)
    sm.delete_secret(SecretId="s")
    assert sm.describe_secret(SecretId="s")["LastChangedDate"] == T0 + timedelta(hours=1)


def test_delete_by_full_and_partial_arn(sm: Any) -> None:
    arn = sm.create_secret(Name="a", SecretString="v")["ARN"]
    assert sm.delete_secret(SecretId=arn)["Name"] == "a"
    arn_b = sm.create_secret(Name="b", SecretString="v")["ARN"]
    assert sm.delete_secret(SecretId=arn_b[:-7])["ARN"] == arn_b


def test_cross_account_delete_and_restore(sm: Any, mocksm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    other = boto3.client("secretsmanager", region_name="us-east-1",
                         aws_access_key_id="111111111111", aws_secret_access_key="x")
    assert other.delete_secret(SecretId=arn)["ARN"] == arn
    assert "DeletedDate" in sm.describe_secret(SecretId="s")
    assert other.restore_secret(SecretId=arn)["ARN"] == arn
    assert "DeletedDate" not in sm.describe_secret(SecretId="s")


# --- DeleteSecret: force ------------------------------------------------------------------


def test_force_delete_removes_immediately(sm: Any, mocksm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v", Tags=[{"Key": "k", "Value": "v"}])["ARN"]
    out = sm.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True)
    assert set(out) == {"ARN", "Name", "DeletionDate", "ResponseMetadata"}
    assert (out["ARN"], out["Name"], out["DeletionDate"]) == (arn, "s", T0)
    assert mocksm.secrets() == []
    with aws_error("ResourceNotFoundException", NF):
        sm.describe_secret(SecretId="s")
    with aws_error("ResourceNotFoundException", NF):
        sm.describe_secret(SecretId=arn)
    new_arn = sm.create_secret(Name="s", SecretString="w")["ARN"]
    assert new_arn != arn
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "w"
    assert "Tags" not in sm.describe_secret(SecretId="s")


def test_force_delete_of_scheduled_secret(sm: Any, mocksm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    sm.delete_secret(SecretId="s")
    out = sm.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True)
    assert (out["ARN"], out["Name"], out["DeletionDate"]) == (arn, "s", T0)
    assert mocksm.secrets() == []


def test_force_delete_of_missing_name(sm: Any, mocksm: Any) -> None:
    """Golden 17: AWS answers success, naming what it was given."""
    out = sm.delete_secret(SecretId="never-created", ForceDeleteWithoutRecovery=True)
    assert out["Name"] == "never-created"
    assert out["DeletionDate"] == T0
    assert re.fullmatch(
        r"arn:aws:secretsmanager:us-east-1:123456789012:secret:never-created-[A-Za-z0-9]{6}",
        out["ARN"],
    )
    assert mocksm.secrets() == []


def test_force_delete_of_missing_arn(sm: Any) -> None:
    full = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbC123"
    out = sm.delete_secret(SecretId=full, ForceDeleteWithoutRecovery=True)
    assert (out["ARN"], out["Name"]) == (full, "gone")
    partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone"
    out = sm.delete_secret(SecretId=partial, ForceDeleteWithoutRecovery=True)
    assert (out["ARN"], out["Name"]) == (partial, "gone")


def test_force_delete_removes_every_version(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v1")
    sm.put_secret_value(SecretId="s", SecretString="v2")
    sm.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True)
    sm.create_secret(Name="s")
    assert "VersionIdsToStages" not in sm.describe_secret(SecretId="s")
    with aws_error("ResourceNotFoundException"):
        sm.get_secret_value(SecretId="s")


# --- Recreating a scheduled name (golden 6) and the purge ---------------------------------


def test_golden_6(sm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
    with aws_error("InvalidRequestException", SCHEDULED_NAME):
        sm.create_secret(Name="s", SecretString="other")
    described = sm.describe_secret(SecretId="s")
    assert described["DeletedDate"] == T0
    assert described["ARN"] == arn
    sm.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True)
    again = sm.create_secret(Name="s", SecretString="v")["ARN"]
    assert again != arn and again[:-6] == arn[:-6]


def test_create_with_scheduled_name_changes_nothing(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", ClientRequestToken=TOKEN)
    sm.delete_secret(SecretId="s")
    check = unchanged(lambda: (_state(mocksm), _describe(sm)))
    with aws_error("InvalidRequestException", SCHEDULED_NAME):
        sm.create_secret(Name="s", SecretString="v", ClientRequestToken=TOKEN)
    with aws_error("InvalidRequestException", SCHEDULED_NAME):
        sm.create_secret(Name="s")
    check()


def test_purge_when_clock_passes_deletion_date(sm: Any, mocksm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
    mocksm.clock.advance(days=7, seconds=-1)
    assert sm.describe_secret(SecretId="s")["ARN"] == arn
    mocksm.clock.advance(seconds=1)
    with aws_error("ResourceNotFoundException", NF):
        sm.describe_secret(SecretId="s")
    with aws_error("ResourceNotFoundException", NF):
        sm.restore_secret(SecretId=arn)


def test_purged_name_is_free_for_create(sm: Any, mocksm: Any) -> None:
    """CreateSecret is the first call after the window ends: it must see the purge."""
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
    mocksm.clock.advance(days=8)
    new_arn = sm.create_secret(Name="s", SecretString="fresh")["ARN"]
    assert new_arn != arn
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "fresh"
    assert "DeletedDate" not in sm.describe_secret(SecretId="s")
    with aws_error("ResourceNotFoundException", NF):
        sm.describe_secret(SecretId=arn)


def test_purged_secret_gone_from_handle_and_listing(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="keep", SecretString="v")
    sm.create_secret(Name="s", SecretString="v")
    sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
    assert [v.name for v in mocksm.secrets()] == ["keep", "s"]
    mocksm.clock.advance(days=30)
    assert [v.name for v in mocksm.secrets()] == ["keep"]


def test_purge_with_clock_set_and_freezegun(sm: Any, mocksm: Any) -> None:
    import freezegun

    mocksm.clock.reset()
    with freezegun.freeze_time("2031-01-01 00:00:00"):
        sm.create_secret(Name="s", SecretString="v")
        out = sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
        assert out["DeletionDate"] == datetime(2031, 1, 8, tzinfo=timezone.utc)
    with freezegun.freeze_time("2031-01-07 23:59:59"):
        assert "DeletedDate" in sm.describe_secret(SecretId="s")
    with freezegun.freeze_time("2031-01-08 00:00:00"), aws_error("ResourceNotFoundException", NF):
        sm.describe_secret(SecretId="s")


def test_only_due_secrets_are_purged(sm: Any, mocksm: Any) -> None:
    for name, days in (("a", 7), ("b", 10), ("c", 30)):
        sm.create_secret(Name=name, SecretString="v")
        sm.delete_secret(SecretId=name, RecoveryWindowInDays=days)
    mocksm.clock.advance(days=9)
    assert [v.name for v in mocksm.secrets()] == ["b", "c"]
    sm.restore_secret(SecretId="b")
    mocksm.clock.advance(days=100)
    assert [v.name for v in mocksm.secrets()] == ["b"]


# --- RestoreSecret -------------------------------------------------------------------------


def test_restore_clears_deletion(sm: Any, mocksm: Any) -> None:
    arn = sm.create_secret(Name="s", SecretString="v")["ARN"]
    sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
    mocksm.clock.advance(days=1)
    out = sm.restore_secret(SecretId="s")
    assert set(out) == {"ARN", "Name", "ResponseMetadata"}
    assert (out["ARN"], out["Name"]) == (arn, "s")
    described = sm.describe_secret(SecretId="s")
    assert "DeletedDate" not in described
    assert described["LastChangedDate"] == T0 + timedelta(days=1)
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v"
    mocksm.clock.advance(days=60)  # the old schedule no longer applies
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "v"
    assert mocksm.secret("s").deletion_date is None


def test_restore_of_live_secret_is_a_no_op(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    check = unchanged(lambda: (_state(mocksm), _describe(sm)))
    mocksm.clock.advance(hours=1)
    assert sm.restore_secret(SecretId="s")["Name"] == "s"
    check()


def test_restore_errors(sm: Any) -> None:
    with aws_error("ResourceNotFoundException", NF):
        sm.restore_secret(SecretId="missing")
    with aws_error("ValidationException"):
        sm.restore_secret(SecretId="bad name")


def test_delete_restore_delete_again(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v")
    sm.delete_secret(SecretId="s", RecoveryWindowInDays=7)
    sm.restore_secret(SecretId="s")
    out = sm.delete_secret(SecretId="s", RecoveryWindowInDays=20)
    assert out["DeletionDate"] == T0 + timedelta(days=20)


# --- Every operation on a scheduled secret (spec 4.6 table) -------------------------------

V2 = "b" * 32


def _scheduled(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", ClientRequestToken=TOKEN)
    sm.delete_secret(SecretId="s")


REFUSED = {
    "get_secret_value": {"SecretId": "s"},
    "put_secret_value": {"SecretId": "s", "SecretString": "x", "ClientRequestToken": V2},
    "update_secret": {"SecretId": "s", "Description": "d"},
    "update_secret_value": {"SecretId": "s", "SecretString": "x"},
    "update_secret_version_stage": {"SecretId": "s", "VersionStage": "X",
                                    "MoveToVersionId": TOKEN},
    "list_secret_version_ids": {"SecretId": "s"},
    "tag_resource": {"SecretId": "s", "Tags": [{"Key": "k", "Value": "v"}]},
    "untag_resource": {"SecretId": "s", "TagKeys": ["k"]},
    "put_resource_policy": {"SecretId": "s", "ResourcePolicy": "{}"},
    "get_resource_policy": {"SecretId": "s"},
    "delete_resource_policy": {"SecretId": "s"},
    "list_resource_policies": {"SecretId": "s"},
    "validate_resource_policy": {"SecretId": "s", "ResourcePolicy": "{}"},
    "delete_secret": {"SecretId": "s"},
    "replicate_secret_to_regions": {"SecretId": "s",
                                    "AddReplicaRegions": [{"Region": "eu-west-1"}]},
    "remove_regions_from_replication": {"SecretId": "s", "RemoveReplicaRegions": ["eu-west-1"]},
    "rotate_secret": {"SecretId": "s", "RotationLambdaARN":
                      "arn:aws:lambda:us-east-1:123456789012:function:rotate"},
    "cancel_rotate_secret": {"SecretId": "s"},
}


@pytest.mark.parametrize("method", sorted(REFUSED))
def test_refused_on_scheduled_secret(sm: Any, mocksm: Any, method: str) -> None:
    name = "update_secret" if method == "update_secret_value" else method
    operation = sm.meta.method_to_api_mapping[name]
    if operation not in table():
        pytest.skip(f"{operation} is not implemented on this branch")
    _scheduled(sm)
    check = unchanged(lambda: (_state(mocksm), _describe(sm)))
    with aws_error("InvalidRequestException", MD):
        getattr(sm, name)(**REFUSED[method])
    check()


def test_allowed_on_scheduled_secret(sm: Any, mocksm: Any) -> None:
    _scheduled(sm)
    described = sm.describe_secret(SecretId="s")
    assert described["DeletedDate"] == T0
    assert described["VersionIdsToStages"] == {TOKEN: ["AWSCURRENT"]}
    assert sm.restore_secret(SecretId="s")["Name"] == "s"


def test_describe_shows_deleted_date_with_recorded_fields(sm: Any) -> None:
    _scheduled(sm)
    described = sm.describe_secret(SecretId="s")
    assert set(described) == {"ARN", "CreatedDate", "DeletedDate", "LastChangedDate", "Name",
                              "VersionIdsToStages", "ResponseMetadata"}


# --- replicated secrets -------------------------------------------------------------------

REPLICA_WRITE = ("Operation not permitted on a replica secret. Call must be made in primary "
                 "secret's region.")


def test_primary_with_replicas_cannot_be_deleted(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v",
                     AddReplicaRegions=[{"Region": "eu-west-1"}, {"Region": "us-west-2"}])
    check = unchanged(lambda: _describe(sm))
    # The trailing period is AWS's (spec 4.10.1 had moto's text without it; see
    # docs/decisions.md "Audit (lifecycle)").
    message = "You can't delete secret s that still has replica regions [eu-west-1, us-west-2]."
    with aws_error("InvalidParameterException", message):
        sm.delete_secret(SecretId="s")
    with aws_error("InvalidParameterException", message):
        sm.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True)
    check()
    sm.remove_regions_from_replication(SecretId="s", RemoveReplicaRegions=["eu-west-1",
                                                                           "us-west-2"])
    assert "DeletionDate" in sm.delete_secret(SecretId="s")


def test_primary_with_replicas_delete_by_arn_names_the_arn(sm: Any) -> None:
    """The shape AWS answers with (CloudTrail record quoted in rebuy-de/aws-nuke#1127):
    the secret as the caller named it (an ARN there), the Regions, a final period."""
    arn = sm.create_secret(Name="s", SecretString="v",
                           AddReplicaRegions=[{"Region": "eu-west-1"}])["ARN"]
    with aws_error("InvalidParameterException",
                   f"You can't delete secret {arn} that still has replica regions [eu-west-1]."):
        sm.delete_secret(SecretId=arn)


def test_replica_refuses_delete_and_restore(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", AddReplicaRegions=[{"Region": "eu-west-1"}])
    replica = mocksm.client(region="eu-west-1")
    for call in (
        lambda: replica.delete_secret(SecretId="s"),
        lambda: replica.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True),
        lambda: replica.restore_secret(SecretId="s"),
        lambda: replica.tag_resource(SecretId="s", Tags=[{"Key": "k", "Value": "v"}]),
        lambda: replica.untag_resource(SecretId="s", TagKeys=["k"]),
        lambda: replica.put_resource_policy(SecretId="s", ResourcePolicy="{}"),
        lambda: replica.get_resource_policy(SecretId="s"),
        lambda: replica.delete_resource_policy(SecretId="s"),
    ):
        with aws_error("InvalidParameterException", REPLICA_WRITE):
            call()
    assert replica.list_resource_policies(SecretId="s")["ResourcePolicies"] == []
    assert [v.name for v in mocksm.secrets(region="eu-west-1")] == ["s"]


def test_tags_and_policy_reach_replicas(sm: Any, mocksm: Any) -> None:
    sm.create_secret(Name="s", SecretString="v", AddReplicaRegions=[{"Region": "eu-west-1"}])
    replica = mocksm.client(region="eu-west-1")
    sm.tag_resource(SecretId="s", Tags=[{"Key": "k", "Value": "v"}])
    assert replica.describe_secret(SecretId="s")["Tags"] == [{"Key": "k", "Value": "v"}]
    sm.untag_resource(SecretId="s", TagKeys=["k"])
    assert replica.describe_secret(SecretId="s")["Tags"] == []
    policy = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
              '{"AWS":"111111111111"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}')
    sm.put_resource_policy(SecretId="s", ResourcePolicy=policy)
    assert replica.list_resource_policies(SecretId="s")["ResourcePolicies"] == [
        {"PolicyName": "default"}]


# --- the lifecycle against a reference model ----------------------------------------------

_names = st.sampled_from(["a", "b"])
_steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), _names),
        st.tuples(st.just("delete"), _names, st.sampled_from([None, 7, 10, 30])),
        st.tuples(st.just("force"), _names),
        st.tuples(st.just("restore"), _names),
        st.tuples(st.just("advance"), st.integers(min_value=0, max_value=12)),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(steps=_steps)
def test_lifecycle_matches_reference_model(steps: list[tuple[Any, ...]]) -> None:
    """Create/delete/force/restore/advance in any order: each call's outcome and what
    DescribeSecret shows match a dictionary model of {name: DeletionDate or None}."""
    with mock_secretsmanager() as handle:
        sm = handle.client()
        handle.clock.freeze(T0)
        now = T0.timestamp()
        model: dict[str, float | None] = {}

        def purge() -> None:
            for name, due in list(model.items()):
                if due is not None and due <= now:
                    del model[name]

        for step in steps:
            purge()
            action, *args = step
            if action == "advance":
                handle.clock.advance(days=args[0])
                now += args[0] * 86400
                continue
            name = args[0]
            if action == "create":
                if name not in model:
                    sm.create_secret(Name=name, SecretString="v")
                    model[name] = None
                else:
                    code = ("InvalidRequestException" if model[name] is not None
                            else "ResourceExistsException")
                    with aws_error(code):
                        sm.create_secret(Name=name, SecretString="v")
            elif action == "delete":
                kwargs = {} if args[1] is None else {"RecoveryWindowInDays": args[1]}
                if name not in model:
                    with aws_error("ResourceNotFoundException", NF):
                        sm.delete_secret(SecretId=name, **kwargs)
                elif model[name] is not None:
                    with aws_error("InvalidRequestException", MD):
                        sm.delete_secret(SecretId=name, **kwargs)
                else:
                    out = sm.delete_secret(SecretId=name, **kwargs)
                    model[name] = now + (args[1] or 30) * 86400
                    assert out["DeletionDate"].timestamp() == model[name]
            elif action == "force":
                sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
                model.pop(name, None)
            else:
                if name in model:
                    sm.restore_secret(SecretId=name)
                    model[name] = None
                else:
                    with aws_error("ResourceNotFoundException", NF):
                        sm.restore_secret(SecretId=name)
        purge()
        for name in ("a", "b"):
            if name not in model:
                with aws_error("ResourceNotFoundException", NF):
                    sm.describe_secret(SecretId=name)
            else:
                described = sm.describe_secret(SecretId=name)
                assert ("DeletedDate" in described) == (model[name] is not None)
        assert sorted(v.name for v in handle.secrets()) == sorted(model)
