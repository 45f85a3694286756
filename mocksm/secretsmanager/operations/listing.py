"""ListSecrets and BatchGetSecretValue: the catalogue of a store, filtered, sorted and paged."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mocksm.errors import ServiceError
from mocksm.secretsmanager import filters, messages, ordering, pagination, views
from mocksm.secretsmanager.call import Call
from mocksm.secretsmanager.operations import operation
from mocksm.secretsmanager.operations.versions import get_secret_value
from mocksm.secretsmanager.secret import Secret
from mocksm.secretsmanager.store import SecretStore

LIST_PAGE = 100
BATCH_PAGE = 20
BATCH_ORDER = "created-date"

ONE_SOURCE = "Either 'SecretIdList' or 'Filters' must be provided, but not both."
LIMIT_WITHOUT_FILTERS = (
    "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided."
)


def _after(p: dict[str, Any], op: str, query: str, sort_by: str) -> ordering.Cursor | None:
    token = p.get("NextToken")
    if token is None:
        return None
    return ordering.decode_cursor(pagination.decode(token, op, query), sort_by)


def _page(
    store: SecretStore,
    sort_by: str,
    descending: bool,
    after: ordering.Cursor | None,
    limit: int,
    accept: Callable[[Secret], bool],
) -> tuple[list[tuple[ordering.Cursor, Secret]], bool]:
    """Up to ``limit`` accepted secrets after the cursor, and whether more follow."""
    page: list[tuple[ordering.Cursor, Secret]] = []
    for cursor, secret in ordering.walk(store, sort_by, descending, after):
        if accept(secret):
            if len(page) == limit:
                return page, True
            page.append((cursor, secret))
    return page, False


@operation("ListSecrets")
def list_secrets(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    parsed = filters.parse(p.get("Filters"))
    sort_by = p.get("SortBy") or "created-date"
    descending = p.get("SortOrder") == "desc"
    include_deleted = bool(p.get("IncludePlannedDeletion"))
    limit = p.get("MaxResults") or LIST_PAGE
    query = pagination.digest([
        call.account, call.region, filters.normalized(p.get("Filters")),
        sort_by, descending, include_deleted,
    ])
    after = _after(p, "ListSecrets", query, sort_by)
    store = call.store
    store.purge_due(call.now)
    matches = filters.predicate(parsed)

    def accept(secret: Secret) -> bool:
        return (include_deleted or not secret.scheduled_for_deletion) and matches(secret)

    page, more = _page(store, sort_by, descending, after, limit, accept)
    out: dict[str, Any] = {"SecretList": [views.list_entry(secret) for _, secret in page]}
    if more:
        last = ordering.encode_cursor(page[-1][0])
        out["NextToken"] = pagination.encode("ListSecrets", query, last)
    return out


@operation("BatchGetSecretValue")
def batch_get_secret_value(call: Call, p: dict[str, Any]) -> dict[str, Any]:
    ids = p.get("SecretIdList")
    raw_filters = p.get("Filters") or None  # an empty list selects nothing: not given
    if ids and raw_filters:
        raise messages.invalid_parameter(ONE_SOURCE)
    if "MaxResults" in p and not raw_filters:
        raise messages.invalid_parameter(LIMIT_WITHOUT_FILTERS)
    if not ids and not raw_filters:
        raise messages.invalid_parameter(ONE_SOURCE)
    values: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    if ids:
        if p.get("NextToken") is not None:
            raise pagination.invalid_token()  # this mode never hands out tokens
        for secret_id in ids:
            _fetch(call, secret_id, values, errors)
        return {"SecretValues": values, "Errors": errors}
    parsed = filters.parse(raw_filters)
    limit = p.get("MaxResults") or BATCH_PAGE
    query = pagination.digest([call.account, call.region, filters.normalized(raw_filters)])
    after = _after(p, "BatchGetSecretValue", query, BATCH_ORDER)
    store = call.store
    store.purge_due(call.now)
    matches = filters.predicate(parsed)

    def accept(secret: Secret) -> bool:
        return not secret.scheduled_for_deletion and matches(secret)

    page, more = _page(store, BATCH_ORDER, False, after, limit, accept)
    for _, secret in page:
        _fetch(call, secret.arn, values, errors)
    out: dict[str, Any] = {"SecretValues": values, "Errors": errors}
    if more:
        last = ordering.encode_cursor(page[-1][0])
        out["NextToken"] = pagination.encode("BatchGetSecretValue", query, last)
    return out


def _fetch(
    call: Call, secret_id: str, values: list[dict[str, Any]], errors: list[dict[str, str]]
) -> None:
    """Read AWSCURRENT exactly as GetSecretValue would; a failure becomes an entry."""
    try:
        values.append(get_secret_value(call, {"SecretId": secret_id}))
    except ServiceError as error:
        errors.append({"SecretId": secret_id, "ErrorCode": error.code, "Message": error.message})
