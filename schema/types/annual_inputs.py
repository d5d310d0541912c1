"""GraphQL types of the annual appraisal's inputs: 述职报告 and 民主测评."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from resolvers.appraisal import annual_inputs as use
from resolvers.appraisal import democratic_votes as votes
from schema.descriptions import ID_DOC
from schema.enums import labelled_enum
from schema.types.ratings import Grade
from vocab.annual_inputs import BALLOT_CHOICES
from vocab.annual_inputs import DutyReportStatus as DutyReportStatusValue
from vocab.annual_inputs import VoteState as VoteStateValue
from vocab.grades import Grade as GradeValue

DutyReportStatus = labelled_enum(DutyReportStatusValue, "DutyReportStatus",
                                 "述职报告状态：待提交、已提交、逾期未提交")
DemocraticVoteState = labelled_enum(VoteStateValue, "DemocraticVoteState",
                                    "民主测评状态：进行中、已结束")


@strawberry.type(description="述职报告：组织人事部门要求某人在截止日期前提交的年度述职")
class DutyReport:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="年度考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="述职人的人员 id")
    person_name: str = strawberry.field(description="述职人姓名")
    employee_no: str = strawberry.field(description="述职人的人员编号")
    unit_name: str = strawberry.field(description="述职人所在部门")
    deadline: date = strawberry.field(description="提交截止日期（含当天，北京时间）")
    status: DutyReportStatus = strawberry.field(  # type: ignore[valid-type]
        description="状态：待提交、已提交、逾期未提交")
    status_label: str = strawberry.field(description="状态的中文名称")
    text: str = strawberry.field(description="述职报告正文；未提交时为空")
    submitted_at: datetime | None = strawberry.field(
        description="最后提交时间（ISO 8601，带时区）；未提交为 null")
    attachment_name: str | None = strawberry.field(
        description="附件文件名；无附件为 null（内容用 dutyReportAttachment 读取）")
    attachment_size: int | None = strawberry.field(description="附件大小（字节）；无附件为 null")

    @classmethod
    def of(cls, line: use.DutyReportLine) -> DutyReport:
        r = line.report
        return cls(id=strawberry.ID(str(r.id)), period_id=strawberry.ID(str(r.period_id)),
                   person_id=strawberry.ID(str(r.person_id)), person_name=line.person_name,
                   employee_no=line.employee_no, unit_name=line.unit_name, deadline=r.deadline,
                   status=line.status, status_label=line.status.label, text=r.text,
                   submitted_at=r.submitted_at, attachment_name=r.attachment_name,
                   attachment_size=len(r.attachment) if r.attachment is not None else None)


@strawberry.type(description="述职报告的附件")
class DutyReportAttachment:
    filename: str = strawberry.field(description="文件名")
    content_type: str = strawberry.field(description="文件类型（MIME），如 application/pdf")
    content_base64: str = strawberry.field(description="文件内容的 Base64 编码")


@strawberry.type(description="民主测评的被测评人")
class VoteCandidate:
    person_id: strawberry.ID = strawberry.field(description="被测评人的人员 id")
    name: str = strawberry.field(description="姓名")
    unit_name: str = strawberry.field(description="所在部门")

    @classmethod
    def of(cls, c: votes.Candidate) -> VoteCandidate:
        return cls(person_id=strawberry.ID(str(c.person_id)), name=c.name,
                   unit_name=c.unit_name)


@strawberry.type(description="民主测评及其参评情况（仅组织人事部门可见）")
class DemocraticVote:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="年度考核周期 id")
    unit_id: strawberry.ID | None = strawberry.field(
        description="测评范围的部门 id（含下级部门）；全单位为 null")
    scope_name: str = strawberry.field(description="测评范围：部门名称，或“全单位”")
    state: DemocraticVoteState = strawberry.field(  # type: ignore[valid-type]
        description="状态：进行中、已结束")
    state_label: str = strawberry.field(description="状态的中文名称")
    opened_on: date = strawberry.field(description="发起日期")
    closed_on: date | None = strawberry.field(description="结束日期；进行中为 null")
    voters: int = strawberry.field(description="应参评人数（范围内有登录账号的人员）")
    ballots_cast: int = strawberry.field(description="已投票人数")
    turnout_percent: Decimal = strawberry.field(description="参评率（%，保留一位小数）")
    candidates: int = strawberry.field(description="被测评人数")

    @classmethod
    def of(cls, s: votes.VoteSummary) -> DemocraticVote:
        v = s.vote
        state = VoteStateValue(v.state)
        return cls(id=strawberry.ID(str(v.id)), period_id=strawberry.ID(str(v.period_id)),
                   unit_id=strawberry.ID(str(v.unit_id)) if v.unit_id else None,
                   scope_name=s.unit_name, state=state, state_label=state.label,
                   opened_on=v.opened_on, closed_on=v.closed_on, voters=s.voters,
                   ballots_cast=s.cast, turnout_percent=s.turnout, candidates=s.candidates)


@strawberry.type(description="某一测评等次的票数")
class ChoiceCount:
    choice: Grade = strawberry.field(  # type: ignore[valid-type]
        description="测评等次：优秀、称职、基本称职、不称职")
    label: str = strawberry.field(description="等次的中文名称")
    votes: int = strawberry.field(description="票数")


@strawberry.type(description="一名被测评人的得票")
class CandidateVotes:
    candidate: VoteCandidate = strawberry.field(description="被测评人")
    counts: list[ChoiceCount] = strawberry.field(description="各测评等次的票数，依次为优秀、称职、"
                                                             "基本称职、不称职")

    @classmethod
    def of(cls, c: votes.CandidateCounts) -> CandidateVotes:
        return cls(candidate=VoteCandidate.of(c.candidate),
                   counts=[ChoiceCount(choice=GradeValue(g.value), label=g.label,
                                       votes=c.counts.get(g, 0)) for g in BALLOT_CHOICES])


@strawberry.type(description="民主测评结果：参评情况和各人得票（仅组织人事部门可见；"
                             "测评结束后才有得票，任何查询都不能得知某人投了什么）")
class DemocraticVoteResults:
    vote: DemocraticVote = strawberry.field(description="测评及参评情况")
    counts_shown: bool = strawberry.field(description="是否已显示得票（测评结束后为 true）")
    candidates: list[CandidateVotes] = strawberry.field(
        description="各被测评人的得票；测评进行中为空")

    @classmethod
    def of(cls, r: votes.VoteResults) -> DemocraticVoteResults:
        return cls(vote=DemocraticVote.of(r.summary),
                   counts_shown=r.summary.vote.state == VoteStateValue.closed,
                   candidates=[CandidateVotes.of(c) for c in r.candidates])


@strawberry.type(description="选票上的一个测评等次")
class BallotOption:
    choice: Grade = strawberry.field(  # type: ignore[valid-type]
        description="测评等次的值")
    label: str = strawberry.field(description="中文名称")


@strawberry.type(description="我的民主测评选票：被测评人和我是否已投票（不含任何人的选择）")
class MyBallot:
    vote_id: strawberry.ID = strawberry.field(description="民主测评 id")
    state: DemocraticVoteState = strawberry.field(  # type: ignore[valid-type]
        description="测评状态：进行中、已结束")
    state_label: str = strawberry.field(description="状态的中文名称")
    has_voted: bool = strawberry.field(description="我是否已投票")
    candidates: list[VoteCandidate] = strawberry.field(description="被测评人")
    options: list[BallotOption] = strawberry.field(
        description="可选的测评等次：优秀、称职、基本称职、不称职")

    @classmethod
    def of(cls, b: votes.Ballot) -> MyBallot:
        state = VoteStateValue(b.vote.state)
        return cls(vote_id=strawberry.ID(str(b.vote.id)), state=state, state_label=state.label,
                   has_voted=b.has_voted,
                   candidates=[VoteCandidate.of(c) for c in b.candidates],
                   options=[BallotOption(choice=GradeValue(g.value), label=g.label)
                            for g in BALLOT_CHOICES])
