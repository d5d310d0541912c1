"""Delivering one notification on one channel (issue 17, part 1): the actor
``deliver_notification(tenant_id, delivery_id)``.

The delivery row is locked (``FOR UPDATE SKIP LOCKED``: a duplicate message leaves) while the
message is sent, and the attempt is recorded in the same transaction: ``attempts``, the time,
and on failure the reason in Chinese. A delivery already sent or failed is left alone. A
failure that may pass (a server down, HTTP 500) is raised after the record commits, so
Dramatiq's Retries middleware sends the message again with backoff (``notify_max_retries``,
``notify_min_backoff_ms``..``notify_max_backoff_ms``); the last allowed attempt marks the
delivery ``failed`` instead. A failure that cannot pass (no e-mail address) fails at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import dramatiq
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, Delivery, Notification
from resolvers.notifications.channels import UnreadableSecretError, channel_secret
from resolvers.notifications.send import DELIVERY_ACTOR, DELIVERY_QUEUE, notification_config
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tenants.notify_config import NotificationConfig
from vocab.notifications import Channel, DeliveryStatus
from workers.channels import ChannelError, dingtalk_signed, post_robot, send_email
from workers.settings import WorkerSettings

log = logging.getLogger("jixiao.workers.notifications")

PORTAL_HINT = "请登录绩效管理平台查看"


class DeliveryFailedError(Exception):
    """Raised for Dramatiq's Retries middleware: the attempt failed and may succeed later."""


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "failed", "retry", "skipped", "busy"
    reason: str | None = None


async def _secret(session: AsyncSession, settings: WorkerSettings,
                  channel: Channel) -> str | None:
    try:
        return await channel_secret(session, settings.use_cases.secret_key, channel)
    except UnreadableSecretError as exc:
        raise ChannelError(f"{channel.label}的密钥无法解密（服务器密钥已更换），请重新设置",
                           permanent=True) from exc


async def _send(session: AsyncSession, settings: WorkerSettings, config: NotificationConfig,
                channel: Channel, notification: Notification, account: Account) -> None:
    if not getattr(config, channel.value).enabled:
        raise ChannelError(f"{channel.label}渠道已停用", permanent=True)
    secret = await _secret(session, settings, channel)
    text = notification.body + (f"\n{PORTAL_HINT}：{notification.link}"
                                if notification.link else "")
    if channel == Channel.email:
        if not account.email:
            raise ChannelError(f"账号 {account.username} 未设置电子邮箱", permanent=True)
        to = account.email
        await asyncio.to_thread(send_email, config.email, secret, to, notification.title, text)
        return
    name = account.display_name or account.username
    content = f"【{notification.title}】{name}：{text}"
    url = config.wecom.url if channel == Channel.wecom else config.dingtalk.url
    if channel == Channel.dingtalk and secret:
        url = dingtalk_signed(url, secret, int(time.time() * 1000))
    await asyncio.to_thread(post_robot, url, content)


async def deliver(settings: WorkerSettings, tenant_id: uuid.UUID,
                  delivery_id: uuid.UUID) -> Outcome:
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with tenant_transaction(make_sessionmaker(engine), tenant_id) as session:
            delivery = await session.scalar(select(Delivery).where(
                Delivery.id == delivery_id).with_for_update(skip_locked=True))
            if delivery is None:
                return Outcome("busy")
            if delivery.status != DeliveryStatus.pending:
                return Outcome("skipped")
            notification = await session.get(Notification, (tenant_id,
                                                            delivery.notification_id))
            account = (await session.get(Account, (tenant_id, notification.account_id))
                       if notification is not None else None)
            channel = Channel(delivery.channel)
            delivery.attempts += 1
            delivery.last_attempt_at = _now()
            try:
                if notification is None or account is None:
                    raise ChannelError("通知已删除", permanent=True)
                config = await notification_config(session)
                await _send(session, settings, config, channel, notification, account)
            except ChannelError as exc:
                delivery.last_error = exc.reason[:2000]
                if exc.permanent or delivery.attempts > settings.notify_max_retries:
                    delivery.status, delivery.finished_at = DeliveryStatus.failed.value, _now()
                    outcome = Outcome("failed", exc.reason)
                else:
                    outcome = Outcome("retry", exc.reason)
            else:
                delivery.status, delivery.finished_at = DeliveryStatus.sent.value, _now()
                delivery.last_error = None
                outcome = Outcome("sent")
        return outcome
    finally:
        await engine.dispose()


def _now() -> datetime:
    return datetime.now(UTC)


def declare_delivery_actor(broker: dramatiq.Broker, settings: WorkerSettings
                           ) -> dramatiq.Actor[[str, str], None]:
    def deliver_notification(tenant_id: str, delivery_id: str) -> None:
        outcome = asyncio.run(deliver(settings, uuid.UUID(tenant_id), uuid.UUID(delivery_id)))
        if outcome.status == "retry":
            log.info("delivery %s failed, will retry: %s", delivery_id, outcome.reason)
            raise DeliveryFailedError(outcome.reason)
        if outcome.status == "failed":
            log.warning("delivery %s failed for good: %s", delivery_id, outcome.reason)

    declare = dramatiq.actor(queue_name=DELIVERY_QUEUE, actor_name=DELIVERY_ACTOR,
                             max_retries=settings.notify_max_retries,
                             min_backoff=settings.notify_min_backoff_ms,
                             max_backoff=settings.notify_max_backoff_ms,
                             time_limit=120_000, broker=broker)
    return declare(deliver_notification)
