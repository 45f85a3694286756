"""GetRandomPassword (spec 5.16): parameters, limits, exact character sets, errors, and
that the required characters land at unpredictable positions."""

from __future__ import annotations

import itertools
import random
import string
from collections import Counter
from typing import Any

import pytest

from mocksm.secretsmanager import password
from tests.helpers import aws_error

UPPER = set(string.ascii_uppercase)
LOWER = set(string.ascii_lowercase)
DIGITS = set(string.digits)
PUNCT = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
NOTHING_LEFT = "All characters have been excluded from selection."
CLASS_EMPTIED = "All characters of the desired type have been excluded."
TOO_SHORT = "Password length is too short based on the required types."


@pytest.fixture
def sm(mocksm: Any) -> Any:
    return mocksm.client()


def draw(sm: Any, **kwargs: Any) -> str:
    out = sm.get_random_password(**kwargs)
    assert set(out) == {"RandomPassword", "ResponseMetadata"}
    value = out["RandomPassword"]
    assert isinstance(value, str)
    return value


def test_punctuation_is_python_punctuation() -> None:
    assert string.punctuation == password.PUNCTUATION
    assert len(PUNCT) == 32 and set(string.punctuation) == PUNCT


def test_default_password(sm: Any) -> None:
    for _ in range(50):
        value = draw(sm)
        assert len(value) == 32
        chars = set(value)
        assert chars <= UPPER | LOWER | DIGITS | PUNCT
        assert chars & UPPER and chars & LOWER and chars & DIGITS and chars & PUNCT


def test_default_pool_is_exactly_the_four_classes(sm: Any) -> None:
    seen: set[str] = set()
    for _ in range(200):
        seen |= set(draw(sm, PasswordLength=200))
    assert seen == UPPER | LOWER | DIGITS | PUNCT


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"ExcludeUppercase": True, "ExcludeLowercase": True, "ExcludeNumbers": True}, PUNCT),
        ({"ExcludeUppercase": True, "ExcludeLowercase": True, "ExcludePunctuation": True},
         DIGITS),
        ({"ExcludeUppercase": True, "ExcludeNumbers": True, "ExcludePunctuation": True}, LOWER),
        ({"ExcludeLowercase": True, "ExcludeNumbers": True, "ExcludePunctuation": True}, UPPER),
    ],
)
def test_each_class_alone_is_exact(sm: Any, flags: dict[str, bool], expected: set[str]) -> None:
    seen: set[str] = set()
    for _ in range(100):
        seen |= set(draw(sm, PasswordLength=100, **flags))
    assert seen == expected


@pytest.mark.parametrize("length", [4, 5, 17, 120, 4096])
def test_exact_length(sm: Any, length: int) -> None:
    assert len(draw(sm, PasswordLength=length)) == length


def test_length_one_needs_a_single_class(sm: Any) -> None:
    with aws_error("InvalidParameterException", TOO_SHORT):
        sm.get_random_password(PasswordLength=1)
    with aws_error("InvalidParameterException", TOO_SHORT):
        sm.get_random_password(PasswordLength=3)
    value = draw(sm, PasswordLength=1, ExcludeUppercase=True, ExcludeLowercase=True,
                 ExcludePunctuation=True)
    assert value in DIGITS
    assert len(draw(sm, PasswordLength=1, RequireEachIncludedType=False)) == 1


def test_length_limits(sm: Any) -> None:
    with aws_error(
        "ValidationException",
        "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy "
        "constraint: Member must have value less than or equal to 4096",
    ):
        sm.get_random_password(PasswordLength=4097)


def test_length_zero_raw(mocksm: Any) -> None:
    response = mocksm.raw_request("secretsmanager.GetRandomPassword", {"PasswordLength": 0})
    assert response.status == 400
    body = response.json()
    assert body["__type"] == "ValidationException"
    message = body.get("Message", body.get("message"))
    assert message == (
        "1 validation error detected: Value '0' at 'passwordLength' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1"
    )


def test_exclude_characters(sm: Any) -> None:
    """The AWS-validated example: length 120 without any of xyzDje@?!."""
    for _ in range(50):
        value = draw(sm, PasswordLength=120, ExcludeCharacters="xyzDje@?!.")
        assert len(value) == 120
        assert not set(value) & set("xyzDje@?!.")


def test_exclude_characters_unrelated_to_classes_is_harmless(sm: Any) -> None:
    assert len(draw(sm, ExcludeCharacters="éß€\t")) == 32


def test_include_space(sm: Any) -> None:
    seen: set[str] = set()
    for _ in range(100):
        seen |= set(draw(sm, PasswordLength=100, IncludeSpace=True, ExcludeUppercase=True,
                         ExcludeLowercase=True, ExcludePunctuation=True))
    assert seen == DIGITS | {" "}
    assert " " not in "".join(draw(sm, PasswordLength=200) for _ in range(20))


def test_space_is_never_required(sm: Any) -> None:
    """Length equal to the number of classes: one of each, no room for a space."""
    for _ in range(50):
        value = draw(sm, PasswordLength=4, IncludeSpace=True)
        assert len(set(value) & UPPER) == len(set(value) & LOWER) == 1
        assert len(set(value) & DIGITS) == len(set(value) & PUNCT) == 1


