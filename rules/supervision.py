"""Supervision (督办) as pure functions: overdue items and the per-unit summary.

An item (a task, or one of its milestones) is overdue when its due date has passed and it was
not done by then; it stays open — even once done late — until it is rectified with a note
(滞后事项整改). Cancelled tasks and their milestones are never overdue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class TaskFact:
    task_id: Hashable
    unit_id: Hashable | None
    title: str
    due_on: date | None
    status: str  # not_started | in_progress | done | cancelled
    completed_on: date | None = None
    person_id: Hashable | None = None  # the person who carries the task (a person task)


@dataclass(frozen=True)
class MilestoneFact:
    milestone_id: Hashable
    task_id: Hashable
    title: str
    due_on: date
    done_on: date | None = None


@dataclass(frozen=True)
class OverdueItem:
    task_id: Hashable
    milestone_id: Hashable | None
    unit_id: Hashable | None
    title: str
    due_on: date
    days_overdue: int
    done_late: bool
    person_id: Hashable | None = None


def _late(due: date, done: date | None, today: date) -> bool:
    return due < today and (done is None or done > due)


def overdue_items(tasks: Iterable[TaskFact], milestones: Iterable[MilestoneFact],
                  rectified: Iterable[tuple[Hashable, Hashable | None]], today: date
                  ) -> list[OverdueItem]:
    """Open overdue items, most overdue first. ``rectified`` holds (task, milestone or None)."""
    closed = set(rectified)
    by_id = {t.task_id: t for t in tasks}
    items: list[OverdueItem] = []
    for task in by_id.values():
        if task.status == "cancelled" or task.due_on is None:
            continue
        done = task.completed_on if task.status == "done" else None
        if task.status == "done" and done is None:
            continue  # done with no date recorded: not provably late
        if _late(task.due_on, done, today) and (task.task_id, None) not in closed:
            items.append(OverdueItem(task.task_id, None, task.unit_id, task.title, task.due_on,
                                     ((done or today) - task.due_on).days, done is not None,
                                     task.person_id))
    for milestone in milestones:
        parent = by_id.get(milestone.task_id)
        if parent is None or parent.status == "cancelled":
            continue
        key = (milestone.task_id, milestone.milestone_id)
        if _late(milestone.due_on, milestone.done_on, today) and key not in closed:
            items.append(OverdueItem(
                milestone.task_id, milestone.milestone_id, parent.unit_id,
                f"{parent.title}——{milestone.title}", milestone.due_on,
                ((milestone.done_on or today) - milestone.due_on).days,
                milestone.done_on is not None, parent.person_id))
    return sorted(items, key=lambda i: (-i.days_overdue, str(i.task_id), str(i.milestone_id)))


@dataclass
class UnitSummary:
    unit_id: Hashable | None
    tasks: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: list[OverdueItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def completion_rate(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0


def summarize(tasks: Iterable[TaskFact], overdue: Iterable[OverdueItem],
              problems: Mapping[Any, list[str]]) -> list[UnitSummary]:
    """Completion, problems and overdue items per unit (tasks without a unit: key None)."""
    units: dict[Hashable | None, UnitSummary] = {}
    for task in tasks:
        if task.status == "cancelled":
            continue
        summary = units.setdefault(task.unit_id, UnitSummary(task.unit_id))
        summary.tasks += 1
        if task.status == "done":
            summary.done += 1
        elif task.status == "in_progress":
            summary.in_progress += 1
        else:
            summary.not_started += 1
        summary.problems.extend(problems.get(task.task_id, []))
    grouped: dict[Hashable | None, list[OverdueItem]] = defaultdict(list)
    for item in overdue:
        grouped[item.unit_id].append(item)
    for unit_id, items in grouped.items():
        units.setdefault(unit_id, UnitSummary(unit_id)).overdue = items
    return sorted(units.values(), key=lambda s: (-len(s.overdue), str(s.unit_id)))
