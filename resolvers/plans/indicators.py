"""Which indicators apply: per version and date, per post (responsibility letters), per person,
per period (the version a period is pinned to).

How later capabilities find the indicators in effect for a person on a date:
``version_on(ctx, day)`` gives the version in force (the version pinned by the quarter of that
day, else the latest published version of the year), then
``indicators_in_effect(ctx, version.id, day, post_id=person.post_id)`` the indicator rows:
non-category nodes whose start date (dynamic indicators) is not after the day, limited to the
post's responsibility letter for indicators that apply to posts only.
``indicators_for_person`` does both, with the authorization check.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from authz import Permission
from models import (
    IndicatorScheme,
    Period,
    PeriodSchemeVersion,
    Person,
    Post,
    ResponsibilityLetterLine,
    SchemeNode,
    SchemeVersion,
)
from resolvers import audit
from resolvers.appraisal.periods import GUARDS
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, fail, not_found
from resolvers.org.structure import person_target
from resolvers.plans.schemes import get_version, latest_published, scheme_of_year, version_nodes
from rules.indicator_effect import counts_on
from vocab.periods import PeriodKind, PeriodState
from vocab.plans import AppliesTo, IndicatorKind, SchemeStatus

# --- versions of periods and dates ----------------------------------------------------------


async def pinned_version(ctx: Context, period_id: uuid.UUID) -> SchemeVersion | None:
    ctx.require(Permission.scheme_read)
    return await ctx.session.scalar(
        select(SchemeVersion).join(PeriodSchemeVersion,
                                   PeriodSchemeVersion.version_id == SchemeVersion.id)
        .where(PeriodSchemeVersion.period_id == period_id))


async def version_for_period(ctx: Context, period: Period) -> SchemeVersion | None:
    """The pinned version, else the latest published version of the period's year."""
    return await pinned_version(ctx, period.id) or await latest_published(ctx, period.year)


