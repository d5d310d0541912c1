"""The annual appraisal's two inputs, in a year period (issue 17, part 5).

述职报告 (duty report): the admin asks people (everyone appraised, a department with its
sub-units, or chosen persons) for a report by a deadline day; each asked person writes its text
and may attach one file (``rules.annual_inputs``: PDF, DOCX or an image, a size limit); they may
change it until the deadline. The admin (committee) reads all, leaders those they manage, each
person their own.

民主测评 (democratic evaluation): the admin opens a vote among the unit or a department (with its
sub-units): voters are the people of the set who hold an enabled account, candidates the people
appraised there (not those the level above appraises). Each voter casts one ballot giving one of
优秀/称职/基本称职/不称职 to every candidate at once. Nothing links a choice to its voter:
``democratic_vote_voters`` says only who has voted, ``democratic_vote_counts`` holds one counter
per candidate and choice, and one statement adds the ballot to them while touching every counter
of the vote. The audit log records that the person voted, never how. Turnout is shown to the
admin (the committee) while the vote is open; the counts only once it is closed, so a count that
moves cannot be matched to the ballot that moved it. When the tenant includes the vote in its rule
(``annual.include_democratic_vote``), the annual result's explanation lists the person's counts
of the period's closed votes; the score does not change.
"""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select, text, update

from authz import Permission, Target
from authz.scopes import person_rows
from models import (
    Account,
    DemocraticVote,
    DemocraticVoteCount,
    DemocraticVoteVoter,
    DutyReport,
    OrgUnit,
    Period,
    Person,
)
from resolvers import audit
from resolvers.appraisal.completeness import higher_level_ids
from resolvers.appraisal.grading import appraised_people
from resolvers.appraisal.periods import ensure_open, get_period
from resolvers.audit import LOCAL_TIME
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, forbidden, not_found
from resolvers.org.tree import org_tree
from resolvers.spreadsheet import SpreadsheetError, UploadedFile
from resolvers.tenant_config import tenant_config
from rules.annual_inputs import (
    attachment_type,
    check_ballot,
    check_duty_report,
    duty_report_status,
    turnout,
    vote_line,
)
from rules.errors import RuleError
from tenants.config import TenantConfig
from vocab.annual_inputs import BALLOT_CHOICES, DutyReportStatus, VoteState
from vocab.grades import AnnualGrade
from vocab.org import PersonStatus
from vocab.periods import PeriodKind

VOTE_LINE = "democratic_vote"


def today(ctx: Context) -> date:
    """The tenant's day (China time): deadlines and vote days are days there."""
    return ctx.now().astimezone(LOCAL_TIME).date()


async def year_period(ctx: Context, period_id: uuid.UUID) -> Period:
    period = await get_period(ctx, period_id)
    if period.kind != PeriodKind.year:
        raise fail(ErrorCode.INVALID, "述职报告和民主测评只在年度考核周期中进行", "periodId")
    return period


async def _people_in(ctx: Context, unit_id: uuid.UUID | None) -> list[Person]:
    """The active people of the unit, or of a department and its sub-units."""
    stmt = select(Person).where(Person.status == PersonStatus.active)
    if unit_id is not None:
        tree = await org_tree(ctx)
        if unit_id not in tree:
            raise not_found("部门")
        stmt = stmt.where(Person.unit_id.in_(tree.subtree(unit_id)))
    return list((await ctx.session.scalars(stmt.order_by(Person.employee_no))).all())


# --- 述职报告 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyReportLine:
    report: DutyReport
    person_name: str
    employee_no: str
    unit_name: str
    status: DutyReportStatus


async def request_duty_reports(ctx: Context, period_id: uuid.UUID, deadline: date,
                               unit_id: uuid.UUID | None = None,
                               person_ids: Sequence[uuid.UUID] = ()) -> int:
    """Asks for reports by ``deadline`` (a day, included): the chosen persons, else the people
    appraised in the department (with its sub-units), else everyone appraised. Asking again
    moves the deadline of those already asked. Returns how many were asked."""
    ctx.require(Permission.duty_report_request)
    period = await year_period(ctx, period_id)
    ensure_open(period)
    if deadline < today(ctx):
        raise fail(ErrorCode.INVALID, "截止日期不能早于今天", "deadline")
    appraised = {p.id: p for p in await appraised_people(ctx)}
    if person_ids:
        if any(pid not in appraised for pid in person_ids):
            raise not_found("参加考核的人员")
        chosen = [appraised[pid] for pid in dict.fromkeys(person_ids)]
    else:
        chosen = [p for p in await _people_in(ctx, unit_id) if p.id in appraised]
    if not chosen:
        raise fail(ErrorCode.INVALID, "所选范围内没有参加考核的人员", "unitId")
    existing = {r.person_id: r for r in (await ctx.session.scalars(select(DutyReport).where(
        DutyReport.period_id == period.id,
        DutyReport.person_id.in_([p.id for p in chosen])).with_for_update())).all()}
    for person in chosen:
        row = existing.get(person.id)
        if row is None:
            ctx.session.add(DutyReport(tenant_id=ctx.me.tenant_id, period_id=period.id,
                                       person_id=person.id, deadline=deadline,
                                       requested_by=ctx.me.subject))
        else:
            row.deadline = deadline
    await ctx.session.flush()
    audit.record(ctx, "duty_report.request", "period", period.id, None,
                 {"deadline": deadline.isoformat(), "people": len(chosen),
                  "unit_id": str(unit_id) if unit_id and not person_ids else None})
    return len(chosen)


