"""Achievement declarations (实绩申报): at most N concise items a quarter, each naming its
task source, with a self-assessment; draft until submitted, editable until the deadline.

Who sees a declaration before publicity: the person, whoever manages them, and the tenant's
organization department (tenant admin). Colleagues never do.
"""

from __future__ import annotations

import calendar
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select

from authz import Permission, ReadScope, Target
from authz.scopes import person_rows
from models import Declaration, DeclarationItem, Period, Person, SchemeNode, Task
from resolvers import audit
from resolvers.appraisal.periods import deadline, ensure_open, get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from resolvers.plans.indicators import indicators_for_person
from resolvers.tenant_config import tenant_config
from tenants.config import DeclarationConfig
from vocab.org import PersonStatus
from vocab.periods import PeriodKind, PeriodState
from vocab.plans import IndicatorKind, TaskStatus
from vocab.rating import DeclarationStatus

EDITABLE = (PeriodState.executing, PeriodState.declaring)


def period_end(period: Period) -> date:
    if period.kind == PeriodKind.year or period.quarter is None:
        return date(period.year, 12, 31)
    month = period.quarter * 3
    return date(period.year, month, calendar.monthrange(period.year, month)[1])


def declaration_target(person: Person) -> Target:
    return Target(kind="declaration", id=person.id, person_id=person.id, unit_id=person.unit_id)


@dataclass(frozen=True)
class ItemInput:
    title: str
    content: str
    self_assessment: str = ""
    task_id: uuid.UUID | None = None
    indicator_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Sources:
    tasks: list[Task]
    indicators: list[SchemeNode]
    targets: dict[str, str]
    # The tenant's limits, so a form can hold to them before saving.
    limits: DeclarationConfig


async def _me(ctx: Context) -> Person:
    if ctx.me.person_id is None:
        raise fail(ErrorCode.FORBIDDEN, "该账号未关联人员，不能申报实绩")
    person = await ctx.session.get(Person, (ctx.me.tenant_id, ctx.me.person_id))
    if person is None:
        raise not_found("人员")
    return person


async def sources(ctx: Context, period_id: uuid.UUID) -> Sources:
    """What the form offers as sources: my tasks of the year and my indicators."""
    period = await get_period(ctx, period_id)
    person = await _me(ctx)
    tasks = (await ctx.session.scalars(select(Task).where(
        Task.year == period.year, Task.status != TaskStatus.cancelled,
        or_(Task.person_id == person.id, and_(Task.person_id.is_(None),
                                              Task.unit_id == person.unit_id)))
        .order_by(Task.code))).all()
    mine = await indicators_for_person(ctx, person.id, min(period_end(period), ctx.now().date()))
    indicators = [n for n in mine.indicators if n.kind != IndicatorKind.conduct_standard]
    return Sources(list(tasks), indicators, mine.targets, (await tenant_config(ctx)).declarations)


def check_items(items: Sequence[ItemInput], max_items: int, title_max: int, content_max: int,
                assessment_max: int) -> list[Problem]:
    problems = []
    if len(items) > max_items:
        problems.append(Problem(ErrorCode.LIMIT_EXCEEDED,
                                f"每季度最多申报{max_items}项实绩，当前{len(items)}项", "items"))
    for number, item in enumerate(items, start=1):
        where = f"第{number}项"
        if not item.title.strip():
            problems.append(Problem(ErrorCode.INVALID, f"{where}：标题不能为空",
                                    f"items.{number - 1}.title"))
        elif len(item.title.strip()) > title_max:
            problems.append(Problem(ErrorCode.LIMIT_EXCEEDED,
                                    f"{where}：标题不超过{title_max}字",
                                    f"items.{number - 1}.title"))
        if not item.content.strip():
            problems.append(Problem(ErrorCode.INVALID, f"{where}：内容不能为空",
                                    f"items.{number - 1}.content"))
        elif len(item.content.strip()) > content_max:
            problems.append(Problem(ErrorCode.LIMIT_EXCEEDED,
                                    f"{where}：内容须简明扼要，不超过{content_max}字"
                                    f"（当前{len(item.content.strip())}字）",
                                    f"items.{number - 1}.content"))
        if len(item.self_assessment.strip()) > assessment_max:
            problems.append(Problem(ErrorCode.LIMIT_EXCEEDED,
                                    f"{where}：自我评价不超过{assessment_max}字",
                                    f"items.{number - 1}.selfAssessment"))
        if item.task_id is None and item.indicator_id is None:
            problems.append(Problem(ErrorCode.INVALID,
                                    f"{where}：请注明任务来源（目标任务或考核指标）",
                                    f"items.{number - 1}.source"))
    return problems


