"""GraphQL types of department results (组织绩效, 考事; issue 12)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry.types import Info

from models import UnitResult as UnitResultRow
from resolvers.org import identity
from schema.context import GraphQLContext, loader_for
from schema.descriptions import ID_DOC
from schema.types.org import OrgUnit, load_unit

GInfo = Info[GraphQLContext, None]
CENT = Decimal("0.01")


def _cents(value: Decimal | None) -> Decimal | None:
    # Stored with 4 places; computed and adjusted scores have 2.
    return None if value is None else value.quantize(CENT)


@strawberry.type(description="部门考核结果的一项构成")
class DepartmentResultLine:
    kind: str = strawberry.field(description=(
        "tasks 任务完成、indicators 单位指标加减分、overdue 滞后事项未整改扣分、total 合计"))
    delta: Decimal = strawberry.field(description="该项计入的分值")
    text: str = strawberry.field(description="这一项的中文说明")


@strawberry.type(description="部门考核结果（组织绩效、考事）：计算所得，及组织人事部门或办公室的调整")
class DepartmentResult:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    unit_id: strawberry.ID = strawberry.field(description="部门 id")
    level: str = strawberry.field(
        description="现行档次（已调整时为调整后的档次），用于奖金与好等次名额分配")
    score: Decimal | None = strawberry.field(description="现行得分")
    computed_level: str | None = strawberry.field(description="计算所得的档次；尚未计算为 null")
    computed_score: Decimal | None = strawberry.field(description="计算所得的得分；尚未计算为 null")
    computed_at: datetime | None = strawberry.field(description="计算时间；尚未计算为 null")
    components: list[DepartmentResultLine] = strawberry.field(description="计算说明")
    adjusted: bool = strawberry.field(description="是否经过调整")
    adjusted_level: str | None = strawberry.field(description="调整后的档次；未调整为 null")
    adjusted_score: Decimal | None = strawberry.field(description="调整后的得分；未调整为 null")
    adjust_reason: str = strawberry.field(description="调整理由；未调整为空串")
    adjusted_by: str | None = strawberry.field(
        description="调整人标识（account:<id> 或 token:<id>）；未调整为 null")
    adjusted_at: datetime | None = strawberry.field(description="调整时间；未调整为 null")

    @strawberry.field(description="部门")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description="调整人（姓名或账号名），未调整时为空")
    async def adjusted_by_name(self, info: GInfo) -> str | None:
        if self.adjusted_by is None:
            return None
        return await loader_for(info.context, identity.names_by_subject).load(self.adjusted_by)

    @classmethod
    def of(cls, row: UnitResultRow) -> DepartmentResult:
        return cls(
            id=strawberry.ID(str(row.id)), period_id=strawberry.ID(str(row.period_id)),
            unit_id=strawberry.ID(str(row.unit_id)), level=row.level, score=_cents(row.score),
            computed_level=row.computed_level, computed_score=_cents(row.computed_score),
            computed_at=row.computed_at,
            components=[DepartmentResultLine(kind=c["kind"], delta=Decimal(c["delta"]),
                                             text=c["text"]) for c in row.components or []],
            adjusted=row.adjusted_at is not None, adjusted_level=row.adjusted_level,
            adjusted_score=_cents(row.adjusted_score), adjust_reason=row.adjust_reason,
            adjusted_by=row.adjusted_by, adjusted_at=row.adjusted_at)
