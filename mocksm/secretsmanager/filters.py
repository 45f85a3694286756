"""ListSecrets / BatchGetSecretValue filters (spec 4.12): parsing and matching.

Pure logic over a ``Secret``: no store, no clock. Filters AND together, the values of
one filter OR together, and a value starting with ``!`` is negated. Keys match either
by case-sensitive prefix (name, tags, primary-region, owning-service) or by
case-insensitive word prefix (description, all), using the word tokenizer below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mocksm.secretsmanager import messages
from mocksm.secretsmanager.secret import Secret

WORD_KEYS = frozenset({"description", "all"})
SEPARATORS = frozenset("/-_+=.@")
_CASE_BREAK = re.compile(r"([^a-z][a-z]+)")


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The words AWS's search sees in ``text`` (case kept).

    A lone separator has no words. A string using exactly one kind of separator is
    split on it. One using two or more kinds has no words either: AWS never finds
    ``prod-AppBeta/x`` by any word of it, not even ``prod`` (spec 4.12.4; see
    docs/decisions.md). Each piece is then split on whitespace and at case changes
    (``MyTestPhrase`` -> My, Test, Phrase; ``COMPANYthings`` -> COMPAN, Ythings).
    """
    used = SEPARATORS.intersection(text)
    if len(used) > 1 or text in SEPARATORS:
        return ()
    pieces = text.split(next(iter(used))) if used else [text]
    out: list[str] = []
    for piece in pieces:
        for chunk in piece.split():
            out.extend(part for part in _CASE_BREAK.split(chunk) if part)
    return tuple(out)


@lru_cache(maxsize=65536)
def folded_words(text: str) -> tuple[str, ...]:
    """``words`` lower-cased, for the case-insensitive keys."""
    return tuple(word.lower() for word in words(text))


def words_match(pattern: tuple[str, ...], attribute: str) -> bool:
    """Every pattern word is a prefix of some word of ``attribute`` (no words: no match)."""
    if not pattern:
        return False
    have = folded_words(attribute)
    return all(any(word.startswith(want) for word in have) for want in pattern)


def attributes(secret: Secret, key: str) -> list[str]:
    """The values of ``secret`` a filter on ``key`` looks at (empty: attribute absent)."""
    if key == "name":
        return [secret.name]
    if key == "description":
        return [secret.description] if secret.description else []
    if key == "tag-key":
        return [tag["Key"] for tag in secret.tags]
    if key == "tag-value":
        return [tag.get("Value", "") for tag in secret.tags]
    if key == "primary-region":
        return [secret.primary_region] if secret.primary_region else []
    if key == "owning-service":
        return [secret.owning_service] if secret.owning_service else []
    out = [secret.name]  # "all"
    if secret.description:
        out.append(secret.description)
    out.extend(tag["Key"] for tag in secret.tags)
    out.extend(tag.get("Value", "") for tag in secret.tags)
    return out


@dataclass(frozen=True)
class Term:
    """One filter value: its text without ``!``, whether it was negated, and (for the
    word keys) its lower-cased words."""

    text: str
    negated: bool
    pattern: tuple[str, ...]

    def hits(self, key: str, values: Sequence[str]) -> bool:
        if key in WORD_KEYS:
            found = any(words_match(self.pattern, value) for value in values)
        else:
            found = any(value.startswith(self.text) for value in values)
        if self.negated:
            return bool(values) and not found
        return found


@dataclass(frozen=True)
class Filter:
    key: str
    terms: tuple[Term, ...]

    def matches(self, secret: Secret) -> bool:
        values = attributes(secret, self.key)
        return any(term.hits(self.key, values) for term in self.terms)

    def matcher(self) -> Callable[[Secret], bool]:
        """``matches``, specialised where it is simple: a name filter without negated
        values is one ``str.startswith`` over all its prefixes (listing 10,000 secrets
        runs it 10,000 times)."""
        if self.key == "name" and not any(term.negated for term in self.terms):
            prefixes = tuple(term.text for term in self.terms)
            return lambda secret: secret.name.startswith(prefixes)
        return self.matches


def term(value: str, key: str) -> Term:
    negated = value.startswith("!")
    text = value[1:] if negated else value
    return Term(text, negated, folded_words(text) if key in WORD_KEYS else ())


def parse(raw: Sequence[dict[str, Any]] | None) -> list[Filter]:
    """Validated filters, in request order; the shape errors AWS gives (spec 4.12.1).

    Enum, pattern and length violations were already answered by model validation.
    """
    parsed: list[Filter] = []
    for item in raw or ():
        key = item.get("Key")
        if key is None:
            raise messages.invalid_parameter("Invalid filter key")
        values = item.get("Values")
        if values is None:
            raise messages.invalid_parameter(f"Invalid filter values for key: {key}")
        parsed.append(Filter(key, tuple(term(value, key) for value in values)))
    return parsed


def normalized(raw: Sequence[dict[str, Any]] | None) -> list[list[Any]]:
    """The filters as plain data, for the query digest a NextToken is bound to."""
    return [[item.get("Key"), list(item.get("Values") or ())] for item in raw or ()]


def predicate(parsed: Sequence[Filter]) -> Callable[[Secret], bool]:
    """A test of one secret against every filter (AND over filters)."""
    if not parsed:
        return lambda secret: True
    chosen = tuple(f.matcher() for f in parsed)
    if len(chosen) == 1:
        return chosen[0]

    def accept(secret: Secret) -> bool:
        return all(match(secret) for match in chosen)

    return accept
