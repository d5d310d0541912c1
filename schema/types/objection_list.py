"""GraphQL type of an objection (异议) as the committee and its raiser read it (issue 17)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.appraisal.objections import ObjectionLine
from resolvers.appraisal.objections import ObjectionOutcome as OutcomeRow
from schema.descriptions import CREATED_AT_DOC, ID_DOC
from schema.types.objections import ObjectionStatus
from schema.types.objections import grade_label_of as _label
from schema.types.ratings import Grade
from vocab.objections import OBJECTION_STATUS_LABELS
from vocab.objections import ObjectionStatus as ObjectionStatusValue


@strawberry.type(description=(
    "一件异议（考核委员会即组织人事部门、主要领导，和提出人本人可见）。提出人仅在其选择"
    "“仅向考核委员会署名”时对考核委员会显示；被异议人和其他人员永远看不到提出人"))
class Objection:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    period_name: str = strawberry.field(description="考核周期名称")
    result_id: strawberry.ID = strawberry.field(description="被异议的考核结果 id")
    person_id: strawberry.ID = strawberry.field(description="被异议人的人员 id")
    person_name: str = strawberry.field(description="被异议人姓名")
    employee_no: str = strawberry.field(description="被异议人的人员编号")
    unit_name: str = strawberry.field(description="被异议人所在部门")
    current_grade: Grade | None = strawberry.field(  # type: ignore[valid-type]
        description="被异议结果现在的等次；未确定为 null")
    current_grade_label: str | None = strawberry.field(description="现在等次的中文名")
    reasons: str = strawberry.field(description="异议的事实和理由")
    named_to_committee: bool = strawberry.field(description="提出人是否选择仅向考核委员会署名")
    raiser_name: str | None = strawberry.field(description=(
        "提出人姓名：仅在其选择向考核委员会署名时对考核委员会显示，本人查看自己的异议时也显示；"
        "否则为 null"))
    mine: bool = strawberry.field(description="是否为我提出的异议")
    status: ObjectionStatus = strawberry.field(  # type: ignore[valid-type]
        description="待答复或已答复")
    status_label: str = strawberry.field(description="状态的中文名")
    created_at: datetime = strawberry.field(description=CREATED_AT_DOC)
    answer: str | None = strawberry.field(description="答复；未答复为 null")
    answered_at: datetime | None = strawberry.field(description="答复时间；未答复为 null")
    grade_before_label: str | None = strawberry.field(
        description="答复时原等次的中文名；未答复为 null")
    grade_after_label: str | None = strawberry.field(
        description="答复后等次的中文名（调整时与原等次不同）；未答复为 null")
    summary: str = strawberry.field(description="处理结果的一句话说明")

    @classmethod
    def of(cls, line: ObjectionLine) -> Objection:
        o = line.objection
        return cls(id=strawberry.ID(str(o.id)), period_id=strawberry.ID(str(o.period_id)),
                   period_name=line.period_name,
                   result_id=strawberry.ID(str(o.person_result_id)),
                   person_id=strawberry.ID(str(o.person_id)), person_name=line.person_name,
                   employee_no=line.employee_no, unit_name=line.unit_name,
                   current_grade=line.current_grade,
                   current_grade_label=_label(line.current_grade), reasons=o.reasons,
                   named_to_committee=o.named_to_committee, raiser_name=line.raiser_name,
                   mine=line.mine, status=o.status,
                   status_label=OBJECTION_STATUS_LABELS[ObjectionStatusValue(o.status)],
                   created_at=o.created_at, answer=o.answer, answered_at=o.answered_at,
                   grade_before_label=_label(o.grade_before),
                   grade_after_label=_label(o.grade_after),
                   summary=OutcomeRow(o.id, o.status, o.created_at, o.answer, o.answered_at,
                                      o.grade_before, o.grade_after).summary)
