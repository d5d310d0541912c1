"""Two-level bonus runs through the API and a real Dramatiq worker (Redis, PostgreSQL, RLS)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, text, update

from authz import Actor
from jixiao.settings import Settings
from models import BonusLine, BonusRun, PersonResult
from resolvers.bonus.compute import reproduce, stored_matches
from resolvers.context import Context
from resolvers.jobs import create_job, send
from rules.bonus import BonusRules, DepartmentInput, PersonInput, allocate
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.appraisal_data import people_ids, seed_results, wait_job
from tests.conftest import Api
from vocab.jobs import JobKind
from vocab.org import Role

START = """mutation($i:StartBonusRunInput!){ startBonusRun(input:$i){
  job { id kind status progress } userErrors { code message field } } }"""
CONFIRM = """mutation($id:ID!,$r:String!){ confirmBonusRun(id:$id, reason:$r){
  bonusRun { id status confirmedAt } userErrors { code message } } }"""
RUN = """query($id:ID!){ bonusRun(id:$id){ id status periodName poolCents poolYuan peopleCount
  paidCount excludedCount departmentCount
  inputs { poolCents base missingResult departmentCoefficients { key coefficient } }
  departments { unitId name result cents explanation peopleCount }
  lines(first: 100) { totalCount edges { node { personId employeeNo name grade gradeLabel
    resultGrade included cents yuan explanation note department { name cents explanation } } } }
  myLine { employeeNo cents explanation } } }"""
RUNS = """query($p:ID){ bonusRuns(periodId:$p){ id status poolCents
  lines(first: 100) { totalCount edges { node { employeeNo cents } } } myLine { employeeNo } } }"""

# P001-P003 leadership (A), P004/P006/P007/P010 department d1 (A), P009/P012 its sub-unit d1a
# (no result of its own: paid through d1), P005/P008/P011 department d2 (B).
GRADES: dict[str, str | None] = {
    "P001": "excellent", "P002": "competent", "P003": "competent", "P004": "excellent",
    "P005": "competent", "P006": "excellent", "P007": "competent",
    "P008": "basically_competent", "P009": "competent", "P010": "incompetent",
    "P011": "excellent", "P012": None,
}
LEVELS = {"ldbz": "A", "d1": "A", "d2": "B"}
MEMBERS = {"ldbz": ("P001", "P002", "P003"), "d1": ("P004", "P006", "P007", "P009", "P010"),
           "d2": ("P005", "P008", "P011")}
POOL = 12_345_679  # 123,456.79 元: rounding at both levels
COEFFICIENTS = [{"key": "A", "coefficient": "1.2"}, {"key": "B", "coefficient": "1.0"}]


def start_input(period: str, pool: int = POOL, **extra: Any) -> dict[str, Any]:
    return {"periodId": period, "poolCents": pool, "departmentCoefficients": COEFFICIENTS,
            **extra}


def start(api: Api, code: str, data: dict[str, Any], user: str = "admin") -> dict[str, Any]:
    body = api.as_(code, user, START, {"i": data})
    assert "errors" not in body, body
    return body["data"]["startBonusRun"]  # type: ignore[no-any-return]


def run_to_done(api: Api, code: str, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    started = start(api, code, data)
    assert started["userErrors"] == [], started
    assert started["job"]["status"] == "queued"
    job = wait_job(api, code, "admin", started["job"]["id"])
    assert job["status"] == "done", job
    return job, job["resultId"]


def expected_cents(api: Api, code: str, pool: int) -> dict[str, int]:
    """The same allocation computed directly with the pure rules."""
    people = people_ids(api, code)
    departments = [
        DepartmentInput(unit, LEVELS[unit], tuple(
            PersonInput(people[no]["id"], GRADES[no] or "", name=people[no]["name"])
            for no in members))
        for unit, members in MEMBERS.items()
    ]
    rules = BonusRules({"A": Decimal("1.2"), "B": Decimal("1.0")})
    result = allocate(pool, departments, rules)
    by_id = {p.person_id: p.cents for p in result.people}
    return {no: by_id.get(p["id"], 0) for no, p in people.items()}


@pytest.fixture
def graded(make_tenant: Any, settings: Settings) -> tuple[str, str]:
    code = make_tenant(people=12, kind="subdistrict")
    return code, seed_results(settings, code, GRADES, LEVELS)


def test_a_run_allocates_every_cent_and_explains_each_line(
        api: Api, worker: Any, graded: tuple[str, str]) -> None:
    code, period = graded
    job, run_id = run_to_done(api, code, start_input(period))
    assert job["kind"] == "bonus_run"
    assert job["progress"] == 100
    assert job["attempts"] == 1
    run = api.as_(code, "admin", RUN, {"id": run_id})["data"]["bonusRun"]
    assert run["status"] == "draft"
    assert run["poolCents"] == POOL
    assert run["poolYuan"] == "123,456.79"
    assert (run["peopleCount"], run["excludedCount"], run["departmentCount"]) == (12, 1, 3)
    assert run["inputs"]["base"] == "headcount"
    assert run["inputs"]["missingResult"] == "exclude"
    assert sum(d["cents"] for d in run["departments"]) == POOL
    lines = {e["node"]["employeeNo"]: e["node"] for e in run["lines"]["edges"]}
    assert run["lines"]["totalCount"] == 12
    assert sum(line["cents"] for line in lines.values()) == POOL
    expected = expected_cents(api, code, POOL)
    assert {no: line["cents"] for no, line in lines.items()} == expected
    # Sub-unit d1a is paid through its department d1; people's parts add up to it.
    by_department: dict[str, int] = {}
    for line in lines.values():
        if line["department"]:
            name = line["department"]["name"]
            by_department[name] = by_department.get(name, 0) + line["cents"]
    assert by_department == {d["name"]: d["cents"] for d in run["departments"]}
    assert lines["P009"]["department"]["name"] == "第一科"
    # Each line explains itself: the department's share, the coefficient, the rounding.
    assert "科室分配额" in lines["P006"]["explanation"]
    assert "系数 1.2" in lines["P006"]["explanation"]
    assert "权重" in lines["P006"]["department"]["explanation"]
    assert lines["P010"]["cents"] == 0
    assert "系数 0" in lines["P010"]["explanation"]
    assert lines["P012"]["included"] is False
    assert lines["P012"]["resultGrade"] is None
    assert lines["P012"]["note"] == "无本周期考核等次，未参与分配"
    assert lines["P006"]["gradeLabel"] == "优秀"


def test_people_without_a_result_can_be_paid_at_a_configured_grade(
        api: Api, worker: Any, graded: tuple[str, str]) -> None:
    code, period = graded
    _, run_id = run_to_done(api, code, start_input(
        period, missingResult="assume", missingGrade="competent", base="headcount_all"))
    run = api.as_(code, "admin", RUN, {"id": run_id})["data"]["bonusRun"]
    lines = {e["node"]["employeeNo"]: e["node"] for e in run["lines"]["edges"]}
    assert lines["P012"]["included"] is True
    assert lines["P012"]["grade"] == "competent"
    assert lines["P012"]["cents"] > 0
    assert "按「称职」参与分配" in lines["P012"]["note"]
    assert run["excludedCount"] == 0
    assert sum(line["cents"] for line in lines.values()) == POOL


def test_a_run_is_stored_with_its_inputs_and_reproduces_after_results_change(
        api: Api, worker: Any, graded: tuple[str, str], settings: Settings) -> None:
    code, period = graded
    _, run_id = run_to_done(api, code, start_input(period))

    async def check() -> tuple[bool, bool]:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            async with make_sessionmaker(engine)() as probe:
                tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                           {"c": code})).scalar_one()
            async with tenant_transaction(make_sessionmaker(engine), tid) as s:
                # Everybody's grade changes after the run: the run must not.
                await s.execute(update(PersonResult).values(grade="excellent"))
                run = (await s.scalars(select(BonusRun).where(
                    BonusRun.id == uuid.UUID(run_id)))).one()
                stored = {str(p): c for p, c in (await s.execute(
                    select(BonusLine.person_id, BonusLine.cents).where(
                        BonusLine.run_id == run.id, BonusLine.included.is_(True)))).all()}
                again = await reproduce(s, run)
                changed = stored != {p.person_id: p.cents for p in again.people}
                await s.rollback()
                return stored_matches(again, stored), changed
        finally:
            await engine.dispose()

    matches, changed = asyncio.run(check())
    assert matches
    assert not changed


def test_a_rerun_replaces_the_draft_and_confirming_freezes_and_audits(
        api: Api, worker: Any, graded: tuple[str, str]) -> None:
    code, period = graded
    _, first = run_to_done(api, code, start_input(period))
    _, second = run_to_done(api, code, start_input(period, pool=10_000_00, note="调整奖金池"))
    runs = api.as_(code, "admin", RUNS, {"p": period})["data"]["bonusRuns"]
    assert [(r["id"], r["status"], r["poolCents"]) for r in runs] == [
        (second, "draft", 10_000_00)]
    assert api.as_(code, "admin", RUN, {"id": first})["data"]["bonusRun"] is None

    confirmed = api.as_(code, "admin", CONFIRM, {"id": second, "r": "党组会审定"})
    assert confirmed["data"]["confirmBonusRun"]["userErrors"] == []
    assert confirmed["data"]["confirmBonusRun"]["bonusRun"]["status"] == "confirmed"
    again = api.as_(code, "admin", CONFIRM, {"id": second, "r": "x"})
    assert again["data"]["confirmBonusRun"]["userErrors"][0]["code"] == "FROZEN"
    rerun = start(api, code, start_input(period))
    assert rerun["job"] is None
    assert rerun["userErrors"][0]["code"] == "FROZEN"
    audit = api.as_(code, "admin", "query($e:String!){ auditLog(entity:\"bonus_run\","
                    "entityId:$e){ action actor before after reason } }", {"e": second})
    entries = {e["action"]: e for e in audit["data"]["auditLog"]}
    assert entries["bonus_run.confirm"]["before"]["status"] == "draft"
    assert entries["bonus_run.confirm"]["after"]["status"] == "confirmed"
    assert entries["bonus_run.confirm"]["reason"] == "党组会审定"
    assert entries["bonus_run.confirm"]["actor"].startswith("account:")
    assert entries["bonus_run.compute"]["after"]["pool_cents"] == 10_000_00
    started = api.as_(code, "admin", "{ auditLog(entity:\"job\") { action after } }")
    assert any(e["action"] == "bonus_run.start" and e["after"]["pool_cents"] == 10_000_00
               for e in started["data"]["auditLog"])


def test_who_sees_which_lines(api: Api, worker: Any, graded: tuple[str, str]) -> None:
    code, period = graded
    _, run_id = run_to_done(api, code, start_input(period))
    # A draft is for the admin and the principal leader only.
    for user in ("ganbu", "kezhang", "fenguan2"):
        assert api.as_(code, user, RUNS, {"p": period})["data"]["bonusRuns"] == [], user
        assert api.as_(code, user, RUN, {"id": run_id})["data"]["bonusRun"] is None, user
    assert api.as_(code, "leader", RUN, {"id": run_id})["data"]["bonusRun"]["id"] == run_id
    api.as_(code, "admin", CONFIRM, {"id": run_id, "r": "审定"})

    def seen(user: str) -> tuple[set[str], dict[str, Any]]:
        runs = api.as_(code, user, RUNS, {"p": period})["data"]["bonusRuns"]
        assert len(runs) == 1, user
        return {e["node"]["employeeNo"] for e in runs[0]["lines"]["edges"]}, runs[0]

    own, run = seen("ganbu")  # P006, staff of d1
    assert own == {"P006"}
    assert run["myLine"] == {"employeeNo": "P006"}
    head, _ = seen("kezhang")  # P004, head of d1 (with sub-unit d1a)
    assert head == {"P004", "P006", "P007", "P009", "P010", "P012"}
    supervisor, _ = seen("fenguan2")  # P003, supervising leader of d2
    assert supervisor == {"P003", "P005", "P008", "P011"}
    everyone, _ = seen("leader")
    assert len(everyone) == 12
    staff_run = api.as_(code, "ganbu", RUN, {"id": run_id})["data"]["bonusRun"]
    assert staff_run["departments"] == []  # level 1 is for whole-run readers
    assert staff_run["myLine"]["cents"] > 0
    assert "科室分配额" in staff_run["myLine"]["explanation"]
    assert api.as_(code, "waibu", RUNS, {"p": period})["data"]["bonusRuns"] == []


def test_start_is_for_the_admin_and_checks_its_inputs(
        api: Api, graded: tuple[str, str], make_tenant: Any, settings: Settings) -> None:
    code, period = graded
    anonymous = api.call(START, {"i": start_input(period)})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for user in ("ganbu", "leader", "kezhang"):
        assert start(api, code, start_input(period), user)["userErrors"][0]["code"] == \
            "FORBIDDEN", user
    other = make_tenant(people=9)
    refused = start(api, other, start_input(period))
    assert refused["userErrors"][0]["code"] == "NOT_FOUND"
    quarter = seed_results(settings, code, {"P001": "good"}, kind="quarter", quarter=1)
    wrong = start(api, code, start_input(quarter))
    assert wrong["userErrors"][0]["message"] == "奖金分配须选择年度考核周期"
    missing = start(api, code, {"periodId": period, "poolCents": POOL,
                                "departmentCoefficients": [{"key": "A", "coefficient": "1"}]})
    assert missing["userErrors"][0]["message"] == "部门考核结果「B」未配置部门系数"
    bad = start(api, code, start_input(period, pool=-1, floorCents=500, capCents=100))
    assert {e["field"] for e in bad["userErrors"]} == {"poolCents", "capCents"}
    assert start(api, code, start_input(period, gradeCoefficients=[
        {"key": "superb", "coefficient": "2"}]))["userErrors"][0]["field"] == "gradeCoefficients"


def test_an_infeasible_run_fails_with_a_chinese_error_and_writes_nothing(
        api: Api, worker: Any, graded: tuple[str, str],
        raw_app_connection: psycopg.Connection[Any]) -> None:
    code, period = graded
    started = start(api, code, start_input(period, pool=1000, floorCents=500))
    job = wait_job(api, code, "admin", started["job"]["id"])
    assert job["status"] == "failed"
    assert "保底合计" in job["error"]
    assert job["resultId"] is None
    assert api.as_(code, "admin", RUNS, {"p": period})["data"]["bonusRuns"] == []


def test_a_redelivered_message_writes_no_second_result(
        api: Api, worker: Any, graded: tuple[str, str], settings: Settings,
        raw_app_connection: psycopg.Connection[Any]) -> None:
    from jixiao.worker import broker

    code, period = graded
    job, run_id = run_to_done(api, code, start_input(period))
    conn = raw_app_connection
    row = conn.execute("SELECT tenant_id_for_code(%s)", (code,)).fetchone()
    assert row
    tenant_id = row[0]
    conn.rollback()
    for _ in range(2):  # the same message again, as Dramatiq would redeliver it
        send(settings.redis_url, JobKind.bonus_run, tenant_id, uuid.UUID(job["id"]))
    broker.join("bonus", timeout=30_000)
    worker.join()
    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tenant_id),))
        runs = conn.execute("SELECT id FROM bonus_runs WHERE job_id = %s", (job["id"],))
        assert [str(r[0]) for r in runs] == [run_id]
        status = conn.execute("SELECT status, attempts FROM jobs WHERE id = %s", (job["id"],))
        assert status.fetchone() == ("done", 1)
    assert wait_job(api, code, "admin", job["id"])["resultId"] == run_id


def test_listing_lines_runs_a_fixed_number_of_statements(
        api: Api, worker: Any, graded: tuple[str, str], count_statements: list[str]) -> None:
    code, period = graded
    _, run_id = run_to_done(api, code, start_input(period))
    query = """query($id:ID!,$n:Int!){ bonusRun(id:$id){ lines(first:$n){ edges { node {
      name cents department { name explanation } } } } } }"""
    counts = []
    for n in (1, 12):
        api.as_(code, "admin", query, {"id": run_id, "n": n})  # warm the token cache
        count_statements.clear()
        body = api.as_(code, "admin", query, {"id": run_id, "n": n})
        assert len(body["data"]["bonusRun"]["lines"]["edges"]) == n
        counts.append(len(count_statements))
    assert counts[0] == counts[1]


def test_a_job_is_enqueued_after_commit_with_ids_only(settings: Settings,
                                                      make_tenant: Any) -> None:
    """create_job writes the row and defers the message; the message is (tenant id, job id)."""
    import redis

    own = settings.replace(redis_url=settings.redis_url.rsplit("/", 1)[0] + "/2")
    queue = redis.Redis.from_url(own.redis_url)
    queue.flushdb()
    code = make_tenant(people=9)

    async def create() -> tuple[uuid.UUID, uuid.UUID, int, list[Callable[[], None]]]:
        engine = make_engine(settings.database_url, pooled=False)
        try:
            async with make_sessionmaker(engine)() as probe:
                tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                           {"c": code})).scalar_one()
            async with tenant_transaction(make_sessionmaker(engine), tid) as s:
                ctx = Context(session=s, settings=own.use_cases(), actor=Actor(
                    tenant_id=tid, tenant_kind="county_bureau",
                    roles=frozenset({Role.tenant_admin}), account_id=uuid.uuid4()))
                job = await create_job(ctx, JobKind.export, {"report": "unit_quarterly"})
                before_commit = int(queue.llen("dramatiq:exports"))
            return tid, job.id, before_commit, list(ctx.after_commit)
        finally:
            await engine.dispose()

    tenant_id, job_id, before_commit, deferred = asyncio.run(create())
    assert before_commit == 0
    assert len(deferred) == 1
    deferred[0]()
    assert queue.llen("dramatiq:exports") == 1
    message = json.loads(queue.hvals("dramatiq:exports.msgs")[0])
    assert message["actor_name"] == "export_report"
    assert message["args"] == [str(tenant_id), str(job_id)]
    assert message["kwargs"] == {}
    queue.flushdb()
    queue.close()


def test_the_migration_backfills_what_a_run_writes_for_its_explanations(
        api: Api, worker: Any, graded: tuple[str, str], settings: Settings) -> None:
    """Migration 0026 computes bound_cents and free_coefficient of the runs made before it from
    their lines: the same figures a run writes now (from which the explanations are rendered)."""
    from importlib import import_module

    backfill = import_module("models.migrations.versions.0026_bonus_lines_lean").BACKFILL
    code, period = graded
    _, run_id = run_to_done(api, code, start_input(period, floorCents=900_000,
                                                   capCents=1_300_000))
    query = ("SELECT unit_id, bound_cents, free_coefficient FROM bonus_departments "
             "WHERE run_id = %s ORDER BY unit_id")
    url = settings.owner_database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn, conn.transaction():
        tid = conn.execute("SELECT tenant_id_for_code(%s)", (code,)).fetchone()
        assert tid is not None
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tid[0]),))
        written = conn.execute(query, (run_id,)).fetchall()
        assert any(bound for _, bound, _ in written)
        conn.execute("UPDATE bonus_departments SET bound_cents = 0, free_coefficient = 0 "
                     "WHERE run_id = %s", (run_id,))
        conn.execute(backfill)
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tid[0]),))
        assert conn.execute(query, (run_id,)).fetchall() == written
        raise psycopg.Rollback()  # leave the run as it was written
