"""Login throttling: free failures, doubling waits to a cap, a quiet window forgets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.login_throttle import (
    ThrottlePolicy,
    address_key,
    after_failure,
    failures_before,
    retry_after,
    wait_seconds,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(max_failures=5, base_delay_seconds=30, max_delay_seconds=3600,
                        window_seconds=3600)

policies = st.builds(
    lambda n, base, extra, window: ThrottlePolicy(n, base, base + extra, window),
    st.integers(1, 50), st.integers(0, 10**4), st.integers(0, 10**6), st.integers(0, 10**6))


def test_waits_start_at_the_limit_and_double_to_the_cap() -> None:
    assert [wait_seconds(n, POLICY) for n in range(0, 5)] == [0, 0, 0, 0, 0]
    assert [wait_seconds(n, POLICY) for n in range(5, 10)] == [30, 60, 120, 240, 480]
    assert wait_seconds(12, POLICY) == 3600
    assert wait_seconds(10**9, POLICY) == 3600


def test_a_failure_within_the_window_counts_on() -> None:
    state = after_failure(4, NOW - timedelta(minutes=5), NOW, POLICY)
    assert state.failures == 5
    assert state.wait_until == NOW + timedelta(seconds=30)


def test_a_quiet_window_starts_the_count_again() -> None:
    state = after_failure(40, NOW - timedelta(seconds=3601), NOW, POLICY)
    assert state.failures == 1
    assert state.wait_until is None
    assert failures_before(3, None, NOW, POLICY) == 0
    assert failures_before(3, NOW - timedelta(seconds=3600), NOW, POLICY) == 3


def test_retry_after_rounds_up_and_is_none_once_passed() -> None:
    assert retry_after(None, NOW) is None
    assert retry_after(NOW, NOW) is None
    assert retry_after(NOW - timedelta(seconds=1), NOW) is None
    assert retry_after(NOW + timedelta(milliseconds=10), NOW) == 1
    assert retry_after(NOW + timedelta(seconds=30), NOW) == 30
    assert retry_after(NOW + timedelta(seconds=30.2), NOW) == 31


@pytest.mark.parametrize("kwargs", [
    {"max_failures": 0}, {"base_delay_seconds": -1}, {"window_seconds": -1},
    {"base_delay_seconds": 10, "max_delay_seconds": 5},
])
def test_nonsense_policies_are_refused(kwargs: dict[str, float]) -> None:
    values: dict[str, float] = {"max_failures": 5, "base_delay_seconds": 1,
                                "max_delay_seconds": 10, "window_seconds": 60}
    values.update(kwargs)
    with pytest.raises(ValueError, match=r"throttle settings|longest wait"):
        ThrottlePolicy(int(values["max_failures"]), values["base_delay_seconds"],
                       values["max_delay_seconds"], values["window_seconds"])


@given(policies, st.integers(0, 10_000))
def test_waits_never_shrink_and_never_pass_the_cap(policy: ThrottlePolicy, n: int) -> None:
    assert 0 <= wait_seconds(n, policy) <= wait_seconds(n + 1, policy) <= policy.max_delay_seconds


@given(policies, st.integers(0, 1000), st.integers(0, 10**7))
def test_one_more_failure_counts_one_more_or_starts_again(
        policy: ThrottlePolicy, failures: int, ago: int) -> None:
    state = after_failure(failures, NOW - timedelta(seconds=ago), NOW, policy)
    assert state.failures == (failures + 1 if ago <= policy.window_seconds else 1)
    wait = wait_seconds(state.failures, policy)
    assert (state.wait_until is None) == (wait == 0)
    if state.wait_until is not None:
        assert state.wait_until > NOW


@given(policies, st.integers(0, 1000))
def test_below_the_limit_nobody_waits(policy: ThrottlePolicy, n: int) -> None:
    assert (wait_seconds(n, policy) > 0) == (n >= policy.max_failures
                                             and policy.base_delay_seconds > 0)


@pytest.mark.parametrize(("address", "key"), [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("testclient", "testclient"),
    ("x" * 100, "x" * 64),
])
def test_address_keys(address: str, key: str) -> None:
    assert address_key(address) == key


@given(st.ip_addresses())
def test_every_address_key_fits_the_column(address: object) -> None:
    assert len(address_key(str(address))) <= 64
