"""Resource policy checks (spec 4.11): syntax, principals, public access, lockout.

Pure functions over the policy text. ``parse`` refuses what is not a JSON object;
``review`` lists every problem found as (check name, message) findings, which
PutResourcePolicy turns into exceptions and ValidateResourcePolicy reports.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any

from mocksm.errors import ServiceError

POLICY_NAME = "default"
SYNTAX = "POLICY_SYNTAX"
BROAD_ACCESS = "BROAD_ACCESS"
LOCKOUT = "LOCKOUT"

SYNTAX_ERROR = "This resource policy contains a syntax error."
UNSUPPORTED_PRINCIPAL = "This resource policy contains an unsupported principal."
INVALID_SERVICE = "This resource policy contains an invalid service principal."
# ValidateResourcePolicy findings, as the user guide lists what Secrets Manager answers for
# a rejected policy (the same list holds the syntax and principal texts above).
PUBLIC_MESSAGE = (
    "This resource policy grants broad access to your secret. Secrets Manager does not allow "
    "creating and applying such policies in the console."
)
LOCKOUT_MESSAGE = "Your requested changes will not allow you to manage this secret in the future."

_VERSIONS = frozenset({"2012-10-17", "2008-10-17"})
_EFFECTS = frozenset({"Allow", "Deny"})
_PRINCIPAL_KEYS = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})
_ACCOUNT = re.compile(r"\d{12}")
_IAM_ARN = re.compile(r"arn:[a-z-]+:(iam|sts)::(\d{12}|aws):.+")
_SERVICE = re.compile(r"[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?")
_ALL_SECRETS_ACTIONS = frozenset({"*", "secretsmanager:*"})
# Condition keys that confine an everyone-principal to a fixed caller source. AWS names
# the first four for Secrets Manager and defers to S3's definition of "public"; the rest
# are S3's, and the Principal* keys keep what mocksm accepted before (see decisions).
_PINNING_KEYS = frozenset({
    "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceaccount",
    "aws:sourceowner", "aws:userid", "aws:principalaccount", "aws:principalorgid",
    "aws:principalarn",
})
_EXACT_OPERATORS = frozenset({"StringEquals", "StringEqualsIgnoreCase", "ArnEquals"})
_PATTERN_OPERATORS = frozenset({"StringLike", "ArnLike"})


def malformed(message: str = SYNTAX_ERROR) -> ServiceError:
    return ServiceError("MalformedPolicyDocumentException", message)


def public_blocked() -> ServiceError:
    """The text the Secrets Manager user guide quotes for ``--block-public-policy``."""
    return ServiceError(
        "PublicPolicyException",
        "You can't attach a resource-based policy that allows broad access to the secret.",
    )


@dataclass(frozen=True)
class Finding:
    check: str
    message: str


def parse(text: str) -> dict[str, Any]:
    """The policy as a JSON object, or MalformedPolicyDocumentException."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:  # too deeply nested is unreadable too
        raise malformed() from exc
    if not isinstance(document, dict):
        raise malformed()
    return document


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(document: dict[str, Any]) -> list[Any] | None:
    statement = document.get("Statement")
    if isinstance(statement, dict):
        return [statement]
    if isinstance(statement, list) and statement:
        return statement
    return None


def _one_of(value: Any, allowed: frozenset[str]) -> bool:
    """Whether a JSON member is one of ``allowed`` (a list or object never is, and must
    not reach a set lookup: it is unhashable)."""
    return isinstance(value, str) and value in allowed


def _strings(value: Any) -> bool:
    items = _as_list(value)
    return bool(items) and all(isinstance(item, str) and item for item in items)


def _statement_syntax_ok(statement: Any) -> bool:
    if not isinstance(statement, dict) or not _one_of(statement.get("Effect"), _EFFECTS):
        return False
    if ("Action" in statement) == ("NotAction" in statement):
        return False
    action = statement.get("Action", statement.get("NotAction"))
    if not _strings(action):
        return False
    if ("Principal" in statement) == ("NotPrincipal" in statement):
        return False
    principal = statement.get("Principal", statement.get("NotPrincipal"))
    if principal == "*":
        return True
    if not isinstance(principal, dict) or not principal:
        return False
    return all(key in _PRINCIPAL_KEYS and _strings(v) for key, v in principal.items())


def _principal_supported(value: str, key: str) -> bool:
    if key == "CanonicalUser":
        return False
    if value == "*" and key == "AWS":
        return True
    if key == "Service":
        return _SERVICE.fullmatch(value) is not None
    return _ACCOUNT.fullmatch(value) is not None or _IAM_ARN.fullmatch(value) is not None or (
        key == "Federated" and _SERVICE.fullmatch(value) is not None
    )


