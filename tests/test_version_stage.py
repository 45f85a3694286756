"""UpdateSecretVersionStage: the recorded label cycles, every precondition and its
order, and that a refused move changes nothing (spec 5.4; golden scenario 16)."""

from __future__ import annotations

from typing import Any

import pytest
from core_support import (
    INVALID_NAME,
    MARKED_FOR_DELETION,
    NOT_FOUND,
    add_placeholder,
    keys,
    labels_by_version,
    mark_for_deletion,
    raw_error,
    token,
    unchanged,
)
from helpers import aws_error


@pytest.fixture
def sm(secretsmanager_client: Any) -> Any:
    return secretsmanager_client


def _remove_first(label: str, holder: str) -> str:
    return (
        f"The parameter RemoveFromVersionId can't be empty. Staging label {label} is currently "
        f"attached to version {holder}, so you must explicitly reference that version in "
        "RemoveFromVersionId."
    )


def _not_attached(label: str, version: str) -> str:
    return f"The staging label {label} is not attached to version {version}."


def _two_versions(sm: Any) -> tuple[str, str]:
    """v1 [AWSCURRENT], v2 [AWSPENDING]."""
    v1 = sm.create_secret(Name="s", SecretString="S1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="S2",
                             VersionStages=["AWSPENDING"])["VersionId"]
    return v1, v2


def test_golden_16(mocksm: Any, sm: Any) -> None:
    v1, v2 = _two_versions(sm)
    with unchanged(mocksm), aws_error("InvalidParameterException",
                                      _remove_first("AWSCURRENT", v1)):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                       MoveToVersionId=v2)
    out = sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                         MoveToVersionId=v2, RemoveFromVersionId=v1)
    assert keys(out) == {"ARN", "Name"}
    assert out["Name"] == "s"
    assert labels_by_version(sm, "s") == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT", "AWSPENDING"]}
    got = sm.get_secret_value(SecretId="s")
    assert (got["SecretString"], got["VersionStages"]) == ("S2", ["AWSCURRENT", "AWSPENDING"])


