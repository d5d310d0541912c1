"""GraphQL types of feedback interviews, the care list, results use and the profile."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info

from models import CareAction as CareActionRow
from models import FeedbackInterview as InterviewRow
from models import ResultsUseEntry as EntryRow
from resolvers.feedback import interviews as feedback
from resolvers.feedback.care import CareEntry
from resolvers.feedback.interviews import UnitCompletion
from resolvers.feedback.post_history import PostChange as PostChangeValue
from resolvers.feedback.profile import Profile
from resolvers.feedback.profile import ProfileResult as ProfileResultValue
from resolvers.feedback.profile_types import ProfileRecord as ProfileRecordValue
from resolvers.feedback.profile_types import ProfileSection
from resolvers.feedback.results_use import CandidateView, EntryView
from resolvers.feedback.results_use import ResultRef as ResultRefValue
from resolvers.feedback.results_use import UnitTrainingNeed as TrainingNeedValue
from resolvers.org import structure as org
from schema.context import GraphQLContext, loader_for
from schema.enums import labelled_enum
from schema.ids import gid
from schema.types.org import OrgUnit, Person
from schema.types.periods import Period
from vocab.feedback import CARE_ACTION_LABELS, INTERVIEW_TOPIC_LABELS, RESULTS_USE_LABELS
from vocab.feedback import CandidateKind as CandidateKindValue
from vocab.feedback import CareActionKind as CareActionKindValue
from vocab.feedback import CareFlagKind as CareFlagKindValue
from vocab.feedback import InterviewTopic as InterviewTopicValue
from vocab.feedback import ResultsUseKind as ResultsUseKindValue

GInfo = Info[GraphQLContext, None]

InterviewTopic = labelled_enum(InterviewTopicValue, "InterviewTopic",
                                 "四必谈：思想动态、工作实绩、能力素质、作风养成")
CareActionKind = labelled_enum(CareActionKindValue, "CareActionKind",
                                 "结对帮带、岗位调整、跟进谈话")
CareFlagKind = labelled_enum(CareFlagKindValue, "CareFlagKind",
                               "排名靠后、明显退步、人岗契合度低、长期评价较差")
ResultsUseKind = labelled_enum(ResultsUseKindValue, "ResultsUseKind",
                                 "职务提拔、职级晋升、暂缓晋升、岗位调整、评先评优、精准培训")
CandidateKind = labelled_enum(CandidateKindValue, "ResultsUseCandidateKind",
                                "职务提拔、职级晋升、暂缓晋升")


def _id(value: uuid.UUID) -> strawberry.ID:
    return strawberry.ID(str(value))


async def _manager_name(info: GInfo, person_id: strawberry.ID | None) -> str | None:
    if person_id is None:
        return None
    found = await loader_for(info.context, org.manager_names).load(uuid.UUID(person_id))
    return found[0] if found else None


# --- interviews ------------------------------------------------------------------------------


@strawberry.type(description="“四必谈”之一：是否谈到，谈话要点")
class InterviewTopicNote:
    topic: InterviewTopic  # type: ignore[valid-type]
    label: str
    covered: bool
    notes: str


@strawberry.type(description="商定的改进措施及跟进时间")
class ImprovementItem:
    action: str
    follow_up_on: date


@strawberry.type(description="反馈谈话记录（谈话人记录，本人确认并可补充意见，本人不能修改）")
class FeedbackInterview:
    id: strawberry.ID
    period_id: strawberry.ID
    person_id: strawberry.ID
    unit_id: strawberry.ID
    person_result_id: strawberry.ID | None
    interviewer_id: strawberry.ID | None
    held_on: date
    result_told: str = strawberry.field(description="告知的考核结果")
    strengths: str = strawberry.field(description="优势")
    weaknesses: str = strawberry.field(description="短板")
    root_causes: str = strawberry.field(description="问题根源")
    improvement_plan: list[ImprovementItem] = strawberry.field(description="改进计划")
    topics: list[InterviewTopicNote] = strawberry.field(description="四必谈")
    praise: str = strawberry.field(description="正负正之“正”：肯定成绩")
    critique: str = strawberry.field(description="正负正之“负”：分析不足")
    encouragement: str = strawberry.field(description="正负正之“正”：明确方向")
    fit_rating: int = strawberry.field(description="人岗契合度（1-5）")
    acknowledged_at: datetime | None
    person_comment: str = strawberry.field(description="本人补充意见")
    recorded_at: datetime
    updated_at: datetime | None

    @strawberry.field(description="本人是否已确认")
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @strawberry.field(description="谈话对象")
    async def person(self, info: GInfo) -> Person | None:
        row = await loader_for(info.context, org.people_by_ids).load(uuid.UUID(self.person_id))
        return Person.of(row) if row else None

    @strawberry.field(description="谈话人姓名")
    async def interviewer_name(self, info: GInfo) -> str | None:
        return await _manager_name(info, self.interviewer_id)

    @strawberry.field(description="考核周期")
    async def period(self, info: GInfo) -> Period | None:
        row = await loader_for(info.context, feedback.periods_by_ids).load(
            uuid.UUID(self.period_id))
        return Period.of(row) if row else None

    @classmethod
    def of(cls, row: InterviewRow) -> FeedbackInterview:
        topics = row.topics or {}
        return cls(
            id=_id(row.id), period_id=_id(row.period_id), person_id=_id(row.person_id),
            unit_id=_id(row.unit_id), person_result_id=gid(row.person_result_id),
            interviewer_id=gid(row.interviewer_id), held_on=row.held_on,
            result_told=row.result_told, strengths=row.strengths, weaknesses=row.weaknesses,
            root_causes=row.root_causes,
            improvement_plan=[ImprovementItem(action=i["action"],
                                              follow_up_on=date.fromisoformat(i["follow_up_on"]))
                              for i in row.improvement_plan or []],
            topics=[InterviewTopicNote(topic=t, label=label,
                                       covered=bool(topics.get(t, {}).get("covered")),
                                       notes=str(topics.get(t, {}).get("notes", "")))
                    for t, label in INTERVIEW_TOPIC_LABELS.items()],
            praise=row.praise, critique=row.critique, encouragement=row.encouragement,
            fit_rating=row.fit_rating, acknowledged_at=row.acknowledged_at,
            person_comment=row.person_comment, recorded_at=row.created_at,
            updated_at=row.updated_at)


@strawberry.type(description="应谈话人员及谈话状态")
class InterviewStatus:
    person_id: strawberry.ID
    name: str
    employee_no: str
    interviewed: bool
    acknowledged: bool


@strawberry.type(description="一个部门的反馈谈话完成情况")
class UnitInterviewCompletion:
    unit_id: strawberry.ID
    unit_name: str
    required: int
    done: int
    acknowledged: int
    missing: list[InterviewStatus]
    people: list[InterviewStatus]

    @classmethod
    def of(cls, unit: UnitCompletion) -> UnitInterviewCompletion:
        def status(p: feedback.Interviewee) -> InterviewStatus:
            return InterviewStatus(person_id=_id(p.person_id), name=p.name,
                                   employee_no=p.employee_no, interviewed=p.interviewed,
                                   acknowledged=p.acknowledged)

        return cls(unit_id=_id(unit.unit_id), unit_name=unit.unit_name, required=unit.required,
                   done=unit.done, acknowledged=unit.acknowledged,
                   missing=[status(p) for p in unit.missing],
                   people=[status(p) for p in unit.people])


# --- care ------------------------------------------------------------------------------------


@strawberry.type(description="关心帮助情形：为什么需要关心帮助，依据哪些考核结果")
class CareFlag:
    kind: CareFlagKind  # type: ignore[valid-type]
    label: str
    year: int
    quarter: int
    reason: str
    suggestion: str
    basis_result_ids: list[strawberry.ID]

    @classmethod
    def of(cls, flag: Any) -> CareFlag:
        return cls(kind=flag.kind, label=flag.kind.label, year=flag.quarter[0],
                   quarter=flag.quarter[1], reason=flag.reason, suggestion=flag.suggestion,
                   basis_result_ids=[strawberry.ID(str(i)) for i in flag.basis])


@strawberry.type(description="帮扶措施：结对帮带（谁帮带谁、从何时起）、岗位调整、跟进谈话")
class CareAction:
    id: strawberry.ID
    kind: CareActionKind  # type: ignore[valid-type]
    kind_label: str
    person_id: strawberry.ID
    mentor_id: strawberry.ID | None
    starts_on: date
    ends_on: date | None
    note: str
    flags: list[CareFlagKind]  # type: ignore[valid-type]
    recorded_at: datetime
    outcome: str = strawberry.field(default="", description="帮扶成效（如结对帮带结束时记录）")

    @strawberry.field(description="帮扶对象姓名")
    async def person_name(self, info: GInfo) -> str | None:
        return await _manager_name(info, self.person_id)

    @strawberry.field(description="帮带人姓名")
    async def mentor_name(self, info: GInfo) -> str | None:
        return await _manager_name(info, self.mentor_id)

    @classmethod
    def of(cls, row: CareActionRow) -> CareAction:
        return cls(id=_id(row.id), kind=row.kind,
                   kind_label=CARE_ACTION_LABELS[CareActionKindValue(row.kind)],
                   person_id=_id(row.person_id), mentor_id=gid(row.mentor_id),
                   starts_on=row.starts_on, ends_on=row.ends_on, note=row.note,
                   flags=[CareFlagKindValue(f) for f in row.flags or []],
                   recorded_at=row.created_at, outcome=row.outcome or "")


@strawberry.type(description="一次岗位调整：原岗位、新岗位、生效日期；未到生效日期的为待生效")
class PostChange:
    id: strawberry.ID
    person_id: strawberry.ID
    previous_post_id: strawberry.ID | None
    previous_post_name: str | None
    post_id: strawberry.ID
    post_name: str | None
    effective_on: date
    applied: bool = strawberry.field(description="是否已生效（人员的现任岗位已改为新岗位）")
    applied_at: datetime | None
    reason: str
    care_action_id: strawberry.ID | None
    results_use_entry_id: strawberry.ID | None = strawberry.field(
        description="记入结果运用台账的条目")

    @classmethod
    def of(cls, change: PostChangeValue) -> PostChange:
        r = change.row
        return cls(id=_id(r.id), person_id=_id(r.person_id),
                   previous_post_id=gid(r.previous_post_id),
                   previous_post_name=change.previous_post.name if change.previous_post
                   else None, post_id=_id(r.post_id),
                   post_name=change.post.name if change.post else None,
                   effective_on=r.effective_on, applied=r.applied_at is not None,
                   applied_at=r.applied_at, reason=r.reason,
                   care_action_id=gid(r.care_action_id),
                   results_use_entry_id=gid(r.results_use_entry_id))


@strawberry.type(description="关心帮助名单中的一人")
class CareListEntry:
    person: Person
    flags: list[CareFlag]
    actions: list[CareAction]

    @classmethod
    def of(cls, entry: CareEntry) -> CareListEntry:
        return cls(person=Person.of(entry.person), flags=[CareFlag.of(f) for f in entry.flags],
                   actions=[CareAction.of(a) for a in entry.actions])


# --- results use -----------------------------------------------------------------------------


@strawberry.type(description="所依据的考核结果")
class ResultRef:
    id: strawberry.ID
    period_id: strawberry.ID
    period_name: str
    year: int
    quarter: int | None
    score: Decimal | None
    rank: int | None
    grade: str | None
    grade_label: str | None

    @classmethod
    def of(cls, ref: ResultRefValue) -> ResultRef:
        return cls(id=_id(ref.id), period_id=_id(ref.period_id), period_name=ref.period_name,
                   year=ref.year, quarter=ref.quarter, score=ref.score, rank=ref.rank,
                   grade=ref.grade, grade_label=ref.grade_label)


@strawberry.type(description="结果运用台账的一条记录")
class ResultsUseEntry:
    id: strawberry.ID
    kind: ResultsUseKind  # type: ignore[valid-type]
    kind_label: str
    person_id: strawberry.ID | None
    unit_id: strawberry.ID | None
    decided_on: date
    title: str
    note: str
    basis: list[ResultRef]
    recorded_at: datetime

    @classmethod
    def of(cls, view: EntryView) -> ResultsUseEntry:
        row: EntryRow = view.entry
        return cls(id=_id(row.id), kind=row.kind,
                   kind_label=RESULTS_USE_LABELS[ResultsUseKindValue(row.kind)],
                   person_id=gid(row.person_id), unit_id=gid(row.unit_id),
                   decided_on=row.decided_on, title=row.title, note=row.note,
                   basis=[ResultRef.of(r) for r in view.basis], recorded_at=row.created_at)


@strawberry.type(description="结果运用人选（按单位设置的规则计算）")
class ResultsUseCandidate:
    person: Person
    kind: CandidateKind  # type: ignore[valid-type]
    kind_label: str
    reason: str
    basis: list[ResultRef]

    @classmethod
    def of(cls, view: CandidateView) -> ResultsUseCandidate:
        return cls(person=Person.of(view.person), kind=view.kind, kind_label=view.kind.label,
                   reason=view.reason, basis=[ResultRef.of(r) for r in view.basis])


@strawberry.type(description="一个薄弱的评价维度")
class WeakDimension:
    dimension: str
    name: str
    mean: Decimal
    overall_mean: Decimal
    gap: Decimal
    people: int
    basis_result_ids: list[strawberry.ID]


@strawberry.type(description="部门的培训需求：最薄弱的评价维度（小切口培训）")
class UnitTrainingNeed:
    unit: OrgUnit
    dimensions: list[WeakDimension]

    @classmethod
    def of(cls, need: TrainingNeedValue) -> UnitTrainingNeed:
        return cls(unit=OrgUnit.of(need.unit), dimensions=[
            WeakDimension(dimension=d.dimension, name=need.names.get(d.dimension, d.dimension),
                          mean=d.mean, overall_mean=d.overall_mean, gap=d.gap, people=d.people,
                          basis_result_ids=[strawberry.ID(str(i)) for i in d.basis])
            for d in need.dimensions])


# --- profile ---------------------------------------------------------------------------------


@strawberry.type(description="一个考核周期的得分、排名和等次")
class ProfileResult:
    id: strawberry.ID
    period: Period
    unit_id: strawberry.ID
    score: Decimal | None
    rank: int | None
    ranked_count: int
    grade: str | None
    grade_label: str | None

    @classmethod
    def of(cls, r: ProfileResultValue) -> ProfileResult:
        return cls(id=_id(r.id), period=Period.of(r.period), unit_id=_id(r.unit_id),
                   score=r.score, rank=r.rank, ranked_count=r.ranked_count, grade=r.grade,
                   grade_label=r.grade_label)


@strawberry.type(description="画像中的一条记录（实绩、点赞事项、错情通报等，由相应功能提供）")
class ProfileRecord:
    kind: str
    title: str
    period_id: strawberry.ID | None
    occurred_on: date | None
    detail: str
    points: Decimal | None
    source_id: strawberry.ID | None

    @classmethod
    def of(cls, r: ProfileRecordValue) -> ProfileRecord:
        return cls(kind=r.kind, title=r.title, period_id=gid(r.period_id),
                   occurred_on=r.occurred_on, detail=r.detail, points=r.points,
                   source_id=gid(r.source_id))


@strawberry.type(description="干部画像：历次考核结果、反馈谈话、结果运用、关心帮助")
class CadreProfile:
    person: Person
    results: list[ProfileResult]
    interviews: list[FeedbackInterview]
    results_use: list[ResultsUseEntry]
    care_flags: list[CareFlag]
    care_actions: list[CareAction]
    achievements: list[ProfileRecord] = strawberry.field(description="实绩（实绩申报）")
    commendations: list[ProfileRecord] = strawberry.field(
        description="点赞事项与错情通报")

    @classmethod
    def of(cls, p: Profile) -> CadreProfile:
        def section(name: ProfileSection) -> list[ProfileRecord]:
            return [ProfileRecord.of(r) for r in p.sections.get(name, [])]

        return cls(person=Person.of(p.person), results=[ProfileResult.of(r) for r in p.results],
                   interviews=[FeedbackInterview.of(i) for i in p.interviews],
                   results_use=[ResultsUseEntry.of(e) for e in p.results_use],
                   care_flags=[CareFlag.of(f) for f in p.care_flags],
                   care_actions=[CareAction.of(a) for a in p.care_actions],
                   achievements=section(ProfileSection.achievements),
                   commendations=section(ProfileSection.commendations))