async def my_duty_report(ctx: Context, period_id: uuid.UUID) -> DutyReportLine | None:
    """The caller's report of the period (asked or written); None when not asked."""
    me = ctx.me.person_id
    await year_period(ctx, period_id)
    if me is None:
        return None
    lines = await _lines(ctx, and_(DutyReport.period_id == period_id, DutyReport.person_id == me))
    return lines[0] if lines else None


async def duty_reports(ctx: Context, period_id: uuid.UUID) -> list[DutyReportLine]:
    """The reports the caller may read: everyone's for the admin, those of the people a leader
    manages and their own for leaders, their own for staff."""
    await year_period(ctx, period_id)
    scope = ctx.authz.read_scope(Permission.duty_report_read)
    readable = person_rows(scope, ctx.me.person_id, Person.id, Person.unit_id)
    return await _lines(ctx, and_(DutyReport.period_id == period_id, readable))


async def _lines(ctx: Context, where: Any) -> list[DutyReportLine]:
    rows = (await ctx.session.execute(
        select(DutyReport, Person.name, Person.employee_no, OrgUnit.name)
        .join(Person, and_(Person.tenant_id == DutyReport.tenant_id,
                           Person.id == DutyReport.person_id))
        .join(OrgUnit, and_(OrgUnit.tenant_id == Person.tenant_id, OrgUnit.id == Person.unit_id))
        .where(where).order_by(Person.employee_no))).all()
    day = today(ctx)
    return [DutyReportLine(r, name, no, unit,
                           duty_report_status(r.deadline, r.submitted_at is not None, day))
            for r, name, no, unit in rows]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


async def duty_report_attachment(ctx: Context, report_id: uuid.UUID) -> Attachment | None:
    """A report's attachment for whoever may read the report (same answer as a missing id
    otherwise)."""
    row = await ctx.session.get(DutyReport, (ctx.me.tenant_id, report_id))
    person = await ctx.session.get(Person, (ctx.me.tenant_id, row.person_id)) if row else None
    if row is None or person is None or not ctx.can(Permission.duty_report_read, Target(
            kind="duty_report", id=row.id, person_id=person.id, unit_id=person.unit_id)):
        raise not_found("述职报告")
    if row.attachment is None:
        return None
    return Attachment(row.attachment_name or "附件", row.attachment_type or "", row.attachment)


@dataclass(frozen=True)
class DutyReportInput:
    period_id: uuid.UUID
    text: str
    attachment: UploadedFile | None = None
    remove_attachment: bool = False


async def submit_duty_report(ctx: Context, data: DutyReportInput) -> DutyReportLine:
    """The caller writes (or rewrites, until the deadline) the report they were asked for."""
    me = ctx.me.person_id
    person = await ctx.session.get(Person, (ctx.me.tenant_id, me)) if me else None
    if person is None:
        raise forbidden()
    ctx.require(Permission.duty_report_write, Target(
        kind="duty_report", person_id=person.id, unit_id=person.unit_id))
    period = await year_period(ctx, data.period_id)
    ensure_open(period)
    row = (await ctx.session.scalars(select(DutyReport).where(
        DutyReport.period_id == period.id, DutyReport.person_id == person.id)
        .with_for_update())).one_or_none()
    if row is None:
        raise fail(ErrorCode.NOT_FOUND, "组织人事部门尚未要求您提交本年度述职报告")
    config = (await tenant_config(ctx)).annual
    try:
        kept = check_duty_report(data.text, row.deadline, today(ctx),
                                 config.duty_report_max_length)
    except RuleError as exc:
        code = ErrorCode.DEADLINE_PASSED if today(ctx) > row.deadline else ErrorCode.INVALID
        raise fail(code, str(exc), None if code == ErrorCode.DEADLINE_PASSED else "text") \
            from exc
    if data.attachment is not None:
        try:
            content = data.attachment.content()
            kind = attachment_type(data.attachment.filename, content,
                                   config.duty_report_attachment_max_mb)
        except (RuleError, SpreadsheetError) as exc:
            raise fail(ErrorCode.INVALID, str(exc), "attachment") from exc
        row.attachment_name = data.attachment.filename.strip()[:300]
        row.attachment_type, row.attachment = kind, content
    elif data.remove_attachment:
        row.attachment_name = row.attachment_type = row.attachment = None
    before = {"submitted": row.submitted_at is not None}
    row.text, row.submitted_at = kept, ctx.now()
    await ctx.session.flush()
    audit.record(ctx, "duty_report.submit", "duty_report", row.id, before,
                 {"length": len(kept), "attachment": row.attachment_name})
    unit = await ctx.session.get(OrgUnit, (ctx.me.tenant_id, person.unit_id))
    return DutyReportLine(row, person.name, person.employee_no, unit.name if unit else "",
                          DutyReportStatus.submitted)


