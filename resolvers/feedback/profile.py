"""The profile (干部画像): one person's history for whoever may see it (the person, whoever
manages them, the tenant admin; never a colleague).

Scores, ranks and grades by period, the feedback interviews, the results use, the care flags of
every quarter and the care actions, loaded in a fixed number of statements whatever the length
of the history. Achievements (declarations) and commendations / error notices (supervision) are
added by their capabilities through ``PROFILE_SECTIONS`` (resolvers.feedback.profile_sections).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, func, select

from authz import Permission, Target
from models import CareAction, FeedbackInterview, Period, Person, PersonResult, ResultsUseEntry
from resolvers.context import Context
from resolvers.errors import not_found
from resolvers.feedback.care import care_policy
from resolvers.feedback.profile_sections import PROFILE_SECTIONS
from resolvers.feedback.profile_types import ProfileRecord, ProfileSection
from resolvers.feedback.results_use import EntryView, with_basis
from resolvers.tenant_config import tenant_config
from rules.care import CareFlag, QuarterRecord, flags_by_quarter
from vocab.grades import GRADE_LABELS
from vocab.periods import PeriodKind


@dataclass(frozen=True)
class ProfileResult:
    id: uuid.UUID
    period: Period
    unit_id: uuid.UUID
    score: Decimal | None
    rank: int | None
    ranked_count: int  # how many the ranking of the rank holds
    grade: str | None

    @property
    def grade_label(self) -> str | None:
        return GRADE_LABELS.get(self.grade) if self.grade else None


@dataclass
class Profile:
    person: Person
    results: list[ProfileResult]
    interviews: list[FeedbackInterview]
    results_use: list[EntryView]
    care_flags: list[CareFlag]
    care_actions: list[CareAction]
    sections: dict[ProfileSection, list[ProfileRecord]] = field(default_factory=dict)


def profile_target(person: Person) -> Target:
    return Target(kind="profile", id=person.id, person_id=person.id, unit_id=person.unit_id)


async def _results(ctx: Context, person_id: uuid.UUID, separately: bool
                   ) -> list[tuple[PersonResult, Period, int, int]]:
    """The person's results with the size of their ranking and how many share their rank:
    window functions over the whole periods, one statement."""
    rank = PersonResult.group_rank if separately else PersonResult.rank
    groups = ([PersonResult.period_id, PersonResult.comparison_group] if separately
              else [PersonResult.period_id])
    mine = select(PersonResult.period_id).where(PersonResult.person_id == person_id)
    ranked = (select(
        PersonResult.id.label("rid"),
        func.count(rank).over(partition_by=groups).label("ranked_count"),
        func.count().over(partition_by=[*groups, rank]).label("tied"))
        .where(PersonResult.period_id.in_(mine)).subquery())
    rows = (await ctx.session.execute(
        select(PersonResult, Period, ranked.c.ranked_count, ranked.c.tied)
        .join(ranked, ranked.c.rid == PersonResult.id)
        .join(Period, and_(Period.tenant_id == PersonResult.tenant_id,
                           Period.id == PersonResult.period_id))
        .where(PersonResult.person_id == person_id)
        .order_by(Period.year, Period.kind, Period.quarter))).all()
    return [(r, p, int(n), int(t)) for r, p, n, t in rows]


async def profile(ctx: Context, person_id: uuid.UUID) -> Profile:
    ctx.authz  # noqa: B018 - refuses anonymous callers
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    if person is None or not ctx.can(Permission.profile_read, profile_target(person)):
        raise not_found("人员")
    config = await tenant_config(ctx)
    separately = config.grading.compare_groups_separately
    rows = await _results(ctx, person.id, separately)
    held = (await ctx.session.execute(
        select(FeedbackInterview, Period).join(Period, and_(
            Period.tenant_id == FeedbackInterview.tenant_id,
            Period.id == FeedbackInterview.period_id))
        .where(FeedbackInterview.person_id == person.id)
        .order_by(Period.year, Period.quarter))).all()
    interviews = [i for i, _ in held]
    entries = (await ctx.session.scalars(select(ResultsUseEntry).where(
        ResultsUseEntry.person_id == person.id).order_by(ResultsUseEntry.decided_on,
                                                         ResultsUseEntry.created_at))).all()
    actions = list((await ctx.session.scalars(select(CareAction).where(
        CareAction.person_id == person.id).order_by(CareAction.starts_on,
                                                    CareAction.created_at))).all())
    fits = {i.period_id: i.fit_rating for i in interviews}
    history = [QuarterRecord(person_id=person.id, quarter=(p.year, p.quarter),
                             grade=r.grade, rank=r.group_rank if separately else r.rank,
                             group=r.comparison_group if separately else "",
                             ranked_count=n, tied=t, fit=fits.get(p.id), result_id=r.id)
               for r, p, n, t in rows if p.kind == PeriodKind.quarter and p.quarter is not None]
    with_result = {r.period_id for r, _, _, _ in rows}
    history += [QuarterRecord(person_id=person.id, quarter=(p.year, p.quarter), fit=i.fit_rating)
                for i, p in held if p.id not in with_result and p.quarter is not None]
    flags = [f for per_quarter in flags_by_quarter(history, care_policy(config)).values()
             for f in per_quarter]
    sections = {section: [record for loader in loaders
                          for record in await loader(ctx, person)]
                for section, loaders in PROFILE_SECTIONS.items()}
    return Profile(
        person=person,
        results=[ProfileResult(r.id, p, r.unit_id, r.score,
                               r.group_rank if separately else r.rank, n, r.grade)
                 for r, p, n, _ in rows],
        interviews=interviews, results_use=await with_basis(ctx, entries), care_flags=flags,
        care_actions=actions, sections=sections)
