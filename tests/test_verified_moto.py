"""mocksm against moto's AWS-verified Secrets Manager tests.

moto marks some tests as verified against real AWS (``aws_verified``; some list tests are
verified but unmarked because AWS lists new secrets late). They record no responses,
but their assertions are observations of AWS. Each is restated here, in our own code,
with the same calls and the same assertions, under mocksm.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mocksm import mock_secretsmanager

REGION = "us-east-1"
ROTATOR = "arn:aws:lambda:us-east-1:123456789012:function:moto_test_5a6b7c"


def reuse_message(token: str, arn: str) -> str:
    return (f"You can't use ClientRequestToken {token} because that value is already in use "
            f"for a version of secret {arn}.")


@pytest.fixture
def handle() -> Iterator[Any]:
    with mock_secretsmanager() as active:
        yield active


@pytest.fixture
def sm(handle: Any) -> Any:
    return boto3.client("secretsmanager", region_name=REGION)


@pytest.fixture
def secret(sm: Any) -> dict[str, Any]:
    """The secret moto's verified-test decorator creates first."""
    created: dict[str, Any] = sm.create_secret(Name="moto_secret_1a2b3c", SecretString="old_secret")
    return created


def _without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


# -- ClientRequestToken reuse ------------------------------------------------------------------

def test_create_duplicate_without_token(sm: Any) -> None:
    name = str(uuid.uuid4())
    sm.create_secret(Name=name, SecretString="Hello")
    with pytest.raises(ClientError) as caught:
        sm.create_secret(Name=name, SecretString="Hello")
    error = caught.value.response["Error"]
    assert error["Code"] == "ResourceExistsException"
    assert error["Message"] == f"The operation failed because the secret {name} already exists."


def test_create_twice_with_same_token_and_value(sm: Any) -> None:
    name, token = str(uuid.uuid4()), str(uuid.uuid4())
    first = _without_metadata(sm.create_secret(Name=name, SecretString="Hello", ClientRequestToken=token))
    second = _without_metadata(sm.create_secret(Name=name, SecretString="Hello", ClientRequestToken=token))
    assert first == second
    assert first["VersionId"] == token


def test_create_with_same_token_other_value(sm: Any) -> None:
    name, token = str(uuid.uuid4()), str(uuid.uuid4())
    created = sm.create_secret(Name=name, SecretString="Hello", ClientRequestToken=token)
    with pytest.raises(ClientError) as caught:
        sm.create_secret(Name=name, SecretString="Hi", ClientRequestToken=token)
    assert caught.value.response["Error"]["Code"] == "ResourceExistsException"
    assert caught.value.response["Error"]["Message"] == reuse_message(token, created["ARN"])


def test_put_same_value_with_creating_token(sm: Any) -> None:
    name, token = str(uuid.uuid4()), str(uuid.uuid4())
    created = _without_metadata(sm.create_secret(Name=name, SecretString="Hello", ClientRequestToken=token))
    put = _without_metadata(sm.put_secret_value(SecretId=created["ARN"], SecretString="Hello",
                                                ClientRequestToken=token))
    assert put.pop("VersionStages") == ["AWSCURRENT"]
    assert put == created


def test_put_other_value_with_creating_token(sm: Any) -> None:
    name, token = str(uuid.uuid4()), str(uuid.uuid4())
    created = sm.create_secret(Name=name, SecretString="Hello", ClientRequestToken=token)
    with pytest.raises(ClientError) as caught:
        sm.put_secret_value(SecretId=created["ARN"], SecretString="Hi", ClientRequestToken=token)
    assert caught.value.response["Error"]["Code"] == "ResourceExistsException"
    assert caught.value.response["Error"]["Message"] == reuse_message(token, created["ARN"])


def test_update_same_value_with_creating_token(sm: Any) -> None:
    name, token = str(uuid.uuid4()), str(uuid.uuid4())
    sm.create_secret(Name=name, SecretString="Hello", ClientRequestToken=token)
    assert sm.update_secret(SecretId=name, SecretString="Hello", ClientRequestToken=token)["VersionId"] == token


def test_update_other_value_with_creating_token(sm: Any) -> None:
    name, token = str(uuid.uuid4()), str(uuid.uuid4())
    created = sm.create_secret(Name=name, SecretString="Hello", ClientRequestToken=token)
    with pytest.raises(ClientError) as caught:
        sm.update_secret(SecretId=created["ARN"], SecretString="Hi", ClientRequestToken=token)
    assert caught.value.response["Error"]["Code"] == "ResourceExistsException"
    assert caught.value.response["Error"]["Message"] == reuse_message(token, created["ARN"])


# -- staging labels by hand -------------------------------------------------------------------------

