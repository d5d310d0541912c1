"""Mutations of the annual appraisal's inputs: 述职报告 and 民主测评."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from resolvers.appraisal import annual_inputs as use
from resolvers.appraisal import democratic_votes as votes
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC, PeriodId
from schema.errors import UserError, attempt
from schema.ids import parse_id, require_id
from schema.types.annual_inputs import DemocraticVote, DutyReport, MyBallot
from schema.types.ratings import Grade
from schema.uploads import uploaded_file

GInfo = Info[GraphQLContext, None]
VoteId = Annotated[strawberry.ID, strawberry.argument(description="民主测评 id")]


@strawberry.input(description="要求提交述职报告：指定人员，或某部门（含下级部门），都不传为全部参加考核的人员")
class RequestDutyReportsInput:
    period_id: strawberry.ID = strawberry.field(description="年度考核周期 id")
    deadline: date = strawberry.field(description="提交截止日期（含当天，北京时间）")
    unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="部门 id：该部门及下级部门中参加考核的人员")
    person_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="指定的人员 id；传了则不看 unitId")


@strawberry.type(description="要求提交述职报告的结果")
class RequestDutyReportsPayload:
    requested: int = strawberry.field(description="被要求述职的人数（已要求过的更新截止日期）")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.input(description="述职报告的附件：PDF、DOCX 或图片（PNG、JPG），一个文件")
class DutyReportFileInput:
    filename: str = strawberry.field(description="文件名，以 .pdf、.docx、.png、.jpg 结尾")
    content_base64: str | None = strawberry.field(
        default=None, description="文件内容的 Base64 编码；与 file 二选一")
    file: Upload | None = strawberry.field(
        default=None, description="上传的文件（GraphQL multipart 请求）；与 contentBase64 二选一")


@strawberry.input(description="提交（或在截止日期前修改）本人的述职报告")
class SubmitDutyReportInput:
    period_id: strawberry.ID = strawberry.field(description="年度考核周期 id")
    text: str = strawberry.field(description="述职报告正文（字数上限见单位设置）")
    attachment: DutyReportFileInput | None = strawberry.field(
        default=None, description="附件；不传则保留已有附件")
    remove_attachment: bool = strawberry.field(
        default=False, description="删除已有附件（未传 attachment 时）")


@strawberry.type(description="提交述职报告的结果")
class DutyReportPayload:
    report: DutyReport | None = strawberry.field(description="提交后的述职报告；出错时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="民主测评的发起或结束结果")
class DemocraticVotePayload:
    vote: DemocraticVote | None = strawberry.field(description="民主测评；出错时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.input(description="对一名被测评人的选择")
class BallotChoiceInput:
    candidate_id: strawberry.ID = strawberry.field(description="被测评人的人员 id")
    choice: Grade = strawberry.field(  # type: ignore[valid-type]
        description="测评等次：excellent 优秀、competent 称职、basically_competent 基本称职、"
                    "incompetent 不称职")


@strawberry.type(description="投票结果：只说明已投票，不回显选择")
class CastBallotPayload:
    ballot: MyBallot | None = strawberry.field(description="投票后的选票（已投票）；出错时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class AnnualInputMutation:
    @strawberry.mutation(description="要求人员在截止日期前提交年度述职报告（组织人事部门）")
    async def request_duty_reports(
        self, info: GInfo,
        input: Annotated[RequestDutyReportsInput, strawberry.argument(description=INPUT_DOC)],
    ) -> RequestDutyReportsPayload:
        people = [require_id(p) for p in input.person_ids or []]
        count, errors = await attempt(info, lambda: use.request_duty_reports(
            info.context, require_id(input.period_id), input.deadline,
            parse_id(input.unit_id), people))
        return RequestDutyReportsPayload(requested=count or 0, user_errors=errors)

    @strawberry.mutation(description="提交本人的年度述职报告（截止日期前可修改），可附一个文件")
    async def submit_duty_report(
        self, info: GInfo,
        input: Annotated[SubmitDutyReportInput, strawberry.argument(description=INPUT_DOC)],
    ) -> DutyReportPayload:
        async def run() -> use.DutyReportLine:
            file = input.attachment
            attachment = await uploaded_file(file.filename, file.content_base64, file.file) \
                if file is not None else None
            return await use.submit_duty_report(info.context, use.DutyReportInput(
                require_id(input.period_id), input.text, attachment, input.remove_attachment))

        line, errors = await attempt(info, run)
        return DutyReportPayload(report=DutyReport.of(line) if line else None, user_errors=errors)

    @strawberry.mutation(description="发起民主测评（组织人事部门）：全单位或某部门（含下级部门），"
                                     "参评人为范围内有登录账号的人员，被测评人为范围内参加考核的人员")
    async def open_democratic_vote(
        self, info: GInfo, period_id: PeriodId,
        unit_id: Annotated[strawberry.ID | None, strawberry.argument(
            description="部门 id；不传为全单位")] = None,
    ) -> DemocraticVotePayload:
        summary, errors = await attempt(info, lambda: votes.open_democratic_vote(
            info.context, require_id(period_id), parse_id(unit_id)))
        return DemocraticVotePayload(vote=DemocraticVote.of(summary) if summary else None,
                                     user_errors=errors)

    @strawberry.mutation(description="结束民主测评（组织人事部门）；结束后才显示得票")
    async def close_democratic_vote(self, info: GInfo, vote_id: VoteId) -> DemocraticVotePayload:
        summary, errors = await attempt(info, lambda: votes.close_democratic_vote(
            info.context, require_id(vote_id)))
        return DemocraticVotePayload(vote=DemocraticVote.of(summary) if summary else None,
                                     user_errors=errors)

    @strawberry.mutation(description="投出本人的民主测评选票：一次对全部被测评人各选一个等次；"
                                     "匿名，每人只能投一次")
    async def cast_ballot(
        self, info: GInfo, vote_id: VoteId,
        choices: Annotated[list[BallotChoiceInput], strawberry.argument(
            description="对每名被测评人的选择（须包含全部被测评人）")],
    ) -> CastBallotPayload:
        picked = [(require_id(item.candidate_id), str(item.choice)) for item in choices]
        ballot, errors = await attempt(info, lambda: votes.cast_ballot(
            info.context, require_id(vote_id), picked))
        return CastBallotPayload(ballot=MyBallot.of(ballot) if ballot else None,
                                 user_errors=errors)
