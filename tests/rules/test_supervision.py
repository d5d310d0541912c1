"""Overdue items and the supervision summary, by hand and by property."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.supervision import MilestoneFact, TaskFact, overdue_items, summarize

TODAY = date(2026, 6, 30)


def test_overdue_rules_by_hand() -> None:
    tasks = [
        TaskFact("t1", "u1", "法律援助案件办理", date(2026, 6, 1), "in_progress"),  # overdue
        TaskFact("t2", "u1", "社区矫正月报", date(2026, 7, 15), "not_started",
                 person_id="p2"),  # not yet due; a person's task
        TaskFact("t3", "u2", "普法宣传月", date(2026, 5, 1), "done", date(2026, 4, 28)),  # on time
        TaskFact("t4", "u2", "调解台账", date(2026, 5, 1), "done", date(2026, 5, 10)),  # late
        TaskFact("t5", "u2", "取消的任务", date(2026, 1, 1), "cancelled"),
        TaskFact("t6", "u1", "已整改的任务", date(2026, 6, 1), "in_progress"),
    ]
    milestones = [
        MilestoneFact("m1", "t2", "完成方案", date(2026, 6, 20)),  # overdue milestone
        MilestoneFact("m2", "t2", "中期检查", date(2026, 6, 25), date(2026, 6, 24)),  # on time
        MilestoneFact("m3", "t5", "取消任务的节点", date(2026, 1, 1)),
    ]
    items = overdue_items(tasks, milestones, [("t6", None)], TODAY)
    assert [(i.task_id, i.milestone_id, i.days_overdue, i.done_late) for i in items] == [
        ("t1", None, 29, False), ("t2", "m1", 10, False), ("t4", None, 9, True)]
    assert items[1].title == "社区矫正月报——完成方案"
    # A milestone's item names its task's department and person (督办 shows both).
    assert [(i.unit_id, i.person_id) for i in items] == [("u1", None), ("u1", "p2"), ("u2", None)]
    summary = {s.unit_id: s for s in summarize(tasks, items, {"t1": ["人手不足"]})}
    assert (summary["u1"].tasks, summary["u1"].done, len(summary["u1"].overdue)) == (3, 0, 2)
    assert summary["u1"].problems == ["人手不足"]
    assert (summary["u2"].tasks, summary["u2"].done) == (2, 2)
    assert summary["u2"].completion_rate == 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-60, 60), st.booleans(), st.integers(-30, 30),
                          st.booleans()), max_size=30))
def test_overdue_iff_past_due_and_not_done_in_time(rows: list[tuple[int, bool, int, bool]]
                                                   ) -> None:
    tasks = []
    for n, (due_offset, done, done_offset, _rectified) in enumerate(rows):
        due = TODAY + timedelta(days=due_offset)
        tasks.append(TaskFact(n, "u", f"任务{n}", due, "done" if done else "in_progress",
                              due + timedelta(days=done_offset) if done else None))
    rectified = [(n, None) for n, row in enumerate(rows) if row[3]]
    found = {i.task_id for i in overdue_items(tasks, [], rectified, TODAY)}
    for n, (due_offset, done, done_offset, is_rectified) in enumerate(rows):
        late = due_offset < 0 and (not done or done_offset > 0)
        assert (n in found) == (late and not is_rectified)
