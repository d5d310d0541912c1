"""Helpers of the rating tests (issue 5): a published scheme, a period walked to a state through
the API, rows written below the API where a test needs many of them (ratings of people without
an account, point records, declarations), and a use case run as a given person.

No tests here; the ``test_`` prefix only keeps the rating tests' files together.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select, text

from authz import Actor
from authz.loading import load_account_actor
from jixiao.settings import Settings
from models import (
    Account,
    Declaration,
    DeclarationItem,
    Period,
    Person,
    PointRecord,
    RaterAssignment,
    SchemeNode,
    Tenant,
)
from resolvers.appraisal import ratings
from resolvers.appraisal.scoring import load_period_scheme
from resolvers.context import Context
from resolvers.plans.indicators import pinned_version
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tenants.plan_setup import apply_template
from tenants.templates import template_for_kind
from tests.conftest import Api
from vocab.org import Role

T = TypeVar("T")
YEAR = 2026
STATES = ["executing", "declaring", "rating", "reviewing", "publicizing", "feedback", "closed"]
ADVANCE = ("mutation($id:ID!,$s:PeriodState!){ advancePeriod(id:$id,toState:$s) { period "
           "{ state } userErrors { code message } } }")
GENERATE = ("mutation($p:ID!){ generateRaterAssignments(periodId:$p) { assignments { id personId "
            "raterId role source personName raterName } userErrors { code message } } }")
ASSIGNMENTS = ("query($p:ID!){ raterAssignments(periodId:$p) { id personId raterId role source "
               "personName raterName ratedCount } }")
SAVE = ("mutation($i:SaveRatingsInput!){ saveRatings(input:$i) { form { personName roleLabel "
        "cells { indicatorId dimension value comment } } userErrors { code message field } } }")
FORM = ("query($p:ID!,$q:ID!){ ratingForm(periodId:$p, personId:$q) { personName unitName role "
        "roleLabel indicators { id code name } dimensions { code name weight } "
        "cells { indicatorId dimension value } declarationSubmittedAt "
        "declarationItems { title content selfAssessment sourceLabel } } }")
COMPUTE = ("mutation($p:ID!,$go:Boolean!=false){ computeResults(periodId:$p,proceed:$go) { "
           "results { id personId score rank groupRank proposedGrade grade reasons status "
           "statusLabel } userErrors { code message field } } }")


async def _tenant_id(settings: Settings, code: str) -> uuid.UUID:
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with make_sessionmaker(engine)() as probe:
            value = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                         {"c": code})).scalar_one()
            assert isinstance(value, uuid.UUID)
            return value
    finally:
        await engine.dispose()


async def _in_tenant(settings: Settings, code: str,
                     fn: Callable[[Any], Awaitable[T]]) -> T:
    tid = await _tenant_id(settings, code)
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with tenant_transaction(make_sessionmaker(engine), tid) as session:
            return await fn(session)
    finally:
        await engine.dispose()


def in_tenant(settings: Settings, code: str, fn: Callable[[Any], Awaitable[T]]) -> T:
    """Runs ``fn(session)`` in one committed transaction of the tenant."""
    return asyncio.run(_in_tenant(settings, code, fn))


def as_user(settings: Settings, code: str, username: str,
            fn: Callable[[Context], Awaitable[T]]) -> T:
    """Runs a use case as an account of the tenant (committed)."""

    async def run(session: Any) -> T:
        account = await session.scalar(select(Account).where(Account.username == username))
        actor = await load_account_actor(session, account.tenant_id, account.id)
        assert actor is not None
        return await fn(Context(session=session, settings=settings.use_cases(), actor=actor))

    return in_tenant(settings, code, run)


def person_actor(person: Person, kind: str = "county_bureau") -> Actor:
    """A person acting with the staff role (people without an account, in bulk tests)."""
    return Actor(tenant_id=person.tenant_id, tenant_kind=kind, roles=frozenset({Role.staff}),
                 account_id=uuid.uuid4(), person_id=person.id)


def publish_template(settings: Settings, code: str, year: int = YEAR) -> None:
    """The tenant kind's scheme template, published for ``year``."""

    async def run(session: Any) -> None:
        tenant = await session.scalar(select(Tenant).where(Tenant.code == code))
        template = template_for_kind(tenant.kind)
        assert template is not None
        await apply_template(session, tenant.id, year, template, publish=True, actor="test",
                             now=datetime(year, 1, 2, tzinfo=UTC))

    in_tenant(settings, code, run)


def people(settings: Settings, code: str) -> dict[str, str]:
    """Person id by employee number."""

    async def run(session: Any) -> dict[str, str]:
        rows = (await session.execute(select(Person.employee_no, Person.id))).all()
        return {no: str(pid) for no, pid in rows}

    return in_tenant(settings, code, run)


def create_period(api: Api, code: str, kind: str = "quarter", quarter: int | None = 1,
                  year: int = YEAR) -> str:
    data: dict[str, Any] = {"kind": kind, "year": year}
    if quarter is not None:
        data["quarter"] = quarter
    body = api.as_(code, "admin", "mutation($i:PeriodInput!){ createPeriod(input:$i) { period "
                   "{ id } userErrors { code message } } }", {"i": data})
    period = body["data"]["createPeriod"]["period"]
    assert period, body
    return str(period["id"])


