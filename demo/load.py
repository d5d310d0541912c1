"""Loads the pilot's demo tenants (demo.catalog) through the application role.

Idempotent: a tenant whose code already exists is left as it is. Rows are written under each
tenant's own row-level security, as real provisioning does.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
import uuid
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, event, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from authz.credentials import hash_password
from demo.annual import annual_and_bonus, open_items
from demo.catalog import DEMO_PASSWORD, DemoTenant, DemoUnit, pilot_tenants
from demo.plans import load_demo_plans
from demo.ratings import load_demo_ratings
from demo.year import close_past_quarters, past_year
from models import (
    Account,
    ManagementRelation,
    Notification,
    OrgUnit,
    Period,
    Person,
    Post,
    RoleGrant,
    Tenant,
)
from resolvers.settings import UseCaseSettings
from rules.duties import check_separation
from tenants.db import Scope, make_engine, make_sessionmaker, set_tenant, tenant_transaction
from tenants.provisioning import TenantSpec, provision_tenant
from vocab.org import ManagementKind, TenantKind

# Hooks later capabilities register to add their demo data to a freshly loaded tenant
# (schemes, periods, ...). Each gets the session (tenant already set) and the tenant.
DemoHook = Callable[[AsyncSession, Tenant, DemoTenant], "object"]
EXTRA_LOADERS: list[DemoHook] = []
EXTRA_LOADERS.append(load_demo_plans)  # issue 3: schemes, letters, tasks
EXTRA_LOADERS.append(load_demo_ratings)  # issue 5: rater weights per pilot unit


def _units(tenant_id: uuid.UUID, roots: Iterable[DemoUnit], parent: uuid.UUID | None,
           out: dict[str, OrgUnit]) -> None:
    for order, unit in enumerate(roots):
        row = OrgUnit(tenant_id=tenant_id, id=uuid.uuid4(), code=unit.code, name=unit.name,
                      kind=unit.kind, parent_id=parent, sort_order=order)
        out[unit.code] = row
        _units(tenant_id, unit.children, row.id, out)


async def load_tenant(session: AsyncSession, demo: DemoTenant, password_hash: str) -> Tenant:
    tenant = await provision_tenant(session, TenantSpec(
        code=demo.code, name=demo.name, kind=demo.kind, admin_username="__bootstrap__",
        admin_password=DEMO_PASSWORD), back_to=None, actor="system:demo",
        must_change_password=False)
    tid = tenant.id
    await set_tenant(session, tid)
    root = await session.scalar(select(OrgUnit).where(OrgUnit.code == "root"))
    assert root is not None
    units: dict[str, OrgUnit] = {}
    _units(tid, demo.units, root.id, units)
    posts = {p.code: Post(tenant_id=tid, id=uuid.uuid4(), code=p.code, name=p.name)
             for p in demo.posts}
    people = {p.employee_no: Person(
        tenant_id=tid, id=uuid.uuid4(), employee_no=p.employee_no, name=p.name, gender=p.gender,
        unit_id=units[p.unit_code].id, post_id=posts[p.post_code].id, rank_title=p.rank_title,
        comparison_group=p.comparison_group, appraised=p.appraised) for p in demo.people}
    session.add_all(units.values())
    await session.flush()
    session.add_all(posts.values())
    await session.flush()
    session.add_all(people.values())
    await session.flush()
    relations = []
    if demo.principal_leader:
        relations.append(ManagementRelation(tenant_id=tid, manager_id=people[
            demo.principal_leader].id, kind=ManagementKind.principal_leader))
    for number, codes in demo.supervising_leaders:
        relations += [ManagementRelation(tenant_id=tid, manager_id=people[number].id,
                                         kind=ManagementKind.supervising_leader,
                                         unit_id=units[c].id) for c in codes]
    for number, code in demo.department_heads:
        relations.append(ManagementRelation(tenant_id=tid, manager_id=people[number].id,
                                            kind=ManagementKind.department_head,
                                            unit_id=units[code].id))
    session.add_all(relations)
    bootstrap = await session.scalar(select(Account).where(Account.username == "__bootstrap__"))
    if bootstrap is not None:
        await session.delete(bootstrap)
    await session.flush()
    for demo_account in demo.accounts:
        check_separation(demo_account.roles)  # 三员分立 holds for demo and test accounts too
    accounts = [Account(tenant_id=tid, id=uuid.uuid4(), username=a.username,
                        display_name=people[a.employee_no].name if a.employee_no else a.username,
                        password_hash=password_hash,
                        person_id=people[a.employee_no].id if a.employee_no else None)
                for a in (*demo.accounts, *demo.person_accounts)]
    session.add_all(accounts)
    await session.flush()
    session.add_all([RoleGrant(tenant_id=tid, account_id=account.id, role=r)
                     for account, a in zip(accounts, (*demo.accounts, *demo.person_accounts),
                                           strict=True) for r in a.roles])
    await session.flush()
    for hook in EXTRA_LOADERS:
        result = hook(session, tenant, demo)
        if hasattr(result, "__await__"):
            await result
    return tenant


async def load_demo(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    """Loads every missing pilot tenant, one transaction each; returns the codes loaded."""
    loaded = []
    password_hash = hash_password(DEMO_PASSWORD)
    for demo in pilot_tenants():
        async with tenant_transaction(sessionmaker, None, Scope.platform) as session:
            if await session.scalar(select(Tenant.id).where(Tenant.code == demo.code)):
                continue
            await load_tenant(session, demo, password_hash)
            loaded.append(demo.code)
    return loaded


@dataclass(frozen=True)
class YearLoaded:
    """One unit's year, loaded: the wall seconds and SQL statements it took."""

    code: str
    seconds: float
    statements: int