async def _own_declaration(ctx: Context, period: Period, person: Person,
                           *, lock: bool = False) -> Declaration | None:
    stmt = select(Declaration).where(Declaration.period_id == period.id,
                                     Declaration.person_id == person.id)
    if lock:
        stmt = stmt.with_for_update()
    return (await ctx.session.scalars(stmt)).first()


async def _check_window(ctx: Context, period: Period) -> None:
    ensure_open(period)
    if period.state not in EDITABLE:
        raise fail(ErrorCode.RULE_VIOLATION,
                   f"{period.name}当前不在实绩申报阶段，不能申报或修改")
    closes = deadline(period, PeriodState.declaring)
    if closes is not None and ctx.now() > closes:
        raise fail(ErrorCode.DEADLINE_PASSED,
                   f"实绩申报已于{closes:%Y-%m-%d %H:%M}截止，不能再申报或修改")


async def save(ctx: Context, period_id: uuid.UUID, items: Sequence[ItemInput]) -> Declaration:
    """Replaces the caller's items (draft, or submitted and still before the deadline)."""
    period = await get_period(ctx, period_id)
    ensure_open(period)
    person = await _me(ctx)
    ctx.require(Permission.declaration_write, declaration_target(person))
    await _check_window(ctx, period)
    config = (await tenant_config(ctx)).declarations
    problems = check_items(items, config.max_items, config.title_max_length,
                           config.content_max_length, config.self_assessment_max_length)
    if problems:
        raise UserFacingError(*problems)
    offered = await sources(ctx, period_id)
    task_ids = {t.id for t in offered.tasks}
    nodes = {n.id: n for n in offered.indicators}
    for number, item in enumerate(items, start=1):
        if item.task_id is not None and item.task_id not in task_ids:
            problems.append(Problem(ErrorCode.INVALID, f"第{number}项：所选任务不是本人的目标任务",
                                    f"items.{number - 1}.taskId"))
        if item.indicator_id is not None and item.indicator_id not in nodes:
            problems.append(Problem(ErrorCode.INVALID, f"第{number}项：所选指标不适用于本人岗位",
                                    f"items.{number - 1}.indicatorId"))
    if problems:
        raise UserFacingError(*problems)
    declaration = await _own_declaration(ctx, period, person, lock=True)
    before = None
    if declaration is None:
        # updated_at set before the insert: no UPDATE right after it
        declaration = Declaration(tenant_id=ctx.me.tenant_id, period_id=period.id,
                                  person_id=person.id, status=DeclarationStatus.draft,
                                  updated_at=ctx.now())
        ctx.session.add(declaration)
        await ctx.session.flush()
    else:
        old = (await ctx.session.scalars(select(DeclarationItem).where(
            DeclarationItem.declaration_id == declaration.id))).all()
        before = {"items": [audit.snapshot(i) for i in old]}
        for row in old:
            await ctx.session.delete(row)
        await ctx.session.flush()
        declaration.updated_at = ctx.now()
    rows = []
    for position, item in enumerate(items, start=1):
        node = nodes.get(item.indicator_id) if item.indicator_id else None
        rows.append(DeclarationItem(
            tenant_id=ctx.me.tenant_id, declaration_id=declaration.id, position=position,
            title=item.title.strip(), content=item.content.strip(),
            self_assessment=item.self_assessment.strip(), task_id=item.task_id,
            version_id=node.version_id if node else None, node_id=node.id if node else None))
    ctx.session.add_all(rows)
    await ctx.session.flush()
    audit.record(ctx, "declaration.save", "declaration", declaration.id, before,
                 {"items": [audit.snapshot(r) for r in rows]})
    return declaration