def test_update_secret_version_stage_by_hand(sm: Any, secret: dict[str, Any]) -> None:
    arn = secret["ARN"]
    current = sm.put_secret_value(SecretId=arn, SecretString="previous_secret",
                                  VersionStages=["AWSCURRENT"])["VersionId"]
    initial = sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
    assert (initial["VersionStages"], initial["SecretString"]) == (["AWSCURRENT"], "previous_secret")
    token = str(uuid.uuid4())
    sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString="new_secret",
                        VersionStages=["AWSPENDING"])
    pending = sm.get_secret_value(SecretId=arn, VersionStage="AWSPENDING")
    assert (pending["VersionStages"], pending["SecretString"]) == (["AWSPENDING"], "new_secret")
    sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token,
                                   RemoveFromVersionId=current)
    now_current = sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")
    assert sorted(now_current["VersionStages"]) == ["AWSCURRENT", "AWSPENDING"]
    assert now_current["SecretString"] == "new_secret"
    previous = sm.get_secret_value(SecretId=arn, VersionStage="AWSPREVIOUS")
    assert (previous["VersionStages"], previous["SecretString"]) == (["AWSPREVIOUS"], "previous_secret")


def test_moving_awscurrent_needs_its_holder(sm: Any, secret: dict[str, Any]) -> None:
    arn = secret["ARN"]
    current = sm.put_secret_value(SecretId=arn, SecretString="previous_secret",
                                  VersionStages=["AWSCURRENT"])["VersionId"]
    token = str(uuid.uuid4())
    sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString="new_secret",
                        VersionStages=["AWSPENDING"])
    with pytest.raises(ClientError) as caught:
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token)
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"
    assert caught.value.response["Error"]["Message"] == (
        f"The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently "
        f"attached to version {current}, so you must explicitly reference that version in "
        f"RemoveFromVersionId.")


# -- rotation through a function -----------------------------------------------------------------------

class ObservingRotator:
    """moto's verified rotation function, restated: at every step it records what it sees
    (the secret's description, all versions, the pending value or the error reading it),
    then acts: createSecret stores "UpdatedValue" as AWSPENDING; finishSecret moves
    AWSCURRENT to the new version and then takes AWSPENDING off it."""

    def __init__(self) -> None:
        self.seen: dict[str, dict[str, Any]] = {}

    def __call__(self, event: dict[str, Any], context: Any) -> None:
        sm = boto3.client("secretsmanager", region_name=REGION)
        arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
        metadata = sm.describe_secret(SecretId=arn)
        versions = sm.list_secret_version_ids(SecretId=arn, IncludeDeprecated=True)["Versions"]
        try:
            pending: Any = _without_metadata(
                sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING"))
        except ClientError as error:
            pending = str(error)
        self.seen[step] = {"token": token, "versions": versions, "pending_value": pending}
        if not metadata["RotationEnabled"]:
            raise ValueError("rotation is not enabled")
        stages = metadata["VersionIdsToStages"]
        if token not in stages:
            raise ValueError("the token names no version")
        if "AWSCURRENT" in stages[token]:
            return
        if "AWSPENDING" not in stages[token]:
            raise ValueError("the version is not pending")
        if step == "createSecret":
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString="UpdatedValue",
                                VersionStages=["AWSPENDING"])
        elif step == "finishSecret":
            current = next(v for v, labels in stages.items() if "AWSCURRENT" in labels)
            sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT",
                                           MoveToVersionId=token, RemoveFromVersionId=current)
            sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSPENDING", RemoveFromVersionId=token)


def test_rotate_with_function(handle: Any, sm: Any, secret: dict[str, Any]) -> None:
    rotator = ObservingRotator()
    handle.register_rotation_function(ROTATOR, rotator)
    initial = secret["VersionId"]
    rotated = sm.rotate_secret(SecretId=secret["ARN"], RotationLambdaARN=ROTATOR,
                               RotationRules={"AutomaticallyAfterDays": 30}, RotateImmediately=True)
    assert rotated["VersionId"] != initial
    current = sm.get_secret_value(SecretId=secret["ARN"], VersionStage="AWSCURRENT")
    assert current["SecretString"] == "UpdatedValue"
    assert current["VersionId"] != initial
    again = sm.get_secret_value(SecretId=secret["ARN"])
    assert (again["SecretString"], again["VersionId"]) == ("UpdatedValue", current["VersionId"])
    stages = sm.describe_secret(SecretId=secret["ARN"])["VersionIdsToStages"]
    assert stages[initial] == ["AWSPREVIOUS"]
    assert "AWSCURRENT" in stages[current["VersionId"]]
    created = rotator.seen["createSecret"]
    assert "(ResourceNotFoundException)" in created["pending_value"]
    assert created["versions"][0]["VersionStages"] == ["AWSCURRENT"]
    finished = rotator.seen["finishSecret"]
    assert finished["pending_value"]["SecretString"] == "UpdatedValue"
    assert finished["pending_value"]["VersionStages"] == ["AWSPENDING"]


