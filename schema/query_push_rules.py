"""Queries of the rules on pushed data and their proposals (issue 17, part 6)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.execution import push_rules
from schema.context import GraphQLContext
from schema.types.pagination import After, Connection, First
from schema.types.push_rules import PointProposal, PushRule
from vocab.push_rules import ProposalStatus

GInfo = Info[GraphQLContext, None]


@strawberry.type
class PushRuleQuery:
    @strawberry.field(description="本单位的自动采集规则（组织人事部门与办公室可见），按创建先后")
    async def push_rules(self, info: GInfo) -> list[PushRule]:
        return [PushRule.of(e) for e in await push_rules.list_rules(info.context)]

    @strawberry.field(description=(
        "自动采集生成的加分或减分建议，按记分日期从早到晚，游标分页（组织人事部门与办公室可见）；"
        "以 confirmProposal 确认（计入得分）或 refuseProposal 退回"))
    async def proposed_point_records(self, info: GInfo,
                                     status: Annotated[ProposalStatus | None, strawberry.argument(
                                         description="只看某一状态；不传为全部")] = None,
                                     first: First = 50,
                                     after: After = None) -> Connection[PointProposal]:
        page = await push_rules.proposals(info.context, status.value if status else None,
                                          first, after)
        return Connection.of(page, PointProposal.of)
