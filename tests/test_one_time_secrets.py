"""Initial passwords and sealed one-time files (authz.credentials), without the database."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from authz.credentials import new_initial_password, seal, unseal


def classes(password: str) -> int:
    return sum([any(c.isupper() for c in password), any(c.islower() for c in password),
                any(c.isdigit() for c in password), any(not c.isalnum() for c in password)])


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=40))
def test_initial_passwords_meet_the_rule_and_never_start_a_formula(length: int) -> None:
    password = new_initial_password(length)
    assert len(password) == max(length, 8)
    assert classes(password) == 4
    assert not set(password) & set("=+-@ \t0O1lI")


def test_initial_passwords_do_not_repeat() -> None:
    assert len({new_initial_password() for _ in range(500)}) == 500


@given(st.binary(max_size=4096))
def test_sealed_content_comes_back_only_with_its_key(content: bytes) -> None:
    sealed = seal(content)
    assert unseal(sealed.key, sealed.blob) == content
    assert unseal(seal(content).key, sealed.blob) is None  # another key
    assert sealed.key not in sealed.key_digest
    if len(content) >= 16:
        assert content not in sealed.blob  # not stored in clear


@given(st.binary(min_size=1, max_size=512), st.data())
def test_a_tampered_blob_is_refused(content: bytes, data: st.DataObject) -> None:
    sealed = seal(content)
    at = data.draw(st.integers(min_value=0, max_value=len(sealed.blob) - 1))
    flipped = bytearray(sealed.blob)
    flipped[at] ^= 0x01
    assert unseal(sealed.key, bytes(flipped)) is None
    assert unseal(sealed.key, sealed.blob[:-1]) is None
