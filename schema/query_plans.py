"""Queries of the plan: schemes, my indicators, responsibility letters, tasks, exports."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.errors import UserFacingError
from resolvers.org import structure as org
from resolvers.plans import indicators, scheme_file, task_file, tasks
from resolvers.plans import schemes as plans
from resolvers.spreadsheet import XLSX_MIME
from schema.context import GraphQLContext, loader_for
from schema.ids import NO_ID, parse_id, require_id
from schema.types.org import Post
from schema.types.pagination import After, Connection, First, node_id, paged
from schema.types.plans import (
    FileExport,
    Indicator,
    IndicatorScheme,
    LetterLine,
    PersonIndicator,
    PersonIndicators,
    ResponsibilityLetter,
    SchemeVersion,
)
from schema.types.tasks import Task, TaskFilterInput

GInfo = Info[GraphQLContext, None]


def _person_indicators(found: indicators.PersonIndicators) -> PersonIndicators:
    return PersonIndicators(
        person_id=strawberry.ID(str(found.person.id)), on=found.on,
        version=SchemeVersion.of(found.version) if found.version else None,
        indicators=[PersonIndicator(indicator=Indicator.of(n), target=found.targets.get(n.code, ""))
                    for n in found.indicators])


def _file(out: scheme_file.FileOut) -> FileExport:
    return FileExport(filename=out.filename, content_base64=out.content_base64,
                      mime_type=XLSX_MIME)


async def _tasks(info: GInfo, filter: TaskFilterInput | None) -> list[Task]:
    f = filter or TaskFilterInput()
    rows = await tasks.list_tasks(info.context, tasks.TaskFilter(
        year=f.year, level=f.level, unit_id=parse_id(f.unit_id),
        person_id=parse_id(f.person_id), parent_id=parse_id(f.parent_id), status=f.status,
        source_kind=f.source_kind, search=f.search, overdue_on=f.overdue_on))
    return [Task.of(r) for r in rows]


@strawberry.type
class PlanQuery:
    @strawberry.field(description="各年度指标体系")
    async def indicator_schemes(self, info: GInfo) -> list[IndicatorScheme]:
        return [IndicatorScheme.of(s) for s in await plans.list_schemes(info.context)]

    @strawberry.field(description="某年度（默认今年）的指标体系")
    async def indicator_scheme(self, info: GInfo,
                               year: Annotated[int | None, strawberry.argument(
                                   description="年度；不传为今年")] = None
                               ) -> IndicatorScheme | None:
        row = await plans.scheme_of_year(info.context, year or plans.today(info.context).year)
        return IndicatorScheme.of(row) if row else None

    @strawberry.field(description="指标体系的某一版本")
    async def scheme_version(self, info: GInfo,
                             id: Annotated[strawberry.ID, strawberry.argument(
                                 description="版本 id")]) -> SchemeVersion | None:
        try:
            return SchemeVersion.of(await plans.get_version(info.context, require_id(id)))
        except UserFacingError:
            return None

    @strawberry.field(description="某版本在某日计分的指标（含当日已生效的动态指标，不限岗位）")
    async def indicators_in_effect(self, info: GInfo,
                                   version_id: Annotated[strawberry.ID, strawberry.argument(
                                       description="指标体系版本 id")],
                                   on: Annotated[date, strawberry.argument(
                                       description="计分日期")]) -> list[Indicator]:
        rows = await indicators.indicators_in_effect(info.context, require_id(version_id), on,
                                                     all_posts=True)
        return [Indicator.of(r) for r in rows]

    @strawberry.field(description="我的指标：某日（默认今天）适用于我的指标及岗位责任书目标")
    async def my_indicators(self, info: GInfo,
                            on: Annotated[date | None, strawberry.argument(
                                description="按哪一天（默认今天）")] = None
                            ) -> PersonIndicators | None:
        ctx = info.context
        if ctx.me.person_id is None:
            return None
        found = await indicators.indicators_for_person(ctx, ctx.me.person_id,
                                                       on or plans.today(ctx))
        return _person_indicators(found)

    @strawberry.field(description="某人的指标（本人、其领导、组织人事部门可查看；否则为 null）")
    async def indicators_of(self, info: GInfo,
                            person_id: Annotated[strawberry.ID, strawberry.argument(
                                description="人员 id")],
                            on: Annotated[date | None, strawberry.argument(
                                description="按哪一天（默认今天）"
                                            "")] = None) -> PersonIndicators | None:
        ctx = info.context
        try:
            found = await indicators.indicators_for_person(ctx, require_id(person_id),
                                                           on or plans.today(ctx))
        except UserFacingError:
            return None
        return _person_indicators(found)

    @strawberry.field(description="某年度（默认今年）的岗位责任书")
    async def responsibility_letters(self, info: GInfo,
                                     year: Annotated[int | None, strawberry.argument(
                                         description="年度；不传为今年")] = None
                                     ) -> list[ResponsibilityLetter]:
        ctx = info.context
        rows = await indicators.letters_of_year(ctx, year or plans.today(ctx).year)
        by_post: dict[uuid.UUID, list[LetterLine]] = defaultdict(list)
        for row in rows:
            by_post[row.post_id].append(LetterLine(indicator_code=row.indicator_code,
                                                   target=row.target))
        posts = await loader_for(ctx, org.posts_by_ids).load_many(list(by_post))
        return [ResponsibilityLetter(post=Post.of(post), lines=by_post[post.id])
                for post in posts if post is not None]

    @strawberry.field(description="目标任务：单位和部门任务全员可见，个人任务本人、其领导、办公室可见")
    async def tasks(self, info: GInfo,
                    filter: Annotated[TaskFilterInput | None, strawberry.argument(
                        description="筛选条件；不传为可见的全部任务")] = None) -> list[Task]:
        return await _tasks(info, filter)

    @strawberry.field(description="目标任务（同 tasks），游标分页")
    async def tasks_page(self, info: GInfo,
                         filter: Annotated[TaskFilterInput | None, strawberry.argument(
                             description="筛选条件；不传为可见的全部任务")] = None,
                         first: First = 50,
                         after: After = None) -> Connection[Task]:
        return paged(await _tasks(info, filter), node_id, first, after)

    @strawberry.field(description="单个任务；不可见或不存在时为 null")
    async def task(self, info: GInfo,
                   id: Annotated[strawberry.ID, strawberry.argument(
                       description="任务 id")]) -> Task | None:
        row = (await tasks.tasks_by_ids(info.context, [parse_id(id) or NO_ID]))[0]
        return Task.of(row) if row else None

    @strawberry.field(description="我的任务：本人承担的任务和本部门的任务")
    async def my_tasks(self, info: GInfo,
                       year: Annotated[int | None, strawberry.argument(
                           description="只看此年度；不传为全部")] = None) -> list[Task]:
        ctx = info.context
        rows = await tasks.my_tasks(ctx, year or plans.today(ctx).year)
        return [Task.of(r) for r in rows]

    @strawberry.field(description="导出指标体系某一版本为 Excel")
    async def export_scheme(self, info: GInfo,
                            version_id: Annotated[strawberry.ID, strawberry.argument(
                                description="版本 id")]) -> FileExport:
        return _file(await scheme_file.export_scheme(info.context, require_id(version_id)))

    @strawberry.field(description="导出某年度（默认今年）可见的任务清单为 Excel")
    async def export_tasks(self, info: GInfo,
                           year: Annotated[int | None, strawberry.argument(
                               description="年度；不传为今年")] = None) -> FileExport:
        ctx = info.context
        return _file(await task_file.export_tasks(ctx, year or plans.today(ctx).year))

    @strawberry.field(description="任务清单导入模板（Excel）：中文表头、任务来源和状态的下拉选项、"
                                  "日期格式的完成时限和一行可直接导入的示例；可导入任务清单者")
    async def task_template(self, info: GInfo,
                            year: Annotated[int | None, strawberry.argument(
                                description="年度；不传为今年")] = None) -> FileExport:
        ctx = info.context
        return _file(await task_file.task_template(ctx, year or plans.today(ctx).year))
