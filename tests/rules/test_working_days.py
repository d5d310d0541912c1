"""The publicity period in working days (Monday to Friday)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.errors import RuleError
from rules.working_days import is_working_day, publicity_days


def test_examples() -> None:
    assert publicity_days(date(2026, 3, 2), 5) == (date(2026, 3, 2), date(2026, 3, 6))  # Mon
    assert publicity_days(date(2026, 3, 4), 5) == (date(2026, 3, 4), date(2026, 3, 10))  # Wed
    assert publicity_days(date(2026, 3, 7), 5) == (date(2026, 3, 9), date(2026, 3, 13))  # Sat
    assert publicity_days(date(2026, 3, 6), 1) == (date(2026, 3, 6), date(2026, 3, 6))
    with pytest.raises(RuleError):
        publicity_days(date(2026, 3, 2), 0)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(min_value=1, max_value=40))
def test_counts_exactly_n_working_days(day: date, n: int) -> None:
    first, last = publicity_days(day, n)
    assert first >= day
    assert is_working_day(first)
    assert is_working_day(last)
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    assert sum(is_working_day(d) for d in span) == n
    assert all(not is_working_day(day + timedelta(days=i)) for i in range((first - day).days))
