"""Loads the pilot's demo tenants (demo.catalog) through the application role.

Idempotent: a tenant whose code already exists is left as it is. Rows are written under each
tenant's own row-level security, as real provisioning does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from authz.credentials import hash_password
from demo.annual import annual_and_bonus, open_items
from demo.catalog import DEMO_PASSWORD, DemoTenant, DemoUnit, pilot_tenants
from demo.plans import load_demo_plans
from demo.ratings import load_demo_ratings
from demo.year import close_past_quarters, past_year
from models import Account, ManagementRelation, OrgUnit, Period, Person, Post, RoleGrant, Tenant
from resolvers.settings import UseCaseSettings
from rules.duties import check_separation
from tenants.db import Scope, set_tenant, tenant_transaction
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


async def load_demo_years(sessionmaker: async_sessionmaker[AsyncSession],
                          settings: UseCaseSettings, today: date,
                          only: Collection[str] | None = None) -> list[str]:
    """The demo's year (demo.year) for every appraised pilot tenant (or those in ``only``)
    that has no period yet, one transaction each; returns the codes loaded."""
    async with tenant_transaction(sessionmaker, None, Scope.platform) as session:
        ids = dict((await session.execute(select(Tenant.code, Tenant.id))).all())
    loaded = []
    for demo in pilot_tenants():
        if (demo.kind == TenantKind.organization_department or demo.code not in ids
                or (only is not None and demo.code not in only)):
            continue
        async with tenant_transaction(sessionmaker, ids[demo.code]) as session:
            if await session.scalar(select(Period.id).limit(1)) is not None:
                continue
            tenant = await session.get(Tenant, ids[demo.code])
            assert tenant is not None
            run = await close_past_quarters(session, settings, tenant, demo, today)
            await annual_and_bonus(run, past_year(today))
            await open_items(run, today)
            loaded.append(demo.code)
    return loaded


def login_table() -> list[tuple[str, str, str, str]]:
    """(unit name, unit code, username, roles) for every demo account."""
    rows = []
    for demo in pilot_tenants():
        for account in demo.accounts:
            rows.append((demo.name, demo.code, account.username, "、".join(account.roles)))
    return rows
