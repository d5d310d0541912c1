"""The leaders' dashboard (主要领导、分管领导): one period's figures of what the caller manages."""

from __future__ import annotations

import strawberry

from resolvers.appraisal import dashboard as use_case
from schema.types.department_results import DepartmentResult
from schema.types.periods import Period
from schema.types.ratings import Grade
from schema.types.supervision import OverdueItem
from vocab.grades import Grade as GradeValue


@strawberry.type(description="某一等次的人数（领导看板的等次分布、综合研判的名额计数）")
class GradeCount:
    grade: Grade = strawberry.field(description="等次")  # type: ignore[valid-type]
    label: str = strawberry.field(description="等次的中文名")
    count: int = strawberry.field(
        description="人数：已确认的等次，确认前按拟定等次计")

    @classmethod
    def of(cls, row: use_case.GradeCount) -> GradeCount:
        return cls(grade=GradeValue(row.grade), label=row.label, count=row.count)


@strawberry.type(description="完成情况：应完成数与已完成数")
class DashboardProgress:
    required: int = strawberry.field(description="应完成数（人数或评价任务数）")
    done: int = strawberry.field(description="已完成数")

    @classmethod
    def of(cls, row: use_case.Progress | None) -> DashboardProgress | None:
        return None if row is None else cls(required=row.required, done=row.done)


@strawberry.type(description=(
    "领导看板：本人管理范围内某一考核周期的等次分布、申报评价谈话完成情况、滞后事项和部门结果"
    "（主要领导为全单位，分管领导为其分管部门；各项与单独查询的结果一致）"))
class LeaderDashboard:
    period: Period = strawberry.field(description="考核周期")
    results: int = strawberry.field(description="可见范围内的考核结果数（人）")
    grades: list[GradeCount] = strawberry.field(
        description="等次分布：本周期类型（季度或年度）的全部等次，由好到差，没有人的为 0")
    ungraded: int = strawberry.field(description="无等次的人数（未评价、由上级考核）")
    unconfirmed: int = strawberry.field(
        description="等次尚待综合研判确认的人数（按拟定等次计入分布）")
    declarations: DashboardProgress | None = strawberry.field(
        description="实绩申报：应申报人数与已提交人数；年度周期或无权查看为 null")
    ratings: DashboardProgress | None = strawberry.field(
        description="评价：评价任务数与已评数；无权查看为 null")
    interviews: DashboardProgress | None = strawberry.field(
        description="反馈谈话：应谈话人数与已谈话人数；年度周期或无权查看为 null")
    overdue_items: list[OverdueItem] = strawberry.field(
        description="本周期所在年度中截至今天未整改的滞后事项")
    department_results: list[DepartmentResult] = strawberry.field(
        description="部门考核结果（组织绩效），按组织架构顺序")

    @classmethod
    def of(cls, row: use_case.Dashboard) -> LeaderDashboard:
        return cls(period=Period.of(row.period), results=row.results,
                   grades=[GradeCount.of(g) for g in row.grades], ungraded=row.ungraded,
                   unconfirmed=row.unconfirmed,
                   declarations=DashboardProgress.of(row.declarations),
                   ratings=DashboardProgress.of(row.ratings),
                   interviews=DashboardProgress.of(row.interviews),
                   overdue_items=[OverdueItem.of(i) for i in row.overdue],
                   department_results=[DepartmentResult.of(r) for r in row.department_results])
