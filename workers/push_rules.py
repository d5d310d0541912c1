"""The periodic pass of the rules on pushed data (resolvers/execution/push_rules.py).

An overdue supervision item crosses a rule's "N days not rectified" while nobody pushes
anything, so every worker's sweeper thread (workers/sweeper.py) runs this pass once an hour
(``PASS_CHECK_SECONDS``), and the ``push_rules_pass`` actor runs it on demand. A database-wide
advisory lock keeps two workers from passing together; even without it nothing is proposed
twice (the proposals' unique key per rule and source item). Proposals are audited as made by
"system".
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import date, datetime

import dramatiq
from sqlalchemy import Boolean, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Tenant
from resolvers.execution.push_rules import evaluate_overdue
from resolvers.plans.schemes import CHINA
from tenants.db import Scope, make_engine, make_sessionmaker, tenant_transaction
from workers.settings import WorkerSettings

log = logging.getLogger("jixiao.workers.push_rules")

PASS_LOCK = "jixiao:push-rules-pass"
PASS_CHECK_SECONDS = 3600.0
ACTOR_NAME = "push_rules_pass"


def local_today(now: datetime) -> date:
    """The day people live in (Beijing time): what "N days overdue" counts in."""
    return now.astimezone(CHINA).date()


async def run_pass(sessionmaker: async_sessionmaker[AsyncSession], as_of: date
                   ) -> dict[uuid.UUID, int] | None:
    """Evaluates every tenant's active overdue rules as of ``as_of``; returns the proposals
    made per tenant (tenants with none left out), or None when another worker is passing."""
    async with tenant_transaction(sessionmaker, None, Scope.platform) as outer:
        if not await outer.scalar(select(func.pg_try_advisory_xact_lock(
                func.hashtextextended(PASS_LOCK, 0), type_=Boolean))):
            return None
        tenants = (await outer.scalars(select(Tenant.id))).all()
        made: dict[uuid.UUID, int] = {}
        for tenant_id in tenants:
            async with tenant_transaction(sessionmaker, tenant_id) as session:
                count = len(await evaluate_overdue(session, tenant_id, as_of, "system"))
            if count:
                made[tenant_id] = count
                log.info("push rules proposed %s records in tenant %s", count, tenant_id)
        return made


async def _pass_now(settings: WorkerSettings) -> None:
    engine = make_engine(settings.database_url, pooled=False)
    try:
        await run_pass(make_sessionmaker(engine), local_today(datetime.now(CHINA)))
    finally:
        await engine.dispose()


def declare_pass_actor(broker: dramatiq.Broker, settings: WorkerSettings
                       ) -> dramatiq.Actor[[], None]:
    """The on-demand pass, on ``broker`` (the sweeper runs the same pass every hour)."""
    def run() -> None:
        asyncio.run(_pass_now(settings))

    declare = dramatiq.actor(queue_name="default", actor_name=ACTOR_NAME, max_retries=3,
                             broker=broker)
    return declare(run)