def test_recorded_cycle_with_custom_labels(sm: Any) -> None:
    sm.create_secret(Name="s", SecretString="SS")
    v2 = sm.put_secret_value(SecretId="s", SecretString="S1",
                             VersionStages=["AWSCURRENT", "PUT0"])["VersionId"]
    v3 = sm.put_secret_value(SecretId="s", SecretString="S2",
                             VersionStages=["AWSPENDING", "PUT1"])["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=v2, MoveToVersionId=v3)
    listed = {v["VersionId"]: v["VersionStages"]
              for v in sm.list_secret_version_ids(SecretId="s")["Versions"]}
    assert listed == {v2: ["AWSPREVIOUS", "PUT0"], v3: ["AWSCURRENT", "AWSPENDING", "PUT1"]}
    v4 = sm.put_secret_value(SecretId="s", SecretString="S3",
                             VersionStages=["AWSPENDING", "PUT2"])["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=v3, MoveToVersionId=v4)
    listed = {v["VersionId"]: v["VersionStages"]
              for v in sm.list_secret_version_ids(SecretId="s")["Versions"]}
    assert listed == {v2: ["PUT0"], v3: ["AWSPREVIOUS", "PUT1"],
                      v4: ["AWSCURRENT", "AWSPENDING", "PUT2"]}
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "S3"


def test_recorded_cycle_with_awssomething(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="S1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="S2",
                             VersionStages=["AWSPENDING", "AWSSOMETHING", "PUT1"])["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=v1, MoveToVersionId=v2)
    assert labels_by_version(sm, "s") == {
        v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT", "AWSPENDING", "AWSSOMETHING", "PUT1"]}
    v3 = sm.put_secret_value(SecretId="s", SecretString="S3",
                             VersionStages=["AWSPENDING", "PUT2"])["VersionId"]
    assert labels_by_version(sm, "s") == {
        v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT", "AWSSOMETHING", "PUT1"],
        v3: ["AWSPENDING", "PUT2"]}
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=v2, MoveToVersionId=v3)
    assert labels_by_version(sm, "s") == {
        v1: None, v2: ["AWSPREVIOUS", "AWSSOMETHING", "PUT1"],
        v3: ["AWSCURRENT", "AWSPENDING", "PUT2"]}


def test_recorded_custom_pending_label_removed_by_remove_only(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="SS")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="S1",
                             VersionStages=["PENDING"])["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=v1, MoveToVersionId=v2)
    assert sm.get_secret_value(SecretId="s", VersionId=v1)["VersionStages"] == ["AWSPREVIOUS"]
    assert sm.get_secret_value(SecretId="s", VersionId=v2)["VersionStages"] == [
        "AWSCURRENT", "PENDING"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="PENDING", RemoveFromVersionId=v2)
    assert sm.get_secret_value(SecretId="s", VersionId=v1)["VersionStages"] == ["AWSPREVIOUS"]
    assert sm.get_secret_value(SecretId="s", VersionId=v2)["VersionStages"] == ["AWSCURRENT"]


def test_pending_leaves_the_old_current_on_a_move(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2",
                             VersionStages=["AWSCURRENT", "AWSPENDING"])["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=v2, MoveToVersionId=v1)
    assert labels_by_version(sm, "s") == {v1: ["AWSCURRENT"], v2: ["AWSPREVIOUS"]}


def test_current_back_to_the_previous_version_swaps_them(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2")["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                   RemoveFromVersionId=v2, MoveToVersionId=v1)
    assert labels_by_version(sm, "s") == {v1: ["AWSCURRENT"], v2: ["AWSPREVIOUS"]}
    assert sm.get_secret_value(SecretId="s")["SecretString"] == "1"


def test_moving_previous_is_an_ordinary_move(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId="s", SecretString="2")["VersionId"]
    v3 = sm.put_secret_value(SecretId="s", SecretString="3")["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSPREVIOUS",
                                   RemoveFromVersionId=v2, MoveToVersionId=v1)
    assert labels_by_version(sm, "s") == {v1: ["AWSPREVIOUS"], v2: None, v3: ["AWSCURRENT"]}
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSPREVIOUS",
                                   RemoveFromVersionId=v1)
    assert labels_by_version(sm, "s") == {v1: None, v2: None, v3: ["AWSCURRENT"]}


def test_new_custom_label_needs_no_remove(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="blue", MoveToVersionId=v1)
    assert labels_by_version(sm, "s") == {v1: ["AWSCURRENT", "blue"]}


def test_label_brings_a_deprecated_version_back(sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    sm.put_secret_value(SecretId="s", SecretString="2")
    sm.put_secret_value(SecretId="s", SecretString="3")
    assert v1 not in sm.describe_secret(SecretId="s")["VersionIdsToStages"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="old", MoveToVersionId=v1)
    assert sm.describe_secret(SecretId="s")["VersionIdsToStages"][v1] == ["old"]


def test_label_onto_a_value_less_version(mocksm: Any, sm: Any) -> None:
    v1 = sm.create_secret(Name="s", SecretString="1")["VersionId"]
    hollow = token()
    add_placeholder(mocksm, "s", hollow, {"AWSPENDING"})
    sm.update_secret_version_stage(SecretId="s", VersionStage="X", MoveToVersionId=hollow)
    assert sm.describe_secret(SecretId="s")["VersionIdsToStages"] == {
        v1: ["AWSCURRENT"], hollow: ["AWSPENDING", "X"]}


def test_move_to_the_holder_is_a_no_op(mocksm: Any, sm: Any) -> None:
    v1, v2 = _two_versions(sm)
    with unchanged(mocksm):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                       MoveToVersionId=v1)
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSPENDING",
                                       MoveToVersionId=v2, RemoveFromVersionId=v2)


def test_last_changed_date_moves_forward(mocksm: Any, sm: Any) -> None:
    mocksm.clock.freeze("2024-01-01T00:00:00Z")
    v1, v2 = _two_versions(sm)
    before = sm.describe_secret(SecretId="s")["LastChangedDate"]
    sm.update_secret_version_stage(SecretId="s", VersionStage="AWSPENDING",
                                   RemoveFromVersionId=v2, MoveToVersionId=v1)
    assert sm.describe_secret(SecretId="s")["LastChangedDate"] > before


def test_arn_forms_resolve(sm: Any) -> None:
    created = sm.create_secret(Name="path/to/s", SecretString="1")
    arn, v1 = created["ARN"], created["VersionId"]
    for i, secret_id in enumerate((arn, arn[:-7])):
        out = sm.update_secret_version_stage(SecretId=secret_id, VersionStage=f"L{i}",
                                             MoveToVersionId=v1)
        assert (out["ARN"], out["Name"]) == (arn, "path/to/s")


# -- errors ------------------------------------------------------------------------------

def test_neither_version_id(mocksm: Any, sm: Any) -> None:
    _two_versions(sm)
    with unchanged(mocksm), aws_error(
        "InvalidParameterException", "You must specify MoveToVersionId or RemoveFromVersionId."
    ):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT")


def test_unknown_version_ids(mocksm: Any, sm: Any) -> None:
    v1, _ = _two_versions(sm)
    ghost, ghost2 = token(), token()
    message = "Secrets Manager can't find the specified secret version: {}"
    with unchanged(mocksm), aws_error("InvalidParameterException", message.format(ghost)):
        sm.update_secret_version_stage(SecretId="s", VersionStage="X", MoveToVersionId=ghost)
    with unchanged(mocksm), aws_error("InvalidParameterException", message.format(ghost)):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                       RemoveFromVersionId=ghost, MoveToVersionId=v1)
    with unchanged(mocksm), aws_error("InvalidParameterException", message.format(ghost)):
        sm.update_secret_version_stage(SecretId="s", VersionStage="X",
                                       MoveToVersionId=ghost, RemoveFromVersionId=ghost2)


def test_remove_from_a_version_without_the_label(mocksm: Any, sm: Any) -> None:
    v1, v2 = _two_versions(sm)
    with unchanged(mocksm), aws_error("InvalidParameterException",
                                      _not_attached("AWSCURRENT", v2)):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                       RemoveFromVersionId=v2, MoveToVersionId=v1)
    with unchanged(mocksm), aws_error("InvalidParameterException",
                                      _not_attached("AWSCURRENT", v2)):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                       RemoveFromVersionId=v2)
    with unchanged(mocksm), aws_error("InvalidParameterException", _not_attached("nobody", v1)):
        sm.update_secret_version_stage(SecretId="s", VersionStage="nobody",
                                       RemoveFromVersionId=v1, MoveToVersionId=v2)


