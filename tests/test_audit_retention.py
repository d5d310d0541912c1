"""Audit records are kept at least 180 days, then purged once a day; the log stays append-only."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from jixiao.settings import Settings
from models import AuditEntry
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.conftest import Api
from workers import liveness
from workers.audit_purge import purge_audit_logs

SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s) { settings "
            "userErrors { code message } } }")
AGES = {"d400": 400, "d181": 181, "d179": 179, "d10": 10}


async def _tenant_id(settings: Settings, code: str) -> uuid.UUID:
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with make_sessionmaker(engine)() as probe:
            found = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                         {"c": code})).scalar_one()
            assert isinstance(found, uuid.UUID)
            return found
    finally:
        await engine.dispose()


async def _scenario(settings: Settings, tid: uuid.UUID) -> dict[str, Any]:
    engine = make_engine(settings.database_url, pooled=False)
    sessions = make_sessionmaker(engine)
    now = datetime.now(UTC)
    out: dict[str, Any] = {}
    try:
        async with tenant_transaction(sessions, tid) as s:
            s.add_all([AuditEntry(tenant_id=tid, actor="system", action=f"test.{name}",
                                  entity="test", entity_id=name, at=now - timedelta(days=age))
                       for name, age in AGES.items()])
        first = await purge_audit_logs(sessions, now)
        again = await purge_audit_logs(sessions, now + timedelta(hours=1))
        out["removed"], out["again"] = first.get(tid), tid in again
        async with tenant_transaction(sessions, tid) as s:
            out["left"] = set((await s.scalars(select(AuditEntry.entity_id).where(
                AuditEntry.entity == "test"))).all())
            out["purges"] = (await s.scalars(select(AuditEntry.after).where(
                AuditEntry.action == "audit.purge"))).all()
        # The app role cannot delete, update or purge younger than 180 days by itself.
        for statement in (delete(AuditEntry), update(AuditEntry).values(reason="x"),
                          select(func.purge_audit_log(179))):
            with pytest.raises(DBAPIError) as refused:
                async with tenant_transaction(sessions, tid) as s:
                    await s.execute(statement)
            out.setdefault("refusals", []).append(str(refused.value.orig))
    finally:
        await engine.dispose()
    return out


def test_purge_keeps_180_days_once_a_day_and_nothing_else_deletes(
        settings: Settings, make_tenant: Any) -> None:
    code = make_tenant()
    tid = asyncio.run(_tenant_id(settings, code))
    out = asyncio.run(_scenario(settings, tid))
    assert out["removed"] == 2
    assert out["left"] == {"d179", "d10"}
    assert out["again"] is False  # at most once a day
    (purge,) = out["purges"]
    assert purge["retentionDays"] == 180
    assert purge["removed"] == 2
    delete_refused, update_refused, short_refused = out["refusals"]
    assert "permission denied" in delete_refused
    assert "permission denied" in update_refused
    assert "不得少于180天" in short_refused


def test_the_retention_setting_refuses_less_than_180_days(api: Api, make_tenant: Any) -> None:
    code = make_tenant()
    short = api.as_(code, "xitong", SETTINGS, {"s": {"admin_security": {
        "audit_retention_days": 179}}})["data"]["updateTenantSettings"]
    (error,) = short["userErrors"]
    assert error["code"] == "INVALID"
    assert "不得少于180天" in error["message"]
    longer = api.as_(code, "xitong", SETTINGS, {"s": {"admin_security": {
        "audit_retention_days": 365}}})["data"]["updateTenantSettings"]
    assert longer["userErrors"] == []
    assert longer["settings"]["admin_security"] == {"audit_retention_days": 365,
                                                    "totp_for_admins": False}
    # the audit administrator changes no setting
    refused = api.as_(code, "shenji", SETTINGS, {"s": {"admin_security": {
        "audit_retention_days": 400}}})["data"]["updateTenantSettings"]
    assert refused["userErrors"][0]["code"] == "FORBIDDEN"


async def _purges(settings: Settings, tid: uuid.UUID) -> int:
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with tenant_transaction(make_sessionmaker(engine), tid) as s:
            return int(await s.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "audit.purge")) or 0)
    finally:
        await engine.dispose()


def test_the_workers_sweeper_thread_runs_the_purge(settings: Settings, make_tenant: Any) -> None:
    import dataclasses
    import time

    from workers.sweeper import JobSweeper

    tid = asyncio.run(_tenant_id(settings, make_tenant()))
    assert asyncio.run(_purges(settings, tid)) == 0
    sweeper = JobSweeper(dataclasses.replace(settings.worker(), job_sweep_interval_seconds=0.2))
    booted = time.time() - 1
    sweeper.after_worker_boot(None, None)  # type: ignore[arg-type]
    try:
        deadline = time.monotonic() + 60
        while asyncio.run(_purges(settings, tid)) == 0:
            assert time.monotonic() < deadline, "the sweeper thread never purged"
            time.sleep(0.2)
    finally:
        sweeper.before_worker_shutdown(None, None)  # type: ignore[arg-type]
    assert asyncio.run(_purges(settings, tid)) == 1
    # and it beat the liveness file the worker's probe checks (workers/liveness.py)
    assert (liveness.BEATS / str(os.getpid())).stat().st_mtime >= booted