def attachment_base64(attachment: Attachment) -> str:
    return base64.b64encode(attachment.content).decode("ascii")


# --- 民主测评 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    person_id: uuid.UUID
    name: str
    unit_name: str


@dataclass(frozen=True)
class VoteSummary:
    vote: DemocraticVote
    unit_name: str  # the vote's set: a department, or the unit itself
    voters: int
    cast: int
    candidates: int

    @property
    def turnout(self) -> Decimal:
        return turnout(self.cast, self.voters)


async def open_democratic_vote(ctx: Context, period_id: uuid.UUID,
                               unit_id: uuid.UUID | None = None) -> VoteSummary:
    ctx.require(Permission.democratic_vote_manage)
    period = await year_period(ctx, period_id)
    ensure_open(period)
    people = await _people_in(ctx, unit_id)
    appraised = {p.id for p in await appraised_people(ctx)}
    higher = await higher_level_ids(ctx, [p for p in people if p.id in appraised])
    candidates = [p for p in people if p.id in appraised and p.id not in higher]
    if not candidates:
        raise fail(ErrorCode.INVALID, "所选范围内没有参加考核的人员，无法发起民主测评", "unitId")
    with_account = set((await ctx.session.scalars(select(Account.person_id).where(
        Account.person_id.in_([p.id for p in people]), Account.disabled.is_(False)))).all())
    voters = [p for p in people if p.id in with_account]
    if not voters:
        raise fail(ErrorCode.INVALID, "所选范围内没有可登录的人员，无法发起民主测评", "unitId")
    vote = DemocraticVote(tenant_id=ctx.me.tenant_id, period_id=period.id, unit_id=unit_id,
                          state=VoteState.open, opened_by=ctx.me.subject, opened_on=today(ctx))
    ctx.session.add(vote)
    await ctx.session.flush()
    ctx.session.add_all([DemocraticVoteVoter(tenant_id=ctx.me.tenant_id, vote_id=vote.id,
                                             person_id=p.id) for p in voters])
    ctx.session.add_all([DemocraticVoteCount(tenant_id=ctx.me.tenant_id, vote_id=vote.id,
                                             candidate_id=p.id, choice=c.value, votes=0)
                         for p in candidates for c in BALLOT_CHOICES])
    await ctx.session.flush()
    audit.record(ctx, "democratic_vote.open", "democratic_vote", vote.id, None,
                 {"period_id": str(period.id), "unit_id": str(unit_id) if unit_id else None,
                  "voters": len(voters), "candidates": len(candidates)})
    return await _summary(ctx, vote)


async def _vote(ctx: Context, vote_id: uuid.UUID, *, for_update: bool = False) -> DemocraticVote:
    vote = await ctx.session.get(DemocraticVote, (ctx.me.tenant_id, vote_id),
                                 with_for_update=for_update)
    if vote is None:
        raise not_found("民主测评")
    return vote


async def _summary(ctx: Context, vote: DemocraticVote) -> VoteSummary:
    return (await _summaries(ctx, [vote]))[0]


