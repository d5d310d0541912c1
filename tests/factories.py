"""Synthetic tenants for tests: a leadership unit, two departments with a sub-unit, accounts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from demo.catalog import (
    DEMO_PASSWORD,
    DemoAccount,
    DemoPerson,
    DemoPost,
    DemoTenant,
    DemoUnit,
)
from demo.load import load_tenant
from jixiao.settings import Settings
from tenants.db import Scope, make_engine, make_sessionmaker, tenant_transaction

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
        # 三员分立: one account each
        DemoAccount("xitong", ("system_admin",), None),
        DemoAccount("anquan", ("security_admin",), None),
        DemoAccount("shenji", ("audit_admin",), None),
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


async def seed_plan(settings: Settings, code: str, year: int) -> dict[str, str]:
    """A published scheme version (two rated indicators, a credit, a deduction) and tasks:
    a unit task of d1 decomposed to P006 (with two milestones) and one to P007, and a d2
    task. Returns ids by name."""
    import uuid as _uuid
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from sqlalchemy import select, text

    from models import (
        IndicatorScheme,
        OrgUnit,
        Person,
        SchemeDimension,
        SchemeNode,
        SchemeVersion,
        Task,
        TaskMilestone,
    )

    engine = make_engine(settings.database_url, pooled=False)
    ids: dict[str, str] = {}
    try:
        async with make_sessionmaker(engine)() as probe:
            tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                       {"c": code})).scalar_one()
        async with tenant_transaction(make_sessionmaker(engine), tid) as s:
            units = {u.code: u for u in (await s.scalars(select(OrgUnit))).all()}
            people = {p.employee_no: p for p in (await s.scalars(select(Person))).all()}
            # Provisioning may already have made the year's scheme from the kind's template:
            # the seeded version becomes its latest published one.
            scheme = await s.scalar(select(IndicatorScheme).where(IndicatorScheme.year == year))
            if scheme is None:
                scheme = IndicatorScheme(tenant_id=tid, id=_uuid.uuid4(), year=year,
                                         name=f"{year}年度考核指标体系")
                s.add(scheme)
                await s.flush()
            numbers = (await s.scalars(select(SchemeVersion.number).where(
                SchemeVersion.scheme_id == scheme.id))).all()
            version = SchemeVersion(tenant_id=tid, id=_uuid.uuid4(), scheme_id=scheme.id,
                                    number=max(numbers, default=0) + 1, status="published",
                                    published_at=datetime(year, 1, 1, tzinfo=UTC))
            s.add(version)
            await s.flush()
            s.add_all([SchemeDimension(tenant_id=tid, version_id=version.id, code=c, name=n,
                                       weight=w) for c, n, w in (
                ("completion", "任务完成情况", 50), ("difficulty", "工作难度", 20),
                ("innovation", "创新程度", 15), ("conduct", "作风表现", 15))])
            nodes = {
                "work": SchemeNode(tenant_id=tid, id=_uuid.uuid4(), version_id=version.id,
                                   code="GZ01", name="重点工作完成", kind="rated", weight=60),
                "duty": SchemeNode(tenant_id=tid, id=_uuid.uuid4(), version_id=version.id,
                                   code="GZ02", name="岗位职责履行", kind="rated", weight=40),
                "credit": SchemeNode(tenant_id=tid, id=_uuid.uuid4(), version_id=version.id,
                                     code="JF01", name="点赞事项", kind="credit",
                                     cap=Decimal(5), points=Decimal(1)),
                "deduction": SchemeNode(tenant_id=tid, id=_uuid.uuid4(),
                                        version_id=version.id, code="KF01", name="错情通报",
                                        kind="deduction", cap=Decimal(5), points=Decimal(1)),
                "deal": SchemeNode(tenant_id=tid, id=_uuid.uuid4(), version_id=version.id,
                                   code="JF02", name="招商项目签约落地", kind="credit",
                                   cap=Decimal(10), points=Decimal(3), needs_confirmation=True),
                "conduct": SchemeNode(tenant_id=tid, id=_uuid.uuid4(), version_id=version.id,
                                      code="ZZ01", name="政治纪律方面的苗头性问题",
                                      kind="conduct_standard", cap=Decimal(10),
                                      points=Decimal(2), serious=True),
            }
            s.add_all(nodes.values())
            await s.flush()
            parent = Task(tenant_id=tid, id=_uuid.uuid4(), year=year, code="T1",
                          title="法律援助案件质量提升", source_kind="municipal",
                          source_text="市委决策部署", level="unit", unit_id=units["d1"].id,
                          due_on=date(year, 6, 30), status="in_progress")
            s.add(parent)
            await s.flush()
            mine = Task(tenant_id=tid, id=_uuid.uuid4(), year=year, code="T1-1",
                        title="办理法律援助案件", source_kind="municipal", level="person",
                        parent_id=parent.id, unit_id=units["d1"].id,
                        person_id=people["P006"].id, due_on=date(year, 5, 31),
                        status="in_progress", indicator_codes=["GZ01"])
            other = Task(tenant_id=tid, id=_uuid.uuid4(), year=year, code="T1-2",
                         title="案件回访", source_kind="ad_hoc", level="person",
                         parent_id=parent.id, unit_id=units["d1"].id,
                         person_id=people["P007"].id, due_on=date(year, 9, 30),
                         status="not_started")
            d2 = Task(tenant_id=tid, id=_uuid.uuid4(), year=year, code="T2",
                      title="人民调解台账", source_kind="plenary", level="unit",
                      unit_id=units["d2"].id, due_on=date(year, 3, 31), status="done",
                      completed_on=date(year, 4, 10))
            s.add_all([mine, other, d2])
            await s.flush()
            m1 = TaskMilestone(tenant_id=tid, id=_uuid.uuid4(), task_id=mine.id,
                               title="完成案件梳理", due_on=date(year, 4, 15))
            m2 = TaskMilestone(tenant_id=tid, id=_uuid.uuid4(), task_id=mine.id,
                               title="完成回访", due_on=date(year, 5, 15),
                               done_on=date(year, 5, 10))
            s.add_all([m1, m2])
            await s.flush()
            ids.update({k: str(v.id) for k, v in nodes.items()})
            ids.update(version=str(version.id), parent=str(parent.id), mine=str(mine.id),
                       other=str(other.id), d2=str(d2.id), m1=str(m1.id), m2=str(m2.id))
    finally:
        await engine.dispose()
    return ids


@dataclass(frozen=True)
class PastPeriod:
    """A period with results inserted directly (tests of issue 7: histories of results).

    ``results``: employee no -> (grade, rank); ``fits``: employee no -> the person-post fit
    rating of an interview recorded for them; ``explanations``: employee no -> explanation lines.
    """

    year: int
    quarter: int | None  # None: the annual period
    results: Mapping[str, tuple[str | None, int | None]]
    state: str = "closed"
    fits: Mapping[str, int] = field(default_factory=dict)
    explanations: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class History:
    periods: dict[tuple[int, int | None], str]  # (year, quarter) -> period id
    results: dict[tuple[int, int | None, str], str]  # (year, quarter, employee no) -> result id
    people: dict[str, str]  # employee no -> person id
    units: dict[str, str]  # unit code -> unit id


async def insert_history(settings: Settings, code: str, periods: Sequence[PastPeriod]) -> History:
    import uuid as _uuid
    from datetime import date
    from decimal import Decimal

    from sqlalchemy import select, text

    from models import FeedbackInterview, OrgUnit, Period, Person, PersonResult

    engine = make_engine(settings.database_url, pooled=False)
    out = History({}, {}, {}, {})
    try:
        async with make_sessionmaker(engine)() as probe:
            tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                       {"c": code})).scalar_one()
        async with tenant_transaction(make_sessionmaker(engine), tid) as s:
            people = {p.employee_no: p for p in (await s.scalars(select(Person))).all()}
            out.people = {no: str(p.id) for no, p in people.items()}
            out.units = {u.code: str(u.id) for u in (await s.scalars(select(OrgUnit))).all()}
            for spec in periods:
                kind = "year" if spec.quarter is None else "quarter"
                name = (f"{spec.year}年度" if spec.quarter is None
                        else f"{spec.year}年第{'一二三四'[spec.quarter - 1]}季度")
                period = Period(tenant_id=tid, id=_uuid.uuid4(), kind=kind, year=spec.year,
                                quarter=spec.quarter, name=name, state=spec.state)
                s.add(period)
                await s.flush()
                out.periods[(spec.year, spec.quarter)] = str(period.id)
                for no, (grade, rank) in spec.results.items():
                    person = people[no]
                    result = PersonResult(
                        tenant_id=tid, id=_uuid.uuid4(), period_id=period.id,
                        person_id=person.id, unit_id=person.unit_id,
                        comparison_group=person.comparison_group, rank=rank, grade=grade,
                        score=Decimal(100 - rank) if rank is not None else None,
                        explanation=spec.explanations.get(no, []))
                    s.add(result)
                    out.results[(spec.year, spec.quarter, no)] = str(result.id)
                await s.flush()
                for no, fit in spec.fits.items():
                    result_id = out.results.get((spec.year, spec.quarter, no))
                    s.add(FeedbackInterview(
                        tenant_id=tid, period_id=period.id, person_id=people[no].id,
                        unit_id=people[no].unit_id,
                        person_result_id=_uuid.UUID(result_id) if result_id else None,
                        recorded_by="system", held_on=date(spec.year, 3 * (spec.quarter or 4),
                                                           28),
                        result_told="已告知", strengths="优势", weaknesses="短板",
                        root_causes="根源", improvement_plan=[], topics={}, praise="肯定",
                        critique="不足", encouragement="方向", fit_rating=fit))
                await s.flush()
    finally:
        await engine.dispose()
    return out


def history(settings: Settings, code: str, periods: Sequence[PastPeriod]) -> History:
    import asyncio

    return asyncio.run(insert_history(settings, code, periods))
