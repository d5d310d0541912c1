"""Deadline reminders (issue 17, part 1): a periodic pass (workers/scheduler.py, APScheduler in
every worker process) tells whoever still has to act that a stage's deadline approaches, by
default 3 days and 1 day before (``notifications.reminder_days_before``).

Exactly once, however many workers run the pass at the same moment: each reminder is first
claimed in ``reminder_ledger`` (account, period, stage, deadline, days before) by
``INSERT ... ON CONFLICT DO NOTHING RETURNING``; only the rows this pass inserted are notified,
in the same transaction. A concurrent pass waits on the other's uncommitted key and then finds
it taken. A pass that reaches a deadline late (a stage opened 12 hours before it) sends only
the nearest reminder, not every one it missed.

The same pass sends again the deliveries whose message never reached the workers (Redis was
down after the commit): the delivery row is the outbox.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Delivery, Period, ReminderSent, Tenant
from resolvers.appraisal.periods import deadline
from resolvers.context import Context
from resolvers.notifications.events import REMINDED_STAGES, STAGE_LINKS, stage_recipients
from resolvers.notifications.send import (
    notification_config,
    notify,
    person_accounts,
    send_deliveries,
)
from resolvers.settings import UseCaseSettings
from tenants.db import Scope, tenant_transaction
from vocab.notifications import DeliveryStatus, NotificationEvent
from vocab.periods import PERIOD_STATE_LABELS, PeriodState

log = logging.getLogger("jixiao.notifications.reminders")

# A delivery still pending and never tried this long after it was written lost its message.
RESEND_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class PassResult:
    reminders: int = 0
    resent: int = 0


def due_offset(now: datetime, closes: datetime, days_before: list[int]) -> int | None:
    """The nearest reminder due at ``now`` for a deadline, or None (none due, or past it)."""
    if now >= closes:
        return None
    due = [d for d in days_before if now >= closes - timedelta(days=d)]
    return min(due) if due else None


async def remind_tenant(ctx: Context, now: datetime) -> int:
    """One tenant's reminders due now (in the caller's transaction); returns how many."""
    config = await notification_config(ctx.session)
    if not config.reminder_days_before:
        return 0
    sent = 0
    periods = (await ctx.session.scalars(select(Period).where(
        Period.state.in_([s.value for s in REMINDED_STAGES])))).all()
    for period in periods:
        stage = PeriodState(period.state)
        closes = deadline(period, stage)
        if closes is None:
            continue
        days = due_offset(now, closes, list(config.reminder_days_before))
        if days is None:
            continue
        people = [r.person_id for r in
                  await stage_recipients(ctx, period, stage, only_unfinished=True)]
        # Claimed per person, by their first account (a person with two accounts is reminded
        # once; both inboxes get it).
        firsts: dict[uuid.UUID, uuid.UUID] = {}
        for account, person in await person_accounts(ctx.session, people):
            firsts.setdefault(person, account)
        accounts = sorted(firsts.values())
        if not accounts:
            continue
        claimed = list((await ctx.session.scalars(
            pg_insert(ReminderSent).values([
                {"id": uuid.uuid4(), "account_id": a, "period_id": period.id,
                 "stage": stage.value, "deadline": closes, "days_before": days}
                for a in accounts])
            .on_conflict_do_nothing(constraint="uq_reminder_ledger_once")
            .returning(ReminderSent.account_id))).all())
        if not claimed:
            continue
        label = PERIOD_STATE_LABELS[stage]
        person_of = {a: p for p, a in firsts.items()}
        await notify(ctx, NotificationEvent.deadline_approaching,
                     person_ids=[person_of[a] for a in claimed],
                     link=STAGE_LINKS[stage],
                     title=f"{period.name}{label}将于{days}天后截止",
                     body=f"{period.name}{label}将于{closes:%Y-%m-%d %H:%M}截止"
                          f"（还有{days}天），请及时完成。")
        sent += len(claimed)
    return sent


async def resend_stuck(ctx: Context, tenant_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
    """Deliveries pending and never tried since long: their message is sent again."""
    stuck = list((await ctx.session.scalars(select(Delivery.id).where(
        Delivery.status == DeliveryStatus.pending, Delivery.attempts == 0,
        Delivery.created_at < now - RESEND_AFTER).with_for_update(skip_locked=True))).all())
    if stuck:
        url = ctx.settings.redis_url
        ctx.defer(lambda: send_deliveries(url, tenant_id, stuck))
    return stuck


async def reminder_pass(sessionmaker: async_sessionmaker[AsyncSession],
                        settings: UseCaseSettings, now: datetime) -> PassResult:
    """Every tenant's reminders and lost deliveries, one transaction per tenant."""
    async with tenant_transaction(sessionmaker, None, Scope.platform) as outer:
        tenants = (await outer.scalars(select(Tenant.id))).all()
    total = PassResult()
    for tenant_id in tenants:
        after_commit: list[Callable[[], None]] = []
        try:
            async with tenant_transaction(sessionmaker, tenant_id) as session:
                ctx = Context(session=session, settings=settings, now=lambda: now,
                              after_commit=after_commit)
                sent = await remind_tenant(ctx, now)
                resent = await resend_stuck(ctx, tenant_id, now)
        except Exception:  # one tenant's problem does not stop the others
            log.exception("reminder pass failed for tenant %s", tenant_id)
            continue
        for job in after_commit:
            job()
        total = PassResult(total.reminders + sent, total.resent + len(resent))
    return total