def test_space_can_be_excluded_by_characters(sm: Any) -> None:
    with aws_error("InvalidParameterException", NOTHING_LEFT):
        sm.get_random_password(IncludeSpace=True, ExcludeCharacters=" ", ExcludeUppercase=True,
                               ExcludeLowercase=True, ExcludeNumbers=True,
                               ExcludePunctuation=True)


def test_only_space(sm: Any) -> None:
    value = draw(sm, PasswordLength=5, IncludeSpace=True, ExcludeUppercase=True,
                 ExcludeLowercase=True, ExcludeNumbers=True, ExcludePunctuation=True)
    assert value == "     "


def test_everything_excluded(sm: Any) -> None:
    with aws_error("InvalidParameterException", NOTHING_LEFT):
        sm.get_random_password(ExcludeUppercase=True, ExcludeLowercase=True,
                               ExcludeNumbers=True, ExcludePunctuation=True)
    with aws_error("InvalidParameterException", NOTHING_LEFT):
        sm.get_random_password(ExcludeCharacters="".join(UPPER | LOWER | DIGITS | PUNCT))
    with aws_error("InvalidParameterException", NOTHING_LEFT):
        sm.get_random_password(ExcludeUppercase=True, ExcludeLowercase=True,
                               ExcludeNumbers=True, ExcludeCharacters=string.punctuation,
                               RequireEachIncludedType=False)


def test_required_class_emptied_by_exclusions(sm: Any) -> None:
    with aws_error("InvalidParameterException", CLASS_EMPTIED):
        sm.get_random_password(ExcludeCharacters=string.digits)
    with aws_error("InvalidParameterException", CLASS_EMPTIED):  # checked before length
        sm.get_random_password(ExcludeCharacters=string.digits, PasswordLength=1)
    value = draw(sm, ExcludeCharacters=string.digits, RequireEachIncludedType=False)
    assert not set(value) & DIGITS
    value = draw(sm, ExcludeCharacters=string.digits, ExcludeNumbers=True)
    assert not set(value) & DIGITS


def test_one_character_left_in_a_class_is_always_used(sm: Any) -> None:
    only_seven = "".join(DIGITS - {"7"})
    for _ in range(50):
        value = draw(sm, PasswordLength=8, ExcludeCharacters=only_seven)
        assert "7" in value
        assert not set(value) & (DIGITS - {"7"})


def test_without_requirement_classes_may_be_missing(sm: Any) -> None:
    """With RequireEachIncludedType=False a 4-char password from 94 characters lacks some
    class most of the time; with it (default) never."""
    missing = 0
    for _ in range(200):
        value = set(draw(sm, PasswordLength=4, RequireEachIncludedType=False))
        if not all(value & cls for cls in (UPPER, LOWER, DIGITS, PUNCT)):
            missing += 1
    assert missing > 100
    for _ in range(200):
        value = set(draw(sm, PasswordLength=4))
        assert all(value & cls for cls in (UPPER, LOWER, DIGITS, PUNCT))


def test_not_reproducible_through_random_seed(sm: Any) -> None:
    random.seed(1234)
    first = draw(sm)
    random.seed(1234)
    assert draw(sm) != first


def _chi_square(counts: Counter[Any], cells: list[Any]) -> float:
    total = sum(counts.values())
    expected = total / len(cells)
    return sum((counts.get(cell, 0) - expected) ** 2 / expected for cell in cells)


def test_required_positions_are_unpredictable() -> None:
    """Length 4 with four required classes: every password is one character of each class,
    so its class pattern is a permutation. All 24 must be about equally frequent.

    4800 draws, 200 expected per cell, 23 degrees of freedom. The bound 100 lies beyond
    p = 1e-10 for a fair shuffle, while any fixed placement scores about 110,000."""
    rules = password.PasswordRules(length=4)

    def pattern(value: str) -> tuple[str, ...]:
        return tuple("U" if c in UPPER else "L" if c in LOWER else "D" if c in DIGITS else "P"
                     for c in value)

    counts = Counter(pattern(password.generate(rules)) for _ in range(4800))
    cells = list(itertools.permutations("ULDP"))
    assert set(counts) <= set(cells)
    assert _chi_square(counts, cells) < 100


def test_rare_class_position_is_uniform() -> None:
    """The one digit left ("7") forced into a 10-character password otherwise of letters:
    its position must be uniform over the ten places (9 degrees of freedom, 500 expected per
    place; the bound 60 lies beyond p = 1e-9)."""
    rules = password.PasswordRules(
        length=10, exclude_punctuation=True, exclude_characters="012345689"
    )
    positions: Counter[int] = Counter()
    draws = 0
    while draws < 5000:
        value = password.generate(rules)
        digits = [i for i, c in enumerate(value) if c in DIGITS]
        if len(digits) == 1:
            positions[digits[0]] += 1
            draws += 1
    assert _chi_square(positions, list(range(10))) < 60


def test_characters_are_uniform() -> None:
    """Digits only, 819,200 draws: each digit expected 81,920 times (9 degrees of freedom;
    the bound 60 lies beyond p = 1e-9). Reducing random bytes modulo 10 without rejecting
    the last partial block would favour 0-5 and score about 300."""
    rules = password.PasswordRules(length=4096, exclude_uppercase=True,
                                   exclude_lowercase=True, exclude_punctuation=True)
    counts = Counter("".join(password.generate(rules) for _ in range(200)))
    assert _chi_square(counts, sorted(DIGITS)) < 60
