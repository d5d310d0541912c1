"""Mutations of commendations, error notices, conduct findings and credit claims."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from models import PointRecord as Row
from models import SchemeNode
from resolvers.execution import commendations, point_records
from resolvers.execution.commendations import BoardEntry
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC
from schema.errors import UserError, attempt
from schema.ids import parse_id, require_id
from schema.types.points import PointRecord, PointRecordInput

GInfo = Info[GraphQLContext, None]


def _input(data: PointRecordInput) -> point_records.RecordInput:
    return point_records.RecordInput(
        node_id=require_id(data.indicator_id), occurred_on=data.occurred_on, reason=data.reason,
        person_id=parse_id(data.person_id), unit_id=parse_id(data.unit_id), points=data.points,
        evidence=data.evidence, external_id=data.external_id)


@strawberry.type(description="记分操作（记录、确认、不予确认）的结果")
class PointRecordPayload:
    record: PointRecord | None = strawberry.field(description="操作后的记录；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


async def _payload(info: GInfo, row: Row | None, errors: list[UserError]) -> PointRecordPayload:
    if row is None:
        return PointRecordPayload(record=None, user_errors=errors)
    node = await info.context.session.get(SchemeNode, (row.tenant_id, row.node_id))
    assert node is not None
    return PointRecordPayload(record=PointRecord.of(BoardEntry(row, node, "")),
                              user_errors=errors)


@strawberry.type
class PointsMutation:
    @strawberry.mutation(
        description="办公室发布点赞事项（加分）或错情通报（减分）；负面清单扣分需授权角色并附佐证")
    async def issue_point_record(self, info: GInfo,
                                 input: Annotated[PointRecordInput, strawberry.argument(
                                     description=INPUT_DOC)]) -> PointRecordPayload:
        row, errors = await attempt(info, lambda: commendations.issue(info.context,
                                                                      _input(input)))
        return await _payload(info, row, errors)

    @strawberry.mutation(description="本人申报加分（如招商项目签约落地），经授权角色确认后计分")
    async def claim_credit(self, info: GInfo,
                           input: Annotated[PointRecordInput, strawberry.argument(
                               description=INPUT_DOC)]) -> PointRecordPayload:
        row, errors = await attempt(info, lambda: commendations.claim_credit(info.context,
                                                                             _input(input)))
        return await _payload(info, row, errors)

    @strawberry.mutation(description="确认或驳回待确认的加分")
    async def confirm_point_record(self, info: GInfo,
                                   id: Annotated[strawberry.ID, strawberry.argument(
                                       description="记分记录 id")],
                                   confirmed: Annotated[bool, strawberry.argument(
                                       description="true 确认（计入得分），false 不予确认")],
                                   reason: Annotated[str, strawberry.argument(
                                       description="说明（不予确认时必填）"
                                                   "")] = "") -> PointRecordPayload:
        row, errors = await attempt(info, lambda: commendations.confirm(
            info.context, require_id(id), confirmed, reason))
        return await _payload(info, row, errors)
