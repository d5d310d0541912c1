"""The admin's side of the notifications: the channels' secrets (sealed, never returned), a
test message per channel, and the delivery log; and every account's own e-mail address."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Select, String, cast, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from authz import Permission
from authz.credentials import open_text, seal_text
from models import Account, ChannelSecret, Delivery, Notification
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.notifications.send import enabled_channels, notification_config, notify
from resolvers.pagination import Page, check_page_size, keyset_rows
from vocab.notifications import Channel, DeliveryStatus, NotificationEvent

MAX_PAGE = 100
SECRET_MAX = 500
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Which channels have a secret, and what it is called.
SECRET_NAMES = {Channel.email: "SMTP 密码", Channel.dingtalk: "钉钉加签密钥"}


class UnreadableSecretError(Exception):
    """A stored secret sealed under another server key (the key was changed)."""


def secret_purpose(channel: Channel) -> str:
    return f"notify:{channel.value}"


async def channel_secret(session: AsyncSession, secret_key: str, channel: Channel) -> str | None:
    """The channel's secret in clear, for the worker that sends (None: none stored)."""
    sealed = await session.scalar(select(ChannelSecret.sealed).where(
        ChannelSecret.channel == channel.value))
    if sealed is None:
        return None
    opened = open_text(secret_key, secret_purpose(channel), sealed)
    if opened is None:
        raise UnreadableSecretError(channel.value)
    return opened


def _channel(value: str) -> Channel:
    if value not in set(Channel):
        raise fail(ErrorCode.INVALID, "未知的通知渠道", "channel")
    return Channel(value)


async def set_secret(ctx: Context, channel: str, secret: str) -> None:
    """Stores (or, with "", removes) a channel's secret, sealed; audited without the value."""
    ctx.require(Permission.notification_manage)
    which = _channel(channel)
    if which not in SECRET_NAMES:
        raise fail(ErrorCode.INVALID, f"{which.label}没有密钥", "channel")
    if len(secret) > SECRET_MAX:
        raise fail(ErrorCode.INVALID, f"密钥不能超过{SECRET_MAX}个字符", "secret")
    existing = await ctx.session.scalar(select(ChannelSecret).where(
        ChannelSecret.channel == which.value).with_for_update())
    if not secret:
        if existing is not None:
            await ctx.session.delete(existing)
    else:
        sealed = seal_text(ctx.settings.secret_key, secret_purpose(which), secret)
        stmt = pg_insert(ChannelSecret).values(id=uuid.uuid4(), channel=which.value,
                                              sealed=sealed)
        await ctx.session.execute(stmt.on_conflict_do_update(
            index_elements=["tenant_id", "channel"], set_={"sealed": sealed}))
    audit.record(ctx, "notification.secret", "notification_channel", which.value,
                 {"set": existing is not None}, {"set": bool(secret)})


async def secrets_set(ctx: Context) -> list[Channel]:
    """The channels whose secret is stored (never the secret)."""
    ctx.require(Permission.notification_manage)
    return [Channel(c) for c in (await ctx.session.scalars(
        select(ChannelSecret.channel).order_by(ChannelSecret.channel))).all()]


async def send_test(ctx: Context, channel: str) -> uuid.UUID:
    """A test message to the caller on one channel (which must be on); returns the delivery."""
    ctx.require(Permission.notification_manage)
    which = _channel(channel)
    if which not in enabled_channels(await notification_config(ctx.session)):
        raise fail(ErrorCode.CHANNEL_OFF,
                   f"{which.label}未启用，请先在单位设置中启用并保存", "channel")
    if ctx.me.account_id is None:
        raise fail(ErrorCode.INVALID, "接口令牌不能接收测试消息")
    [notification] = await notify(
        ctx, NotificationEvent.test_message, account_ids=[ctx.me.account_id],
        channels=[which], link="/admin/notifications", title="测试消息",
        body=f"这是一条来自绩效管理平台的{which.label}测试消息，收到即表示渠道配置正确。")
    delivery = await ctx.session.scalar(select(Delivery.id).where(
        Delivery.notification_id == notification, Delivery.channel == which.value))
    audit.record(ctx, "notification.test", "notification_channel", which.value)
    assert delivery is not None
    return delivery


@dataclass(frozen=True)
class DeliveryLine:
    id: uuid.UUID
    channel: Channel
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    last_attempt_at: datetime | None
    finished_at: datetime | None
    title: str
    event: NotificationEvent
    recipient: str


# Newest first with an ascending key: (10^17 - creation time in microseconds), then the id.
_KEY = func.lpad(cast(10**17 - cast(func.extract("epoch", Delivery.created_at) * 1_000_000,
                                    BigInteger), String), 20, "0") + cast(Delivery.id, String)


# Who raised an objection is the committee's to know only when named (resolvers/appraisal/
# objections.py): the log of the answer's deliveries does not name its recipient.
HIDDEN_RECIPIENTS = {NotificationEvent.objection_answered: "异议提出人（不显示）"}


def _line(row: object) -> DeliveryLine:
    r = row  # a Core row
    event = NotificationEvent(r.event)  # type: ignore[attr-defined]
    recipient: str = HIDDEN_RECIPIENTS.get(event) or r.recipient  # type: ignore[attr-defined]
    return DeliveryLine(r.id, Channel(r.channel), DeliveryStatus(r.status),  # type: ignore[attr-defined]
                        r.attempts, r.last_error, r.created_at,  # type: ignore[attr-defined]
                        r.last_attempt_at, r.finished_at, r.title,  # type: ignore[attr-defined]
                        event, recipient)


async def deliveries(ctx: Context, first: int, after: str | None,
                     status: str | None = None) -> Page[DeliveryLine]:
    """The unit's deliveries, newest first, with their status and last error."""
    ctx.require(Permission.notification_manage)
    check_page_size(first, MAX_PAGE)
    key = _KEY.label("page_key")
    columns: list[Any] = [
        Delivery.id, Delivery.channel, Delivery.status, Delivery.attempts, Delivery.last_error,
        Delivery.created_at, Delivery.last_attempt_at, Delivery.finished_at, Notification.title,
        Notification.event,
        func.coalesce(func.nullif(Account.display_name, ""), Account.username).label("recipient"),
        key]
    stmt: Select[Any] = (select(*columns)
            .join(Notification, Notification.id == Delivery.notification_id)
            .join(Account, Account.id == Notification.account_id))
    if status is not None:
        if status not in set(DeliveryStatus):
            raise fail(ErrorCode.INVALID, "未知的发送状态", "status")
        stmt = stmt.where(Delivery.status == status)
    cursors: dict[uuid.UUID, str] = {}

    def convert(row: object) -> DeliveryLine:
        line = _line(row)
        cursors[line.id] = row.page_key  # type: ignore[attr-defined]
        return line

    return await keyset_rows(ctx.session, stmt, _KEY, convert, lambda d: cursors[d.id],
                             first, after)


async def set_my_email(ctx: Context, email: str) -> str | None:
    """The caller's address for the e-mail channel ("" removes it)."""
    account_id = ctx.me.account_id
    if account_id is None:
        raise fail(ErrorCode.INVALID, "接口令牌没有通知邮箱")
    value = email.strip()
    if value and (len(value) > 254 or not EMAIL.match(value)):
        raise fail(ErrorCode.INVALID, "电子邮箱格式无效", "email")
    account = await ctx.session.get(Account, (ctx.me.tenant_id, account_id))
    if account is None:
        raise not_found("账号")
    before = account.email
    account.email = value or None
    audit.record(ctx, "account.email", "account", account.id, {"email": before},
                 {"email": account.email})
    return account.email
