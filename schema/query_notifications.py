"""Queries of the notifications: the caller's inbox, the admin's delivery log."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.notifications import channels, inbox
from schema.context import GraphQLContext
from schema.types.notifications import (
    DeliveryStatus,
    Notification,
    NotificationChannel,
    NotificationDelivery,
)
from schema.types.pagination import After, Connection, First

GInfo = Info[GraphQLContext, None]


@strawberry.type
class NotificationQuery:
    @strawberry.field(description="本人的站内通知，新者在前")
    async def notifications(self, info: GInfo, first: First = 20, after: After = None,
                            unread_only: Annotated[bool, strawberry.argument(
                                description="只列未读的")] = False
                            ) -> Connection[Notification]:
        page = await inbox.page(info.context, first, after, unread_only)
        return Connection.of(page, Notification.of)

    @strawberry.field(description="本人未读通知的条数")
    async def unread_notification_count(self, info: GInfo) -> int:
        return await inbox.unread_count(info.context)

    @strawberry.field(description="本单位通知的发送记录（各渠道），新者在前；组织人事部门、系统管理员可见")
    async def notification_deliveries(
            self, info: GInfo, first: First = 20, after: After = None,
            status: Annotated[DeliveryStatus | None, strawberry.argument(  # type: ignore[valid-type]
                description="只看此状态；不传为全部")] = None
    ) -> Connection[NotificationDelivery]:
        page = await channels.deliveries(info.context, first, after,
                                         status.value if status is not None else None)
        return Connection.of(page, NotificationDelivery.of)

    @strawberry.field(description="已设置密钥的通知渠道（密钥本身从不返回）；组织人事部门、系统管理员可见")
    async def notification_secrets_set(self, info: GInfo
                                       ) -> list[NotificationChannel]:  # type: ignore[valid-type]
        return list(await channels.secrets_set(info.context))
