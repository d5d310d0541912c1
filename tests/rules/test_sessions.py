"""Sessions end when revoked, expired or idle; their use is written at most once a minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.sessions import TOUCH_INTERVAL, password_expired, session_live, touch_due

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
IDLE = timedelta(minutes=30)
LATER = NOW + timedelta(hours=8)


def test_a_fresh_session_is_live() -> None:
    assert session_live(NOW, NOW, LATER, None, IDLE)


def test_revoked_expired_and_idle_sessions_end() -> None:
    assert not session_live(NOW, NOW, LATER, NOW, IDLE)
    assert not session_live(LATER, LATER, LATER, None, IDLE)
    assert session_live(NOW + IDLE, NOW, LATER, None, IDLE)
    assert not session_live(NOW + IDLE + timedelta(seconds=1), NOW, LATER, None, IDLE)


def test_use_is_written_once_a_minute() -> None:
    assert not touch_due(NOW + timedelta(seconds=59), NOW)
    assert touch_due(NOW + TOUCH_INTERVAL, NOW)


def test_password_expiry_is_off_with_zero_days() -> None:
    assert not password_expired(NOW - timedelta(days=10_000), NOW, 0)
    assert password_expired(NOW - timedelta(days=90), NOW, 90)
    assert not password_expired(NOW - timedelta(days=89), NOW, 90)


seconds = st.integers(0, 10**7).map(lambda s: timedelta(seconds=s))


@given(seconds, seconds, seconds, st.integers(1, 1440))
def test_idle_longer_than_the_timeout_is_never_live(idle: timedelta, age: timedelta,
                                                    ttl: timedelta, minutes: int) -> None:
    timeout = timedelta(minutes=minutes)
    live = session_live(NOW + idle, NOW, NOW - age + ttl, None, timeout)
    if idle > timeout or ttl <= age + idle:
        assert not live
    else:
        assert live


@given(seconds, st.integers(0, 3650))
def test_expiry_grows_with_age(age: timedelta, days: int) -> None:
    if password_expired(NOW - age, NOW, days):
        assert password_expired(NOW - age - timedelta(days=1), NOW, days)