def test_rotate_with_function_not_immediately(handle: Any, sm: Any, secret: dict[str, Any]) -> None:
    rotator = ObservingRotator()
    handle.register_rotation_function(ROTATOR, rotator)
    initial = secret["VersionId"]
    sm.rotate_secret(SecretId=secret["ARN"], RotationLambdaARN=ROTATOR,
                     RotationRules={"AutomaticallyAfterDays": 30}, RotateImmediately=False)
    for kwargs in ({"VersionStage": "AWSCURRENT"}, {}):
        value = sm.get_secret_value(SecretId=secret["ARN"], **kwargs)
        assert (value["SecretString"], value["VersionId"]) == ("old_secret", initial)
    [observed] = rotator.seen.values()
    assert observed["pending_value"]["VersionStages"] == ["AWSPENDING"]
    assert observed["pending_value"]["SecretString"] == "old_secret"
    assert observed["pending_value"]["VersionId"] != initial


# -- ListSecrets filters (verified, left unmarked by moto because AWS lists late) -----------------------

def _names(sm: Any, *filters: dict[str, Any]) -> list[str]:
    return [s["Name"] for s in sm.list_secrets(Filters=list(filters))["SecretList"]]


def _all(*values: str) -> dict[str, Any]:
    return {"Key": "all", "Values": list(values)}


def test_filter_all(sm: Any) -> None:
    unique = "9f8e7d"
    one, two, third = f"SecretOne{unique}", f"SecretTwo{unique}", f"Thirdsecret{unique}"
    tag_key, tag_value, none = f"SecretFTag{unique}", f"SecretFValue{unique}", f"none{unique}"
    sm.create_secret(Name=one, SecretString="s")
    sm.create_secret(Name=two, SecretString="s", Description="DescTwo")
    sm.create_secret(Name=third, SecretString="s")
    sm.create_secret(Name=tag_key, SecretString="s", Tags=[{"Key": "1", "Value": "foo"}])
    sm.create_secret(Name=tag_value, SecretString="s", Tags=[{"Key": "foo", "Value": "v"}])
    sm.create_secret(Name=none, SecretString="s")
    secretish = [one, two, tag_key, tag_value]
    assert _names(sm, _all("SecretOne")) == [one]
    assert _names(sm, _all("foo")) == [tag_key, tag_value]
    assert _names(sm, _all("Secret")) == secretish
    assert _names(sm, _all("secret")) == secretish
    assert _names(sm, _all("ret")) == []
    assert _names(sm, _all("sec")) == secretish
    assert _names(sm, _all("SomeSecret")) == []
    assert _names(sm, _all("d")) == [two]
    assert _names(sm, _all("d t")) == [two]
    assert _names(sm, _all("t")) == [two, third, tag_key]


def test_filter_all_special_characters(sm: Any) -> None:
    unique = "4c5d6e"
    separated = [f"prod{sep}AppBeta{sep}{unique}" for sep in "/_+=.@-"]
    mixed = f"prod-AppBeta/{unique}"  # never found: two different separators
    upper, partly_upper = f"uat/COMPANY/{unique}", f"uat/COMPANYthings/{unique}"
    for name in [*separated, mixed, upper, partly_upper]:
        sm.create_secret(Name=name, SecretString="s")
    assert _names(sm, _all("AppBeta")) == separated
    assert _names(sm, _all("Beta")) == separated
    assert _names(sm, _all("AppBeta", "prod")) == separated
    assert _names(sm, _all("+")) == []
    assert _names(sm, _all(unique)) == [*separated, upper, partly_upper]
    assert _names(sm, _all("company")) == [upper]
    assert _names(sm, _all("things")) == []
    assert _names(sm, _all("Ythings")) == [partly_upper]
    assert _names(sm, _all("N")) == []
    assert _names(sm, _all("pany")) == []


def test_filters_with_the_same_key_combine_with_and(sm: Any) -> None:
    for name, description in (("foo", "one two"), ("bar", "one"), ("baz", "two"), ("qux", "unrelated")):
        sm.create_secret(Name=name, SecretString="secret", Description=description)
    assert _names(sm, {"Key": "description", "Values": ["one"]},
                  {"Key": "description", "Values": ["two"]}) == ["foo"]


def test_filter_value_with_several_words(sm: Any) -> None:
    for name, description in (("foo", "one two"), ("bar", "one and two"), ("baz", "one"),
                              ("qux", "two"), ("none", "unrelated")):
        sm.create_secret(Name=name, SecretString="secret", Description=description)
    assert _names(sm, {"Key": "description", "Values": ["one two"]}) == ["foo", "bar"]
    assert _names(sm, {"Key": "description", "Values": ["o t"]}) == ["foo", "bar"]
    assert _names(sm, {"Key": "description", "Values": ["t"]}) == ["foo", "bar", "qux"]
