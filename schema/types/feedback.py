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
from schema.descriptions import ID_DOC, UPDATED_AT_DOC
from schema.enums import labelled_enum
from schema.ids import gid
from schema.types.org import OrgUnit, Person, load_unit
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
    topic: InterviewTopic = strawberry.field(description="话题")  # type: ignore[valid-type]
    label: str = strawberry.field(description="话题的中文名")
    covered: bool = strawberry.field(description="是否谈到")
    notes: str = strawberry.field(description="谈话要点；没有为空串")


@strawberry.type(description="商定的改进措施及跟进时间")
class ImprovementItem:
    action: str = strawberry.field(description="改进措施")
    follow_up_on: date = strawberry.field(description="跟进日期")


@strawberry.type(description="反馈谈话记录（谈话人记录，本人确认并可补充意见，本人不能修改）")
class FeedbackInterview:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="谈话对象的人员 id")
    unit_id: strawberry.ID = strawberry.field(description="谈话对象所在部门 id")
    person_result_id: strawberry.ID | None = strawberry.field(
        description="所反馈的考核结果 id；没有结果为 null")
    interviewer_id: strawberry.ID | None = strawberry.field(
        description="谈话人的人员 id；谈话人无人员档案时为 null")
    held_on: date = strawberry.field(description="谈话日期")
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
    acknowledged_at: datetime | None = strawberry.field(description="本人确认时间；未确认为 null")
    person_comment: str = strawberry.field(description="本人补充意见")
    recorded_at: datetime = strawberry.field(description="记录时间")
    updated_at: datetime | None = strawberry.field(description=UPDATED_AT_DOC)

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
    person_id: strawberry.ID = strawberry.field(description="人员 id")
    name: str = strawberry.field(description="姓名")
    employee_no: str = strawberry.field(description="人员编号")
    interviewed: bool = strawberry.field(description="已谈话")
    acknowledged: bool = strawberry.field(description="本人已确认谈话记录")


@strawberry.type(description="一个部门的反馈谈话完成情况")
class UnitInterviewCompletion:
    unit_id: strawberry.ID = strawberry.field(description="部门 id")
    unit_name: str = strawberry.field(description="部门名称")
    required: int = strawberry.field(description="应谈话人数")
    done: int = strawberry.field(description="已谈话人数")
    acknowledged: int = strawberry.field(description="本人已确认的人数")
    missing: list[InterviewStatus] = strawberry.field(description="尚未谈话的人员")
    people: list[InterviewStatus] = strawberry.field(description="全部应谈话人员及状态")

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
    kind: CareFlagKind = strawberry.field(description="情形类型")  # type: ignore[valid-type]
    label: str = strawberry.field(description="情形的中文名")
    year: int = strawberry.field(description="年度")
    quarter: int = strawberry.field(description="季度（1–4）")
    reason: str = strawberry.field(description="为什么列入（中文）")
    suggestion: str = strawberry.field(description="建议的帮扶措施")
    basis_result_ids: list[strawberry.ID] = strawberry.field(description="依据的考核结果 id")

    @classmethod
    def of(cls, flag: Any) -> CareFlag:
        return cls(kind=flag.kind, label=flag.kind.label, year=flag.quarter[0],
                   quarter=flag.quarter[1], reason=flag.reason, suggestion=flag.suggestion,
                   basis_result_ids=[strawberry.ID(str(i)) for i in flag.basis])