def _principals_supported(statement: dict[str, Any], services: bool = False) -> bool:
    """Whether every principal (only the ``Service`` ones when ``services``, else only the
    others) is one AWS accepts; the two kinds have their own messages."""
    principal = statement.get("Principal", statement.get("NotPrincipal"))
    if principal == "*":
        return True
    assert isinstance(principal, dict)
    return all(
        _principal_supported(value, key)
        for key, values in principal.items()
        if (key == "Service") == services
        for value in _as_list(values)
    )


def _everyone(statement: dict[str, Any]) -> bool:
    """Whether the statement's Principal is everybody (``*`` or an AWS list holding it)."""
    principal = statement.get("Principal")
    if principal == "*":
        return True
    return isinstance(principal, dict) and "*" in _as_list(principal.get("AWS", []))


def _fixed_values(operator: str, value: Any) -> bool:
    """Whether a condition's values name fixed sources (a wildcard or an empty list
    names anyone)."""
    values = _as_list(value)
    if not values or not all(isinstance(v, str) and v for v in values):
        return False
    if operator in _PATTERN_OPERATORS:
        return not any("*" in v or "?" in v for v in values)
    return operator in _EXACT_OPERATORS


def _narrow_cidrs(value: Any) -> bool:
    values = _as_list(value)
    try:
        networks = [ipaddress.ip_network(v, strict=False) for v in values]
    except (TypeError, ValueError):
        return False
    return bool(networks) and all(n.prefixlen > 0 for n in networks)


def _pins_caller(condition: Any) -> bool:
    """Whether a Condition confines the statement to fixed caller sources. Conditions on
    anything else (transport, time, tags), negated or IfExists operators leave it open."""
    if not isinstance(condition, dict):
        return False
    for operator, block in condition.items():
        if not isinstance(block, dict):
            continue
        for key, value in block.items():
            name = str(key).lower()
            if operator == "IpAddress" and name == "aws:sourceip" and _narrow_cidrs(value):
                return True
            if name in _PINNING_KEYS and _fixed_values(operator, value):
                return True
    return False


def _all_but_some(statement: dict[str, Any]) -> bool:
    """Whether a NotPrincipal leaves anyone in: it names everybody except some fixed
    principals (excluding ``*`` leaves nobody)."""
    if "NotPrincipal" not in statement:
        return False
    excluded = statement["NotPrincipal"]
    if excluded == "*":
        return False
    return not (isinstance(excluded, dict) and "*" in _as_list(excluded.get("AWS", [])))


def is_public(statement: dict[str, Any]) -> bool:
    return (
        statement.get("Effect") == "Allow"
        and (_everyone(statement) or _all_but_some(statement))
        and not _pins_caller(statement.get("Condition"))
    )


def _locks_out(statement: dict[str, Any]) -> bool:
    if statement.get("Effect") != "Deny" or "Condition" in statement or not _everyone(statement):
        return False
    actions = {str(a).lower() for a in _as_list(statement.get("Action", []))}
    return bool(actions & _ALL_SECRETS_ACTIONS)


def review(document: dict[str, Any]) -> list[Finding]:
    """Every problem of a parsed policy. Syntax problems hide the other checks (a policy
    that cannot be read cannot be judged)."""
    statements = _statements(document)
    version = document.get("Version")
    if (
        statements is None
        or (version is not None and not _one_of(version, _VERSIONS))
        or not all(_statement_syntax_ok(s) for s in statements)
    ):
        return [Finding(SYNTAX, SYNTAX_ERROR)]
    if not all(_principals_supported(s) for s in statements):
        return [Finding(SYNTAX, UNSUPPORTED_PRINCIPAL)]
    if not all(_principals_supported(s, services=True) for s in statements):
        return [Finding(SYNTAX, INVALID_SERVICE)]
    findings = []
    if any(is_public(s) for s in statements):
        findings.append(Finding(BROAD_ACCESS, PUBLIC_MESSAGE))
    if any(_locks_out(s) for s in statements):
        findings.append(Finding(LOCKOUT, LOCKOUT_MESSAGE))
    return findings


def check_for_put(text: str, block_public: bool) -> None:
    """What PutResourcePolicy refuses: syntax and principals, then (when asked) public
    access. A lockout is the caller's choice and is accepted."""
    for finding in review(parse(text)):
        if finding.check == SYNTAX:
            raise malformed(finding.message)
        if finding.check == BROAD_ACCESS and block_public:
            raise public_blocked()
