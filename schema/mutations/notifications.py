"""Mutations of the notifications: marking read, the channels' secrets, test messages, the
caller's e-mail address."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.notifications import channels, inbox
from schema.context import GraphQLContext
from schema.descriptions import USER_ERRORS_DOC
from schema.errors import UserError, attempt
from schema.ids import require_id
from schema.types.notifications import NotificationChannel

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="标记通知已读的结果")
class MarkNotificationsReadPayload:
    marked: int = strawberry.field(description="本次标记为已读的条数")
    unread_count: int = strawberry.field(description="标记后本人未读通知的条数")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="通知渠道操作的结果")
class NotificationChannelPayload:
    ok: bool = strawberry.field(description="是否成功")
    delivery_id: strawberry.ID | None = strawberry.field(
        description="测试消息的发送记录 id（在发送记录中查看结果）；其他操作为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="设置通知邮箱的结果")
class NotificationEmailPayload:
    email: str | None = strawberry.field(description="设置后的通知邮箱；未设置为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class NotificationMutation:
    @strawberry.mutation(
        description="把本人的通知标记为已读：传 ids 标"
                    "记这些，all 为 true 标记全部")
    async def mark_notifications_read(
            self, info: GInfo,
            ids: Annotated[list[strawberry.ID] | None, strawberry.argument(
                description="要标记的通知 id；与 all 二选一")] = None,
            all: Annotated[bool, strawberry.argument(
                description="为 true 时标记本人全部未读通知")] = False
    ) -> MarkNotificationsReadPayload:
        async def run() -> tuple[int, int]:
            if all == (ids is not None):
                from resolvers.errors import ErrorCode, fail
                raise fail(ErrorCode.INVALID, "请传入要标记的通知，或选择全部标记", "ids")
            chosen = None if all else [require_id(i) for i in ids or []]
            marked = await inbox.mark_read(info.context, chosen)
            return marked, await inbox.unread_count(info.context)

        result, errors = await attempt(info, run)
        marked, unread = result if result else (0, 0)
        return MarkNotificationsReadPayload(marked=marked, unread_count=unread,
                                            user_errors=errors)

    @strawberry.mutation(
        description="设置通知渠道的密钥（SMTP 密码"
                    "、钉钉加签密钥）；传空字符串为删除。"
                                     "密钥加密保存，从不返回")
    async def set_notification_secret(
            self, info: GInfo,
            channel: Annotated[NotificationChannel, strawberry.argument(  # type: ignore[valid-type]
                description="渠道：email 或 dingtalk")],
            secret: Annotated[str, strawberry.argument(description="密钥；空字符串为删除")]
    ) -> NotificationChannelPayload:
        _, errors = await attempt(info, lambda: channels.set_secret(
            info.context, str(channel), secret))
        return NotificationChannelPayload(ok=not errors, delivery_id=None, user_errors=errors)

    @strawberry.mutation(description="向本人发送一条测试消息（渠道须已启用）；结果见发送记录")
    async def send_test_notification(
            self, info: GInfo,
            channel: Annotated[NotificationChannel, strawberry.argument(  # type: ignore[valid-type]
                description="渠道")]
    ) -> NotificationChannelPayload:
        delivery, errors = await attempt(info, lambda: channels.send_test(
            info.context, str(channel)))
        return NotificationChannelPayload(
            ok=not errors, delivery_id=strawberry.ID(str(delivery)) if delivery else None,
            user_errors=errors)

    @strawberry.mutation(description="设置本人接收通知的电子邮箱；传空字符串为删除")
    async def set_notification_email(
            self, info: GInfo,
            email: Annotated[str, strawberry.argument(description="电子邮箱地址")]
    ) -> NotificationEmailPayload:
        value, errors = await attempt(info, lambda: channels.set_my_email(info.context, email))
        return NotificationEmailPayload(email=value if not errors else None, user_errors=errors)
