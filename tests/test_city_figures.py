"""The city's figures of closed periods, stored when a period closes (issue 16, item 5; migration
0028): the stored figures equal the live computation for every figure (the demo's closed
quarters; a period closed, reopened, changed and closed again), reopening forgets them, only the
platform scope reads them, and rater coverage comes from a flag the ratings keep.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from jixiao.settings import Settings
from resolvers.oversight.closed_figures import care_policy_json, tenant_config_or_default
from resolvers.oversight.comparison import Comparison, PeriodRef, read_comparison
from tenants.db import Scope, make_engine, make_sessionmaker, tenant_transaction
from tests.conftest import DEMO_YEAR_UNITS, Api
from tests.oversight_scenario import CITY, World, world

__all__ = ["world"]  # the module's fixture

YEAR = "2025"
Measures = dict[tuple[str, str], dict[str, Decimal]]


def plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def ref(key: str) -> PeriodRef:
    year, _, quarter = key.partition("Q")
    return PeriodRef(int(year), int(quarter) if quarter else None)


def compare(settings: Settings, tenants: Sequence[str], keys: Sequence[str], *, stored: bool
            ) -> Comparison:
    """The comparison as the query reads it (``stored``: False computes everything live)."""
    async def read() -> Comparison:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            async with tenant_transaction(make_sessionmaker(engine), None,
                                          Scope.platform) as session:
                return await read_comparison(session, [uuid.UUID(t) for t in tenants],
                                             [ref(k) for k in keys], stored=stored)
        finally:
            await engine.dispose()
    return asyncio.run(read())


def raw(conn: psycopg.Connection[Any], tenants: Sequence[str], keys: Sequence[str], *,
        stored: bool) -> tuple[Measures, dict[tuple[str, str], str]]:
    """``platform_comparison``'s measures and live states, as the application role in the
    platform scope, with the care rules the comparison passes."""
    conn.rollback()
    with conn.transaction():
        conn.execute("SELECT set_config('app.scope', 'platform', true)")
        care = {str(t): care_policy_json(tenant_config_or_default(s)) for t, s in conn.execute(
            "SELECT id, settings FROM tenants WHERE id = ANY (%s::uuid[])", (list(tenants),))}
        rows = conn.execute(
            "SELECT tenant, period_key, measure, value, state FROM platform_comparison("
            "%s::uuid[], %s::text[], %s::jsonb, %s)",
            (list(tenants), list(keys), json.dumps(care), stored)).fetchall()
    measures: Measures = {}
    states = {}
    for tenant, key, measure, value, state in rows:
        if tenant is None:
            continue
        if measure == "state":
            states[(str(tenant), key)] = state
        else:
            measures.setdefault((str(tenant), key), {})[measure] = value
    return measures, states


def stored_sets(settings: Settings, tenants: Sequence[str]) -> dict[tuple[str, str], Any]:
    """The stored sets themselves (the owner, in the platform scope: RLS applies to it too)."""
    with psycopg.connect(plain(settings.owner_database_url)) as owner, owner.transaction():
        owner.execute("SELECT set_config('app.scope', 'platform', true)")
        return {(str(t), k): figures for t, k, figures in owner.execute(
            "SELECT tenant_id, period_key, figures FROM city_figure_sets "
            "WHERE tenant_id = ANY (%s::uuid[])", (list(tenants),))}


def platform_ids(api: Api, codes: Sequence[str]) -> dict[str, str]:
    tenants = api.as_(*CITY, "{ platformTenants { id code } }")["data"]["platformTenants"]
    return {t["code"]: t["id"] for t in tenants if t["code"] in codes}


def assert_stored_equal_live(settings: Settings, conn: psycopg.Connection[Any],
                             tenants: Sequence[str], keys: Sequence[str]) -> None:
    kept, _ = raw(conn, tenants, keys, stored=True)
    live, _ = raw(conn, tenants, keys, stored=False)
    assert kept == live  # every raw measure, stored pairs included
    assert compare(settings, tenants, keys, stored=True) == compare(settings, tenants, keys,
                                                                    stored=False)


def test_the_demos_stored_figures_equal_the_live_computation(
        demo_year: None, api: Api, settings: Settings,
        raw_app_connection: psycopg.Connection[Any]) -> None:
    ids = platform_ids(api, DEMO_YEAR_UNITS)
    tenants = list(ids.values())
    with raw_app_connection.transaction():
        raw_app_connection.execute("SELECT set_config('app.scope', 'platform', true)")
        states = raw_app_connection.execute(
            "SELECT tenant, period_key, state FROM platform_period_states(%s::uuid[], "
            "%s::text[])", (tenants, [f"{y}Q{q}" for y in (2024, 2025, 2026)
                                      for q in (1, 2, 3, 4)] + ["2024", "2025", "2026"])
        ).fetchall()
    keys = sorted({k for _, k, _ in states})
    closed = {(str(t), k) for t, k, s in states if s == "closed"}
    assert len(closed) >= 4 * len(DEMO_YEAR_UNITS) - 1  # the demo's past quarters, closed
    # every closed period of the demo was closed through the use case: its figures stored
    assert closed <= set(stored_sets(settings, tenants))
    assert_stored_equal_live(settings, raw_app_connection, tenants, keys)
    comparison = compare(settings, tenants, keys, stored=True)
    shown = {(str(r.unit.id), r.period.key): r for r in comparison.unit_rows if r.unit}
    assert all(shown[pair].state == "closed" and not shown[pair].open for pair in closed)
    assert any(shown[pair].value("rater_coverage").value is not None for pair in closed)


REOPEN = """mutation($id:ID!){ reopenPeriod(id:$id, reason:"更正年度等次") {
  period { state } userErrors { message } } }"""
CLOSE = """mutation($id:ID!){ advancePeriod(id:$id, toState:closed) {
  period { state } userErrors { message } } }"""


def set_grade(settings: Settings, tenant: str, period: str, old: str, new: str) -> None:
    with psycopg.connect(plain(settings.database_url)) as conn, conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (tenant,))
        done = conn.execute(
            "UPDATE person_results SET grade = %s WHERE id = (SELECT id FROM person_results "
            "WHERE period_id = %s AND grade = %s ORDER BY id LIMIT 1)", (new, period, old))
        assert done.rowcount == 1


def test_a_period_closed_reopened_changed_and_closed_again(
        api: Api, world: World, settings: Settings,
        raw_app_connection: psycopg.Connection[Any]) -> None:
    a = world.ids[world.a]
    year = world.periods[world.a]["2025年度"]
    pair = (a, YEAR)
    keys = ["2025Q1", "2025Q2", YEAR]
    # loaded closed (not through the use case): nothing stored, computed live
    assert pair not in stored_sets(settings, [a])
    before, _ = raw(raw_app_connection, [a], keys, stored=True)

    body = api.as_(world.a, "admin", REOPEN, {"id": year})["data"]["reopenPeriod"]
    assert body == {"period": {"state": "feedback"}, "userErrors": []}
    set_grade(settings, a, year, "competent", "excellent")
    body = api.as_(world.a, "admin", CLOSE, {"id": year})["data"]["advancePeriod"]
    assert body == {"period": {"state": "closed"}, "userErrors": []}
    first = stored_sets(settings, [a])
    assert pair in first
    assert_stored_equal_live(settings, raw_app_connection, [a], keys)
    after, _ = raw(raw_app_connection, [a], keys, stored=True)
    assert after[pair]["grade_excellent"] == before[pair]["grade_excellent"] + 1

    # reopening forgets the stored figures: the period is computed live and shown open
    body = api.as_(world.a, "admin", REOPEN, {"id": year})["data"]["reopenPeriod"]
    assert body["userErrors"] == []
    assert pair not in stored_sets(settings, [a])
    _, states = raw(raw_app_connection, [a], keys, stored=True)
    assert states[pair] == "feedback"
    row = next(r for r in compare(settings, [a], keys, stored=True).unit_rows
               if r.period.key == YEAR)
    assert row.open
    set_grade(settings, a, year, "excellent", "competent")
    set_grade(settings, a, year, "excellent", "competent")
    changed, _ = raw(raw_app_connection, [a], keys, stored=True)
    assert changed[pair]["grade_excellent"] == before[pair]["grade_excellent"] - 1

    # closed again: stored anew, with the change
    body = api.as_(world.a, "admin", CLOSE, {"id": year})["data"]["advancePeriod"]
    assert body == {"period": {"state": "closed"}, "userErrors": []}
    again = stored_sets(settings, [a])
    assert pair in again
    assert again[pair] != first[pair]
    assert_stored_equal_live(settings, raw_app_connection, [a], keys)
    kept, _ = raw(raw_app_connection, [a], keys, stored=True)
    assert kept[pair] == changed[pair]


def test_stored_figures_under_another_minimum_group_size_are_computed_live(
        api: Api, world: World, settings: Settings,
        raw_app_connection: psycopg.Connection[Any]) -> None:
    b = world.ids[world.b]
    year = world.periods[world.b]["2025年度"]
    for mutation in (REOPEN, CLOSE):
        assert api.as_(world.b, "admin", mutation, {"id": year})["data"] is not None
    assert (b, YEAR) in stored_sets(settings, [b])
    change = """mutation($v:Int!){ setOversightMinGroupSize(value:$v, reason:"测试调整") {
      settings { minGroupSize } userErrors { message } } }"""
    assert api.as_(*CITY, change, {"v": 11})["data"]["setOversightMinGroupSize"][
        "userErrors"] == []
    try:  # B has 10 people: suppressed under 11, though stored under 5
        kept, states = raw(raw_app_connection, [b], [YEAR], stored=True)
        assert kept[(b, YEAR)] == {"suppressed": Decimal(1)}
        assert states[(b, YEAR)] == "closed"  # computed live
    finally:
        api.as_(*CITY, change, {"v": 5})
    assert_stored_equal_live(settings, raw_app_connection, [b], [YEAR])


def test_only_the_platform_scope_reads_the_stored_figures(
        world: World, raw_app_connection: psycopg.Connection[Any]) -> None:
    conn = raw_app_connection
    a = world.ids[world.a]
    for scope in ("tenant", ""):
        with conn.transaction():
            conn.execute("SELECT set_config('app.scope', %s, true), "
                         "set_config('app.tenant_id', %s, true)", (scope, a))
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute("SELECT * FROM platform_comparison(%s::uuid[], %s::text[], "
                             "'{}'::jsonb, true)", ([a], [YEAR]))
    for scope in ("tenant", "platform"):  # the application role has no privilege on the table
        with conn.transaction():
            conn.execute("SELECT set_config('app.scope', %s, true), "
                         "set_config('app.tenant_id', %s, true)", (scope, a))
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute("SELECT * FROM city_figure_sets")
    # a tenant stores only its own closed period's figures, through the function
    with conn.transaction():
        conn.execute("SELECT set_config('app.scope', 'tenant', true), "
                     "set_config('app.tenant_id', %s, true)", (a,))
        theirs = world.periods[world.b]["2025年度"]  # another tenant's: not found
        conn.execute("SELECT store_period_figures(%s, '{}'::jsonb)", (theirs,))
        assert conn.execute("SELECT current_setting('app.scope')").fetchone() == ("tenant",)


def test_rater_coverage_comes_from_the_flag_the_ratings_keep(
        world: World, raw_app_connection: psycopg.Connection[Any]) -> None:
    conn = raw_app_connection
    a = world.ids[world.a]
    with conn.transaction():  # rolled back at the end
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (a,))
        # the flag says exactly which assignments have a rating value
        assert conn.execute(
            "SELECT count(*) FROM rater_assignments a WHERE a.rated <> EXISTS ("
            "SELECT 1 FROM ratings v WHERE v.assignment_id = a.id)").fetchone() == (0,)
        unrated = conn.execute("SELECT id FROM rater_assignments WHERE NOT rated "
                               "ORDER BY id LIMIT 1").fetchone()
        assert unrated is not None
        conn.execute(
            "INSERT INTO ratings (tenant_id, id, assignment_id, version_id, node_id, dimension, "
            "value) SELECT %s, gen_random_uuid(), %s, v.version_id, v.node_id, v.dimension, 80 "
            "FROM ratings v LIMIT 1", (a, unrated[0]))
        assert conn.execute("SELECT rated FROM rater_assignments WHERE id = %s",
                            (unrated[0],)).fetchone() == (True,)
        raise psycopg.Rollback
