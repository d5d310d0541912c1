"""Department results (组织绩效, 考事) through the API: computed from tasks, overdue items and
unit-level indicators; adjusted with a reason (audited); read by whoever may; feeding the 好
quota per department and the first level of the bonus."""

from __future__ import annotations

import asyncio
import io
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select, text

from jixiao.settings import Settings
from models import OrgUnit, PointRecord
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.appraisal_data import seed_results, wait_job
from tests.conftest import Api
from tests.factories import seed_plan
from tests.test_bonus_runs import GRADES, POOL, RUN, expected_cents, start, start_input
from tests.test_grading_review import graded_period, without_score_bands
from tests.test_ratings_support import COMPUTE, advance, create_period
from tests.test_reports import download, export_done

RESULTS = """query($p:ID!){ departmentResults(periodId:$p) { unitId level score computedLevel
  computedScore adjusted adjustedLevel adjustReason adjustedBy unit { code name }
  components { kind delta text } } }"""
COMPUTE_UNITS = """mutation($p:ID!){ computeDepartmentResults(periodId:$p) {
  results { unit { code } level score computedScore components { kind delta text } }
  userErrors { code message field } } }"""
ADJUST = """mutation($i:AdjustDepartmentResultInput!){ adjustDepartmentResult(input:$i) {
  result { unit { code } level score computedLevel adjusted adjustReason adjustedBy
  adjustedByName }
  userErrors { code message field } } }"""
SETTINGS = """mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:"试行部门名额分配") {
  userErrors { code message } } }"""
AUDIT = """query($e:String!){ auditLog(entity:$e) { action entityId reason before after } }"""


def units(api: Api, code: str) -> dict[str, str]:
    body = api.as_(code, "admin", "{ orgUnits { id code } }")
    return {u["code"]: u["id"] for u in body["data"]["orgUnits"]}


def adjust(api: Api, code: str, period: str, unit: str, user: str = "admin",
           **fields: Any) -> dict[str, Any]:
    body = api.as_(code, user, ADJUST, {"i": {"periodId": period, "unitId": unit, **fields}})
    assert "errors" not in body, body
    return dict(body["data"]["adjustDepartmentResult"])


async def _unit_deduction(settings: Settings, code: str, version: str, node: str,
                          unit_code: str, points: Decimal, on: date) -> None:
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with make_sessionmaker(engine)() as probe:
            tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                       {"c": code})).scalar_one()
        async with tenant_transaction(make_sessionmaker(engine), tid) as s:
            unit = (await s.scalars(select(OrgUnit).where(OrgUnit.code == unit_code))).one()
            s.add(PointRecord(tenant_id=tid, id=uuid.uuid4(), version_id=uuid.UUID(version),
                              node_id=uuid.UUID(node), unit_id=unit.id, occurred_on=on,
                              points=points, reason="错情通报（部门）", status="confirmed",
                              recorded_by="test"))
    finally:
        await engine.dispose()


