"""The period lifecycle: explicit guarded transitions, frozen when closed, reopen with reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import Api

CREATE = ("mutation($i:PeriodInput!){ createPeriod(input:$i) { period { id name state "
          "stateLabel } userErrors { code message field } } }")
ADVANCE = ("mutation($id:ID!,$s:PeriodState!){ advancePeriod(id:$id,toState:$s) { period "
           "{ state } userErrors { code message } } }")
REOPEN = ("mutation($id:ID!,$r:String!){ reopenPeriod(id:$id,reason:$r) { period { state } "
          "userErrors { code message } } }")
STATES = ["executing", "declaring", "rating", "reviewing", "publicizing", "feedback", "closed"]

# Every mutation that writes a period's data, with variables for a given period id. Later
# capabilities (declarations, ratings, interviews, ...) add theirs so the frozen rule covers
# them all.
PERIOD_WRITES: dict[str, tuple[str, Any]] = {
    # feedback interviews (issue 7): recording and acknowledging write the quarter's data
    "recordInterview": ("mutation($id:ID!){ recordInterview(input:{periodId:$id, personId:"
                        "\"00000000-0000-0000-0000-000000000001\", heldOn:\"2026-01-05\", "
                        "resultTold:\"好\", strengths:\"a\", weaknesses:\"b\", rootCauses:"
                        "\"c\", improvementPlan:[], topics:[], praise:\"d\", critique:\"e\", "
                        "encouragement:\"f\", fitRating:3}) { userErrors { code message } } }",
                        lambda pid: {"id": pid}),
    "setPeriodDeadlines": ("mutation($id:ID!){ setPeriodDeadlines(id:$id, deadlines:[{state:"
                           "declaring, at:\"2030-01-01T00:00:00+00:00\"}]) { userErrors { code "
                           "message } } }", lambda pid: {"id": pid}),
    "advancePeriod": ("mutation($id:ID!){ advancePeriod(id:$id, toState:closed) { userErrors "
                      "{ code message } } }", lambda pid: {"id": pid}),
    "saveDeclaration": ("mutation($id:ID!){ saveDeclaration(periodId:$id, items:[]) "
                        "{ userErrors { code message } } }", lambda pid: {"id": pid}),
    "submitDeclaration": ("mutation($id:ID!){ submitDeclaration(periodId:$id) "
                          "{ userErrors { code message } } }", lambda pid: {"id": pid}),
    # rating, scores, grades, review (issue 5)
    "generateRaterAssignments": ("mutation($id:ID!){ generateRaterAssignments(periodId:$id) "
                                 "{ userErrors { code message } } }", lambda pid: {"id": pid}),
    "addRaterAssignment": ("mutation($id:ID!){ addRaterAssignment(input:{periodId:$id, personId:"
                           "\"00000000-0000-0000-0000-000000000001\", raterId:\"00000000-0000-"
                           "0000-0000-000000000002\", role:peer}) { userErrors { code message } "
                           "} }", lambda pid: {"id": pid}),
    "saveRatings": ("mutation($id:ID!){ saveRatings(input:{periodId:$id, personId:\"00000000-"
                    "0000-0000-0000-000000000001\", cells:[]}) { userErrors { code message } } }",
                    lambda pid: {"id": pid}),
    "computeResults": ("mutation($id:ID!){ computeResults(periodId:$id) { userErrors { code "
                       "message } } }", lambda pid: {"id": pid}),
    "computeAnnualResults": ("mutation($id:ID!){ computeAnnualResults(periodId:$id) { userErrors "
                             "{ code message } } }", lambda pid: {"id": pid}),
    "reviewGrade": ("mutation($id:ID!){ reviewGrade(input:{periodId:$id, personId:\"00000000-"
                    "0000-0000-0000-000000000001\", grade:good, reason:\"理由\"}) { userErrors "
                    "{ code message } } }", lambda pid: {"id": pid}),
    "confirmGrades": ("mutation($id:ID!){ confirmGrades(periodId:$id) { userErrors { code "
                      "message } } }", lambda pid: {"id": pid}),
}


def new_period(api: Api, code: str, quarter: int = 1, **extra: Any) -> str:
    body = api.as_(code, "admin", CREATE, {"i": {"kind": "quarter", "year": 2026,
                                                 "quarter": quarter, **extra}})
    period = body["data"]["createPeriod"]["period"]
    assert period, body
    return str(period["id"])


def advance_to(api: Api, code: str, period: str, state: str) -> None:
    for step in STATES[: STATES.index(state) + 1]:
        body = api.as_(code, "admin", ADVANCE, {"id": period, "s": step})
        assert body["data"]["advancePeriod"]["userErrors"] == [], (step, body)


def test_create_and_walk_the_cycle(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    body = api.as_(code, "admin", CREATE, {"i": {"kind": "quarter", "year": 2026, "quarter": 2}})
    period = body["data"]["createPeriod"]["period"]
    assert (period["name"], period["state"], period["stateLabel"]) == (
        "2026年第二季度", "planning", "计划")
    dup = api.as_(code, "admin", CREATE, {"i": {"kind": "quarter", "year": 2026, "quarter": 2}})
    assert dup["data"]["createPeriod"]["userErrors"][0]["code"] == "DUPLICATE"
    bad = api.as_(code, "admin", CREATE, {"i": {"kind": "year", "year": 2026, "quarter": 2}})
    assert bad["data"]["createPeriod"]["userErrors"][0]["field"] == "quarter"
    skip = api.as_(code, "admin", ADVANCE, {"id": period["id"], "s": "rating"})
    assert skip["data"]["advancePeriod"]["userErrors"][0]["message"] == "只能从“计划”进入“执行”"
    advance_to(api, code, period["id"], "closed")
    log = api.as_(code, "admin", "query($e:String!){ auditLog(entityId:$e) { action } }",
                  {"e": period["id"]})["data"]["auditLog"]
    assert [e["action"] for e in log].count("period.advance") == len(STATES)


def test_only_the_admin_runs_periods(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    period = new_period(api, code)
    for user in ("ganbu", "kezhang", "leader"):
        body = api.as_(code, user, ADVANCE, {"id": period, "s": "executing"})
        assert body["data"]["advancePeriod"]["userErrors"][0]["code"] == "FORBIDDEN", user
    visible = api.as_(code, "ganbu", "{ periods { id state } }")["data"]["periods"]
    assert [p["id"] for p in visible] == [period]


def test_no_rating_before_declarations_close_unless_allowed(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    period = new_period(api, code, deadlines=[{"state": "declaring", "at": later}])
    advance_to(api, code, period, "declaring")
    early = api.as_(code, "admin", ADVANCE, {"id": period, "s": "rating"})
    error = early["data"]["advancePeriod"]["userErrors"][0]
    assert error["code"] == "RULE_VIOLATION"
    assert "实绩申报截止时间" in error["message"]
    allowed = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{periods:{"
                      "allow_rating_before_declarations_close:true}}, reason:\"临时任务\") "
                      "{ settings userErrors { code } } }")
    assert allowed["data"]["updateTenantSettings"]["userErrors"] == []
    now = api.as_(code, "admin", ADVANCE, {"id": period, "s": "rating"})
    assert now["data"]["advancePeriod"]["period"]["state"] == "rating"


def test_closed_period_is_frozen_and_reopen_is_audited(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    period = new_period(api, code)
    advance_to(api, code, period, "closed")
    for name, (mutation, variables) in PERIOD_WRITES.items():
        body = api.as_(code, "admin", mutation, variables(period))
        errors = body["data"][name]["userErrors"]
        assert errors, name
        assert errors[0]["code"] in ("FROZEN", "RULE_VIOLATION"), (name, errors)
    frozen = api.as_(code, "admin", PERIOD_WRITES["setPeriodDeadlines"][0], {"id": period})
    assert frozen["data"]["setPeriodDeadlines"]["userErrors"][0]["code"] == "FROZEN"
    no_reason = api.as_(code, "admin", REOPEN, {"id": period, "r": " "})
    assert no_reason["data"]["reopenPeriod"]["userErrors"][0]["message"] == (
        "重新开启须说明理由（至少4个字）")
    reopened = api.as_(code, "admin", REOPEN, {"id": period, "r": "更正第二科一名同志的等次"})
    assert reopened["data"]["reopenPeriod"]["period"]["state"] == "feedback"
    after = api.as_(code, "admin", PERIOD_WRITES["setPeriodDeadlines"][0], {"id": period})
    assert after["data"]["setPeriodDeadlines"]["userErrors"] == []
    log = api.as_(code, "admin", "query($e:String!){ auditLog(entityId:$e) { action reason "
                  "before after } }", {"e": period})["data"]["auditLog"]
    reopen = next(e for e in log if e["action"] == "period.reopen")
    assert reopen["reason"] == "更正第二科一名同志的等次"
    assert (reopen["before"]["state"], reopen["after"]["state"]) == ("closed", "feedback")


def test_tenant_settings_defaults_validation_and_audit(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    settings = api.as_(code, "ganbu", "{ tenantSettings }")["data"]["tenantSettings"]
    assert settings["declarations"]["max_items"] == 5
    assert settings["rating"]["role_weights"]["department_head"] == 40
    bad = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{rating:{role_weights:"
                  "{department_head:50}}}) { userErrors { code message } } }")
    assert bad["data"]["updateTenantSettings"]["userErrors"][0]["message"] == (
        "评价主体权重须为非负整数且合计为100%")
    unknown = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{nonsense:1}) "
                      "{ userErrors { message } } }")
    assert "未知的配置项" in unknown["data"]["updateTenantSettings"]["userErrors"][0]["message"]
    staff = api.as_(code, "ganbu", "mutation{ updateTenantSettings(settings:{declarations:"
                    "{max_items:6}}) { userErrors { code } } }")
    assert staff["data"]["updateTenantSettings"]["userErrors"][0]["code"] == "FORBIDDEN"
    ok = api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{declarations:"
                 "{max_items:6}}, reason:\"试行6项\") { settings userErrors { code } } }")
    assert ok["data"]["updateTenantSettings"]["settings"]["declarations"]["max_items"] == 6
    log = api.as_(code, "admin", "{ auditLog(entity:\"tenant\") { action reason after } }")
    assert log["data"]["auditLog"][0]["reason"] == "试行6项"


STAGES = ("query($id:ID!){ period(id:$id) { kind stages { state label deadline } "
          "grades { grade label } } periodStages { state label deadline } }")


def test_stages_and_grades_of_a_period(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    quarter = new_period(api, code, deadlines=[{"state": "declaring",
                                                "at": "2026-04-10T18:00:00+08:00"}])
    body = api.as_(code, "ganbu", STAGES, {"id": quarter})["data"]
    stages = body["period"]["stages"]
    assert [s["label"] for s in stages] == [
        "计划", "执行", "实绩申报", "评价", "综合研判", "实绩公示", "反馈谈话", "已关闭"]
    assert [s["state"] for s in stages[1:]] == STATES
    assert [s["state"] for s in stages if s["deadline"]] == ["declaring"]
    assert [g["label"] for g in body["period"]["grades"]] == ["好", "较好", "一般", "较差"]
    assert [(s["state"], s["label"], s["deadline"]) for s in body["periodStages"]] == [
        (s["state"], s["label"], None) for s in stages]
    year = api.as_(code, "admin", CREATE, {"i": {"kind": "year", "year": 2026}})
    year_id = year["data"]["createPeriod"]["period"]["id"]
    grades = api.as_(code, "admin", STAGES, {"id": year_id})["data"]["period"]["grades"]
    assert [g["grade"] for g in grades] == [
        "excellent", "competent", "basically_competent", "incompetent", "not_graded"]
    anonymous = api.call("{ periodStages { state } }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
