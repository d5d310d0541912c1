"""Audit log purge: once a day, only records older than the retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.audit_retention import PURGE_INTERVAL, cutoff, purge_due

NOW = datetime(2026, 6, 30, 2, 0, tzinfo=UTC)
instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                        timezones=st.just(UTC))


def test_examples() -> None:
    assert cutoff(NOW, 180) == datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    assert purge_due(None, NOW)
    assert not purge_due(NOW - timedelta(hours=23, minutes=59), NOW)
    assert purge_due(NOW - timedelta(days=1), NOW)


@given(instants, st.integers(180, 10_000))
def test_the_cutoff_keeps_at_least_the_retention(now: datetime, days: int) -> None:
    assert now - cutoff(now, days) == timedelta(days=days)
    assert now - cutoff(now, days) >= timedelta(days=180)


@given(instants, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)))
def test_at_most_one_purge_a_day(now: datetime, since: timedelta) -> None:
    assert purge_due(now - since, now) is (since >= PURGE_INTERVAL)