def test_custom_label_also_needs_remove_from(mocksm: Any, sm: Any) -> None:
    v1, v2 = _two_versions(sm)
    with unchanged(mocksm), aws_error("InvalidParameterException",
                                      _remove_first("AWSPENDING", v2)):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSPENDING",
                                       MoveToVersionId=v1)


def test_current_cannot_be_removed(mocksm: Any, sm: Any) -> None:
    v1, _ = _two_versions(sm)
    with unchanged(mocksm), aws_error(
        "InvalidParameterException",
        "You can only move staging label AWSCURRENT to a different secret version. It can't be "
        "completely removed.",
    ):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                       RemoveFromVersionId=v1)


def test_not_found_and_invalid_name(mocksm: Any, sm: Any) -> None:
    with unchanged(mocksm), aws_error("ResourceNotFoundException", NOT_FOUND):
        sm.update_secret_version_stage(SecretId="nope", VersionStage="X")
    with unchanged(mocksm), aws_error("ValidationException", INVALID_NAME):
        sm.update_secret_version_stage(SecretId="Inv Name", VersionStage="X")


def test_marked_for_deletion(mocksm: Any, sm: Any) -> None:
    v1, _ = _two_versions(sm)
    mark_for_deletion(mocksm, sm, "s")
    with unchanged(mocksm), aws_error("InvalidRequestException", MARKED_FOR_DELETION):
        sm.update_secret_version_stage(SecretId="s", VersionStage="X", MoveToVersionId=v1)


def test_secret_without_versions(mocksm: Any, sm: Any) -> None:
    sm.create_secret(Name="s")
    ghost = token()
    with unchanged(mocksm), aws_error(
        "InvalidParameterException",
        f"Secrets Manager can't find the specified secret version: {ghost}",
    ):
        sm.update_secret_version_stage(SecretId="s", VersionStage="AWSCURRENT",
                                       MoveToVersionId=ghost)


def test_model_constraints(mocksm: Any, sm: Any) -> None:
    v1, _ = _two_versions(sm)
    label = "L" * 257
    with unchanged(mocksm), aws_error(
        "ValidationException",
        f"1 validation error detected: Value '{label}' at 'versionStage' failed to satisfy "
        "constraint: Member must have length less than or equal to 256",
    ):
        sm.update_secret_version_stage(SecretId="s", VersionStage=label, MoveToVersionId=v1)
    with unchanged(mocksm):
        status, code, message = raw_error(mocksm, "UpdateSecretVersionStage", {
            "SecretId": "s", "VersionStage": "", "MoveToVersionId": "short",
        })
    assert (status, code) == (400, "ValidationException")
    assert message == (
        "2 validation errors detected: Value '' at 'versionStage' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1; Value 'short' at 'moveToVersionId' "
        "failed to satisfy constraint: Member must have length greater than or equal to 32"
    )
