"""GetRandomPassword's generator (spec 5.16): AWS's character classes, the ``secrets``
CSPRNG, one character of every required class at a random position, and exactly the
asked length."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from mocksm.errors import ServiceError
from mocksm.secretsmanager import messages

UPPERCASE = string.ascii_uppercase
LOWERCASE = string.ascii_lowercase
NUMBERS = string.digits
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
SPACE = " "
DEFAULT_LENGTH = 32

_BYTE = 256


def _fill(pool: str, count: int) -> list[str]:
    """``count`` characters drawn uniformly from ``pool`` (at most 96 characters) out of
    one batch of OS randomness; bytes past the last whole multiple of the pool size are
    rejected, so no character is favoured. Far cheaper than one CSPRNG call per character
    (a 4096-character password would otherwise cost thousands of system calls)."""
    size = len(pool)
    limit = _BYTE - _BYTE % size
    out: list[str] = []
    while len(out) < count:
        need = count - len(out)
        batch = secrets.token_bytes(need + need // 2 + 16)
        out.extend(pool[byte % size] for byte in batch if byte < limit)
    del out[count:]
    return out


def nothing_left() -> ServiceError:
    return messages.invalid_parameter("All characters have been excluded from selection.")


def class_emptied() -> ServiceError:
    return messages.invalid_parameter("All characters of the desired type have been excluded.")


def too_short() -> ServiceError:
    return messages.invalid_parameter("Password length is too short based on the required types.")


@dataclass(frozen=True)
class PasswordRules:
    length: int = DEFAULT_LENGTH
    exclude_characters: str = ""
    exclude_numbers: bool = False
    exclude_punctuation: bool = False
    exclude_uppercase: bool = False
    exclude_lowercase: bool = False
    include_space: bool = False
    require_each_included_type: bool = True


def _classes(rules: PasswordRules) -> list[tuple[str, str]]:
    """The enabled classes as (full set, set after ExcludeCharacters)."""
    excluded = set(rules.exclude_characters)
    enabled = [
        (chars, flag)
        for chars, flag in (
            (UPPERCASE, rules.exclude_uppercase),
            (LOWERCASE, rules.exclude_lowercase),
            (NUMBERS, rules.exclude_numbers),
            (PUNCTUATION, rules.exclude_punctuation),
        )
        if not flag
    ]
    return [(chars, "".join(c for c in chars if c not in excluded)) for chars, _ in enabled]


def generate(rules: PasswordRules) -> str:
    """A password following ``rules``, or the InvalidParameterException AWS answers."""
    classes = _classes(rules)
    pool = "".join(kept for _, kept in classes)
    if rules.include_space and SPACE not in rules.exclude_characters:
        pool += SPACE
    if not pool:
        raise nothing_left()
    required: list[str] = []
    if rules.require_each_included_type:
        required = [kept for _, kept in classes]
        if any(not kept for kept in required):
            raise class_emptied()
        if rules.length < len(required):
            raise too_short()
    chars = _fill(pool, rules.length - len(required))
    # Each required character goes to a uniformly random position among those already
    # there. The filler characters are independent and identically distributed, so this is
    # distributed exactly as a full shuffle of all the characters.
    for kept in required:
        chars.insert(secrets.randbelow(len(chars) + 1), secrets.choice(kept))
    return "".join(chars)
