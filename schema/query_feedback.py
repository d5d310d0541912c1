"""Queries of feedback interviews, the care list, results use and the profile (干部画像)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.errors import UserFacingError
from resolvers.feedback import care, post_history, profile, results_use
from resolvers.feedback import interviews as feedback
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import parse_id, require_id
from schema.types.feedback import (
    CadreProfile,
    CareAction,
    CareListEntry,
    FeedbackInterview,
    PostChange,
    ResultsUseCandidate,
    ResultsUseEntry,
    UnitInterviewCompletion,
    UnitTrainingNeed,
)
from schema.types.pagination import After, Connection, First, node_id, paged

GInfo = Info[GraphQLContext, None]


@strawberry.type
class FeedbackQuery:
    @strawberry.field(description="某人某季度的反馈谈话记录；无记录或无权查看时为 null")
    async def feedback_interview(self, info: GInfo,
                                 period_id: PeriodId,
                                 person_id: Annotated[strawberry.ID, strawberry.argument(
                                     description="谈话对象的人员 id")]) -> FeedbackInterview | None:
        row = await feedback.get_interview(info.context, require_id(period_id),
                                           require_id(person_id))
        return FeedbackInterview.of(row) if row else None

    @strawberry.field(description="某季度可查看的反馈谈话记录（本人、所管理的人员；组织人事部门看全部）")
    async def feedback_interviews(self, info: GInfo,
                                  period_id: PeriodId) -> list[FeedbackInterview]:
        rows = await feedback.list_interviews(info.context, require_id(period_id))
        return [FeedbackInterview.of(r) for r in rows]

    @strawberry.field(description="某季度可查看的反馈谈话记录（同 feedbackInterviews），游标分页")
    async def feedback_interviews_page(self, info: GInfo,
                                       period_id: PeriodId,
                                       first: First = 50,
                                       after: After = None
                                       ) -> Connection[FeedbackInterview]:
        rows = await feedback.list_interviews(info.context, require_id(period_id))
        return paged([FeedbackInterview.of(r) for r in rows], node_id, first, after)

    @strawberry.field(description="各部门反馈谈话完成情况（组织人事部门看全部，领导看所管理的部门）")
    async def interview_completion(self, info: GInfo,
                                   period_id: PeriodId
                                   ) -> list[UnitInterviewCompletion]:
        units = await feedback.completion(info.context, require_id(period_id))
        return [UnitInterviewCompletion.of(u) for u in units]

    @strawberry.field(description="关心帮助名单：排名靠后、明显退步、人岗契合度低、长期评价较差")
    async def care_list(self, info: GInfo,
                        period_id: PeriodId) -> list[CareListEntry]:
        entries = await care.care_list_of(info.context, require_id(period_id))
        return [CareListEntry.of(e) for e in entries]

    @strawberry.field(description="关心帮助名单（同 careList），游标分页：游标为人员 id")
    async def care_list_page(self, info: GInfo,
                             period_id: PeriodId,
                             first: First = 50,
                             after: After = None) -> Connection[CareListEntry]:
        entries = await care.care_list_of(info.context, require_id(period_id))
        return paged([CareListEntry.of(e) for e in entries], lambda e: str(e.person.id), first,
                     after)

    @strawberry.field(description="帮扶措施（结对帮带、岗位调整、跟进谈话）")
    async def care_actions(self, info: GInfo,
                           person_id: Annotated[strawberry.ID | None, strawberry.argument(
                               description="只看此人；"
                                           "不传为可见的全部")] = None) -> list[CareAction]:
        rows = await care.list_actions(info.context, parse_id(person_id))
        return [CareAction.of(r) for r in rows]

    @strawberry.field(description="某年度的结果运用人选：职务提拔、职级晋升、暂缓晋升")
    async def results_use_candidates(self, info: GInfo,
                                     year: Annotated[int, strawberry.argument(
                                         description="年度（如 2025）"
                                                     "")]) -> list[ResultsUseCandidate]:
        views = await results_use.list_candidates(info.context, year)
        return [ResultsUseCandidate.of(v) for v in views]

    @strawberry.field(description="某年度的结果运用人选（同 resultsUseCandidates），游标分页")
    async def results_use_candidates_page(self, info: GInfo,
                                          year: Annotated[int, strawberry.argument(
                                              description="年度（如 2025）")],
                                          first: First = 50,
                                          after: After = None
                                          ) -> Connection[ResultsUseCandidate]:
        rows = [ResultsUseCandidate.of(v)
                for v in await results_use.list_candidates(info.context, year)]
        return paged(rows, lambda c: f"{c.kind}|{c.person.id}", first, after)

    @strawberry.field(description="各部门培训需求：评价维度中最薄弱的几项")
    async def training_needs(self, info: GInfo,
                             period_id: PeriodId) -> list[UnitTrainingNeed]:
        needs = await results_use.training_needs(info.context, require_id(period_id))
        return [UnitTrainingNeed.of(n) for n in needs]

    @strawberry.field(description="结果运用台账（本人、所管理的人员；组织人事部门看全部）")
    async def results_use(self, info: GInfo,
                          person_id: Annotated[strawberry.ID | None, strawberry.argument(
                              description="只看此人；不传为可见的全部")] = None,
                          year: Annotated[int | None, strawberry.argument(
                              description="只看此年度；"
                                          "不传为全部")] = None) -> list[ResultsUseEntry]:
        views = await results_use.list_entries(info.context, parse_id(person_id), year)
        return [ResultsUseEntry.of(v) for v in views]

    @strawberry.field(description="干部画像；无权查看或不存在时为 null")
    async def cadre_profile(self, info: GInfo,
                            person_id: Annotated[strawberry.ID, strawberry.argument(
                                description="人员 id")]) -> CadreProfile | None:
        try:
            found = await profile.profile(info.context, require_id(person_id))
        except UserFacingError as exc:
            if exc.problems[0].code == "UNAUTHENTICATED":
                raise
            return None
        return CadreProfile.of(found)

    @strawberry.field(description=(
        "岗位调整记录（原岗位、新岗位、生效日期；未到生效日期的为待生效）；"
        "本人、其管理者及组织人事部门可见，无权查看时为空"))
    async def post_history(self, info: GInfo,
                           person_id: Annotated[strawberry.ID, strawberry.argument(
                               description="人员 id")]) -> list[PostChange]:
        try:
            changes = await post_history.history(info.context, require_id(person_id))
        except UserFacingError as exc:
            if exc.problems[0].code == "UNAUTHENTICATED":
                raise
            return []
        return [PostChange.of(c) for c in changes]
