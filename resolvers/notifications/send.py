"""The one way to tell people something: ``notify`` writes each account's inbox row and, for
every channel the tenant turned on, a pending delivery; the deliveries' messages go to the
workers once the transaction commits (``ctx.defer``). The delivery row is the outbox: a message
lost on the way is sent again by the reminder pass's resend of old pending deliveries
(``resolvers.notifications.reminders.resend_stuck``).

Callers give the event (``vocab.notifications.NotificationEvent``), the recipients as account
ids or person ids (a person's enabled accounts), and the Chinese title, body and portal link.
Works with or without a logged-in caller (the reminder pass and the workers have none): the
tenant is the transaction's.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import UUID, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, Delivery, Notification, Tenant
from resolvers.context import Context
from resolvers.jobs import enqueue
from tenants.config import load_config
from tenants.notify_config import NotificationConfig
from vocab.notifications import Channel, DeliveryStatus, NotificationEvent

log = logging.getLogger("jixiao.notifications")

# Dramatiq (queue, actor name) of the delivery actor (workers/notifications.py).
DELIVERY_QUEUE, DELIVERY_ACTOR = "notifications", "deliver_notification"
TITLE_MAX, BODY_MAX, LINK_MAX = 200, 2000, 300


async def notification_config(session: AsyncSession) -> NotificationConfig:
    """The channels of the transaction's tenant."""
    settings = await session.scalar(select(Tenant.settings).where(
        Tenant.id == func.cast(func.nullif(func.current_setting("app.tenant_id", True), ""),
                               UUID)))
    return load_config(settings).notifications


def enabled_channels(config: NotificationConfig) -> list[Channel]:
    return [c for c in Channel if getattr(config, c.value).enabled]


async def accounts_of_people(session: AsyncSession, person_ids: Iterable[uuid.UUID]
                             ) -> list[uuid.UUID]:
    """The enabled accounts of these people (a person may have none, or several)."""
    return [a for a, _ in await person_accounts(session, person_ids)]


async def person_accounts(session: AsyncSession, person_ids: Iterable[uuid.UUID]
                           ) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(account, person) of these people's enabled accounts, each person's first account
    first: the one with an e-mail address, then by id."""
    ids = list(set(person_ids))
    if not ids:
        return []
    rows = (await session.execute(select(Account.id, Account.person_id).where(
        Account.person_id.in_(ids), Account.disabled.is_(False)).order_by(
        Account.person_id, Account.email.is_(None), Account.id))).all()
    return [(a, p) for a, p in rows if p is not None]


async def notify(ctx: Context, event: NotificationEvent, *, title: str, body: str,
                 link: str = "", account_ids: Iterable[uuid.UUID] = (),
                 person_ids: Iterable[uuid.UUID] = (),
                 channels: Sequence[Channel] | None = None) -> list[uuid.UUID]:
    """Writes one inbox row per recipient account and its pending deliveries to the tenant's
    channels (``channels``: only these, if on); returns the notifications' ids. Never commits.

    A person with several accounts (a staff member who is also the office's account) gets the
    message in each inbox but once on the channels (by their first account)."""
    pairs = await person_accounts(ctx.session, person_ids)
    firsts: dict[uuid.UUID, uuid.UUID] = {}
    for account, person in pairs:
        firsts.setdefault(person, account)
    recipients = sorted(set(account_ids) | {a for a, _ in pairs})
    if not recipients:
        return []
    delivered = set(account_ids) | set(firsts.values())
    config = await notification_config(ctx.session)
    now = ctx.now()
    wanted = [c for c in enabled_channels(config) if channels is None or c in channels]
    rows = (await ctx.session.execute(
        insert(Notification).returning(Notification.id, Notification.account_id),
        [{"id": uuid.uuid4(), "account_id": account, "event": event.value,
          "title": title[:TITLE_MAX], "body": body[:BODY_MAX], "link": link[:LINK_MAX],
          "created_at": now}  # the use case's clock, as every other row it writes
         for account in recipients])).all()
    ids = [n for n, _ in rows]
    if wanted:
        deliveries = list((await ctx.session.scalars(insert(Delivery).returning(Delivery.id),
            [{"id": uuid.uuid4(), "notification_id": n, "channel": c.value,
              "status": DeliveryStatus.pending.value}
             for n, account in rows if account in delivered for c in wanted])).all())
        tenant_id = await current_tenant(ctx.session)
        url = ctx.settings.redis_url
        ctx.defer(lambda: send_deliveries(url, tenant_id, deliveries))
    return ids


async def current_tenant(session: AsyncSession) -> uuid.UUID:
    value = await session.scalar(select(func.cast(
        func.nullif(func.current_setting("app.tenant_id", True), ""), UUID)))
    if not isinstance(value, uuid.UUID):
        raise RuntimeError("notify needs a tenant transaction")
    return value


def send_deliveries(redis_url: str, tenant_id: uuid.UUID,
                    delivery_ids: Sequence[uuid.UUID]) -> None:
    """After commit: one message per delivery. A failed send is logged; the delivery stays
    pending and the resend pass sends it later."""
    for delivery_id in delivery_ids:
        try:
            enqueue(redis_url, DELIVERY_QUEUE, DELIVERY_ACTOR, tenant_id, delivery_id)
        except Exception:
            log.exception("could not enqueue delivery %s of tenant %s", delivery_id, tenant_id)
            return
