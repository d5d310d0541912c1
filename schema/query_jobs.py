"""Queries of background jobs and bonus runs."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import jobs
from resolvers.bonus import runs as bonus
from schema.context import GraphQLContext
from schema.ids import parse_id, require_id
from schema.types.bonus import BonusRun
from schema.types.jobs import Job
from schema.types.pagination import First

GInfo = Info[GraphQLContext, None]


@strawberry.type
class JobQuery:
    @strawberry.field(description="一个后台任务（本人发起的，或组织人事部门可见全部）；否则为 null")
    async def job(self, info: GInfo,
                  id: Annotated[strawberry.ID, strawberry.argument(
                      description="后台任务 id")]) -> Job | None:
        row = await jobs.find_job(info.context, require_id(id))
        return Job.of(row) if row else None

    @strawberry.field(description="最近的后台任务，新者在前")
    async def jobs(self, info: GInfo,
                   first: First = 20) -> list[Job]:
        return [Job.of(r) for r in await jobs.list_jobs(info.context, first)]

    @strawberry.field(description="奖金分配（组织人事部门、主要领导可见草稿；其他人只见已确认的）")
    async def bonus_runs(self, info: GInfo,
                         period_id: Annotated[strawberry.ID | None, strawberry.argument(
                             description="只看此考核周期；不传为全部")] = None
                         ) -> list[BonusRun]:
        rows = await bonus.list_runs(info.context, parse_id(period_id))
        return [BonusRun.of(r) for r in rows]

    @strawberry.field(description="一次奖金分配；不可见或不存在时为 null")
    async def bonus_run(self, info: GInfo,
                        id: Annotated[strawberry.ID, strawberry.argument(
                            description="奖金分配方案 id")]) -> BonusRun | None:
        row = await bonus.find_run(info.context, require_id(id))
        return BonusRun.of(row) if row else None
