"""GraphQL types of the notifications: the inbox and the admin's delivery log."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import Notification as NotificationRow
from resolvers.notifications.channels import DeliveryLine
from schema.descriptions import CREATED_AT_DOC, ID_DOC
from schema.enums import labelled_enum
from vocab import notifications as values

NotificationEvent = labelled_enum(values.NotificationEvent, "NotificationEvent", "通知事件")
NotificationChannel = labelled_enum(values.Channel, "NotificationChannel", "通知渠道")
DeliveryStatus = labelled_enum(values.DeliveryStatus, "DeliveryStatus", "通知发送状态")


@strawberry.type(description="站内通知（本人收件箱中的一条）")
class Notification:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    event: NotificationEvent = strawberry.field(description="事件")  # type: ignore[valid-type]
    event_label: str = strawberry.field(description="事件的中文名")
    title: str = strawberry.field(description="标题")
    body: str = strawberry.field(description="正文")
    link: str = strawberry.field(
        description="门户中的相关页面路径（如 /declaration）；"
                    "没有为空字符串")
    created_at: datetime = strawberry.field(description=CREATED_AT_DOC)
    read_at: datetime | None = strawberry.field(description="标记已读的时间；未读为 null")

    @classmethod
    def of(cls, row: NotificationRow) -> Notification:
        event = values.NotificationEvent(row.event)
        return cls(id=strawberry.ID(str(row.id)), event=event, event_label=event.label,
                   title=row.title, body=row.body, link=row.link, created_at=row.created_at,
                   read_at=row.read_at)


@strawberry.type(description="一条通知在一个渠道上的发送记录（组织人事部门、系统管理员可见）")
class NotificationDelivery:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    channel: NotificationChannel = strawberry.field(description="渠道")  # type: ignore[valid-type]
    channel_label: str = strawberry.field(description="渠道的中文名")
    status: DeliveryStatus = strawberry.field(description="发送状态")  # type: ignore[valid-type]
    status_label: str = strawberry.field(description="发送状态的中文名")
    attempts: int = strawberry.field(description="已尝试发送的次数")
    last_error: str | None = strawberry.field(
        description="最近一次失败的原因（中文"
                    "）；没有失败为 null")
    created_at: datetime = strawberry.field(description=CREATED_AT_DOC)
    last_attempt_at: datetime | None = strawberry.field(
        description="最近一次尝试的时间；"
                    "尚未尝试为 null")
    finished_at: datetime | None = strawberry.field(
        description="发送成功或最终失败的时"
                    "间；仍在发送为 null")
    title: str = strawberry.field(description="通知标题")
    event_label: str = strawberry.field(description="通知事件的中文名")
    recipient: str = strawberry.field(
        description="收件账号的姓名（或用户名）；异议答复不显示收件人")

    @classmethod
    def of(cls, line: DeliveryLine) -> NotificationDelivery:
        return cls(id=strawberry.ID(str(line.id)), channel=line.channel,
                   channel_label=line.channel.label, status=line.status,
                   status_label=line.status.label, attempts=line.attempts,
                   last_error=line.last_error, created_at=line.created_at,
                   last_attempt_at=line.last_attempt_at, finished_at=line.finished_at,
                   title=line.title, event_label=line.event.label, recipient=line.recipient)
