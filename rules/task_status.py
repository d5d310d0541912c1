"""Overdue tasks and milestones (滞后事项), as pure functions of dates and status.

A milestone is overdue on a day when its due date has passed, it is not done, and its task is
neither done nor cancelled. A task is overdue when its own due date has passed and it is neither
done nor cancelled. "Passed" means strictly before the day: something due today is not late.
"""

from __future__ import annotations

from datetime import date

__all__ = ["CLOSED_STATUSES", "milestone_overdue", "task_overdue"]

CLOSED_STATUSES = frozenset({"done", "cancelled"})


def task_overdue(status: str, due_on: date | None, on: date) -> bool:
    return due_on is not None and due_on < on and status not in CLOSED_STATUSES


def milestone_overdue(task_status: str, due_on: date, done_on: date | None, on: date) -> bool:
    return done_on is None and due_on < on and task_status not in CLOSED_STATUSES