async def submit(ctx: Context, period_id: uuid.UUID) -> Declaration:
    period = await get_period(ctx, period_id)
    ensure_open(period)
    person = await _me(ctx)
    ctx.require(Permission.declaration_write, declaration_target(person))
    await _check_window(ctx, period)
    declaration = await _own_declaration(ctx, period, person, lock=True)
    if declaration is None:
        raise fail(ErrorCode.INVALID, "请先填写实绩申报再提交")
    count = await ctx.session.scalar(select(func.count()).select_from(DeclarationItem).where(
        DeclarationItem.declaration_id == declaration.id))
    if not count:
        raise fail(ErrorCode.INVALID, "至少申报一项实绩才能提交")
    before = audit.snapshot(declaration)
    declaration.status = DeclarationStatus.submitted
    declaration.submitted_at = ctx.now()
    audit.record(ctx, "declaration.submit", "declaration", declaration.id, before,
                 audit.snapshot(declaration))
    return declaration


async def mine(ctx: Context, period_id: uuid.UUID) -> Declaration | None:
    period = await get_period(ctx, period_id)
    return await _own_declaration(ctx, period, await _me(ctx))


# --- reading others' declarations -----------------------------------------------------------


@dataclass(frozen=True)
class DeclarationFilter:
    unit_ids: frozenset[uuid.UUID] | None = None
    indicator_code: str | None = None
    status: str | None = None
    search: str | None = None


def _declarants(ctx: Context) -> ColumnElement[bool]:
    """The people whose declarations the caller may read, over Person's columns."""
    scope = ctx.authz.read_scope(Permission.declaration_read)
    return person_rows(scope, ctx.me.person_id, Person.id, Person.unit_id)


def readable_declarations(ctx: Context) -> Select[Declaration]:
    """Declarations the caller may read, joined to their person."""
    return declarations_in(ctx.authz.read_scope(Permission.declaration_read), ctx.me.person_id)


def declarations_in(scope: ReadScope, me: uuid.UUID | None) -> Select[Declaration]:
    """The declarations ``scope`` admits for the caller ``me``, joined to their person."""
    return (select(Declaration).join(Person, and_(Person.tenant_id == Declaration.tenant_id,
                                                  Person.id == Declaration.person_id))
            .where(person_rows(scope, me, Person.id, Person.unit_id)))


@dataclass(frozen=True)
class DeclarationsQuery:
    """Everything a period's declarations list is built from: the caller's read scope and
    person, the period and the filter. Equal queries make the same statement."""

    scope: ReadScope
    me: uuid.UUID | None
    period_id: uuid.UUID
    flt: DeclarationFilter


async def declarations_query(ctx: Context, period_id: uuid.UUID,
                             flt: DeclarationFilter) -> DeclarationsQuery:
    """The query of ``declarations_of_period``, once the period is found readable."""
    await get_period(ctx, period_id)
    return DeclarationsQuery(ctx.authz.read_scope(Permission.declaration_read),
                             ctx.me.person_id, period_id, flt)


async def list_declarations(ctx: Context, period_id: uuid.UUID, flt: DeclarationFilter,
                            first: int = 50, offset: int = 0
                            ) -> tuple[list[Declaration], int]:
    """Declarations the caller may read, by employee number; filters combine (AND)."""
    stmt = await declarations_of_period(ctx, period_id, flt)
    total = int(await ctx.session.scalar(
        select(func.count()).select_from(stmt.subquery())) or 0)
    rows = (await ctx.session.scalars(stmt.order_by(Person.employee_no)
                                      .offset(offset).limit(page_size(first, offset)))).all()
    return list(rows), total


def page_size(first: int, offset: int) -> int:
    """The declarations list takes any ``first`` (less than one is one, more than 200 is
    200), but no negative ``offset``."""
    if offset < 0:
        raise fail(ErrorCode.INVALID, "跳过的条数不能为负数", "offset")
    return min(max(first, 1), 200)


async def declarations_of_period(ctx: Context, period_id: uuid.UUID,
                                 flt: DeclarationFilter) -> Select[Declaration]:
    """The select behind ``list_declarations``: the period's, readable, filtered."""
    return declarations_select(await declarations_query(ctx, period_id, flt))