def test_computed_from_tasks_overdue_and_unit_indicators_then_adjusted_and_audited(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=10)
    other = make_tenant(people=10)
    plan = asyncio.run(seed_plan(settings, code, 2025))
    asyncio.run(_unit_deduction(settings, code, plan["version"], plan["deduction"], "d2",
                                Decimal(12), date(2025, 8, 1)))
    period = create_period(api, code, kind="year", quarter=None, year=2025)
    ids = units(api, code)

    assert "errors" in api.call(COMPUTE_UNITS, {"p": period})  # unauthenticated
    for user in ("ganbu", "kezhang", "leader"):
        denied = api.as_(code, user, COMPUTE_UNITS, {"p": period})
        assert denied["data"]["computeDepartmentResults"]["userErrors"][0]["code"] == (
            "FORBIDDEN"), user
    body = api.as_(code, "admin", COMPUTE_UNITS, {"p": period})
    computed = body["data"]["computeDepartmentResults"]
    assert computed["userErrors"] == []
    by_unit = {r["unit"]["code"]: r for r in computed["results"]}
    assert set(by_unit) == {"d1", "d2"}  # the departments; d1a counts for d1
    # d1: 3 tasks due in 2025, none done; 3 tasks and one milestone overdue, not rectified:
    # 0 - 4 x 2 = -8 -> 0.00, D.
    assert (by_unit["d1"]["score"], by_unit["d1"]["level"]) == ("0.00", "D")
    assert by_unit["d1"]["components"][0]["text"].startswith("本周期到期任务3项，完成0项")
    assert by_unit["d1"]["components"][2]["text"] == "滞后事项未整改4项，扣 8.00"
    # d2: its one task done (late, not rectified): 100 - 2; a unit deduction of 12 counts
    # -10 (cap): 88.00, B.
    assert (by_unit["d2"]["score"], by_unit["d2"]["level"]) == ("88.00", "B")
    assert [c["delta"] for c in by_unit["d2"]["components"]] == [
        "100.00", "-10.00", "-2.00", "88.00"]

    # adjusting: the admin or the office, always with a reason
    assert adjust(api, code, period, ids["d1"], "kezhang", level="A", reason="x")[
        "userErrors"][0]["code"] == "FORBIDDEN"
    no_reason = adjust(api, code, period, ids["d1"], level="C", reason=" ")["userErrors"]
    assert (no_reason[0]["code"], no_reason[0]["field"]) == ("INVALID", "reason")
    bad_level = adjust(api, code, period, ids["d1"], level="S", reason="x")["userErrors"]
    assert bad_level[0]["message"] == "部门考核结果档次只能是A、B、C、D"
    by_office = adjust(api, code, period, ids["d1"], "bangong", score="82.5",
                       reason="省级督查通报表扬，经党组会研究调整")
    assert by_office["userErrors"] == []
    assert by_office["result"]["level"] == "B"  # the band of the adjusted score
    assert by_office["result"]["score"] == "82.50"
    assert by_office["result"]["computedLevel"] == "D"
    assert by_office["result"]["adjustedBy"].startswith("account:")
    # what a person reads: the office member's name, from the people of the tenant
    names = {e["node"]["employeeNo"]: e["node"]["name"] for e in api.as_(
        code, "admin", "{ people(first:50) { edges { node { employeeNo name } } } }")[
        "data"]["people"]["edges"]}
    assert by_office["result"]["adjustedByName"] == names["P008"]
    # recomputing keeps the adjustment in force
    again = api.as_(code, "admin", COMPUTE_UNITS, {"p": period})[
        "data"]["computeDepartmentResults"]["results"]
    assert {r["unit"]["code"]: r["level"] for r in again} == {"d1": "B", "d2": "B"}
    log = api.as_(code, "admin", AUDIT, {"e": "unit_result"})["data"]["auditLog"]
    entry = next(e for e in log if e["action"] == "unit_result.adjust")
    assert entry["reason"] == "省级督查通报表扬，经党组会研究调整"
    assert (entry["before"]["level"], entry["after"]["level"]) == ("D", "B")

    # reading: admin, office and the principal leader all; managers their departments only
    def readable(user: str) -> set[str]:
        body = api.as_(code, user, RESULTS, {"p": period})
        assert "errors" not in body, body
        return {r["unit"]["code"] for r in body["data"]["departmentResults"]}

    assert readable("admin") == readable("bangong") == readable("leader") == {"d1", "d2"}
    assert readable("fenguan") == readable("kezhang") == {"d1"}
    assert readable("kezhang2") == {"d2"}
    assert readable("ganbu") == set()
    assert "errors" in api.call(RESULTS, {"p": period})
    # another tenant's period looks like a missing one
    assert api.as_(other, "admin", RESULTS, {"p": period})["data"]["departmentResults"] == []
    foreign = adjust(api, other, period, ids["d1"], level="A", reason="x")["userErrors"]
    assert foreign[0]["code"] == "NOT_FOUND"