async def _summaries(ctx: Context, votes: Sequence[DemocraticVote]) -> list[VoteSummary]:
    """The votes' turnout and candidates in three statements, however many votes."""
    ids = [v.id for v in votes]
    if not ids:
        return []
    turnout_of = {vid: (int(n), int(cast)) for vid, n, cast in (await ctx.session.execute(
        select(DemocraticVoteVoter.vote_id, func.count(),
               func.count().filter(DemocraticVoteVoter.has_voted))
        .where(DemocraticVoteVoter.vote_id.in_(ids))
        .group_by(DemocraticVoteVoter.vote_id))).all()}
    candidates = {vid: int(n) for vid, n in (await ctx.session.execute(
        select(DemocraticVoteCount.vote_id,
               func.count(func.distinct(DemocraticVoteCount.candidate_id)))
        .where(DemocraticVoteCount.vote_id.in_(ids))
        .group_by(DemocraticVoteCount.vote_id))).all()}
    unit_ids = {v.unit_id for v in votes if v.unit_id is not None}
    names = {uid: name for uid, name in (await ctx.session.execute(
        select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(unit_ids)))).all()} \
        if unit_ids else {}
    return [VoteSummary(v, names.get(v.unit_id, "") if v.unit_id else "全单位",
                        *turnout_of.get(v.id, (0, 0)), candidates.get(v.id, 0))
            for v in votes]


async def close_democratic_vote(ctx: Context, vote_id: uuid.UUID) -> VoteSummary:
    ctx.require(Permission.democratic_vote_manage)
    vote = await _vote(ctx, vote_id, for_update=True)
    ensure_open(await get_period(ctx, vote.period_id))
    if vote.state == VoteState.closed:
        raise fail(ErrorCode.CONFLICT, "该民主测评已经结束")
    vote.state, vote.closed_on = VoteState.closed, today(ctx)
    await ctx.session.flush()
    summary = await _summary(ctx, vote)
    audit.record(ctx, "democratic_vote.close", "democratic_vote", vote.id,
                 {"state": VoteState.open.value},
                 {"state": VoteState.closed.value, "voters": summary.voters,
                  "ballots": summary.cast})
    return summary


async def democratic_votes(ctx: Context, period_id: uuid.UUID) -> list[VoteSummary]:
    """The period's votes with their turnout (the committee only)."""
    ctx.require(Permission.democratic_vote_manage)
    await year_period(ctx, period_id)
    votes = (await ctx.session.scalars(select(DemocraticVote).where(
        DemocraticVote.period_id == period_id).order_by(DemocraticVote.opened_on,
                                                        DemocraticVote.id))).all()
    return await _summaries(ctx, votes)


@dataclass(frozen=True)
class CandidateCounts:
    candidate: Candidate
    counts: dict[AnnualGrade, int]


@dataclass(frozen=True)
class VoteResults:
    summary: VoteSummary
    # Empty while the vote is open: counts are shown once it is closed.
    candidates: list[CandidateCounts] = field(default_factory=list)


async def democratic_vote_results(ctx: Context, vote_id: uuid.UUID) -> VoteResults:
    ctx.require(Permission.democratic_vote_manage)
    summary = await _summary(ctx, await _vote(ctx, vote_id))
    if summary.vote.state != VoteState.closed:
        return VoteResults(summary)
    counts = await _counts(ctx, [vote_id])
    return VoteResults(summary, [CandidateCounts(c, counts[(vote_id, c.person_id)])
                                 for c in await _candidates(ctx, vote_id)])


async def _candidates(ctx: Context, vote_id: uuid.UUID) -> list[Candidate]:
    rows = (await ctx.session.execute(
        select(Person.id, Person.name, OrgUnit.name).distinct()
        .join(DemocraticVoteCount, and_(DemocraticVoteCount.tenant_id == Person.tenant_id,
                                        DemocraticVoteCount.candidate_id == Person.id))
        .join(OrgUnit, and_(OrgUnit.tenant_id == Person.tenant_id, OrgUnit.id == Person.unit_id))
        .where(DemocraticVoteCount.vote_id == vote_id)
        .order_by(OrgUnit.name, Person.name, Person.id))).all()
    return [Candidate(pid, name, unit) for pid, name, unit in rows]


async def _counts(ctx: Context, vote_ids: Sequence[uuid.UUID]
                  ) -> dict[tuple[uuid.UUID, uuid.UUID], dict[AnnualGrade, int]]:
    found: dict[tuple[uuid.UUID, uuid.UUID], dict[AnnualGrade, int]] = defaultdict(dict)
    for vote_id, candidate, choice, votes in (await ctx.session.execute(select(
            DemocraticVoteCount.vote_id, DemocraticVoteCount.candidate_id,
            DemocraticVoteCount.choice, DemocraticVoteCount.votes)
            .where(DemocraticVoteCount.vote_id.in_(vote_ids)))).all():
        found[(vote_id, candidate)][AnnualGrade(choice)] = votes
    return found


@dataclass(frozen=True)
class Ballot:
    vote: DemocraticVote
    candidates: list[Candidate]
    has_voted: bool


