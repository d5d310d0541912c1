"""Mutations of feedback interviews, care actions and the results use ledger."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.feedback import care, results_use
from resolvers.feedback import interviews as feedback
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC, PeriodId
from schema.errors import UserError, attempt
from schema.ids import parse_id, require_id
from schema.types.feedback import (
    CareAction,
    CareActionKind,
    CareFlagKind,
    FeedbackInterview,
    InterviewTopic,
    ResultsUseEntry,
    ResultsUseKind,
)

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="一项改进措施及跟进时间")
class ImprovementItemInput:
    action: str = strawberry.field(description="改进措施")
    follow_up_on: date = strawberry.field(description="跟进日期")


@strawberry.input(description="“四必谈”之一")
class InterviewTopicInput:
    topic: InterviewTopic = strawberry.field(description="话题")  # type: ignore[valid-type]
    covered: bool = strawberry.field(description="是否谈到")
    notes: str = strawberry.field(default="", description="谈话要点；可为空串")


@strawberry.input(description="反馈谈话记录")
class InterviewInput:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="谈话对象的人员 id")
    held_on: date = strawberry.field(description="谈话日期")
    result_told: str = strawberry.field(description="告知的考核结果")
    strengths: str = strawberry.field(description="优势")
    weaknesses: str = strawberry.field(description="短板")
    root_causes: str = strawberry.field(description="问题根源")
    improvement_plan: list[ImprovementItemInput] = strawberry.field(description="商定的改进计划")
    topics: list[InterviewTopicInput] = strawberry.field(
        description="四必谈：思想动态、工作实绩、能力素质、作风养成")
    praise: str = strawberry.field(description="正负正之“正”：肯定成绩")
    critique: str = strawberry.field(description="正负正之“负”：分析不足")
    encouragement: str = strawberry.field(description="正负正之“正”：明确方向")
    fit_rating: int = strawberry.field(description="人岗契合度（1–5）")


@strawberry.type(description="记录或确认反馈谈话的结果")
class InterviewPayload:
    interview: FeedbackInterview | None = strawberry.field(
        description="操作后的谈话记录；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.input(description="帮扶措施")
class CareActionInput:
    kind: CareActionKind = strawberry.field(description="措施类型")  # type: ignore[valid-type]
    person_id: strawberry.ID = strawberry.field(description="帮扶对象的人员 id")
    starts_on: date = strawberry.field(description="开始日期")
    mentor_id: strawberry.ID | None = strawberry.field(
        default=None, description="结对帮带：帮带人的人员 id；其他措施不传")
    ends_on: date | None = strawberry.field(default=None, description="结束日期；可不传")
    note: str = strawberry.field(default="", description="说明；可为空串")
    flags: list[CareFlagKind] = strawberry.field(  # type: ignore[valid-type]
        description="针对的关心帮助情形",
        default_factory=list)
    post_id: strawberry.ID | None = strawberry.field(
        default=None, description="岗位调整：调整后的岗位，自 startsOn 起生效")
    basis: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="岗位调整：依据的考核结果（默认为此人最近一次考核结果）")


@strawberry.type(description="记录帮扶措施的结果")
class CareActionPayload:
    action: CareAction | None = strawberry.field(description="记录的措施；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.input(description="结果运用记录；basis 为所依据的考核结果 id")
class ResultsUseInput:
    kind: ResultsUseKind = strawberry.field(description="运用类型")  # type: ignore[valid-type]
    decided_on: date = strawberry.field(description="决定日期")
    title: str = strawberry.field(description="标题")
    basis: list[strawberry.ID] = strawberry.field(description="依据的考核结果 id")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="人员 id（与 unitId 二选一）")
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="部门 id（与 personId 二选一）")
    note: str = strawberry.field(default="", description="说明；可为空串")


@strawberry.type(description="记录结果运用的结果")
class ResultsUseEntryPayload:
    entry: ResultsUseEntry | None = strawberry.field(description="记录的条目；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class FeedbackMutation:
    @strawberry.mutation(description="记录（或修改）反馈谈话：由管理该人员的领导记录")
    async def record_interview(self, info: GInfo,
                               input: Annotated[InterviewInput, strawberry.argument(
                                   description=INPUT_DOC)]) -> InterviewPayload:
        data = feedback.InterviewInput(
            period_id=require_id(input.period_id), person_id=require_id(input.person_id),
            held_on=input.held_on, result_told=input.result_told, strengths=input.strengths,
            weaknesses=input.weaknesses, root_causes=input.root_causes,
            improvement_plan=[feedback.PlanItem(i.action, i.follow_up_on)
                              for i in input.improvement_plan],
            topics=[feedback.TopicNote(t.topic, t.covered, t.notes) for t in input.topics],
            praise=input.praise, critique=input.critique, encouragement=input.encouragement,
            fit_rating=input.fit_rating)
        row, errors = await attempt(info, lambda: feedback.record_interview(info.context, data))
        return InterviewPayload(interview=FeedbackInterview.of(row) if row else None,
                                user_errors=errors)

    @strawberry.mutation(description="本人确认本季度的反馈谈话记录，可补充意见")
    async def acknowledge_interview(self, info: GInfo,
                                    period_id: PeriodId,
                                    comment: Annotated[str, strawberry.argument(
                                        description="本人补充意见（可为空）"
                                                    "")] = "") -> InterviewPayload:
        row, errors = await attempt(info, lambda: feedback.acknowledge(
            info.context, require_id(period_id), comment))
        return InterviewPayload(interview=FeedbackInterview.of(row) if row else None,
                                user_errors=errors)

    @strawberry.mutation(description="记录帮扶措施：结对帮带、岗位调整、跟进谈话")
    async def record_care_action(self, info: GInfo,
                                 input: Annotated[CareActionInput, strawberry.argument(
                                     description=INPUT_DOC)]) -> CareActionPayload:
        data = care.CareActionInput(
            kind=input.kind, person_id=require_id(input.person_id), starts_on=input.starts_on,
            mentor_id=parse_id(input.mentor_id), ends_on=input.ends_on, note=input.note,
            flags=[str(f) for f in input.flags], post_id=parse_id(input.post_id),
            basis=[require_id(b) for b in input.basis])
        row, errors = await attempt(info, lambda: care.record_action(info.context, data))
        return CareActionPayload(action=CareAction.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="结束帮扶措施（如结对帮带期满，须填写帮带成效 outcome）")
    async def end_care_action(self, info: GInfo,
                              id: Annotated[strawberry.ID, strawberry.argument(
                                  description="帮扶措施 id")],
                              ends_on: Annotated[date, strawberry.argument(
                                  description="结束日期")],
                              note: Annotated[str, strawberry.argument(description="说明")] = "",
                              outcome: Annotated[str, strawberry.argument(
                                  description="帮扶成效（结对帮带必填）"
                                              "")] = "") -> CareActionPayload:
        row, errors = await attempt(info, lambda: care.end_action(
            info.context, require_id(id), ends_on, note, outcome))
        return CareActionPayload(action=CareAction.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="记入结果运用台账（须注明依据的考核结果）")
    async def record_results_use(self, info: GInfo,
                                 input: Annotated[ResultsUseInput, strawberry.argument(
                                     description=INPUT_DOC)]) -> ResultsUseEntryPayload:
        data = results_use.EntryInput(
            kind=input.kind, decided_on=input.decided_on, title=input.title,
            basis=[require_id(b) for b in input.basis], person_id=parse_id(input.person_id),
            unit_id=parse_id(input.unit_id), note=input.note)
        view, errors = await attempt(info, lambda: results_use.record_entry(info.context, data))
        return ResultsUseEntryPayload(entry=ResultsUseEntry.of(view) if view else None,
                                      user_errors=errors)