def test_good_quota_allocated_to_departments_by_result(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=10)
    without_score_bands(api, code)  # the example pins the quota mechanics, not the bands
    period, ids = graded_period(api, settings, code)
    no = {pid: n for n, pid in ids.items()}
    advance(api, code, period, "reviewing")
    on = api.as_(code, "admin", SETTINGS, {"s": {"department_results": {
        "allocate_good_quota": True}}})
    assert on["data"]["updateTenantSettings"]["userErrors"] == []
    refused = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert refused["userErrors"][0]["code"] == "RULE_VIOLATION"
    assert "尚无部门考核结果" in refused["userErrors"][0]["message"]

    computed = api.as_(code, "admin", COMPUTE_UNITS, {"p": period})
    assert computed["data"]["computeDepartmentResults"]["userErrors"] == []
    unit = units(api, code)
    assert adjust(api, code, period, unit["d1"], level="D", reason="重点任务滞后")[
        "userErrors"] == []
    assert adjust(api, code, period, unit["d2"], level="A", reason="重点任务全部完成")[
        "userErrors"] == []
    body = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert body["userErrors"] == []
    results = {no[r["personId"]]: r for r in body["results"]}
    # Scores P001 95 ... P010 50; n = 10: 好 at most 4, top half P001-P005.
    # Departments: 领导班子 P001-P003 (no department result: coefficient 1.0), 第一科 with its
    # sub-unit P004 P006 P007 P009 P010 (D: 0.5), 第二科 P005 P008 (A: 1.2).
    # Weights 3, 2.5, 2.4; Sainte-Lague: 3 (领导班子), 2.5 (第一科), 2.4 (第二科), then
    # 3/3 = 1 (领导班子) > 2.5/3 > 2.4/3: places 领导班子 2, 第一科 1, 第二科 1.
    good = sorted(n for n, r in results.items() if r["proposedGrade"] == "good")
    assert good == ["P001", "P002", "P004", "P005"]
    assert ("所在部门「未纳入部门考核的人员」按部门考核结果分配的好等次名额已满（2/2）"
            in results["P003"]["reasons"])
    assert results["P003"]["proposedGrade"] == "fairly_good"
    # the unit-wide quota (4) and the top half still hold
    assert len(good) == 4
    assert all(results[n]["rank"] <= 5 for n in good)

    # off again: the unit-wide quota in ranking order
    api.as_(code, "admin", SETTINGS, {"s": {"department_results": {
        "allocate_good_quota": False}}})
    body = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert sorted(no[r["personId"]] for r in body["results"]
                  if r["proposedGrade"] == "good") == ["P001", "P002", "P003", "P004"]


def test_bonus_by_department_result_from_entered_results(
        api: Api, worker: Any, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12, kind="subdistrict")
    period = seed_results(settings, code, GRADES)  # a year, graded, no department results
    missing = start(api, code, start_input(period))["userErrors"]
    assert missing[0]["code"] == "RULE_VIOLATION"
    assert missing[0]["message"].startswith(
        "以下部门无2025年度的部门考核结果，无法按部门考核结果分配第一级奖金：「领导班子」（3人）")
    assert "「第一科」（4人）" in missing[0]["message"]  # P009 of 第一科一组 listed apart
    unit = units(api, code)
    for unit_code, level in (("ldbz", "A"), ("d1", "A"), ("d2", "B")):
        assert adjust(api, code, period, unit[unit_code], level=level,
                      reason="年度组织绩效考核结果")["userErrors"] == []
    started = start(api, code, start_input(period))
    assert started["userErrors"] == []
    job = wait_job(api, code, "admin", started["job"]["id"])
    assert job["status"] == "done", job
    run = api.as_(code, "admin", RUN, {"id": job["resultId"]})["data"]["bonusRun"]
    # Level one by hand: bases (people with a positive coefficient) x department coefficient:
    # 领导班子 3 x 1.2 = 3.6, 第一科 4 x 1.2 = 4.8 (P010 不称职 has coefficient 0, P012 no
    # grade), 第二科 3 x 1.0 = 3; of 114 tenths: 123,456.79 x 36/114 = 38,986.3547...,
    # x 48/114 = 51,981.8063..., x 30/114 = 32,488.6289...; floors leave 2 cents, to the
    # largest remainders (第二科, 第一科).
    assert {d["name"]: (d["result"], d["cents"]) for d in run["departments"]} == {
        "领导班子": ("A", 3_898_635), "第一科": ("A", 5_198_181), "第二科": ("B", 3_248_863)}
    assert sum(d["cents"] for d in run["departments"]) == POOL
    lines = {e["node"]["employeeNo"]: e["node"]["cents"] for e in run["lines"]["edges"]}
    assert lines == expected_cents(api, code, POOL)

    # exported with the unit report (XLSX sheet 部门考核结果)
    job = export_done(api, code, "admin", {"report": "unit_quarterly", "periodId": period})
    xlsx = next(f for f in job["files"] if f["format"] == "xlsx")
    book = load_workbook(io.BytesIO(download(api, code, "admin", xlsx["url"]).content),
                         read_only=True)
    rows = [list(r) for r in book["部门考核结果"].iter_rows(values_only=True)]
    assert rows[0] == ["部门", "得分", "档次", "计算结果", "调整及理由"]
    assert [(r[0], r[2]) for r in rows[1:]] == [("领导班子", "A"), ("第一科", "A"),
                                                ("第二科", "B")]
    assert rows[1][4].endswith("调整：年度组织绩效考核结果")
    # who adjusted, as a person reads it (a name, not the stored account subject)
    assert "account:" not in rows[1][4]
    assert not rows[1][4].startswith("由调整")
