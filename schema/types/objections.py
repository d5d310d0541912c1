"""GraphQL types of objections (异议) after publicity and of the publicity period (issue 17)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from resolvers.appraisal.objections import ObjectionOutcome as OutcomeRow
from resolvers.appraisal.objections import PublicityWindow as WindowRow
from schema.enums import labelled_enum
from vocab.grades import GRADE_LABELS
from vocab.objections import OBJECTION_STATUS_LABELS
from vocab.objections import ObjectionStatus as ObjectionStatusValue

ObjectionStatus = labelled_enum(ObjectionStatusValue, "ObjectionStatus",
                                "异议的状态：open 待答复，answered 已答复")


def grade_label_of(grade: str | None) -> str | None:
    return GRADE_LABELS.get(grade, grade) if grade is not None else None


@strawberry.type(description=(
    "公示期：自公示之日起的若干个工作日（周一至周五，北京时间），以及如何提出异议。"
    "公示前各日期为 null"))
class PublicityWindow:
    working_days: int = strawberry.field(description="公示期的工作日数（单位设置，默认5）")
    how_to_object: str = strawberry.field(description="如何提出异议（单位设置的说明文字）")
    first_day: date | None = strawberry.field(description="公示期第一天；公示前为 null")
    last_day: date | None = strawberry.field(description="公示期最后一天（含）；公示前为 null")
    closes_at: datetime | None = strawberry.field(
        description="公示期结束的时刻（最后一天的24时，北京时间）；公示前为 null")
    open: bool = strawberry.field(description="现在是否可以提出异议")

    @classmethod
    def of(cls, row: WindowRow) -> PublicityWindow:
        return cls(working_days=row.working_days, how_to_object=row.how_to_object,
                   first_day=row.first_day, last_day=row.last_day, closes_at=row.closes_at,
                   open=row.open)


@strawberry.type(description=(
    "一件异议的处理结果（公示和被异议人可见）：不含提出人，也不含异议理由"))
class ObjectionOutcome:
    id: strawberry.ID = strawberry.field(description="异议 id")
    status: ObjectionStatus = strawberry.field(  # type: ignore[valid-type]
        description="待答复或已答复")
    status_label: str = strawberry.field(description="状态的中文名")
    raised_at: datetime = strawberry.field(description="提出时间")
    answer: str | None = strawberry.field(description="答复；未答复为 null")
    answered_at: datetime | None = strawberry.field(description="答复时间；未答复为 null")
    grade_changed: bool = strawberry.field(description="答复是否调整了等次")
    grade_before_label: str | None = strawberry.field(
        description="答复时原等次的中文名；未答复为 null")
    grade_after_label: str | None = strawberry.field(
        description="答复后等次的中文名；未答复为 null")
    summary: str = strawberry.field(
        description="处理结果的一句话说明，如“异议已答复：经复核，维持原等次”")

    @classmethod
    def of(cls, row: OutcomeRow) -> ObjectionOutcome:
        answered = row.status == ObjectionStatusValue.answered
        return cls(id=strawberry.ID(str(row.objection_id)), status=row.status,
                   status_label=OBJECTION_STATUS_LABELS[ObjectionStatusValue(row.status)],
                   raised_at=row.raised_at, answer=row.answer, answered_at=row.answered_at,
                   grade_changed=answered and row.grade_before != row.grade_after,
                   grade_before_label=grade_label_of(row.grade_before) if answered else None,
                   grade_after_label=grade_label_of(row.grade_after) if answered else None,
                   summary=row.summary)
