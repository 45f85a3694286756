"""ListSecrets filters: the word tokenizer, and a property test of ListSecrets against a
brute-force reference written independently of mocksm's filter module."""

from __future__ import annotations

import string
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mocksm import mock_secretsmanager
from mocksm.secretsmanager.filters import words

# --- tokenizer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("test", ["test"]),
        ("my test", ["my", "test"]),
        ("my   test", ["my", "test"]),
        ("Mytest", ["Mytest"]),
        ("MyTest", ["My", "Test"]),
        ("MyTestPhrase", ["My", "Test", "Phrase"]),
        ("myTest", ["my", "Test"]),
        ("my/test", ["my", "test"]),
        ("SecretOne", ["Secret", "One"]),
        ("DescTwo", ["Desc", "Two"]),
        ("Thirdsecret", ["Thirdsecret"]),
        ("COMPANYthings", ["COMPAN", "Ythings"]),
        ("uat/COMPANYthings/x1", ["uat", "COMPAN", "Ythings", "x1"]),
        ("prod+AppBeta+x", ["prod", "App", "Beta", "x"]),
        ("prod@AppBeta@x", ["prod", "App", "Beta", "x"]),
        # two kinds of separator: no words at all (AWS never finds such a string)
        ("prod-AppBeta/x", []),
        ("testing1/one-1", []),
        ("a b/c-d", []),
        # a lone separator has no words; an empty or blank string neither
        ("/", []),
        ("+", []),
        ("", []),
        ("   ", []),
        ("a secret", ["a", "secret"]),
        ("thesecret", ["thesecret"]),
        # whitespace always separates words, whatever the case around it
        ("ONE TWO", ["ONE", "TWO"]),
        ("x 1", ["x", "1"]),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert list(words(text)) == expected


# --- the reference ---------------------------------------------------------------------

SEPARATORS = "/-_+=.@"


def ref_words(text: str) -> list[str]:
    """Spec 4.12.4, written as a plain character walk (no regular expressions)."""
    if len(text) == 1 and text in SEPARATORS:
        return []
    kinds = sorted({c for c in text if c in SEPARATORS})
    if len(kinds) >= 2:
        return []
    pieces = text.split(kinds[0]) if kinds else [text]
    out: list[str] = []
    for piece in pieces:
        for chunk in piece.split():
            current = ""
            i = 0
            while i < len(chunk):
                lower_next = i + 1 < len(chunk) and chunk[i + 1] in string.ascii_lowercase
                if chunk[i] not in string.ascii_lowercase and lower_next:
                    if current:
                        out.append(current)
                        current = ""
                    j = i + 1
                    while j < len(chunk) and chunk[j] in string.ascii_lowercase:
                        j += 1
                    out.append(chunk[i:j])
                    i = j
                else:
                    current += chunk[i]
                    i += 1
            if current:
                out.append(current)
    return out


def ref_word_match(pattern: str, attribute: str) -> bool:
    wanted = [w.lower() for w in ref_words(pattern)]
    have = [w.lower() for w in ref_words(attribute)]
    if not wanted:
        return False
    return all(any(word.startswith(want) for word in have) for want in wanted)


def ref_attributes(secret: dict[str, Any], key: str) -> list[str]:
    tags = secret["tags"]
    if key == "name":
        return [secret["name"]]
    if key == "description":
        return [secret["description"]] if secret["description"] else []
    if key == "tag-key":
        return list(tags)
    if key == "tag-value":
        return list(tags.values())
    if key == "primary-region":
        return [secret["primary_region"]] if secret["primary_region"] else []
    if key == "owning-service":
        return [secret["owning_service"]] if secret["owning_service"] else []
    everything = [secret["name"]]
    if secret["description"]:
        everything.append(secret["description"])
    return everything + list(tags) + list(tags.values())


def ref_value_matches(secret: dict[str, Any], key: str, value: str) -> bool:
    negated = value.startswith("!")
    text = value[1:] if negated else value
    attrs = ref_attributes(secret, key)
    if key in ("description", "all"):
        hit = [ref_word_match(text, a) for a in attrs]
    else:
        hit = [a.startswith(text) for a in attrs]
    if negated:
        return len(attrs) > 0 and not any(hit)
    return any(hit)


def ref_filter(secrets: list[dict[str, Any]], filters: list[dict[str, Any]]) -> list[str]:
    out = []
    for secret in secrets:
        keep = True
        for f in filters:
            if not any(ref_value_matches(secret, f["Key"], v) for v in f["Values"]):
                keep = False
        if keep:
            out.append(secret["name"])
    return out


@given(st.text(alphabet="aAbZz1 /-_+.", max_size=12))
def test_tokenizer_agrees_with_reference(text: str) -> None:
    assert list(words(text)) == ref_words(text)


# --- ListSecrets against the reference ---------------------------------------------------

