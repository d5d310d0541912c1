"""GraphQL types of bonus runs: the run, its department lines and its person lines."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from models import BonusDepartment as DepartmentRow
from models import BonusLine as LineRow
from models import BonusRun as RunRow
from resolvers.bonus import runs as bonus
from rules.bonus import format_yuan, params
from schema.context import GraphQLContext, loader_for
from schema.enums import labelled_enum
from schema.ids import gid, parse_id
from schema.scalars import Cents
from schema.types.pagination import Connection
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
    key: str
    label: str
    coefficient: Decimal


def _coefficients(table: dict[str, Any], labels: dict[str, str] | None = None
                  ) -> list[Coefficient]:
    return [Coefficient(key=k, label=(labels or {}).get(k, k), coefficient=Decimal(v))
            for k, v in table.items()]


@strawberry.type(description="奖金分配的输入（随分配保存，可复算）")
class BonusRunInputs:
    pool_cents: Cents
    department_coefficients: list[Coefficient]
    grade_coefficients: list[Coefficient]
    floor_cents: Cents
    cap_cents: Cents | None
    base: BonusBase  # type: ignore[valid-type]
    missing_result: MissingResultPolicy  # type: ignore[valid-type]
    missing_grade: str | None
    unrated_department_level: str | None
    note: str

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
    unit_id: strawberry.ID
    name: str
    result: str
    coefficient: Decimal
    base: Decimal
    weight: str = strawberry.field(description="权重（精确分数）")
    exact_cents: str = strawberry.field(description="舍入前的精确金额（分，分数）")
    cents: Cents
    yuan: str
    rounding_cents: int
    people_count: int
    explanation: str

    @classmethod
    def of(cls, row: DepartmentRow) -> BonusDepartment:
        return cls(unit_id=strawberry.ID(str(row.unit_id)), name=row.name, result=row.result,
                   coefficient=row.coefficient, base=row.base, weight=row.weight,
                   exact_cents=row.exact_cents, cents=Cents(row.cents),
                   yuan=format_yuan(row.cents), rounding_cents=row.rounding_cents,
                   people_count=row.people_count, explanation=row.explanation)


@strawberry.type(description="第二级：个人分配的一行，附计算说明")
class BonusLine:
    run_id: strawberry.ID
    person_id: strawberry.ID
    employee_no: str
    name: str
    person_unit_id: strawberry.ID
    unit_id: strawberry.ID | None = strawberry.field(description="资金所经的部门")
    result_grade: str | None = strawberry.field(description="本周期考核等次（无则为空）")
    grade: str | None = strawberry.field(description="分配采用的等次")
    grade_label: str | None
    included: bool
    coefficient: Decimal | None
    exact_cents: str
    cents: Cents
    yuan: str
    floor_applied: bool
    cap_applied: bool
    rounding_cents: int
    explanation: str
    note: str

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
                   rounding_cents=row.rounding_cents, explanation=row.explanation,
                   note=row.note)


@strawberry.type(description="一次两级奖金分配（草稿或已确认）")
class BonusRun:
    id: strawberry.ID
    period_id: strawberry.ID
    period_name: str
    job_id: strawberry.ID
    status: BonusRunStatus  # type: ignore[valid-type]
    status_label: str
    pool_cents: Cents
    pool_yuan: str
    people_count: int
    paid_count: int
    excluded_count: int
    department_count: int
    created_at: datetime
    confirmed_at: datetime | None
    inputs: BonusRunInputs

    @strawberry.field(description="第一级：部门间分配（组织人事部门、主要领导可见）")
    async def departments(self, info: GInfo) -> list[BonusDepartment]:
        rows = await bonus.departments(info.context, uuid.UUID(self.id))
        return [BonusDepartment.of(r) for r in rows]

    @strawberry.field(description="第二级：个人分配行，按工号排序，游标分页")
    async def lines(self, info: GInfo, first: int = 100, after: str | None = None,
                    unit_id: strawberry.ID | None = None,
                    search: str | None = None) -> Connection[BonusLine]:
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