class DemoYearError(RuntimeError):
    """Some units' years failed to load (each rolled back whole; the others are kept)."""


def year_units(only: Collection[str] | None = None) -> list[DemoTenant]:
    """The appraised pilot tenants (or those in ``only``), largest first: in parallel, the
    largest starts first so the others fill the second process meanwhile."""
    units = [demo for demo in pilot_tenants()
             if demo.kind != TenantKind.organization_department
             and (only is None or demo.code in only)]
    return sorted(units, key=lambda demo: -len(demo.people))


async def load_unit_year(sessionmaker: async_sessionmaker[AsyncSession],
                         settings: UseCaseSettings, today: date,
                         demo: DemoTenant) -> YearLoaded | None:
    """The demo's year (demo.year) for one unit, in one transaction (all or nothing); None
    when the tenant is missing or already has a period (idempotent)."""
    async with tenant_transaction(sessionmaker, None, Scope.platform) as session:
        tenant_id = await session.scalar(select(Tenant.id).where(Tenant.code == demo.code))
    if tenant_id is None:
        return None
    start, count = time.perf_counter(), [0]

    def counted(*args: object) -> None:
        count[0] += 1

    event.listen(Engine, "before_cursor_execute", counted)
    try:
        async with tenant_transaction(sessionmaker, tenant_id) as session:
            if await session.scalar(select(Period.id).limit(1)) is not None:
                return None
            tenant = await session.get(Tenant, tenant_id)
            assert tenant is not None
            run = await close_past_quarters(session, settings, tenant, demo, today)
            await annual_and_bonus(run, past_year(today))
            # The past year's notices were read long ago: the bell shows the current quarter's.
            await session.execute(update(Notification).values(read_at=Notification.created_at))
            await open_items(run, today)
    finally:
        event.remove(Engine, "before_cursor_execute", counted)
    return YearLoaded(demo.code, time.perf_counter() - start, count[0])


def _unit_year_in_process(database_url: str, settings: UseCaseSettings, today: date,
                          code: str) -> YearLoaded | None:
    """A worker process's job: one unit's year on its own engine."""
    [demo] = [t for t in pilot_tenants() if t.code == code]

    async def run() -> YearLoaded | None:
        engine = make_engine(database_url, pooled=False)
        try:
            return await load_unit_year(make_sessionmaker(engine), settings, today, demo)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def load_demo_years(database_url: str, settings: UseCaseSettings, today: date,
                    only: Collection[str] | None = None,
                    processes: int | None = None) -> list[YearLoaded]:
    """The demo's year for every appraised pilot tenant (or those in ``only``) that has no
    period yet, each unit in its own transaction, units side by side in ``processes`` worker
    processes (default: one per core, at most two). A unit that fails is rolled back whole
    and the others are kept; then ``DemoYearError`` names the failures (a re-run loads only
    what is missing). Returns the units loaded, as they finished."""
    units = [demo.code for demo in year_units(only)]
    workers = min(processes or min(2, os.cpu_count() or 1), len(units))
    done: list[YearLoaded] = []
    failed: list[str] = []
    first: Exception | None = None
    if workers <= 1:  # in this process (one unit, or asked for: profiling)
        for code in units:
            try:
                loaded = _unit_year_in_process(database_url, settings, today, code)
            except Exception as exc:  # every unit's failure is reported
                failed.append(f"{code}: {exc!r}")
                first = first or exc
                continue
            if loaded is not None:
                done.append(loaded)
    else:
        # spawn: a fresh interpreter per worker, sharing no connection or loop with this one
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {pool.submit(_unit_year_in_process, database_url, settings, today,
                                   code): code for code in units}
            for future in as_completed(futures):
                try:
                    loaded = future.result()
                except Exception as exc:  # every unit's failure is reported
                    failed.append(f"{futures[future]}: {exc!r}")
                    first = first or exc
                    continue
                if loaded is not None:
                    done.append(loaded)
    if failed:
        raise DemoYearError("演示年度数据载入失败（这些单位已整体回滚，可重新运行）：\n"
                            + "\n".join(failed)) from first
    return done


def login_table() -> list[tuple[str, str, str, str]]:
    """(unit name, unit code, username, roles) for every demo account."""
    rows = []
    for demo in pilot_tenants():
        for account in demo.accounts:
            rows.append((demo.name, demo.code, account.username, "、".join(account.roles)))
    return rows
