"""The sign-off chain (逐级审核) in the demo's chain unit (demo.workflow.SIGNOFF_UNIT): every past
period's grades go up 科室负责人 -> 分管领导 -> 考核委员会 -> 主要领导, each level passing with a
note as the person who holds it; in the second quarter the supervising leader returns the first
department once with a reason, its head checks and passes it again. The committee decides the
ties cut by a line (as demo.year.review_and_confirm does) before it passes; the principal
leader's pass confirms every grade."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from models import ManagementRelation, PersonResult
from resolvers.appraisal import review, signoff
from resolvers.context import Context
from vocab.org import ManagementKind

if TYPE_CHECKING:
    from demo.year import DemoYear

RETURNED_QUARTER = 2
RETURN_REASON = "请核实本部门拟定为“好”人员的申报实绩与佐证材料是否一致"
PASS_NOTES = {
    ManagementKind.department_head: "本部门拟定等次经科室研究，同意",
    ManagementKind.supervising_leader: "同意部门意见",
}
RECHECKED = "已逐项核实申报实绩及佐证材料，维持拟定等次，请审核"


async def sign_off_levels(run: DemoYear, period_id: uuid.UUID, day: date,
                          quarter: int | None) -> None:
    """The chain on one period in reviewing (``quarter`` None: the year). Each step is taken
    a few minutes after the one before (a scope's steps are folded in the order of their
    times)."""
    run.clock = datetime(day.year, day.month, day.day, 1, tzinfo=UTC)  # 9:00 Beijing
    admin = run.as_("admin")
    managers = await _managers(run)
    state = await signoff.signoff_state(admin, period_id)
    departments = [s.department_id for s in state.scopes if s.department_id is not None]
    for department in departments:
        _tick(run)
        await signoff.sign_off(_manager(run, managers, ManagementKind.department_head,
                                        department), period_id, department,
                               PASS_NOTES[ManagementKind.department_head])
    returned = quarter == RETURNED_QUARTER
    for n, department in enumerate(departments):
        leader = _manager(run, managers, ManagementKind.supervising_leader, department)
        if returned and n == 0:
            _tick(run)
            await signoff.return_sign_off(leader, period_id, department, RETURN_REASON)
            _tick(run)
            await signoff.sign_off(_manager(run, managers, ManagementKind.department_head,
                                            department), period_id, department, RECHECKED)
        _tick(run)
        await signoff.sign_off(leader, period_id, department,
                               PASS_NOTES[ManagementKind.supervising_leader])
    run.clock = datetime(day.year, day.month, day.day, 6, tzinfo=UTC)  # 14:00 Beijing
    await decide_ties(run, admin, period_id)
    _tick(run)
    await signoff.sign_off(admin, period_id, None, "考核委员会审核通过")
    _tick(run)
    await signoff.sign_off(run.as_("leader"), period_id, None, "同意，确认等次")


def _tick(run: DemoYear) -> None:
    run.clock += timedelta(minutes=7)


async def _managers(run: DemoYear) -> dict[tuple[str, uuid.UUID | None], uuid.UUID]:
    return {(r.kind, r.unit_id): r.manager_id for r in (await run.session.scalars(
        select(ManagementRelation))).all()}


def _manager(run: DemoYear, managers: dict[tuple[str, uuid.UUID | None], uuid.UUID],
             kind: ManagementKind, department: uuid.UUID) -> Context:
    return run.ctx(run.by_person[managers[(kind.value, department)]])


async def decide_ties(run: DemoYear, admin: Context, period_id: uuid.UUID) -> None:
    """The committee keeps the proposed grade of every tie that straddles a line."""
    ties = (await run.session.scalars(select(PersonResult).where(
        PersonResult.period_id == period_id, PersonResult.tie_review.is_(True),
        PersonResult.confirmed_at.is_(None)))).all()
    for row in ties:
        await review.review_grade(admin, period_id, row.person_id,
                                  row.grade or row.proposed_grade or "",
                                  "经考核委员会综合研判，维持拟定等次")