async def my_ballot(ctx: Context, period_id: uuid.UUID) -> Ballot | None:
    """The vote of the period the caller may take part in (an open one first, else the latest),
    its candidates and whether the caller has voted; None when they are no voter."""
    me = ctx.me.person_id
    await year_period(ctx, period_id)
    if me is None or not ctx.can(Permission.democratic_vote_cast):
        return None
    row = (await ctx.session.execute(
        select(DemocraticVote, DemocraticVoteVoter.has_voted)
        .join(DemocraticVoteVoter, and_(
            DemocraticVoteVoter.tenant_id == DemocraticVote.tenant_id,
            DemocraticVoteVoter.vote_id == DemocraticVote.id))
        .where(DemocraticVote.period_id == period_id, DemocraticVoteVoter.person_id == me)
        .order_by(DemocraticVote.state != VoteState.open, DemocraticVote.opened_on.desc(),
                  DemocraticVote.id).limit(1))).first()
    if row is None:
        return None
    vote, has_voted = row
    return Ballot(vote, await _candidates(ctx, vote.id), bool(has_voted))


async def cast_ballot(ctx: Context, vote_id: uuid.UUID,
                      choices: Sequence[tuple[uuid.UUID, str]]) -> Ballot:
    """One whole ballot: every candidate one choice. Marks the caller as having voted (refused
    the second time) and adds the choices to the counters, in one transaction."""
    ctx.require(Permission.democratic_vote_cast)
    me = ctx.me.person_id
    vote = await _vote(ctx, vote_id)
    if me is None:
        raise fail(ErrorCode.FORBIDDEN, "您不在本次民主测评的参评范围内")
    ensure_open(await get_period(ctx, vote.period_id))
    if vote.state != VoteState.open:
        raise fail(ErrorCode.CONFLICT, "该民主测评已经结束，不能再投票")
    candidates = await _candidates(ctx, vote.id)
    try:
        ballot = check_ballot([str(c.person_id) for c in candidates],
                              [(str(k), v) for k, v in choices])
    except RuleError as exc:
        raise fail(ErrorCode.INVALID, str(exc), "choices") from exc
    marked = (await ctx.session.execute(
        update(DemocraticVoteVoter)
        .where(DemocraticVoteVoter.vote_id == vote.id, DemocraticVoteVoter.person_id == me,
               DemocraticVoteVoter.has_voted.is_(False))
        .values(has_voted=True).returning(DemocraticVoteVoter.person_id))).first()
    if marked is None:
        voter = await ctx.session.get(DemocraticVoteVoter, (ctx.me.tenant_id, vote.id, me))
        if voter is None:
            raise fail(ErrorCode.FORBIDDEN, "您不在本次民主测评的参评范围内")
        raise fail(ErrorCode.DUPLICATE, "您已参加本次民主测评，不能重复投票")
    # Every counter of the vote is rewritten by this one statement, chosen or not: no row's
    # version says which counters this ballot moved. The ballot's keys are shuffled too.
    items = list(ballot.items())
    random.shuffle(items)
    await ctx.session.execute(text(
        "UPDATE democratic_vote_counts c "
        "SET votes = c.votes + CASE WHEN c.choice = (CAST(:ballot AS jsonb) "
        "->> c.candidate_id::text) THEN 1 ELSE 0 END "
        "WHERE c.vote_id = :vote"), {"ballot": json.dumps(dict(items)), "vote": vote.id})
    # That the person voted, never how.
    audit.record(ctx, "democratic_vote.cast", "democratic_vote", vote.id, None,
                 {"has_voted": True})
    return Ballot(vote, candidates, True)


async def vote_lines(ctx: Context, period_id: uuid.UUID, config: TenantConfig
                     ) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """The explanation lines of the period's closed votes per candidate, when the tenant's rule
    includes the democratic evaluation; none otherwise."""
    if not config.annual.include_democratic_vote:
        return {}
    votes = (await ctx.session.scalars(select(DemocraticVote).where(
        DemocraticVote.period_id == period_id, DemocraticVote.state == VoteState.closed)
        .order_by(DemocraticVote.opened_on, DemocraticVote.id))).all()
    if not votes:
        return {}
    counts = await _counts(ctx, [v.id for v in votes])
    lines: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for summary in await _summaries(ctx, votes):
        vote = summary.vote
        for (vid, candidate), mine in counts.items():
            if vid == vote.id:
                lines[candidate].append({
                    "kind": VOTE_LINE, "source": str(vote.id), "delta": "0",
                    "text": vote_line(mine, summary.cast, summary.voters)})
    return lines