def declarations_select(query: DeclarationsQuery) -> Select[Declaration]:
    """The declarations ``query`` admits, joined to their person; built of ``query`` alone."""
    flt = query.flt
    stmt = declarations_in(query.scope, query.me).where(Declaration.period_id == query.period_id)
    if flt.unit_ids is not None:
        stmt = stmt.where(Person.unit_id.in_(flt.unit_ids))
    if flt.status:
        stmt = stmt.where(Declaration.status == flt.status)
    item = DeclarationItem
    if flt.search:
        like = f"%{flt.search.strip()}%"
        stmt = stmt.where(exists().where(
            item.tenant_id == Declaration.tenant_id, item.declaration_id == Declaration.id,
            or_(item.title.ilike(like), item.content.ilike(like))))
    if flt.indicator_code:
        stmt = stmt.where(exists().where(
            item.tenant_id == Declaration.tenant_id, item.declaration_id == Declaration.id,
            SchemeNode.tenant_id == item.tenant_id, SchemeNode.id == item.node_id,
            SchemeNode.code == flt.indicator_code))
    return stmt


def _declaring(ctx: Context) -> ColumnElement[bool]:
    """The people who must declare, in the caller's scope: appraised and active."""
    return and_(Person.appraised.is_(True), Person.status == PersonStatus.active,
                _declarants(ctx))


def _submitted(period_id: uuid.UUID) -> Select[uuid.UUID]:
    return select(Declaration.person_id).where(
        Declaration.period_id == period_id, Declaration.status == DeclarationStatus.submitted)


async def not_declared(ctx: Context, period_id: uuid.UUID,
                       unit_ids: frozenset[uuid.UUID] | None = None) -> list[Person]:
    """Appraised, active people in the caller's scope without a submitted declaration."""
    await get_period(ctx, period_id)
    stmt = select(Person).where(_declaring(ctx), Person.id.not_in(_submitted(period_id)))
    if unit_ids is not None:
        stmt = stmt.where(Person.unit_id.in_(unit_ids))
    return list((await ctx.session.scalars(stmt.order_by(Person.employee_no))).all())


async def declaration_tally(ctx: Context, period_id: uuid.UUID) -> tuple[int, int]:
    """(must declare, have submitted) among the people of ``not_declared``, in one statement."""
    await get_period(ctx, period_id)
    declared = Person.id.in_(_submitted(period_id))
    required, done = (await ctx.session.execute(
        select(func.count(), func.count().filter(declared)).where(_declaring(ctx)))).one()
    return int(required), int(done)


async def get_declaration(ctx: Context, declaration_id: uuid.UUID) -> Declaration:
    row = (await ctx.session.execute(
        select(Declaration, Person).join(Person, and_(
            Person.tenant_id == Declaration.tenant_id, Person.id == Declaration.person_id))
        .where(Declaration.id == declaration_id))).first()
    if row is None or not ctx.can(Permission.declaration_read, declaration_target(row[1])):
        raise not_found("实绩申报")
    return row[0]


async def items_by_declaration(ctx: Context, ids: Sequence[uuid.UUID]
                               ) -> list[list[DeclarationItem]]:
    rows = (await ctx.session.scalars(select(DeclarationItem).where(
        DeclarationItem.declaration_id.in_(ids)).order_by(DeclarationItem.position))).all()
    out: dict[uuid.UUID, list[DeclarationItem]] = defaultdict(list)
    for row in rows:
        out[row.declaration_id].append(row)
    return [out.get(i, []) for i in ids]


async def tasks_by_ids(ctx: Context, ids: Sequence[uuid.UUID]) -> list[Task | None]:
    rows = (await ctx.session.scalars(select(Task).where(Task.id.in_(ids)))).all()
    by_id = {t.id: t for t in rows}
    return [by_id.get(i) for i in ids]


async def nodes_by_ids(ctx: Context, ids: Sequence[uuid.UUID]) -> list[SchemeNode | None]:
    rows = (await ctx.session.scalars(select(SchemeNode).where(SchemeNode.id.in_(ids)))).all()
    by_id = {n.id: n for n in rows}
    return [by_id.get(i) for i in ids]