async def version_on(ctx: Context, day: date) -> SchemeVersion | None:
    """The version in force on ``day``: its quarter's pinned version, else the latest one."""
    ctx.require(Permission.scheme_read)
    period = await ctx.session.scalar(select(Period).where(
        Period.kind == PeriodKind.quarter, Period.year == day.year,
        Period.quarter == (day.month - 1) // 3 + 1))
    if period is not None:
        return await version_for_period(ctx, period)
    return await latest_published(ctx, day.year)


async def pin_period_version(ctx: Context, period_id: uuid.UUID,
                             version_id: uuid.UUID | None) -> PeriodSchemeVersion:
    """Pins the version a period is appraised with (default: the year's latest published).

    Once the period is past execution its version can no longer change: its ratings and
    records refer to that version's indicators.
    """
    ctx.require(Permission.period_scheme_write)
    period = await ctx.session.get(Period, (ctx.me.tenant_id, period_id))
    if period is None:
        raise not_found("考核周期")
    if version_id is None:
        version = await latest_published(ctx, period.year)
        if version is None:
            raise fail(ErrorCode.INVALID, f"{period.year}年度还没有已发布的指标体系", "versionId")
    else:
        version = await get_version(ctx, version_id)
    scheme = await ctx.session.get(IndicatorScheme, (ctx.me.tenant_id, version.scheme_id))
    if version.status != SchemeStatus.published or scheme is None or scheme.year != period.year:
        raise fail(ErrorCode.INVALID, "只能选用本年度已发布的指标体系版本", "versionId")
    link = await ctx.session.scalar(select(PeriodSchemeVersion).where(
        PeriodSchemeVersion.period_id == period_id).with_for_update())
    before = audit.snapshot(link)
    if link is not None and link.version_id != version.id and period.state not in (
            PeriodState.planning, PeriodState.executing):
        raise fail(ErrorCode.FROZEN, "考核周期已进入申报或评价阶段，不能更换指标体系版本")
    if link is None:
        link = PeriodSchemeVersion(tenant_id=ctx.me.tenant_id, period_id=period_id,
                                   version_id=version.id)
        ctx.session.add(link)
    link.version_id = version.id
    await ctx.session.flush()
    audit.record(ctx, "period.scheme.pin", "period", period_id, before, audit.snapshot(link))
    return link


async def pin_on_execution(ctx: Context, period: Period, to: PeriodState) -> list[Problem]:
    """Registered in ``periods.GUARDS``: a period entering execution pins the year's latest
    published version if none was chosen, so versions published later never change it.

    Never refuses (a unit may run a period before publishing a scheme); the pin is part of
    the transition's savepoint, undone if another guard refuses.
    """
    if to != PeriodState.executing:
        return []
    existing = await ctx.session.scalar(select(PeriodSchemeVersion.id).where(
        PeriodSchemeVersion.period_id == period.id))
    if existing is not None:
        return []
    version = await ctx.session.scalar(
        select(SchemeVersion).join(IndicatorScheme,
                                   IndicatorScheme.id == SchemeVersion.scheme_id)
        .where(IndicatorScheme.year == period.year,
               SchemeVersion.status == SchemeStatus.published)
        .order_by(SchemeVersion.number.desc()).limit(1))
    if version is None:
        return []
    link = PeriodSchemeVersion(tenant_id=period.tenant_id, period_id=period.id,
                               version_id=version.id)
    ctx.session.add(link)
    await ctx.session.flush()
    audit.record(ctx, "period.scheme.pin", "period", period.id, None, audit.snapshot(link),
                 "进入执行阶段时自动选定本年度最新发布的指标体系版本")
    return []


if pin_on_execution not in GUARDS:
    GUARDS.append(pin_on_execution)


# --- responsibility letters -----------------------------------------------------------------


@dataclass(frozen=True)
class LetterLineInput:
    indicator_code: str
    target: str = ""


async def letters_of_year(ctx: Context, year: int) -> Sequence[ResponsibilityLetterLine]:
    scheme = await scheme_of_year(ctx, year)
    if scheme is None:
        return []
    return (await ctx.session.scalars(select(ResponsibilityLetterLine).where(
        ResponsibilityLetterLine.scheme_id == scheme.id).order_by(
        ResponsibilityLetterLine.post_id, ResponsibilityLetterLine.sort_order))).all()


async def letter_of_post(ctx: Context, scheme_id: uuid.UUID, post_id: uuid.UUID | None
                         ) -> list[ResponsibilityLetterLine]:
    if post_id is None:
        return []
    return list((await ctx.session.scalars(select(ResponsibilityLetterLine).where(
        ResponsibilityLetterLine.scheme_id == scheme_id,
        ResponsibilityLetterLine.post_id == post_id).order_by(
        ResponsibilityLetterLine.sort_order))).all())


async def set_letter(ctx: Context, post_id: uuid.UUID, year: int,
                     lines: list[LetterLineInput]) -> list[ResponsibilityLetterLine]:
    """Replaces a post's responsibility letter for the year's scheme.

    Codes must name indicators (not categories) of the scheme's latest version.
    """
    ctx.require(Permission.letter_write)
    post = await ctx.session.get(Post, (ctx.me.tenant_id, post_id))
    if post is None:
        raise not_found("岗位")
    scheme = await scheme_of_year(ctx, year)
    if scheme is None:
        raise fail(ErrorCode.INVALID, f"{year}年度还没有指标体系", "year")
    latest = await ctx.session.scalar(select(SchemeVersion).where(
        SchemeVersion.scheme_id == scheme.id).order_by(SchemeVersion.number.desc()).limit(1))
    assert latest is not None
    known = {n.code: n for n in await version_nodes(ctx, latest.id)}
    codes = [line.indicator_code.strip() for line in lines]
    for code in codes:
        node = known.get(code)
        if node is None or node.kind == IndicatorKind.category:
            raise fail(ErrorCode.INVALID, f"指标编码“{code}”不是本年度指标体系中的指标",
                       "indicatorCodes")
    if len(set(codes)) != len(codes):
        raise fail(ErrorCode.INVALID, "岗位责任书中的指标不能重复", "indicatorCodes")
    old = await letter_of_post(ctx, scheme.id, post_id)
    before = {"lines": [[x.indicator_code, x.target] for x in old]}
    await ctx.session.execute(delete(ResponsibilityLetterLine).where(
        ResponsibilityLetterLine.scheme_id == scheme.id,
        ResponsibilityLetterLine.post_id == post_id))
    rows = [ResponsibilityLetterLine(tenant_id=ctx.me.tenant_id, scheme_id=scheme.id,
                                     post_id=post_id, indicator_code=code,
                                     target=line.target.strip(), sort_order=i)
            for i, (code, line) in enumerate(zip(codes, lines, strict=True))]
    ctx.session.add_all(rows)
    await ctx.session.flush()
    audit.record(ctx, "letter.set", "post", post_id, before,
                 {"year": year, "lines": [[x.indicator_code, x.target] for x in rows]})
    return rows


# --- indicators in effect -------------------------------------------------------------------


async def indicators_in_effect(ctx: Context, version_id: uuid.UUID, on_date: date,
                               post_id: uuid.UUID | None = None, *,
                               all_posts: bool = False) -> list[SchemeNode]:
    """The indicator rows of a version that count on ``on_date``.

    Categories are left out; dynamic indicators only from their start date; indicators that
    apply to posts only if ``post_id``'s responsibility letter names them (or ``all_posts``).
    """
    version = await get_version(ctx, version_id)
    letter: set[str] = set()
    if not all_posts:
        letter = {x.indicator_code for x in await letter_of_post(ctx, version.scheme_id,
                                                                 post_id)}
    return _in_effect(await version_nodes(ctx, version.id), on_date, letter, all_posts)


def _in_effect(nodes: Sequence[SchemeNode], on_date: date, letter: set[str],
               all_posts: bool = False) -> list[SchemeNode]:
    return [n for n in nodes
            if n.kind != IndicatorKind.category and counts_on(n.effective_from, on_date)
            and (all_posts or n.applies_to == AppliesTo.everyone or n.code in letter)]


@dataclass(frozen=True)
class PersonIndicators:
    person: Person
    version: SchemeVersion | None
    on: date
    indicators: list[SchemeNode]
    targets: dict[str, str]  # indicator code -> target of the responsibility letter


async def indicators_for_person(ctx: Context, person_id: uuid.UUID, on: date
                                ) -> PersonIndicators:
    """"My indicators": the scheme's indicators in effect for the person on ``on``.

    Readable by the person, whoever manages them, and the tenant admin; anyone else gets the
    same answer as for an unknown person.
    """
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    if person is None or not ctx.can(Permission.person_indicators_read, person_target(person)):
        raise not_found("人员")
    version = await version_on(ctx, on)
    if version is None:
        return PersonIndicators(person, None, on, [], {})
    # The letter is read once: it filters the indicators and gives their targets.
    targets = {x.indicator_code: x.target
               for x in await letter_of_post(ctx, version.scheme_id, person.post_id)}
    nodes = _in_effect(await version_nodes(ctx, version.id), on, set(targets))
    return PersonIndicators(person, version, on, nodes, targets)
