"""Queries of declarations."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import declarations
from resolvers.errors import UserFacingError
from resolvers.org.tree import units_below
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import parse_id, require_id
from schema.types.declarations import (
    Declaration,
    DeclarationConnection,
    DeclarationFilter,
    DeclarationSources,
    IndicatorSourceOption,
    TaskSourceOption,
)
from schema.types.org import Person
from schema.types.pagination import After, Connection, First, node_id, paged

GInfo = Info[GraphQLContext, None]


async def declaration_criteria(ctx: GraphQLContext, f: DeclarationFilter | None
                               ) -> declarations.DeclarationFilter:
    """The ``declarations`` list's filter as the use case takes it (also
    ``schema.compiled_reads``)."""
    f = f or DeclarationFilter()
    return declarations.DeclarationFilter(
        unit_ids=await _units(ctx, f.unit_id, f.include_subunits),
        indicator_code=f.indicator_code, status=f.status, search=f.search)


async def _units(ctx: GraphQLContext, unit_id: strawberry.ID | None,
                 include_subunits: bool) -> frozenset[uuid.UUID] | None:
    unit = parse_id(unit_id)
    if unit is None:
        return None
    if not include_subunits:
        return frozenset({unit})
    return await units_below(ctx, unit)


@strawberry.type
class DeclarationQuery:
    @strawberry.field(description="我的实绩申报（未填写时为 null）")
    async def my_declaration(self, info: GInfo,
                             period_id: PeriodId) -> Declaration | None:
        row = await declarations.mine(info.context, require_id(period_id))
        return Declaration.of(row) if row else None

    @strawberry.field(description="申报表可选的任务来源：本人的目标任务和考核指标")
    async def declaration_sources(self, info: GInfo,
                                  period_id: PeriodId) -> DeclarationSources:
        found = await declarations.sources(info.context, require_id(period_id))
        return DeclarationSources(
            tasks=[TaskSourceOption.of(t) for t in found.tasks],
            indicators=[IndicatorSourceOption.of(n, found.targets.get(n.code, ""))
                        for n in found.indicators],
            max_items=found.limits.max_items,
            title_max_length=found.limits.title_max_length,
            content_max_length=found.limits.content_max_length,
            self_assessment_max_length=found.limits.self_assessment_max_length)

    @strawberry.field(description="实绩申报列表：领导看所管理的人员，组织人事部门看全部")
    async def declarations(self, info: GInfo,
                           period_id: PeriodId,
                           filter: Annotated[DeclarationFilter | None, strawberry.argument(
                               description="筛选条件；不传为可见的全部")] = None,
                           first: First = 50,
                           offset: Annotated[int, strawberry.argument(
                               description="跳过前多少条（分页）")] = 0) -> DeclarationConnection:
        rows, total = await declarations.list_declarations(
            info.context, require_id(period_id),
            await declaration_criteria(info.context, filter), first, offset)
        return DeclarationConnection(nodes=[Declaration.of(r) for r in rows], total_count=total)

    @strawberry.field(description="单份实绩申报；无权查看时为 null")
    async def declaration(self, info: GInfo,
                          id: Annotated[strawberry.ID, strawberry.argument(
                              description="实绩申报 id")]) -> Declaration | None:
        try:
            return Declaration.of(await declarations.get_declaration(info.context,
                                                                     require_id(id)))
        except UserFacingError:
            return None

    @strawberry.field(description="尚未提交实绩申报的人员（调用者可见范围内）")
    async def undeclared_people(self, info: GInfo,
                                period_id: PeriodId,
                                unit_id: Annotated[strawberry.ID | None, strawberry.argument(
                                    description="只看此部门（含下级）；"
                                                "不传为可见范围内全部")] = None) -> list[Person]:
        rows = await declarations.not_declared(info.context, require_id(period_id),
                                               await _units(info.context, unit_id, True))
        return [Person.of(p) for p in rows]

    @strawberry.field(description="尚未提交实绩申报的人员（同 undeclaredPeople），游标分页")
    async def undeclared_people_page(self, info: GInfo,
                                     period_id: PeriodId,
                                     unit_id: Annotated[strawberry.ID | None, strawberry.argument(
                                         description="只看此部门（含下级）；"
                                                     "不传为可见范围内全部")] = None,
                                     first: First = 50,
                                     after: After = None) -> Connection[Person]:
        rows = await declarations.not_declared(info.context, require_id(period_id),
                                               await _units(info.context, unit_id, True))
        return paged([Person.of(p) for p in rows], node_id, first, after)
