"""民主测评 (democratic evaluation) in a year period (issue 17, part 5): the admin opens a vote
among the unit or a department; each voter casts one ballot for every candidate at once; nothing
links a choice to its voter (see ``resolvers.appraisal.annual_inputs`` for the whole design)."""

from __future__ import annotations

import json
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select, text, update

from authz import Permission
from models import (
    Account,
    DemocraticVote,
    DemocraticVoteCount,
    DemocraticVoteVoter,
    OrgUnit,
    Person,
)
from resolvers import audit
from resolvers.appraisal.annual_inputs import VOTE_LINE, people_in, today, year_period
from resolvers.appraisal.completeness import higher_level_ids
from resolvers.appraisal.grading import appraised_people
from resolvers.appraisal.periods import ensure_open, get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from rules.annual_inputs import (
    check_ballot,
    turnout,
    vote_line,
)
from rules.errors import RuleError
from tenants.config import TenantConfig
from vocab.annual_inputs import BALLOT_CHOICES, VoteState
from vocab.grades import AnnualGrade

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
    people = await people_in(ctx, unit_id)
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
