"""Queries of the annual appraisal's inputs: 述职报告 and 民主测评."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import annual_inputs as use
from resolvers.appraisal import democratic_votes as votes
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import require_id
from schema.types.annual_inputs import (
    DemocraticVote,
    DemocraticVoteResults,
    DutyReport,
    DutyReportAttachment,
    MyBallot,
)
from schema.types.pagination import After, Connection, First, node_id, paged

GInfo = Info[GraphQLContext, None]
VoteId = Annotated[strawberry.ID, strawberry.argument(description="民主测评 id")]


@strawberry.type
class AnnualInputQuery:
    @strawberry.field(description="我在某年度考核周期的述职报告（状态、截止日期、正文）；"
                                  "未被要求述职时为 null")
    async def my_duty_report(self, info: GInfo, period_id: PeriodId) -> DutyReport | None:
        line = await use.my_duty_report(info.context, require_id(period_id))
        return DutyReport.of(line) if line else None

    @strawberry.field(description="某年度考核周期可查看的述职报告（组织人事部门看全部，领导看所管理的"
                                  "人员和本人，其他人只看本人），按人员编号排序，游标分页")
    async def duty_reports(self, info: GInfo, period_id: PeriodId, first: First = 50,
                           after: After = None) -> Connection[DutyReport]:
        lines = await use.duty_reports(info.context, require_id(period_id))
        return paged([DutyReport.of(line) for line in lines], node_id, first, after)

    @strawberry.field(description="述职报告的附件（可查看该报告的人）；无附件为 null")
    async def duty_report_attachment(
            self, info: GInfo,
            report_id: Annotated[strawberry.ID, strawberry.argument(description="述职报告 id")]
    ) -> DutyReportAttachment | None:
        found = await use.duty_report_attachment(info.context, require_id(report_id))
        if found is None:
            return None
        return DutyReportAttachment(filename=found.filename, content_type=found.content_type,
                                    content_base64=use.attachment_base64(found))

    @strawberry.field(description="某年度考核周期的民主测评及参评率（仅组织人事部门）")
    async def democratic_votes(self, info: GInfo, period_id: PeriodId) -> list[DemocraticVote]:
        return [DemocraticVote.of(s)
                for s in await votes.democratic_votes(info.context, require_id(period_id))]

    @strawberry.field(description="民主测评结果：参评率和各人得票（仅组织人事部门；测评结束后才显示"
                                  "得票）")
    async def democratic_vote_results(self, info: GInfo,
                                      vote_id: VoteId) -> DemocraticVoteResults:
        return DemocraticVoteResults.of(
            await votes.democratic_vote_results(info.context, require_id(vote_id)))

    @strawberry.field(description="我在某年度考核周期的民主测评选票（被测评人、是否已投票）；"
                                  "不在参评范围内为 null")
    async def my_ballot(self, info: GInfo, period_id: PeriodId) -> MyBallot | None:
        ballot = await votes.my_ballot(info.context, require_id(period_id))
        return MyBallot.of(ballot) if ballot else None
