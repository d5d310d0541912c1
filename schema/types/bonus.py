"""GraphQL types of bonus runs: the run, its department lines and its person lines."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from models import BonusDepartment as DepartmentRow
from models import BonusLine as LineRow
from models import BonusRun as RunRow
from resolvers.bonus import runs as bonus
from rules.bonus import format_yuan, params
from schema.context import GraphQLContext, loader_for
from schema.descriptions import CREATED_AT_DOC, ID_DOC
from schema.enums import labelled_enum
from schema.ids import gid, parse_id
from schema.scalars import Cents
from schema.types.pagination import After, Connection, First
from vocab import jobs as vocab_jobs
from vocab.grades import GRADE_LABELS
from vocab.jobs import BONUS_RUN_STATUS_LABELS
from vocab.jobs import BonusRunStatus as RunStatusValue

GInfo = Info[GraphQLContext, None]

BonusRunStatus = labelled_enum(RunStatusValue, "BonusRunStatus", "奖金分配方案状态")
BonusBase = labelled_enum(vocab_jobs.BonusBase, "BonusBase",
                          "部门分配基数：参与分配人数、部门总人数或配置的基数")
MissingResultPolicy = labelled_enum(
    vocab_jobs.MissingResult, "MissingResultPolicy", "无考核等次人员：不参与分配，或按指定等次参与",
    {"exclude": "不参与分配（列明原因）", "assume": "按指定等次参与分配"})


def _label(grade: str | None) -> str | None:
    return GRADE_LABELS.get(grade, grade) if grade else None


@strawberry.type(description="系数表中的一项")
class Coefficient:
    key: str = strawberry.field(description="键：部门考核结果（档次）或等次的值")
    label: str = strawberry.field(description="键的中文名")
    coefficient: Decimal = strawberry.field(description="系数")


def _coefficients(table: dict[str, Any], labels: dict[str, str] | None = None
                  ) -> list[Coefficient]:
    return [Coefficient(key=k, label=(labels or {}).get(k, k), coefficient=Decimal(v))
            for k, v in table.items()]


@strawberry.type(description="奖金分配的输入（随分配保存，可复算）")
class BonusRunInputs:
    pool_cents: Cents = strawberry.field(description="奖金池（分）")
    department_coefficients: list[Coefficient] = strawberry.field(
        description="部门考核结果对应的部门系数")
    grade_coefficients: list[Coefficient] = strawberry.field(description="等次对应的个人系数")
    floor_cents: Cents = strawberry.field(description="个人保底（分）")
    cap_cents: Cents | None = strawberry.field(description="个人封顶（分）；不封顶为 null")
    base: BonusBase = strawberry.field(description="部门分配基数的口径")  # type: ignore[valid-type]
    missing_result: MissingResultPolicy = strawberry.field(  # type: ignore[valid-type]
        description="无考核等次人员的处理")
    missing_grade: str | None = strawberry.field(
        description="无等次人员按哪个等次参与分配；不适用为 null")
    unrated_department_level: str | None = strawberry.field(
        description="无考核结果的部门按哪个档次分配；不适用为 null")
    note: str = strawberry.field(description="备注；没有为空串")

    @classmethod
    def of(cls, data: dict[str, Any]) -> BonusRunInputs:
        p = params.BonusRunParams.from_json(data)
        return cls(pool_cents=Cents(p.pool_cents),
                   department_coefficients=_coefficients(data["department_coefficients"]),
                   grade_coefficients=_coefficients(data["grade_coefficients"], GRADE_LABELS),
                   floor_cents=Cents(p.floor_cents),
                   cap_cents=Cents(p.cap_cents) if p.cap_cents is not None else None,
                   base=p.base, missing_result=p.missing_result, missing_grade=p.missing_grade,
                   unrated_department_level=p.unrated_department_level, note=p.note)


@strawberry.type(description="第一级：部门间分配的一行")
class BonusDepartment:
    unit_id: strawberry.ID = strawberry.field(description="部门 id")
    name: str = strawberry.field(description="部门名称")
    result: str = strawberry.field(description="部门考核结果（档次，如 A）")
    coefficient: Decimal = strawberry.field(description="部门系数（按部门考核结果）")
    base: Decimal = strawberry.field(description="分配基数（人数或配置的基数）")
    weight: str = strawberry.field(description="权重（精确分数）")
    exact_cents: str = strawberry.field(description="舍入前的精确金额（分，分数）")
    cents: Cents = strawberry.field(description="部门份额（分，舍入后）")
    yuan: str = strawberry.field(description="部门份额（元，两位小数的字符串）")
    rounding_cents: int = strawberry.field(description="舍入调整（分）：为使各部门合计恰等于奖金池")
    people_count: int = strawberry.field(description="参与分配的人数")
    explanation: str = strawberry.field(description="计算说明（中文）")

    @classmethod
    def of(cls, row: DepartmentRow) -> BonusDepartment:
        return cls(unit_id=strawberry.ID(str(row.unit_id)), name=row.name, result=row.result,
                   coefficient=row.coefficient, base=row.base, weight=row.weight,
                   exact_cents=row.exact_cents, cents=Cents(row.cents),
                   yuan=format_yuan(row.cents), rounding_cents=row.rounding_cents,
                   people_count=row.people_count, explanation=row.explanation)


@strawberry.type(description="第二级：个人分配的一行，附计算说明")
class BonusLine:
    run_id: strawberry.ID = strawberry.field(description="分配方案 id")
    person_id: strawberry.ID = strawberry.field(description="人员 id")
    employee_no: str = strawberry.field(description="人员编号")
    name: str = strawberry.field(description="姓名")
    person_unit_id: strawberry.ID = strawberry.field(description="人员所在部门 id")
    unit_id: strawberry.ID | None = strawberry.field(description="资金所经的部门")
    result_grade: str | None = strawberry.field(description="本周期考核等次（无则为空）")
    grade: str | None = strawberry.field(description="分配采用的等次")
    grade_label: str | None = strawberry.field(description="分配采用等次的中文名；没有为 null")
    included: bool = strawberry.field(description="是否参与分配")
    coefficient: Decimal | None = strawberry.field(
        description="个人系数（按等次）；不参与分配为 null")
    exact_cents: str = strawberry.field(description="舍入前的精确金额（分，分数）")
    cents: Cents = strawberry.field(description="应发金额（分）")
    yuan: str = strawberry.field(description="应发金额（元，两位小数的字符串）")
    floor_applied: bool = strawberry.field(description="按保底金额发放")
    cap_applied: bool = strawberry.field(description="按封顶金额发放")
    rounding_cents: int = strawberry.field(
        description="舍入调整（分）：为使部门内合计恰等于部门份额")
    note: str = strawberry.field(description="备注（如不参与分配的原因）；没有为空串")
    row: strawberry.Private[LineRow]

    @strawberry.field(description="计算说明（中文）")
    async def explanation(self, info: GInfo) -> str:
        department = None
        if bonus.needs_department(self.row) and self.unit_id is not None:
            loader = loader_for(info.context, bonus.departments_by_key)
            department = await loader.load((uuid.UUID(self.run_id), uuid.UUID(self.unit_id)))
        return bonus.line_explanation(self.row, department)

    @strawberry.field(description="所在部门的第一级分配（部门份额的由来）")
    async def department(self, info: GInfo) -> BonusDepartment | None:
        if self.unit_id is None:
            return None
        loader = loader_for(info.context, bonus.departments_by_key)
        row = await loader.load((uuid.UUID(self.run_id), uuid.UUID(self.unit_id)))
        return BonusDepartment.of(row) if row else None

    @classmethod
    def of(cls, row: LineRow) -> BonusLine:
        return cls(run_id=strawberry.ID(str(row.run_id)),
                   person_id=strawberry.ID(str(row.person_id)), employee_no=row.employee_no,
                   name=row.name, person_unit_id=strawberry.ID(str(row.person_unit_id)),
                   unit_id=gid(row.unit_id), result_grade=row.result_grade, grade=row.grade,
                   grade_label=_label(row.grade), included=row.included,
                   coefficient=row.coefficient, exact_cents=row.exact_cents,
                   cents=Cents(row.cents), yuan=format_yuan(row.cents),
                   floor_applied=row.floor_applied, cap_applied=row.cap_applied,
                   rounding_cents=row.rounding_cents, note=row.note, row=row)


@strawberry.type(description="一次两级奖金分配（草稿或已确认）")
class BonusRun:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="年度考核周期 id")
    period_name: str = strawberry.field(description="考核周期名称")
    job_id: strawberry.ID = strawberry.field(description="计算它的后台任务 id")
    status: BonusRunStatus = strawberry.field(  # type: ignore[valid-type]
        description="草稿或已确认")
    status_label: str = strawberry.field(description="状态的中文名")
    pool_cents: Cents = strawberry.field(description="奖金池（分）")
    pool_yuan: str = strawberry.field(description="奖金池（元，两位小数的字符串）")
    people_count: int = strawberry.field(description="涉及人数")
    paid_count: int = strawberry.field(description="参与分配的人数")
    excluded_count: int = strawberry.field(description="不参与分配的人数")
    department_count: int = strawberry.field(description="参与分配的部门数")
    created_at: datetime = strawberry.field(description=CREATED_AT_DOC)
    confirmed_at: datetime | None = strawberry.field(description="确认时间；草稿为 null")
    inputs: BonusRunInputs = strawberry.field(description="分配的输入（可复算）")

    @strawberry.field(description="第一级：部门间分配（组织人事部门、主要领导可见）")
    async def departments(self, info: GInfo) -> list[BonusDepartment]:
        rows = await bonus.departments(info.context, uuid.UUID(self.id))
        return [BonusDepartment.of(r) for r in rows]

    @strawberry.field(description="第二级：个人分配行，按工号排序，游标分页")
    async def lines(self, info: GInfo,
                    first: First = 100,
                    after: After = None,
                    unit_id: Annotated[strawberry.ID | None, strawberry.argument(
                        description="只看资金经此部门的分配行；不传为全部")] = None,
                    search: Annotated[str | None, strawberry.argument(
                        description="按姓名或人员编号查找")] = None) -> Connection[BonusLine]:
        page = await bonus.list_lines(info.context, uuid.UUID(self.id), first, after,
                                      parse_id(unit_id), search)
        return Connection.of(page, BonusLine.of)

    @strawberry.field(description="调用者本人的分配行")
    async def my_line(self, info: GInfo) -> BonusLine | None:
        row = await bonus.own_line(info.context, uuid.UUID(self.id))
        return BonusLine.of(row) if row else None

    @classmethod
    def of(cls, row: RunRow) -> BonusRun:
        return cls(id=strawberry.ID(str(row.id)), period_id=strawberry.ID(str(row.period_id)),
                   period_name=str(row.inputs.get("period_name", "")),
                   job_id=strawberry.ID(str(row.job_id)), status=row.status,
                   status_label=BONUS_RUN_STATUS_LABELS[RunStatusValue(row.status)],
                   pool_cents=Cents(row.pool_cents), pool_yuan=format_yuan(row.pool_cents),
                   people_count=row.people_count, paid_count=row.paid_count,
                   excluded_count=row.excluded_count, department_count=row.department_count,
                   created_at=row.created_at, confirmed_at=row.confirmed_at,
                   inputs=BonusRunInputs.of(row.inputs))
