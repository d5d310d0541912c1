"""The one read scope agrees with ``can()``: over random org trees, management relations, roles
and rows, the SQL predicate of ``authz.scopes`` (evaluated by PostgreSQL) admits a row exactly
when ``can(actor, permission, target)`` allows it, for the read permissions the lists use.

Each example writes its units, people, management relations and the actor's account into one
tenant, loads the actor as a request does (``authz.loading``), evaluates every predicate over
the candidate rows in one statement, and rolls back.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import ColumnElement, and_, column, insert, or_, select, values
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from authz import Actor, Authorizer, Permission, Target
from authz.enforcer import relations
from authz.loading import load_account_actor
from authz.scopes import person_rows, unit_rows
from jixiao.settings import Settings
from models import Account, ManagementRelation, OrgUnit, Person, RoleGrant
from tenants.db import make_engine, make_sessionmaker, set_tenant, tenant_id_for_code
from vocab.org import ManagementKind, Role

# The permissions whose lists go through the read scope (readable_<entity> in resolvers/).
LIST_PERMISSIONS = (
    Permission.person_read, Permission.result_read, Permission.declaration_read,
    Permission.bonus_line_read, Permission.interview_read, Permission.interview_completion_read,
    Permission.care_list_read, Permission.results_use_read, Permission.task_read,
    Permission.supervision_read, Permission.profile_read, Permission.point_record_read,
    Permission.person_indicators_read,
)
MAX_UNITS = 6


@dataclass(frozen=True)
class World:
    """Indices stand for rows created per example: ``parents[i]`` is unit i's parent (an earlier
    unit, or none); ``people[j]`` is person j's unit; ``rows`` are extra (person, unit) targets
    besides every person in their own unit (a result kept in a former unit, a unit's own row)."""

    parents: tuple[int | None, ...]
    people: tuple[int, ...]
    actor: int | None
    roles: frozenset[Role]
    relations: tuple[tuple[int, ManagementKind, int | None], ...]
    rows: tuple[tuple[int | None, int | None], ...]


@st.composite
def worlds(draw: st.DrawFn) -> World:
    n_units = draw(st.integers(1, MAX_UNITS))
    parents = tuple(None if i == 0 else draw(st.none() | st.integers(0, i - 1))
                    for i in range(n_units))
    people = tuple(draw(st.lists(st.integers(0, n_units - 1), min_size=1, max_size=8)))
    person = st.integers(0, len(people) - 1)
    unit = st.integers(0, n_units - 1)
    actor = draw(st.none() | person)
    roles = draw(st.frozensets(st.sampled_from(list(Role)), max_size=3))
    relation = st.one_of(
        st.tuples(person, st.just(ManagementKind.principal_leader), st.none()),
        st.tuples(person, st.sampled_from([ManagementKind.department_head,
                                           ManagementKind.supervising_leader]), unit))
    # The actor's own relations, drawn more often than anybody else's.
    own = (st.lists(relation.map(lambda r: (actor, r[1], r[2])), max_size=3)
           if actor is not None else st.just([]))
    relations = tuple(dict.fromkeys(draw(own) + draw(st.lists(relation, max_size=2))))
    rows = tuple(draw(st.lists(st.tuples(st.none() | person, st.none() | unit), max_size=6)))
    return World(parents, people, actor, roles, relations, rows)


@dataclass
class Probe:
    runner: asyncio.Runner
    sessions: async_sessionmaker[AsyncSession]
    tenant_id: uuid.UUID


@pytest.fixture(scope="module")
def probe(settings: Settings, make_tenant: Any) -> Iterator[Probe]:
    code = make_tenant(people=9)
    with asyncio.Runner() as runner:
        engine = make_engine(settings.database_url, pooled=False)
        sessions = make_sessionmaker(engine)

        async def tenant() -> uuid.UUID:
            async with sessions() as s:
                tid = await tenant_id_for_code(s, code)
                assert tid is not None
                return tid

        try:
            yield Probe(runner, sessions, runner.run(tenant()))
        finally:
            runner.run(engine.dispose())


async def build(s: AsyncSession, tid: uuid.UUID, world: World
                ) -> tuple[uuid.UUID, list[uuid.UUID], list[uuid.UUID]]:
    """Writes the world's rows; returns the actor's account id, the units' and people's ids."""
    units = [uuid.uuid4() for _ in world.parents]
    people = [uuid.uuid4() for _ in world.people]
    await s.execute(insert(OrgUnit), [
        {"tenant_id": tid, "id": u, "code": u.hex, "name": u.hex[:8],
         "parent_id": units[p] if p is not None else None}
        for u, p in zip(units, world.parents, strict=True)])
    await s.execute(insert(Person), [
        {"tenant_id": tid, "id": p, "employee_no": p.hex, "name": p.hex[:8], "unit_id": units[u]}
        for p, u in zip(people, world.people, strict=True)])
    account = uuid.uuid4()
    await s.execute(insert(Account).values(
        tenant_id=tid, id=account, username=account.hex, password_hash="-",
        person_id=people[world.actor] if world.actor is not None else None))
    if world.roles:
        await s.execute(insert(RoleGrant), [
            {"tenant_id": tid, "id": uuid.uuid4(), "account_id": account, "role": r.value}
            for r in world.roles])
    if world.relations:
        await s.execute(insert(ManagementRelation), [
            {"tenant_id": tid, "id": uuid.uuid4(), "manager_id": people[m], "kind": k.value,
             "unit_id": units[u] if u is not None else None}
            for m, k, u in world.relations])
    return account, units, people


def candidates(world: World, units: list[uuid.UUID], people: list[uuid.UUID]
               ) -> list[tuple[uuid.UUID | None, uuid.UUID | None]]:
    own = [(p, units[u]) for p, u in zip(people, world.people, strict=True)]
    extra = [(people[p] if p is not None else None, units[u] if u is not None else None)
             for p, u in world.rows]
    return list(dict.fromkeys(own + extra))


# can() through casbin costs milliseconds; its answer depends on the target only through the
# relations the actor holds to it (the matcher is ``holds(p.rel, r.obj)``), so it is asked once
# per (roles, permission, relations) and the relations come from ``enforcer.relations`` itself.
ANSWERS: dict[tuple[frozenset[Role], Permission, frozenset[str]], bool] = {}


def allowed(authz: Authorizer, permission: Permission, target: Target) -> bool:
    key = (authz.actor.roles, permission, relations(authz.actor, target))
    if key not in ANSWERS:
        ANSWERS[key] = authz.can(permission, target)
    return ANSWERS[key]


def target(permission: Permission, person: uuid.UUID | None, unit: uuid.UUID | None) -> Target:
    return Target(kind=permission.resource, id=person, person_id=person, unit_id=unit)


async def evaluate(probe: Probe, world: World) -> tuple[Actor, list[Any]]:
    async with probe.sessions() as s:
        try:
            await set_tenant(s, probe.tenant_id)
            account, units, people = await build(s, probe.tenant_id, world)
            actor = await load_account_actor(s, probe.tenant_id, account)
            assert actor is not None
            rows = values(column("person_id", UUID(as_uuid=True)),
                          column("unit_id", UUID(as_uuid=True)), name="candidate").data(
                candidates(world, units, people))
            authz = Authorizer(actor)
            predicates: list[ColumnElement[bool]] = []
            for permission in LIST_PERMISSIONS:
                # What every readable_<entity> builds: a person's rows, or the unit's own rows.
                scope = authz.read_scope(permission)
                predicates.append(or_(
                    person_rows(scope, actor.person_id, rows.c.person_id, rows.c.unit_id),
                    and_(rows.c.person_id.is_(None), unit_rows(scope, rows.c.unit_id))))
            # Whether the predicate admits, never NULL: NULL would filter the row out too.
            admitted = [p.is_(True) for p in predicates]
            result = (await s.execute(select(rows.c.person_id, rows.c.unit_id, *admitted))).all()
            return actor, list(result)
        finally:
            await s.rollback()


@hypothesis_settings(max_examples=200, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds())
# A department head of their own unit: "managed" must not admit their own rows (tasks did).
@example(world=World(parents=(None,), people=(0, 0), actor=0,
                     roles=frozenset({Role.department_head}),
                     relations=((0, ManagementKind.department_head, 0),), rows=()))
def test_read_scope_admits_exactly_what_can_allows(probe: Probe, world: World) -> None:
    actor, result = probe.runner.run(evaluate(probe, world))
    authz = Authorizer(actor)
    assert result, "every person is a candidate row"
    for person, unit, *admitted in result:
        for permission, got in zip(LIST_PERMISSIONS, admitted, strict=True):
            want = allowed(authz, permission, target(permission, person, unit))
            assert got == want, (permission, person, unit, actor)
