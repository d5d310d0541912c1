"""Queries of the city's oversight: comparison, experience reports, shared reports."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.oversight import comparison as oversight
from resolvers.oversight import experience, report_shares
from schema.context import GraphQLContext
from schema.ids import parse_id
from schema.types.oversight import (
    CityExperienceReport,
    CycleStage,
    ExperienceKind,
    ExperienceReport,
    OversightComparison,
    OversightFigureDefinition,
    OversightSettings,
    ReportShare,
    SharedReport,
    definitions,
)

GInfo = Info[GraphQLContext, None]
# The units a city query covers, described once for its three fields.
TenantIds = Annotated[list[strawberry.ID] | None, strawberry.argument(
    description="只看这些单位；不传为全部试点单位")]


@strawberry.input(description="考核期次：年度（quarter 不填）或季度")
class OversightPeriodInput:
    year: int = strawberry.field(description="年度")
    quarter: int | None = strawberry.field(default=None, description="季度 1–4；年度不传")

    def domain(self) -> oversight.PeriodRef:
        return oversight.PeriodRef(self.year, self.quarter)


def unit_ids(values: list[strawberry.ID] | None) -> list[uuid.UUID] | None:
    """The units asked for (None: all); a malformed id matches no unit."""
    if values is None:
        return None
    return [i for i in (parse_id(v) for v in values) if i is not None]


@strawberry.type
class OversightQuery:
    @strawberry.field(description="横向比较指标的统一口径（代码、名称、定义、分子、分母）")
    def oversight_figure_definitions(self, info: GInfo) -> list[OversightFigureDefinition]:
        info.context.authz  # noqa: B018 - refuses anonymous callers
        return definitions()

    @strawberry.field(description="横向比较（仅市委组织部）：各单位、各类单位在所选期次的各项指标，"
                                  "只含汇总数据；tenantIds 不填为全部试点单位")
    async def oversight_comparison(self, info: GInfo,
                                   periods: Annotated[
                                       list[OversightPeriodInput],
                                       strawberry.argument(description="比较的期次")],
                                   tenant_ids: TenantIds = None
                                   ) -> OversightComparison:
        ids = unit_ids(tenant_ids)
        found = await oversight.compare(info.context, ids, [p.domain() for p in periods])
        return OversightComparison.of(found)

    @strawberry.field(description="横向比较的平台设置（仅市委组织部）")
    async def oversight_settings(self, info: GInfo) -> OversightSettings:
        return OversightSettings.of(await oversight.settings(info.context))

    @strawberry.field(description="本单位报送的经验做法和问题建议，及市委组织部的答复")
    async def experience_reports(self, info: GInfo,
                                 stage: Annotated[CycleStage | None, strawberry.argument(  # type: ignore[valid-type]
                                     description="只看此环节；不传为全部")] = None
                                 ) -> list[ExperienceReport]:
        rows = await experience.own_reports(info.context, stage)
        return [ExperienceReport.of(r) for r in rows]

    @strawberry.field(description="各单位报送的经验做法和问题建议（仅市委组织部）")
    async def city_experience_reports(
            self, info: GInfo,
            tenant_ids: TenantIds = None,
            kind: Annotated[ExperienceKind | None, strawberry.argument(  # type: ignore[valid-type]
                description="只看此类型；不传为全部")] = None,
            stage: Annotated[CycleStage | None, strawberry.argument(  # type: ignore[valid-type]
                description="只看此环节；不传为全部")] = None,
            good_practice_only: Annotated[bool, strawberry.argument(
                description="只看典型经验")] = False) -> list[CityExperienceReport]:
        ids = unit_ids(tenant_ids)
        rows = await experience.city_reports(info.context, experience.CityFilter(
            tenant_ids=ids, kind=kind, stage=stage, good_practice_only=good_practice_only))
        return [CityExperienceReport.of(r) for r in rows]

    @strawberry.field(description="本单位报送市委组织部的报表")
    async def report_shares(self, info: GInfo) -> list[ReportShare]:
        return [ReportShare.of(r) for r in await report_shares.own_shares(info.context)]

    @strawberry.field(description="各单位报送的报表（仅市委组织部）：只有各单位明确报送的")
    async def city_shared_reports(self, info: GInfo,
                                  tenant_ids: TenantIds = None
                                  ) -> list[SharedReport]:
        ids = unit_ids(tenant_ids)
        rows = await report_shares.city_shared(info.context, ids)
        return [SharedReport.of(r) for r in rows]
