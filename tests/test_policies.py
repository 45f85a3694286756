"""Resource policies (spec 4.11, 5.17-5.21): Put, Get, Delete, List, Validate."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

from tests.helpers import aws_error, unchanged

T0 = datetime(2030, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
MD = "You can't perform this operation on the secret because it was marked for deletion."
NF = "Secrets Manager can't find the specified secret."
SYNTAX = "This resource policy contains a syntax error."
PRINCIPAL = "This resource policy contains an unsupported principal."
# AWS user guide, "Managing a resource-based policy" (CLI with --block-public-policy).
PUBLIC = "You can't attach a resource-based policy that allows broad access to the secret."
INVALID_SERVICE = "This resource policy contains an invalid service principal."
# The user guide's list of what Secrets Manager answers for a rejected policy ("Managing a
# resource-based policy"); its syntax and principal texts are the API's own.
BROAD = ("This resource policy grants broad access to your secret. Secrets Manager does not "
         "allow creating and applying such policies in the console.")
LOCKOUT = "Your requested changes will not allow you to manage this secret in the future."
ONLY_DEFAULT = "You can only use the policy name default."
NO_POLICY = "Secrets Manager can't find the specified resource policy."


def doc(*statements: dict[str, Any], version: str | None = "2012-10-17") -> str:
    body: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        body["Version"] = version
    return json.dumps(body)


def stmt(
    principal: Any = None,
    effect: str = "Allow",
    action: Any = "secretsmanager:GetSecretValue",
    **extra: Any,
) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": effect, "Action": action, "Resource": "*"}
    out["Principal"] = principal if principal is not None else {
        "AWS": "arn:aws:iam::123456789012:root"}
    out.update(extra)
    return out


PRIVATE = doc(stmt())
PUBLIC_DOC = doc(stmt("*"))


@pytest.fixture
def sm(mocksm: Any) -> Any:
    mocksm.clock.freeze(T0)
    client = mocksm.client()
    client.create_secret(Name="s", SecretString="v")
    return client


def body(response: dict[str, Any]) -> dict[str, Any]:
    out = dict(response)
    out.pop("ResponseMetadata")
    return out


def snapshot(sm: Any) -> Any:
    return body(sm.describe_secret(SecretId="s")), body(sm.get_resource_policy(SecretId="s"))


# --- Put / Get / Delete round trip --------------------------------------------------------


def test_round_trip(sm: Any, mocksm: Any) -> None:
    arn = mocksm.secret("s").arn
    assert body(sm.get_resource_policy(SecretId="s")) == {
        "ARN": arn, "Name": "s", "PolicyName": "default"}
    mocksm.clock.advance(minutes=1)
    out = sm.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    assert body(out) == {"ARN": arn, "Name": "s", "PolicyName": "default"}
    assert sm.describe_secret(SecretId="s")["LastChangedDate"] == T0 + timedelta(minutes=1)
    got = body(sm.get_resource_policy(SecretId="s"))
    assert got == {"ARN": arn, "Name": "s", "PolicyName": "default", "ResourcePolicy": PRIVATE}
    mocksm.clock.advance(minutes=1)
    out = sm.delete_resource_policy(SecretId="s")
    assert body(out) == {"ARN": arn, "Name": "s", "PolicyName": "default"}
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId="s")
    assert sm.describe_secret(SecretId="s")["LastChangedDate"] == T0 + timedelta(minutes=2)


def test_policy_stored_verbatim(sm: Any) -> None:
    text = '{ "Version":"2012-10-17",\n  "Statement": {"Effect":"Allow","Principal":"*",' \
           '"Action":"secretsmanager:GetSecretValue","Resource":"*"} }'
    sm.put_resource_policy(SecretId="s", ResourcePolicy=text)
    assert sm.get_resource_policy(SecretId="s")["ResourcePolicy"] == text


def test_put_replaces(sm: Any) -> None:
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PUBLIC_DOC)
    assert sm.get_resource_policy(SecretId="s")["ResourcePolicy"] == PUBLIC_DOC


def test_public_policy_accepted_unless_blocked(sm: Any) -> None:
    """Recorded: a `Principal: "*"` policy put succeeds (BlockPublicPolicy defaults false)."""
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PUBLIC_DOC)
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PUBLIC_DOC, BlockPublicPolicy=False)
    sm.delete_resource_policy(SecretId="s")
    check = unchanged(lambda: snapshot(sm))
    for public in (PUBLIC_DOC, doc(stmt({"AWS": "*"})), doc(stmt({"AWS": ["111111111111", "*"]})),
                   doc(stmt(), stmt("*", action="secretsmanager:*"))):
        with aws_error("PublicPolicyException", PUBLIC):
            sm.put_resource_policy(SecretId="s", ResourcePolicy=public, BlockPublicPolicy=True)
    check()


def test_not_public_when_conditioned_or_denied(sm: Any) -> None:
    for policy in (
        doc(stmt("*", Condition={"StringEquals": {"aws:PrincipalAccount": "123456789012"}})),
        doc(stmt("*", effect="Deny")),
        PRIVATE,
        doc(stmt({"Service": "lambda.amazonaws.com"})),
    ):
        sm.put_resource_policy(SecretId="s", ResourcePolicy=policy, BlockPublicPolicy=True)
        assert sm.get_resource_policy(SecretId="s")["ResourcePolicy"] == policy


def test_delete_without_policy_succeeds(sm: Any) -> None:
    check = unchanged(lambda: snapshot(sm))
    assert body(sm.delete_resource_policy(SecretId="s"))["PolicyName"] == "default"
    check()


def test_cross_account_put_and_get(sm: Any, mocksm: Any) -> None:
    arn = mocksm.secret("s").arn
    other = boto3.client("secretsmanager", region_name="us-east-1",
                         aws_access_key_id="111111111111", aws_secret_access_key="x")
    other.put_resource_policy(SecretId=arn, ResourcePolicy=PRIVATE)
    assert other.get_resource_policy(SecretId=arn)["ResourcePolicy"] == PRIVATE
    assert other.list_resource_policies(SecretId=arn)["ResourcePolicies"] == [
        {"PolicyName": "default"}]


def test_force_delete_drops_the_policy(sm: Any) -> None:
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    sm.delete_secret(SecretId="s", ForceDeleteWithoutRecovery=True)
    sm.create_secret(Name="s")
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId="s")


# --- malformed policies -------------------------------------------------------------------

MALFORMED = [
    "not json",
    "[]",
    '"text"',
    "{",
    json.dumps({"Version": "2012-10-17"}),
    json.dumps({"Statement": []}),
    json.dumps({"Statement": "x"}),
    doc(stmt(), version="2020-01-01"),
    doc({"Effect": "Allow", "Principal": "*", "Resource": "*"}),
    doc(stmt(effect="allow")),
    doc(stmt(NotAction="secretsmanager:*")),
    doc({"Effect": "Allow", "Action": "x", "Resource": "*"}),
    doc(stmt(NotPrincipal={"AWS": "111111111111"})),
    doc(stmt({"Bogus": "111111111111"})),
    doc(stmt({"AWS": []})),
    doc(stmt(action=[])),
    doc(stmt(), "not a statement"),
    # Members of the wrong JSON type (not hashable, so a careless set lookup would crash).
    json.dumps({"Version": ["2012-10-17"], "Statement": [stmt()]}),
    json.dumps({"Version": {"v": 1}, "Statement": [stmt()]}),
    doc(stmt(effect=["Allow"])),  # type: ignore[arg-type]
    doc(stmt(effect={"Allow": True})),  # type: ignore[arg-type]
    # Nested deeper than any JSON parser follows.
    "[" * 5000 + "]" * 5000,
]


@pytest.mark.parametrize("text", MALFORMED)
def test_put_malformed(sm: Any, text: str) -> None:
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    check = unchanged(lambda: snapshot(sm))
    with aws_error("MalformedPolicyDocumentException", SYNTAX):
        sm.put_resource_policy(SecretId="s", ResourcePolicy=text)
    with aws_error("MalformedPolicyDocumentException", SYNTAX):  # syntax precedes public check
        sm.put_resource_policy(SecretId="s", ResourcePolicy=text, BlockPublicPolicy=True)
    check()


@pytest.mark.parametrize("principal", [
    {"AWS": "someone"},
    {"AWS": "arn:aws:s3:::bucket"},
    {"AWS": "12345"},
    {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
    "someone",
])
def test_put_unsupported_principal(sm: Any, principal: Any) -> None:
    check = unchanged(lambda: snapshot(sm))
    with aws_error("MalformedPolicyDocumentException",
                   SYNTAX if principal == "someone" else PRINCIPAL):
        sm.put_resource_policy(SecretId="s", ResourcePolicy=doc(stmt(principal)))
    check()


@pytest.mark.parametrize("principal", [
    {"AWS": "111111111111"},
    {"AWS": ["arn:aws:iam::111111111111:role/r", "arn:aws:iam::111111111111:user/u"]},
    {"AWS": "arn:aws:sts::111111111111:assumed-role/r/s"},
    {"Service": "rds.amazonaws.com"},
    {"Federated": "arn:aws:iam::111111111111:saml-provider/p"},
])
def test_put_supported_principals(sm: Any, principal: Any) -> None:
    text = doc(stmt(principal))
    sm.put_resource_policy(SecretId="s", ResourcePolicy=text, BlockPublicPolicy=True)
    assert sm.get_resource_policy(SecretId="s")["ResourcePolicy"] == text


def test_version_optional_and_old_version_accepted(sm: Any) -> None:
    sm.put_resource_policy(SecretId="s", ResourcePolicy=doc(stmt(), version=None))
    sm.put_resource_policy(SecretId="s", ResourcePolicy=doc(stmt(), version="2008-10-17"))


def test_policy_size_limit(sm: Any) -> None:
    padding = "x" * (20480 - len(PRIVATE) - 20)
    near = json.dumps({"Version": "2012-10-17", "Statement": [stmt()], "Id": padding})
    assert len(near) <= 20480
    sm.put_resource_policy(SecretId="s", ResourcePolicy=near)
    too_big = json.dumps({"Version": "2012-10-17", "Statement": [stmt()], "Id": "x" * 20480})
    with aws_error("ValidationException"):
        sm.put_resource_policy(SecretId="s", ResourcePolicy=too_big)
    assert sm.get_resource_policy(SecretId="s")["ResourcePolicy"] == near


# --- PolicyName ---------------------------------------------------------------------------


def test_policy_name(sm: Any) -> None:
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE, PolicyName="default")
    check = unchanged(lambda: snapshot(sm))
    with aws_error("InvalidParameterException", ONLY_DEFAULT):
        sm.put_resource_policy(SecretId="s", ResourcePolicy=PUBLIC_DOC, PolicyName="other")
    with aws_error("InvalidParameterException", ONLY_DEFAULT):
        sm.delete_resource_policy(SecretId="s", PolicyName="other")
    with aws_error("ResourceNotFoundException", NO_POLICY):
        sm.get_resource_policy(SecretId="s", PolicyName="other")
    with aws_error("ValidationException"):
        sm.get_resource_policy(SecretId="s", PolicyName="bad name!")
    check()
    assert sm.get_resource_policy(SecretId="s", PolicyName="default")["ResourcePolicy"] == PRIVATE
    sm.delete_resource_policy(SecretId="s", PolicyName="default")
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId="s")


def test_policy_name_checked_before_syntax(sm: Any) -> None:
    with aws_error("InvalidParameterException", ONLY_DEFAULT):
        sm.put_resource_policy(SecretId="s", ResourcePolicy="not json", PolicyName="other")


# --- lookups and deleted secrets ----------------------------------------------------------

CALLS: dict[str, dict[str, Any]] = {
    "put_resource_policy": {"ResourcePolicy": "not json"},
    "get_resource_policy": {},
    "delete_resource_policy": {},
    "list_resource_policies": {},
    "validate_resource_policy": {"ResourcePolicy": "not json"},
}


@pytest.mark.parametrize("method", sorted(CALLS))
def test_not_found_invalid_name_deleted(sm: Any, method: str) -> None:
    call = getattr(sm, method)
    with aws_error("ResourceNotFoundException", NF):
        call(SecretId="missing", **CALLS[method])
    with aws_error("ValidationException"):
        call(SecretId="Inv Name", **CALLS[method])
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    sm.delete_secret(SecretId="s")
    with aws_error("InvalidRequestException", MD):
        call(SecretId="s", **CALLS[method])
    sm.restore_secret(SecretId="s")
    assert sm.get_resource_policy(SecretId="s")["ResourcePolicy"] == PRIVATE


# --- ListResourcePolicies -----------------------------------------------------------------


def test_list_resource_policies(sm: Any) -> None:
    assert body(sm.list_resource_policies(SecretId="s")) == {"ResourcePolicies": []}
    sm.put_resource_policy(SecretId="s", ResourcePolicy=PRIVATE)
    assert body(sm.list_resource_policies(SecretId="s")) == {
        "ResourcePolicies": [{"PolicyName": "default"}]}
    assert body(sm.list_resource_policies(SecretId="s", MaxResults=1)) == {
        "ResourcePolicies": [{"PolicyName": "default"}]}
    pages = list(sm.get_paginator("list_resource_policies").paginate(SecretId="s"))
    assert [p["ResourcePolicies"] for p in pages] == [[{"PolicyName": "default"}]]


def test_list_resource_policies_bad_input(sm: Any) -> None:
    with aws_error("InvalidNextTokenException", "The NextToken value is invalid."):
        sm.list_resource_policies(SecretId="s", NextToken="garbage")
    with aws_error("ValidationException"):
        sm.list_resource_policies(SecretId="s", MaxResults=101)


# --- ValidateResourcePolicy ---------------------------------------------------------------


def validate(sm: Any, text: str, **kwargs: Any) -> dict[str, Any]:
    return body(sm.validate_resource_policy(ResourcePolicy=text, **kwargs))


def test_validate_passing(sm: Any) -> None:
    expected = {"PolicyValidationPassed": True, "ValidationErrors": []}
    assert validate(sm, PRIVATE) == expected
    assert validate(sm, PRIVATE, SecretId="s") == expected
    assert validate(sm, doc(stmt(), stmt({"Service": "lambda.amazonaws.com"},
                                          effect="Deny"))) == expected


def test_validate_public(sm: Any) -> None:
    assert validate(sm, PUBLIC_DOC, SecretId="s") == {
        "PolicyValidationPassed": False,
        "ValidationErrors": [{"CheckName": "BROAD_ACCESS",
                              "ErrorMessage": BROAD}],
    }


def test_validate_lockout(sm: Any) -> None:
    out = validate(sm, doc(stmt("*", effect="Deny", action="secretsmanager:*")))
    assert out["PolicyValidationPassed"] is False
    assert out["ValidationErrors"] == [{"CheckName": "LOCKOUT", "ErrorMessage": LOCKOUT}]
    out = validate(sm, doc(stmt("*", effect="Deny", action="*"), stmt("*")))
    assert [e["CheckName"] for e in out["ValidationErrors"]] == ["BROAD_ACCESS", "LOCKOUT"]


@pytest.mark.parametrize("text", [t for t in MALFORMED if t.startswith('{"')])
def test_validate_structural_problems_are_findings(sm: Any, text: str) -> None:
    assert validate(sm, text) == {
        "PolicyValidationPassed": False,
        "ValidationErrors": [{"CheckName": "POLICY_SYNTAX", "ErrorMessage": SYNTAX}],
    }


def test_validate_unsupported_principal_is_a_finding(sm: Any) -> None:
    assert validate(sm, doc(stmt({"AWS": "nobody"}))) == {
        "PolicyValidationPassed": False,
        "ValidationErrors": [{"CheckName": "POLICY_SYNTAX", "ErrorMessage": PRINCIPAL}],
    }


@pytest.mark.parametrize("text", ["not json", "[]", '"text"', "{", "42", "[" * 5000 + "]" * 5000,
                                  '{"S":' * 3000 + "1" + "}" * 3000])
def test_validate_unparseable_raises(sm: Any, text: str) -> None:
    with aws_error("MalformedPolicyDocumentException", SYNTAX):
        sm.validate_resource_policy(ResourcePolicy=text)
    with aws_error("MalformedPolicyDocumentException", SYNTAX):
        sm.validate_resource_policy(ResourcePolicy=text, SecretId="s")


def test_validate_changes_nothing(sm: Any) -> None:
    check = unchanged(lambda: snapshot(sm))
    validate(sm, PRIVATE, SecretId="s")
    check()


def test_condition_that_does_not_pin_the_caller_stays_public(sm: Any) -> None:
    """AWS user guide (resource policies): an everyone-policy is acceptable only when its
    condition pins fixed values of the caller's source (aws:SourceArn, aws:SourceVpc,
    aws:SourceVpce, aws:SourceAccount, after S3's definition of public). A condition on
    anything else, a wildcard value or an IfExists operator still lets anyone in."""
    check = unchanged(lambda: snapshot(sm))
    for condition in (
        {"Bool": {"aws:SecureTransport": "true"}},
        {"DateLessThan": {"aws:CurrentTime": "2031-01-01T00:00:00Z"}},
        {"StringNotEquals": {"aws:SourceAccount": "123456789012"}},
        {"StringLike": {"aws:SourceArn": "arn:aws:sns:*"}},
        {"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1a2b3c4d"}},
        {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
    ):
        policy = doc(stmt("*", Condition=condition))
        with aws_error("PublicPolicyException", PUBLIC):
            sm.put_resource_policy(SecretId="s", ResourcePolicy=policy, BlockPublicPolicy=True)
        findings = sm.validate_resource_policy(ResourcePolicy=policy)
        assert findings["PolicyValidationPassed"] is False, condition
    check()


def test_condition_pinning_the_source_is_not_public(sm: Any) -> None:
    for condition in (
        {"StringEquals": {"aws:SourceAccount": "123456789012"}},
        {"StringEquals": {"AWS:SOURCEVPCE": ["vpce-1a2b3c4d"]}},
        {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic"}},
        {"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}, "Bool": {"aws:SecureTransport": "1"}},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    ):
        policy = doc(stmt("*", Condition=condition))
        sm.put_resource_policy(SecretId="s", ResourcePolicy=policy, BlockPublicPolicy=True)
        assert sm.validate_resource_policy(ResourcePolicy=policy)["PolicyValidationPassed"]


def test_allow_with_not_principal_is_public(sm: Any) -> None:
    """IAM user guide (NotPrincipal): Allow with NotPrincipal grants every principal except
    the listed ones, anonymous callers included, so it is broad access."""
    check = unchanged(lambda: snapshot(sm))
    everyone_else = {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"},
                     "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
    with aws_error("PublicPolicyException", PUBLIC):
        sm.put_resource_policy(SecretId="s", ResourcePolicy=doc(everyone_else),
                               BlockPublicPolicy=True)
    check()
    assert sm.validate_resource_policy(ResourcePolicy=doc(everyone_else))["ValidationErrors"] == [
        {"CheckName": "BROAD_ACCESS",
         "ErrorMessage": BROAD}]
    nobody = dict(everyone_else, NotPrincipal={"AWS": "*"})
    denied_but_one = dict(everyone_else, Effect="Deny")
    for policy in (doc(nobody), doc(denied_but_one)):
        sm.put_resource_policy(SecretId="s", ResourcePolicy=policy, BlockPublicPolicy=True)


@pytest.mark.parametrize("principal", [
    {"Service": "*"},
    {"Service": "not a service"},
    {"AWS": "arn:aws:iam::123456789012:root", "Service": ["lambda"]},
])
def test_put_invalid_service_principal(sm: Any, principal: Any) -> None:
    """AWS user guide ("Managing a resource-based policy") lists this answer for a policy
    whose Service principal is not a service, apart from the unsupported-principal one."""
    check = unchanged(lambda: snapshot(sm))
    with aws_error("MalformedPolicyDocumentException", INVALID_SERVICE):
        sm.put_resource_policy(SecretId="s", ResourcePolicy=doc(stmt(principal)))
    check()
    assert sm.validate_resource_policy(ResourcePolicy=doc(stmt(principal)))[
        "ValidationErrors"] == [{"CheckName": "POLICY_SYNTAX", "ErrorMessage": INVALID_SERVICE}]
