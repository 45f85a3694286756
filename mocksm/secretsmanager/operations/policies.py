"""Resource policies (spec 4.11, 5.17-5.21): one policy per secret, named ``default``,
stored verbatim. The checks themselves live in ``secretsmanager.policy``."""

from __future__ import annotations

from typing import Any

from mocksm.errors import ServiceError
from mocksm.secretsmanager import messages, pagination, policy
from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.operations import operation
from mocksm.secretsmanager.secret import Secret

DEFAULT_PAGE = 100


def only_default_name() -> ServiceError:
    return messages.invalid_parameter("You can only use the policy name default.")


def policy_not_found() -> ServiceError:
    return ServiceError(
        "ResourceNotFoundException", "Secrets Manager can't find the specified resource policy."
    )


def _secret(call: Call, secret_id: str, replica_refused: bool = True) -> Secret:
    secret = call.resolve(secret_id)
    if replica_refused and secret.extra.get("replica_of"):
        raise messages.replica_write()
    call.require_not_deleted(secret)
    return secret


def _named(secret: Secret) -> dict[str, Any]:
    return {"ARN": secret.arn, "Name": secret.name, "PolicyName": policy.POLICY_NAME}


@operation("PutResourcePolicy")
def put_resource_policy(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = _secret(call, p["SecretId"])
    if secret.owning_service:
        raise messages.managed_secret()
    if p.get("PolicyName", policy.POLICY_NAME) != policy.POLICY_NAME:
        raise only_default_name()
    text = str(p["ResourcePolicy"])
    policy.check_for_put(text, bool(p.get("BlockPublicPolicy")))
    secret.resource_policy = text
    secret.touch(call.now)
    return _named(secret)


@operation("GetResourcePolicy")
def get_resource_policy(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = _secret(call, p["SecretId"])
    if p.get("PolicyName", policy.POLICY_NAME) != policy.POLICY_NAME:
        raise policy_not_found()
    out = _named(secret)
    if secret.resource_policy is not None:
        out["ResourcePolicy"] = secret.resource_policy
    return out


@operation("DeleteResourcePolicy")
def delete_resource_policy(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = _secret(call, p["SecretId"])
    if p.get("PolicyName", policy.POLICY_NAME) != policy.POLICY_NAME:
        raise only_default_name()
    if secret.resource_policy is not None:
        secret.resource_policy = None
        secret.touch(call.now)
    return _named(secret)


@operation("ListResourcePolicies")
def list_resource_policies(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    secret = _secret(call, p["SecretId"], replica_refused=False)
    limit = int(p.get("MaxResults") or DEFAULT_PAGE)
    query = pagination.digest([secret.arn])
    start = 0
    if p.get("NextToken"):
        start = pagination.decode(p["NextToken"], "ListResourcePolicies", query)
        if not isinstance(start, int) or isinstance(start, bool) or start < 0:
            raise pagination.invalid_token()
    names = [policy.POLICY_NAME] if secret.resource_policy is not None else []
    page = names[start:start + limit]
    out: dict[str, Any] = {"ResourcePolicies": [{"PolicyName": name} for name in page]}
    if start + limit < len(names):
        out["NextToken"] = pagination.encode("ListResourcePolicies", query, start + limit)
    return out


@operation("ValidateResourcePolicy")
def validate_resource_policy(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    if p.get("SecretId") is not None:
        _secret(call, p["SecretId"], replica_refused=False)
    findings = policy.review(policy.parse(str(p["ResourcePolicy"])))
    return {
        "PolicyValidationPassed": not findings,
        "ValidationErrors": [{"CheckName": f.check, "ErrorMessage": f.message} for f in findings],
    }
