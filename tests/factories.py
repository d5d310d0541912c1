"""Synthetic tenants for tests: a leadership unit, two departments with a sub-unit, accounts."""

from __future__ import annotations

from jixiao.settings import Settings
from tenants.db import Scope, make_engine, make_sessionmaker, tenant_transaction
from tenants.demo import load_tenant
from tenants.demo_catalog import (
    DEMO_PASSWORD,
    DemoAccount,
    DemoPerson,
    DemoPost,
    DemoTenant,
    DemoUnit,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def synthetic(code: str, people: int, kind: str = "county_bureau") -> DemoTenant:
    """Units: ldbz (leadership), d1 (with sub-unit d1a), d2. Fixed people first:

    P001 principal leader, P002 supervising leader of d1, P003 supervising leader of d2,
    P004 head of d1, P005 head of d2, P006/P007 staff of d1, P008 staff of d2,
    P009 staff of d1a; the rest spread over d1, d2 and d1a.
    """
    units = (
        DemoUnit("ldbz", "领导班子", "leadership"),
        DemoUnit("d1", "第一科", "department", (DemoUnit("d1a", "第一科一组", "subunit"),)),
        DemoUnit("d2", "第二科", "department"),
    )
    posts = (DemoPost("ld", "领导"), DemoPost("kz", "科长"), DemoPost("ky", "科员"))
    fixed = [("ldbz", "ld", "leader"), ("ldbz", "ld", "leader"), ("ldbz", "ld", "leader"),
             ("d1", "kz", "leader"), ("d2", "kz", "leader"), ("d1", "ky", "staff"),
             ("d1", "ky", "staff"), ("d2", "ky", "staff"), ("d1a", "ky", "staff")]
    spread = ("d1", "d2", "d1a")
    persons = []
    for i in range(max(people, len(fixed))):
        unit, post, group = fixed[i] if i < len(fixed) else (spread[i % 3], "ky", "staff")
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + str(i)
        persons.append(DemoPerson(f"P{i + 1:03d}", name, "男" if i % 2 else "女", unit, post,
                                  "一级主任科员", group))
    accounts = (
        DemoAccount("admin", ("tenant_admin",), None),
        DemoAccount("leader", ("principal_leader",), "P001"),
        DemoAccount("fenguan", ("supervising_leader",), "P002"),
        DemoAccount("fenguan2", ("supervising_leader",), "P003"),
        DemoAccount("kezhang", ("department_head",), "P004"),
        DemoAccount("kezhang2", ("department_head",), "P005"),
        DemoAccount("ganbu", ("staff",), "P006"),
        DemoAccount("ganbu2", ("staff",), "P007"),
        DemoAccount("ganbu3", ("staff",), "P008"),
        DemoAccount("bangong", ("office",), "P008"),
        DemoAccount("waibu", ("external_rater",), None),
    )
    return DemoTenant(code=code, name=f"测试单位{code}", kind=kind, units=units, posts=posts,
                      people=tuple(persons), principal_leader="P001",
                      supervising_leaders=(("P002", ("d1",)), ("P003", ("d2",))),
                      department_heads=(("P004", "d1"), ("P005", "d2")), accounts=accounts)


async def load_synthetic(settings: Settings, code: str, people: int,
                         kind: str = "county_bureau") -> None:
    from authz.credentials import hash_password

    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with tenant_transaction(make_sessionmaker(engine), None, Scope.platform) as s:
            await load_tenant(s, synthetic(code, people, kind), hash_password(DEMO_PASSWORD))
    finally:
        await engine.dispose()