def advance(api: Api, code: str, period: str, state: str) -> None:
    """Walks the period forward up to ``state`` (from wherever it is)."""
    current = api.as_(code, "admin", "query($id:ID!){ period(id:$id) { state } }",
                      {"id": period})["data"]["period"]["state"]
    start = 0 if current == "planning" else STATES.index(current) + 1
    for step in STATES[start: STATES.index(state) + 1]:
        body = api.as_(code, "admin", ADVANCE, {"id": period, "s": step})
        assert body["data"]["advancePeriod"]["userErrors"] == [], (step, body)


def generate(api: Api, code: str, period: str) -> list[dict[str, Any]]:
    body = api.as_(code, "admin", GENERATE, {"p": period})
    assert body["data"]["generateRaterAssignments"]["userErrors"] == [], body
    return list(body["data"]["generateRaterAssignments"]["assignments"])


def rating_period(api: Api, settings: Settings, code: str, quarter: int = 1) -> str:
    """A quarter with a published scheme, generated raters, in "rating"."""
    publish_template(settings, code)
    period = create_period(api, code, quarter=quarter)
    advance(api, code, period, "declaring")
    generate(api, code, period)
    advance(api, code, period, "rating")
    return period


def rate_all(settings: Settings, code: str, period: str,
             value_of: Callable[[str], Decimal],
             skip: Callable[[str, str], bool] = lambda ratee, rater: False) -> int:
    """Every assigned rater rates every cell of their form with ``value_of(ratee employee
    number)``, through the rating use case acting as the rater; returns the number of forms.
    ``skip(ratee employee number, rater employee number)``: forms left empty."""

    async def run(session: Any) -> int:
        pid = uuid.UUID(period)
        by_id = {p.id: p for p in (await session.scalars(select(Person))).all()}
        assignments = (await session.scalars(select(RaterAssignment).where(
            RaterAssignment.period_id == pid))).all()
        tenant = await session.get(Tenant, next(iter(by_id.values())).tenant_id)
        count = 0
        for assignment in assignments:
            rater, ratee = by_id[assignment.rater_id], by_id[assignment.person_id]
            if skip(ratee.employee_no, rater.employee_no):
                continue
            ctx = Context(session=session, settings=settings.use_cases(),
                          actor=person_actor(rater, tenant.kind))
            scheme = await load_period_scheme(ctx, await session.get(Period, (tenant.id, pid)))
            cells = [ratings.CellInput(node.id, dim.code, value_of(ratee.employee_no))
                     for node in scheme.rated_for(ratee)
                     for dim in scheme.dimensions_for(assignment.role)]
            await ratings.save_ratings(ctx, pid, ratee.id, cells)
            count += 1
        return count

    return in_tenant(settings, code, run)


def add_record(settings: Settings, code: str, period: str, employee_no: str, node_code: str,
               on: date, status: str = "confirmed", points: str | None = None,
               reason: str = "测试记分") -> None:
    """A point record against the period's pinned version (claimed or confirmed)."""

    async def run(session: Any) -> None:
        tenant = await session.scalar(select(Tenant).where(Tenant.code == code))
        actor = Actor(tenant_id=tenant.id, tenant_kind=tenant.kind,
                      roles=frozenset({Role.tenant_admin}), account_id=uuid.uuid4())
        ctx = Context(session=session, settings=settings.use_cases(), actor=actor)
        version = await pinned_version(ctx, uuid.UUID(period))
        assert version is not None
        node = await session.scalar(select(SchemeNode).where(
            SchemeNode.version_id == version.id, SchemeNode.code == node_code))
        person = await session.scalar(select(Person).where(Person.employee_no == employee_no))
        session.add(PointRecord(tenant_id=tenant.id, version_id=version.id, node_id=node.id,
                                person_id=person.id, occurred_on=on,
                                points=Decimal(points) if points else node.points,
                                reason=reason, status=status, recorded_by="test"))
        await session.flush()

    in_tenant(settings, code, run)


def declare(settings: Settings, code: str, period: str, employee_no: str,
            items: list[tuple[str, str]]) -> None:
    """A submitted declaration (title, content) whose items cite the first rated indicator."""

    async def run(session: Any) -> None:
        tenant = await session.scalar(select(Tenant).where(Tenant.code == code))
        person = await session.scalar(select(Person).where(Person.employee_no == employee_no))
        actor = Actor(tenant_id=tenant.id, tenant_kind=tenant.kind,
                      roles=frozenset({Role.tenant_admin}), account_id=uuid.uuid4())
        version = await pinned_version(Context(session=session, settings=settings.use_cases(),
                                               actor=actor), uuid.UUID(period))
        assert version is not None
        node = await session.scalar(select(SchemeNode).where(
            SchemeNode.version_id == version.id, SchemeNode.kind == "rated")
            .order_by(SchemeNode.code).limit(1))
        declaration = Declaration(tenant_id=tenant.id, period_id=uuid.UUID(period),
                                  person_id=person.id, status="submitted",
                                  submitted_at=datetime(YEAR, 3, 28, tzinfo=UTC))
        session.add(declaration)
        await session.flush()
        session.add_all([DeclarationItem(tenant_id=tenant.id, declaration_id=declaration.id,
                                         position=i, title=title, content=content,
                                         self_assessment="较好完成", version_id=version.id,
                                         node_id=node.id)
                         for i, (title, content) in enumerate(items, start=1)])
        await session.flush()

    in_tenant(settings, code, run)
