"""Working days (工作日): Monday to Friday. The project keeps no holiday calendar, so a public
holiday on a weekday counts as a working day (a tenant that needs it may lengthen its publicity
period in its settings).

The publicity period (公示期) of ``n`` working days starts on the day of publication when that is
a working day, otherwise on the next working day, and ends at the end of its ``n``-th working day
(e.g. published on Monday 2 March: 2 to 6 March; on Saturday 7 March: 9 to 13 March).
"""

from __future__ import annotations

from datetime import date, timedelta

from rules.errors import RuleError


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def publicity_days(published_on: date, working_days: int) -> tuple[date, date]:
    """The first and last day (inclusive) of a publicity of ``working_days`` working days."""
    if working_days < 1:
        raise RuleError("公示期至少为1个工作日")
    first = published_on
    while not is_working_day(first):
        first += timedelta(days=1)
    last, counted = first, 1
    while counted < working_days:
        last += timedelta(days=1)
        if is_working_day(last):
            counted += 1
    return first, last
