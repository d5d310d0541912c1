"""Results of a period for a synthetic tenant, and waiting for jobs (tests of issue 6)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text

from jixiao.settings import Settings
from models import OrgUnit, Period, Person, PersonResult, UnitResult
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.conftest import Api

JOB = """query($id:ID!){ job(id:$id) { id kind status statusLabel progress error attempts
  resultId files { format filename size pages url } } }"""


async def _seed(settings: Settings, code: str, kind: str, year: int, quarter: int | None,
                grades: Mapping[str, str | None], levels: Mapping[str, str]) -> uuid.UUID:
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with make_sessionmaker(engine)() as probe:
            tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                       {"c": code})).scalar_one()
        async with tenant_transaction(make_sessionmaker(engine), tid) as s:
            name = f"{year}年度" if kind == "year" else f"{year}年第{quarter}季度"
            period = Period(tenant_id=tid, id=uuid.uuid4(), kind=kind, year=year,
                            quarter=quarter, name=name, state="reviewing")
            s.add(period)
            await s.flush()
            units = {u.code: u.id for u in (await s.scalars(select(OrgUnit))).all()}
            people = {p.employee_no: p for p in (await s.scalars(select(Person))).all()}
            graded = [no for no in sorted(grades) if grades[no] is not None]
            for rank, no in enumerate(graded, start=1):
                person = people[no]
                s.add(PersonResult(tenant_id=tid, id=uuid.uuid4(), period_id=period.id,
                                   person_id=person.id, unit_id=person.unit_id,
                                   comparison_group=person.comparison_group,
                                   score=Decimal(100 - rank) + Decimal("0.25"), rank=rank,
                                   grade=grades[no]))
            for unit_code, level in levels.items():
                s.add(UnitResult(tenant_id=tid, id=uuid.uuid4(), period_id=period.id,
                                 unit_id=units[unit_code], level=level))
            return period.id
    finally:
        await engine.dispose()


def seed_results(settings: Settings, code: str, grades: Mapping[str, str | None],
                 levels: Mapping[str, str] | None = None, *, kind: str = "year",
                 year: int = 2025, quarter: int | None = None) -> str:
    """A period with a PersonResult per graded employee number (ranked in key order) and a
    UnitResult per unit code; returns the period id."""
    return str(asyncio.run(_seed(settings, code, kind, year, quarter, grades, levels or {})))


def people_ids(api: Api, code: str) -> dict[str, dict[str, Any]]:
    body = api.as_(code, "admin", "{ people(first: 200) { edges { node { id employeeNo name "
                   "unitId unit { code } } } } }")
    return {e["node"]["employeeNo"]: e["node"] for e in body["data"]["people"]["edges"]}


def wait_job(api: Api, code: str, user: str, job_id: str, timeout: float = 90) -> dict[str, Any]:
    """Polls ``job(id)`` until it is done or failed (bounded: fails the test after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = api.as_(code, user, JOB, {"id": job_id})["data"]["job"]
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"job did not finish: {job}"
        time.sleep(0.1)
