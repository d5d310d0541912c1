"""Password rules: length, three of four classes, not the username; every broken rule named."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.errors import RuleError
from rules.password_policy import (
    MAX_LENGTH,
    PasswordPolicy,
    char_class,
    classes_of,
    password_problems,
)
from vocab.accounts import CharClass

DEFAULT = PasswordPolicy()
SAMPLES = {CharClass.uppercase: "ABCDEFGH", CharClass.lowercase: "abcdefgh",
           CharClass.digit: "12345678", CharClass.symbol: "@#$%^&*!"}


def test_the_defaults_are_the_standards() -> None:
    assert (DEFAULT.min_length, DEFAULT.min_classes, DEFAULT.forbid_username) == (8, 3, True)


@pytest.mark.parametrize(("char", "expected"), [
    ("A", CharClass.uppercase), ("z", CharClass.lowercase), ("7", CharClass.digit),
    ("@", CharClass.symbol), ("中", CharClass.symbol), (" ", None), ("\x00", None)])
def test_each_character_has_its_class(char: str, expected: CharClass | None) -> None:
    assert char_class(char) == expected


@pytest.mark.parametrize("combo", [c for n in range(1, 5)
                                   for c in itertools.combinations(list(CharClass), n)])
def test_every_combination_of_classes(combo: tuple[CharClass, ...]) -> None:
    """Exhaustive over the 15 non-empty class sets: accepted exactly from three classes on."""
    password = "".join(SAMPLES[c][:3] for c in combo).ljust(8, SAMPLES[combo[0]][0])
    assert classes_of(password) == frozenset(combo)
    problems = password_problems(password, "zhangsan", DEFAULT)
    if len(combo) >= 3:
        assert problems == []
    else:
        assert len(problems) == 1
        missing = [c.label for c in CharClass if c not in combo]
        assert all(label in problems[0] for label in missing)
        assert "3种" in problems[0]


def test_too_short_is_named() -> None:
    assert password_problems("Ab1@", "u", DEFAULT) == ["密码长度至少8位"]


def test_the_username_may_not_be_in_the_password() -> None:
    assert password_problems("Zhangsan@1", "zhangsan", DEFAULT) == [
        "密码不能与用户名相同或包含用户名"]
    assert password_problems("Zhangsan@1", "zhangsan",
                             PasswordPolicy(forbid_username=False)) == []


def test_every_broken_rule_is_listed() -> None:
    problems = password_problems("admin", "admin", DEFAULT)
    assert len(problems) == 3


def test_control_characters_and_overlong_passwords_are_refused() -> None:
    assert "密码不能包含控制字符" in password_problems("Abcdef1@\x00", "u", DEFAULT)
    assert f"密码长度不能超过{MAX_LENGTH}位" in password_problems(
        "Ab1@" * 40, "u", DEFAULT)


@pytest.mark.parametrize("kwargs", [{"min_length": 7}, {"min_length": 65}, {"min_classes": 0},
                                    {"min_classes": 5}])
def test_a_policy_below_the_standard_is_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(RuleError):
        PasswordPolicy(**kwargs)


policies = st.builds(PasswordPolicy, st.integers(8, 64), st.integers(1, 4), st.booleans())


@given(st.text(max_size=80), st.text(max_size=20), policies)
def test_accepted_passwords_meet_every_rule(password: str, username: str,
                                            policy: PasswordPolicy) -> None:
    if password_problems(password, username, policy) == []:
        assert policy.min_length <= len(password) <= MAX_LENGTH
        assert len(classes_of(password)) >= policy.min_classes
        if policy.forbid_username and username.strip():
            assert username.strip().casefold() not in password.casefold()


@given(st.text(max_size=80), st.text(max_size=20), policies)
def test_a_stricter_policy_never_accepts_more(password: str, username: str,
                                              policy: PasswordPolicy) -> None:
    stricter = PasswordPolicy(min(policy.min_length + 4, 64), min(policy.min_classes + 1, 4),
                              True)
    if password_problems(password, username, stricter) == []:
        assert password_problems(password, username, policy) == []


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd", "Po", "Sm"]),
               min_size=1, max_size=60))
def test_problems_are_chinese(password: str) -> None:
    for problem in password_problems(password, "user", DEFAULT):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem)
