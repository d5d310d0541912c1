"""Rules on pushed data (自动采集规则) in the demo's workflow unit (demo.workflow.WORKFLOW_UNIT):
the admin defines a rule (a supervision item overdue and not rectified for 30 days costs a
point), then the unit's office system pushes the progress of the current year's lagging tasks
(as the office's account, through ``pushes.push_progress``): each push proposes a deduction per
overdue item of its task, so 待确认扣分/加分 has work. The pushes stop once three proposals
wait; one beyond three is refused by the office with a reason (the list shows a decided one).

The proposals depend on the day the demo is loaded (the tasks' dates are in the current year,
demo.plans): early in the year nothing is overdue yet and nothing is proposed. The workers'
periodic pass (workers/push_rules.py) later proposes the unit's other overdue items too, as it
would in production."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from demo.workflow import WORKFLOW_UNIT
from models import IndicatorScheme, SchemeNode, SchemeVersion
from resolvers.execution import push_rules, pushes, supervision
from vocab.plans import IndicatorKind, SchemeStatus
from vocab.push_rules import PushRuleKind

if TYPE_CHECKING:
    from demo.year import DemoYear

MIN_DAYS = 30
PROPOSALS = 3
RULE_NAME = "督办事项逾期30天未整改扣分"
REFUSAL = "该事项已列入专项督办并约谈责任人，本次不重复扣分"


async def pushed_overdue(run: DemoYear, today: date) -> None:
    if run.demo.code != WORKFLOW_UNIT:
        return
    run.clock = datetime(today.year, today.month, today.day, 1, tzinfo=UTC)  # 9:00 Beijing
    node = await run.session.scalar(
        select(SchemeNode).join(SchemeVersion, SchemeVersion.id == SchemeNode.version_id)
        .join(IndicatorScheme, IndicatorScheme.id == SchemeVersion.scheme_id)
        .where(SchemeNode.kind == IndicatorKind.deduction,
               SchemeVersion.status == SchemeStatus.published,
               IndicatorScheme.year == today.year)
        .order_by(SchemeNode.code).limit(1))
    if node is None:
        return
    points = min(Decimal(1), node.cap) if node.cap is not None else Decimal(1)
    await push_rules.create_rule(run.as_("admin"), push_rules.RuleInput(
        RULE_NAME, PushRuleKind.supervision_overdue.value, node.id, points, MIN_DAYS))
    office = run.as_("bangong")
    lagging: dict[uuid.UUID, str] = {}  # task -> the title of its first item
    for item in await supervision.overdue(office, today, today.year):
        if not item.done_late and item.days_overdue >= MIN_DAYS and isinstance(
                item.task_id, uuid.UUID):
            lagging.setdefault(item.task_id, item.title)
    made: list[uuid.UUID] = []
    for n, task_id in enumerate(sorted(lagging, key=lambda t: (lagging[t], str(t)))):
        if len(made) >= PROPOSALS:
            break
        result = await pushes.push_progress(office, f"oa-dc-{today.year}-{n + 1:03d}",
                                            supervision.ProgressInput(
            task_id=task_id, milestone_id=None, recorded_on=today, percent=40 + 10 * (n % 3),
            note="办公系统推送：督办事项进展滞后，尚未整改",
            problems="时间节点已过，责任单位未报送整改情况"))
        made += [uuid.UUID(i) for i in result.result.get("proposalIds", [])]
    for proposal_id in made[PROPOSALS:]:
        await push_rules.refuse(office, proposal_id, REFUSAL)

