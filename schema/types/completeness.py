"""GraphQL types of the rating-completion view (评价完成情况, issue 12)."""

from __future__ import annotations

import strawberry

from resolvers.appraisal.completeness import Completion, CompletionRow, Gap
from schema.types.ratings import RaterRole
from vocab.rating import RATER_ROLE_LABELS


@strawberry.type(description="一项未完成的评价：评价人尚未对被评价人评分")
class RatingGap:
    person_id: strawberry.ID = strawberry.field(description="被评价人 id")
    person_name: str = strawberry.field(description="被评价人姓名")
    person_employee_no: str = strawberry.field(description="被评价人的人员编号")
    unit_name: str = strawberry.field(description="被评价人所在部门名称")
    rater_id: strawberry.ID = strawberry.field(description="评价人 id")
    rater_name: str = strawberry.field(description="评价人姓名")
    role: RaterRole = strawberry.field(description="评价主体")  # type: ignore[valid-type]
    role_label: str = strawberry.field(description="评价主体的中文名")

    @classmethod
    def of(cls, gap: Gap) -> RatingGap:
        return cls(person_id=strawberry.ID(str(gap.person.id)), person_name=gap.person.name,
                   person_employee_no=gap.person.employee_no, unit_name=gap.person.unit_name,
                   rater_id=strawberry.ID(str(gap.rater.id)), rater_name=gap.rater.name,
                   role=gap.role, role_label=RATER_ROLE_LABELS.get(gap.role, gap.role))


@strawberry.type(description="某评价人、某部门或某被评价人的评价完成情况：应评、已评、未评（谁）")
class RatingCompletionRow:
    id: strawberry.ID = strawberry.field(description="评价人、部门或被评价人的 id")
    name: str = strawberry.field(description="评价人、部门或被评价人的名称")
    assigned: int = strawberry.field(description="应评数")
    done: int = strawberry.field(description="已评数")
    missing: list[RatingGap] = strawberry.field(description="未评的各项（谁未评谁）")

    @classmethod
    def of(cls, row: CompletionRow) -> RatingCompletionRow:
        return cls(id=strawberry.ID(str(row.id)), name=row.name, assigned=row.assigned,
                   done=row.done, missing=[RatingGap.of(g) for g in row.missing])


@strawberry.type(description=(
    "本周期评价完成情况（已保存至少一项评分即为已评）：组织人事部门可见全部，"
    "领导可见其管理人员的评价情况；由上级考核的人员不在其中"))
class RatingCompletion:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    by_rater: list[RatingCompletionRow] = strawberry.field(description="按评价人")
    by_unit: list[RatingCompletionRow] = strawberry.field(description="按被评价人所在部门")
    by_person: list[RatingCompletionRow] = strawberry.field(description="按被评价人")

    @classmethod
    def of(cls, view: Completion) -> RatingCompletion:
        return cls(period_id=strawberry.ID(str(view.period_id)),
                   by_rater=[RatingCompletionRow.of(r) for r in view.by_rater],
                   by_unit=[RatingCompletionRow.of(r) for r in view.by_unit],
                   by_person=[RatingCompletionRow.of(r) for r in view.by_person])
