"""Supervision: overdue items derived from tasks and milestones, rectification, the summary,
and idempotent pushes from an office system."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.factories import seed_plan

YEAR = 2026
AS_OF = date(YEAR, 6, 30).isoformat()
OVERDUE = ("query($d:Date!){ overdueItems(asOf:$d, year:2026) { taskId milestoneId title "
           "daysOverdue doneLate } }")
SUMMARY = ("query($d:Date!){ supervisionSummary(asOf:$d, year:2026) { unit { code } tasks done "
           "completionRate problems overdueItems { title } } }")


def tenant(api: Api, settings: Settings, make_tenant: Any) -> tuple[str, dict[str, str]]:
    code = make_tenant(people=12)
    return code, asyncio.run(seed_plan(settings, code, YEAR))


def test_overdue_items_summary_and_rectification(api: Api, settings: Settings,
                                                 make_tenant: Any) -> None:
    code, ids = tenant(api, settings, make_tenant)
    items = api.as_(code, "bangong", OVERDUE, {"d": AS_OF})["data"]["overdueItems"]
    # T1-1 due 5/31 still in progress; its milestone due 4/15 not done; T2 done late (4/10 > 3/31).
    found = {(i["taskId"], i["milestoneId"]): i for i in items
             if i["taskId"] in (ids["mine"], ids["d2"])}
    assert set(found) == {(ids["mine"], None), (ids["mine"], ids["m1"]), (ids["d2"], None)}
    assert found[(ids["mine"], None)]["daysOverdue"] == 30
    assert found[(ids["d2"], None)]["doneLate"] is True
    assert found[(ids["mine"], ids["m1"])]["title"] == "办理法律援助案件——完成案件梳理"
    progress = api.as_(code, "bangong", "mutation($t:ID!){ recordTaskProgress(input:{taskId:$t,"
                       "recordedOn:\"2026-06-20\", percent:60, problems:\"人手紧张\"}) "
                       "{ progress { percent } userErrors { code } } }", {"t": ids["mine"]})
    assert progress["data"]["recordTaskProgress"]["progress"]["percent"] == 60
    fix = api.as_(code, "bangong", "mutation($t:ID!){ rectifyOverdueItem(taskId:$t, note:"
                  "\"已补交台账并说明原因\", rectifiedOn:\"2026-06-30\") { rectified "
                  "userErrors { code message } } }", {"t": ids["d2"]})
    assert fix["data"]["rectifyOverdueItem"]["rectified"] is True
    twice = api.as_(code, "bangong", "mutation($t:ID!){ rectifyOverdueItem(taskId:$t, note:"
                    "\"再次整改说明\", rectifiedOn:\"2026-06-30\") { userErrors { code } } }",
                    {"t": ids["d2"]})
    assert twice["data"]["rectifyOverdueItem"]["userErrors"][0]["code"] == "CONFLICT"
    summary = {s["unit"]["code"] if s["unit"] else None: s for s in api.as_(
        code, "bangong", SUMMARY, {"d": AS_OF})["data"]["supervisionSummary"]}
    d1 = summary["d1"]
    assert (d1["tasks"], d1["done"]) == (3, 0)
    assert d1["problems"] == ["人手紧张"]
    assert len(d1["overdueItems"]) == 2
    assert summary["d2"]["overdueItems"] == []
    assert summary["d2"]["completionRate"] == 1.0


def test_who_sees_supervision(api: Api, settings: Settings, make_tenant: Any) -> None:
    code, ids = tenant(api, settings, make_tenant)
    staff = api.as_(code, "ganbu", OVERDUE, {"d": AS_OF})
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    head_of_d2 = api.as_(code, "kezhang2", OVERDUE, {"d": AS_OF})["data"]["overdueItems"]
    assert {i["taskId"] for i in head_of_d2} == {ids["d2"]}
    refused = api.as_(code, "kezhang", "mutation($t:ID!){ recordTaskProgress(input:{taskId:$t,"
                      "recordedOn:\"2026-06-20\", note:\"x\"}) { userErrors { code } } }",
                      {"t": ids["mine"]})
    assert refused["data"]["recordTaskProgress"]["userErrors"][0]["code"] == "FORBIDDEN"


def test_the_same_push_twice_records_once(api: Api, settings: Settings,
                                          make_tenant: Any) -> None:
    code, ids = tenant(api, settings, make_tenant)
    token = api.as_(code, "admin", "mutation{ createApiToken(name:\"督办系统\",roles:[office])"
                    " { token } }")["data"]["createApiToken"]["token"]
    push = ("mutation($t:ID!){ pushTaskCompletion(externalId:\"OA-2026-0042\", taskId:$t, "
            "completedOn:\"2026-09-20\", note:\"回访完成\") { duplicate result "
            "userErrors { code } } }")
    first = api.call(push, {"t": ids["other"]}, token)["data"]["pushTaskCompletion"]
    second = api.call(push, {"t": ids["other"]}, token)["data"]["pushTaskCompletion"]
    assert first["duplicate"] is False
    assert second["duplicate"] is True
    assert second["result"] == first["result"]
    log = api.as_(code, "admin", "query($e:String!){ auditLog(entityId:$e) { action } }",
                  {"e": ids["other"]})["data"]["auditLog"]
    assert [e["action"] for e in log].count("supervision.progress") == 1
    result = api.call("mutation($t:ID!){ pushSupervisionResult(externalId:\"OA-7\", input:"
                      "{taskId:$t, recordedOn:\"2026-06-01\", percent:40, note:\"推进中\"}) "
                      "{ duplicate userErrors { code } } }", {"t": ids["mine"]}, token)
    assert result["data"]["pushSupervisionResult"]["duplicate"] is False
    staff = api.as_(code, "ganbu", push.replace("OA-2026-0042", "x"), {"t": ids["other"]})
    assert staff["data"]["pushTaskCompletion"]["userErrors"][0]["code"] == "FORBIDDEN"


def test_demo_summary_lists_the_overdue_items_the_data_implies(
        api: Api, raw_app_connection: Any) -> None:
    """都江堰市委组织部's office circulates the summary; the expectation is computed here from
    the demo rows with plain SQL, independently of rules.supervision."""
    from demo.plans import demo_as_of

    year = date.today().year
    as_of = demo_as_of(year)
    conn = raw_app_connection
    tid = conn.execute("SELECT tenant_id_for_code('djyzzb')").fetchone()[0]
    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (str(tid),))
        late_tasks = {(str(r[0]), None) for r in conn.execute(
            "SELECT id FROM tasks WHERE year = %s AND status <> 'cancelled' AND due_on < %s "
            "AND (status <> 'done' OR completed_on > due_on)", (year, as_of))}
        late_milestones = {(str(r[0]), str(r[1])) for r in conn.execute(
            "SELECT m.task_id, m.id FROM task_milestones m JOIN tasks t ON t.tenant_id = "
            "m.tenant_id AND t.id = m.task_id WHERE t.year = %s AND t.status <> 'cancelled' "
            "AND m.due_on < %s AND (m.done_on IS NULL OR m.done_on > m.due_on)", (year, as_of))}
    expected = late_tasks | late_milestones
    assert expected, "the demo data should imply overdue items"
    summary = api.as_("djyzzb", "bangong", "query($d:Date!,$y:Int!){ supervisionSummary("
                      "asOf:$d, year:$y) { unit { name } tasks overdueItems { taskId milestoneId"
                      " title } } }", {"d": as_of.isoformat(), "y": year})
    listed = {(i["taskId"], i["milestoneId"]) for unit in summary["data"]["supervisionSummary"]
              for i in unit["overdueItems"]}
    assert listed == expected