@strawberry.type(description="帮扶措施：结对帮带（谁帮带谁、从何时起）、岗位调整、跟进谈话")
class CareAction:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    kind: CareActionKind = strawberry.field(description="措施类型")  # type: ignore[valid-type]
    kind_label: str = strawberry.field(description="措施类型的中文名")
    person_id: strawberry.ID = strawberry.field(description="帮扶对象的人员 id")
    mentor_id: strawberry.ID | None = strawberry.field(
        description="帮带人的人员 id；非结对帮带为 null")
    starts_on: date = strawberry.field(description="开始日期")
    ends_on: date | None = strawberry.field(description="结束日期；未结束为 null")
    note: str = strawberry.field(description="说明；没有为空串")
    flags: list[CareFlagKind] = strawberry.field(  # type: ignore[valid-type]
        description="针对的关心帮助情形")
    recorded_at: datetime = strawberry.field(description="记录时间")
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
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    person_id: strawberry.ID = strawberry.field(description="人员 id")
    previous_post_id: strawberry.ID | None = strawberry.field(
        description="原岗位 id；原来未定岗为 null")
    previous_post_name: str | None = strawberry.field(description="原岗位名称；未定岗为 null")
    post_id: strawberry.ID = strawberry.field(description="新岗位 id")
    post_name: str | None = strawberry.field(description="新岗位名称")
    effective_on: date = strawberry.field(description="生效日期")
    applied: bool = strawberry.field(description="是否已生效（人员的现任岗位已改为新岗位）")
    applied_at: datetime | None = strawberry.field(description="生效时间；待生效为 null")
    reason: str = strawberry.field(description="调整理由")
    care_action_id: strawberry.ID | None = strawberry.field(
        description="对应的帮扶措施 id；没有为 null")
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
    person: Person = strawberry.field(description="人员")
    flags: list[CareFlag] = strawberry.field(description="关心帮助情形")
    actions: list[CareAction] = strawberry.field(description="已采取的帮扶措施")

    @classmethod
    def of(cls, entry: CareEntry) -> CareListEntry:
        return cls(person=Person.of(entry.person), flags=[CareFlag.of(f) for f in entry.flags],
                   actions=[CareAction.of(a) for a in entry.actions])


# --- results use -----------------------------------------------------------------------------


@strawberry.type(description="所依据的考核结果")
class ResultRef:
    id: strawberry.ID = strawberry.field(description="考核结果 id")
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    period_name: str = strawberry.field(description="考核周期名称")
    year: int = strawberry.field(description="年度")
    quarter: int | None = strawberry.field(description="季度；年度考核为 null")
    score: Decimal | None = strawberry.field(description="得分；未评价为 null")
    rank: int | None = strawberry.field(description="排名；未评价为 null")
    grade: str | None = strawberry.field(description="等次（值）；未确认为 null")
    grade_label: str | None = strawberry.field(description="等次的中文名；未确认为 null")

    @classmethod
    def of(cls, ref: ResultRefValue) -> ResultRef:
        return cls(id=_id(ref.id), period_id=_id(ref.period_id), period_name=ref.period_name,
                   year=ref.year, quarter=ref.quarter, score=ref.score, rank=ref.rank,
                   grade=ref.grade, grade_label=ref.grade_label)


@strawberry.type(description="结果运用台账的一条记录")
class ResultsUseEntry:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    kind: ResultsUseKind = strawberry.field(description="运用类型")  # type: ignore[valid-type]
    kind_label: str = strawberry.field(description="运用类型的中文名")
    person_id: strawberry.ID | None = strawberry.field(description="人员 id；针对部门时为 null")
    unit_id: strawberry.ID | None = strawberry.field(description="部门 id；针对个人时为 null")
    decided_on: date = strawberry.field(description="决定日期")
    title: str = strawberry.field(description="标题（如“提拔为二级主任科员”）")
    note: str = strawberry.field(description="说明；没有为空串")
    basis: list[ResultRef] = strawberry.field(description="依据的考核结果")
    recorded_at: datetime = strawberry.field(description="记录时间")

    @classmethod
    def of(cls, view: EntryView) -> ResultsUseEntry:
        row: EntryRow = view.entry
        return cls(id=_id(row.id), kind=row.kind,
                   kind_label=RESULTS_USE_LABELS[ResultsUseKindValue(row.kind)],
                   person_id=gid(row.person_id), unit_id=gid(row.unit_id),
                   decided_on=row.decided_on, title=row.title, note=row.note,
                   basis=[ResultRef.of(r) for r in view.basis], recorded_at=row.created_at)

    @strawberry.field(description="人员（姓名、编号、部门）；针对部门或无权查看时为 null")
    async def person(self, info: GInfo) -> Person | None:
        if self.person_id is None:
            return None
        row = await loader_for(info.context, org.people_by_ids).load(uuid.UUID(self.person_id))
        return Person.of(row) if row else None

    @strawberry.field(description="部门；针对个人时为 null")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)