KEYS = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"]
names = st.text(alphabet="abAB1/-_", min_size=1, max_size=8)
texts = st.text(alphabet="abtAT1 /-_.", max_size=12)
tag_keys = st.text(alphabet="abAB1/-_ ", min_size=1, max_size=6)
tag_values = st.text(alphabet="abAB1/-_ ", max_size=6)
secret_specs = st.fixed_dictionaries({
    "description": texts,
    "tags": st.dictionaries(tag_keys, tag_values, max_size=3),
    "primary_region": st.sampled_from([None, "us-east-1", "eu-west-1"]),
    "owning_service": st.sampled_from([None, "rds", "appflow", "RDS"]),
})
filter_values = st.builds(
    lambda neg, body: ("!" if neg else "") + body,
    st.booleans(),
    st.text(alphabet="abAtT1 /-_.", max_size=5),
)
filter_lists = st.lists(
    st.fixed_dictionaries({
        "Key": st.sampled_from(KEYS),
        "Values": st.lists(filter_values, min_size=1, max_size=3),
    }),
    min_size=1,
    max_size=3,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(names, secret_specs, min_size=1, max_size=8),
    st.lists(filter_lists, min_size=1, max_size=3),
)
def test_list_secrets_matches_reference(
    specs: dict[str, dict[str, Any]], queries: list[list[dict[str, Any]]]
) -> None:
    secrets = [dict(spec, name=name) for name, spec in specs.items()]
    with mock_secretsmanager() as handle:
        client = boto3.client("secretsmanager", region_name="us-east-1")
        store = handle._state.backend(handle.account_id, "us-east-1")
        for secret in secrets:
            kwargs: dict[str, Any] = {"Name": secret["name"]}
            if secret["description"]:
                kwargs["Description"] = secret["description"]
            if secret["tags"]:
                kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in secret["tags"].items()]
            client.create_secret(**kwargs)
            # No API sets these two yet: shape the model directly.
            model = store.by_name[secret["name"]]
            model.primary_region = secret["primary_region"]
            model.owning_service = secret["owning_service"]
        for filters in queries:
            listed = client.list_secrets(Filters=filters)["SecretList"]
            assert [s["Name"] for s in listed] == ref_filter(secrets, filters), filters


# --- paging and sorting against the reference ---------------------------------------------

ref_sort_keys = {
    "created-date": lambda s: s["created"],
    "last-changed-date": lambda s: s["changed"],
    "last-accessed-date": lambda s: s["accessed"] or 0.0,
    "name": lambda s: s["name"],
}
steps = st.lists(
    st.tuples(
        st.sampled_from([0, 0, 1, 86400]),  # clock step before creating (ties included)
        st.booleans(),  # read it (LastAccessedDate) on a later day
        st.booleans(),  # change its description afterwards (LastChangedDate)
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps,
    st.sampled_from(list(ref_sort_keys)),
    st.sampled_from(["asc", "desc"]),
    st.integers(min_value=1, max_value=5),
    st.sampled_from([[], [{"Key": "description", "Values": ["keep"]}]]),
)
def test_paging_matches_reference_order(
    plan: list[tuple[int, bool, bool]],
    sort_by: str,
    order: str,
    page_size: int,
    filters: list[dict[str, Any]],
) -> None:
    with mock_secretsmanager() as handle:
        handle.clock.freeze(1_700_000_000)
        client = boto3.client("secretsmanager", region_name="us-east-1")
        secrets = []
        for i, (step, _, _) in enumerate(plan):
            handle.clock.advance(seconds=step)
            name = f"{'Bb'[i % 2]}{(i * 7) % 5}-{i}"
            description = "keep me" if i % 3 else "drop me"
            client.create_secret(Name=name, SecretString="v", Description=description)
            now = handle.clock.now()
            secrets.append({"name": name, "created": now, "changed": now, "accessed": None,
                            "description": description, "seq": i})
        for secret, (_, read, change) in zip(secrets, plan, strict=True):
            handle.clock.advance(days=1)
            if read:
                client.get_secret_value(SecretId=secret["name"])
                secret["accessed"] = handle.clock.now() // 86400 * 86400
            if change:
                client.update_secret(SecretId=secret["name"], Description=secret["description"])
                secret["changed"] = handle.clock.now()
        expected = sorted(secrets, key=lambda s: (ref_sort_keys[sort_by](s), s["seq"]))
        if order == "desc":
            expected.reverse()
        if filters:
            expected = [s for s in expected if s["description"].startswith("keep")]
        listed: list[str] = []
        kwargs: dict[str, Any] = {"SortBy": sort_by, "SortOrder": order, "MaxResults": page_size}
        if filters:
            kwargs["Filters"] = filters
        for _ in range(len(secrets) + 1):  # bounded: a token that never advances fails
            page = client.list_secrets(**kwargs)
            assert len(page["SecretList"]) <= page_size
            listed += [entry["Name"] for entry in page["SecretList"]]
            if "NextToken" not in page:
                break
            kwargs["NextToken"] = page["NextToken"]
        else:
            raise AssertionError("pagination did not end")
        assert listed == [s["name"] for s in expected]