@strawberry.type(description="结果运用人选（按单位设置的规则计算）")
class ResultsUseCandidate:
    person: Person = strawberry.field(description="人员")
    kind: CandidateKind = strawberry.field(description="运用类型")  # type: ignore[valid-type]
    kind_label: str = strawberry.field(description="运用类型的中文名")
    reason: str = strawberry.field(description="列为人选的理由（中文）")
    basis: list[ResultRef] = strawberry.field(description="依据的考核结果")

    @classmethod
    def of(cls, view: CandidateView) -> ResultsUseCandidate:
        return cls(person=Person.of(view.person), kind=view.kind, kind_label=view.kind.label,
                   reason=view.reason, basis=[ResultRef.of(r) for r in view.basis])


@strawberry.type(description="一个薄弱的评价维度")
class WeakDimension:
    dimension: str = strawberry.field(description="维度编码")
    name: str = strawberry.field(description="维度名称")
    mean: Decimal = strawberry.field(description="本部门该维度的平均得分")
    overall_mean: Decimal = strawberry.field(description="全单位该维度的平均得分")
    gap: Decimal = strawberry.field(description="差距（全单位平均减本部门平均）")
    people: int = strawberry.field(description="计入的人数")
    basis_result_ids: list[strawberry.ID] = strawberry.field(description="依据的考核结果 id")


@strawberry.type(description="部门的培训需求：最薄弱的评价维度（小切口培训）")
class UnitTrainingNeed:
    unit: OrgUnit = strawberry.field(description="部门")
    dimensions: list[WeakDimension] = strawberry.field(
        description="最薄弱的评价维度（差距大的在前）")

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
    id: strawberry.ID = strawberry.field(description="考核结果 id")
    period: Period = strawberry.field(description="考核周期")
    unit_id: strawberry.ID = strawberry.field(description="当时所在部门 id")
    score: Decimal | None = strawberry.field(description="得分；未评价为 null")
    rank: int | None = strawberry.field(description="全单位排名；未评价为 null")
    ranked_count: int = strawberry.field(description="参加排名的人数")
    grade: str | None = strawberry.field(description="确定的等次（值）；未确认为 null")
    grade_label: str | None = strawberry.field(description="等次的中文名；未确认为 null")

    @classmethod
    def of(cls, r: ProfileResultValue) -> ProfileResult:
        return cls(id=_id(r.id), period=Period.of(r.period), unit_id=_id(r.unit_id),
                   score=r.score, rank=r.rank, ranked_count=r.ranked_count, grade=r.grade,
                   grade_label=r.grade_label)


@strawberry.type(description="画像中的一条记录（实绩、点赞事项、错情通报等，由相应功能提供）")
class ProfileRecord:
    kind: str = strawberry.field(
        description="记录类型（achievement 实绩、commendation 点赞事项、error_notice 错情通报）")
    title: str = strawberry.field(description="标题")
    period_id: strawberry.ID | None = strawberry.field(
        description="所属考核周期 id；不属于周期为 null")
    occurred_on: date | None = strawberry.field(description="发生日期；没有为 null")
    detail: str = strawberry.field(description="内容")
    points: Decimal | None = strawberry.field(description="加减分值；不涉及分值为 null")
    source_id: strawberry.ID | None = strawberry.field(description="原记录的 id；没有为 null")

    @classmethod
    def of(cls, r: ProfileRecordValue) -> ProfileRecord:
        return cls(kind=r.kind, title=r.title, period_id=gid(r.period_id),
                   occurred_on=r.occurred_on, detail=r.detail, points=r.points,
                   source_id=gid(r.source_id))


@strawberry.type(description="干部画像：历次考核结果、反馈谈话、结果运用、关心帮助")
class CadreProfile:
    person: Person = strawberry.field(description="人员")
    results: list[ProfileResult] = strawberry.field(description="历次考核结果（按周期）")
    interviews: list[FeedbackInterview] = strawberry.field(description="历次反馈谈话")
    results_use: list[ResultsUseEntry] = strawberry.field(description="结果运用记录")
    care_flags: list[CareFlag] = strawberry.field(description="关心帮助情形")
    care_actions: list[CareAction] = strawberry.field(description="帮扶措施")
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
